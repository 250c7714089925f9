//! History snapshots: `__snapshots__/<file without .scenario.yaml>__<slug>.snap`
//! next to the scenario file. A header (scenario file, scenario name,
//! definition, seed — no tool version) and the history in YAML, one event
//! per block, `timestamp` as virtual time since the start (`+2.000s`),
//! `input`/`output`/`parameters` parsed.
//!
//! What happens to a snapshot is exactly DESIGN.md's table:
//!
//! | snapshot | local run | CI mode | `--accept` |
//! |---|---|---|---|
//! | matches | pass (a stale `.snap.new` is deleted) | pass | pass |
//! | missing | writes `.snap.new`, fails ("pending") | fails, writes nothing | writes `.snap`, passes |
//! | differs | writes `.snap.new`, fails with a diff | fails with a diff, writes nothing | overwrites `.snap`, passes |

use crate::load::scenario_stem;
use crate::source::display_path;
use crate::yaml_out;
use asl_sim::history::HistoryEvent;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// How snapshots are treated in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write `.snap.new` for new or changed snapshots; fail.
    Local,
    /// Write nothing; fail.
    Ci,
    /// Write `.snap` for new or changed snapshots; pass.
    Accept,
}

impl Mode {
    /// CI mode: `CI` set and not empty, `0` or `false`.
    pub fn ci_from_env(value: Option<&str>) -> bool {
        match value {
            None => false,
            Some(v) => {
                let v = v.trim();
                !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
            }
        }
    }
}

/// What identifies a snapshot (its header).
#[derive(Debug, Clone)]
pub struct Header<'a> {
    pub scenario_file: &'a Path,
    pub scenario: &'a str,
    pub definition: &'a str,
    pub seed: u64,
}

/// The result of checking one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Matched,
    /// `--accept` wrote a new or changed `.snap`.
    Accepted,
    /// A failure: first line, and a diff (or other detail) for the body.
    Failed {
        message: String,
        detail: Option<String>,
    },
}

/// `__snapshots__/<stem>__<slug>.snap` beside the scenario file.
pub fn snap_path(scenario_file: &Path, slug: &str) -> PathBuf {
    let dir = scenario_file.parent().unwrap_or(Path::new(""));
    dir.join("__snapshots__")
        .join(format!("{}__{slug}.snap", scenario_stem(scenario_file)))
}

/// The pending file of a snapshot: `X.snap.new`.
pub fn new_path(snap: &Path) -> PathBuf {
    let mut s = snap.as_os_str().to_owned();
    s.push(".new");
    PathBuf::from(s)
}

/// Renders a snapshot. `start` is the execution's virtual start (epoch ms).
pub fn render(header: &Header<'_>, history: &[HistoryEvent], start: i64) -> String {
    let file_name = header
        .scenario_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut h = Map::new();
    h.insert("scenario_file".into(), Value::String(file_name));
    h.insert("scenario".into(), Value::String(header.scenario.to_owned()));
    h.insert(
        "definition".into(),
        Value::String(header.definition.to_owned()),
    );
    h.insert("seed".into(), Value::from(header.seed));
    let mut out = String::from(
        "# asl-test snapshot: accept changes with `asl-test review` or `asl-test --accept`\n",
    );
    out.push_str(&yaml_out::to_yaml(&Value::Object(h)));
    out.push_str("---\n");
    for (i, e) in history.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&yaml_out::to_yaml(&Value::Array(vec![event_value(
            e, start,
        )])));
    }
    out
}

/// One event as the snapshot shows it: `id`, `type`, `timestamp` (`+s.mmm`),
/// `previousEventId`, then the details with JSON texts parsed.
pub fn event_value(e: &HistoryEvent, start: i64) -> Value {
    let wire = e.to_wire();
    let mut m = Map::new();
    m.insert("id".into(), Value::from(e.id));
    m.insert("type".into(), Value::String(e.event_type().into()));
    m.insert(
        "timestamp".into(),
        Value::String(relative_time(e.timestamp, start)),
    );
    m.insert("previousEventId".into(), Value::from(e.previous_event_id));
    if let Value::Object(w) = wire {
        for (k, v) in w {
            if k.ends_with("EventDetails") {
                m.insert(k, parse_texts(v));
            }
        }
    }
    Value::Object(m)
}

/// `+2.000s` (virtual seconds since the start, millisecond precision).
pub fn relative_time(t: i64, start: i64) -> String {
    let d = t.saturating_sub(start);
    let sign = if d < 0 { "-" } else { "+" };
    let d = d.unsigned_abs();
    format!("{sign}{}.{:03}s", d / 1000, d % 1000)
}

fn parse_texts(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| {
                    let x = match (&*k, x) {
                        ("input" | "output" | "parameters", Value::String(s)) => {
                            serde_json::from_str(&s).unwrap_or(Value::String(s))
                        }
                        (_, x) => x,
                    };
                    (k, x)
                })
                .collect(),
        ),
        other => other,
    }
}

