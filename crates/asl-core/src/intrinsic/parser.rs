//! The intrinsic-call parser and its static checks.

use super::{Arg, ArgKind, Call, Function, IntrinsicError, MAX_NESTING};
use crate::span::Span;

const PREFIX: &str = "States.";

/// Whether `s` has the shape of an intrinsic call, `States.<Name>(…` — the
/// test that decides whether a `.$` value is parsed as a call (with
/// [`parse`]) or as a path. The name need not be a known function, so that
/// `States.Xyz($.a)` is reported as an unknown function rather than as a bad
/// path.
pub fn looks_like_call(s: &str) -> bool {
    match s.strip_prefix(PREFIX) {
        Some(rest) => {
            let name_len = rest.bytes().take_while(|&b| is_name_byte(b)).count();
            name_len > 0 && rest.as_bytes().get(name_len) == Some(&b'(')
        }
        None => false,
    }
}

/// Parses the value of a `.$` field that is an intrinsic call.
///
/// Besides syntax, checks the function name, the argument count, the types
/// of literal and nested-call arguments where they are known without data,
/// literal values that can never succeed (`States.Hash(x, 'MD4')`,
/// `States.JsonMerge(a, b, true)`, `States.ArrayRange(1, 5000, 1)`, a
/// literal `States.Format` template whose `{}` count differs from the number
/// of values) and the nesting limit [`MAX_NESTING`]. Spans in the result and
/// in the error are byte ranges of `src`. Never panics; recursion is bounded
/// by the nesting limit.
pub fn parse(src: &str) -> Result<Call, IntrinsicError> {
    if u32::try_from(src.len()).is_err() {
        return Err(IntrinsicError::new(
            "the expression is too long",
            Span::at(0),
        ));
    }
    let mut p = Parser { src, pos: 0 };
    let call = p.call(1)?;
    p.skip_ws();
    if p.pos < src.len() {
        return Err(IntrinsicError::new(
            format!(
                "unexpected text after the end of the {} call",
                call.function
            ),
            Span::new(p.pos, src.len()),
        ));
    }
    Ok(call)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// The span of the character at the current position (empty at the end).
    fn here(&self) -> Span {
        match self.src[self.pos..].chars().next() {
            Some(c) => Span::new(self.pos, self.pos + c.len_utf8()),
            None => Span::at(self.pos),
        }
    }

    fn describe_here(&self) -> String {
        match self.src[self.pos..].chars().next() {
            Some(c) => format!("'{}'", c.escape_default()),
            None => "the end of the expression".to_string(),
        }
    }

    /// `States.<Name>(<args>)` at the current position, `depth` calls deep.
    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicError> {
        let start = self.pos;
        if !self.src[start..].starts_with(PREFIX) {
            return Err(IntrinsicError::new(
                "expected an intrinsic function call 'States.<Name>(…)'",
                self.here(),
            ));
        }
        let name_start = start + PREFIX.len();
        let mut name_end = name_start;
        while self
            .bytes()
            .get(name_end)
            .copied()
            .is_some_and(is_name_byte)
        {
            name_end += 1;
        }
        let name_span = Span::new(start, name_end);
        if name_end == name_start {
            return Err(IntrinsicError::new(
                "expected a function name after 'States.'",
                Span::new(start, name_end),
            ));
        }
        if depth > MAX_NESTING {
            return Err(IntrinsicError::new(
                format!(
                    "intrinsic functions can be nested at most {MAX_NESTING} deep in one field"
                ),
                name_span,
            ));
        }
        let name = &self.src[name_start..name_end];
        let function = Function::from_short_name(name).ok_or_else(|| {
            let hint = match Function::ALL
                .into_iter()
                .find(|f| f.name()[PREFIX.len()..].eq_ignore_ascii_case(name))
            {
                Some(f) => format!(" (did you mean '{f}'?)"),
                None => String::new(),
            };
            IntrinsicError::new(
                format!("unknown intrinsic function 'States.{name}'{hint}"),
                name_span,
            )
        })?;
        self.pos = name_end;
        if self.peek() != Some(b'(') {
            return Err(IntrinsicError::new(
                format!("expected '(' after '{function}'"),
                self.here(),
            ));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                args.push(self.arg(depth)?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(IntrinsicError::new(
                            format!(
                                "expected ',' or ')' in the arguments of {function}, found {}",
                                self.describe_here()
                            ),
                            self.here(),
                        ))
                    }
                }
            }
        }
        let call = Call {
            function,
            name_span,
            args,
            span: Span::new(start, self.pos),
        };
        check(&call)?;
        Ok(call)
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicError> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'\'') => self.string()?,
            Some(b'$') => self.path(),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b) if b.is_ascii_alphabetic() => {
                if self.src[start..].starts_with(PREFIX) {
                    ArgKind::Call(Box::new(self.call(depth + 1)?))
                } else {
                    self.keyword()?
                }
            }
            Some(b',' | b')') => {
                return Err(IntrinsicError::new("expected an argument", self.here()))
            }
            _ => {
                return Err(IntrinsicError::new(
                    format!(
                        "expected an argument (a 'string', a number, true, false, null, a path or a call), found {}",
                        self.describe_here()
                    ),
                    self.here(),
                ))
            }
        };
        Ok(Arg {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    fn string(&mut self) -> Result<ArgKind, IntrinsicError> {
        let open = self.pos;
        let body_start = open + 1;
        let mut value = String::new();
        let mut chars = self.src[body_start..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    let end = body_start + i;
                    self.pos = end + 1;
                    return Ok(ArgKind::String {
                        value,
                        raw: self.src[body_start..end].to_string(),
                    });
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('\'' | '{' | '}' | '\\'))) => value.push(e),
                    Some((j, e)) => {
                        let at = body_start + i;
                        return Err(IntrinsicError::new(
                            format!(
                                "invalid escape sequence '\\{}' in a string literal: only \\', \\{{, \\}} and \\\\ are allowed",
                                e.escape_default()
                            ),
                            Span::new(at, body_start + j + e.len_utf8()),
                        ));
                    }
                    None => break,
                },
                c => value.push(c),
            }
        }
        Err(IntrinsicError::new(
            "unterminated string literal: missing the closing quote",
            Span::new(open, self.src.len()),
        ))
    }

    fn path(&mut self) -> ArgKind {
        let start = self.pos;
        let b = self.bytes();
        let mut i = start;
        let mut brackets = 0usize;
        let mut parens = 0usize;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            if let Some(q) = quote {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            match c {
                b'\'' | b'"' if brackets > 0 || parens > 0 => quote = Some(c),
                b'[' => brackets += 1,
                b']' => brackets = brackets.saturating_sub(1),
                b'(' => parens += 1,
                b')' if parens > 0 => parens -= 1,
                b')' | b',' if brackets == 0 => break,
                _ => {}
            }
            i += 1;
        }
        let i = i.min(b.len());
        let mut end = i;
        while end > start && is_ws(b[end - 1]) {
            end -= 1;
        }
        self.pos = end;
        ArgKind::Path(self.src[start..end].to_string())
    }

    fn number(&mut self) -> Result<ArgKind, IntrinsicError> {
        let start = self.pos;
        let b = self.bytes();
        let mut i = start;
        while i < b.len() && !is_ws(b[i]) && b[i] != b',' && b[i] != b')' {
            i += 1;
        }
        // Stop at a character boundary even for garbage input.
        while !self.src.is_char_boundary(i) {
            i += 1;
        }
        let text = &self.src[start..i];
        let span = Span::new(start, i);
        let valid_shape = text
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'));
        if !valid_shape {
            return Err(IntrinsicError::new(
                format!("invalid number '{text}'"),
                span,
            ));
        }
        match serde_json::from_str::<serde_json::Number>(text) {
            Ok(n) => {
                self.pos = i;
                Ok(ArgKind::Number(n))
            }
            Err(_) => Err(IntrinsicError::new(
                format!("invalid number '{text}'"),
                span,
            )),
        }
    }

    fn keyword(&mut self) -> Result<ArgKind, IntrinsicError> {
        let start = self.pos;
        let b = self.bytes();
        let mut i = start;
        while i < b.len() && (is_name_byte(b[i]) || b[i] == b'.') {
            i += 1;
        }
        let word = &self.src[start..i];
        let kind = match word {
            "true" => ArgKind::Bool(true),
            "false" => ArgKind::Bool(false),
            "null" => ArgKind::Null,
            _ => {
                return Err(IntrinsicError::new(
                    format!(
                        "unexpected '{word}': string arguments are written in single quotes and paths start with '$'"
                    ),
                    Span::new(start, i),
                ))
            }
        };
        self.pos = i;
        Ok(kind)
    }
}

