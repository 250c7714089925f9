//! Where the expressions of a state live, and a walker over them.
//!
//! Several rule families look at the same places: the payload templates of
//! JSONPath states (`Parameters`, `ResultSelector`, `ItemSelector`,
//! `Credentials`, `Assign`, ItemReader/ResultWriter `Parameters`), and the
//! fields of JSONata states that may hold `{% … %}` expressions anywhere in
//! their value. [`payload_templates`] and [`jsonata_fields`] list those
//! fields of one state; [`walk`] visits every value inside one, with its
//! JSON pointer; [`span_in_string`] turns a byte range of a decoded string
//! into a span in the file.

use crate::context::StateRef;
use asl_core::json::{escape_pointer_token, Member, Node, NodeValue};
use asl_core::model::{QueryLanguage, StateType};
use asl_core::span::Span;

/// One field of a state (or of a Choice rule, Catcher, ItemReader …) whose
/// value is a template or may hold expressions.
#[derive(Clone, Debug)]
pub struct Field<'a> {
    /// The field name, e.g. `Parameters`.
    pub name: &'a str,
    /// Its value.
    pub node: &'a Node,
    /// JSON pointer of the value.
    pub pointer: String,
}

fn child_pointer(parent: &str, token: &str) -> String {
    format!(
        "{}/{}",
        parent.trim_end_matches('/'),
        escape_pointer_token(token)
    )
}

/// Pushes `holder[key]` if present.
fn push_field<'a>(out: &mut Vec<Field<'a>>, holder: &'a Node, pointer: &str, key: &'a str) {
    if let Some(member) = holder.get(key) {
        out.push(Field {
            name: &member.key,
            node: &member.value,
            pointer: child_pointer(pointer, key),
        });
    }
}

/// The elements of array field `key` of `holder`, with their pointers.
fn array_items<'a>(holder: &'a Node, pointer: &str, key: &str) -> Vec<(&'a Node, String)> {
    holder
        .field(key)
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, item)| (item, format!("{}/{i}", child_pointer(pointer, key))))
        .collect()
}

/// The payload templates of a JSONPath state: every field whose `.$` keys
/// are evaluated (paths, context paths, variables, intrinsic calls).
/// Empty for JSONata states.
pub fn payload_templates<'a>(s: &StateRef<'a>) -> Vec<Field<'a>> {
    let mut out = Vec::new();
    if s.state.query_language != QueryLanguage::JsonPath {
        return out;
    }
    let (node, pointer) = (s.node, s.state.pointer.as_str());
    for key in [
        "Parameters",
        "ResultSelector",
        "ItemSelector",
        "Credentials",
        "Assign",
    ] {
        push_field(&mut out, node, pointer, key);
    }
    for holder in ["ItemReader", "ResultWriter"] {
        if let Some(h) = node.field(holder) {
            push_field(&mut out, h, &child_pointer(pointer, holder), "Parameters");
        }
    }
    for list in ["Choices", "Catch"] {
        for (item, item_pointer) in array_items(node, pointer, list) {
            push_field(&mut out, item, &item_pointer, "Assign");
        }
    }
    out
}

/// The fields of a JSONata state in which `{% … %}` expressions are
/// evaluated (at any depth of their value). Empty for JSONPath states.
pub fn jsonata_fields<'a>(s: &StateRef<'a>) -> Vec<Field<'a>> {
    let mut out = Vec::new();
    if s.state.query_language != QueryLanguage::Jsonata {
        return out;
    }
    let (node, pointer) = (s.node, s.state.pointer.as_str());
    for key in [
        "Arguments",
        "Output",
        "Assign",
        "Items",
        "ItemSelector",
        "Seconds",
        "Timestamp",
        "TimeoutSeconds",
        "HeartbeatSeconds",
        "Error",
        "Cause",
        "MaxConcurrency",
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
        "Credentials",
        "ItemBatcher",
    ] {
        push_field(&mut out, node, pointer, key);
    }
    if let Some(reader) = node.field("ItemReader") {
        let p = child_pointer(pointer, "ItemReader");
        push_field(&mut out, reader, &p, "Arguments");
        push_field(&mut out, reader, &p, "ReaderConfig");
    }
    if let Some(writer) = node.field("ResultWriter") {
        let p = child_pointer(pointer, "ResultWriter");
        push_field(&mut out, writer, &p, "Arguments");
        push_field(&mut out, writer, &p, "WriterConfig");
    }
    for (rule, rule_pointer) in array_items(node, pointer, "Choices") {
        for key in ["Condition", "Assign", "Output"] {
            push_field(&mut out, rule, &rule_pointer, key);
        }
    }
    for (catcher, catcher_pointer) in array_items(node, pointer, "Catch") {
        for key in ["Assign", "Output"] {
            push_field(&mut out, catcher, &catcher_pointer, key);
        }
    }
    out
}

