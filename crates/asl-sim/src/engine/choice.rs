//! Choice rules (JSONPath): comparison operators of ASL-REFERENCE §7,
//! `And`/`Or`/`Not`. A type mismatch is `false`; a missing `Variable` is a
//! `States.Runtime` failure (only `IsPresent` may probe a missing field).

use super::data::{select_src_with, Compiled, EvalFailure, Miss, Scopes};
use asl_core::model::{Comparison, Condition, Operand};
use asl_core::timestamp::parse_runtime_timestamp;
use serde_json::Value;
use std::cmp::Ordering;

/// What a rule can read.
pub(crate) struct ChoiceEnv<'e> {
    pub compiled: &'e Compiled,
    pub input: &'e Value,
    pub context: &'e Value,
    pub vars: &'e Scopes,
}

impl ChoiceEnv<'_> {
    fn select(&self, src: &str) -> Result<Value, Miss> {
        select_src_with(self.compiled, self.input, self.context, self.vars, src)
    }

    /// Evaluates a condition.
    pub(crate) fn eval(&self, c: &Condition) -> Result<bool, EvalFailure> {
        match c {
            Condition::And(v) => {
                for x in v {
                    if !self.eval(x)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Condition::Or(v) => {
                for x in v {
                    if self.eval(x)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Condition::Not(x) => Ok(!self.eval(x)?),
            Condition::Compare {
                variable,
                operator,
                operand,
            } => {
                let value = self.select(&variable.value);
                if *operator == Comparison::IsPresent {
                    let present = value.is_ok();
                    return Ok(
                        matches!(operand, Operand::Literal(Value::Bool(b)) if *b == present),
                    );
                }
                let value = value
                    .map_err(|m| EvalFailure::runtime(m.invalid_path_cause(&variable.value)))?;
                let operand = match operand {
                    Operand::Literal(v) => v.clone(),
                    Operand::Path(p) => self
                        .select(&p.value)
                        .map_err(|m| EvalFailure::runtime(m.invalid_path_cause(&p.value)))?,
                };
                Ok(compare(*operator, &value, &operand))
            }
            Condition::Jsonata(_) | Condition::Invalid => Ok(false),
        }
    }
}

fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn ordered(o: Option<Ordering>, op: Comparison) -> bool {
    use Comparison as C;
    let Some(o) = o else { return false };
    match op {
        C::StringEquals | C::NumericEquals | C::TimestampEquals => o == Ordering::Equal,
        C::StringLessThan | C::NumericLessThan | C::TimestampLessThan => o == Ordering::Less,
        C::StringGreaterThan | C::NumericGreaterThan | C::TimestampGreaterThan => {
            o == Ordering::Greater
        }
        C::StringLessThanEquals | C::NumericLessThanEquals | C::TimestampLessThanEquals => {
            o != Ordering::Greater
        }
        C::StringGreaterThanEquals
        | C::NumericGreaterThanEquals
        | C::TimestampGreaterThanEquals => o != Ordering::Less,
        _ => false,
    }
}

/// One comparison; `false` on any type mismatch.
pub(crate) fn compare(op: Comparison, v: &Value, operand: &Value) -> bool {
    use Comparison as C;
    let want = operand.as_bool();
    match op {
        C::StringEquals
        | C::StringLessThan
        | C::StringGreaterThan
        | C::StringLessThanEquals
        | C::StringGreaterThanEquals => match (v, operand) {
            (Value::String(a), Value::String(b)) => ordered(Some(utf16_cmp(a, b)), op),
            _ => false,
        },
        C::StringMatches => match (v, operand) {
            (Value::String(a), Value::String(p)) => string_matches(a, p),
            _ => false,
        },
        C::NumericEquals
        | C::NumericLessThan
        | C::NumericGreaterThan
        | C::NumericLessThanEquals
        | C::NumericGreaterThanEquals => match (v.as_f64(), operand.as_f64()) {
            (Some(a), Some(b)) if v.is_number() && operand.is_number() => {
                ordered(a.partial_cmp(&b), op)
            }
            _ => false,
        },
        C::BooleanEquals => matches!((v, operand), (Value::Bool(a), Value::Bool(b)) if a == b),
        C::TimestampEquals
        | C::TimestampLessThan
        | C::TimestampGreaterThan
        | C::TimestampLessThanEquals
        | C::TimestampGreaterThanEquals => match (v, operand) {
            (Value::String(a), Value::String(b)) => {
                match (parse_runtime_timestamp(a), parse_runtime_timestamp(b)) {
                    (Ok(x), Ok(y)) => ordered(Some(x.cmp(&y)), op),
                    _ => false,
                }
            }
            _ => false,
        },
        C::IsNull => want == Some(v.is_null()),
        C::IsPresent => want == Some(true),
        C::IsNumeric => want == Some(v.is_number()),
        C::IsString => want == Some(v.is_string()),
        C::IsBoolean => want == Some(v.is_boolean()),
        C::IsTimestamp => {
            let is = matches!(v, Value::String(s) if parse_runtime_timestamp(s).is_ok());
            want == Some(is)
        }
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal
/// `*` and `\\` a literal `\`; nothing else is special.
pub(crate) fn string_matches(s: &str, pattern: &str) -> bool {
    // Tokens: Some(c) literal, None wildcard.
    let mut toks: Vec<Option<char>> = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n) => toks.push(Some(n)),
                None => toks.push(Some('\\')),
            },
            '*' => toks.push(None),
            c => toks.push(Some(c)),
        }
    }
    let chars: Vec<char> = s.chars().collect();
    // Iterative glob matching with backtracking to the last star.
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < chars.len() {
        if j < toks.len() && toks[j] == Some(chars[i]) {
            i += 1;
            j += 1;
        } else if j < toks.len() && toks[j].is_none() {
            star = Some((j, i));
            j += 1;
        } else if let Some((sj, si)) = star {
            j = sj + 1;
            i = si + 1;
            star = Some((sj, si + 1));
        } else {
            return false;
        }
    }
    while j < toks.len() && toks[j].is_none() {
        j += 1;
    }
    j == toks.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches() {
        assert!(string_matches("log-2024.txt", "log-*.txt"));
        assert!(string_matches("a*b", "a\\*b"));
        assert!(!string_matches("axb", "a\\*b"));
        assert!(string_matches("a\\b", "a\\\\b"));
        assert!(string_matches("", "*"));
        assert!(!string_matches("abc", "ab"));
    }

    #[test]
    fn mismatches_are_false() {
        assert!(!compare(Comparison::NumericEquals, &json!("1"), &json!(1)));
        assert!(compare(Comparison::NumericEquals, &json!(1.0), &json!(1)));
        assert!(compare(
            Comparison::TimestampLessThan,
            &json!("2016-03-14T01:59:00Z"),
            &json!("2016-03-14T02:00:00Z")
        ));
    }
}