/// What is statically known about an argument's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Known {
    String,
    Integer,
    Float,
    Boolean,
    Null,
    Array,
    Object,
    Unknown,
}

impl Known {
    fn describe(self) -> &'static str {
        match self {
            Known::String => "a string",
            Known::Integer => "an integer",
            Known::Float => "a non-integral number",
            Known::Boolean => "a boolean",
            Known::Null => "null",
            Known::Array => "an array",
            Known::Object => "an object",
            Known::Unknown => "a value",
        }
    }
}

/// The type a parameter requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Any,
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Any => "any value",
            Want::String => "a string",
            Want::Number => "a number",
            Want::Integer => "an integer",
            Want::Boolean => "a boolean",
            Want::Array => "an array",
            Want::Object => "an object",
        }
    }

    fn accepts(self, k: Known) -> bool {
        matches!(
            (self, k),
            (Want::Any, _)
                | (_, Known::Unknown)
                | (Want::String, Known::String)
                | (Want::Number, Known::Integer | Known::Float)
                | (Want::Integer, Known::Integer)
                | (Want::Boolean, Known::Boolean)
                | (Want::Array, Known::Array)
                | (Want::Object, Known::Object)
        )
    }
}

fn known(arg: &Arg) -> Known {
    match &arg.kind {
        ArgKind::String { .. } => Known::String,
        ArgKind::Number(n) => {
            if super::eval::number_as_integer(n).is_some() {
                Known::Integer
            } else {
                Known::Float
            }
        }
        ArgKind::Bool(_) => Known::Boolean,
        ArgKind::Null => Known::Null,
        ArgKind::Path(_) => Known::Unknown,
        ArgKind::Call(c) => match c.function {
            Function::Format
            | Function::JsonToString
            | Function::Base64Encode
            | Function::Base64Decode
            | Function::Hash
            | Function::Uuid => Known::String,
            Function::Array
            | Function::ArrayPartition
            | Function::ArrayRange
            | Function::ArrayUnique
            | Function::StringSplit => Known::Array,
            Function::ArrayContains => Known::Boolean,
            Function::ArrayLength | Function::MathAdd | Function::MathRandom => Known::Integer,
            Function::JsonMerge => Known::Object,
            Function::StringToJson | Function::ArrayGetItem => Known::Unknown,
        },
    }
}

