//! Matching recorded strings that contain placeholders.
//!
//! A recorded string is a pattern: `<name>` / `<name:N>` tokens are
//! wildcards for any non-empty substring, and every occurrence of the same
//! token within one case must bind to the same value ([`Bindings`]). Four
//! literal words stand for masked values and match anything; date
//! placeholders (`date`, `start-time`, …) match any date-like value.

use serde_json::Value;
use std::collections::BTreeMap;

/// Token → the produced text it stands for, for one case.
pub type Bindings = BTreeMap<String, String>;

/// The words the recorder wrote in place of a value; they match any value.
pub const WILDCARD_WORDS: [&str; 4] = [
    "RandomNumberGenerated",
    "generated-uuid",
    "map_run_arn",
    "executionSucceededEventDetails.output",
];

/// Whether `s` is one of [`WILDCARD_WORDS`].
pub fn is_wildcard_word(s: &str) -> bool {
    WILDCARD_WORDS.contains(&s)
}

#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Lit(&'a str),
    Hole(&'a str),
}

/// The length of a placeholder token starting at `s` (which begins with
/// `<`), if any: `<` [A-Za-z0-9_.-]+ (`:` digits)? `>`.
fn token_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    // A doubly wrapped token, `<<task_token>:1>` (the recorder replaced an
    // already replaced value once more), is one token.
    let mut i = 1;
    if b.get(1) == Some(&b'<') {
        if let Some(inner) = token_len(&s[1..]) {
            i = 1 + inner;
            if i < b.len() && b[i] == b':' {
                let start = i + 1;
                i = start;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
            return (i < b.len() && b[i] == b'>').then_some(i + 1);
        }
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'-')) {
        i += 1;
    }
    if i == 1 {
        return None;
    }
    if i < b.len() && b[i] == b':' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    (i < b.len() && b[i] == b'>').then_some(i + 1)
}

fn pieces(pattern: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut lit_start = 0;
    let mut i = 0;
    while let Some(off) = pattern[i..].find('<') {
        let at = i + off;
        match token_len(&pattern[at..]) {
            Some(len) => {
                if lit_start < at {
                    out.push(Piece::Lit(&pattern[lit_start..at]));
                }
                out.push(Piece::Hole(&pattern[at..at + len]));
                i = at + len;
                lit_start = i;
            }
            None => i = at + 1,
        }
    }
    if lit_start < pattern.len() {
        out.push(Piece::Lit(&pattern[lit_start..]));
    }
    out
}

/// Whether `s` contains a placeholder token.
pub fn has_placeholder(s: &str) -> bool {
    pieces(s).iter().any(|p| matches!(p, Piece::Hole(_)))
}

/// Matches `value` against the recorded `pattern`, extending `bindings`.
/// On failure `bindings` is left unchanged.
pub fn match_str(pattern: &str, value: &str, bindings: &mut Bindings) -> bool {
    if pattern == value && !has_placeholder(pattern) {
        return true;
    }
    let ps = pieces(pattern);
    if !ps.iter().any(|p| matches!(p, Piece::Hole(_))) {
        return false;
    }
    let mut trial = bindings.clone();
    if go(&ps, value, &mut trial) {
        *bindings = trial;
        true
    } else {
        false
    }
}

fn go(ps: &[Piece<'_>], v: &str, b: &mut Bindings) -> bool {
    let Some((first, rest)) = ps.split_first() else {
        return v.is_empty();
    };
    match first {
        Piece::Lit(l) => v.strip_prefix(l).is_some_and(|r| go(rest, r, b)),
        Piece::Hole(name) => {
            if let Some(bound) = b.get(*name).cloned() {
                return v
                    .strip_prefix(bound.as_str())
                    .is_some_and(|r| go(rest, r, b));
            }
            if rest.is_empty() {
                if v.is_empty() {
                    return false;
                }
                b.insert((*name).to_owned(), v.to_owned());
                return true;
            }
            let next_lit = match rest.first() {
                Some(Piece::Lit(l)) => Some(*l),
                _ => None,
            };
            for (end, _) in v
                .char_indices()
                .skip(1)
                .chain(std::iter::once((v.len(), ' ')))
            {
                if end == 0 {
                    continue;
                }
                if let Some(l) = next_lit {
                    if !v[end..].starts_with(l) {
                        continue;
                    }
                }
                b.insert((*name).to_owned(), v[..end].to_owned());
                if go(rest, &v[end..], b) {
                    return true;
                }
                b.remove(*name);
            }
            false
        }
    }
}

/// Whether a recorded string is a date placeholder word such as `date`,
/// `timestamp`, `start-date`, `entered-time`.
pub fn is_date_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|c| c.is_ascii_lowercase() || c == b'-')
        && (s.contains("date") || s.contains("time") || s == "timestamp")
}

/// Whether a produced value looks like a date: an epoch number, or a string
/// in RFC 3339 / ISO 8601 or RFC 2822 form.
pub fn looks_like_date(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => {
            let t = s.trim();
            if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
                return t.bytes().filter(u8::is_ascii_digit).count() >= 9;
            }
            chrono::DateTime::parse_from_rfc3339(t).is_ok()
                || chrono::DateTime::parse_from_rfc2822(t).is_ok()
                || chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
                || chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%:z").is_ok()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens() {
        assert_eq!(
            pieces("a<uuid:1>b<x>"),
            vec![
                Piece::Lit("a"),
                Piece::Hole("<uuid:1>"),
                Piece::Lit("b"),
                Piece::Hole("<x>")
            ]
        );
        assert_eq!(
            pieces("<html> <"),
            vec![Piece::Hole("<html>"), Piece::Lit(" <")]
        );
        assert_eq!(pieces("a < b > c"), vec![Piece::Lit("a < b > c")]);
        assert_eq!(pieces("<a:>"), vec![Piece::Lit("<a:>")]);
        assert!(!has_placeholder("plain"));
    }

    #[test]
    fn wildcards_bind_consistently() {
        let mut b = Bindings::new();
        assert!(match_str("id-<uuid:1>-x", "id-abc-x", &mut b));
        assert_eq!(b["<uuid:1>"], "abc");
        assert!(match_str("<uuid:1>", "abc", &mut b));
        assert!(!match_str("<uuid:1>", "abd", &mut b));
        assert_eq!(b.len(), 1, "failed match leaves bindings unchanged");
        assert!(match_str("<a>:<b>", "x:y:z", &mut b));
        assert_eq!(b["<a>"], "x");
        assert_eq!(b["<b>"], "y:z");
        assert!(!match_str("<c>", "", &mut b), "wildcards are not empty");
        assert!(!match_str("abc", "abd", &mut b));
        assert!(match_str(
            "arn:<partition>:states",
            "arn:<partition>:states",
            &mut b
        ));
        assert!(match_str("é<z>ü", "éñü", &mut b));
    }

    #[test]
    fn date_words() {
        assert!(is_date_word("date"));
        assert!(is_date_word("start-time"));
        assert!(is_date_word("timestamp"));
        assert!(!is_date_word("Date"));
        assert!(!is_date_word("string-literal"));
        assert!(looks_like_date(&json!("2024-01-01T00:00:00Z")));
        assert!(looks_like_date(&json!("2024-01-01T00:00:00.000Z")));
        assert!(looks_like_date(&json!("Thu, 18 Apr 2024 06:27:01 GMT")));
        assert!(looks_like_date(&json!(1745486528077u64)));
        assert!(looks_like_date(&json!("1745486528077")));
        assert!(!looks_like_date(&json!("hello")));
        assert!(!looks_like_date(&json!("12")));
    }
}
