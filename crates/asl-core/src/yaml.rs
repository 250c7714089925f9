//! YAML input: parses a state machine definition (or a CloudFormation / SAM
//! template) written in YAML into the same span-preserving [`Node`] tree as
//! the [`json`](crate::json) parser, so everything downstream — the model,
//! the linter, the simulator — never needs to know which syntax was used.
//!
//! # What is accepted
//!
//! * **Exactly one document.** A stream with a second document is an error
//!   pointing at where the second one starts; a stream with no document, or
//!   one whose only document is empty, is "the text is empty".
//! * **The YAML 1.2 core schema** for plain (unquoted) scalars: `null`, `Null`,
//!   `NULL`, `~` and the empty scalar are null; `true`/`True`/`TRUE` and the
//!   `false` forms are booleans; decimal, `0x` and `0o` integers and decimal
//!   floats are numbers; everything else is a string — `yes`, `no`, `on`,
//!   `off` and `2024-01-01` stay strings (no YAML 1.1 surprises). `.inf` and
//!   `.nan` are errors because JSON cannot hold them, as are numbers outside
//!   the range of `f64`. Quoted and block (`|`, `>`) scalars are always strings.
//! * **Core tags** are honoured: `!!str 12` is the string `"12"`, `!!int "12"`
//!   the integer 12, and likewise `!!float`, `!!bool`, `!!null`, `!!map`,
//!   `!!seq` (a tag that does not fit its node is an error). `!!binary` and
//!   `!!timestamp` scalars are kept as strings; the non-specific tag `!`
//!   makes a scalar a string.
//! * **Local tags are preserved as CloudFormation intrinsic functions**, so a
//!   later CloudFormation feature can read templates written with the short
//!   forms. A node tagged `!Name` becomes a one-member object:
//!
//!   | YAML                | tree                                  |
//!   |---------------------|---------------------------------------|
//!   | `!Ref x`            | `{"Ref": "x"}`                        |
//!   | `!Condition c`      | `{"Condition": "c"}`                  |
//!   | `!GetAtt a.b.c`     | `{"Fn::GetAtt": ["a", "b.c"]}` (split at the first `.`) |
//!   | `!GetAtt [a, b]`    | `{"Fn::GetAtt": ["a", "b"]}`          |
//!   | `!Sub "${X}"`       | `{"Fn::Sub": "${X}"}`                 |
//!   | `!Name v` (any other) | `{"Fn::Name": v}`                   |
//!
//!   The object's span covers the whole tagged node (tag included), its key
//!   span is the tag, and the member value is the untagged node with its own
//!   span. Tags with other handles (`!e!foo`, `!<tag:example.com:x>`) are errors.
//! * **Mapping keys** must be scalars (a sequence or mapping as key is an
//!   error); a non-string key is kept as its text (`1: x` has the key `"1"`).
//!   Duplicate keys are reported in [`Document::duplicates`] exactly as the
//!   JSON parser reports them. The YAML 1.1 merge key `<<` has no special
//!   meaning (it is an ordinary key, as in YAML 1.2).
//! * **Anchors and aliases** are resolved by copying the anchored node. The
//!   copy's outermost span is the alias (`*name`); the spans inside it point
//!   at the anchored original. At most [`MAX_NODES`] nodes are produced in
//!   total, so "billion laughs" documents are an error, not an out-of-memory.
//!
//! # Spans
//!
//! Spans are byte offsets into the text, as for JSON. A scalar's span covers
//! its text (quotes included; for block scalars from the `|`/`>` indicator to
//! the last non-blank character), without its anchor or tag. A mapping or
//! sequence spans from its first token (`{`, `[`, `-` or its first key) to its
//! closing bracket or the end of its last entry.
//!
//! # Limits
//!
//! Nesting deeper than [`MAX_DEPTH`] levels (counting the objects that local
//! tags produce) is an error, never a stack overflow; the underlying parser
//! also refuses more than 255 levels of flow (`[`/`{`) nesting. Nothing
//! panics on any input; syntax errors become a [`ParseError`] at the place
//! the YAML parser stopped.

use crate::json::{escape_pointer_token, Document, DuplicateKey, Member, Node, NodeValue};
pub use crate::json::{ParseError, MAX_DEPTH};
use crate::span::Span;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use std::collections::HashMap;

/// The most nodes a document may produce, counting every copy made by an
/// alias (and the stored copy of every anchored node). Real definitions are
/// far smaller; the cap stops exponential alias expansion ("billion laughs").
pub const MAX_NODES: usize = 1_000_000;

/// Parses UTF-8 bytes as one YAML document (a leading byte-order mark is
/// allowed).
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => Err(ParseError {
            message: "invalid UTF-8: YAML text must be UTF-8 encoded".into(),
            span: Span::new(e.valid_up_to(), e.valid_up_to() + 1),
        }),
    }
}

/// Parses a text as one YAML document into the span-preserving tree of
/// [`json`](crate::json). See the [module documentation](self) for the rules.
pub fn parse(text: &str) -> Result<Document, ParseError> {
    if text.len() > u32::MAX as usize {
        return Err(ParseError {
            message: "the text is larger than 4 GiB".into(),
            span: Span::at(0),
        });
    }
    let mut builder = Builder {
        text,
        offsets: Offsets::new(text),
        stack: Vec::new(),
        depth: 0,
        anchors: HashMap::new(),
        produced: 0,
        root: None,
        empty_root: false,
        duplicates: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| builder.scan_error(&e))?;
        let span = builder.span(span.start, span.end);
        match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                if builder.root.is_some() {
                    let at = line_column(text, span.start as usize);
                    return Err(ParseError {
                        message: format!(
                            "the text holds more than one YAML document: a second document starts at line {}, column {}; a definition must be a single document",
                            at.0, at.1
                        ),
                        span,
                    });
                }
            }
            Event::StreamEnd => break,
            Event::Scalar(value, style, anchor, tag) => {
                builder.scalar(&value, style, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                builder.start(Kind::Sequence, anchor, tag.as_deref(), span)?;
            }
            Event::MappingStart(anchor, tag) => {
                builder.start(Kind::Mapping, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.end(span)?,
            Event::Alias(id) => builder.alias(id, span)?,
        }
    }
    match builder.root {
        Some(root) if !builder.stack.is_empty() => Err(ParseError {
            message: "invalid YAML: unexpected end of text".into(),
            span: Span::at(root.span.end as usize),
        }),
        Some(_) if builder.empty_root => Err(empty_error(text)),
        Some(root) => Ok(Document {
            root,
            duplicates: builder.duplicates,
        }),
        None => Err(empty_error(text)),
    }
}

