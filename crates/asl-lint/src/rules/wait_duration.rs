use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{child, is_jsonata, is_rfc3339};
use asl_core::model::{QueryLanguage, StateType};

declare_rule! {
    /// A Wait state without exactly one well-formed duration.
    ///
    /// A Wait state waits for exactly one of `Seconds` (a non-negative
    /// integer), `Timestamp` (an RFC 3339 date-time), `SecondsPath` or
    /// `TimestampPath` (JSONPath only). In a JSONata state `Seconds` and
    /// `Timestamp` may also be `{% … %}` expressions; in a JSONPath state a
    /// `{% … %}` string is just text, and AWS rejects it like any other
    /// malformed timestamp.
    ///
    /// A literal `Timestamp` is checked when the definition is created:
    /// upper-case `T` between date and time, `Z` or a numeric offset, a real
    /// date and time. Fractions up to nanoseconds are accepted. AWS reports
    /// `SCHEMA_VALIDATION_FAILED` "String does not match RFC3339 timestamp".
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "W", "States": {
    ///   "W": {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29", "End": true}}}
    /// ```
    /// Use RFC 3339:
    /// ```json
    /// {"StartAt": "W", "States": {
    ///   "W": {"Type": "Wait", "Timestamp": "2016-12-05T21:29:29Z", "End": true}}}
    /// ```
    pub WaitDuration {
        code: "ASL-S013",
        slug: "wait-duration",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

const DURATION_FIELDS: [&str; 4] = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

impl Rule for WaitDuration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Wait) {
                continue;
            }
            let pointer = &s.state.pointer;
            let jsonata = s.state.query_language == QueryLanguage::Jsonata;
            let present: Vec<_> = DURATION_FIELDS
                .iter()
                .filter_map(|k| s.node.get(k))
                .collect();
            match present.as_slice() {
                [] => {
                    out.report(
                        &Self::META,
                        s.state.name_span,
                        pointer.as_str(),
                        "A Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath: add one",
                    );
                }
                [_] => {}
                [first, rest @ ..] => {
                    for extra in rest {
                        out.report(
                            &Self::META,
                            extra.key_span,
                            child(pointer, &extra.key),
                            format!(
                                "A Wait state takes exactly one of Seconds, Timestamp, SecondsPath, TimestampPath, but it also has `{}`: keep one",
                                first.key
                            ),
                        );
                    }
                }
            }
            for member in present {
                let value = &member.value;
                let at = child(pointer, &member.key);
                let problem = match member.key.as_str() {
                    // Types of Seconds and the *Path fields are invalid-field-value's.
                    "Timestamp" => match value.as_str() {
                        Some(s) if jsonata && is_jsonata(s) => None,
                        Some(s) if is_rfc3339(s) => None,
                        Some(s) => Some(if is_jsonata(s) {
                            "String does not match RFC3339 timestamp: this is a JSONPath state, where `{% … %}` is not evaluated; use `TimestampPath`, or set \"QueryLanguage\": \"JSONata\"".to_string()
                        } else {
                            "String does not match RFC3339 timestamp: write e.g. `2016-03-14T01:59:00Z` (upper-case `T`, and `Z` or an offset such as `+01:00`)".to_string()
                        }),
                        None => None,
                    },
                    _ => None,
                };
                if let Some(message) = problem {
                    out.report(&Self::META, value.span, at, message);
                }
            }
        }
    }
}
