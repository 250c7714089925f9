use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{dollar_values, span_in_string};
use asl_core::intrinsic::{looks_like_call, MAX_NESTING};
use asl_core::span::Span;

declare_rule! {
    /// An intrinsic function call nests more than 10 calls in one field.
    ///
    /// AWS allows up to 10 nested intrinsic function calls in the value of
    /// one field (the outermost call counts as the first). Deeper nesting
    /// makes the definition invalid. Split the computation over several
    /// states, or several fields (`Assign` a variable, use it in the next
    /// state).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {
    ///   "x.$": "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(1)))))))))))"},
    ///   "End": true}}}
    /// ```
    /// At most 10 levels:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {
    ///   "x.$": "States.Array(States.Array(1))"}, "End": true}}}
    /// ```
    pub IntrinsicNesting {
        code: "ASL-I002",
        slug: "intrinsic-nesting",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for IntrinsicNesting {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for v in dollar_values(s) {
                if !looks_like_call(v.value) {
                    continue;
                }
                if let Some((depth, at)) = too_deep(v.value) {
                    out.report(
                        &Self::META,
                        span_in_string(v.node, at),
                        &v.pointer,
                        format!(
                            "The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call (intrinsic functions nest at most {MAX_NESTING} deep in one field; this one nests {depth})",
                            v.key
                        ),
                    );
                }
            }
        }
    }
}

/// When `src` nests more than [`MAX_NESTING`] calls: the deepest nesting and
/// the span of the first call beyond the limit.
///
/// Counts `States.<Name>(` openings not yet closed, skipping single-quoted
/// literals (with their backslash escapes), so parentheses inside paths
/// (`$.a[?(@.b)]`) and strings do not count.
pub(crate) fn too_deep(src: &str) -> Option<(usize, Span)> {
    let bytes = src.as_bytes();
    // One entry per open parenthesis: whether it opened a call.
    let mut stack: Vec<bool> = Vec::new();
    let (mut depth, mut max, mut first_beyond) = (0usize, 0usize, None);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' => {
                let is_call = call_start(src, i);
                if let Some(start) = is_call {
                    depth += 1;
                    if depth > MAX_NESTING && first_beyond.is_none() {
                        first_beyond = Some(Span::new(start, i));
                    }
                    max = max.max(depth);
                }
                stack.push(is_call.is_some());
            }
            b')' if stack.pop() == Some(true) => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    first_beyond.map(|span| (max, span))
}

/// If the `(` at `paren` follows `States.<Name>`, where that name starts.
fn call_start(src: &str, paren: usize) -> Option<usize> {
    let before = &src[..paren];
    let name_len = before
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let start = paren - name_len;
    (name_len > 0 && before[..start].ends_with("States.")).then(|| start - "States.".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nest(n: usize) -> String {
        format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n))
    }

    #[test]
    fn counts_calls_not_parentheses() {
        assert_eq!(too_deep(&nest(MAX_NESTING)), None);
        let (depth, span) = too_deep(&nest(MAX_NESTING + 1)).unwrap();
        assert_eq!(depth, MAX_NESTING + 1);
        assert_eq!(span.start as usize, "States.Array(".len() * MAX_NESTING);
        // Parentheses in literals and paths do not count.
        let quoted = format!("States.Format('{}', $.a[?(@.b)])", "(".repeat(20));
        assert_eq!(too_deep(&quoted), None);
        let escaped = format!("States.Format('\\'{}', 1)", "States.Array(".repeat(20));
        assert_eq!(too_deep(&escaped), None);
    }
}