fn empty_error(text: &str) -> ParseError {
    ParseError {
        message: "the text is empty: expected a YAML document".into(),
        span: Span::at(text.len()),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Converts the parser's character indices to byte offsets.
struct Offsets {
    /// Byte offset of every character index (plus the end); empty when the
    /// text is ASCII and indices are offsets.
    table: Vec<u32>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i as u32)
                .chain([text.len() as u32])
                .collect()
        };
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, marker: Marker) -> usize {
        let index = marker.index();
        if self.table.is_empty() {
            index.min(self.len)
        } else {
            self.table
                .get(index)
                .map_or(self.len, |&offset| offset as usize)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sequence,
    Mapping,
}

/// How a tag changes a node.
enum TagKind {
    /// A core-schema tag (`!!str`), by suffix.
    Core(String),
    /// The non-specific tag `!`: scalars are strings.
    NonSpecific,
    /// A local tag (`!Sub`), by name: becomes an intrinsic-function object.
    Local(String),
}

/// An open mapping or sequence.
struct Frame {
    kind: Kind,
    /// Where its tag/anchor or first token starts.
    outer_start: usize,
    /// Where its content (after tag and anchor) starts.
    start: usize,
    /// End of the last completed entry.
    last_end: usize,
    anchor: usize,
    local_tag: Option<(String, Span)>,
    /// Pointer tokens from the parent to this container (two when a local
    /// tag wraps it in an object).
    tokens: Vec<String>,
    items: Vec<Node>,
    members: Vec<Member>,
    /// Index of the first member of each key, built once a mapping is large
    /// (small ones are searched linearly).
    index: HashMap<String, Span>,
    /// A mapping's key waiting for its value.
    key: Option<(String, Span)>,
    /// Nesting levels this frame adds (2 with a local tag).
    levels: usize,
    /// Nodes produced for this container so far (for anchors).
    count: usize,
    /// Deepest container nesting among its entries.
    child_height: usize,
}

/// A completed anchored node, kept for its aliases.
struct Anchored {
    node: Node,
    /// Nodes in `node`.
    count: usize,
    /// Container nesting levels in `node`.
    height: usize,
    /// The scalar's text when the node is a scalar (usable as a key).
    key_text: Option<String>,
}

struct Builder<'a> {
    text: &'a str,
    offsets: Offsets,
    stack: Vec<Frame>,
    /// Nesting levels of the open containers.
    depth: usize,
    anchors: HashMap<usize, Anchored>,
    produced: usize,
    root: Option<Node>,
    /// The root is the empty scalar of a document with no content.
    empty_root: bool,
    duplicates: Vec<DuplicateKey>,
}

