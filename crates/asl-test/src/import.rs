//! `asl-test import CONFIG.json --definition NAME=PATH… [-o DIR]`: converts
//! a Step Functions Local mock configuration into one
//! `<NAME>.scenario.yaml` per state machine, one scenario per test case.
//! Each file is checked by loading it before it is written; existing files
//! are never overwritten.

use crate::load;
use crate::mockconfig::{self, MockConfig};
use crate::model::{MockEntry, MockOutcome};
use crate::source::{display_path, SourceFile};
use crate::yaml_out;
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Arguments of `import`.
#[derive(Debug, Clone)]
pub struct ImportArgs {
    pub config: PathBuf,
    /// `NAME=PATH` pairs.
    pub definitions: Vec<(String, PathBuf)>,
    pub out_dir: PathBuf,
}

/// Parses `NAME=PATH`.
pub fn parse_definition_arg(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((n, p)) if !n.is_empty() && !p.is_empty() => Ok((n.to_owned(), PathBuf::from(p))),
        _ => Err(format!("{s:?}: write NAME=PATH (the state machine name in the mock configuration and its definition file)")),
    }
}

/// Runs the import; messages go to `out`/`err`. Returns the exit code.
pub fn run(args: &ImportArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cfg = match SourceFile::read(&args.config).and_then(|s| mockconfig::parse(&s)) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return crate::exit::ERROR;
        }
    };
    let mut code = crate::exit::SUCCESS;
    for (name, _) in &args.definitions {
        if !cfg.machines.iter().any(|m| &m.name == name) {
            let names: Vec<&str> = cfg.machines.iter().map(|m| m.name.as_str()).collect();
            let _ = writeln!(
                err,
                "error: {} has no state machine {name:?} (it has: {})",
                display_path(&args.config),
                names.join(", ")
            );
            code = crate::exit::ERROR;
        }
    }
    for m in &cfg.machines {
        if !args.definitions.iter().any(|(n, _)| n == &m.name) {
            let _ = writeln!(
                err,
                "warning: state machine {:?} skipped: no `--definition {}=PATH`",
                m.name, m.name
            );
        }
    }
    if code != 0 {
        return code;
    }
    if let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        let _ = writeln!(
            err,
            "error: cannot create {}: {e}",
            display_path(&args.out_dir)
        );
        return crate::exit::ERROR;
    }
    for (name, def) in &args.definitions {
        let target = args.out_dir.join(format!("{name}.scenario.yaml"));
        if target.exists() {
            let _ = writeln!(
                err,
                "error: {} exists; not overwritten (remove it or choose another -o DIR)",
                display_path(&target)
            );
            code = crate::exit::ERROR;
            continue;
        }
        let rel = relative(&args.out_dir, def);
        let config_rel = relative(&args.out_dir, &args.config);
        let text = render(&cfg, name, &rel, &config_rel);
        // Check before writing: the result must load.
        if let Err(e) = load::load_source(&SourceFile::new(&target, text.clone())) {
            let _ = writeln!(
                err,
                "error: the converted scenarios for {name:?} do not load:\n{e}"
            );
            code = crate::exit::ERROR;
            continue;
        }
        match std::fs::write(&target, &text) {
            Ok(()) => {
                let _ = writeln!(out, "wrote {}", display_path(&target));
            }
            Err(e) => {
                let _ = writeln!(err, "error: cannot write {}: {e}", display_path(&target));
                code = crate::exit::ERROR;
            }
        }
    }
    code
}

/// The scenario file text for machine `name`.
pub fn render(cfg: &MockConfig, name: &str, definition: &str, config: &str) -> String {
    let machine = cfg.machines.iter().find(|m| m.name == name);
    let mut scenarios = Vec::new();
    for tc in machine.map(|m| m.test_cases.as_slice()).unwrap_or(&[]) {
        let mut mocks = Map::new();
        for (state, entries) in &tc.mocks {
            mocks.insert(
                state.clone(),
                Value::Array(entries.iter().map(entry_value).collect()),
            );
        }
        let mut s = Map::new();
        s.insert("name".into(), Value::String(tc.name.clone()));
        s.insert("input".into(), json!({}));
        s.insert("mocks".into(), Value::Object(mocks));
        scenarios.push(Value::Object(s));
    }
    let doc = json!({"definition": definition, "scenarios": scenarios});
    format!(
        "# Imported by `asl-test import` from {config} (Step Functions Local).\n\
         # Test cases carry no input or expectations: fill in `input` and `expect`\n\
         # (default: status SUCCEEDED), then accept the snapshots.\n{}",
        yaml_out::to_yaml(&doc)
    )
}

fn entry_value(e: &MockEntry) -> Value {
    match &e.outcome {
        MockOutcome::Return(v) => json!({"return": v}),
        MockOutcome::Throw { error, cause } => {
            let mut t = Map::new();
            t.insert("error".into(), Value::String(error.clone()));
            if let Some(c) = cause {
                t.insert("cause".into(), Value::String(c.clone()));
            }
            json!({"throw": t})
        }
    }
}

/// `to` relative to directory `from` (both relative to the working
/// directory or both absolute), with `/` separators.
pub fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| -> Vec<String> {
        let base = if p.is_absolute() {
            PathBuf::new()
        } else {
            std::env::current_dir().unwrap_or_default()
        };
        let mut parts: Vec<String> = Vec::new();
        for c in base.join(p).components() {
            match c {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        parts
    };
    let (f, t) = (abs(from), abs(to));
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = std::iter::repeat_n("..".to_owned(), f.len() - common).collect();
    out.extend(t[common..].iter().cloned());
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("a/b"), Path::new("a/c/d.json")),
            "../c/d.json"
        );
        assert_eq!(relative(Path::new("."), Path::new("x.json")), "x.json");
        assert_eq!(relative(Path::new("a"), Path::new("a/x.json")), "x.json");
    }

    #[test]
    fn definition_args() {
        assert_eq!(
            parse_definition_arg("M=a/b.json").unwrap(),
            ("M".into(), PathBuf::from("a/b.json"))
        );
        assert!(parse_definition_arg("M").is_err());
        assert!(parse_definition_arg("=x").is_err());
    }
}
