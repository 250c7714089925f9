//! Workflow variables: where `Assign` sets them, which scopes see them, and
//! where expressions read them.
//!
//! Scopes (ASL-REFERENCE §6.3): the top-level machine is the outer scope;
//! every Parallel branch and Map processor is an inner scope that can read
//! the variables of the scopes around it, except a Distributed Map
//! processor, whose child workflows see no outer variable. A Catcher's
//! `Assign` on a Parallel/Map assigns in the scope holding that state.

use crate::context::{Context, StateRef};
use crate::templates::{dollar_values, jsonata_fields, span_in_string, walk};
use asl_core::json::{Member, Node};
use asl_core::jsonpath::Root;
use asl_core::model::{Condition, MapMode, Operand, QueryLanguage, StateKind};
use asl_core::span::Span;

/// One variable set by an `Assign`.
pub struct Assignment<'a> {
    /// The variable name (a JSONPath key without its `.$`).
    pub name: String,
    /// The `Assign` member that sets it.
    pub member: &'a Member,
    pub pointer: String,
    /// The machine (scope) it is assigned in.
    pub machine: usize,
}

/// One place an expression reads a variable.
pub struct Read {
    /// `None` for a `$states` read.
    pub name: Option<String>,
    /// For `$states` reads: the member (`input`, `result`, …).
    pub states_member: Option<String>,
    pub span: Span,
    pub pointer: String,
    /// The field the expression sits in, e.g. `Output`, `Catch/0/Output`.
    pub field: String,
}

/// The assignments of a whole definition, indexed by scope.
pub struct Scopes<'a> {
    pub assignments: Vec<Assignment<'a>>,
    /// For each machine, the machine whose variables it can also read.
    outer: Vec<Option<usize>>,
}

impl<'a> Scopes<'a> {
    pub fn new(ctx: &Context<'a>) -> Self {
        let outer = ctx
            .machines
            .iter()
            .map(|m| {
                let parent = m.parent?;
                if let StateKind::Map(map) = &parent.kind {
                    if map.mode == MapMode::Distributed {
                        return None;
                    }
                }
                ctx.states
                    .iter()
                    .find(|s| std::ptr::eq(s.state, parent))
                    .map(|s| s.machine)
            })
            .collect();
        let assignments = ctx.states.iter().flat_map(assignments_of).collect();
        Scopes { assignments, outer }
    }

    /// The machine and the machines around it whose variables it can read.
    pub fn visible_machines(&self, machine: usize) -> Vec<usize> {
        let mut out = vec![machine];
        let mut current = machine;
        while let Some(Some(outer)) = self.outer.get(current) {
            out.push(*outer);
            current = *outer;
        }
        out
    }

    /// Whether some `Assign` in a scope visible from `machine` sets `name`.
    pub fn is_visible(&self, machine: usize, name: &str) -> bool {
        let visible = self.visible_machines(machine);
        self.assignments
            .iter()
            .any(|a| a.name == name && visible.contains(&a.machine))
    }
}

/// The `Assign` members of one state, its Choice rules and its Catchers.
fn assignments_of<'a>(s: &StateRef<'a>) -> Vec<Assignment<'a>> {
    let mut out = Vec::new();
    let mut take = |holder: &'a Node, pointer: String| {
        for member in holder
            .field("Assign")
            .and_then(Node::as_object)
            .unwrap_or_default()
        {
            let name = if s.state.query_language == QueryLanguage::JsonPath {
                member.key.strip_suffix(".$").unwrap_or(&member.key)
            } else {
                &member.key
            };
            out.push(Assignment {
                name: name.to_string(),
                member,
                pointer: format!(
                    "{pointer}/Assign/{}",
                    asl_core::json::escape_pointer_token(&member.key)
                ),
                machine: s.machine,
            });
        }
    };
    take(s.node, s.state.pointer.clone());
    for list in ["Choices", "Catch"] {
        for (i, item) in s
            .node
            .field(list)
            .and_then(Node::as_array)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            take(item, format!("{}/{list}/{i}", s.state.pointer));
        }
    }
    out
}