impl Builder<'_> {
    fn span(&self, start: Marker, end: Marker) -> Span {
        let start = self.offsets.byte(start);
        let end = self.offsets.byte(end).max(start);
        Span::new(start, end)
    }

    fn scan_error(&self, e: &ScanError) -> ParseError {
        let at = self.offsets.byte(*e.marker());
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        let info = e.info();
        let message = if info == "recursion limit exceeded" {
            "nesting is deeper than 255 levels of flow sequences and mappings".to_string()
        } else if info == "while parsing node, found unknown anchor" {
            "invalid YAML: unknown anchor: this alias names no anchor defined before it".into()
        } else {
            let info = info
                .replace("<document start>", "document start ('---')")
                .replace("<document-start>", "document start ('---')")
                .replace("<stream-start>", "start of the text")
                .replace("`{c}'", "");
            format!("invalid YAML: {info}")
        };
        ParseError {
            message,
            span: Span::new(at, at + len),
        }
    }

    fn error(message: impl Into<String>, span: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span,
        }
    }

    /// Counts `n` more nodes against [`MAX_NODES`].
    fn produce(&mut self, n: usize, span: Span) -> Result<(), ParseError> {
        self.produced = self.produced.saturating_add(n);
        if self.produced > MAX_NODES {
            Err(Self::error(
                format!(
                    "the document expands to more than {MAX_NODES} values (aliases copy their anchored values); this looks like an alias bomb"
                ),
                span,
            ))
        } else {
            Ok(())
        }
    }

    fn check_depth(&self, levels: usize, span: Span) -> Result<(), ParseError> {
        if self.depth + levels > MAX_DEPTH {
            Err(Self::error(
                format!("nesting is deeper than {MAX_DEPTH} levels of arrays and objects"),
                span,
            ))
        } else {
            Ok(())
        }
    }

    /// Where a node's content starts, after its anchor and tag (and the
    /// blanks and comments that follow them), and the span of its tag.
    fn skip_properties(&self, start: usize, end: usize) -> (usize, Option<Span>) {
        let bytes = self.text.as_bytes();
        let mut pos = start;
        let mut tag = None;
        while pos < end && matches!(bytes[pos], b'!' | b'&') {
            let token_start = pos;
            if bytes[pos] == b'!' && bytes.get(pos + 1) == Some(&b'<') {
                while pos < end && bytes[pos] != b'>' {
                    pos += 1;
                }
                pos = (pos + 1).min(end);
            } else {
                while pos < end && !matches!(bytes[pos], b' ' | b'\t' | b'\r' | b'\n') {
                    pos += 1;
                }
            }
            if bytes[token_start] == b'!' {
                tag = Some(Span::new(token_start, pos));
            }
            loop {
                match bytes.get(pos) {
                    Some(b' ' | b'\t' | b'\r' | b'\n') if pos < end => pos += 1,
                    Some(b'#') if pos < end => {
                        while pos < end && bytes[pos] != b'\n' {
                            pos += 1;
                        }
                    }
                    _ => break,
                }
            }
        }
        (pos, tag)
    }

    /// The start of a block scalar's header (`|`, `>-`, …) on the line before
    /// its content, if it can be found.
    fn block_header(&self, content_start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut p = content_start;
        while p > 0 && matches!(bytes[p - 1], b' ' | b'\t' | b'\r' | b'\n') {
            p -= 1;
        }
        let line_start = self.text[..p].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.text[line_start..p];
        line.char_indices().find_map(|(i, c)| {
            if !matches!(c, '|' | '>') {
                return None;
            }
            let before_ok = i == 0 || matches!(line.as_bytes()[i - 1], b' ' | b'\t');
            let rest = line[i + 1..]
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
                .trim_start_matches([' ', '\t']);
            let rest_ok = rest.is_empty() || rest.starts_with('#');
            (before_ok && rest_ok).then_some(line_start + i)
        })
    }

    fn classify_tag(tag: &Tag, span: Span) -> Result<TagKind, ParseError> {
        const CORE: &str = "tag:yaml.org,2002:";
        if tag.handle == CORE {
            return Ok(TagKind::Core(tag.suffix.clone()));
        }
        if tag.handle.is_empty() {
            if let Some(suffix) = tag.suffix.strip_prefix(CORE) {
                return Ok(TagKind::Core(suffix.to_string()));
            }
            if tag.suffix == "!" {
                return Ok(TagKind::NonSpecific);
            }
            if let Some(name) = tag.suffix.strip_prefix('!') {
                return Ok(TagKind::Local(name.to_string()));
            }
        }
        if tag.handle == "!" {
            return Ok(if tag.suffix.is_empty() {
                TagKind::NonSpecific
            } else {
                TagKind::Local(tag.suffix.clone())
            });
        }
        Err(Self::error(
            format!(
                "unsupported YAML tag '{}{}': only core tags such as !!str and local tags such as !Ref or !Sub are understood",
                tag.handle, tag.suffix
            ),
            span,
        ))
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        event_span: Span,
    ) -> Result<(), ParseError> {
        let outer_start = event_span.start as usize;
        let mut end = event_span.end as usize;
        let (mut start, tag_span) = if anchor != 0 || tag.is_some() {
            self.skip_properties(outer_start, end)
        } else {
            (outer_start, None)
        };
        start = start.min(end);
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            if tag.is_none() && anchor == 0 {
                if let Some(header) = self.block_header(start) {
                    start = header;
                }
            }
            let trimmed = self.text[start..end].trim_end_matches([' ', '\t', '\r', '\n']);
            end = start + trimmed.len().max(1).min(end - start);
        }
        if style == ScalarStyle::Plain && value.is_empty() {
            end = start;
        }
        let span = Span::new(start, end);
        let kind = match tag {
            Some(t) => Some(Self::classify_tag(t, tag_span.unwrap_or(event_span))?),
            None => None,
        };

        if self.expecting_key() {
            if let Some(TagKind::Local(name)) = &kind {
                return Err(Self::error(
                    format!("a mapping key cannot carry the tag !{name}: keys must be plain text"),
                    tag_span.unwrap_or(span),
                ));
            }
            self.produce(1, span)?;
            if anchor != 0 {
                let node = Node {
                    span,
                    value: resolve_untagged(value, style, span)
                        .unwrap_or_else(|_| NodeValue::String(value.to_string())),
                };
                self.anchors.insert(
                    anchor,
                    Anchored {
                        node,
                        count: 1,
                        height: 0,
                        key_text: Some(value.to_string()),
                    },
                );
            }
            self.set_key(value.to_string(), span);
            return Ok(());
        }

        let resolved = match &kind {
            None | Some(TagKind::Local(_)) => resolve_untagged(value, style, span)?,
            Some(TagKind::NonSpecific) => NodeValue::String(value.to_string()),
            Some(TagKind::Core(suffix)) => {
                resolve_core(value, suffix, span, tag_span.unwrap_or(span))?
            }
        };
        let node = Node {
            span,
            value: resolved,
        };
        if root_is_empty(self, &node, style, &kind, anchor) {
            self.empty_root = true;
        }
        let key_text = match kind {
            Some(TagKind::Local(_)) => None,
            _ => Some(value.to_string()),
        };
        let (node, count, height) = match kind {
            Some(TagKind::Local(name)) => {
                let tag_span = tag_span.unwrap_or(Span::at(outer_start));
                let outer = Span::new(outer_start.min(start), end);
                self.check_depth(if name == "GetAtt" { 2 } else { 1 }, outer)?;
                wrap_local(self.text, &name, node, tag_span, outer)
            }
            _ => (node, 1, 0),
        };
        self.produce(count, span)?;
        self.complete(node, anchor, count, height, key_text)
    }

    fn expecting_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.kind == Kind::Mapping && f.key.is_none())
    }

    fn set_key(&mut self, key: String, span: Span) {
        if let Some(frame) = self.stack.last_mut() {
            frame.key = Some((key, span));
            frame.last_end = span.end as usize;
        }
    }

    fn start(
        &mut self,
        kind: Kind,
        anchor: usize,
        tag: Option<&Tag>,
        event_span: Span,
    ) -> Result<(), ParseError> {
        let outer_start = event_span.start as usize;
        let (start, tag_span) = if anchor != 0 || tag.is_some() {
            self.skip_properties(outer_start, event_span.end as usize)
        } else {
            (outer_start, None)
        };
        let start_span = Span::new(start, event_span.end.max(start as u32) as usize);
        if self.expecting_key() {
            return Err(Self::error(
                "a mapping key must be a scalar: sequences and mappings cannot be keys",
                start_span,
            ));
        }
        let mut local_tag = None;
        if let Some(t) = tag {
            let tag_span = tag_span.unwrap_or(event_span);
            match Self::classify_tag(t, tag_span)? {
                TagKind::Core(suffix) => {
                    let fits = match kind {
                        Kind::Sequence => suffix == "seq",
                        Kind::Mapping => suffix == "map",
                    };
                    if !fits {
                        let what = match kind {
                            Kind::Sequence => "a sequence",
                            Kind::Mapping => "a mapping",
                        };
                        return Err(Self::error(
                            format!("the tag !!{suffix} cannot be applied to {what}"),
                            tag_span,
                        ));
                    }
                }
                TagKind::NonSpecific => {}
                TagKind::Local(name) => local_tag = Some((name, tag_span)),
            }
        }
        let levels = if local_tag.is_some() { 2 } else { 1 };
        self.check_depth(levels, start_span)?;
        let mut tokens = self.child_token().into_iter().collect::<Vec<_>>();
        if let Some((name, _)) = &local_tag {
            tokens.push(local_key(name));
        }
        self.depth += levels;
        self.stack.push(Frame {
            kind,
            outer_start,
            start,
            last_end: start_span.end as usize,
            anchor,
            local_tag,
            tokens,
            items: Vec::new(),
            members: Vec::new(),
            index: HashMap::new(),
            key: None,
            levels,
            count: 0,
            child_height: 0,
        });
        Ok(())
    }

    /// The pointer token of the next entry of the innermost open container.
    fn child_token(&self) -> Option<String> {
        let frame = self.stack.last()?;
        Some(match frame.kind {
            Kind::Sequence => frame.items.len().to_string(),
            Kind::Mapping => frame.key.as_ref().map_or_else(String::new, |k| k.0.clone()),
        })
    }

    fn end(&mut self, event_span: Span) -> Result<(), ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        self.depth -= frame.levels;
        let end = if event_span.is_empty() {
            frame.last_end
        } else {
            (event_span.end as usize).max(frame.last_end)
        };
        let span = Span::new(frame.start, end.max(frame.start));
        let value = match frame.kind {
            Kind::Sequence => NodeValue::Array(frame.items),
            Kind::Mapping => NodeValue::Object(frame.members),
        };
        let node = Node { span, value };
        let mut count = frame.count + 1;
        let mut height = frame.child_height + 1;
        self.produce(1, span)?;
        let node = match frame.local_tag {
            Some((name, tag_span)) => {
                let outer = Span::new(frame.outer_start.min(frame.start), end.max(frame.start));
                let (node, wrapped_count, wrapped_height) =
                    wrap_local(self.text, &name, node, tag_span, outer);
                self.produce(wrapped_count - 1, span)?;
                count += wrapped_count - 1;
                height += wrapped_height - 1;
                node
            }
            None => node,
        };
        self.complete(node, frame.anchor, count, height, None)
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), ParseError> {
        let name = &self.text[span.range()];
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(Self::error(
                format!("the alias {name} refers to an anchor that encloses it: recursive structures cannot be represented"),
                span,
            ));
        };
        if self.expecting_key() {
            let Some(key) = anchored.key_text.clone() else {
                return Err(Self::error(
                    format!("the alias {name} cannot be a mapping key: its anchored value is not a plain scalar"),
                    span,
                ));
            };
            self.produce(1, span)?;
            self.set_key(key, span);
            return Ok(());
        }
        let (count, height) = (anchored.count, anchored.height);
        self.check_depth(height, span)?;
        // Count before cloning, so a bomb is refused before it allocates.
        self.produce(count, span)?;
        let anchored = &self.anchors[&id];
        let key_text = anchored.key_text.clone();
        let mut node = anchored.node.clone();
        node.span = span;
        self.complete(node, 0, count, height, key_text)
    }

    /// Attaches a finished node to its container (or makes it the root),
    /// remembering it under its anchor.
    fn complete(
        &mut self,
        node: Node,
        anchor: usize,
        count: usize,
        height: usize,
        key_text: Option<String>,
    ) -> Result<(), ParseError> {
        if anchor != 0 {
            // The stored copy counts against the budget too, so nested
            // anchors cannot multiply memory either.
            self.produce(count, node.span)?;
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    count,
                    height,
                    key_text,
                },
            );
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.count += count;
        frame.child_height = frame.child_height.max(height);
        frame.last_end = frame.last_end.max(node.span.end as usize);
        if frame.kind == Kind::Sequence {
            frame.items.push(node);
            return Ok(());
        }
        let (key, key_span) = frame.key.take().unwrap_or_default();
        const INDEXED: usize = 16;
        let first = if frame.members.len() < INDEXED {
            frame
                .members
                .iter()
                .find(|m| m.key == key)
                .map(|m| m.key_span)
        } else {
            if frame.index.is_empty() {
                for m in frame.members.iter().rev() {
                    frame.index.insert(m.key.clone(), m.key_span);
                }
            }
            let first = frame.index.get(&key).copied();
            if first.is_none() {
                frame.index.insert(key.clone(), key_span);
            }
            first
        };
        frame.members.push(Member {
            key: key.clone(),
            key_span,
            value: node,
        });
        if let Some(first) = first {
            let object_pointer = self.pointer();
            self.duplicates.push(DuplicateKey {
                key,
                object_pointer,
                first,
                second: key_span,
            });
        }
        Ok(())
    }

    /// JSON pointer of the innermost open container.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for token in self.stack.iter().flat_map(|f| &f.tokens) {
            out.push('/');
            out.push_str(&escape_pointer_token(token));
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

