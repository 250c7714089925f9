//! Finding and reading the files to lint.

use ignore::WalkBuilder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Extensions linted in a directory walk. A file named on the command line
/// is linted whatever its name.
const DEFINITION_SUFFIXES: [&str; 3] = [".asl.json", ".asl.yaml", ".asl.yml"];

/// One input to lint: its display name and its bytes (or why it has none).
pub struct Input {
    /// As the user wrote it, or as found under a directory; `-` is stdin.
    pub path: String,
    pub content: Result<Vec<u8>, String>,
}

/// A path that names nothing, or another problem that makes the exit code 2.
pub struct PathProblem {
    pub path: String,
    pub message: String,
}

pub fn is_definition_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    DEFINITION_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Expands the command-line paths (default `.`) into the files to lint,
/// sorted and de-duplicated; directories are walked honouring `.gitignore`.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathProblem>) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
        } else if path.is_dir() {
            walk(path, &mut files, &mut problems);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            problems.push(PathProblem {
                path: path.display().to_string(),
                message: "no such file or directory".into(),
            });
        }
    }
    files.sort();
    files.dedup();
    (files, problems)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<PathProblem>) {
    for entry in WalkBuilder::new(dir).hidden(false).build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_definition_file(entry.path()) {
                    files.push(entry.into_path());
                }
            }
            Err(error) => problems.push(PathProblem {
                path: dir.display().to_string(),
                message: error.to_string(),
            }),
        }
    }
}

/// Reads one file (or stdin for `-`).
pub fn read(path: &Path) -> Input {
    let display = path.display().to_string();
    let content = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map(|_| buf)
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {display}: {e}"))
    };
    Input {
        path: display,
        content,
    }
}
