//! The `definition` of a scenario file: a path (relative to the scenario
//! file) to `.asl.json` / `.asl.yaml`, or an inline mapping. It must lint
//! without errors (`asl_lint::lint`), and it tells which states exist, so
//! mocks and `expect.path` can be checked.

use crate::model::{LoadedDefinition, TaskTiming};
use crate::source::{display_path, LoadError, SourceFile};
use asl_core::json::{Document, Node, NodeValue};
use asl_core::model::{self, StateKind};
use asl_core::span::Span;
use asl_lint::context::LintOptions;
use asl_lint::diagnostic::{Diagnostic, Severity};
use asl_lint::lint::{lint_document, lint_text, SourceFormat};
use asl_lint::suggest::closest;
use std::collections::BTreeMap;
use std::path::Path;

/// The loaded definition plus what loading needs to check the scenarios.
#[derive(Debug, Clone)]
pub struct DefinitionInfo {
    pub loaded: LoadedDefinition,
    /// Every state (nested ones included) → its type name.
    pub states: BTreeMap<String, &'static str>,
    /// Top-level state names.
    pub top_level: Vec<String>,
    /// Task states with their timing.
    pub tasks: BTreeMap<String, TaskTiming>,
}

/// Resolves, reads, lints and indexes the `definition` node.
pub fn load(src: &SourceFile, node: &Node) -> Result<DefinitionInfo, LoadError> {
    match &node.value {
        NodeValue::String(rel) => from_file(src, rel, node.span),
        NodeValue::Object(_) => {
            let doc = Document { root: node.clone(), duplicates: Vec::new() };
            let diags = lint_document(&doc, src.text.len(), &LintOptions::default());
            check_lint(src, &diags, node.span, src, "the inline definition")?;
            let stem = scenario_stem(&src.path);
            Ok(index(
                &doc.root,
                LoadedDefinition {
                    label: "(inline)".into(),
                    file: None,
                    json: doc.root.to_value().to_string(),
                    machine_name: stem,
                    coverage_key: format!("{} (inline)", display_path(&src.path)),
                    tasks: BTreeMap::new(),
                },
            ))
        }
        _ => Err(src.error(
            node.span,
            format!("`definition` must be a path or a mapping, found {}", super::kind(node)),
            Some("write `definition: machine.asl.json` (relative to this file) or the definition inline".into()),
        )),
    }
}

fn from_file(src: &SourceFile, rel: &str, span: Span) -> Result<DefinitionInfo, LoadError> {
    let dir = src.path.parent().unwrap_or(Path::new(""));
    let path = crate::source::normalize(&dir.join(rel));
    if !path.is_file() {
        return Err(src.error(
            span,
            format!("definition file {} not found", display_path(&path)),
            Some("the path is relative to the scenario file's directory".into()),
        ));
    }
    let def_src = SourceFile::read(&path)?;
    let format = SourceFormat::from_path(rel);
    let diags = lint_text(&def_src.text, format, &LintOptions::default());
    check_lint(
        src,
        &diags,
        span,
        &def_src,
        &format!("definition {}", display_path(&path)),
    )?;
    let doc = asl_lint::lint::parse(&def_src.text, format)
        .map_err(|e| def_src.error(e.span, e.message, None))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("").to_owned();
    Ok(index(
        &doc.root,
        LoadedDefinition {
            label: rel.to_owned(),
            file: Some(path.clone()),
            json: doc.root.to_value().to_string(),
            machine_name: if stem.is_empty() {
                "StateMachine".into()
            } else {
                stem
            },
            coverage_key: display_path(&path),
            tasks: BTreeMap::new(),
        },
    ))
}

/// The scenario file's name without `.scenario.yaml`.
pub fn scenario_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".scenario.yaml")
        .or_else(|| name.strip_suffix(".yaml"))
        .unwrap_or(&name)
        .to_owned()
}

/// Fails with the linter's error diagnostics (warnings do not stop a run).
fn check_lint(
    src: &SourceFile,
    diags: &[Diagnostic],
    span: Span,
    def_src: &SourceFile,
    what: &str,
) -> Result<(), LoadError> {
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let mut e = src.error(
        span,
        format!(
            "{what} does not lint: {} error{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ),
        Some("fix the definition (run `asl-lint` on it for details)".into()),
    );
    for d in errors {
        let (l, c) = def_src.line_col(d.span.start as usize);
        let mut line = format!(
            "{}:{l}:{c}: {} {}: {}",
            display_path(&def_src.path),
            d.code,
            d.slug,
            d.message
        );
        if let Some(fix) = &d.fix {
            line.push_str(&format!(" (fix: {})", fix.title));
        }
        e.details.push(line);
    }
    Err(e)
}

fn index(root: &Node, mut loaded: LoadedDefinition) -> DefinitionInfo {
    let def = model::build(root);
    let mut states = BTreeMap::new();
    let mut tasks = BTreeMap::new();
    for s in def.all_states() {
        let ty = s.state_type.map(|t| t.as_str()).unwrap_or("Unknown");
        states.insert(s.name.clone(), ty);
        if let StateKind::Task(t) = &s.kind {
            let lit = |d: &Option<model::Dynamic>| match d {
                Some(model::Dynamic::Literal(v)) => v.as_u64(),
                _ => None,
            };
            tasks.insert(
                s.name.clone(),
                TaskTiming {
                    timeout_seconds: lit(&t.timeout_seconds),
                    heartbeat_seconds: lit(&t.heartbeat_seconds),
                },
            );
        }
    }
    loaded.tasks = tasks.clone();
    let top_level = def.machine.states.iter().map(|s| s.name.clone()).collect();
    DefinitionInfo {
        loaded,
        states,
        top_level,
        tasks,
    }
}

impl DefinitionInfo {
    /// A mock must name a Task state of the definition.
    pub fn check_mock_state(
        &self,
        src: &SourceFile,
        name: &str,
        span: Span,
    ) -> Result<(), LoadError> {
        match self.states.get(name) {
            Some(&"Task") => Ok(()),
            Some(ty) => Err(src.error(
                span,
                format!("state {name:?} is a {ty} state; only Task states can be mocked"),
                Some(format!(
                    "remove the mock; Task states: {}",
                    self.task_list()
                )),
            )),
            None => {
                let help = match closest(name, self.tasks.keys().map(String::as_str)) {
                    Some(c) => format!("did you mean {c:?}?"),
                    None => format!("Task states: {}", self.task_list()),
                };
                Err(src.error(
                    span,
                    format!("mock for state {name:?}, which the definition does not have"),
                    Some(help),
                ))
            }
        }
    }

    /// `expect.path` names top-level states only.
    pub fn check_top_level_state(
        &self,
        src: &SourceFile,
        name: &str,
        span: Span,
    ) -> Result<(), LoadError> {
        if self.top_level.iter().any(|s| s == name) {
            return Ok(());
        }
        let nested = self.states.contains_key(name);
        let help = if nested {
            "`path` lists top-level states only; states inside Parallel branches and Map iterations are not listed".to_owned()
        } else {
            match closest(name, self.top_level.iter().map(String::as_str)) {
                Some(c) => format!("did you mean {c:?}?"),
                None => format!("top-level states: {}", self.top_level.join(", ")),
            }
        };
        Err(src.error(
            span,
            format!(
                "`expect.path` names {name:?}, which is not a top-level state of the definition"
            ),
            Some(help),
        ))
    }

    fn task_list(&self) -> String {
        if self.tasks.is_empty() {
            "(none)".into()
        } else {
            self.tasks.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    }
}
