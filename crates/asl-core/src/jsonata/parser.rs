//! The Pratt (top-down operator precedence) parser producing the raw syntax
//! tree that [`super::process`] turns into the public [`super::ast::Expr`].

use super::ast::{BinaryOp, SigParam, Signature};
use super::lexer::{Lexer, Tok, Token};
use super::{ParseError, MAX_DEPTH};
use crate::span::Span;

/// A raw syntax-tree node, before path flattening.
#[derive(Debug)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// `[]` applied to this node.
    pub keep_array: bool,
    /// Height of the subtree (a leaf is 1); bounded by [`MAX_DEPTH`].
    pub height: usize,
}

#[derive(Debug)]
pub(crate) enum NodeKind {
    Name(String),
    Variable(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex {
        pattern: String,
        flags: String,
    },
    Wildcard,
    Descendant,
    Parent,
    /// The end of input used as an operand (reported as S0207 later, so that
    /// a missing closing bracket is reported first, as jsonata-js does).
    End,
    Placeholder,
    Negate(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
    /// `lhs.rhs`
    Dot(Box<Node>, Box<Node>),
    /// `lhs[rhs]`
    Filter(Box<Node>, Box<Node>),
    /// `lhs{pairs}`
    Group(Box<Node>, Vec<(Node, Node)>),
    /// `lhs^(terms)`
    Sort(Box<Node>, Vec<(bool, Node)>),
    /// `$name := rhs`
    Bind(String, Box<Node>),
    /// `lhs@$name`
    Focus(Box<Node>, String),
    /// `lhs#$name`
    Index(Box<Node>, String),
    Apply(Box<Node>, Box<Node>),
    Call {
        procedure: Box<Node>,
        args: Vec<Node>,
        partial: bool,
    },
    Lambda {
        params: Vec<String>,
        signature: Option<Box<Signature>>,
        body: Box<Node>,
    },
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Elvis(Box<Node>, Box<Node>),
    Coalesce(Box<Node>, Box<Node>),
    Transform(Box<Node>, Box<Node>, Option<Box<Node>>),
    Block(Vec<Node>),
}

impl Node {
    fn new(kind: NodeKind, span: Span) -> Self {
        let height = 1 + kind.max_child_height();
        Node {
            kind,
            span,
            keep_array: false,
            height,
        }
    }
}

impl NodeKind {
    /// The greatest height among the direct children (0 for a leaf).
    fn max_child_height(&self) -> usize {
        fn h(n: &Node) -> usize {
            n.height
        }
        fn pairs(p: &[(Node, Node)]) -> usize {
            p.iter()
                .map(|(k, v)| k.height.max(v.height))
                .max()
                .unwrap_or(0)
        }
        fn list(l: &[Node]) -> usize {
            l.iter().map(h).max().unwrap_or(0)
        }
        match self {
            NodeKind::Name(_)
            | NodeKind::Variable(_)
            | NodeKind::Str(_)
            | NodeKind::Num(_)
            | NodeKind::Bool(_)
            | NodeKind::Null
            | NodeKind::Regex { .. }
            | NodeKind::Wildcard
            | NodeKind::Descendant
            | NodeKind::Parent
            | NodeKind::End
            | NodeKind::Placeholder => 0,
            NodeKind::Negate(a)
            | NodeKind::Bind(_, a)
            | NodeKind::Focus(a, _)
            | NodeKind::Index(a, _)
            | NodeKind::Lambda { body: a, .. } => h(a),
            NodeKind::Array(l) | NodeKind::Block(l) => list(l),
            NodeKind::Object(p) => pairs(p),
            NodeKind::Binary(_, a, b)
            | NodeKind::Dot(a, b)
            | NodeKind::Filter(a, b)
            | NodeKind::Apply(a, b)
            | NodeKind::Elvis(a, b)
            | NodeKind::Coalesce(a, b) => h(a).max(h(b)),
            NodeKind::Group(a, p) => h(a).max(pairs(p)),
            NodeKind::Sort(a, terms) => terms.iter().map(|(_, t)| h(t)).fold(h(a), usize::max),
            NodeKind::Call {
                procedure, args, ..
            } => h(procedure).max(list(args)),
            NodeKind::Condition(a, b, c) | NodeKind::Transform(a, b, c) => {
                h(a).max(h(b)).max(c.as_deref().map_or(0, h))
            }
        }
    }
}

/// Left binding powers (jsonata-js's operator table).
fn lbp(tok: &Tok) -> u32 {
    match tok {
        Tok::Op(op) => match *op {
            "[" | "(" | "@" | "#" => 80,
            "." => 75,
            "{" => 70,
            "*" | "/" | "%" => 60,
            "+" | "-" | "&" => 50,
            "=" | "!=" | "<" | "<=" | ">" | ">=" | "^" | "~>" | "?:" | "??" | "in" => 40,
            "and" => 30,
            "or" => 25,
            "?" => 20,
            ":=" => 10,
            _ => 0,
        },
        _ => 0,
    }
}

fn binary_op(op: &str) -> Option<BinaryOp> {
    Some(match op {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        "%" => BinaryOp::Mod,
        "=" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        "&" => BinaryOp::Concat,
        "and" => BinaryOp::And,
        "or" => BinaryOp::Or,
        "in" => BinaryOp::In,
        _ => return None,
    })
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    /// The current (not yet consumed) token.
    node: Token,
    depth: usize,
}

impl<'a> Parser<'a> {
    /// Parses a whole expression into the raw tree.
    pub(crate) fn parse(src: &'a str) -> Result<Node, ParseError> {
        let mut lexer = Lexer::new(src);
        let node = lexer.next(false)?;
        let mut p = Parser {
            src,
            lexer,
            node,
            depth: 0,
        };
        p.check_unknown_operator()?;
        let expr = p.expression(0)?;
        if p.node.tok != Tok::End {
            return Err(p.syntax_error());
        }
        Ok(expr)
    }

    fn text(&self, span: Span) -> &'a str {
        &self.src[span.range()]
    }

    /// jsonata-js's message token: the source text, or `(end)`.
    fn token_text(&self) -> String {
        if self.node.tok == Tok::End {
            "(end)".to_string()
        } else {
            self.text(self.node.span).to_string()
        }
    }

    fn syntax_error(&self) -> ParseError {
        ParseError::new(
            "S0201",
            format!("Syntax error: {}", self.token_text()),
            self.node.span,
        )
    }

    fn is(&self, op: &str) -> bool {
        matches!(self.node.tok, Tok::Op(o) if o == op)
    }

    /// `!` and `~` lex as operators but are not operators (S0204).
    fn check_unknown_operator(&self) -> Result<(), ParseError> {
        if let Tok::Op(op @ ("!" | "~")) = self.node.tok {
            return Err(ParseError::new(
                "S0204",
                format!("Unknown operator: {op}"),
                self.node.span,
            ));
        }
        Ok(())
    }

    /// Moves to the next token and returns the one consumed. With `expected`,
    /// the current token must be that operator (S0202/S0203 otherwise).
    fn advance(&mut self, expected: Option<&str>, infix: bool) -> Result<Token, ParseError> {
        if let Some(id) = expected {
            if !self.is(id) {
                return Err(if self.node.tok == Tok::End {
                    ParseError::new(
                        "S0203",
                        format!("Expected {id} before end of expression"),
                        self.node.span,
                    )
                } else {
                    ParseError::new(
                        "S0202",
                        format!("Expected {id}, got {}", self.token_text()),
                        self.node.span,
                    )
                });
            }
        }
        let next = self.lexer.next(infix)?;
        let prev = std::mem::replace(&mut self.node, next);
        self.check_unknown_operator()?;
        Ok(prev)
    }

    fn expression(&mut self, rbp: u32) -> Result<Node, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::too_deep(self.node.span));
        }
        let t = self.advance(None, true)?;
        let mut left = self.nud(t)?;
        // Left-associative chains grow the tree without recursing here; bound
        // the tree's height too, so later passes cannot overflow the stack.
        while left.height <= MAX_DEPTH && rbp < lbp(&self.node.tok) {
            let t = self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        if left.height > MAX_DEPTH {
            return Err(ParseError::too_deep(left.span));
        }
        self.depth -= 1;
        Ok(left)
    }

    #[inline(never)]
    fn nud(&mut self, t: Token) -> Result<Node, ParseError> {
        let span = t.span;
        let kind = match t.tok {
            Tok::Name(n) => NodeKind::Name(n),
            Tok::Variable(v) => NodeKind::Variable(v),
            Tok::Str(s) => NodeKind::Str(s),
            Tok::Num(n) => NodeKind::Num(n),
            Tok::Bool(b) => NodeKind::Bool(b),
            Tok::Null => NodeKind::Null,
            Tok::Regex { pattern, flags } => NodeKind::Regex { pattern, flags },
            Tok::End => NodeKind::End,
            Tok::Op(op) => match op {
                // Keywords double as field names.
                "and" | "or" | "in" => NodeKind::Name(op.to_string()),
                "-" => return self.negate(span),
                "*" => NodeKind::Wildcard,
                "**" => NodeKind::Descendant,
                "%" => NodeKind::Parent,
                "(" => return self.block(span),
                "[" => return self.array(span),
                "{" => return self.object(span),
                "|" => return self.transform(span),
                _ => return Err(unary_error(op, span)),
            },
        };
        Ok(Node::new(kind, span))
    }

    // The nud/led helpers are kept out of line and small: the parser recurses
    // through them, and in debug builds a frame holds every local of a function.

    fn led(&mut self, t: Token, left: Node) -> Result<Node, ParseError> {
        let Tok::Op(op) = t.tok else {
            // Only operators have a left binding power.
            return Err(self.syntax_error_at(t.span));
        };
        match op {
            "(" => self.call(left),
            "[" => self.predicate(left),
            "^" => self.sort(left),
            "{" => self.group(left),
            ":=" => self.bind(left),
            "@" | "#" => self.focus_or_index(op, left),
            "?" => self.condition(left),
            _ => self.binary(op, t.span, left),
        }
    }

    #[cold]
    #[inline(never)]
    fn syntax_error_at(&self, span: Span) -> ParseError {
        ParseError::new("S0201", format!("Syntax error: {}", self.text(span)), span)
    }

    /// Operators whose right operand is one expression: `.`, `~>`, `?:`,
    /// `??` and the arithmetic, comparison and boolean operators.
    #[inline(never)]
    fn binary(&mut self, op: &'static str, op_span: Span, left: Node) -> Result<Node, ParseError> {
        let bp = match op {
            "?:" | "??" => 0,
            _ => lbp(&Tok::Op(op)),
        };
        let rhs = self.expression(bp)?;
        let span = left.span.cover(rhs.span);
        let (l, r) = (Box::new(left), Box::new(rhs));
        let kind = match op {
            "." => NodeKind::Dot(l, r),
            "~>" => NodeKind::Apply(l, r),
            "?:" => NodeKind::Elvis(l, r),
            "??" => NodeKind::Coalesce(l, r),
            _ => match binary_op(op) {
                Some(bop) => NodeKind::Binary(bop, l, r),
                None => return Err(self.syntax_error_at(op_span)),
            },
        };
        Ok(Node::new(kind, span))
    }

    /// `left{k: v, …}` grouping, after the `{`.
    #[inline(never)]
    fn group(&mut self, left: Node) -> Result<Node, ParseError> {
        let (pairs, end) = self.object_body()?;
        let span = left.span.cover(end);
        Ok(Node::new(NodeKind::Group(Box::new(left), pairs), span))
    }

    /// `$name := value`, after the `:=` (right-associative).
    #[inline(never)]
    fn bind(&mut self, left: Node) -> Result<Node, ParseError> {
        let NodeKind::Variable(name) = left.kind else {
            return Err(ParseError::new(
                "S0212",
                "The left side of := must be a variable name (start with $)".into(),
                left.span,
            ));
        };
        let rhs = self.expression(lbp(&Tok::Op(":=")) - 1)?;
        let span = left.span.cover(rhs.span);
        Ok(Node::new(NodeKind::Bind(name, Box::new(rhs)), span))
    }

    /// `left@$v` / `left#$i`, after the operator.
    #[inline(never)]
    fn focus_or_index(&mut self, op: &'static str, left: Node) -> Result<Node, ParseError> {
        let rhs = self.expression(lbp(&Tok::Op(op)))?;
        let NodeKind::Variable(name) = rhs.kind else {
            return Err(ParseError::new(
                "S0214",
                format!("The right side of {op} must be a variable name (start with $)"),
                rhs.span,
            ));
        };
        let span = left.span.cover(rhs.span);
        let kind = if op == "@" {
            NodeKind::Focus(Box::new(left), name)
        } else {
            NodeKind::Index(Box::new(left), name)
        };
        Ok(Node::new(kind, span))
    }

    /// `left ? then [: otherwise]`, after the `?`.
    #[inline(never)]
    fn condition(&mut self, left: Node) -> Result<Node, ParseError> {
        let then = self.expression(0)?;
        let mut span = left.span.cover(then.span);
        let otherwise = if self.is(":") {
            self.advance(Some(":"), false)?;
            let e = self.expression(0)?;
            span = span.cover(e.span);
            Some(Box::new(e))
        } else {
            None
        };
        Ok(Node::new(
            NodeKind::Condition(Box::new(left), Box::new(then), otherwise),
            span,
        ))
    }

    /// Unary minus, after the `-`.
    #[inline(never)]
    fn negate(&mut self, span: Span) -> Result<Node, ParseError> {
        let e = self.expression(70)?;
        let span = span.cover(e.span);
        Ok(Node::new(NodeKind::Negate(Box::new(e)), span))
    }

    /// `{k: v, …}` object constructor, after the `{`.
    #[inline(never)]
    fn object(&mut self, span: Span) -> Result<Node, ParseError> {
        let (pairs, end) = self.object_body()?;
        Ok(Node::new(NodeKind::Object(pairs), span.cover(end)))
    }

    /// `( e1; e2; … )` after the `(`.
    #[inline(never)]
    fn block(&mut self, open: Span) -> Result<Node, ParseError> {
        let mut exprs = Vec::new();
        while !self.is(")") {
            exprs.push(self.expression(0)?);
            if !self.is(";") {
                break;
            }
            self.advance(Some(";"), false)?;
        }
        let close = self.advance(Some(")"), true)?;
        Ok(Node::new(NodeKind::Block(exprs), open.cover(close.span)))
    }

    /// `[ a, b..c, … ]` after the `[`.
    #[inline(never)]
    fn array(&mut self, open: Span) -> Result<Node, ParseError> {
        let mut items = Vec::new();
        if !self.is("]") {
            loop {
                let mut item = self.expression(0)?;
                if self.is("..") {
                    self.advance(Some(".."), false)?;
                    let rhs = self.expression(0)?;
                    let span = item.span.cover(rhs.span);
                    item = Node::new(
                        NodeKind::Binary(BinaryOp::Range, Box::new(item), Box::new(rhs)),
                        span,
                    );
                }
                items.push(item);
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        let close = self.advance(Some("]"), true)?;
        Ok(Node::new(NodeKind::Array(items), open.cover(close.span)))
    }

    /// `k: v, …}` after the `{`; returns the pairs and the `}` span.
    #[allow(clippy::type_complexity)]
    #[inline(never)]
    fn object_body(&mut self) -> Result<(Vec<(Node, Node)>, Span), ParseError> {
        let mut pairs = Vec::new();
        if !self.is("}") {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        let close = self.advance(Some("}"), true)?;
        Ok((pairs, close.span))
    }

    /// `| pattern | update [, delete] |` after the first `|`.
    #[inline(never)]
    fn transform(&mut self, open: Span) -> Result<Node, ParseError> {
        let pattern = self.expression(0)?;
        self.advance(Some("|"), false)?;
        let update = self.expression(0)?;
        let delete = if self.is(",") {
            self.advance(Some(","), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        let close = self.advance(Some("|"), false)?;
        Ok(Node::new(
            NodeKind::Transform(Box::new(pattern), Box::new(update), delete),
            open.cover(close.span),
        ))
    }

    /// `left[pred]` or `left[]`, after the `[`.
    #[inline(never)]
    fn predicate(&mut self, mut left: Node) -> Result<Node, ParseError> {
        if self.is("]") {
            // Empty predicate: keep singleton arrays, flagged on the innermost
            // step below any predicates.
            let close = self.advance(Some("]"), false)?;
            let mut step = &mut left;
            while let NodeKind::Filter(lhs, _) = &mut step.kind {
                step = lhs;
            }
            step.keep_array = true;
            left.span = left.span.cover(close.span);
            return Ok(left);
        }
        let rhs = self.expression(0)?;
        let close = self.advance(Some("]"), true)?;
        let span = left.span.cover(close.span);
        Ok(Node::new(
            NodeKind::Filter(Box::new(left), Box::new(rhs)),
            span,
        ))
    }

    /// `left^( <a, >b, c )`, after the `^`.
    #[inline(never)]
    fn sort(&mut self, left: Node) -> Result<Node, ParseError> {
        self.advance(Some("("), false)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.is("<") {
                self.advance(Some("<"), false)?;
            } else if self.is(">") {
                descending = true;
                self.advance(Some(">"), false)?;
            }
            terms.push((descending, self.expression(0)?));
            if !self.is(",") {
                break;
            }
            self.advance(Some(","), false)?;
        }
        let close = self.advance(Some(")"), false)?;
        let span = left.span.cover(close.span);
        Ok(Node::new(NodeKind::Sort(Box::new(left), terms), span))
    }

    /// A call `left(args…)` after the `(`, or a lambda definition when `left`
    /// is the name `function` / `λ`.
    #[inline(never)]
    fn call(&mut self, left: Node) -> Result<Node, ParseError> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is(")") {
            loop {
                if self.is("?") {
                    let t = self.advance(Some("?"), false)?;
                    partial = true;
                    args.push(Node::new(NodeKind::Placeholder, t.span));
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        let close = self.advance(Some(")"), true)?;
        let is_lambda = matches!(&left.kind, NodeKind::Name(n) if n == "function" || n == "λ");
        if !is_lambda {
            let span = left.span.cover(close.span);
            return Ok(Node::new(
                NodeKind::Call {
                    procedure: Box::new(left),
                    args,
                    partial,
                },
                span,
            ));
        }
        let mut params = Vec::with_capacity(args.len());
        for (i, arg) in args.into_iter().enumerate() {
            match arg.kind {
                NodeKind::Variable(v) => params.push(v),
                _ => {
                    return Err(ParseError::new(
                        "S0208",
                        format!(
                            "Parameter {} of function definition must be a variable name (start with $)",
                            i + 1
                        ),
                        arg.span,
                    ))
                }
            }
        }
        let signature = if self.is("<") {
            Some(Box::new(self.signature()?))
        } else {
            None
        };
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        let close = self.advance(Some("}"), false)?;
        Ok(Node::new(
            NodeKind::Lambda {
                params,
                signature,
                body: Box::new(body),
            },
            left.span.cover(close.span),
        ))
    }

    /// A function signature; the current token is its `<`.
    fn signature(&mut self) -> Result<Signature, ParseError> {
        let start = self.node.span;
        let mut depth = 1;
        let mut text = String::from("<");
        while depth > 0 && !self.is("{") && self.node.tok != Tok::End {
            self.advance(None, false)?;
            if self.is(">") {
                depth -= 1;
            } else if self.is("<") {
                depth += 1;
            }
            text.push_str(self.text(self.node.span));
        }
        let span = start.cover(self.node.span);
        self.advance(Some(">"), false)?;
        parse_signature(&text, span)
    }
}

#[cold]
#[inline(never)]
fn unary_error(op: &str, span: Span) -> ParseError {
    ParseError::new(
        "S0211",
        format!("The symbol {op} cannot be used as a unary operator"),
        span,
    )
}

/// Parses signature text (`<…>`), mirroring jsonata-js: unknown symbols are
/// ignored; `<…>` only after `a`/`f` (S0401); choices cannot hold
/// parameterised types (S0402).
fn parse_signature(text: &str, span: Span) -> Result<Signature, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut params: Vec<SigParam> = Vec::new();
    let mut returns = None;
    let mut i = 1;
    let closing = |i: usize, open: char, close: char| {
        let mut depth = 1;
        let mut j = i;
        while j + 1 < chars.len() {
            j += 1;
            if chars[j] == close {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            } else if chars[j] == open {
                depth += 1;
            }
        }
        chars.len()
    };
    let new_param = |ty: String| SigParam {
        ty,
        subtype: None,
        use_context: false,
        optional: false,
        variadic: false,
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ':' => {
                let rest: String = chars[i + 1..].iter().collect();
                let rest = rest.strip_suffix('>').unwrap_or(&rest).to_string();
                returns = Some(rest);
                break;
            }
            's' | 'n' | 'b' | 'l' | 'o' | 'a' | 'f' | 'j' | 'x' => {
                params.push(new_param(c.to_string()))
            }
            '-' => {
                if let Some(p) = params.last_mut() {
                    p.use_context = true;
                }
            }
            '?' => {
                if let Some(p) = params.last_mut() {
                    p.optional = true;
                }
            }
            '+' => {
                if let Some(p) = params.last_mut() {
                    p.variadic = true;
                }
            }
            '(' => {
                let end = closing(i, '(', ')');
                let choice: String = chars[i + 1..end.min(chars.len())].iter().collect();
                if choice.contains('<') {
                    return Err(ParseError::new(
                        "S0402",
                        "Choice groups containing parameterized types are not supported".into(),
                        span,
                    ));
                }
                params.push(new_param(format!("({choice})")));
                i = end;
            }
            '<' => match params.last_mut() {
                Some(p) if p.ty == "a" || p.ty == "f" => {
                    let end = closing(i, '<', '>');
                    p.subtype = Some(chars[i + 1..end.min(chars.len())].iter().collect());
                    i = end;
                }
                _ => {
                    return Err(ParseError::new(
                        "S0401",
                        "Type parameters can only be applied to functions and arrays".into(),
                        span,
                    ))
                }
            },
            _ => {}
        }
        i += 1;
    }
    Ok(Signature {
        text: text.to_string(),
        params,
        returns,
        span,
    })
}
