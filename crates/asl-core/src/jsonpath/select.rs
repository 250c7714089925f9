//! Evaluation: selecting from a document with Jayway's definite-prefix
//! error rules.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::error::{MissKind, PathMiss};
use super::filter::{definite_child, resolve_index, Filter};
use super::render::{bracket_path, push_bracket_step};
use super::{Path, Step};

/// The result of [`Path::select_ref`]: borrowed nodes (plus owned merged
/// objects for a final `['a','b']`), converted to a [`Value`] on demand.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection<'v> {
    /// A definite path's single value.
    One(Cow<'v, Value>),
    /// An indefinite path's matches, in document order (possibly none).
    Many(Vec<Cow<'v, Value>>),
}

impl Selection<'_> {
    /// The AWS result: the value itself, or an array of the matches.
    pub fn into_value(self) -> Value {
        match self {
            Selection::One(value) => value.into_owned(),
            Selection::Many(values) => {
                Value::Array(values.into_iter().map(Cow::into_owned).collect())
            }
        }
    }
}

impl Path {
    /// Evaluates the path against `doc` and clones the result: the single
    /// value of a definite path, or an array of all matches.
    ///
    /// `doc` is the document [`Path::root`] names (input, context object or
    /// the variable's value); `$` inside filters refers to it too.
    pub fn select(&self, doc: &Value) -> Result<Value, PathMiss> {
        self.select_ref(doc).map(Selection::into_value)
    }

    /// Like [`Path::select`] without cloning matched nodes.
    pub fn select_ref<'v>(&self, doc: &'v Value) -> Result<Selection<'v>, PathMiss> {
        let steps = &self.steps;
        let prefix = steps
            .iter()
            .position(|s| !s.is_definite())
            .unwrap_or(steps.len());
        let node = match self.walk_definite_prefix(doc, prefix)? {
            Some(node) => node,
            // An index out of range inside the prefix of an indefinite path.
            None => return Ok(Selection::Many(Vec::new())),
        };
        let Some(first) = steps.get(prefix) else {
            return Ok(Selection::One(Cow::Borrowed(node)));
        };
        self.check_first_indefinite(node, prefix)?;
        if prefix + 1 == steps.len() {
            if let Step::Names(names) = first {
                let merged = merge(node, names).unwrap_or_default();
                return Ok(Selection::One(Cow::Owned(merged)));
            }
        }
        Ok(Selection::Many(evaluate_rest(doc, node, &steps[prefix..])))
    }

    /// Follows the first `prefix` (name/index) steps from `doc`. `Ok(None)`
    /// means an index was out of range in an indefinite path.
    fn walk_definite_prefix<'v>(
        &self,
        doc: &'v Value,
        prefix: usize,
    ) -> Result<Option<&'v Value>, PathMiss> {
        let mut node = doc;
        for (i, step) in self.steps[..prefix].iter().enumerate() {
            if let Some(child) = definite_child(node, step) {
                node = child;
                continue;
            }
            let is_leaf = i + 1 == self.steps.len();
            let kind = match (step, node) {
                (Step::Name(_), Value::Object(_)) if is_leaf => MissKind::NoResults,
                (Step::Name(_), Value::Object(_)) => MissKind::MissingProperty,
                (Step::Name(_), _) => MissKind::NotAnObject,
                (_, Value::Array(_)) if prefix == self.steps.len() => MissKind::NoResults,
                (_, Value::Array(_)) => return Ok(None),
                _ => MissKind::NotAnArray,
            };
            return Err(self.miss(kind, i, node));
        }
        Ok(Some(node))
    }

    /// Jayway raises errors for the first indefinite step only while the
    /// path before it is definite: a union/merge on a non-object, an index
    /// union or slice on a non-array, a filter on a scalar.
    fn check_first_indefinite(&self, node: &Value, index: usize) -> Result<(), PathMiss> {
        let kind = match (&self.steps[index], node) {
            (Step::Names(_), Value::Object(_)) => return Ok(()),
            (Step::Names(_), _) => MissKind::NotAnObject,
            (Step::Indexes(_) | Step::Slice { .. }, Value::Array(_)) => return Ok(()),
            (Step::Indexes(_) | Step::Slice { .. }, _) => MissKind::NotAnArray,
            (Step::Filter(_), Value::Array(_) | Value::Object(_)) => return Ok(()),
            (Step::Filter(_), _) => MissKind::FilterOnPrimitive,
            _ => return Ok(()),
        };
        Err(self.miss(kind, index, node))
    }

    /// Builds the miss for step `index` applied to `node`.
    fn miss(&self, kind: MissKind, index: usize, node: &Value) -> PathMiss {
        let parent = bracket_path(&self.root, &self.steps[..index]);
        let mut step = String::new();
        push_bracket_step(&mut step, &self.steps[index]);
        let context = match kind {
            MissKind::NotAnObject | MissKind::NotAnArray | MissKind::FilterOnPrimitive => {
                node.clone()
            }
            MissKind::NoResults | MissKind::MissingProperty => Value::Null,
        };
        PathMiss::new(kind, self.to_bracket_string(), parent, step, context)
    }
}