/// Why a stored snapshot is not one `asl-test` wrote (hand-edited or
/// damaged), or `None` when it is well-formed.
pub fn validate(text: &str) -> Option<String> {
    let Some(split) = text.find("\n---\n") else {
        return Some("no `---` line between the header and the history".into());
    };
    let (head, body) = (&text[..split + 1], &text[split + 5..]);
    let header = match asl_core::yaml::parse(head) {
        Ok(d) => d.root,
        Err(e) => return Some(format!("the header is not YAML: {}", e.message)),
    };
    for key in ["scenario_file", "scenario", "definition", "seed"] {
        if header.field(key).is_none() {
            return Some(format!("the header has no `{key}`"));
        }
    }
    if body.trim().is_empty() {
        return None;
    }
    match asl_core::yaml::parse(body) {
        Ok(d) if d.root.as_array().is_some() => None,
        Ok(_) => Some("the history is not a list of events".into()),
        Err(e) => {
            let line = text[..split + 5 + (e.span.start as usize).min(body.len())]
                .matches('\n')
                .count()
                + 1;
            Some(format!(
                "line {line}: the history is not YAML: {}",
                e.message
            ))
        }
    }
}

/// Compares `rendered` with the stored snapshot and writes files as `mode`
/// says.
pub fn check(snap: &Path, rendered: &str, mode: Mode) -> Outcome {
    let pending = new_path(snap);
    let shown = display_path(snap);
    let stored = match std::fs::read(snap) {
        Ok(b) => Some(String::from_utf8_lossy(&b).replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return fail(format!("cannot read snapshot {shown}: {e}"), None),
    };
    if stored.as_deref() == Some(rendered) {
        if mode != Mode::Ci && pending.exists() {
            let _ = std::fs::remove_file(&pending);
        }
        return Outcome::Matched;
    }
    let garbage = stored.as_deref().and_then(validate);
    let diff = stored.as_deref().map(|old| diff(old, rendered, &shown));
    if mode == Mode::Accept {
        return match write(snap, rendered) {
            Ok(()) => {
                let _ = std::fs::remove_file(&pending);
                Outcome::Accepted
            }
            Err(e) => fail(format!("cannot write snapshot {shown}: {e}"), None),
        };
    }
    let what = match (&stored, &garbage) {
        (None, _) => format!("snapshot {shown} is missing"),
        (Some(_), Some(reason)) => {
            format!("snapshot {shown} is not a valid asl-test snapshot ({reason})")
        }
        (Some(_), None) => format!("snapshot {shown} differs from the history"),
    };
    match mode {
        Mode::Ci => fail(
            format!("{what} (CI mode: nothing written; run asl-test locally, review and commit)"),
            diff,
        ),
        _ => {
            match write(&pending, rendered) {
                Ok(()) => {
                    let label = if stored.is_none() {
                        "snapshot pending: "
                    } else {
                        ""
                    };
                    fail(
                    format!("{label}{what}; new version in {} (run `asl-test review` or `--accept`)", display_path(&pending)),
                    diff,
                )
                }
                Err(e) => fail(
                    format!("{what}; cannot write {}: {e}", display_path(&pending)),
                    diff,
                ),
            }
        }
    }
}

fn fail(message: String, detail: Option<String>) -> Outcome {
    Outcome::Failed { message, detail }
}

/// A unified diff, old → new.
pub fn diff(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (new)"))
        .to_string()
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Write to a temporary file and rename, so a crash never leaves half a snapshot.
    let tmp = {
        let mut s = path.as_os_str().to_owned();
        s.push(".tmp");
        PathBuf::from(s)
    };
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_mode() {
        for (v, ci) in [
            (None, false),
            (Some(""), false),
            (Some("0"), false),
            (Some("false"), false),
            (Some("FALSE"), false),
            (Some("true"), true),
            (Some("1"), true),
            (Some("yes"), true),
        ] {
            assert_eq!(Mode::ci_from_env(v), ci, "{v:?}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(relative_time(1_000, 1_000), "+0.000s");
        assert_eq!(relative_time(3_500, 1_000), "+2.500s");
        assert_eq!(relative_time(1_000 + 129_600_000, 1_000), "+129600.000s");
    }

    #[test]
    fn paths() {
        let p = snap_path(Path::new("dir/orders.scenario.yaml"), "happy-path");
        assert_eq!(
            display_path(&p),
            "dir/__snapshots__/orders__happy-path.snap"
        );
        assert_eq!(
            display_path(&new_path(&p)),
            "dir/__snapshots__/orders__happy-path.snap.new"
        );
    }

    #[test]
    fn validation() {
        let ok = "# c\nscenario_file: a\nscenario: b\ndefinition: c\nseed: 0\n---\n- id: 1\n";
        assert_eq!(validate(ok), None);
        assert!(validate("garbage").unwrap().contains("---"));
        assert!(validate("scenario_file: a\n---\n- id: 1\n")
            .unwrap()
            .contains("`scenario`"));
        let bad_body = "scenario_file: a\nscenario: b\ndefinition: c\nseed: 0\n---\n- id: [1\n";
        assert!(
            validate(bad_body).unwrap().contains("not YAML"),
            "{:?}",
            validate(bad_body)
        );
    }
}
