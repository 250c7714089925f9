//! The path parser: a byte scanner over the source, recursive only inside
//! filter expressions and there bounded by [`MAX_FILTER_DEPTH`].

use serde_json::Value;

use super::filter::{CompareOp, Filter, FilterPath, Operand};
use super::{Path, PathError, Root, Step};
use crate::span::Span;

/// How deeply `(…)` and `!` may nest inside one filter; deeper input is a
/// [`PathError`], never a stack overflow.
pub const MAX_FILTER_DEPTH: usize = 64;

/// Parses `src` into a path plus the span of each step.
pub(super) fn parse_path(src: &str) -> Result<(Path, Vec<Span>), PathError> {
    let mut parser = Parser::new(src);
    let root = parser.root()?;
    let mut steps = Vec::new();
    let mut spans = Vec::new();
    while !parser.at_end() {
        let start = parser.pos;
        steps.push(parser.step(Mode::Path)?);
        spans.push(Span::new(start, parser.pos));
    }
    Ok((Path { root, steps }, spans))
}

/// Where a step is being parsed: a top-level path, or a path inside a
/// filter (name/index steps only, more delimiters).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Filter,
}

struct Parser<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    depth: usize,
}

type Parsed<T> = Result<T, PathError>;

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Self {
        Parser {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    // ----- scanning helpers -------------------------------------------------

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn starts_with(&self, text: &str) -> bool {
        self.bytes[self.pos..].starts_with(text.as_bytes())
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// The span of the (whole UTF-8) character at the cursor, or an empty
    /// span at the end.
    fn char_span(&self) -> Span {
        let len = self.src[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(self.pos, self.pos + len)
    }

    fn describe_here(&self) -> String {
        match self.src[self.pos..].chars().next() {
            Some(c) => format!("'{c}'"),
            None => "the end of the path".to_string(),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> PathError {
        PathError::new(message, self.char_span())
    }

    fn expect(&mut self, byte: u8, what: &str) -> Parsed<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(format!("expected {what}, found {}", self.describe_here())))
        }
    }

    // ----- root ---------------------------------------------------------------

    fn root(&mut self) -> Parsed<Root> {
        match self.peek() {
            None => Err(PathError::new(
                "empty path: a path starts with '$'",
                Span::at(0),
            )),
            Some(b) if b.is_ascii_whitespace() => Err(self
                .error_here("unexpected whitespace: a path starts with '$' and may not be padded")),
            Some(b'$') => {
                self.pos += 1;
                self.root_after_dollar()
            }
            Some(_) => Err(self.error_here(format!(
                "a path must start with '$', found {}",
                self.describe_here()
            ))),
        }
    }

    fn root_after_dollar(&mut self) -> Parsed<Root> {
        if self.peek() == Some(b'$') {
            self.pos += 1;
            if self.peek() == Some(b'$') {
                return Err(self.error_here("'$$$' is not a valid root; use '$' or '$$'"));
            }
            return Ok(Root::Context);
        }
        let start = self.pos;
        while let Some(c) = self.src[self.pos..].chars().next() {
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Ok(Root::Input);
        }
        match self.peek() {
            None | Some(b'.') | Some(b'[') => Ok(Root::Variable(self.src[start..self.pos].into())),
            Some(_) => Err(self.error_here(format!(
                "unexpected {} in variable name; variable names use letters, digits and '_'",
                self.describe_here()
            ))),
        }
    }

    // ----- steps --------------------------------------------------------------

    fn step(&mut self, mode: Mode) -> Parsed<Step> {
        match self.peek() {
            Some(b'.') if self.peek_at(1) == Some(b'.') => self.descendant(mode),
            Some(b'.') => {
                self.pos += 1;
                self.after_dot(mode)
            }
            Some(b'[') => self.bracket(mode),
            Some(b) if b.is_ascii_whitespace() => {
                Err(self.error_here("unexpected whitespace in path"))
            }
            _ => Err(self.error_here(format!(
                "unexpected {}; expected '.' or '['",
                self.describe_here()
            ))),
        }
    }

    fn descendant(&mut self, mode: Mode) -> Parsed<Step> {
        let start = self.pos;
        if mode == Mode::Filter {
            return Err(PathError::new(
                "'..' is not supported in paths inside a filter",
                Span::new(start, start + 2),
            ));
        }
        self.pos += 2;
        let inner = match self.peek() {
            Some(b'*') => {
                self.pos += 1;
                Step::Wildcard
            }
            Some(b'[') => self.bracket(mode)?,
            Some(b'.') => return Err(self.error_here("too many dots: expected a name after '..'")),
            _ => self.dot_name(mode, "'..'")?,
        };
        Ok(Step::Descendant(Box::new(inner)))
    }

    fn after_dot(&mut self, mode: Mode) -> Parsed<Step> {
        match self.peek() {
            Some(b'*') if mode == Mode::Path => {
                self.pos += 1;
                Ok(Step::Wildcard)
            }
            // Jayway accepts `$.[…]` as `$[…]`.
            Some(b'[') => self.bracket(mode),
            _ => self.dot_name(mode, "'.'"),
        }
    }

    /// A field name in dot notation: everything up to the next delimiter.
    fn dot_name(&mut self, mode: Mode, after: &str) -> Parsed<Step> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if ends_dot_name(b, mode) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error_here(format!(
                "expected a field name after {after}, found {}",
                self.describe_here()
            )));
        }
        if self.peek() == Some(b'(') {
            return Err(PathError::new(
                format!(
                    "JSONPath functions such as '{}()' are not supported",
                    &self.src[start..self.pos]
                ),
                Span::new(start, self.pos + 1),
            ));
        }
        if mode == Mode::Path && matches!(self.peek(), Some(b']' | b')')) {
            return Err(self.error_here(format!("unbalanced {}", self.describe_here())));
        }
        Ok(Step::Name(self.src[start..self.pos].to_string()))
    }

    fn bracket(&mut self, mode: Mode) -> Parsed<Step> {
        let open = self.pos;
        self.pos += 1;
        self.skip_ws();
        let step = match self.peek() {
            Some(b'\'' | b'"') => self.quoted_names(mode)?,
            Some(b'-' | b'0'..=b'9' | b':') => self.numeric_selector(mode)?,
            Some(b'*') if mode == Mode::Path => {
                self.pos += 1;
                Step::Wildcard
            }
            Some(b'?') if mode == Mode::Path => self.filter()?,
            Some(b'(') => {
                return Err(self.error_here(
                    "script expressions '[(…)]' are not supported; use an index, a slice or a \
                     filter '[?(…)]'",
                ))
            }
            Some(b']') => {
                return Err(PathError::new(
                    "empty brackets '[]'",
                    Span::new(open, self.pos + 1),
                ))
            }
            _ if mode == Mode::Filter => {
                return Err(self.error_here(
                    "only ['name'] and [index] are supported in paths inside a filter",
                ))
            }
            _ => {
                return Err(self.error_here(format!(
                    "expected a quoted name, an index, '*', a slice or a filter '?(…)' after \
                     '[', found {}",
                    self.describe_here()
                )))
            }
        };
        self.skip_ws();
        if self.at_end() {
            return Err(PathError::new(
                "unclosed '[': expected ']'",
                Span::new(open, self.pos),
            ));
        }
        self.expect(b']', "']'")?;
        Ok(step)
    }

    fn quoted_names(&mut self, mode: Mode) -> Parsed<Step> {
        let mut names = vec![self.quoted()?];
        loop {
            self.skip_ws();
            if self.peek() != Some(b',') {
                break;
            }
            if mode == Mode::Filter {
                return Err(self.error_here("unions are not supported in paths inside a filter"));
            }
            self.pos += 1;
            self.skip_ws();
            if !matches!(self.peek(), Some(b'\'' | b'"')) {
                return Err(self.error_here(format!(
                    "expected a quoted name after ',', found {}",
                    self.describe_here()
                )));
            }
            names.push(self.quoted()?);
        }
        Ok(if names.len() == 1 {
            Step::Name(names.swap_remove(0))
        } else {
            Step::Names(names)
        })
    }

    /// A `'…'` or `"…"` string; a backslash escapes the delimiter or another
    /// backslash and is literal before anything else.
    fn quoted(&mut self) -> Parsed<String> {
        let open = self.pos;
        let Some(quote) = self.peek() else {
            return Err(self.error_here("expected a quoted string"));
        };
        self.pos += 1;
        let mut text = String::new();
        let mut segment = self.pos;
        loop {
            match self.peek() {
                None => {
                    return Err(PathError::new(
                        "unterminated string",
                        Span::new(open, self.pos),
                    ))
                }
                Some(b'\\') if matches!(self.peek_at(1), Some(b) if b == quote || b == b'\\') => {
                    text.push_str(&self.src[segment..self.pos]);
                    segment = self.pos + 1;
                    self.pos += 2;
                }
                Some(b) if b == quote => {
                    text.push_str(&self.src[segment..self.pos]);
                    self.pos += 1;
                    return Ok(text);
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `[n]`, `[n,m,…]` or a slice `[a:b:c]`.
    fn numeric_selector(&mut self, mode: Mode) -> Parsed<Step> {
        let first = self.optional_int()?;
        self.skip_ws();
        match (self.peek(), first) {
            (Some(b':'), _) if mode == Mode::Path => self.slice(first),
            (Some(b','), Some(first)) if mode == Mode::Path => self.index_union(first),
            (_, Some(index)) => Ok(Step::Index(index)),
            (Some(b':'), None) => {
                Err(self.error_here("slices are not supported in paths inside a filter"))
            }
            _ => Err(self.error_here("expected an index")),
        }
    }

    fn slice(&mut self, start: Option<i64>) -> Parsed<Step> {
        self.pos += 1; // ':'
        self.skip_ws();
        let end = self.optional_int()?;
        self.skip_ws();
        let mut step = None;
        if self.peek() == Some(b':') {
            self.pos += 1;
            self.skip_ws();
            let at = self.pos;
            step = self.optional_int()?;
            if step == Some(0) {
                return Err(PathError::new(
                    "slice step cannot be 0",
                    Span::new(at, self.pos),
                ));
            }
        }
        Ok(Step::Slice { start, end, step })
    }

    fn index_union(&mut self, first: i64) -> Parsed<Step> {
        let mut indexes = vec![first];
        while self.peek() == Some(b',') {
            self.pos += 1;
            self.skip_ws();
            match self.optional_int()? {
                Some(index) => indexes.push(index),
                None => {
                    return Err(self.error_here(format!(
                        "expected an index after ',', found {}",
                        self.describe_here()
                    )))
                }
            }
            self.skip_ws();
        }
        Ok(Step::Indexes(indexes))
    }

    /// An optional `-?[0-9]+` fitting in `i64`.
    fn optional_int(&mut self) -> Parsed<Option<i64>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            if self.pos > start {
                return Err(self.error_here("expected digits after '-'"));
            }
            return Ok(None);
        }
        self.src[start..self.pos]
            .parse()
            .map(Some)
            .map_err(|_| PathError::new("index out of range", Span::new(start, self.pos)))
    }

    // ----- filters --------------------------------------------------------------

    fn filter(&mut self) -> Parsed<Step> {
        self.pos += 1; // '?'
        if self.peek() != Some(b'(') {
            return Err(self.error_here("a filter is written '[?(…)]' (with parentheses)"));
        }
        let open = self.pos;
        self.pos += 1;
        self.enter(open)?;
        let filter = self.or_expr()?;
        self.skip_ws();
        self.expect(b')', "')' closing the filter")?;
        self.depth -= 1;
        Ok(Step::Filter(Box::new(filter)))
    }

    fn enter(&mut self, at: usize) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(PathError::new(
                format!("filter nested too deeply (limit {MAX_FILTER_DEPTH})"),
                Span::new(at, at + 1),
            ));
        }
        Ok(())
    }

    fn or_expr(&mut self) -> Parsed<Filter> {
        let mut left = self.and_expr()?;
        loop {
            self.skip_ws();
            if !self.starts_with("||") {
                return Ok(left);
            }
            self.pos += 2;
            left = Filter::Or(Box::new(left), Box::new(self.and_expr()?));
        }
    }

    fn and_expr(&mut self) -> Parsed<Filter> {
        let mut left = self.unary()?;
        loop {
            self.skip_ws();
            if !self.starts_with("&&") {
                return Ok(left);
            }
            self.pos += 2;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Parsed<Filter> {
        self.skip_ws();
        match self.peek() {
            Some(b'!') => {
                let at = self.pos;
                self.pos += 1;
                self.enter(at)?;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Filter::Not(Box::new(inner)))
            }
            Some(b'(') => {
                let at = self.pos;
                self.pos += 1;
                self.enter(at)?;
                let inner = self.or_expr()?;
                self.skip_ws();
                self.expect(b')', "')'")?;
                self.depth -= 1;
                Ok(inner)
            }
            _ => self.comparison(),
        }
    }

    fn comparison(&mut self) -> Parsed<Filter> {
        let start = self.pos;
        let left = self.operand()?;
        self.skip_ws();
        let Some(op) = self.compare_op()? else {
            return match left {
                Operand::Path(path) => Ok(Filter::Exists(path)),
                Operand::Literal(_) => Err(PathError::new(
                    "a literal alone is not a condition; compare it with '==', '<', …",
                    Span::new(start, self.pos),
                )),
            };
        };
        self.skip_ws();
        let right = self.operand()?;
        Ok(Filter::Compare { left, op, right })
    }

    fn compare_op(&mut self) -> Parsed<Option<CompareOp>> {
        const OPS: [(&str, CompareOp); 6] = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ];
        if self.starts_with("=~") {
            return Err(PathError::new(
                "the regular-expression operator '=~' is not supported",
                Span::new(self.pos, self.pos + 2),
            ));
        }
        if let Some((text, op)) = OPS.iter().find(|(text, _)| self.starts_with(text)) {
            self.pos += text.len();
            return Ok(Some(*op));
        }
        if self.peek() == Some(b'=') {
            return Err(self.error_here("'=' is not an operator; use '=='"));
        }
        if self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            let start = self.pos;
            let word = self.word();
            return Err(PathError::new(
                format!("the filter operator '{word}' is not supported"),
                Span::new(start, self.pos),
            ));
        }
        Ok(None)
    }

    fn word(&mut self) -> &'s str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        &self.src[start..self.pos]
    }

    fn operand(&mut self) -> Parsed<Operand> {
        match self.peek() {
            Some(b'@') => {
                self.pos += 1;
                self.filter_path(true)
            }
            Some(b'$') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b) if b == b'$' || b == b'_' || b.is_ascii_alphanumeric())
                {
                    return Err(
                        self.error_here("only '$' and '@' paths are supported inside a filter")
                    );
                }
                self.filter_path(false)
            }
            Some(b'\'' | b'"') => Ok(Operand::Literal(Value::String(self.quoted()?))),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'/') => Err(self.error_here("regular-expression literals are not supported")),
            Some(b) if b.is_ascii_alphabetic() => self.keyword(),
            _ => Err(self.error_here(format!(
                "expected a value ('@…', '$…', a string, a number, true, false or null), found {}",
                self.describe_here()
            ))),
        }
    }

    fn filter_path(&mut self, relative: bool) -> Parsed<Operand> {
        let mut steps = Vec::new();
        while matches!(self.peek(), Some(b'.' | b'[')) {
            steps.push(self.step(Mode::Filter)?);
        }
        Ok(Operand::Path(FilterPath { relative, steps }))
    }

    fn number(&mut self) -> Parsed<Operand> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Number(_)) => Ok(Operand::Literal(value)),
            _ => Err(PathError::new(
                format!("'{text}' is not a valid number"),
                Span::new(start, self.pos),
            )),
        }
    }

    fn keyword(&mut self) -> Parsed<Operand> {
        let start = self.pos;
        let value = match self.word() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            word => {
                return Err(PathError::new(
                    format!("unknown word '{word}' (strings are quoted: '{word}')"),
                    Span::new(start, self.pos),
                ))
            }
        };
        Ok(Operand::Literal(value))
    }
}

/// Bytes that end a dot-notation name. Inside filters, operator and
/// punctuation characters end it too (`@.price<10`).
fn ends_dot_name(b: u8, mode: Mode) -> bool {
    match b {
        b'.' | b'[' | b'(' => true,
        _ if b.is_ascii_whitespace() => true,
        b']' | b')' => true,
        b'=' | b'!' | b'<' | b'>' | b'&' | b'|' | b',' => mode == Mode::Filter,
        _ => false,
    }
}
