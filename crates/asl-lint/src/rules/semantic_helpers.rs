//! Helpers shared by the semantic rules (Choice rules, Retry/Catch entries,
//! Map configuration objects, Wait/Fail fields, names): reading the `Node`
//! tree with JSON pointers, integer and enum checks in AWS's wording,
//! unknown keys with "did you mean", RFC 3339 timestamps, name characters
//! and the predefined error names.

use crate::rule::{Findings, RuleMeta};
use crate::suggest::closest;
use asl_core::json::{escape_pointer_token, Member, Node};

/// `pointer` extended by one token (escaped per RFC 6901).
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}

/// `pointer` extended by an array index.
pub fn index(pointer: &str, i: usize) -> String {
    format!("{pointer}/{i}")
}

/// Whether `s` is a JSONata template: `{%` at the very start, `%}` at the end.
pub fn is_jsonata(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// Whether a string node holds a JSONata template.
pub fn is_jsonata_node(node: &Node) -> bool {
    node.as_str().is_some_and(is_jsonata)
}

/// Whether `s` looks like a JSONPath path or variable reference: `$…`.
/// (Full path syntax is checked by the path rules.)
pub fn looks_like_path(s: &str) -> bool {
    s.starts_with('$')
}

/// The value of an integer number node; `None` for fractions and non-numbers.
pub fn integer(node: &Node) -> Option<i128> {
    let n = node.as_number()?;
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

/// The JSON type of a node with its article: "an object", "a string".
pub fn a_type(node: &Node) -> String {
    let name = node.type_name();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// AWS's wording for a missing field: "These fields are required: [A, B]".
pub fn required_message(fields: &[&str]) -> String {
    format!("These fields are required: [{}]", fields.join(", "))
}

/// AWS's wording for a bad enum value.
pub fn enum_message(key: &str, values: &[&str]) -> String {
    format!(
        "The field '{key}' should have one of these values: [{}]",
        values.join(", ")
    )
}

/// A short rendering of a value for messages (strings quoted, long ones cut).
pub fn show(node: &Node) -> String {
    let text = serde_json::to_string(&node.to_value()).unwrap_or_default();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(37).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Checks that `node` is an integer in `min..=max` (`max: None` = no upper
/// bound). Returns the problem, in words, if it is not.
pub fn check_integer(key: &str, node: &Node, min: i128, max: Option<i128>) -> Option<String> {
    let Some(value) = integer(node) else {
        return Some(match node.as_number() {
            Some(_) => format!("The field '{key}' must be an integer, not {}", show(node)),
            None => format!("The field '{key}' must be an integer, not {}", a_type(node)),
        });
    };
    let too_big = max.is_some_and(|m| value > m);
    if value < min || too_big {
        return Some(match max {
            Some(max) => format!("The field '{key}' must be between {min} and {max}, not {value}"),
            None => format!("The field '{key}' must be at least {min}, not {value}"),
        });
    }
    None
}

/// Checks a string enum field; returns the problem in AWS's wording.
pub fn check_enum(key: &str, node: &Node, values: &[&str]) -> Option<String> {
    match node.as_str() {
        Some(s) if values.contains(&s) => None,
        Some(s) => {
            let mut message = enum_message(key, values);
            let upper = s.to_ascii_uppercase();
            if let Some(hint) = values
                .iter()
                .find(|v| **v == upper)
                .copied()
                .or_else(|| closest(s, values.iter().copied()))
            {
                message.push_str(&format!("; did you mean `{hint}`?"));
            }
            Some(message)
        }
        None => Some(format!(
            "{} (found {})",
            enum_message(key, values),
            a_type(node)
        )),
    }
}

/// Reports every member of `object` whose key is not in `known`, with the
/// closest known key as a suggestion. `what` names the object in the message
/// ("a Retrier"). Returns how many were reported.
pub fn report_unknown_keys(
    meta: &'static RuleMeta,
    out: &mut Findings,
    object: &Node,
    pointer: &str,
    known: &[&str],
    what: &str,
) -> usize {
    let mut count = 0;
    for member in object.as_object().unwrap_or_default() {
        if known.contains(&member.key.as_str()) {
            continue;
        }
        count += 1;
        report_unknown_key(meta, out, member, pointer, known, what);
    }
    count
}

/// Reports one unknown member (see [`report_unknown_keys`]).
pub fn report_unknown_key(
    meta: &'static RuleMeta,
    out: &mut Findings,
    member: &Member,
    pointer: &str,
    known: &[&str],
    what: &str,
) {
    let mut message = format!("Field '{}' is not supported in {what}", member.key);
    match closest(&member.key, known.iter().copied()) {
        Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
        None if known.len() <= 8 => {
            message.push_str(&format!("; the fields of {what} are: {}", known.join(", ")))
        }
        None => message.push_str("; remove it or check its spelling"),
    }
    out.report(meta, member.key_span, child(pointer, &member.key), message);
}

/// Whether `s` is an RFC 3339 date-time as Step Functions reads it:
/// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, upper-case `T` and `Z`, a
/// real calendar date, a fraction of 1 to 9 digits (nanoseconds accepted).
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let digits = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0, 4),
        digits(5, 2),
        digits(8, 2),
        digits(11, 2),
        digits(14, 2),
        digits(17, 2),
    ) else {
        return false;
    };
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut at = 19;
    if sep(at, b'.') {
        let n = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 || n > 9 {
            return false;
        }
        at += 1 + n;
    }
    match b.get(at) {
        Some(b'Z') => at + 1 == b.len(),
        Some(b'+' | b'-') => {
            at + 6 == b.len()
                && sep(at + 3, b':')
                && digits(at + 1, 2).is_some_and(|h| h <= 23)
                && digits(at + 4, 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// Characters that names and Map labels must not contain: control
/// characters U+0000–U+001F and U+007F–U+009F.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The characters AWS forbids in state machine, execution, activity and Map
/// Run label names (§2.1), besides control characters.
pub const FORBIDDEN_NAME_CHARS: &[char] = &[
    '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',',
    ';', ':', '/',
];

/// The first character of `name` that a Map label may not contain.
pub fn forbidden_label_char(name: &str) -> Option<char> {
    name.chars()
        .find(|c| c.is_whitespace() || is_control(*c) || FORBIDDEN_NAME_CHARS.contains(c))
}

/// How a character is shown in a message: printable ones quoted, the others
/// as `U+XXXX`.
pub fn describe_char(c: char) -> String {
    if is_control(c) || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

/// The error names Step Functions defines (§8.1); `States.ALL` is the wildcard.
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.QueryEvaluationError",
    "States.Runtime",
    "States.DataLimitExceeded",
    "States.Http.Socket",
];

/// The `Retry` or `Catch` array of a state node, with the field's name.
pub fn handler_lists(state: &Node) -> impl Iterator<Item = (&'static str, &[Node])> {
    ["Retry", "Catch"]
        .into_iter()
        .filter_map(|key| Some((key, state.field(key)?.as_array()?)))
}

/// The string entries of an entry's `ErrorEquals`, with their nodes.
pub fn error_names(entry: &Node) -> Vec<(&str, &Node)> {
    entry
        .field("ErrorEquals")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| Some((n.as_str()?, n)))
        .collect()
}

/// Checks an entry's `ErrorEquals`: required, an array of strings, and
/// non-empty unless `allow_empty` (an empty list is then left to another
/// rule). `what` is "Retrier" or "Catcher".
pub fn check_error_equals(
    meta: &'static RuleMeta,
    out: &mut Findings,
    entry: &Node,
    pointer: &str,
    what: &str,
    allow_empty: bool,
) {
    let at = child(pointer, "ErrorEquals");
    match entry.field("ErrorEquals") {
        None => {
            out.report(
                meta,
                entry.span,
                pointer,
                format!(
                    "{}: a {what} lists the error names it handles, e.g. [\"States.ALL\"]",
                    required_message(&["ErrorEquals"])
                ),
            );
        }
        Some(list) => match list.as_array() {
            Some([]) if allow_empty => {}
            Some([]) => {
                out.report(
                    meta,
                    list.span,
                    at,
                    format!("Value cannot be empty: a {what} needs at least one error name in ErrorEquals"),
                );
            }
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.as_str().is_none() {
                        out.report(
                            meta,
                            item.span,
                            index(&at, i),
                            format!("Error names are strings, not {}", a_type(item)),
                        );
                    }
                }
            }
            None => {
                out.report(
                    meta,
                    list.span,
                    at,
                    format!(
                        "The field 'ErrorEquals' must be an array of error names, not {}",
                        a_type(list)
                    ),
                );
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        for ok in [
            "2016-03-14T01:59:00Z",
            "2016-03-05T21:29:29.243167252Z",
            "2016-02-29T00:00:00+01:00",
            "2016-03-14T01:59:00.5-08:30",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2016-03-14T01:59:00",
            "2016-03-14 01:59:00Z",
            "2016-03-14t01:59:00Z",
            "2016-03-14T01:59:00z",
            "2016-13-14T01:59:00Z",
            "2015-02-29T01:59:00Z",
            "2016-03-14T25:59:00Z",
            "14-03-2016T01:59:00Z",
            "2016-03-14T01:59:00.Z",
            "2016-03-14T01:59:00.1234567890Z",
            "2016-03-14T01:59:00+0100",
            "{% $now() %}",
            "",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn label_chars() {
        assert_eq!(forbidden_label_char("TestMap"), None);
        assert_eq!(forbidden_label_char("label_ "), Some(' '));
        assert_eq!(forbidden_label_char("a\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_label_char("a:b"), Some(':'));
    }
}
