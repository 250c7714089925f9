//! The transition graph of one (sub)machine, by state index.

use crate::suggest::closest;
use asl_core::model::{StateMachine, StateType};
use std::collections::HashMap;

/// Successors of every state of `machine` (targets in the same scope only).
///
/// A misspelt target counts as the state it was most likely meant to name
/// (the one missing-transition-target suggests), so one typo is reported
/// once rather than again as "unreachable" for every state after it.
pub fn successors(machine: &StateMachine) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = machine
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let names = || machine.states.iter().map(|s| s.name.as_str());
    machine
        .states
        .iter()
        .map(|state| {
            state
                .targets()
                .into_iter()
                .filter_map(|(_, t)| {
                    index
                        .get(t.value.as_str())
                        .or_else(|| index.get(closest(&t.value, names())?))
                        .copied()
                })
                .collect()
        })
        .collect()
}

/// The index of the state `StartAt` names (`None` if it names none).
pub fn start_index(machine: &StateMachine) -> Option<usize> {
    machine
        .start_at
        .as_ref()
        .and_then(|s| machine.index_of(&s.value))
}

/// Indexes reachable from `start` (included), following `edges`.
pub fn reachable(edges: &[Vec<usize>], start: usize) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(edges[i].iter().copied().filter(|&j| !seen[j]));
    }
    seen
}

/// Whether a state ends its machine: `End: true`, Succeed or Fail.
pub fn ends_machine(machine: &StateMachine, index: usize) -> bool {
    let state = &machine.states[index];
    state.end || matches!(state.state_type, Some(StateType::Succeed | StateType::Fail))
}

/// For every state, whether some path from it reaches a state that ends the machine.
pub fn can_terminate(machine: &StateMachine, edges: &[Vec<usize>]) -> Vec<bool> {
    let n = edges.len();
    let mut predecessors = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            predecessors[to].push(from);
        }
    }
    let mut ok = vec![false; n];
    // A state with a dangling target may end up anywhere: count it as able to
    // terminate, so one typo is reported once (missing-transition-target),
    // not again as an endless loop.
    let dangling = |i: usize| machine.states[i].targets().len() > edges[i].len();
    let mut stack: Vec<usize> = (0..n)
        .filter(|&i| ends_machine(machine, i) || dangling(i))
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut ok[i], true) {
            continue;
        }
        stack.extend(predecessors[i].iter().copied().filter(|&p| !ok[p]));
    }
    ok
}
