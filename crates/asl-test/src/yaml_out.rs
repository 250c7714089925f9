//! A small, deterministic YAML writer for JSON values (block style, keys in
//! their given order). Strings that a YAML 1.2 core-schema reader would
//! take for something else — or that need escapes — are double-quoted
//! with JSON escapes, so the output reads back as the same value.

use serde_json::Value;

/// The value as a YAML document body (ends with a newline).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    write_block(&mut out, v, 0);
    out
}

/// Writes `v` at `indent`, starting on a fresh line.
pub fn write_block(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                pad(out, indent);
                out.push_str(&scalar_str(k));
                out.push(':');
                write_after_key(out, x, indent);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for x in a {
                pad(out, indent);
                out.push('-');
                match x {
                    Value::Object(m) if !m.is_empty() => {
                        // First key on the dash line, the rest aligned below.
                        out.push(' ');
                        let mut inner = String::new();
                        write_block(&mut inner, x, indent + 2);
                        out.push_str(&inner[indent + 2..]);
                    }
                    Value::Array(a2) if !a2.is_empty() => {
                        out.push('\n');
                        write_block(out, x, indent + 2);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&scalar(x));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            pad(out, indent);
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn write_after_key(out: &mut String, x: &Value, indent: usize) {
    match x {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_block(out, x, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_block(out, x, indent);
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(x));
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A scalar (or an empty collection) in flow form.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_str(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string, plain when that reads back as the same string, else quoted.
pub fn scalar_str(s: &str) -> String {
    if plain_ok(s) {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(first == '-' && s.len() > 1 && !s[1..].starts_with(' ') && looks_plain_dash(s))
    {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if s.chars()
        .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}')
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    const RESERVED: [&str; 14] = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    if RESERVED.contains(&lower.as_str()) {
        return false;
    }
    // Anything number-like stays quoted (core schema ints, floats, 0x, 0o).
    let digits = lower.trim_start_matches(['+', '-']);
    if digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') && lower.parse::<f64>().is_ok()
    {
        return false;
    }
    if digits.starts_with("0x") || digits.starts_with("0o") {
        return false;
    }
    true
}

/// `-foo` is plain only when it cannot be read as a number or a sequence.
fn looks_plain_dash(s: &str) -> bool {
    s.parse::<f64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting() {
        for (s, plain) in [
            ("abc", true),
            ("yes", false),
            ("12", false),
            ("1.5", false),
            ("0x1F", false),
            ("+2.000s", true),
            ("a: b", false),
            ("", false),
            (" a", false),
            ("-", false),
            ("-5", false),
            ("-x", true),
            ("null", false),
            ("a\nb", false),
            ("#x", false),
            ("arn:aws:states:::lambda:invoke", true),
            ("1e5", false),
        ] {
            assert_eq!(plain_ok(s), plain, "{s:?}");
        }
    }

    #[test]
    fn round_trips_through_core_yaml() {
        let v = json!({"a": [1, {"b": "yes", "c": [], "d": {}}, [2, "3"]], "e": null, "f": {"g": "x: y", "h": [true]}, "": "k", "multi": "l1\nl2"});
        let text = to_yaml(&v);
        let back = asl_core::yaml::parse(&text).unwrap().root.to_value();
        assert_eq!(back, v, "{text}");
    }
}