fn wanted(f: Function, index: usize) -> Want {
    match (f, index) {
        (Function::Format, 0) => Want::String,
        (Function::StringToJson, _) => Want::String,
        (Function::ArrayPartition, 0) => Want::Array,
        (Function::ArrayPartition, 1) => Want::Integer,
        (Function::ArrayContains, 0) => Want::Array,
        (Function::ArrayRange, _) => Want::Integer,
        (Function::ArrayGetItem, 0) => Want::Array,
        (Function::ArrayGetItem, 1) => Want::Integer,
        (Function::ArrayLength | Function::ArrayUnique, _) => Want::Array,
        (Function::Base64Encode | Function::Base64Decode, _) => Want::String,
        (Function::Hash, _) => Want::String,
        (Function::JsonMerge, 0 | 1) => Want::Object,
        (Function::JsonMerge, 2) => Want::Boolean,
        (Function::MathRandom | Function::MathAdd, _) => Want::Number,
        (Function::StringSplit, _) => Want::String,
        _ => Want::Any,
    }
}

fn ordinal(i: usize) -> &'static str {
    ["first", "second", "third"]
        .get(i)
        .copied()
        .unwrap_or("next")
}

fn literal_integer(arg: &Arg) -> Option<i64> {
    match &arg.kind {
        ArgKind::Number(n) => super::eval::number_as_integer(n),
        _ => None,
    }
}