/// A string that a JSONPath state evaluates as a path or an intrinsic call:
/// the value of a `.$` key in a payload template, or a Fail `ErrorPath` /
/// `CausePath`.
#[derive(Clone, Debug)]
pub struct DollarValue<'a> {
    /// The key, `.$` suffix included (`ErrorPath`, `CausePath` for Fail).
    pub key: &'a str,
    /// The string node.
    pub node: &'a Node,
    /// Its decoded text.
    pub value: &'a str,
    /// Its JSON pointer.
    pub pointer: String,
}

/// Every [`DollarValue`] of a JSONPath state, in source order of fields.
pub fn dollar_values<'a>(s: &StateRef<'a>) -> Vec<DollarValue<'a>> {
    let mut out = Vec::new();
    for field in payload_templates(s) {
        walk(field.node, &field.pointer, &mut |v| {
            if let (Some(member), Some(value)) = (v.member, v.node.as_str()) {
                if member.key.ends_with(".$") {
                    out.push(DollarValue {
                        key: &member.key,
                        node: v.node,
                        value,
                        pointer: v.pointer.to_string(),
                    });
                }
            }
        });
    }
    if s.state.query_language == QueryLanguage::JsonPath
        && s.state.state_type == Some(StateType::Fail)
    {
        for key in ["ErrorPath", "CausePath"] {
            if let Some(member) = s.node.get(key) {
                if let Some(value) = member.value.as_str() {
                    out.push(DollarValue {
                        key: &member.key,
                        node: &member.value,
                        value,
                        pointer: child_pointer(&s.state.pointer, key),
                    });
                }
            }
        }
    }
    out
}

/// One value met by [`walk`].
#[derive(Clone, Copy, Debug)]
pub struct Visit<'a, 'p> {
    /// The value.
    pub node: &'a Node,
    /// Its JSON pointer.
    pub pointer: &'p str,
    /// The object member holding it, when it is an object member's value
    /// (`None` for the walked root and for array elements).
    pub member: Option<&'a Member>,
}

/// Visits `node` and every value inside it, parents before children, in
/// source order. Recursion is bounded by the JSON parser's depth limit.
pub fn walk<'a>(node: &'a Node, pointer: &str, f: &mut dyn FnMut(Visit<'a, '_>)) {
    walk_inner(node, pointer, None, f);
}

fn walk_inner<'a>(
    node: &'a Node,
    pointer: &str,
    member: Option<&'a Member>,
    f: &mut dyn FnMut(Visit<'a, '_>),
) {
    f(Visit {
        node,
        pointer,
        member,
    });
    match &node.value {
        NodeValue::Object(members) => {
            for m in members {
                walk_inner(&m.value, &child_pointer(pointer, &m.key), Some(m), f);
            }
        }
        NodeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_inner(item, &format!("{pointer}/{i}"), None, f);
            }
        }
        _ => {}
    }
}

