//! A strict JSON parser that keeps the byte span of every value and key.
//!
//! serde_json forgets where a value came from and silently keeps the last of
//! two duplicate keys; AWS rejects duplicates and every diagnostic must point
//! at source. So definitions are parsed here into a [`Node`] tree, and turned
//! into `serde_json::Value` (key order preserved) only where values are needed.
//!
//! The parser is iterative-in-spirit: it recurses, but never deeper than
//! [`MAX_DEPTH`], so hostile nesting gets an error, never a stack overflow.

use crate::span::Span;
use serde_json::{Map, Value};

/// Deepest nesting of arrays and objects accepted. AWS definitions are far
/// shallower; the limit exists so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// One parsed JSON value with its span (for strings: including the quotes).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: NodeValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// An object member: the key with its span (quotes included) and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// A key that appears twice in one object.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    /// JSON pointer of the object holding both keys.
    pub object_pointer: String,
    pub first: Span,
    pub second: Span,
}

/// A successfully parsed document.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Node,
    pub duplicates: Vec<DuplicateKey>,
}

/// Why a text is not JSON. `span` points at the offending bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses UTF-8 bytes as one JSON value (a leading byte-order mark is skipped).
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, ParseError> {
    parse(decode_utf8(bytes)?)
}

/// The bytes as text, or an error at the first byte that is not UTF-8.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| ParseError {
        message: "invalid UTF-8: the text must be UTF-8 encoded".into(),
        span: Span::new(e.valid_up_to(), e.valid_up_to() + 1),
    })
}

/// Parses a text as one JSON value.
pub fn parse(text: &str) -> Result<Document, ParseError> {
    if text.len() > u32::MAX as usize {
        return Err(ParseError {
            message: "the text is larger than 4 GiB".into(),
            span: Span::at(0),
        });
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        duplicates: Vec::new(),
        path: Vec::new(),
    };
    if parser.bytes.starts_with("\u{feff}".as_bytes()) {
        parser.pos = 3;
    }
    parser.skip_whitespace();
    if parser.pos >= parser.bytes.len() {
        return Err(ParseError {
            message: "the text is empty: expected a JSON value".into(),
            span: Span::at(parser.pos),
        });
    }
    let root = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_here("unexpected text after the JSON value"));
    }
    Ok(Document {
        root,
        duplicates: parser.duplicates,
    })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    duplicates: Vec<DuplicateKey>,
    /// Pointer tokens of the containers being parsed (for duplicate reports).
    path: Vec<String>,
}