/// Applies `steps` (starting at the first indefinite one) to `start`,
/// skipping misses. A final multi-name step yields merged objects.
fn evaluate_rest<'v>(doc: &'v Value, start: &'v Value, steps: &[Step]) -> Vec<Cow<'v, Value>> {
    let mut current = vec![start];
    let (last, middle) = match steps.split_last() {
        Some(split) => split,
        None => return vec![Cow::Borrowed(start)],
    };
    for step in middle {
        let mut next = Vec::new();
        for node in &current {
            apply(step, node, doc, &mut next);
        }
        current = next;
    }
    if let Step::Names(names) = last {
        return current
            .iter()
            .filter_map(|n| merge(n, names))
            .map(Cow::Owned)
            .collect();
    }
    let mut out = Vec::new();
    for node in current {
        apply(last, node, doc, &mut out);
    }
    out.into_iter().map(Cow::Borrowed).collect()
}

/// Pushes the nodes `step` selects from `node` onto `out`.
fn apply<'v>(step: &Step, node: &'v Value, doc: &'v Value, out: &mut Vec<&'v Value>) {
    match (step, node) {
        (Step::Name(_) | Step::Index(_), _) => out.extend(definite_child(node, step)),
        (Step::Names(names), Value::Object(map)) => {
            out.extend(names.iter().filter_map(|n| map.get(n)))
        }
        (Step::Indexes(indexes), Value::Array(items)) => out.extend(
            indexes
                .iter()
                .filter_map(|&i| resolve_index(i, items.len()).map(|i| &items[i])),
        ),
        (Step::Wildcard, _) => out.extend(children(node)),
        (Step::Slice { start, end, step }, Value::Array(items)) => {
            out.extend(slice_indices(items.len(), *start, *end, *step).map(|i| &items[i]))
        }
        (Step::Filter(filter), Value::Array(items)) => {
            out.extend(items.iter().filter(|item| filter.matches(item, doc)))
        }
        (Step::Filter(filter), Value::Object(_)) if filter.matches(node, doc) => out.push(node),
        (Step::Descendant(inner), _) => descend(inner, node, doc, out),
        _ => {}
    }
}

/// `..inner`: applies `inner` to `node` and every descendant, depth-first
/// in document order, with an explicit stack. Filters test each visited
/// object once (not also as an array element).
fn descend<'v>(inner: &Step, node: &'v Value, doc: &'v Value, out: &mut Vec<&'v Value>) {
    let mut stack = vec![node];
    while let Some(visit) = stack.pop() {
        match inner {
            Step::Filter(filter) => visit_filter(filter, visit, doc, out),
            _ => apply(inner, visit, doc, out),
        }
        let start = stack.len();
        stack.extend(children(visit).filter(|c| c.is_object() || c.is_array()));
        stack[start..].reverse();
    }
}

fn visit_filter<'v>(filter: &Filter, node: &'v Value, doc: &'v Value, out: &mut Vec<&'v Value>) {
    if node.is_object() && filter.matches(node, doc) {
        out.push(node);
    }
}

/// Member values of an object or elements of an array (no allocation).
fn children(node: &Value) -> impl Iterator<Item = &Value> {
    let (members, elements) = match node {
        Value::Object(map) => (Some(map.values()), None),
        Value::Array(items) => (None, Some(items.iter())),
        _ => (None, None),
    };
    members
        .into_iter()
        .flatten()
        .chain(elements.into_iter().flatten())
}

/// Jayway's merged object for a final `['a','b']`: the present names, in
/// the order written. `None` for non-objects.
fn merge(node: &Value, names: &[String]) -> Option<Value> {
    let map = node.as_object()?;
    let merged: Map<String, Value> = names
        .iter()
        .filter_map(|name| Some((name.clone(), map.get(name)?.clone())))
        .collect();
    Some(Value::Object(merged))
}

/// Indices of `[start:end:step]` over `len` items, Python-style (negative
/// bounds count from the end, out-of-range bounds are clamped).
pub(super) fn slice_indices(
    len: usize,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
) -> impl Iterator<Item = usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let bound = |value: i64, low: i64, high: i64| {
        let value = if value < 0 {
            value.saturating_add(len)
        } else {
            value
        };
        value.clamp(low, high)
    };
    let (first, stop) = if step > 0 {
        (
            bound(start.unwrap_or(0), 0, len),
            bound(end.unwrap_or(len), 0, len),
        )
    } else {
        (
            start.map_or(len - 1, |s| bound(s, -1, len - 1)),
            end.map_or(-1, |e| bound(e, -1, len - 1)),
        )
    };
    let mut i = first;
    std::iter::from_fn(move || {
        let inside = if step > 0 { i < stop } else { i > stop };
        if !inside || step == 0 {
            return None;
        }
        let current = i;
        i = i.saturating_add(step);
        Some(current as usize)
    })
}
