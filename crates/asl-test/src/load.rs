//! Loading a scenario file: YAML (1.2 core schema, via `asl_core::yaml`)
//! into the [`model`](crate::model), with an error at `file:line:col` and
//! a fix for everything wrong — syntax, unknown keys ("did you mean"),
//! wrong types, a missing or invalid definition, mocks for states that do
//! not exist, duplicate scenario slugs.

mod definition;

use crate::duration;
use crate::mockconfig;
use crate::model::*;
use crate::source::{LoadError, SourceFile};
use asl_core::json::{Member, Node, NodeValue};
use asl_core::span::Span;
use asl_lint::suggest::closest;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

pub use definition::{scenario_stem, DefinitionInfo};

const TOP_KEYS: &[&str] = &["definition", "seed", "scenarios"];
const SCENARIO_KEYS: &[&str] = &[
    "name",
    "input",
    "mocks",
    "expect",
    "snapshot",
    "mock_config",
    "s3",
];
const ENTRY_KEYS: &[&str] = &["return", "throw", "after", "heartbeats", "repeat"];
const THROW_KEYS: &[&str] = &["error", "cause"];
const EXPECT_KEYS: &[&str] = &[
    "status",
    "output",
    "output_contains",
    "error",
    "cause",
    "path",
];

/// Reads and loads one scenario file.
pub fn load_file(path: &Path) -> Result<ScenarioFile, LoadError> {
    let src = SourceFile::read(path)?;
    load_source(&src)
}

/// Loads a scenario file from its text (`src.path` is used to resolve the
/// definition and mock configuration files).
pub fn load_source(src: &SourceFile) -> Result<ScenarioFile, LoadError> {
    let doc = asl_core::yaml::parse(&src.text).map_err(|e| {
        src.error(
            e.span,
            format!("YAML syntax error: {}", e.message),
            Some("fix the YAML syntax (indentation, quotes, `key: value`)".into()),
        )
    })?;
    if let Some(d) = doc.duplicates.first() {
        let (line, _) = src.line_col(d.first.start as usize);
        return Err(src.error(
            d.second,
            format!("duplicate key {:?} (first at line {line})", d.key),
            Some("remove one of the two".into()),
        ));
    }
    Loader { src }.file(&doc.root)
}

struct Loader<'a> {
    src: &'a SourceFile,
}

impl<'a> Loader<'a> {
    fn err(
        &self,
        span: Span,
        msg: impl Into<String>,
        help: impl Into<Option<String>>,
    ) -> LoadError {
        self.src.error(span, msg, help.into())
    }

