//! Filter expressions `[?(…)]`: their syntax tree and evaluation.

use std::cmp::Ordering;

use serde_json::Value;

use super::Step;

/// A filter condition, tested against each candidate node (`@`).
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `a || b`.
    Or(Box<Filter>, Box<Filter>),
    /// `a && b`.
    And(Box<Filter>, Box<Filter>),
    /// `!a`.
    Not(Box<Filter>),
    /// `@.x` alone: the path selects something (a present `null` counts).
    Exists(FilterPath),
    /// `left op right`.
    Compare {
        /// Left operand.
        left: Operand,
        /// The comparison.
        op: CompareOp,
        /// Right operand.
        right: Operand,
    },
}

/// A comparison operator inside a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `@…` or `$…`.
    Path(FilterPath),
    /// A string, number, `true`, `false` or `null`.
    Literal(Value),
}

/// A definite path inside a filter: `@` (the candidate) or `$` (the document
/// root) followed by name/index steps only.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterPath {
    /// `true` for `@`, `false` for `$`.
    pub relative: bool,
    /// Only [`Step::Name`] and [`Step::Index`].
    pub steps: Vec<Step>,
}

impl FilterPath {
    /// The node this path selects, if any.
    pub fn resolve<'v>(&self, current: &'v Value, root: &'v Value) -> Option<&'v Value> {
        let start = if self.relative { current } else { root };
        self.steps
            .iter()
            .try_fold(start, |node, step| definite_child(node, step))
    }
}

/// Applies a name or index step to one node; `None` for a miss (and for
/// step kinds that are not definite).
pub(super) fn definite_child<'v>(node: &'v Value, step: &Step) -> Option<&'v Value> {
    match step {
        Step::Name(name) => node.as_object()?.get(name),
        Step::Index(index) => {
            let array = node.as_array()?;
            array.get(resolve_index(*index, array.len())?)
        }
        _ => None,
    }
}

/// A possibly negative index into an array of `len`, if in range.
pub(super) fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let resolved = if index < 0 {
        (len as i64).checked_add(index)?
    } else {
        index
    };
    usize::try_from(resolved).ok().filter(|&i| i < len)
}

impl Filter {
    /// Whether `current` passes the filter; `$` paths resolve against `root`.
    pub fn matches(&self, current: &Value, root: &Value) -> bool {
        match self {
            Filter::Or(a, b) => a.matches(current, root) || b.matches(current, root),
            Filter::And(a, b) => a.matches(current, root) && b.matches(current, root),
            Filter::Not(inner) => !inner.matches(current, root),
            Filter::Exists(path) => path.resolve(current, root).is_some(),
            Filter::Compare { left, op, right } => {
                let l = operand_value(left, current, root);
                let r = operand_value(right, current, root);
                compare(l, *op, r)
            }
        }
    }
}

fn operand_value<'v>(
    operand: &'v Operand,
    current: &'v Value,
    root: &'v Value,
) -> Option<&'v Value> {
    match operand {
        Operand::Path(path) => path.resolve(current, root),
        Operand::Literal(value) => Some(value),
    }
}

/// Jayway-style comparison: `==` is type-strict structural equality (numbers
/// by value), `!=` its negation; ordering works on two numbers or two
/// strings, otherwise it is false. A missing operand equals nothing.
fn compare(left: Option<&Value>, op: CompareOp, right: Option<&Value>) -> bool {
    let equal = || matches!((left, right), (Some(a), Some(b)) if json_equal(a, b));
    match op {
        CompareOp::Eq => equal(),
        CompareOp::Ne => !equal(),
        _ => {
            let Some(ordering) = left.zip(right).and_then(|(a, b)| order(a, b)) else {
                return false;
            };
            match op {
                CompareOp::Lt => ordering == Ordering::Less,
                CompareOp::Le => ordering != Ordering::Greater,
                CompareOp::Gt => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            }
        }
    }
}

/// Order of two numbers, or two strings (UTF-16 code units, like Java's
/// `String.compareTo`).
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y),
        (Value::String(x), Value::String(y)) => Some(x.encode_utf16().cmp(y.encode_utf16())),
        _ => None,
    }
}

fn compare_numbers(x: &serde_json::Number, y: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        return Some(a.cmp(&b));
    }
    x.as_f64()?.partial_cmp(&y.as_f64()?)
}

