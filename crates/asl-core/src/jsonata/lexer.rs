//! The JSONata tokenizer.
//!
//! Like jsonata-js, the lexer is driven by the parser one token at a time,
//! because whether `/` starts a regular expression or is the division
//! operator depends on where the parser is: [`Lexer::next`] takes an `infix`
//! flag (true right after an operand) that disables regex scanning.

use super::ParseError;
use crate::span::Span;

/// One token's payload.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A field name (plain or `` `backquoted` ``).
    Name(String),
    /// `$name`; the payload excludes the `$` (`$` alone is `""`, `$$` is `"$"`).
    Variable(String),
    /// An operator or punctuation symbol, including `and`, `or`, `in`.
    Op(&'static str),
    /// A string literal, escapes decoded.
    Str(String),
    /// A finite number literal.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `/pattern/flags`.
    Regex { pattern: String, flags: String },
    /// End of input.
    End,
}

/// A token and its byte span in the expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Characters that end a name (jsonata-js's single-character operator table).
fn is_operator_char(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'['
            | b']'
            | b'{'
            | b'}'
            | b'('
            | b')'
            | b','
            | b'@'
            | b'#'
            | b';'
            | b':'
            | b'?'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'|'
            | b'='
            | b'<'
            | b'>'
            | b'^'
            | b'&'
            | b'!'
            | b'~'
    )
}

/// JSONata whitespace: space, tab, LF, CR and vertical tab (not form feed).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b)
}

/// Maps a single operator byte to its static text.
fn single_op(b: u8) -> &'static str {
    match b {
        b'.' => ".",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        b'(' => "(",
        b')' => ")",
        b',' => ",",
        b'@' => "@",
        b'#' => "#",
        b';' => ";",
        b':' => ":",
        b'?' => "?",
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        b'%' => "%",
        b'|' => "|",
        b'=' => "=",
        b'<' => "<",
        b'>' => ">",
        b'^' => "^",
        b'&' => "&",
        b'!' => "!",
        _ => "~",
    }
}