/// Whether a finished scalar is the whole document and empty (`---` alone).
fn root_is_empty(
    builder: &Builder<'_>,
    node: &Node,
    style: ScalarStyle,
    kind: &Option<TagKind>,
    anchor: usize,
) -> bool {
    builder.stack.is_empty()
        && builder.root.is_none()
        && kind.is_none()
        && anchor == 0
        && style == ScalarStyle::Plain
        && node.span.is_empty()
}

/// The object key a local tag becomes.
fn local_key(name: &str) -> String {
    match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    }
}

/// Wraps `inner` as `{key: inner}` for the local tag `!name`; returns the
/// node, the nodes it added plus one (for `inner`), and its nesting height.
fn wrap_local(
    text: &str,
    name: &str,
    inner: Node,
    tag_span: Span,
    outer: Span,
) -> (Node, usize, usize) {
    let inner_height = match inner.value {
        NodeValue::Array(_) | NodeValue::Object(_) => 1,
        _ => 0,
    };
    let (value, extra, height) = match (&inner.value, name) {
        (NodeValue::String(s), "GetAtt") => {
            let parts = match s.split_once('.') {
                Some((a, b)) => vec![a.to_string(), b.to_string()],
                None => vec![s.clone()],
            };
            let spans = split_spans(text, &inner, &parts);
            let items = parts
                .into_iter()
                .zip(spans)
                .map(|(part, span)| Node {
                    span,
                    value: NodeValue::String(part),
                })
                .collect::<Vec<_>>();
            let extra = items.len();
            (
                Node {
                    span: inner.span,
                    value: NodeValue::Array(items),
                },
                extra,
                1,
            )
        }
        _ => (inner, 0, inner_height),
    };
    let node = Node {
        span: outer,
        value: NodeValue::Object(vec![Member {
            key: local_key(name),
            key_span: tag_span,
            value,
        }]),
    };
    (node, 2 + extra, height + 1)
}