/// Structural equality with numbers compared by value (`1 == 1.0`). Uses an
/// explicit stack so deeply nested documents cannot overflow the call stack.
pub(super) fn json_equal(a: &Value, b: &Value) -> bool {
    let mut pending = vec![(a, b)];
    while let Some((x, y)) = pending.pop() {
        let same = match (x, y) {
            (Value::Number(m), Value::Number(n)) => compare_numbers(m, n) == Some(Ordering::Equal),
            (Value::Array(m), Value::Array(n)) => {
                pending.extend(m.iter().zip(n));
                m.len() == n.len()
            }
            (Value::Object(m), Value::Object(n)) => {
                m.len() == n.len()
                    && m.iter().all(|(key, value)| match n.get(key) {
                        Some(other) => {
                            pending.push((value, other));
                            true
                        }
                        None => false,
                    })
            }
            _ => x == y,
        };
        if !same {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(name: &str) -> Operand {
        Operand::Path(FilterPath {
            relative: true,
            steps: vec![Step::Name(name.into())],
        })
    }

    fn cmp(left: Operand, op: CompareOp, right: Value) -> Filter {
        Filter::Compare {
            left,
            op,
            right: Operand::Literal(right),
        }
    }

    #[test]
    fn numbers_compare_by_value_across_representations() {
        let doc = json!({"n": 1.0});
        assert!(cmp(at("n"), CompareOp::Eq, json!(1)).matches(&doc, &doc));
        assert!(cmp(at("n"), CompareOp::Lt, json!(1.5)).matches(&doc, &doc));
        assert!(cmp(at("n"), CompareOp::Ge, json!(1)).matches(&doc, &doc));
        assert!(!cmp(at("n"), CompareOp::Gt, json!(1)).matches(&doc, &doc));
    }

    #[test]
    fn no_coercion_between_types() {
        let doc = json!({"n": 1, "s": "1"});
        assert!(!cmp(at("n"), CompareOp::Eq, json!("1")).matches(&doc, &doc));
        assert!(!cmp(at("s"), CompareOp::Lt, json!(2)).matches(&doc, &doc));
        assert!(!cmp(at("s"), CompareOp::Ge, json!(2)).matches(&doc, &doc));
        assert!(cmp(at("n"), CompareOp::Ne, json!("1")).matches(&doc, &doc));
    }

    #[test]
    fn missing_operand_is_unequal_and_unordered() {
        let doc = json!({});
        assert!(!cmp(at("x"), CompareOp::Eq, json!(null)).matches(&doc, &doc));
        assert!(cmp(at("x"), CompareOp::Ne, json!(1)).matches(&doc, &doc));
        assert!(!cmp(at("x"), CompareOp::Le, json!(1)).matches(&doc, &doc));
    }

    #[test]
    fn strings_order_by_utf16_code_units() {
        // U+FF21 (BMP) sorts after U+1F600 (surrogate pair 0xD83D…) in UTF-16,
        // the opposite of the code-point order.
        let doc = json!({"s": "\u{FF21}"});
        assert!(cmp(at("s"), CompareOp::Gt, json!("\u{1F600}")).matches(&doc, &doc));
        assert!(cmp(at("s"), CompareOp::Lt, json!("\u{FF22}")).matches(&doc, &doc));
    }

    #[test]
    fn exists_counts_present_null() {
        let doc = json!({"x": null});
        let exists = |name: &str| {
            Filter::Exists(FilterPath {
                relative: true,
                steps: vec![Step::Name(name.into())],
            })
        };
        assert!(exists("x").matches(&doc, &doc));
        assert!(!exists("y").matches(&doc, &doc));
        assert!(Filter::Not(Box::new(exists("y"))).matches(&doc, &doc));
    }

    #[test]
    fn structural_equality_of_containers() {
        assert!(json_equal(
            &json!({"a": [1, {"b": 2.0}]}),
            &json!({"a": [1.0, {"b": 2}]})
        ));
        assert!(!json_equal(&json!({"a": [1]}), &json!({"a": [1, 2]})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"b": 1})));
    }

    #[test]
    fn root_paths_resolve_against_the_document() {
        let root = json!({"max": 10});
        let current = json!({"price": 5});
        let filter = Filter::Compare {
            left: at("price"),
            op: CompareOp::Lt,
            right: Operand::Path(FilterPath {
                relative: false,
                steps: vec![Step::Name("max".into())],
            }),
        };
        assert!(filter.matches(&current, &root));
    }

    #[test]
    fn negative_and_out_of_range_indexes() {
        assert_eq!(resolve_index(-1, 3), Some(2));
        assert_eq!(resolve_index(-4, 3), None);
        assert_eq!(resolve_index(3, 3), None);
        assert_eq!(resolve_index(i64::MIN, 3), None);
    }
}