/// The tokenizer state: a byte cursor into the source.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    fn peek_at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn token(&self, tok: Tok, start: usize) -> Token {
        Token {
            tok,
            span: Span::new(start, self.pos),
        }
    }

    /// The next token. `infix` is true when the parser expects an operator,
    /// in which case `/` is division rather than the start of a regex.
    pub(crate) fn next(&mut self, infix: bool) -> Result<Token, ParseError> {
        // Whitespace and comments.
        loop {
            while self.peek_at(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            if self.peek_at(self.pos) == Some(b'/') && self.peek_at(self.pos + 1) == Some(b'*') {
                let start = self.pos;
                match self.src[start + 2..].find("*/") {
                    Some(i) => self.pos = start + 2 + i + 2,
                    None => {
                        self.pos = self.bytes.len();
                        return Err(ParseError::new(
                            "S0106",
                            "Comment has no closing tag".into(),
                            Span::new(start, self.bytes.len()),
                        ));
                    }
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.peek_at(start) else {
            return Ok(self.token(Tok::End, start));
        };
        if !infix && c == b'/' {
            self.pos += 1;
            return self.scan_regex(start);
        }
        let next = self.peek_at(start + 1);
        let double = match (c, next) {
            (b'.', Some(b'.')) => Some(".."),
            (b':', Some(b'=')) => Some(":="),
            (b'!', Some(b'=')) => Some("!="),
            (b'>', Some(b'=')) => Some(">="),
            (b'<', Some(b'=')) => Some("<="),
            (b'*', Some(b'*')) => Some("**"),
            (b'~', Some(b'>')) => Some("~>"),
            (b'?', Some(b':')) => Some("?:"),
            (b'?', Some(b'?')) => Some("??"),
            _ => None,
        };
        if let Some(op) = double {
            self.pos += 2;
            return Ok(self.token(Tok::Op(op), start));
        }
        if is_operator_char(c) {
            self.pos += 1;
            return Ok(self.token(Tok::Op(single_op(c)), start));
        }
        if c == b'"' || c == b'\'' {
            return self.scan_string(c, start);
        }
        if c.is_ascii_digit() {
            return self.scan_number(start);
        }
        if c == b'`' {
            return match self.src[start + 1..].find('`') {
                Some(i) => {
                    let name = self.src[start + 1..start + 1 + i].to_string();
                    self.pos = start + 1 + i + 1;
                    Ok(self.token(Tok::Name(name), start))
                }
                None => {
                    self.pos = self.bytes.len();
                    Err(ParseError::new(
                        "S0105",
                        "Quoted property name must be terminated with a backquote (`)".into(),
                        Span::new(start, self.bytes.len()),
                    ))
                }
            };
        }
        // A name (or variable) runs to whitespace or an operator character.
        // Both are ASCII, so byte-wise scanning never splits a UTF-8 sequence.
        let mut end = start;
        while let Some(b) = self.peek_at(end) {
            if is_space(b) || is_operator_char(b) {
                break;
            }
            end += 1;
        }
        self.pos = end;
        let text = &self.src[start..end];
        let tok = if let Some(var) = text.strip_prefix('$') {
            Tok::Variable(var.to_string())
        } else {
            match text {
                "and" => Tok::Op("and"),
                "or" => Tok::Op("or"),
                "in" => Tok::Op("in"),
                "true" => Tok::Bool(true),
                "false" => Tok::Bool(false),
                "null" => Tok::Null,
                _ => Tok::Name(text.to_string()),
            }
        };
        Ok(self.token(tok, start))
    }

    /// A string literal starting at `start` with quote `q`; JSON escapes.
    fn scan_string(&mut self, q: u8, start: usize) -> Result<Token, ParseError> {
        let mut out = String::new();
        let mut i = start + 1;
        let mut pending_high: Option<u16> = None;
        loop {
            let Some(b) = self.peek_at(i) else {
                self.pos = self.bytes.len();
                return Err(ParseError::new(
                    "S0101",
                    "String literal must be terminated by a matching quote".into(),
                    Span::new(start, self.bytes.len()),
                ));
            };
            if b == b'\\' {
                let esc = self.peek_at(i + 1);
                let decoded = match esc {
                    Some(b'"') => Some('"'),
                    Some(b'\\') => Some('\\'),
                    Some(b'/') => Some('/'),
                    Some(b'b') => Some('\u{8}'),
                    Some(b'f') => Some('\u{c}'),
                    Some(b'n') => Some('\n'),
                    Some(b'r') => Some('\r'),
                    Some(b't') => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = decoded {
                    flush_surrogate(&mut out, &mut pending_high);
                    out.push(ch);
                    i += 2;
                    continue;
                }
                if esc == Some(b'u') {
                    let hex = self
                        .bytes
                        .get(i + 2..i + 6)
                        .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                    let Some(hex) = hex else {
                        return Err(ParseError::new(
                            "S0104",
                            "The escape sequence \\u must be followed by 4 hex digits".into(),
                            Span::new(i, (i + 6).min(self.bytes.len())),
                        ));
                    };
                    // All ASCII hex digits, so this is valid UTF-8 and parses.
                    let unit = std::str::from_utf8(hex)
                        .ok()
                        .and_then(|h| u16::from_str_radix(h, 16).ok())
                        .unwrap_or(0xFFFD);
                    push_utf16_unit(&mut out, &mut pending_high, unit);
                    i += 6;
                    continue;
                }
                // Illegal escape: report the character after the backslash.
                let ch_len = self.src[i + 1..].chars().next().map_or(0, char::len_utf8);
                let token = self.src[i + 1..i + 1 + ch_len].to_string();
                return Err(ParseError::new(
                    "S0103",
                    format!("Unsupported escape sequence: \\{token}"),
                    Span::new(i, i + 1 + ch_len),
                ));
            }
            if b == q {
                flush_surrogate(&mut out, &mut pending_high);
                self.pos = i + 1;
                return Ok(self.token(Tok::Str(out), start));
            }
            // Copy one whole UTF-8 character.
            let ch = self.src[i..].chars().next().unwrap_or('\u{FFFD}');
            flush_surrogate(&mut out, &mut pending_high);
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
    }

    /// `(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?` starting at `start`.
    fn scan_number(&mut self, start: usize) -> Result<Token, ParseError> {
        let digits = |mut i: usize| {
            while self.peek_at(i).is_some_and(|b| b.is_ascii_digit()) {
                i += 1;
            }
            i
        };
        let mut end = if self.peek_at(start) == Some(b'0') {
            start + 1
        } else {
            digits(start)
        };
        if self.peek_at(end) == Some(b'.')
            && self.peek_at(end + 1).is_some_and(|b| b.is_ascii_digit())
        {
            end = digits(end + 1);
        }
        if matches!(self.peek_at(end), Some(b'e' | b'E')) {
            let mut e = end + 1;
            if matches!(self.peek_at(e), Some(b'+' | b'-')) {
                e += 1;
            }
            if self.peek_at(e).is_some_and(|b| b.is_ascii_digit()) {
                end = digits(e);
            }
        }
        let text = &self.src[start..end];
        self.pos = end;
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(self.token(Tok::Num(n), start)),
            _ => Err(ParseError::new(
                "S0102",
                format!("Number out of range: {text}"),
                Span::new(start, end),
            )),
        }
    }

    /// A regex literal; `self.pos` is just past the opening `/` at `start`.
    ///
    /// The closing `/` is the first one outside brackets that is preceded by an
    /// even number of backslashes. The pattern is not compiled here.
    fn scan_regex(&mut self, start: usize) -> Result<Token, ParseError> {
        let body = self.pos;
        let mut depth: i64 = 0;
        let mut i = body;
        while let Some(b) = self.peek_at(i) {
            if b == b'/' && depth == 0 {
                let mut backslashes = 0;
                while i - backslashes > body && self.bytes[i - backslashes - 1] == b'\\' {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    let pattern = &self.src[body..i];
                    if pattern.is_empty() {
                        self.pos = i + 1;
                        return Err(ParseError::new(
                            "S0301",
                            "Empty regular expressions are not allowed".into(),
                            Span::new(start, i + 1),
                        ));
                    }
                    let mut f = i + 1;
                    while matches!(self.peek_at(f), Some(b'i' | b'm')) {
                        f += 1;
                    }
                    let tok = Tok::Regex {
                        pattern: pattern.to_string(),
                        flags: self.src[i + 1..f].to_string(),
                    };
                    self.pos = f;
                    return Ok(self.token(tok, start));
                }
            }
            let escaped = i > body && self.bytes[i - 1] == b'\\';
            if matches!(b, b'(' | b'[' | b'{') && !escaped {
                depth += 1;
            }
            if matches!(b, b')' | b']' | b'}') && !escaped {
                depth -= 1;
            }
            i += 1;
        }
        self.pos = self.bytes.len();
        Err(ParseError::new(
            "S0302",
            "No terminating / in regular expression".into(),
            Span::new(start, self.bytes.len()),
        ))
    }
}

/// Appends one UTF-16 code unit from a `\uXXXX` escape, pairing surrogates.
/// A lone surrogate (which a Rust string cannot hold) becomes U+FFFD.
fn push_utf16_unit(out: &mut String, pending_high: &mut Option<u16>, unit: u16) {
    match unit {
        0xD800..=0xDBFF => {
            flush_surrogate(out, pending_high);
            *pending_high = Some(unit);
        }
        0xDC00..=0xDFFF => match pending_high.take() {
            Some(high) => {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            None => out.push('\u{FFFD}'),
        },
        _ => {
            flush_surrogate(out, pending_high);
            out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'));
        }
    }
}

fn flush_surrogate(out: &mut String, pending_high: &mut Option<u16>) {
    if pending_high.take().is_some() {
        out.push('\u{FFFD}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        let mut lx = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lx.next(true).unwrap();
            if t.tok == Tok::End {
                return out;
            }
            out.push(t.tok);
        }
    }

    fn err(src: &str, infix: bool) -> ParseError {
        let mut lx = Lexer::new(src);
        loop {
            match lx.next(infix) {
                Ok(t) if t.tok == Tok::End => panic!("no error for {src:?}"),
                Ok(_) => {}
                Err(e) => return e,
            }
        }
    }

    #[test]
    fn names_variables_keywords() {
        assert_eq!(
            toks("a.b $x $ $$ and or in true false null `a b`"),
            vec![
                Tok::Name("a".into()),
                Tok::Op("."),
                Tok::Name("b".into()),
                Tok::Variable("x".into()),
                Tok::Variable("".into()),
                Tok::Variable("$".into()),
                Tok::Op("and"),
                Tok::Op("or"),
                Tok::Op("in"),
                Tok::Bool(true),
                Tok::Bool(false),
                Tok::Null,
                Tok::Name("a b".into()),
            ]
        );
        assert_eq!(toks("héllo"), vec![Tok::Name("héllo".into())]);
    }

    #[test]
    fn operators() {
        assert_eq!(
            toks(".. := != >= <= ** ~> ?: ?? | ^ & @ # %"),
            ["..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??", "|", "^", "&", "@", "#", "%"]
                .iter()
                .map(|o| Tok::Op(o))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("0 12 1.5 2e3 1E-2"),
            vec![
                Tok::Num(0.0),
                Tok::Num(12.0),
                Tok::Num(1.5),
                Tok::Num(2000.0),
                Tok::Num(0.01)
            ]
        );
        // `420.` is the number 420 followed by the path operator.
        assert_eq!(toks("420."), vec![Tok::Num(420.0), Tok::Op(".")]);
        assert_eq!(
            toks("1..3"),
            vec![Tok::Num(1.0), Tok::Op(".."), Tok::Num(3.0)]
        );
        assert_eq!(err("1e999", true).code, "S0102");
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            toks(r#""a\"b" 'c"d' "\n\t\/\\" "\u00e9\ud83d\ude00" "x\ud800""#),
            vec![
                Tok::Str("a\"b".into()),
                Tok::Str("c\"d".into()),
                Tok::Str("\n\t/\\".into()),
                Tok::Str("é😀".into()),
                Tok::Str("x\u{FFFD}".into()),
            ]
        );
        assert_eq!(err("'abc", true).code, "S0101");
        assert_eq!(err(r#""\q""#, true).code, "S0103");
        // As in jsonata-js, `\'` is not an escape (JSON has none).
        assert_eq!(err(r"'it\'s'", true).code, "S0103");
        assert_eq!(err(r#""\u12""#, true).code, "S0104");
        assert_eq!(err(r#""\u12"#, true).code, "S0104");
        assert_eq!(err("`abc", true).code, "S0105");
    }

    #[test]
    fn comments() {
        assert_eq!(toks("/* c */ a /**/"), vec![Tok::Name("a".into())]);
        let e = err("a /* open", true);
        assert_eq!((e.code, e.span), ("S0106", Span::new(2, 9)));
    }

    #[test]
    fn regexes() {
        let mut lx = Lexer::new(r"/ab+c/im /a\/b[/]/ /x/g");
        let t = lx.next(false).unwrap();
        assert_eq!(
            t.tok,
            Tok::Regex {
                pattern: "ab+c".into(),
                flags: "im".into()
            }
        );
        assert_eq!(t.span, Span::new(0, 8));
        let t = lx.next(false).unwrap();
        assert_eq!(
            t.tok,
            Tok::Regex {
                pattern: r"a\/b[/]".into(),
                flags: "".into()
            }
        );
        // In infix position `/` is division.
        assert_eq!(Lexer::new("/").next(true).unwrap().tok, Tok::Op("/"));
        assert_eq!(err("//", false).code, "S0301");
        assert_eq!(err("/abc", false).code, "S0302");
        assert_eq!(err("/a(/", false).code, "S0302");
    }
}
