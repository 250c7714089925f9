//! Open documents: their text as the client sent it, edits, and whether
//! they are state machine definitions.

use crate::lint::{self, SourceFormat};
use asl_core::lines::{LineIndex, Utf16Pos};
use lsp_types::{Position, TextDocumentContentChangeEvent};

/// One open document.
pub struct Document {
    /// The full current text.
    pub text: String,
    /// The version the client gave with the latest text.
    pub version: i32,
    pub format: SourceFormat,
    /// Whether the document is linted: named `*.asl.json|yaml|yml`, or seen
    /// to be a definition at some point since it was opened (so that it
    /// keeps being linted while it is broken mid-edit).
    pub is_definition: bool,
    /// Whether the text changed since the last lint.
    pub dirty: bool,
    /// Findings for the current text (valid when not `dirty`).
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    /// Line starts of `text` (valid when not `dirty`).
    pub lines: LineIndex,
}

impl Document {
    /// A document just opened with `text`.
    pub fn open(uri: &str, language_id: &str, version: i32, text: String) -> Self {
        let format = format_of(uri, language_id);
        let mut document = Document {
            lines: LineIndex::new(""),
            text,
            version,
            format,
            is_definition: has_definition_name(uri),
            dirty: true,
            diagnostics: Vec::new(),
        };
        document.recheck_kind();
        document
    }

    /// Replaces the text (full sync, or a save with text).
    pub fn replace(&mut self, version: Option<i32>, text: String) {
        self.text = text;
        if let Some(version) = version {
            self.version = version;
        }
        self.dirty = true;
        self.recheck_kind();
    }

    /// Applies the changes of one `didChange`, in order.
    pub fn apply_changes(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&self.text);
                    let a = offset(&index, &self.text, range.start);
                    let b = offset(&index, &self.text, range.end);
                    let (start, end) = if a <= b { (a, b) } else { (b, a) };
                    self.text.replace_range(start..end, &change.text);
                }
            }
        }
        self.version = version;
        self.dirty = true;
        self.recheck_kind();
    }

    /// Once a definition, always a definition (until closed).
    fn recheck_kind(&mut self) {
        if !self.is_definition {
            self.is_definition = looks_like_definition(&self.text, self.format);
        }
    }
}

/// The byte offset of an LSP position (clamped into the text).
pub fn offset(index: &LineIndex, text: &str, position: Position) -> usize {
    index.offset_of_utf16(
        text,
        Utf16Pos {
            line: position.line,
            character: position.character,
        },
    )
}

/// `*.asl.json`, `*.asl.yaml` and `*.asl.yml` are definitions by name.
pub fn has_definition_name(uri: &str) -> bool {
    let path = path_part(uri).to_ascii_lowercase();
    [".asl.json", ".asl.yaml", ".asl.yml"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// YAML when the name or the language id says so; JSON otherwise.
pub fn format_of(uri: &str, language_id: &str) -> SourceFormat {
    let path = path_part(uri).to_ascii_lowercase();
    if path.ends_with(".yaml") || path.ends_with(".yml") {
        SourceFormat::Yaml
    } else if path.ends_with(".json") {
        SourceFormat::Json
    } else if language_id.eq_ignore_ascii_case("yaml") {
        SourceFormat::Yaml
    } else {
        SourceFormat::Json
    }
}

/// The URI without query and fragment.
fn path_part(uri: &str) -> &str {
    let end = uri.find(['?', '#']).unwrap_or(uri.len());
    &uri[..end]
}

/// Whether `text` is an object with `StartAt` and `States`. Text that does
/// not parse counts when it mentions both keys (a definition mid-edit).
pub fn looks_like_definition(text: &str, format: SourceFormat) -> bool {
    if !(text.contains("StartAt") && text.contains("States")) {
        return false;
    }
    match lint::parse(text, format) {
        Ok(document) => {
            document.root.field("StartAt").is_some() && document.root.field("States").is_some()
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Range;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| Range {
                start: Position::new(l1, c1),
                end: Position::new(l2, c2),
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_edits_use_utf16_positions() {
        let mut doc = Document::open("untitled:1", "json", 1, "{\"😀\": \"ab\"}\nx".into());
        // 😀 is two UTF-16 units: `"ab"` starts at character 7.
        doc.apply_changes(2, vec![change(Some(((0, 8), (0, 10))), "cd")]);
        assert_eq!(doc.text, "{\"😀\": \"cd\"}\nx");
        doc.apply_changes(
            3,
            vec![change(Some(((1, 0), (1, 1))), "y"), change(None, "z")],
        );
        assert_eq!(doc.text, "z");
        // Out-of-range and reversed ranges are clamped, not a panic.
        doc.apply_changes(4, vec![change(Some(((9, 9), (0, 0))), "w")]);
        assert_eq!(doc.text, "w");
        assert_eq!(doc.version, 4);
    }

    #[test]
    fn recognises_definitions() {
        assert!(has_definition_name("file:///a/b.ASL.json"));
        assert!(has_definition_name("file:///a/b.asl.yml?x"));
        assert!(!has_definition_name("file:///a/b.json"));
        let json = r#"{"StartAt": "A", "States": {}}"#;
        assert!(looks_like_definition(json, SourceFormat::Json));
        assert!(looks_like_definition(
            "StartAt: A\nStates: {}\n",
            SourceFormat::Yaml
        ));
        assert!(!looks_like_definition(
            r#"{"name": "StartAt States"}"#,
            SourceFormat::Json
        ));
        assert!(looks_like_definition(
            r#"{"StartAt": "A", "States": {"#,
            SourceFormat::Json
        ));
        let doc = Document::open("untitled:x", "json", 1, json.into());
        assert!(doc.is_definition);
        let doc = Document::open("file:///package.json", "json", 1, "{}".into());
        assert!(!doc.is_definition);
        assert_eq!(format_of("untitled:1", "yaml"), SourceFormat::Yaml);
        assert_eq!(
            format_of("file:///x.asl.yaml", "plaintext"),
            SourceFormat::Yaml
        );
    }
}