/// Spans of the parts of a dotted `!GetAtt` scalar: exact when the source
/// holds the text verbatim, else the whole scalar's span for each part.
fn split_spans(text: &str, inner: &Node, parts: &[String]) -> Vec<Span> {
    let source = &text[inner.span.range()];
    let unquoted = source
        .strip_prefix(['"', '\''])
        .and_then(|s| s.strip_suffix(['"', '\'']))
        .unwrap_or(source);
    let offset = inner.span.start as usize + (source.len() - unquoted.len()).min(1);
    if parts.len() == 2 && unquoted == format!("{}.{}", parts[0], parts[1]) {
        let first_end = offset + parts[0].len();
        vec![
            Span::new(offset, first_end),
            Span::new(first_end + 1, first_end + 1 + parts[1].len()),
        ]
    } else {
        vec![inner.span; parts.len()]
    }
}

/// An untagged scalar: quoted and block scalars are strings, plain ones
/// follow the YAML 1.2 core schema.
fn resolve_untagged(value: &str, style: ScalarStyle, span: Span) -> Result<NodeValue, ParseError> {
    if style != ScalarStyle::Plain {
        return Ok(NodeValue::String(value.to_string()));
    }
    Ok(match value {
        "" | "~" | "null" | "Null" | "NULL" => NodeValue::Null,
        "true" | "True" | "TRUE" => NodeValue::Bool(true),
        "false" | "False" | "FALSE" => NodeValue::Bool(false),
        _ => match core_number(value, span)? {
            Some(n) => NodeValue::Number(n),
            None => NodeValue::String(value.to_string()),
        },
    })
}

/// A scalar with a core-schema tag (`!!int "12"`).
fn resolve_core(
    value: &str,
    suffix: &str,
    span: Span,
    tag_span: Span,
) -> Result<NodeValue, ParseError> {
    let mismatch = |what: &str| ParseError {
        message: format!("the tag !!{suffix} does not fit '{value}': it is not {what}"),
        span,
    };
    match suffix {
        "str" | "binary" | "timestamp" => Ok(NodeValue::String(value.to_string())),
        "null" => match value {
            "" | "~" | "null" | "Null" | "NULL" => Ok(NodeValue::Null),
            _ => Err(mismatch("null")),
        },
        "bool" => match value {
            "true" | "True" | "TRUE" => Ok(NodeValue::Bool(true)),
            "false" | "False" | "FALSE" => Ok(NodeValue::Bool(false)),
            _ => Err(mismatch("a boolean")),
        },
        "int" => match core_number(value, span)? {
            Some(n) if !n.is_f64() || is_int_text(value) => Ok(NodeValue::Number(n)),
            _ => Err(mismatch("an integer")),
        },
        "float" => match core_number(value, span)? {
            Some(n) => {
                let f = n.as_f64().unwrap_or_default();
                Ok(NodeValue::Number(
                    serde_json::Number::from_f64(f).unwrap_or(n),
                ))
            }
            None => Err(mismatch("a number")),
        },
        "map" | "seq" => Err(ParseError {
            message: format!("the tag !!{suffix} cannot be applied to a scalar"),
            span: tag_span,
        }),
        _ => Err(ParseError {
            message: format!("unsupported YAML tag '!!{suffix}'"),
            span: tag_span,
        }),
    }
}

fn is_int_text(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A plain scalar as a core-schema number, `None` if it is not one.
fn core_number(s: &str, span: Span) -> Result<Option<serde_json::Number>, ParseError> {
    let out_of_range = || {
        ParseError {
        message: format!(
            "the number {s} is out of range: it cannot be represented as a 64-bit floating-point number"
        ),
        span,
    }
    };
    if let Some(hex) = s.strip_prefix("0x") {
        return Ok(radix_number(hex, 16));
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return Ok(radix_number(oct, 8));
    }
    if is_int_text(s) {
        if let Ok(i) = s.parse::<i64>() {
            return Ok(Some(i.into()));
        }
        if let Ok(u) = s.trim_start_matches('+').parse::<u64>() {
            return Ok(Some(u.into()));
        }
        let f: f64 = s.parse().map_err(|_| out_of_range())?;
        return serde_json::Number::from_f64(f)
            .map(Some)
            .ok_or_else(out_of_range);
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return Err(ParseError {
            message: format!("the number {s} is not finite: JSON cannot represent infinity or NaN"),
            span,
        });
    }
    if !is_float_text(unsigned) {
        return Ok(None);
    }
    let f: f64 = s.parse().map_err(|_| out_of_range())?;
    serde_json::Number::from_f64(f)
        .map(Some)
        .ok_or_else(out_of_range)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign already removed).
fn is_float_text(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => is_int_text(e),
    };
    mantissa_ok && exponent_ok
}

