//! Source texts and load errors that point at `file:line:col`.

use asl_core::lines::LineIndex;
use asl_core::span::Span;
use std::fmt;
use std::path::{Path, PathBuf};

/// A text read from disk with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it.
    pub path: PathBuf,
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
        }
    }

    /// Reads a file; the error names it.
    pub fn read(path: &Path) -> Result<Self, LoadError> {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(SourceFile::new(path, text)),
                Err(e) => {
                    let offset = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let file = SourceFile::new(path, text);
                    Err(file.error(
                        Span::at(offset),
                        "the file is not UTF-8 text",
                        Some("save it as UTF-8".into()),
                    ))
                }
            },
            Err(e) => Err(LoadError::plain(
                path,
                format!("cannot read the file: {e}"),
                None,
            )),
        }
    }

    /// A load error at `span` in this file.
    pub fn error(&self, span: Span, message: impl Into<String>, help: Option<String>) -> LoadError {
        let lc = self.lines.line_col(&self.text, span.start as usize);
        LoadError {
            file: self.path.clone(),
            line: lc.line,
            column: lc.column,
            message: message.into(),
            help,
            details: Vec::new(),
        }
    }

    /// `line:col` of a byte offset (1-based).
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let lc = self.lines.line_col(&self.text, offset);
        (lc.line, lc.column)
    }
}

/// Why a scenario file could not be loaded. Rendered as
/// `file:line:col: error: message` followed by indented details and a
/// `help:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    /// 1-based; 0 when the error has no position (e.g. unreadable file).
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Further lines (e.g. the linter's diagnostics of a definition).
    pub details: Vec<String>,
}

impl LoadError {
    /// An error without a position.
    pub fn plain(file: &Path, message: impl Into<String>, help: Option<String>) -> Self {
        LoadError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            help,
            details: Vec::new(),
        }
    }

    /// The first line: `file:line:col: message`.
    pub fn headline(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", display_path(&self.file), self.message)
        } else {
            format!(
                "{}:{}:{}: {}",
                display_path(&self.file),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        for d in &self.details {
            write!(f, "\n    {d}")?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A path with `/` separators and no leading `./`, so output is the same on
/// every platform.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// Removes `.` and resolves `name/..` lexically (`a/../b/c` → `b/c`), for
/// stable display of joined relative paths.
pub fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize(Path::new("a/../b/./c")), PathBuf::from("b/c"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
        assert_eq!(display_path(Path::new("./a/b")), "a/b");
    }
}
