//! JSONPath as Step Functions evaluates it.
//!
//! AWS evaluates paths with Jayway JsonPath (Java), not RFC 9535, and the
//! differences show in results and error texts:
//!
//! * A *definite* path (only `.name`, `['name']` and `[n]` steps) yields the
//!   single value it selects; an indefinite one (`[*]`, `..`, unions,
//!   slices, filters) yields an array of every match, possibly empty.
//! * A definite path that selects nothing is an error, worded as Jayway
//!   words it: `No results for path: $['a']['b']` when the last step
//!   misses, `Missing property in path $['a']` when an earlier one does
//!   (recorded: `Invalid path '$.no.such.result.path' : Missing property in
//!   path $['no']`, error_handling/TestBaseScenarios__test_catch_states_runtime;
//!   `Invalid path '$.NoSuchInputPath' : No results for path:
//!   $['NoSuchInputPath']`, scenarios/…INVALID_JSONPATH_IN_INPUTPATH).
//! * Roots: `$` is the state's input, `$$` the context object, and `$name`
//!   a workflow variable (`$x.y[0]` reads variable `x`).
//!
//! Parsing is iterative except for filter expressions, whose nesting is
//! bounded by [`MAX_FILTER_DEPTH`]; no input can overflow the stack.

use crate::span::Span;
use serde_json::Value;
use std::fmt::{self, Write as _};

/// Deepest nesting of parentheses inside a filter expression.
pub const MAX_FILTER_DEPTH: usize = 32;

/// Where a path starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state's (effective) input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(String),
}

/// One parsed path.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    root: Root,
    steps: Vec<Step>,
}

/// A step: a selector, applied to the current nodes or (after `..`) to
/// them and all their descendants.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub descendant: bool,
    pub selector: Selector,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    Field(String),
    Index(i64),
    Wildcard,
    Fields(Vec<String>),
    Indexes(Vec<i64>),
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    Filter(Box<Filter>),
}

/// A filter expression `?(…)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `@.x` alone: the path selects something.
    Exists(Operand),
    Compare(Operand, CompareOp, Operand),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `@…`: relative to the element being filtered.
    Current(Vec<Step>),
    /// `$…`: from the root.
    Root(Vec<Step>),
    Literal(Value),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Why a text is not a path; `span` is within the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

/// Why a definite path selected nothing, in Jayway's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathMiss {
    /// The last step found nothing; `path` is the whole path, bracketed.
    NoResults { path: String },
    /// An earlier step found nothing; `path` is the path up to that step.
    MissingProperty { path: String },
    /// A field step met a value that is not an object.
    NotAnObject { path: String, property: String },
    /// An index step met a value that is not an array, or a short one.
    IndexOutOfBounds { path: String },
}

impl PathMiss {
    /// Jayway's message, e.g. `No results for path: $['a']`.
    pub fn jayway_message(&self) -> String {
        match self {
            PathMiss::NoResults { path } => format!("No results for path: {path}"),
            PathMiss::MissingProperty { path } => format!("Missing property in path {path}"),
            PathMiss::NotAnObject { path, property } => format!(
                "Expected to find an object with property ['{property}'] in path {path} but found something else"
            ),
            PathMiss::IndexOutOfBounds { path } => {
                format!("Index out of bounds when evaluating path {path}")
            }
        }
    }

    /// AWS's `Invalid path '<path>' : <Jayway message>` (InputPath,
    /// OutputPath, *SecondsPath … misses).
    pub fn invalid_path_message(&self, path_text: &str) -> String {
        format!("Invalid path '{path_text}' : {}", self.jayway_message())
    }
}

/// Why [`Path::set`] could not place a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetError {
    pub message: String,
}

/// Parses a path (`$…`, `$$…` or `$name…`).
pub fn parse(src: &str) -> Result<Path, PathError> {
    Parser::new(src).path()
}

/// Parses a reference path: a path that selects at most one node, written
/// with only `.name`, `['name']` and `[n]` steps.
pub fn parse_reference_path(src: &str) -> Result<Path, PathError> {
    let path = parse(src)?;
    if path.is_reference_path() {
        Ok(path)
    } else {
        Err(PathError {
            message: format!(
                "`{src}` is not a reference path: only `.name`, `['name']` and `[index]` steps are allowed (no `*`, `..`, unions, slices or filters)"
            ),
            span: Span::new(0, src.len()),
        })
    }
}

