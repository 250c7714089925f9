//! Assignment for `ResultPath`.

use serde_json::{Map, Value};

use super::error::{SetError, SetErrorKind};
use super::filter::resolve_index;
use super::render::bracket_path;
use super::{Path, Root, Step};

impl Path {
    /// Stores `value` at this reference path inside `target`, as
    /// `ResultPath` does: `$` replaces the whole target, missing
    /// intermediate fields are created as empty objects, existing fields are
    /// replaced in place (key order kept), new ones appended.
    ///
    /// Fails, leaving `target` unchanged, when the path is not an
    /// input-rooted reference path, a name step meets an existing
    /// non-object (including `null`), or an index step meets a non-array or
    /// is out of range; the caller then raises
    /// [`RESULT_PATH_MATCH_FAILURE`](super::RESULT_PATH_MATCH_FAILURE).
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), SetError> {
        self.check_settable()?;
        if self.steps.is_empty() {
            *target = value;
            return Ok(());
        }
        // Check first, so that a failure leaves `target` untouched (the
        // mutating pass below may create fields before reaching the end).
        self.check_reachable(target)?;
        let last = self.steps.len() - 1;
        let mut node = target;
        for i in 0..last {
            node = self.child_mut(node, i)?;
        }
        match (&self.steps[last], node) {
            (Step::Name(name), Value::Object(map)) => {
                map.insert(name.clone(), value);
            }
            (_, node) => *self.child_mut(node, last)? = value,
        }
        Ok(())
    }

    fn check_settable(&self) -> Result<(), SetError> {
        let kind = if self.root != Root::Input {
            SetErrorKind::NotInputRooted
        } else if !self.is_reference_path() {
            SetErrorKind::NotAReferencePath
        } else {
            return Ok(());
        };
        Err(SetError {
            kind,
            at: self.to_bracket_string(),
        })
    }

    /// Walks the path without modifying anything and reports the first step
    /// that cannot be applied.
    fn check_reachable(&self, target: &Value) -> Result<(), SetError> {
        let mut node = target;
        for (i, step) in self.steps.iter().enumerate() {
            let kind = match (step, node) {
                (Step::Name(name), Value::Object(map)) => match map.get(name) {
                    Some(child) => {
                        node = child;
                        continue;
                    }
                    // The rest of the path will be created from scratch;
                    // only a later index step can still fail.
                    None => return self.check_created(i + 1),
                },
                (Step::Index(index), Value::Array(items)) => {
                    match resolve_index(*index, items.len()) {
                        Some(at) => {
                            node = &items[at];
                            continue;
                        }
                        None => SetErrorKind::IndexOutOfRange,
                    }
                }
                (Step::Name(_), _) => SetErrorKind::NotAnObject,
                _ => SetErrorKind::NotAnArray,
            };
            return Err(self.error(kind, i));
        }
        Ok(())
    }

    /// Steps from `from` on will run inside freshly created `{}` objects:
    /// names are fine, an index is not.
    fn check_created(&self, from: usize) -> Result<(), SetError> {
        match self.steps[from..]
            .iter()
            .position(|s| !matches!(s, Step::Name(_)))
        {
            Some(offset) => Err(self.error(SetErrorKind::NotAnArray, from + offset)),
            None => Ok(()),
        }
    }

    /// The child of `node` for step `i`, creating a missing field as `{}`.
    /// [`Path::check_reachable`] has ruled out the error cases; they are
    /// still reported rather than panicked on.
    fn child_mut<'v>(&self, node: &'v mut Value, i: usize) -> Result<&'v mut Value, SetError> {
        match &self.steps[i] {
            Step::Name(name) => match node {
                Value::Object(map) => Ok(map
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new()))),
                _ => Err(self.error(SetErrorKind::NotAnObject, i)),
            },
            Step::Index(index) => match node {
                Value::Array(items) => {
                    let len = items.len();
                    resolve_index(*index, len)
                        .and_then(|at| items.get_mut(at))
                        .ok_or_else(|| self.error(SetErrorKind::IndexOutOfRange, i))
                }
                _ => Err(self.error(SetErrorKind::NotAnArray, i)),
            },
            _ => Err(self.error(SetErrorKind::NotAReferencePath, i)),
        }
    }

    fn error(&self, kind: SetErrorKind, i: usize) -> SetError {
        SetError {
            kind,
            at: bracket_path(&self.root, &self.steps[..=i]),
        }
    }
}