impl Parser<'_> {
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn error_here(&self, message: &str) -> ParseError {
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        ParseError {
            message: message.to_string(),
            span: Span::new(self.pos, self.pos + len),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => NodeValue::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => NodeValue::Number(self.number()?),
            Some(b't') => self.keyword("true", NodeValue::Bool(true))?,
            Some(b'f') => self.keyword("false", NodeValue::Bool(false))?,
            Some(b'n') => self.keyword("null", NodeValue::Null)?,
            Some(_) => return Err(self.unrecognized_token()),
            None => return Err(self.error_here("unexpected end of text: expected a JSON value")),
        };
        Ok(Node {
            span: Span::new(start, self.pos),
            value,
        })
    }

    /// Jackson's wording (what AWS reports): "Unrecognized token 'not': was
    /// expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')".
    fn unrecognized_token(&self) -> ParseError {
        let rest = &self.text[self.pos..];
        let word_len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        let len = if word_len == 0 {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            word_len
        };
        let token = &rest[..len];
        ParseError {
            message: format!(
                "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
            ),
            span: Span::new(self.pos, self.pos + len),
        }
    }

    fn keyword(&mut self, word: &str, value: NodeValue) -> Result<NodeValue, ParseError> {
        let end = self.pos + word.len();
        let follows_word = self
            .bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) && !follows_word {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.unrecognized_token())
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_DEPTH {
            Err(self.error_here(&format!(
                "nesting is deeper than {MAX_DEPTH} levels of arrays and objects"
            )))
        } else {
            Ok(depth + 1)
        }
    }

    fn array(&mut self, depth: usize) -> Result<NodeValue, ParseError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(NodeValue::Array(items));
        }
        loop {
            self.path.push(items.len().to_string());
            self.skip_whitespace();
            let item = self.value(depth)?;
            self.path.pop();
            items.push(item);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.bytes.get(self.pos) == Some(&b']') {
                        return Err(self.error_here("trailing comma: expected a value after ','"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(NodeValue::Array(items));
                }
                _ => return Err(self.error_here("expected ',' or ']' in the array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<NodeValue, ParseError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(NodeValue::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                let message = if self.bytes.get(self.pos) == Some(&b'}') {
                    "trailing comma: expected a key after ','"
                } else {
                    "expected a key in double quotes"
                };
                return Err(self.error_here(message));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error_here("expected ':' after the key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            self.path.push(key.clone());
            let value = self.value(depth)?;
            self.path.pop();
            if let Some(first) = members.iter().find(|m| m.key == key) {
                self.duplicates.push(DuplicateKey {
                    key: key.clone(),
                    object_pointer: pointer_of(&self.path),
                    first: first.key_span,
                    second: key_span,
                });
            }
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(NodeValue::Object(members));
                }
                _ => return Err(self.error_here("expected ',' or '}' in the object")),
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(ParseError {
                    message: "unterminated string: missing the closing '\"'".into(),
                    span: Span::new(open, self.pos),
                });
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                0..=0x1f => return Err(self.error_here(
                    "control character in a string: write it as an escape such as \\n or \\u0000",
                )),
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let start = self.pos;
        self.pos += 1;
        let simple = match self.bytes.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let c = self.unicode_escape(start)?;
                out.push(c);
                return Ok(());
            }
            _ => return Err(ParseError {
                message:
                    "invalid escape in a string: use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX"
                        .into(),
                span: Span::new(start, (self.pos + 1).min(self.bytes.len())),
            }),
        };
        self.pos += 1;
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, ParseError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(ParseError {
                message: "invalid \\u escape: expected four hexadecimal digits".into(),
                span: Span::new(escape_start, (self.pos + 4).min(self.bytes.len())),
            }),
        }
    }

    /// A `\uXXXX` escape, joining surrogate pairs; a lone surrogate becomes
    /// U+FFFD (as Jackson and serde_json's lossy mode do).
    fn unicode_escape(&mut self, escape_start: usize) -> Result<char, ParseError> {
        let first = self.hex4(escape_start)?;
        if (0xD800..0xDC00).contains(&first)
            && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
        {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4(save)?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    fn number(&mut self) -> Result<serde_json::Number, ParseError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = digits(self);
        if int_digits == 0 {
            return Err(self.error_here("expected a digit in the number"));
        }
        if int_digits > 1 && self.bytes[int_start] == b'0' {
            return Err(ParseError {
                message: "leading zeros are not allowed in JSON numbers".into(),
                span: Span::new(start, self.pos),
            });
        }
        let mut is_float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            is_float = true;
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            is_float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        let text = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);
        let out_of_range = || {
            ParseError {
            message: format!(
                "the number {text} is out of range: it cannot be represented as a 64-bit floating-point number"
            ),
            span,
        }
        };
        if !is_float {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(i.into());
            }
            if let Ok(u) = text.parse::<u64>() {
                return Ok(u.into());
            }
        }
        let f: f64 = text.parse().map_err(|_| out_of_range())?;
        serde_json::Number::from_f64(f).ok_or_else(out_of_range)
    }
}

/// Escapes one JSON pointer token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

fn pointer_of(tokens: &[String]) -> String {
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&escape_pointer_token(t));
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

impl Node {
    /// The members of an object node, or `None` for other kinds.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            NodeValue::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            NodeValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&serde_json::Number> {
        match &self.value {
            NodeValue::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }

    /// The member named `key` of an object node (the first, if duplicated).
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }

    /// The value of member `key` of an object node.
    pub fn field(&self, key: &str) -> Option<&Node> {
        self.get(key).map(|m| &m.value)
    }

    /// The JSON type name used in diagnostics: `object`, `array`, `string`,
    /// `integer`, `number`, `boolean`, `null`.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "boolean",
            NodeValue::Number(n) if n.is_f64() => "number",
            NodeValue::Number(_) => "integer",
            NodeValue::String(_) => "string",
            NodeValue::Array(_) => "array",
            NodeValue::Object(_) => "object",
        }
    }

    /// The value as `serde_json::Value`, keeping key order (a duplicated key
    /// keeps its last value, as serde_json and AWS's runtime would).
    pub fn to_value(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeValue::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.clone(), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    #[test]
    fn spans_cover_values_and_keys() {
        let doc = parse(r#" {"a": [1, "x"], "b": null} "#).unwrap();
        let root = &doc.root;
        assert_eq!(root.span, Span::new(1, 27));
        let a = root.get("a").unwrap();
        assert_eq!(a.key_span, Span::new(2, 5));
        assert_eq!(a.value.span, Span::new(7, 15));
        assert_eq!(a.value.as_array().unwrap()[1].span, Span::new(11, 14));
        assert!(root.field("b").unwrap().is_null());
    }

    #[test]
    fn reports_duplicate_keys_with_both_spans() {
        let doc = parse(r#"{"States": {"A": {"Type": "Pass", "Type": "Succeed"}}}"#).unwrap();
        assert_eq!(doc.duplicates.len(), 1);
        let d = &doc.duplicates[0];
        assert_eq!(d.key, "Type");
        assert_eq!(d.object_pointer, "/States/A");
        assert!(d.first < d.second);
    }

    #[test]
    fn keeps_key_order_in_values() {
        let v = parse(r#"{"z": 1, "a": 2}"#).unwrap().root.to_value();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn decodes_escapes_and_surrogates() {
        let doc = parse(r#""a\n\u00e9\ud83d\ude00\/""#).unwrap();
        assert_eq!(doc.root.as_str(), Some("a\né😀/"));
        assert_eq!(
            parse(r#""\ud800""#).unwrap().root.as_str(),
            Some("\u{fffd}")
        );
    }

    #[test]
    fn numbers_keep_integer_and_float_forms() {
        let doc = parse("[1, -0, 1.5, 18446744073709551615, 1e2]").unwrap();
        let v = doc.root.to_value();
        assert_eq!(v.to_string(), "[1,0,1.5,18446744073709551615,100.0]");
        assert_eq!(doc.root.as_array().unwrap()[0].type_name(), "integer");
        assert_eq!(doc.root.as_array().unwrap()[2].type_name(), "number");
    }

    #[test]
    fn rejects_out_of_range_numbers() {
        let e = err("{\"Seconds\": 1e309}");
        assert!(e.message.contains("out of range"), "{}", e.message);
        assert_eq!(e.span, Span::new(12, 17));
    }

    #[test]
    fn jackson_style_message_for_bare_words() {
        let e = err("not a definition");
        assert_eq!(
            e.message,
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        );
        assert_eq!(e.span, Span::new(0, 3));
        assert!(err("nul").message.starts_with("Unrecognized token 'nul'"));
        assert!(err("truex")
            .message
            .starts_with("Unrecognized token 'truex'"));
    }

    #[test]
    fn rejects_malformed_documents_with_a_place() {
        for (text, needle) in [
            ("", "empty"),
            ("   ", "empty"),
            ("{\"a\": 1,}", "trailing comma"),
            ("[1,]", "trailing comma"),
            ("{\"a\" 1}", "':'"),
            ("{a: 1}", "double quotes"),
            ("\"abc", "unterminated"),
            ("\"a\tb\"", "control character"),
            ("\"\\x\"", "invalid escape"),
            ("\"\\u12\"", "four hexadecimal"),
            ("01", "leading zeros"),
            ("1.", "decimal point"),
            ("{} {}", "after the JSON value"),
            ("[1 2]", "',' or ']'"),
        ] {
            let e = err(text);
            assert!(e.message.contains(needle), "{text:?}: {}", e.message);
            assert!(e.span.end as usize <= text.len().max(1), "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).message.contains("nesting"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&too_deep).is_err());
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_offset() {
        let e = parse_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
        assert!(e.message.contains("UTF-8"));
        assert_eq!(e.span.start, 7);
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let doc = parse("\u{feff}{\"a\": 1}").unwrap();
        assert_eq!(doc.root.span.start, 3);
    }

    #[test]
    fn garbage_never_panics() {
        let samples = [
            "{",
            "[",
            "\"",
            "\\",
            "{\"a\"",
            "{\"a\":",
            "[1,",
            "-",
            "--1",
            "1e",
            "1e+",
            "tru",
            "{\"\\u",
            "\"\\ud800\\u",
            "{\"a\":[{\"b\":}]}",
            "\u{0}",
            "[\"\u{7f}\"]",
        ];
        for s in samples {
            let _ = parse(s);
        }
        let mut seed: u64 = 1;
        let alphabet = b"{}[]\":,\\ntrufalse0123456789.eE+- \t\nu";
        for _ in 0..20_000 {
            let len = (seed % 24) as usize;
            let mut s = Vec::with_capacity(len);
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let _ = parse_bytes(&s);
        }
    }
}