/// `0x…`/`0o…` digits as a number (beyond `u64`, as a float).
fn radix_number(digits: &str, radix: u32) -> Option<serde_json::Number> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if let Ok(u) = u64::from_str_radix(digits, radix) {
        return Some(u.into());
    }
    let f = digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0.0_f64, |acc, d| acc * f64::from(radix) + f64::from(d));
    serde_json::Number::from_f64(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> serde_json::Value {
        parse(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .root
            .to_value()
    }

    fn err(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    const DEFINITION_YAML: &str = r#"# An order workflow
Comment: "Processes an order"
StartAt: Validate
TimeoutSeconds: 300
States:
  Validate:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke
    Parameters:
      FunctionName: validate
      Payload.$: $
    ResultPath: $.validation
    Retry:
      - ErrorEquals: [States.TaskFailed]
        IntervalSeconds: 2
        MaxAttempts: 3
        BackoffRate: 1.5
    Next: Choose
  Choose:
    Type: Choice
    Choices:
      - Variable: $.validation.ok
        BooleanEquals: true
        Next: Done
    Default: Fail
  Fail:
    Type: Fail
    Error: Invalid
    Cause: |
      The order
      is invalid.
  Done:
    Type: Succeed
    OutputPath: null
"#;

    const DEFINITION_JSON: &str = r#"{
  "Comment": "Processes an order",
  "StartAt": "Validate",
  "TimeoutSeconds": 300,
  "States": {
    "Validate": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "validate", "Payload.$": "$"},
      "ResultPath": "$.validation",
      "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 1.5}],
      "Next": "Choose"
    },
    "Choose": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.validation.ok", "BooleanEquals": true, "Next": "Done"}],
      "Default": "Fail"
    },
    "Fail": {"Type": "Fail", "Error": "Invalid", "Cause": "The order\nis invalid.\n"},
    "Done": {"Type": "Succeed", "OutputPath": null}
  }
}"#;

    #[test]
    fn definition_in_yaml_equals_the_json_version() {
        let yaml = parse(DEFINITION_YAML).unwrap();
        let json = crate::json::parse(DEFINITION_JSON).unwrap();
        assert_eq!(yaml.root.to_value(), json.root.to_value());
        assert!(yaml.duplicates.is_empty());
        // Same key order, same integer/float distinction.
        assert_eq!(
            yaml.root.to_value().to_string(),
            json.root.to_value().to_string()
        );
        let validate = yaml
            .root
            .field("States")
            .unwrap()
            .field("Validate")
            .unwrap();
        let retry = &validate.field("Retry").unwrap().as_array().unwrap()[0];
        assert_eq!(retry.field("MaxAttempts").unwrap().type_name(), "integer");
        assert_eq!(retry.field("BackoffRate").unwrap().type_name(), "number");
    }

    #[test]
    fn spans_cover_scalars_keys_and_collections() {
        let text = "a: 1\nb: \"x y\"\nc: 'q'\nd: [1, {k: v}]\ne:\n  - x\n  - y\nf:\n  g: h\n";
        let doc = parse(text).unwrap();
        let root = &doc.root;
        assert_eq!(root.span, Span::new(0, text.trim_end().len()));
        let a = root.get("a").unwrap();
        assert_eq!(slice(text, a.key_span), "a");
        assert_eq!(slice(text, a.value.span), "1");
        assert_eq!(slice(text, root.field("b").unwrap().span), "\"x y\"");
        assert_eq!(slice(text, root.field("c").unwrap().span), "'q'");
        let d = root.field("d").unwrap();
        assert_eq!(slice(text, d.span), "[1, {k: v}]");
        assert_eq!(slice(text, d.as_array().unwrap()[1].span), "{k: v}");
        assert_eq!(slice(text, root.field("e").unwrap().span), "- x\n  - y");
        assert_eq!(slice(text, root.field("f").unwrap().span), "g: h");
    }

    #[test]
    fn block_scalar_spans_start_at_the_indicator() {
        let text = "a: |\n  one\n  two\n\nb: >- # folded\n  x\nc: !Sub |\n  ${X}\n";
        let doc = parse(text).unwrap();
        let a = doc.root.field("a").unwrap();
        assert_eq!(a.as_str(), Some("one\ntwo\n"));
        assert_eq!(slice(text, a.span), "|\n  one\n  two");
        let b = doc.root.field("b").unwrap();
        assert_eq!(b.as_str(), Some("x"));
        assert_eq!(slice(text, b.span), ">- # folded\n  x");
        let c = doc.root.field("c").unwrap();
        assert_eq!(slice(text, c.span), "!Sub |\n  ${X}");
        assert_eq!(slice(text, c.field("Fn::Sub").unwrap().span), "|\n  ${X}");
    }

    #[test]
    fn spans_are_bytes_after_non_ascii_text() {
        let text = "Comment: \"héllo wörld — ✓ 😀\"\nStartAt: Ä\n名前: {ключ: 値}\n";
        let doc = parse(text).unwrap();
        let start = doc.root.get("StartAt").unwrap();
        assert_eq!(slice(text, start.key_span), "StartAt");
        assert_eq!(slice(text, start.value.span), "Ä");
        assert_eq!(start.value.as_str(), Some("Ä"));
        let name = doc.root.get("名前").unwrap();
        assert_eq!(slice(text, name.key_span), "名前");
        assert_eq!(slice(text, name.value.span), "{ключ: 値}");
        let inner = name.value.get("ключ").unwrap();
        assert_eq!(slice(text, inner.key_span), "ключ");
        assert_eq!(slice(text, inner.value.span), "値");
        assert_eq!(
            slice(text, doc.root.field("Comment").unwrap().span),
            "\"héllo wörld — ✓ 😀\""
        );
    }

    #[test]
    fn byte_order_mark_is_allowed() {
        let text = "\u{feff}a: 1\n";
        let doc = parse(text).unwrap();
        assert_eq!(doc.root.span.start, 3);
        assert_eq!(slice(text, doc.root.field("a").unwrap().span), "1");
    }

    #[test]
    fn core_schema_plain_scalars() {
        let items = [
            "null",
            "Null",
            "NULL",
            "~",
            "",
            "true",
            "True",
            "TRUE",
            "false",
            "FALSE",
            "12",
            "-3",
            "+4",
            "0x1F",
            "0o17",
            "007",
            "1.5",
            "-.5",
            "1e3",
            "2.5E-1",
            "1.",
            "18446744073709551615",
            "123456789012345678901234567890",
        ];
        let text: String = items.iter().map(|i| format!("- {i}\n")).collect();
        assert_eq!(
            value(&text).to_string(),
            "[null,null,null,null,null,true,true,true,false,false,12,-3,4,31,15,7,\
             1.5,-0.5,1000.0,0.25,1.0,18446744073709551615,1.2345678901234568e+29]"
        );
        // Empty values in block mappings are null too.
        assert_eq!(value("a:\nb: ~\n"), json!({"a": null, "b": null}));
    }

    #[test]
    fn yaml_1_1_words_stay_strings() {
        let v = value("[yes, no, on, off, Yes, y, n, tRUE, 2024-01-01, 1_000, 0b101, -0x1, 0x, .5.5, 1e, nulls]");
        assert_eq!(
            v,
            json!([
                "yes",
                "no",
                "on",
                "off",
                "Yes",
                "y",
                "n",
                "tRUE",
                "2024-01-01",
                "1_000",
                "0b101",
                "-0x1",
                "0x",
                ".5.5",
                "1e",
                "nulls"
            ])
        );
        assert_eq!(value("Enabled: yes"), json!({"Enabled": "yes"}));
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        assert_eq!(
            value("- '1'\n- \"true\"\n- 'null'\n- \"~\"\n- \"\"\n- |\n  12\n"),
            json!(["1", "true", "null", "~", "", "12\n"])
        );
    }

    #[test]
    fn infinity_nan_and_out_of_range_numbers_are_errors() {
        for text in ["a: .inf", "a: -.Inf", "a: .NaN"] {
            let e = err(text);
            assert!(e.message.contains("not finite"), "{text}: {}", e.message);
            assert_eq!(e.span.start, 3, "{text}");
        }
        let e = err("Seconds: 1e309");
        assert!(
            e.message.contains("the number 1e309 is out of range"),
            "{}",
            e.message
        );
        assert_eq!(e.span, Span::new(9, 14));
        assert!(err("- -1e400").message.contains("out of range"));
    }

    #[test]
    fn core_tags_are_honoured() {
        assert_eq!(
            value("[!!str 12, !!int \"12\", !!float 1, !!bool \"true\", !!null \"\", !!str true, ! 3, !<tag:yaml.org,2002:int> '7']"),
            json!(["12", 12, 1.0, true, null, "true", "3", 7])
        );
        assert_eq!(value("!!map {a: !!seq [1]}"), json!({"a": [1]}));
        for (text, needle) in [
            ("!!int abc", "integer"),
            ("!!int 1.5", "integer"),
            ("!!bool yes", "boolean"),
            ("!!map [1]", "cannot be applied to a sequence"),
            ("!!seq {}", "cannot be applied to a mapping"),
            ("!!str [1]", "cannot be applied"),
            ("!!seq x", "cannot be applied to a scalar"),
            ("!!set {}", "cannot be applied"),
            ("!!omap x", "unsupported"),
            (
                "%TAG !e! tag:example.com,2000:\n---\n!e!foo x",
                "unsupported YAML tag",
            ),
        ] {
            let e = err(text);
            assert!(e.message.contains(needle), "{text}: {}", e.message);
        }
    }

    #[test]
    fn local_tags_become_intrinsic_function_objects() {
        let text = "A: !Ref Bucket\nB: !Sub \"arn:${AWS::Partition}:s3:::${Bucket}\"\nC: !GetAtt Fn.Arn\nD: !GetAtt [Fn, Arn]\nE: !Join\n  - ''\n  - [a, !Ref B]\nF: !Condition IsProd\nG: !FindInMap {a: b}\nH: !GetAtt Res.Outputs.Out\n";
        let doc = parse(text).unwrap();
        assert_eq!(
            doc.root.to_value(),
            json!({
                "A": {"Ref": "Bucket"},
                "B": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}"},
                "C": {"Fn::GetAtt": ["Fn", "Arn"]},
                "D": {"Fn::GetAtt": ["Fn", "Arn"]},
                "E": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
                "F": {"Condition": "IsProd"},
                "G": {"Fn::FindInMap": {"a": "b"}},
                "H": {"Fn::GetAtt": ["Res", "Outputs.Out"]},
            })
        );
        let a = doc.root.field("A").unwrap();
        assert_eq!(slice(text, a.span), "!Ref Bucket");
        let member = &a.as_object().unwrap()[0];
        assert_eq!(slice(text, member.key_span), "!Ref");
        assert_eq!(slice(text, member.value.span), "Bucket");
        let c = doc.root.field("C").unwrap();
        assert_eq!(slice(text, c.span), "!GetAtt Fn.Arn");
        let parts = c.field("Fn::GetAtt").unwrap().as_array().unwrap();
        assert_eq!(slice(text, parts[0].span), "Fn");
        assert_eq!(slice(text, parts[1].span), "Arn");
        let e = doc.root.field("E").unwrap();
        assert_eq!(slice(text, e.span), "!Join\n  - ''\n  - [a, !Ref B]");
        assert_eq!(
            slice(text, e.field("Fn::Join").unwrap().span),
            "- ''\n  - [a, !Ref B]"
        );
        assert!(err("!Ref a: b")
            .message
            .contains("cannot carry the tag !Ref"));
    }

    #[test]
    fn keys_must_be_scalars_and_non_strings_become_text() {
        assert_eq!(
            value("1: a\ntrue: b\nnull: c\n1.5: d\n'q': e\n"),
            json!({"1": "a", "true": "b", "null": "c", "1.5": "d", "q": "e"})
        );
        let text = "a: 1\n? [x, y]\n: 2\n";
        let e = err(text);
        assert!(e.message.contains("key must be a scalar"), "{}", e.message);
        assert_eq!(e.span.start, 7);
        let e = err("{? {a: b}: c}");
        assert!(e.message.contains("key must be a scalar"), "{}", e.message);
        let e = err("x: &k [1]\n*k : 2\n");
        assert!(
            e.message.contains("cannot be a mapping key"),
            "{}",
            e.message
        );
    }

    #[test]
    fn duplicate_keys_are_reported_like_json() {
        let text = "States:\n  A:\n    Type: Pass\n    Type: Succeed\n";
        let doc = parse(text).unwrap();
        let json = crate::json::parse(r#"{"States": {"A": {"Type": "Pass", "Type": "Succeed"}}}"#)
            .unwrap();
        assert_eq!(doc.duplicates.len(), 1);
        let d = &doc.duplicates[0];
        assert_eq!(d.key, "Type");
        assert_eq!(d.object_pointer, json.duplicates[0].object_pointer);
        assert_eq!(d.object_pointer, "/States/A");
        assert_eq!(slice(text, d.first), "Type");
        assert_eq!(slice(text, d.second), "Type");
        assert!(d.first < d.second);
        // The last value wins in to_value, as for JSON.
        assert_eq!(doc.root.to_value()["States"]["A"]["Type"], "Succeed");

        let doc = parse("- {a/b: {x: 1, x: 2}}\n- 1: a\n  '1': b\n").unwrap();
        let pointers: Vec<_> = doc
            .duplicates
            .iter()
            .map(|d| d.object_pointer.as_str())
            .collect();
        assert_eq!(pointers, ["/0/a~1b", "/1"]);
        let doc = parse("a: !Sub {x: 1, x: 2}").unwrap();
        assert_eq!(doc.duplicates[0].object_pointer, "/a/Fn::Sub");
        let doc = parse("{x: 1, x: 2}").unwrap();
        assert_eq!(doc.duplicates[0].object_pointer, "/");
        // Large mappings (indexed) report the first occurrence too.
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: again\nk39: again\nk3: thrice\n");
        let doc = parse(&text).unwrap();
        let found: Vec<_> = doc
            .duplicates
            .iter()
            .map(|d| (d.key.as_str(), d.first.start))
            .collect();
        let k3 = text.find("k3:").unwrap() as u32;
        let k39 = text.find("k39:").unwrap() as u32;
        assert_eq!(found, [("k3", k3), ("k39", k39), ("k3", k3)]);
    }

    #[test]
    fn aliases_copy_their_anchored_values() {
        let text = "base: &b {Type: Pass, End: true}\ncopy: *b\nlist: [&n 3, *n]\n&k key: *k\n";
        let doc = parse(text).unwrap();
        assert_eq!(
            doc.root.to_value(),
            json!({
                "base": {"Type": "Pass", "End": true},
                "copy": {"Type": "Pass", "End": true},
                "list": [3, 3],
                "key": "key",
            })
        );
        let copy = doc.root.field("copy").unwrap();
        assert_eq!(slice(text, copy.span), "*b");
        assert_eq!(slice(text, copy.get("Type").unwrap().key_span), "Type");
        let base = doc.root.field("base").unwrap();
        assert_eq!(slice(text, base.span), "{Type: Pass, End: true}");
        assert!(err("a: *nope").message.contains("unknown anchor"));
        assert!(err("a: &x [1, *x]").message.contains("recursive"));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = err(&text);
        assert!(e.message.contains("alias bomb"), "{}", e.message);
        // A modest amount of sharing is fine.
        assert!(parse("a: &a [1, 2]\nb: [*a, *a, *a]\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let e = err(&"[".repeat(100_000));
        assert!(e.message.contains("nesting"), "{}", e.message);
        let e = err(&format!("{}x", "- ".repeat(100_000)));
        assert!(
            e.message.contains("nesting is deeper than 256"),
            "{}",
            e.message
        );
        let mut mappings = String::new();
        for i in 0..1_000 {
            mappings.push_str(&" ".repeat(i));
            mappings.push_str("k:\n");
        }
        let e = err(&mappings);
        assert!(
            e.message.contains("nesting is deeper than 256"),
            "{}",
            e.message
        );
        let ok = format!("{}x", "- ".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let too_deep = format!("{}x", "- ".repeat(MAX_DEPTH + 1));
        assert!(parse(&too_deep).is_err());
        // Tags and aliases count toward the depth too.
        let tagged = format!("{}!Ref x", "- ".repeat(MAX_DEPTH));
        assert!(err(&tagged).message.contains("nesting"));
        let deep_alias = format!(
            "a: &a {open}{close}\nb: {open}*a{close}\n",
            open = "[".repeat(200),
            close = "]".repeat(200)
        );
        assert!(err(&deep_alias).message.contains("nesting"));
    }

    #[test]
    fn one_document_only() {
        let text = "a: 1\n---\nb: 2\n";
        let e = err(text);
        assert!(
            e.message.contains("more than one YAML document"),
            "{}",
            e.message
        );
        assert!(e.message.contains("line 2, column 1"), "{}", e.message);
        assert_eq!(slice(text, e.span), "---");
        assert!(err("a: 1\n...\nb: 2\n").message.contains("line 3"));
        // Explicit markers around a single document are fine.
        assert_eq!(value("---\na: 1\n...\n"), json!({"a": 1}));
    }

    #[test]
    fn empty_documents_are_errors() {
        for text in ["", "   \n", "# just a comment\n", "---\n", "---\n...\n"] {
            let e = err(text);
            assert!(
                e.message.starts_with("the text is empty"),
                "{text:?}: {}",
                e.message
            );
        }
        assert_eq!(value("~"), json!(null));
        assert_eq!(value("--- !!null"), json!(null));
    }

    #[test]
    fn syntax_errors_have_a_place_and_a_readable_message() {
        let text = "a: 1\nb: c: d\n";
        let e = err(text);
        assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
        assert!(e.message.contains("mapping values"), "{}", e.message);
        assert_eq!(e.span.start, 9);
        let text = "é: [1,\n";
        let e = err(text);
        assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
        assert!(e.span.end as usize <= text.len());
        assert!(text.is_char_boundary(e.span.start as usize));
        for text in [
            "a: \"unterminated",
            "[1, 2",
            "{a: 1",
            "a:\n\t- b",
            "- a\nb: c",
            "a: 'x\n",
        ] {
            let e = err(text);
            assert!(
                e.message.starts_with("invalid YAML"),
                "{text:?}: {}",
                e.message
            );
            assert!(e.span.end as usize <= text.len(), "{text:?}");
        }
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_offset() {
        let e = parse_bytes(b"a: \"\xff\"").unwrap_err();
        assert!(e.message.contains("UTF-8"));
        assert_eq!(e.span.start, 4);
        assert!(parse_bytes(b"a: 1").is_ok());
    }

    #[test]
    fn garbage_never_panics() {
        let samples = [
            "!",
            "&",
            "*",
            "!<",
            "!<>",
            "&a",
            "*a",
            "? ",
            ": ",
            "- ",
            "|",
            ">",
            "|-\n",
            "'",
            "\"",
            "{",
            "[",
            "}",
            "]",
            "%",
            "%YAML 1.2",
            "%TAG",
            "---",
            "...",
            "!!",
            "!! x",
            "? |\n x",
            "a: !GetAtt",
            "a: !GetAtt .",
            "a: !GetAtt '.'",
            "- !Ref\n- !Sub",
            "&a !b *c",
            "\u{0}",
            "\u{feff}",
            "\u{feff}\u{feff}",
            "é: é\n  é",
            "a: |\n  é\n b",
            "- >\n\n\n",
            "[a: b: c]",
            "{? : }",
            "!<!> x",
            "!<tag:yaml.org,2002:x> y",
        ];
        for s in samples {
            let _ = parse(s);
        }
        let mut seed: u64 = 7;
        let alphabet: Vec<char> = "{}[]\"':,-?|>!&*#%~.\\ \n\n\t  abé0123456789eExnul"
            .chars()
            .collect();
        for _ in 0..30_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = ((seed >> 33) % 32) as usize;
            let mut s = String::with_capacity(len);
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            if let Err(e) = parse(&s) {
                assert!(e.span.end as usize <= s.len(), "{s:?}");
                assert!(s.is_char_boundary(e.span.start as usize), "{s:?}");
            } else if let Ok(doc) = parse(&s) {
                check_spans(&s, &doc.root);
            }
        }
    }

    /// Every span of a parsed tree lies inside the text on char boundaries.
    fn check_spans(text: &str, node: &Node) {
        let ok = |span: Span| {
            span.start <= span.end
                && span.end as usize <= text.len()
                && text.is_char_boundary(span.start as usize)
                && text.is_char_boundary(span.end as usize)
        };
        assert!(ok(node.span), "{text:?}: {:?}", node.span);
        match &node.value {
            NodeValue::Array(items) => items.iter().for_each(|n| check_spans(text, n)),
            NodeValue::Object(members) => {
                for m in members {
                    assert!(ok(m.key_span), "{text:?}: {:?}", m.key_span);
                    check_spans(text, &m.value);
                }
            }
            _ => {}
        }
    }
}
