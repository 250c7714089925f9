//! The result of linting one file, and of a whole run.

use crate::context::LintOptions;
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Input;
use crate::lint::{lint_document, parse, SourceFormat};
use crate::rules::invalid_json::InvalidJson;
use asl_core::lines::{LineCol, LineIndex};

/// One linted file: its text (for snippets and positions) and findings.
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// Lints one input that was read successfully.
    pub fn lint(path: String, bytes: &[u8], options: &LintOptions) -> Self {
        let format = SourceFormat::from_path(&path);
        let (text, diagnostics) = match asl_core::json::decode_utf8(bytes) {
            Ok(text) => {
                let diagnostics = match parse(text, format) {
                    Ok(document) => lint_document(&document, text.len(), options),
                    Err(error) => InvalidJson::diagnostics(&error, format),
                };
                (text.to_owned(), diagnostics)
            }
            Err(error) => (
                String::from_utf8_lossy(bytes).into_owned(),
                InvalidJson::diagnostics(&error, format),
            ),
        };
        FileReport {
            lines: LineIndex::new(&text),
            path,
            text,
            diagnostics,
        }
    }

    pub fn position(&self, offset: u32) -> LineCol {
        self.lines.line_col(&self.text, offset as usize)
    }
}

/// Everything one run found.
pub struct RunReport {
    pub files: Vec<FileReport>,
    /// Files that could not be read, and paths that name nothing.
    pub unreadable: Vec<(String, String)>,
}

impl RunReport {
    pub fn lint_inputs(inputs: Vec<Input>, options: &LintOptions) -> Self {
        use rayon::prelude::*;
        let results: Vec<Result<FileReport, (String, String)>> = inputs
            .into_par_iter()
            .map(|input| match input.content {
                Ok(bytes) => Ok(FileReport::lint(input.path, &bytes, options)),
                Err(message) => Err((input.path, message)),
            })
            .collect();
        let mut files = Vec::new();
        let mut unreadable = Vec::new();
        for result in results {
            match result {
                Ok(report) => files.push(report),
                Err(problem) => unreadable.push(problem),
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        RunReport { files, unreadable }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }
}