impl Path {
    pub fn root(&self) -> &Root {
        &self.root
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Only name and index steps: selects at most one node.
    pub fn is_definite(&self) -> bool {
        self.steps.iter().all(Step::is_definite)
    }

    /// A reference path in the ASL sense (same as definite here).
    pub fn is_reference_path(&self) -> bool {
        self.is_definite()
    }

    /// Selects from `root` (the value the path's [`Root`] names): the single
    /// value of a definite path, or an array of all matches otherwise.
    pub fn select(&self, root: &Value) -> Result<Value, PathMiss> {
        if self.is_definite() {
            return self.select_definite(root).cloned();
        }
        let mut out = Vec::new();
        collect(root, root, &self.steps, &mut out);
        Ok(Value::Array(out.into_iter().cloned().collect()))
    }

    /// Like [`Path::select`] for definite paths, by reference. (An
    /// indefinite step selects nothing here; use [`Path::select`].)
    pub fn select_definite<'v>(&self, root: &'v Value) -> Result<&'v Value, PathMiss> {
        let mut current = root;
        let mut walked = String::from("$");
        let last = self.steps.len().saturating_sub(1);
        for (i, step) in self.steps.iter().enumerate() {
            let found = match &step.selector {
                Selector::Field(name) => {
                    let Value::Object(map) = current else {
                        return Err(PathMiss::NotAnObject {
                            path: walked,
                            property: name.clone(),
                        });
                    };
                    push_field(&mut walked, name);
                    map.get(name)
                }
                Selector::Index(index) => {
                    let _ = write!(walked, "[{index}]");
                    let item = current.as_array().and_then(|a| array_get(a, *index));
                    if item.is_none() {
                        return Err(PathMiss::IndexOutOfBounds { path: walked });
                    }
                    item
                }
                other => {
                    walked.push_str(&render_selector(other));
                    None
                }
            };
            current = match found {
                Some(v) => v,
                None if i == last => {
                    return Err(PathMiss::NoResults {
                        path: self.bracketed(),
                    })
                }
                None => return Err(PathMiss::MissingProperty { path: walked }),
            };
        }
        Ok(current)
    }

    /// Jayway's bracketed rendering, `$['a']['b'][0]`.
    pub fn bracketed(&self) -> String {
        let mut out = String::from("$");
        for step in &self.steps {
            if step.descendant {
                out.push_str("..");
            }
            match &step.selector {
                Selector::Field(name) => push_field(&mut out, name),
                other => out.push_str(&render_selector(other)),
            }
        }
        out
    }

    /// Places `value` at this reference path inside `target`, creating
    /// missing intermediate objects (ResultPath semantics). `$` replaces
    /// the whole target.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), SetError> {
        let mut current = target;
        for step in &self.steps {
            current = match &step.selector {
                Selector::Field(name) => match current {
                    Value::Object(map) => map.entry(name.clone()).or_insert(Value::Null),
                    other => {
                        return Err(SetError {
                            message: format!(
                                "cannot set field '{name}' inside a {} value",
                                type_name(other)
                            ),
                        })
                    }
                },
                Selector::Index(index) => {
                    let len = current.as_array().map_or(0, Vec::len);
                    let at = array_position(len, *index);
                    match (current, at) {
                        (Value::Array(items), Some(at)) => &mut items[at],
                        (other, _) => {
                            return Err(SetError {
                                message: format!(
                                    "cannot set index [{index}] inside a {} value of length {len}",
                                    type_name(other)
                                ),
                            })
                        }
                    }
                }
                _ => {
                    return Err(SetError {
                        message: "only reference paths can be assigned to".into(),
                    })
                }
            };
            // A field created just now is an empty object for the next step.
            if current.is_null() {
                *current = Value::Object(Default::default());
            }
        }
        *current = value;
        Ok(())
    }
}

