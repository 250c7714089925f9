//! The normalisation the recorder applied, re-applied to produced output
//! (README "Normalisation a comparer must apply", steps 1–4):
//!
//! 1. JSON-in-strings: a string member of an object (also of objects inside
//!    arrays) that starts with `{` and parses is replaced by the parsed
//!    value; the parsed value is not walked again, strings directly inside
//!    arrays stay strings.
//! 2. Every `timestamp` member becomes the literal `"timestamp"`.
//! 3. `arn:aws:` → `arn:<partition>:`, `us-east-1` → `<region>`.
//! 4. `meta.substitutions` (fake value → placeholder), longest first, in a
//!    single left-to-right pass so a placeholder is never rewritten again.
//!
//! Steps 3 and 4 apply to every string, object keys included.

use super::case::Meta;
use serde_json::{Map, Value};

/// Replaces, scanning left to right, the longest matching `from` of `pairs`
/// (which must be sorted longest first) by its `to`; replaced text is not
/// scanned again.
pub fn replace_longest_first(s: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty()
        || !pairs
            .iter()
            .any(|(from, _)| !from.is_empty() && s.contains(from))
    {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    'outer: while i < s.len() {
        for (from, to) in pairs {
            if !from.is_empty() && s[i..].starts_with(from) {
                out.push_str(to);
                i += from.len();
                continue 'outer;
            }
        }
        let ch = s[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&s[i..i + ch]);
        i += ch;
    }
    out
}

/// LocalStack's `_transform_dict_to_parseable_values`, in place.
pub fn parse_json_strings(v: &mut Value) {
    match v {
        Value::Object(map) => parse_in_object(map),
        Value::Array(items) => {
            for item in items {
                if let Value::Object(map) = item {
                    parse_in_object(map);
                }
            }
        }
        _ => {}
    }
}

fn parse_in_object(map: &mut Map<String, Value>) {
    for (_, v) in map.iter_mut() {
        match v {
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(m) = item {
                        parse_in_object(m);
                    }
                }
            }
            Value::Object(m) => parse_in_object(m),
            Value::String(s) if s.starts_with('{') => {
                if let Ok(parsed) = serde_json::from_str::<Value>(s) {
                    *v = parsed;
                }
            }
            _ => {}
        }
    }
}

/// Parses a produced JSON text the way a string member is treated in
/// step 1: parsed when it starts with `{`, else kept as the string.
pub fn json_in_string(text: &str) -> Value {
    if text.starts_with('{') {
        if let Ok(v) = serde_json::from_str(text) {
            return v;
        }
    }
    Value::String(text.to_owned())
}

/// Steps 2–4 for one case.
#[derive(Debug, Clone)]
pub struct Normaliser {
    /// Fake value → placeholder, longest first (ARN rules folded in).
    pairs: Vec<(String, String)>,
}

impl Normaliser {
    /// The normaliser for a case's `meta.json`.
    pub fn for_meta(meta: &Meta) -> Self {
        let mut pairs: Vec<(String, String)> = vec![
            ("arn:aws:".into(), "arn:<partition>:".into()),
            ("us-east-1".into(), "<region>".into()),
        ];
        pairs.extend(meta.substitutions.iter().cloned());
        pairs.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        Normaliser { pairs }
    }

    /// Steps 3–4 on one string.
    pub fn string(&self, s: &str) -> String {
        let pairs: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        replace_longest_first(s, &pairs)
    }

    /// Steps 3–4 on every string and key of a value.
    pub fn value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.string(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (self.string(k), self.value(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Steps 1–4 on a wire `events` array.
    pub fn events(&self, wire: &[Value]) -> Vec<Value> {
        let mut events: Vec<Value> = wire.to_vec();
        let mut as_array = Value::Array(std::mem::take(&mut events));
        parse_json_strings(&mut as_array);
        let Value::Array(events) = as_array else {
            return Vec::new();
        };
        events
            .iter()
            .map(|e| {
                let mut e = self.value(e);
                if let Value::Object(m) = &mut e {
                    if m.contains_key("timestamp") {
                        m.insert("timestamp".into(), Value::String("timestamp".into()));
                    }
                }
                e
            })
            .collect()
    }

    /// Steps 1, 3, 4 on a produced JSON text (final output or cause).
    pub fn text(&self, text: &str) -> Value {
        self.value(&json_in_string(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta_with(subs: &[(&str, &str)]) -> Meta {
        let mut substitutions: Vec<(String, String)> = subs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        substitutions.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        Meta {
            category: "c".into(),
            group: String::new(),
            machine_type: "STANDARD".into(),
            compare: vec!["history".into(), "final".into()],
            final_record: None,
            final_source: None,
            self_contained: true,
            services: vec![],
            state_machine_name: "ArnPart_0idx".into(),
            execution_name: "ExecArnPart_0idx".into(),
            substitutions,
            notes: vec![],
            mock_test_case: None,
            mock_state_machine_name: None,
            recorded_date: None,
        }
    }

    #[test]
    fn substitutions_longest_first_single_pass() {
        let n = Normaliser::for_meta(&meta_with(&[
            ("ArnPart_0idx", "<ArnPart_0idx>"),
            ("ExecArnPart_0idx", "<ExecArnPart_0idx>"),
        ]));
        assert_eq!(
            n.string("arn:aws:states:us-east-1:111111111111:execution:ArnPart_0idx:ExecArnPart_0idx"),
            "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>"
        );
        assert_eq!(n.string("héArnPart_0idxé"), "hé<ArnPart_0idx>é");
    }

    #[test]
    fn json_strings_parsed_like_the_recorder() {
        let mut v = json!([{
            "a": "{\"x\": \"{\\\"y\\\": 1}\"}",
            "b": "[1, 2]",
            "c": ["{\"z\":1}", {"d": "{\"e\":2}"}],
            "f": "{not json",
            "g": {"h": "{}"}
        }]);
        parse_json_strings(&mut v);
        assert_eq!(
            v,
            json!([{
                "a": {"x": "{\"y\": 1}"},
                "b": "[1, 2]",
                "c": ["{\"z\":1}", {"d": {"e": 2}}],
                "f": "{not json",
                "g": {"h": {}}
            }])
        );
    }

    #[test]
    fn events_get_timestamp_literal() {
        let n = Normaliser::for_meta(&meta_with(&[]));
        let out = n.events(&[
            json!({"timestamp": 1.5, "type": "X", "id": 1, "previousEventId": 0,
            "xEventDetails": {"input": "{\"k\":\"arn:aws:lambda:us-east-1:1:function:f\"}"}}),
        ]);
        assert_eq!(out[0]["timestamp"], json!("timestamp"));
        assert_eq!(
            out[0]["xEventDetails"]["input"]["k"],
            json!("arn:<partition>:lambda:<region>:1:function:f")
        );
    }
}