    /// A mapping's members, every key checked against `allowed`.
    fn mapping<'n>(
        &self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
    ) -> Result<&'n [Member], LoadError> {
        let members = node.as_object().ok_or_else(|| {
            self.err(
                node.span,
                format!("{what} must be a mapping, found {}", kind(node)),
                Some(format!(
                    "write {what} as `key: value` lines; keys: {}",
                    allowed.join(", ")
                )),
            )
        })?;
        for m in members {
            if !allowed.contains(&m.key.as_str()) {
                let help = match closest(&m.key, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the keys of {what} are: {}", allowed.join(", ")),
                };
                return Err(self.err(
                    m.key_span,
                    format!("unknown key `{}` in {what}", m.key),
                    help,
                ));
            }
        }
        Ok(members)
    }

    fn string(&self, node: &Node, what: &str) -> Result<String, LoadError> {
        node.as_str().map(str::to_owned).ok_or_else(|| {
            self.err(
                node.span,
                format!("{what} must be a string, found {}", kind(node)),
                Some("quote the value".into()),
            )
        })
    }

    fn boolean(&self, node: &Node, what: &str) -> Result<bool, LoadError> {
        node.as_bool().ok_or_else(|| {
            self.err(
                node.span,
                format!("{what} must be `true` or `false`, found {}", kind(node)),
                Some("YAML 1.2: only true/false are booleans (`yes`/`no` are strings)".into()),
            )
        })
    }

    fn file(&self, root: &Node) -> Result<ScenarioFile, LoadError> {
        let members = self.mapping(root, "a scenario file", TOP_KEYS)?;
        let get = |k: &str| members.iter().find(|m| m.key == k);
        let def_member = get("definition").ok_or_else(|| {
            self.err(
                root.span,
                "missing key `definition`",
                Some("add `definition: path/to/machine.asl.json` (relative to this file) or an inline mapping".into()),
            )
        })?;
        let def = definition::load(self.src, &def_member.value)?;
        let seed = match get("seed") {
            None => DEFAULT_SEED,
            Some(m) => m
                .value
                .as_number()
                .and_then(|n| n.as_u64())
                .ok_or_else(|| {
                    self.err(
                        m.value.span,
                        format!(
                            "`seed` must be a non-negative integer, found {}",
                            kind(&m.value)
                        ),
                        Some("e.g. `seed: 7`".into()),
                    )
                })?,
        };
        let list = get("scenarios").ok_or_else(|| {
            self.err(
                root.span,
                "missing key `scenarios`",
                Some("add `scenarios:` with a list of `- name: …` entries".into()),
            )
        })?;
        let items = list.value.as_array().ok_or_else(|| {
            self.err(
                list.value.span,
                format!("`scenarios` must be a list, found {}", kind(&list.value)),
                Some("write each scenario as `- name: …`".into()),
            )
        })?;
        if items.is_empty() {
            return Err(self.err(
                list.value.span,
                "`scenarios` is empty",
                Some("add at least one scenario".into()),
            ));
        }
        let mut scenarios: Vec<Scenario> = Vec::new();
        let mut warnings = Vec::new();
        for (position, item) in items.iter().enumerate() {
            let s = self.scenario(item, position, &def, &mut warnings)?;
            if let Some(first) = scenarios.iter().find(|o| o.slug == s.slug) {
                let name_span = item.field("name").map(|n| n.span).unwrap_or(item.span);
                return Err(self.err(
                    name_span,
                    format!(
                        "scenario name {:?} gives the snapshot slug {:?}, already used by {:?} (line {})",
                        s.name, s.slug, first.name, first.line
                    ),
                    Some("give the scenarios names that differ in letters or digits".into()),
                ));
            }
            scenarios.push(s);
        }
        Ok(ScenarioFile {
            path: self.src.path.clone(),
            definition: def.loaded,
            seed,
            scenarios,
            warnings,
        })
    }

    fn scenario(
        &self,
        node: &Node,
        position: usize,
        def: &DefinitionInfo,
        warnings: &mut Vec<String>,
    ) -> Result<Scenario, LoadError> {
        let members = self.mapping(node, "a scenario", SCENARIO_KEYS)?;
        let get = |k: &str| members.iter().find(|m| m.key == k);
        let name_node = &get("name")
            .ok_or_else(|| {
                self.err(
                    node.span,
                    "scenario without `name`",
                    Some("add `name: …` (it names the test and its snapshot)".into()),
                )
            })?
            .value;
        let name = self.string(name_node, "`name`")?;
        let slug = slug(&name);
        if slug.is_empty() {
            return Err(self.err(
                name_node.span,
                format!("scenario name {name:?} has no letters or digits"),
                Some("the snapshot file is named after the letters and digits of the name".into()),
            ));
        }
        let line = self.src.line_col(node.span.start as usize).0;
        let input = get("input")
            .map(|m| m.value.to_value())
            .unwrap_or_else(|| Value::Object(Default::default()));
        let mut mocks = BTreeMap::new();
        if let Some(m) = get("mocks") {
            let states = m.value.as_object().ok_or_else(|| {
                self.err(
                    m.value.span,
                    format!(
                        "`mocks` must be a mapping of Task state names to lists, found {}",
                        kind(&m.value)
                    ),
                    Some("e.g. `mocks: {ChargeCard: [{return: {Payload: {}}}]}`".into()),
                )
            })?;
            for state in states {
                def.check_mock_state(self.src, &state.key, state.key_span)?;
                let entries = self.entries(&state.value, &state.key)?;
                mocks.insert(state.key.clone(), entries);
            }
        }
        if let Some(m) = get("mock_config") {
            let spec = self.string(&m.value, "`mock_config`")?;
            let imported = mockconfig::load_reference(
                self.src,
                &spec,
                m.value.span,
                &def.loaded.machine_name,
            )?;
            for (state, entries) in imported {
                if mocks.contains_key(&state) {
                    return Err(self.err(
                        m.value.span,
                        format!("state {state:?} is mocked both in `mocks` and in {spec}"),
                        Some("keep one of the two".into()),
                    ));
                }
                def.check_mock_state(self.src, &state, m.value.span)?;
                mocks.insert(state, entries);
            }
        }
        let expect = match get("expect") {
            Some(m) => self.expect(&m.value, def)?,
            None => Expect {
                status: "SUCCEEDED".into(),
                ..Default::default()
            },
        };
        let snapshot = match get("snapshot") {
            Some(m) => self.boolean(&m.value, "`snapshot`")?,
            None => true,
        };
        let mut s3 = BTreeMap::new();
        if let Some(m) = get("s3") {
            let objs = m.value.as_object().ok_or_else(|| {
                self.err(
                    m.value.span,
                    format!(
                        "`s3` must be a mapping of `bucket/key` to content, found {}",
                        kind(&m.value)
                    ),
                    Some("e.g. `s3: {\"my-bucket/items.json\": [1, 2]}`".into()),
                )
            })?;
            for o in objs {
                match o.key.split_once('/') {
                    Some((b, k)) if !b.is_empty() && !k.is_empty() => {}
                    _ => return Err(self.err(o.key_span, format!("S3 object key {:?} is not `bucket/key`", o.key), Some("write the bucket, a slash and the object key: `my-bucket/path/items.csv`".into()))),
                }
                s3.insert(o.key.clone(), o.value.to_value());
            }
            if !s3.is_empty() {
                warnings.push(format!("scenario {name:?}: `s3` objects are loaded but not used yet (the engine has no ItemReader)"));
            }
        }
        Ok(Scenario {
            name,
            slug,
            position,
            line,
            input,
            mocks,
            expect,
            snapshot,
            s3,
        })
    }

    fn entries(&self, node: &Node, state: &str) -> Result<Vec<MockEntry>, LoadError> {
        let items = node.as_array().ok_or_else(|| {
            self.err(
                node.span,
                format!(
                    "the mocks of {state:?} must be a list (one entry per invocation), found {}",
                    kind(node)
                ),
                Some("write `- return: …` or `- throw: {error: …, cause: …}` entries".into()),
            )
        })?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let entry = self.entry(item, state)?;
            if entry.repeat && i + 1 != items.len() {
                let span = item.field("repeat").map(|n| n.span).unwrap_or(item.span);
                return Err(self.err(span, format!("`repeat: true` must be on the last mock entry of {state:?}"), Some("move this entry to the end, or remove the entries after it (they would never be used)".into())));
            }
            out.push(entry);
        }
        Ok(out)
    }

    fn entry(&self, node: &Node, state: &str) -> Result<MockEntry, LoadError> {
        let what = format!("a mock entry of {state:?}");
        let members = self.mapping(node, &what, ENTRY_KEYS)?;
        let get = |k: &str| members.iter().find(|m| m.key == k);
        let outcome = match (get("return"), get("throw")) {
            (Some(_), Some(t)) => return Err(self.err(t.key_span, format!("{what} has both `return` and `throw`"), Some("one entry answers one invocation: keep one of them".into()))),
            (None, None) => return Err(self.err(node.span, format!("{what} needs `return` or `throw`"), Some("e.g. `- return: {Payload: {ok: true}}` or `- throw: {error: MyError, cause: why}`".into()))),
            (Some(r), None) => MockOutcome::Return(r.value.to_value()),
            (None, Some(t)) => {
                let tm = self.mapping(&t.value, "`throw`", THROW_KEYS)?;
                let error = tm.iter().find(|m| m.key == "error").ok_or_else(|| {
                    self.err(t.value.span, "`throw` needs `error`", Some("e.g. `throw: {error: Payment.Declined, cause: insufficient funds}`".into()))
                })?;
                let cause = match tm.iter().find(|m| m.key == "cause") {
                    Some(c) => Some(self.string(&c.value, "`throw.cause`")?),
                    None => None,
                };
                MockOutcome::Throw { error: self.string(&error.value, "`throw.error`")?, cause }
            }
        };
        let after_ms = match get("after") {
            Some(m) => self.duration(&m.value, "`after`")?,
            None => 0,
        };
        let mut heartbeats_ms = Vec::new();
        if let Some(m) = get("heartbeats") {
            let list = m.value.as_array().ok_or_else(|| {
                self.err(
                    m.value.span,
                    format!(
                        "`heartbeats` must be a list of durations, found {}",
                        kind(&m.value)
                    ),
                    Some("e.g. `heartbeats: [30s, 60s]`".into()),
                )
            })?;
            for h in list {
                let ms = self.duration(h, "a heartbeat")?;
                if heartbeats_ms.last().is_some_and(|&l| ms < l) {
                    return Err(self.err(
                        h.span,
                        "heartbeats must be in ascending order",
                        Some("list them by time since the task started".into()),
                    ));
                }
                if get("after").is_some() && ms > after_ms {
                    return Err(self.err(h.span, format!("heartbeat at {} is after the task ends (`after: {}`)", duration::format(ms), duration::format(after_ms)), Some("heartbeats are sent while the task runs; make `after` longer or drop this one".into())));
                }
                heartbeats_ms.push(ms);
            }
        }
        let repeat = match get("repeat") {
            Some(m) => self.boolean(&m.value, "`repeat`")?,
            None => false,
        };
        Ok(MockEntry {
            outcome,
            after_ms,
            heartbeats_ms,
            repeat,
        })
    }

    fn duration(&self, node: &Node, what: &str) -> Result<u64, LoadError> {
        let help =
            Some("a duration is a number and a unit: `500ms`, `10s`, `5m`, `36h`, `2d`".to_owned());
        match &node.value {
            NodeValue::String(s) => {
                duration::parse(s).map_err(|e| self.err(node.span, format!("{what}: {e}"), help))
            }
            NodeValue::Number(n) if n.as_u64() == Some(0) => Ok(0),
            _ => Err(self.err(
                node.span,
                format!("{what} must be a duration, found {}", kind(node)),
                help,
            )),
        }
    }

    fn expect(&self, node: &Node, def: &DefinitionInfo) -> Result<Expect, LoadError> {
        let members = self.mapping(node, "`expect`", EXPECT_KEYS)?;
        let get = |k: &str| members.iter().find(|m| m.key == k);
        let status = match get("status") {
            Some(m) => {
                let s = self.string(&m.value, "`expect.status`")?;
                if !STATUSES.contains(&s.as_str()) {
                    let help = match closest(&s.to_uppercase(), STATUSES) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("one of {}", STATUSES.join(", ")),
                    };
                    return Err(self.err(
                        m.value.span,
                        format!("unknown execution status {s:?}"),
                        help,
                    ));
                }
                s
            }
            None => "SUCCEEDED".into(),
        };
        let output = get("output").map(|m| m.value.to_value());
        let output_contains = get("output_contains").map(|m| m.value.to_value());
        if let (Some(_), Some(c)) = (&output, get("output_contains")) {
            return Err(self.err(
                c.key_span,
                "`output` and `output_contains` cannot be combined",
                Some("`output` is exact equality; `output_contains` a subset: keep one".into()),
            ));
        }
        if status != "SUCCEEDED" {
            if let Some(m) = get("output").or_else(|| get("output_contains")) {
                return Err(self.err(
                    m.key_span,
                    format!("an execution with status {status} has no output"),
                    Some("remove the output expectation or expect `status: SUCCEEDED`".into()),
                ));
            }
        }
        let text = |k: &str| -> Result<Option<String>, LoadError> {
            match get(k) {
                None => Ok(None),
                Some(m) if status == "SUCCEEDED" => Err(self.err(
                    m.key_span,
                    format!("`expect.{k}` needs a failed status; a SUCCEEDED execution has no {k}"),
                    Some("add `status: FAILED` (or TIMED_OUT / ABORTED)".into()),
                )),
                Some(m) => Ok(Some(self.string(&m.value, &format!("`expect.{k}`"))?)),
            }
        };
        let error = text("error")?;
        let cause = text("cause")?;
        let path = match get("path") {
            None => None,
            Some(m) => {
                let list = m.value.as_array().ok_or_else(|| {
                    self.err(
                        m.value.span,
                        format!(
                            "`expect.path` must be a list of state names, found {}",
                            kind(&m.value)
                        ),
                        Some("e.g. `path: [ValidateOrder, ChargeCard, Done]`".into()),
                    )
                })?;
                let mut names = Vec::new();
                for n in list {
                    let name = self.string(n, "a state name in `expect.path`")?;
                    def.check_top_level_state(self.src, &name, n.span)?;
                    names.push(name);
                }
                Some(names)
            }
        };
        Ok(Expect {
            status,
            output,
            output_contains,
            error,
            cause,
            path,
        })
    }
}

/// "a string", "a list", … for error messages.
pub(crate) fn kind(node: &Node) -> &'static str {
    match &node.value {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "a boolean",
        NodeValue::Number(_) => "a number",
        NodeValue::String(_) => "a string",
        NodeValue::Array(_) => "a list",
        NodeValue::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests;