impl Step {
    fn is_definite(&self) -> bool {
        !self.descendant && matches!(self.selector, Selector::Field(_) | Selector::Index(_))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            Root::Input => f.write_str("$")?,
            Root::Context => f.write_str("$$")?,
            Root::Variable(name) => write!(f, "${name}")?,
        }
        for step in &self.steps {
            if step.descendant {
                f.write_str("..")?;
            }
            match &step.selector {
                Selector::Field(name) if is_plain_name(name) => {
                    if !step.descendant {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Selector::Field(name) => f.write_str(&quote_field(name))?,
                other => f.write_str(&render_selector(other))?,
            }
        }
        Ok(())
    }
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            !matches!(
                c,
                '.' | '[' | ']' | '\'' | '"' | '(' | ')' | ' ' | '*' | '?' | ','
            )
        })
}

fn quote_field(name: &str) -> String {
    format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn push_field(out: &mut String, name: &str) {
    out.push_str("['");
    out.push_str(name);
    out.push_str("']");
}

fn render_selector(selector: &Selector) -> String {
    match selector {
        Selector::Field(name) => quote_field(name),
        Selector::Index(i) => format!("[{i}]"),
        Selector::Wildcard => "[*]".into(),
        Selector::Fields(names) => format!(
            "[{}]",
            names
                .iter()
                .map(|n| format!("'{}'", n.replace('\'', "\\'")))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Selector::Indexes(items) => format!(
            "[{}]",
            items
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
        Selector::Slice { start, end, step } => {
            let part = |v: &Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            match step {
                Some(s) => format!("[{}:{}:{s}]", part(start), part(end)),
                None => format!("[{}:{}]", part(start), part(end)),
            }
        }
        Selector::Filter(_) => "[?(…)]".into(),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn array_position(len: usize, index: i64) -> Option<usize> {
    let i = if index < 0 { len as i64 + index } else { index };
    (0..len as i64).contains(&i).then_some(i as usize)
}

fn array_get(items: &[Value], index: i64) -> Option<&Value> {
    array_position(items.len(), index).map(|i| &items[i])
}

/// Appends every node `steps` select from `node` (Jayway order).
fn collect<'v>(root: &'v Value, node: &'v Value, steps: &[Step], out: &mut Vec<&'v Value>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(node);
        return;
    };
    let mut matches = Vec::new();
    if step.descendant {
        // Breadth of this node first, then each child's subtree, as Jayway does.
        let mut stack = vec![node];
        let mut order = Vec::new();
        while let Some(n) = stack.pop() {
            order.push(n);
            let children: Vec<&Value> = match n {
                Value::Array(items) => items.iter().collect(),
                Value::Object(map) => map.values().collect(),
                _ => Vec::new(),
            };
            stack.extend(children.into_iter().rev());
        }
        for n in order {
            apply(root, n, &step.selector, &mut matches);
        }
    } else {
        apply(root, node, &step.selector, &mut matches);
    }
    for m in matches {
        collect(root, m, rest, out);
    }
}

fn apply<'v>(root: &'v Value, node: &'v Value, selector: &Selector, out: &mut Vec<&'v Value>) {
    match (selector, node) {
        (Selector::Field(name), Value::Object(map)) => out.extend(map.get(name)),
        (Selector::Fields(names), Value::Object(map)) => {
            out.extend(names.iter().filter_map(|n| map.get(n)))
        }
        (Selector::Index(i), Value::Array(items)) => out.extend(array_get(items, *i)),
        (Selector::Indexes(is), Value::Array(items)) => {
            out.extend(is.iter().filter_map(|i| array_get(items, *i)))
        }
        (Selector::Wildcard, Value::Array(items)) => out.extend(items),
        (Selector::Wildcard, Value::Object(map)) => out.extend(map.values()),
        (Selector::Slice { start, end, step }, Value::Array(items)) => {
            out.extend(slice_indexes(items.len(), *start, *end, *step).map(|i| &items[i]))
        }
        (Selector::Filter(filter), Value::Array(items)) => {
            out.extend(items.iter().filter(|item| filter.test(root, item)))
        }
        (Selector::Filter(filter), Value::Object(_)) if filter.test(root, node) => out.push(node),
        _ => {}
    }
}

fn slice_indexes(
    len: usize,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
) -> impl Iterator<Item = usize> {
    let len = len as i64;
    let step = step.unwrap_or(1).max(1);
    let clamp = |v: i64| if v < 0 { (len + v).max(0) } else { v.min(len) };
    let start = clamp(start.unwrap_or(0));
    let end = clamp(end.unwrap_or(len));
    (start..end).step_by(step as usize).map(|i| i as usize)
}

impl Filter {
    fn test(&self, root: &Value, current: &Value) -> bool {
        match self {
            Filter::And(a, b) => a.test(root, current) && b.test(root, current),
            Filter::Or(a, b) => a.test(root, current) || b.test(root, current),
            Filter::Not(f) => !f.test(root, current),
            Filter::Exists(operand) => operand.resolve(root, current).is_some(),
            Filter::Compare(a, op, b) => {
                match (a.resolve(root, current), b.resolve(root, current)) {
                    (Some(a), Some(b)) => compare(&a, *op, &b),
                    _ => false,
                }
            }
        }
    }
}

impl Operand {
    fn resolve(&self, root: &Value, current: &Value) -> Option<Value> {
        let (start, steps) = match self {
            Operand::Literal(v) => return Some(v.clone()),
            Operand::Current(steps) => (current, steps),
            Operand::Root(steps) => (root, steps),
        };
        let mut out = Vec::new();
        collect(root, start, steps, &mut out);
        if steps.iter().all(Step::is_definite) {
            out.pop().cloned()
        } else if out.is_empty() {
            None
        } else {
            Some(Value::Array(out.into_iter().cloned().collect()))
        }
    }
}

fn compare(a: &Value, op: CompareOp, b: &Value) -> bool {
    use std::cmp::Ordering;
    let ordering = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    };
    match op {
        CompareOp::Eq => ordering == Some(Ordering::Equal) || (ordering.is_none() && a == b),
        CompareOp::Ne => !(ordering == Some(Ordering::Equal) || (ordering.is_none() && a == b)),
        CompareOp::Lt => ordering == Some(Ordering::Less),
        CompareOp::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => ordering == Some(Ordering::Greater),
        CompareOp::Ge => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
    }
}

struct Parser<'s> {
    src: &'s str,
    pos: usize,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Self {
        Parser { src, pos: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, PathError> {
        let len = self.peek().map_or(0, char::len_utf8);
        Err(PathError {
            message: message.into(),
            span: Span::new(self.pos, self.pos + len),
        })
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }

    fn path(mut self) -> Result<Path, PathError> {
        if !self.eat("$") {
            return self.error(
                "a path starts with `$` (input), `$$` (context object) or `$name` (a variable)",
            );
        }
        let root = if self.eat("$") {
            Root::Context
        } else if self.peek().is_some_and(is_variable_start) {
            let start = self.pos;
            while self.peek().is_some_and(is_variable_char) {
                self.pos += self.peek().map_or(1, char::len_utf8);
            }
            Root::Variable(self.src[start..self.pos].to_string())
        } else {
            Root::Input
        };
        let steps = self.steps(false)?;
        if self.pos < self.src.len() {
            return self.error(format!(
                "unexpected `{}` in the path",
                self.peek().unwrap_or(' ')
            ));
        }
        Ok(Path { root, steps })
    }

    /// Steps until the end, or (inside a filter) until something else.
    fn steps(&mut self, in_filter: bool) -> Result<Vec<Step>, PathError> {
        let mut steps = Vec::new();
        loop {
            if self.eat("..") {
                let selector = if self.peek() == Some('[') {
                    self.bracket()?
                } else if self.eat("*") {
                    Selector::Wildcard
                } else {
                    Selector::Field(self.dot_name()?)
                };
                steps.push(Step {
                    descendant: true,
                    selector,
                });
            } else if self.eat(".") {
                let selector = if self.eat("*") {
                    Selector::Wildcard
                } else if self.peek() == Some('[') {
                    self.bracket()?
                } else {
                    Selector::Field(self.dot_name()?)
                };
                steps.push(Step {
                    descendant: false,
                    selector,
                });
            } else if self.peek() == Some('[') {
                let selector = self.bracket()?;
                steps.push(Step {
                    descendant: false,
                    selector,
                });
            } else if self.pos == self.src.len() || in_filter {
                return Ok(steps);
            } else {
                return self.error(format!(
                    "unexpected `{}`: expected `.name`, `['name']`, `[index]` or the end of the path",
                    self.peek().unwrap_or(' ')
                ));
            }
        }
    }

    fn dot_name(&mut self) -> Result<String, PathError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if matches!(
                c,
                '.' | '['
                    | ']'
                    | ' '
                    | '('
                    | ')'
                    | '\''
                    | '"'
                    | ','
                    | '='
                    | '<'
                    | '>'
                    | '!'
                    | '&'
                    | '|'
            ) {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return self.error("expected a field name");
        }
        if self.peek() == Some('(') {
            return self.error("JSONPath functions such as `length()` are not supported by Step Functions; use an intrinsic function such as States.ArrayLength");
        }
        Ok(self.src[start..self.pos].to_string())
    }

    fn bracket(&mut self) -> Result<Selector, PathError> {
        let open = self.pos;
        self.pos += 1; // [
        self.skip_spaces();
        let selector = match self.peek() {
            Some('*') => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some('\'' | '"') => {
                let mut names = vec![self.quoted()?];
                self.skip_spaces();
                while self.eat(",") {
                    self.skip_spaces();
                    names.push(self.quoted()?);
                    self.skip_spaces();
                }
                if names.len() == 1 {
                    Selector::Field(names.pop().unwrap_or_default())
                } else {
                    Selector::Fields(names)
                }
            }
            Some('?') => {
                self.pos += 1;
                if !self.eat("(") {
                    return self.error("expected `(` after `?` in a filter");
                }
                let filter = self.filter_or(0)?;
                self.skip_spaces();
                if !self.eat(")") {
                    return self.error("expected `)` to close the filter");
                }
                Selector::Filter(Box::new(filter))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indexes()?,
            _ => {
                return self.error(
                    "expected `*`, a quoted name, an index, a slice or a filter inside `[ ]`",
                )
            }
        };
        self.skip_spaces();
        if !self.eat("]") {
            return Err(PathError {
                message: "expected `]`".into(),
                span: Span::new(open, self.pos.max(open + 1).min(self.src.len())),
            });
        }
        Ok(selector)
    }

    fn quoted(&mut self) -> Result<String, PathError> {
        let quote = self.peek().unwrap_or('\'');
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(PathError {
                        message: "unterminated quoted name".into(),
                        span: Span::new(start, self.src.len()),
                    })
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c) => {
                            out.push(c);
                            self.pos += c.len_utf8();
                        }
                        None => return self.error("unterminated escape"),
                    }
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(c) => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn integer(&mut self) -> Result<Option<i64>, PathError> {
        self.skip_spaces();
        let start = self.pos;
        self.eat("-");
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse() {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(PathError {
                message: format!("`{text}` is not an index"),
                span: Span::new(start, self.pos),
            }),
        }
    }

    fn indexes(&mut self) -> Result<Selector, PathError> {
        let first = self.integer()?;
        self.skip_spaces();
        if self.eat(":") {
            let end = self.integer()?;
            self.skip_spaces();
            let step = if self.eat(":") { self.integer()? } else { None };
            if step.is_some_and(|s| s <= 0) {
                return self.error("a slice step must be positive");
            }
            return Ok(Selector::Slice {
                start: first,
                end,
                step,
            });
        }
        let Some(first) = first else {
            return self.error("expected an index");
        };
        let mut items = vec![first];
        while self.eat(",") {
            match self.integer()? {
                Some(i) => items.push(i),
                None => return self.error("expected an index after `,`"),
            }
            self.skip_spaces();
        }
        Ok(if items.len() == 1 {
            Selector::Index(first)
        } else {
            Selector::Indexes(items)
        })
    }

    fn enter(&self, depth: usize) -> Result<usize, PathError> {
        if depth >= MAX_FILTER_DEPTH {
            self.error(format!(
                "filter nested deeper than {MAX_FILTER_DEPTH} levels"
            ))
        } else {
            Ok(depth + 1)
        }
    }

    fn filter_or(&mut self, depth: usize) -> Result<Filter, PathError> {
        let depth = self.enter(depth)?;
        let mut left = self.filter_and(depth)?;
        loop {
            self.skip_spaces();
            if self.eat("||") {
                let right = self.filter_and(depth)?;
                left = Filter::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_and(&mut self, depth: usize) -> Result<Filter, PathError> {
        let mut left = self.filter_unary(depth)?;
        loop {
            self.skip_spaces();
            if self.eat("&&") {
                let right = self.filter_unary(depth)?;
                left = Filter::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_unary(&mut self, depth: usize) -> Result<Filter, PathError> {
        self.skip_spaces();
        if self.eat("!") {
            let depth = self.enter(depth)?;
            return Ok(Filter::Not(Box::new(self.filter_unary(depth)?)));
        }
        if self.eat("(") {
            let inner = self.filter_or(depth)?;
            self.skip_spaces();
            if !self.eat(")") {
                return self.error("expected `)`");
            }
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_spaces();
        let op = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ]
        .into_iter()
        .find(|(text, _)| self.eat(text));
        match op {
            Some((_, op)) => {
                let right = self.operand()?;
                Ok(Filter::Compare(left, op, right))
            }
            None if self.rest().starts_with("=~") => {
                self.error("regular-expression filters (`=~`) are not supported")
            }
            None => Ok(Filter::Exists(left)),
        }
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        self.skip_spaces();
        match self.peek() {
            Some('@') => {
                self.pos += 1;
                Ok(Operand::Current(self.steps(true)?))
            }
            Some('$') => {
                self.pos += 1;
                Ok(Operand::Root(self.steps(true)?))
            }
            Some('\'' | '"') => Ok(Operand::Literal(Value::String(self.quoted()?))),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                {
                    self.pos += 1;
                }
                let text = &self.src[start..self.pos];
                match serde_json::from_str::<serde_json::Number>(text) {
                    Ok(n) => Ok(Operand::Literal(Value::Number(n))),
                    Err(_) => Err(PathError {
                        message: format!("`{text}` is not a number"),
                        span: Span::new(start, self.pos),
                    }),
                }
            }
            _ => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.eat(word) {
                        return Ok(Operand::Literal(value));
                    }
                }
                self.error("expected `@…`, `$…` or a literal in the filter")
            }
        }
    }
}

fn is_variable_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_variable_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(path: &str, v: &Value) -> Result<Value, PathMiss> {
        parse(path).unwrap().select(v)
    }

    #[test]
    fn roots() {
        assert_eq!(parse("$").unwrap().root(), &Root::Input);
        assert_eq!(parse("$$.Execution.Id").unwrap().root(), &Root::Context);
        assert_eq!(
            parse("$customerName.first").unwrap().root(),
            &Root::Variable("customerName".into())
        );
    }

    #[test]
    fn definite_paths_select_one_value() {
        let v = json!({"a": {"b": [10, 20, {"c": "x"}]}, "k-1": 1, "with space": 2});
        assert_eq!(sel("$", &v).unwrap(), v);
        assert_eq!(sel("$.a.b[1]", &v).unwrap(), json!(20));
        assert_eq!(sel("$.a.b[-1].c", &v).unwrap(), json!("x"));
        assert_eq!(sel("$['a']['b'][0]", &v).unwrap(), json!(10));
        assert_eq!(sel("$.k-1", &v).unwrap(), json!(1));
        assert_eq!(sel("$['with space']", &v).unwrap(), json!(2));
        assert_eq!(sel("$.a.['b'][0]", &v).unwrap(), json!(10));
    }

    #[test]
    fn misses_use_jaywayss_recorded_wording() {
        let v = json!({"a": {"b": 1}});
        let miss = sel("$.NoSuchInputPath", &v).unwrap_err();
        assert_eq!(
            miss.invalid_path_message("$.NoSuchInputPath"),
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
        );
        let miss = sel("$.no.such.result.path", &v).unwrap_err();
        assert_eq!(
            miss.invalid_path_message("$.no.such.result.path"),
            "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
        );
        assert_eq!(
            sel("$.a.c", &v).unwrap_err().jayway_message(),
            "No results for path: $['a']['c']"
        );
        assert!(matches!(
            sel("$.a.b.c", &v),
            Err(PathMiss::NotAnObject { .. })
        ));
        assert!(matches!(
            sel("$.a[3]", &v),
            Err(PathMiss::IndexOutOfBounds { .. })
        ));
    }

    #[test]
    fn indefinite_paths_return_arrays() {
        let v = json!({"items": [{"p": 1, "s": "a"}, {"p": 5, "s": "b"}, {"p": 12}], "o": {"x": 1, "y": 2}});
        assert_eq!(sel("$.items[*].p", &v).unwrap(), json!([1, 5, 12]));
        assert_eq!(sel("$.o.*", &v).unwrap(), json!([1, 2]));
        assert_eq!(sel("$..p", &v).unwrap(), json!([1, 5, 12]));
        assert_eq!(sel("$.items[0,2].p", &v).unwrap(), json!([1, 12]));
        assert_eq!(sel("$.items[1:].p", &v).unwrap(), json!([5, 12]));
        assert_eq!(sel("$.items[:-1].p", &v).unwrap(), json!([1, 5]));
        assert_eq!(sel("$.items[?(@.p > 2)].p", &v).unwrap(), json!([5, 12]));
        assert_eq!(
            sel("$.items[?(@.s == 'a' || @.p >= 12)].p", &v).unwrap(),
            json!([1, 12])
        );
        assert_eq!(sel("$.items[?(@.s)].s", &v).unwrap(), json!(["a", "b"]));
        assert_eq!(sel("$.items[?(!@.s)].p", &v).unwrap(), json!([12]));
        assert_eq!(sel("$.items[?(@.p > 100)]", &v).unwrap(), json!([]));
        assert_eq!(sel("$.o['x','y']", &v).unwrap(), json!([1, 2]));
    }

    #[test]
    fn set_creates_intermediate_objects() {
        let mut v = json!({"a": 1});
        parse("$.b.c").unwrap().set(&mut v, json!(2)).unwrap();
        assert_eq!(v, json!({"a": 1, "b": {"c": 2}}));
        parse("$").unwrap().set(&mut v, json!("all")).unwrap();
        assert_eq!(v, json!("all"));
        let mut s = json!("text");
        assert!(parse("$.x").unwrap().set(&mut s, json!(1)).is_err());
        let mut arr = json!({"l": [1, 2]});
        parse("$.l[1]").unwrap().set(&mut arr, json!(9)).unwrap();
        assert_eq!(arr, json!({"l": [1, 9]}));
        assert!(parse("$.l[5]").unwrap().set(&mut arr, json!(9)).is_err());
    }

    #[test]
    fn reference_paths() {
        assert!(parse_reference_path("$.a['b'][0]").is_ok());
        assert!(parse_reference_path("$$.Execution.Input").is_ok());
        for bad in ["$.a[*]", "$..a", "$.a[0,1]", "$.a[1:2]", "$.a[?(@.x)]"] {
            assert!(parse_reference_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_round_trips() {
        for p in [
            "$",
            "$$.Map.Item.Value",
            "$var.a[0]",
            "$.a['b c'][*]",
            "$..x",
            "$.a[1:3]",
        ] {
            let parsed = parse(p).unwrap();
            assert_eq!(parse(&parsed.to_string()).unwrap(), parsed, "{p}");
        }
    }

    #[test]
    fn errors_have_spans_and_never_panic() {
        for (bad, at) in [
            ("a.b", 0),
            ("$.", 2),
            ("$[", 2),
            ("$.a b", 3),
            ("$['x", 2),
            ("$.len()", 5),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.span.start as usize, at, "{bad}: {e}");
        }
        let deep = format!("$[?({}@.x{})]", "(".repeat(100_000), ")".repeat(100_000));
        assert!(parse(&deep).is_err());
        let bangs = format!("$[?({}@.x)]", "!".repeat(100_000));
        assert!(parse(&bangs).is_err());
        let mut seed: u64 = 7;
        let alphabet: Vec<char> = "$.[]*?()@'\"0123456789:,-ab =!<>&|é".chars().collect();
        for _ in 0..20_000 {
            let len = (seed % 20) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            if let Ok(p) = parse(&s) {
                let _ = p.select(&json!({"a": [1, {"b": 2}]}));
                let _ = p.set(&mut json!({}), json!(1));
            }
        }
    }
}