/// Every variable read of one state.
pub fn reads_of(s: &StateRef<'_>) -> Vec<Read> {
    let mut out = Vec::new();
    for field in jsonata_fields(s) {
        let field_name = field
            .pointer
            .strip_prefix(&s.state.pointer)
            .unwrap_or(&field.pointer)
            .trim_start_matches('/')
            .to_string();
        walk(field.node, &field.pointer, &mut |v| {
            let Some(text) = v.node.as_str() else { return };
            let Some((expr_text, offset)) = asl_core::jsonata::template_expression(text) else {
                return;
            };
            let Ok(expr) = asl_core::jsonata::parse(expr_text) else {
                return; // invalid-jsonata reports it
            };
            for read in asl_core::jsonata::variable_reads(&expr) {
                let (name, states_member, span) = match read {
                    asl_core::jsonata::VariableRead::Workflow { name, span } => {
                        (Some(name), None, span)
                    }
                    asl_core::jsonata::VariableRead::States { member, span } => {
                        (None, Some(member.unwrap_or_default()), span)
                    }
                };
                out.push(Read {
                    name,
                    states_member,
                    span: span_in_string(v.node, span.shifted(offset)),
                    pointer: v.pointer.to_string(),
                    field: field_name.clone(),
                });
            }
        });
    }
    if s.state.query_language == QueryLanguage::JsonPath {
        jsonpath_reads(s, &mut out);
    }
    out
}

/// Variables read by `.$` values, intrinsic arguments, Choice rules and
/// the `…Path` fields of a JSONPath state.
fn jsonpath_reads(s: &StateRef<'_>, out: &mut Vec<Read>) {
    let mut push = |text: &str, node: &Node, pointer: &str| {
        for name in path_variables(text) {
            out.push(Read {
                name: Some(name),
                states_member: None,
                span: node.span,
                pointer: pointer.to_string(),
                field: String::new(),
            });
        }
    };
    for d in dollar_values(s) {
        push(d.value, d.node, &d.pointer);
    }
    for key in ["InputPath", "OutputPath", "ItemsPath"] {
        if let Some(node) = s.node.field(key) {
            if let Some(text) = node.as_str() {
                push(text, node, &format!("{}/{key}", s.state.pointer));
            }
        }
    }
    if let StateKind::Choice(choice) = &s.state.kind {
        for (i, rule) in choice.choices.iter().enumerate() {
            let rule_node = s
                .node
                .field("Choices")
                .and_then(Node::as_array)
                .and_then(|rules| rules.get(i));
            if let Some(rule_node) = rule_node {
                condition_reads(&rule.condition, rule_node, &rule.pointer, &mut push);
            }
        }
    }
}

fn condition_reads(
    condition: &Condition,
    node: &Node,
    pointer: &str,
    push: &mut dyn FnMut(&str, &Node, &str),
) {
    match condition {
        Condition::And(items) | Condition::Or(items) => {
            for c in items {
                condition_reads(c, node, pointer, push);
            }
        }
        Condition::Not(inner) => condition_reads(inner, node, pointer, push),
        Condition::Compare {
            variable, operand, ..
        } => {
            push(&variable.value, node, pointer);
            if let Operand::Path(p) = operand {
                push(&p.value, node, pointer);
            }
        }
        Condition::Jsonata(_) | Condition::Invalid => {}
    }
}

/// The workflow variables a JSONPath value or intrinsic call reads.
fn path_variables(text: &str) -> Vec<String> {
    if asl_core::intrinsic::looks_like_call(text) {
        let Ok(call) = asl_core::intrinsic::parse(text) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        call_variables(&call, &mut out);
        return out;
    }
    match asl_core::jsonpath::parse(text) {
        Ok(path) => match path.root() {
            Root::Variable(name) => vec![name.clone()],
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    }
}

fn call_variables(call: &asl_core::intrinsic::Call, out: &mut Vec<String>) {
    for arg in &call.args {
        match &arg.kind {
            asl_core::intrinsic::ArgKind::Path(p) => out.extend(path_variables(p)),
            asl_core::intrinsic::ArgKind::Call(inner) => call_variables(inner, out),
            _ => {}
        }
    }
}