/// The file span of `inner`, a byte range of the decoded value of the string
/// node `node`. When the source spells the string with JSON escapes, decoded
/// offsets do not map onto the source, and the whole string's span is
/// returned instead.
pub fn span_in_string(node: &Node, inner: Span) -> Span {
    match node.as_str() {
        // Every JSON escape is longer than what it decodes to, so equal
        // lengths mean the source is the value verbatim between the quotes.
        Some(value) if node.span.len() == value.len() + 2 && inner.end as usize <= value.len() => {
            if inner.is_empty() {
                // Point at something visible: widen to one character.
                let start = inner.start as usize;
                let end = value[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
                Span::new(start, end).shifted(node.span.start as usize + 1)
            } else {
                inner.shifted(node.span.start as usize + 1)
            }
        }
        _ => node.span,
    }
}

/// Whether a string reads like a JSONPath path or context path (`$`, `$.x`,
/// `$[0]`, `$$`, `$$.x`) — what AWS's NO_DOLLAR / NO_PATH /
/// PASS_RESULT_IS_STATIC warnings look for. Variables (`$name`) are not
/// included: `"$5 off"` is ordinary text.
pub fn looks_like_path(s: &str) -> bool {
    let rest = s.strip_prefix("$$").or_else(|| s.strip_prefix('$'));
    match rest {
        Some(rest) => rest.is_empty() || rest.starts_with('.') || rest.starts_with('['),
        None => false,
    }
}

/// Whether a whole string is a template placeholder that a deployment tool
/// replaces before AWS sees the definition: a CloudFormation
/// `DefinitionSubstitutions` `${Name}` (DESIGN.md: typed holes, never an
/// error) or a test-harness `%NAME%` (LocalStack's AWS-validated templates
/// use `%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%` in path fields).
pub fn is_placeholder(s: &str) -> bool {
    if asl_core::integrations::whole_placeholder(s).is_some() {
        return true;
    }
    s.len() > 2
        && s.starts_with('%')
        && s.ends_with('%')
        && s[1..s.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether a JSONPath parse error is about Jayway syntax that the
/// simulator does not implement (script expressions `[(@.length-1)]`,
/// functions, `=~`, …) rather than about a malformed path. AWS evaluates
/// paths with Jayway, which accepts that syntax, so the linter must not
/// reject it.
pub fn is_unimplemented_jayway_syntax(error: &asl_core::jsonpath::PathError) -> bool {
    error.message.contains("not supported")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for s in ["${Path}", "%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%"] {
            assert!(is_placeholder(s), "{s}");
        }
        for s in ["$.a", "%", "%%", "%lower%", "50%"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn jayway_only_syntax_is_told_apart() {
        let unimplemented = asl_core::jsonpath::parse("$[(@.length-1)].bar").unwrap_err();
        assert!(is_unimplemented_jayway_syntax(&unimplemented));
        let malformed = asl_core::jsonpath::parse("$.a[").unwrap_err();
        assert!(!is_unimplemented_jayway_syntax(&malformed));
    }

    #[test]
    fn path_lookalikes() {
        for s in ["$", "$.a", "$[0]", "$$", "$$.Execution.Id"] {
            assert!(looks_like_path(s), "{s}");
        }
        for s in ["", "$5 off", "$var", "a.$", "price: $"] {
            assert!(!looks_like_path(s), "{s}");
        }
    }

    #[test]
    fn spans_inside_strings() {
        let doc = asl_core::json::parse(r#"["$.a b", "$.\u0061 b"]"#).unwrap();
        let items = doc.root.as_array().unwrap();
        // `b` is at decoded offset 4; the first string starts at byte 1.
        assert_eq!(span_in_string(&items[0], Span::new(4, 5)), Span::new(6, 7));
        // Escaped source: the whole string.
        assert_eq!(span_in_string(&items[1], Span::new(4, 5)), items[1].span);
        // Empty ranges widen to one character.
        assert_eq!(span_in_string(&items[0], Span::at(0)), Span::new(2, 3));
    }

    #[test]
    fn walk_visits_everything_with_pointers() {
        let doc = asl_core::json::parse(r#"{"a": [1, {"b/c": "x"}]}"#).unwrap();
        let mut seen = Vec::new();
        walk(&doc.root, "/P", &mut |v| seen.push(v.pointer.to_string()));
        assert_eq!(seen, ["/P", "/P/a", "/P/a/0", "/P/a/1", "/P/a/1/b~1c"]);
    }
}
