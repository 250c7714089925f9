//! What rules see: the parsed tree, the typed model, and an index pairing
//! every state and every (sub)machine with its tree node.

use crate::variables::{reads_of, Read, Scopes};
use asl_core::json::{DuplicateKey, Node};
use asl_core::model::{Definition, State, StateKind, StateMachine};
use std::cell::OnceCell;

/// Whether the definition is for a STANDARD or an EXPRESS state machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
#[clap(rename_all = "UPPER")]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// Options that change what the rules check.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    pub machine_type: MachineType,
}

/// A state with its tree node.
#[derive(Clone, Copy)]
pub struct StateRef<'a> {
    pub state: &'a State,
    pub node: &'a Node,
    /// Index into [`Context::machines`] of the machine holding this state.
    pub machine: usize,
}

/// A (sub)machine with its tree node.
#[derive(Clone, Copy)]
pub struct MachineRef<'a> {
    pub machine: &'a StateMachine,
    pub node: &'a Node,
    /// The Parallel or Map state that holds it (`None` at the top level).
    pub parent: Option<&'a State>,
    /// 0 at the top level, +1 per Parallel/Map.
    pub depth: usize,
}

/// Everything a rule may read about one definition.
pub struct Context<'a> {
    pub root: &'a Node,
    /// Keys that appear twice in one object.
    pub duplicates: &'a [DuplicateKey],
    pub definition: &'a Definition,
    pub options: &'a LintOptions,
    /// Length of the source text in bytes.
    pub source_len: usize,
    /// Every state, depth-first in source order.
    pub states: Vec<StateRef<'a>>,
    /// Every machine; index 0 is the top level.
    pub machines: Vec<MachineRef<'a>>,
    /// Variable assignments and reads, computed once for the rules that need them.
    variables: OnceCell<(Scopes<'a>, Vec<Vec<Read>>)>,
}

impl<'a> Context<'a> {
    pub fn new(
        root: &'a Node,
        duplicates: &'a [DuplicateKey],
        definition: &'a Definition,
        options: &'a LintOptions,
        source_len: usize,
    ) -> Self {
        let mut ctx = Context {
            root,
            duplicates,
            definition,
            options,
            source_len,
            states: Vec::new(),
            machines: Vec::new(),
            variables: OnceCell::new(),
        };
        ctx.index_machine(&definition.machine, root, None, 0);
        ctx
    }

    fn index_machine(
        &mut self,
        machine: &'a StateMachine,
        node: &'a Node,
        parent: Option<&'a State>,
        depth: usize,
    ) {
        let machine_index = self.machines.len();
        self.machines.push(MachineRef {
            machine,
            node,
            parent,
            depth,
        });
        let members = node
            .field("States")
            .and_then(Node::as_object)
            .unwrap_or_default();
        // The model builds one state per member, in order.
        for (state, member) in machine.states.iter().zip(members) {
            self.states.push(StateRef {
                state,
                node: &member.value,
                machine: machine_index,
            });
            match &state.kind {
                StateKind::Parallel { branches } => {
                    let nodes = member
                        .value
                        .field("Branches")
                        .and_then(Node::as_array)
                        .unwrap_or_default();
                    for (branch, branch_node) in branches.iter().zip(nodes) {
                        self.index_machine(branch, branch_node, Some(state), depth + 1);
                    }
                }
                StateKind::Map(map) => {
                    let key = if map.legacy_iterator {
                        "Iterator"
                    } else {
                        "ItemProcessor"
                    };
                    if let Some(processor) = member.value.field(key) {
                        self.index_machine(&map.processor, processor, Some(state), depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn variables(&self) -> &(Scopes<'a>, Vec<Vec<Read>>) {
        self.variables.get_or_init(|| {
            (
                Scopes::new(self),
                self.states.iter().map(reads_of).collect(),
            )
        })
    }

    /// Where `Assign` sets variables, and which scopes see them.
    pub fn scopes(&self) -> &Scopes<'a> {
        &self.variables().0
    }

    /// The variable reads of `ctx.states[index]`.
    pub fn reads(&self, index: usize) -> &[Read] {
        &self.variables().1[index]
    }

    /// The states of machine number `machine`.
    pub fn states_of(&self, machine: usize) -> impl Iterator<Item = &StateRef<'a>> {
        self.states.iter().filter(move |s| s.machine == machine)
    }
}