/// The static checks of one call (its own arguments; nested calls were
/// checked when they were parsed).
fn check(call: &Call) -> Result<(), IntrinsicError> {
    let f = call.function;
    let n = call.args.len();
    let (min, max) = f.arity();
    if n < min || max.is_some_and(|m| n > m) {
        let expected = match (min, max) {
            (a, Some(b)) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
            (a, Some(b)) => format!("{a} or {b} arguments"),
            (a, None) => format!("at least {a} argument{}", if a == 1 { "" } else { "s" }),
        };
        return Err(IntrinsicError::new(
            format!("{f} takes {expected}, but {n} were given"),
            call.span,
        ));
    }
    for (i, arg) in call.args.iter().enumerate() {
        let want = wanted(f, i);
        let k = known(arg);
        if !want.accepts(k) {
            return Err(IntrinsicError::new(
                format!(
                    "the {} argument of {f} must be {}, not {}",
                    ordinal(i),
                    want.describe(),
                    k.describe()
                ),
                arg.span,
            ));
        }
    }
    let args = &call.args;
    match f {
        Function::Format => {
            if let ArgKind::String { raw, .. } = &args[0].kind {
                let holes = super::eval::template_pieces(raw, true).len() - 1;
                if holes != n - 1 {
                    return Err(IntrinsicError::new(
                        format!(
                            "the template of {f} has {holes} placeholder{} '{{}}' but {} value{} given",
                            if holes == 1 { "" } else { "s" },
                            n - 1,
                            if n - 1 == 1 { " is" } else { "s are" }
                        ),
                        args[0].span,
                    ));
                }
            }
        }
        Function::Hash => {
            if let ArgKind::String { value, .. } = &args[1].kind {
                if super::eval::HashAlgorithm::from_name(value).is_none() {
                    return Err(IntrinsicError::new(
                        format!(
                            "unsupported hash algorithm '{value}': use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
                        ),
                        args[1].span,
                    ));
                }
            }
            check_length(f, &args[0])?;
        }
        Function::Base64Encode => check_length(f, &args[0])?,
        Function::Base64Decode => {
            check_length(f, &args[0])?;
            if let ArgKind::String { value, .. } = &args[0].kind {
                if super::eval::base64_decode(value).is_none() {
                    return Err(IntrinsicError::new(
                        format!("the argument of {f} is not valid Base64"),
                        args[0].span,
                    ));
                }
            }
        }
        Function::JsonMerge => {
            if let ArgKind::Bool(true) = args[2].kind {
                return Err(IntrinsicError::new(
                    "States.JsonMerge only supports the shallow merging mode: the third argument must be false",
                    args[2].span,
                ));
            }
        }
        Function::ArrayPartition if literal_integer(&args[1]).is_some_and(|size| size <= 0) => {
            return Err(IntrinsicError::new(
                "the chunk size of States.ArrayPartition must be greater than 0",
                args[1].span,
            ));
        }
        Function::ArrayGetItem if literal_integer(&args[1]).is_some_and(|i| i < 0) => {
            return Err(IntrinsicError::new(
                "the index of States.ArrayGetItem must not be negative",
                args[1].span,
            ));
        }
        Function::ArrayRange => {
            if literal_integer(&args[2]) == Some(0) {
                return Err(IntrinsicError::new(
                    "the step of States.ArrayRange must not be 0",
                    args[2].span,
                ));
            }
            if let (Some(a), Some(b), Some(s)) = (
                literal_integer(&args[0]),
                literal_integer(&args[1]),
                literal_integer(&args[2]),
            ) {
                let count = super::eval::range_len(a, b, s);
                if count > super::eval::MAX_RANGE_ITEMS {
                    return Err(IntrinsicError::new(
                        format!(
                            "States.ArrayRange would produce {count} items; at most {} are allowed",
                            super::eval::MAX_RANGE_ITEMS
                        ),
                        call.span,
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_length(f: Function, arg: &Arg) -> Result<(), IntrinsicError> {
    if let ArgKind::String { value, .. } = &arg.kind {
        if super::eval::java_length(value) > super::eval::MAX_STRING_CHARS {
            return Err(IntrinsicError::new(
                format!(
                    "the input of {f} must be at most {} characters long",
                    super::eval::MAX_STRING_CHARS
                ),
                arg.span,
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Number;

    fn ok(src: &str) -> Call {
        match parse(src) {
            Ok(c) => c,
            Err(e) => panic!("{src}: {e} at {:?}", e.span),
        }
    }

    fn err(src: &str) -> IntrinsicError {
        match parse(src) {
            Ok(c) => panic!("{src}: parsed as {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn parses_every_argument_form() {
        let src = "States.Array('a\\'b', -1.5, 2, true, false, null, $.x[0], $$.Execution.Id, $var.y, States.UUID())";
        let c = ok(src);
        assert_eq!(c.function, Function::Array);
        assert_eq!(c.name_span, Span::new(0, 12));
        assert_eq!(c.span, Span::new(0, src.len()));
        let kinds: Vec<&ArgKind> = c.args.iter().map(|a| &a.kind).collect();
        assert_eq!(
            kinds[0],
            &ArgKind::String {
                value: "a'b".into(),
                raw: "a\\'b".into()
            }
        );
        assert_eq!(kinds[1], &ArgKind::Number(Number::from_f64(-1.5).unwrap()));
        assert_eq!(kinds[2], &ArgKind::Number(Number::from(2)));
        assert_eq!(kinds[3], &ArgKind::Bool(true));
        assert_eq!(kinds[4], &ArgKind::Bool(false));
        assert_eq!(kinds[5], &ArgKind::Null);
        assert_eq!(kinds[6], &ArgKind::Path("$.x[0]".into()));
        assert_eq!(kinds[7], &ArgKind::Path("$$.Execution.Id".into()));
        assert_eq!(kinds[8], &ArgKind::Path("$var.y".into()));
        assert!(matches!(kinds[9], ArgKind::Call(c) if c.function == Function::Uuid));
        // Spans point at the argument text.
        for a in &c.args {
            let text = &src[a.span.range()];
            assert!(!text.is_empty() && !text.starts_with(' ') && !text.ends_with(' '));
        }
        assert_eq!(&src[c.args[6].span.range()], "$.x[0]");
    }

    #[test]
    fn escapes() {
        let c = ok(r"States.Format('\{\} \\ \' {}', 1)");
        match &c.args[0].kind {
            ArgKind::String { value, .. } => assert_eq!(value, r"{} \ ' {}"),
            k => panic!("{k:?}"),
        }
        // A real newline inside a literal is fine (TestGeneric__test_escape_sequence).
        ok("States.StringSplit('Hello\nWorld', '\n')");
        // Both lint-corpus files with \" are invalid.
        for src in [
            r#"States.StringToJson('{"text":"An \"escaped double quote\" here"}')"#,
            r#"States.Format('He said, \"Hello, {}!\"', 'Test \"Name\" Here')"#,
        ] {
            let e = err(src);
            assert!(e.message.contains("invalid escape"), "{e}");
            assert_eq!(&src[e.span.range()], "\\\"");
        }
        for bad in [r"States.Format('\n')", r"States.Format('\u0041')"] {
            assert!(err(bad).message.contains("invalid escape"));
        }
        assert!(err(r"States.Format('abc\')")
            .message
            .contains("unterminated"));
        assert!(err(r"States.Format('abc").message.contains("unterminated"));
    }

    #[test]
    fn valid_corpus_expressions() {
        // Every `.$` intrinsic value of lint-corpus/valid and of the recorded
        // conformance definitions that is evaluated by AWS.
        for src in [
            "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)",
            "States.Array('Foo', 2020, $.someJson, null)",
            "States.ArrayPartition($.inputArray,4)",
            "States.ArrayRange(1, 9, 2)",
            "States.Hash($.Data, $.Algorithm)",
            "States.MathAdd(States.ArrayLength($$.Execution.Input.machines),-1)",
            "States.Format($.template, $.firstName, $.lastName)    ",
            "States.JsonToString($)    ",
            "States.Format('one {}\ntwo {}', $.firstName, 'literal')",
            "States.ArrayContains($.boo, $.boo[0])",
            "States.MathRandom($.boo[0], $.boo[2])",
            "States.StringSplit($.bar.bub, $.o)",
            "States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)",
            "States.Format('arn:aws:iam::{}:role/{}', $accountId, $targetRole)",
            "States.Format($AnswerTemplate, $$.Map.Item.Value)",
            "States.JsonToString($.[?(@.year <= 1998)])",
            "States.ArrayGetItem($.DescribeRecord.RecordOutputs[?(@.OutputKey == FooBar)].OutputValue, 0)",
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)",
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
            "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), $$.Execution.Input.input_field, false)",
            "States.Format('{} xyz {}', 1, 'def')",
            "States.Array('Foo', $.xyz, 'Bar', 2.3)",
            "States.Format('Format:{}', 101)",
            "States.MathAdd($.Iterations, -1)",
            "States.UUID()",
            "States.Array()",
            "States.Array( )",
        ] {
            ok(src);
        }
        let c = ok("States.JsonToString($.[?(@.year <= 1998)])");
        assert_eq!(
            c.args[0].kind,
            ArgKind::Path("$.[?(@.year <= 1998)]".into())
        );
        let c = ok("States.ArrayGetItem($.a[?(@.k == 'x, y)')].v , 0)");
        assert_eq!(
            c.args[0].kind,
            ArgKind::Path("$.a[?(@.k == 'x, y)')].v".into())
        );
    }

    #[test]
    fn invalid_corpus_expressions() {
        // asls__documentInvalid*IntrinsicFunction.json, statelint__invalid-function-invocation.json
        assert!(!looks_like_call("States. "));
        assert!(!looks_like_call("States.StringToJson $.escaped)"));
        assert!(looks_like_call("States.JsonToString($"));
        assert!(looks_like_call("States.Xyz($.result)"));
        assert!(!looks_like_call("$.States.Format(x)"));
        assert!(!looks_like_call(" States.Format('')"));
        let e = err("States.JsonToString($");
        assert!(e.message.contains("expected ',' or ')'"), "{e}");
        let e = err("States.Xyz($.result)");
        assert_eq!(e.message, "unknown intrinsic function 'States.Xyz'");
        assert_eq!(e.span, Span::new(0, 10));
        let e = err("States.format('x')");
        assert!(e.message.contains("did you mean 'States.Format'"), "{e}");
        let e = err("States.StringToJson $.escaped)");
        assert!(e.message.contains("expected '('"), "{e}");
    }

    #[test]
    fn arity_and_static_types() {
        for (src, needle) in [
            ("States.UUID(1)", "takes 0 arguments, but 1 were given"),
            ("States.Format()", "at least 1 argument"),
            ("States.MathRandom(1)", "2 or 3 arguments"),
            ("States.ArrayRange(1, 2)", "takes 3 arguments"),
            (
                "States.MathAdd('a', 1)",
                "first argument of States.MathAdd must be a number, not a string",
            ),
            ("States.MathAdd(1, null)", "must be a number, not null"),
            (
                "States.Hash($.x, 'MD4')",
                "unsupported hash algorithm 'MD4'",
            ),
            ("States.Hash($.x, 'sha-256')", "unsupported hash algorithm"),
            ("States.Hash($.x, 256)", "must be a string"),
            ("States.JsonMerge($.a, $.b, true)", "shallow merging mode"),
            ("States.JsonMerge($.a, $.b, 'false')", "must be a boolean"),
            (
                "States.JsonMerge($.a, States.Array(), false)",
                "second argument of States.JsonMerge must be an object, not an array",
            ),
            (
                "States.Format('{} and {}', 1)",
                "has 2 placeholders '{}' but 1 value is given",
            ),
            (
                "States.Format('{}')",
                "has 1 placeholder '{}' but 0 values are given",
            ),
            ("States.Format(1)", "must be a string"),
            ("States.ArrayRange(1, 2, 0)", "must not be 0"),
            ("States.ArrayRange(0, 1000, 1)", "1001 items"),
            (
                "States.ArrayRange(1, 2, 1.5)",
                "must be an integer, not a non-integral number",
            ),
            ("States.ArrayPartition($.a, 0)", "greater than 0"),
            ("States.ArrayGetItem($.a, -1)", "must not be negative"),
            (
                "States.ArrayLength(States.UUID())",
                "must be an array, not a string",
            ),
            ("States.ArrayLength('abc')", "must be an array"),
            (
                "States.StringSplit(States.ArrayLength($.a), ',')",
                "must be a string, not an integer",
            ),
            ("States.Base64Decode('@@@')", "not valid Base64"),
        ] {
            let e = err(src);
            assert!(e.message.contains(needle), "{src}: {e}");
        }
        // Escaped braces are not placeholders; paths and calls are not checked.
        ok(r"States.Format('\{\} {}', 1)");
        ok(r"States.Format('{}{}', 1, 2)");
        ok("States.Format($.t)");
        ok("States.ArrayRange(0, 999, 1)");
        ok("States.ArrayRange(10, 1, -1)");
        ok("States.ArrayRange(1, 2.0, 1)");
        ok("States.MathAdd(States.StringToJson($.a), States.ArrayGetItem($.b, 0))");
        ok("States.MathRandom(12.5, 44.51)");
        ok("States.JsonMerge($.a, $.b, $.deep)");
        let long = format!("States.Base64Encode('{}')", "x".repeat(10_001));
        assert!(err(&long).message.contains("at most 10000"));
        ok(&format!("States.Hash('{}', 'MD5')", "é".repeat(10_000)));
    }

    #[test]
    fn syntax_errors() {
        for (src, needle) in [
            ("States.Array(1,,2)", "expected an argument"),
            ("States.Array(1,)", "expected an argument"),
            ("States.Array(,1)", "expected an argument"),
            ("States.Array(1 2)", "expected ',' or ')'"),
            ("States.Array(1) x", "unexpected text after"),
            ("States.Array(01)", "invalid number"),
            ("States.Array(1.)", "invalid number"),
            ("States.Array(-)", "invalid number"),
            ("States.Array(1e999)", "invalid number"),
            ("States.Array(True)", "unexpected 'True'"),
            ("States.Array(\"a\")", "expected an argument"),
            ("States.Array(", "expected an argument"),
            ("States.Array", "expected '('"),
            ("States.(1)", "expected a function name"),
            ("Foo.Array()", "expected an intrinsic function call"),
            ("", "expected an intrinsic function call"),
            ("States.Array(Other.Fn())", "unexpected 'Other.Fn'"),
        ] {
            let e = err(src);
            assert!(e.message.contains(needle), "{src}: {e}");
            assert!(e.span.end as usize <= src.len());
        }
    }

    #[test]
    fn nesting_limit() {
        let nest = |n: usize| {
            let mut s = String::new();
            for _ in 0..n {
                s.push_str("States.Array(");
            }
            s.push('1');
            for _ in 0..n {
                s.push(')');
            }
            s
        };
        ok(&nest(MAX_NESTING));
        let src = nest(MAX_NESTING + 1);
        let e = err(&src);
        assert!(e.message.contains("nested at most 10"), "{e}");
        assert_eq!(e.span.start as usize, 13 * MAX_NESTING);
        // Hostile depth: no stack overflow, same error.
        let e = err(&nest(100_000));
        assert!(e.message.contains("nested at most 10"));
        let open_only = "States.Array(".repeat(100_000);
        assert!(err(&open_only).message.contains("nested at most 10"));
    }

    #[test]
    fn garbage_never_panics() {
        // A small deterministic generator over an alphabet rich in syntax.
        let alphabet: Vec<char> =
            "States.Format(Array)'\\{},$$.[]?@\"- 0123456789e.+truefalsenull\n\té€𝄞"
                .chars()
                .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..20_000 {
            let len = (next() % 60) as usize;
            let mut s = if round % 2 == 0 {
                String::from("States.Array(")
            } else {
                String::new()
            };
            for _ in 0..len {
                s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let _ = looks_like_call(&s);
            match parse(&s) {
                Ok(c) => assert!(c.span.end as usize <= s.len()),
                Err(e) => {
                    assert!(e.span.start <= e.span.end && e.span.end as usize <= s.len());
                    assert!(s.is_char_boundary(e.span.start as usize));
                    assert!(s.is_char_boundary(e.span.end as usize));
                }
            }
        }
    }
}
