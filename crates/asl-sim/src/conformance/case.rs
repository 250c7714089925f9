//! Case directories: discovery (recursive, following symbolic links) and
//! loading of `meta.json` and the files of a self-contained case.

use super::load::{read_json, LoadError, Node};
use super::tasks::{load_mock_config, load_task_results, MockConfig, TableResolver, TaskResult};
use crate::engine::AwsBehaviour;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What `meta.final` recorded (normalised form).
#[derive(Debug, Clone, PartialEq)]
pub struct FinalRecord {
    pub status: String,
    pub output: Option<Value>,
    pub error: Option<Value>,
    pub cause: Option<Value>,
}

/// The parts of `meta.json` the harness uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub category: String,
    pub group: String,
    /// `STANDARD` or `EXPRESS`.
    pub machine_type: String,
    /// `history` and/or `final`.
    pub compare: Vec<String>,
    pub final_record: Option<FinalRecord>,
    pub final_source: Option<String>,
    pub self_contained: bool,
    pub services: Vec<String>,
    pub state_machine_name: String,
    pub execution_name: String,
    /// Fake value → recorded placeholder, longest fake value first.
    pub substitutions: Vec<(String, String)>,
    pub notes: Vec<String>,
    pub mock_test_case: Option<String>,
    pub mock_state_machine_name: Option<String>,
    /// `source.recorded_date` as (year, month, day), when recorded.
    pub recorded_date: Option<(u32, u32, u32)>,
}

impl Meta {
    /// Parses `meta.json`.
    pub fn load(path: &Path) -> Result<Meta, LoadError> {
        let doc = read_json(path)?;
        let root = Node::root(path, &doc);
        let opt_string = |key: &str| -> Result<Option<String>, LoadError> {
            root.get(key).map(|n| n.string()).transpose()
        };
        let final_record = match root.get("final") {
            None => None,
            Some(f) => Some(FinalRecord {
                status: f.req("status")?.string()?,
                output: f.get("output").map(|n| n.value.clone()),
                error: f.get("error").map(|n| n.value.clone()),
                cause: f.get("cause").map(|n| n.value.clone()),
            }),
        };
        let mut substitutions = Vec::new();
        if let Some(s) = root.get("substitutions") {
            for (k, v) in s.members()? {
                substitutions.push((k.to_owned(), v.string()?));
            }
        }
        // Longest fake value first; ties in document order (stable sort).
        substitutions.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        let compare = match root.get("compare") {
            Some(c) => c.strings()?,
            None => vec!["history".into(), "final".into()],
        };
        for (i, c) in compare.iter().enumerate() {
            if c != "history" && c != "final" {
                return Err(LoadError {
                    file: path.to_path_buf(),
                    pointer: format!("/compare/{i}"),
                    message: format!(
                        "unknown comparison {c:?} (expected \"history\" or \"final\")"
                    ),
                });
            }
        }
        Ok(Meta {
            category: root.req("category")?.string()?,
            group: opt_string("group")?.unwrap_or_default(),
            machine_type: opt_string("type")?.unwrap_or_else(|| "STANDARD".into()),
            compare,
            final_record,
            final_source: opt_string("final_source")?,
            self_contained: root.req("self_contained")?.bool()?,
            services: match root.get("services") {
                Some(s) => s.strings()?,
                None => Vec::new(),
            },
            state_machine_name: root.req("state_machine_name")?.string()?,
            execution_name: root.req("execution_name")?.string()?,
            substitutions,
            notes: match root.get("notes") {
                Some(n) => n.strings()?,
                None => Vec::new(),
            },
            mock_test_case: opt_string("mock_test_case")?,
            mock_state_machine_name: opt_string("mock_state_machine_name")?,
            recorded_date: root
                .get("source")
                .and_then(|src| src.get("recorded_date"))
                .and_then(|d| d.string().ok())
                .and_then(|d| parse_day_month_year(&d)),
        })
    }

    /// The AWS behaviour of the day the case was recorded, where AWS changed
    /// over time (see [`AwsBehaviour`]).
    pub fn aws_behaviour(&self) -> AwsBehaviour {
        match self.recorded_date {
            Some((y, m, _)) if (y, m) < (2024, 11) => AwsBehaviour::Before2024_11,
            _ => AwsBehaviour::Current,
        }
    }

    /// Whether the recorded history is compared.
    pub fn compares_history(&self) -> bool {
        self.compare.iter().any(|c| c == "history")
    }

    /// Whether `meta.final` is compared.
    pub fn compares_final(&self) -> bool {
        self.compare.iter().any(|c| c == "final")
    }
}

/// A discovered case directory, before its files are loaded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseRef {
    /// The directory (as found, not canonicalised).
    pub dir: PathBuf,
}

impl CaseRef {
    /// The case id: the directory name.
    pub fn name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.dir.display().to_string())
    }
}

/// A fully loaded self-contained case.
#[derive(Debug, Clone)]
pub struct Case {
    pub dir: PathBuf,
    /// Directory name.
    pub name: String,
    pub meta: Meta,
    /// `definition.json` as text (what the engine parses).
    pub definition: String,
    /// `input.json` as compact JSON text.
    pub input: String,
    /// `history.json`: the recorded (normalised) events.
    pub history: Vec<Value>,
    pub task_results: Vec<TaskResult>,
    pub mock_config: Option<MockConfig>,
}

impl Case {
    /// Loads every file of a case directory; `meta` was already read.
    pub fn load(dir: &Path, meta: Meta) -> Result<Case, LoadError> {
        let def_path = dir.join("definition.json");
        let definition = std::fs::read_to_string(&def_path).map_err(|e| LoadError {
            file: def_path.clone(),
            pointer: String::new(),
            message: format!("cannot read: {e}"),
        })?;
        let input_path = dir.join("input.json");
        let input = if input_path.exists() {
            read_json(&input_path)?.to_string()
        } else {
            "{}".to_owned()
        };
        let history_path = dir.join("history.json");
        let history = if history_path.exists() {
            let doc = read_json(&history_path)?;
            let root = Node::root(&history_path, &doc);
            let events = match root.value {
                Value::Object(_) => root.req("events")?,
                _ => root,
            };
            let mut out = Vec::new();
            for e in events.elements()? {
                if !e.value.is_object() {
                    return Err(e.error("expected an event object"));
                }
                out.push(e.value.clone());
            }
            out
        } else if meta.compares_history() {
            return Err(LoadError {
                file: history_path,
                pointer: String::new(),
                message: "missing (meta.compare includes \"history\")".into(),
            });
        } else {
            Vec::new()
        };
        let tr_path = dir.join("task_results.json");
        let task_results = if tr_path.exists() {
            load_task_results(&tr_path)?
        } else {
            Vec::new()
        };
        let mc_path = dir.join("mock_config.json");
        let mock_config = if mc_path.exists() {
            Some(load_mock_config(&mc_path)?)
        } else {
            None
        };
        Ok(Case {
            dir: dir.to_path_buf(),
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            meta,
            definition,
            input,
            history,
            task_results,
            mock_config,
        })
    }

    /// `category/case`, as printed.
    pub fn label(&self) -> String {
        format!("{}/{}", self.meta.category, self.name)
    }

    /// Maps a recorded (normalised) string back to a concrete value the
    /// engine can use: placeholders of `meta.substitutions` → fake values,
    /// `arn:<partition>:` → `arn:aws:`, `<region>` → `us-east-1`. Other
    /// `<…>` placeholders stay.
    pub fn denormalise_str(&self, s: &str) -> String {
        let mut out = s
            .replace("arn:<partition>:", "arn:aws:")
            .replace("<region>", "us-east-1");
        // Reverse substitutions, longest placeholder first, single pass.
        let mut pairs: Vec<(&str, &str)> = self
            .meta
            .substitutions
            .iter()
            .map(|(fake, ph)| (ph.as_str(), fake.as_str()))
            .collect();
        pairs.sort_by_key(|(ph, _)| std::cmp::Reverse(ph.len()));
        out = super::normalise::replace_longest_first(&out, &pairs);
        out
    }

    /// The execution input text: the recorded `ExecutionStarted` input when
    /// the recording kept it as a string (its exact text, e.g. Python
    /// spacing), else `input.json` as compact JSON.
    pub fn execution_input(&self) -> String {
        match self
            .history
            .iter()
            .find(|e| e.get("type").and_then(Value::as_str) == Some("ExecutionStarted"))
            .and_then(|e| e.pointer("/executionStartedEventDetails/input"))
        {
            Some(Value::String(text)) if serde_json::from_str::<Value>(text).is_ok() => {
                self.denormalise_str(text)
            }
            _ => self.input.clone(),
        }
    }

    /// The Task answers of this case: `task_results.json` when every
    /// recorded answer names its state, else the `mock_config.json` test case
    /// (`meta.mock_state_machine_name` / `meta.mock_test_case`), else the
    /// table as it is. Strings are made concrete with
    /// [`Case::denormalise_str`].
    pub fn resolver(&self) -> Box<dyn crate::resolver::TaskResolver + '_> {
        let concrete = |s: &str| self.denormalise_str(s);
        if !TableResolver::fully_attributed(&self.task_results) {
            if let Some(cfg) = &self.mock_config {
                if let Ok(r) = cfg.resolver(
                    self.meta.mock_state_machine_name.as_deref(),
                    self.meta.mock_test_case.as_deref(),
                ) {
                    return Box::new(r);
                }
            }
        }
        Box::new(TableResolver::new(&self.task_results, &concrete))
    }

    /// The execution role ARN the recording started with, made concrete with
    /// [`Case::denormalise_str`] (e.g. `snf_role_arn`, or
    /// `arn:aws:iam::111111111111:role/<resource:1>`).
    pub fn role_arn(&self) -> String {
        self.history
            .iter()
            .find(|e| e.get("type").and_then(Value::as_str) == Some("ExecutionStarted"))
            .and_then(|e| e.pointer("/executionStartedEventDetails/roleArn"))
            .and_then(Value::as_str)
            .map(|r| self.denormalise_str(r))
            .unwrap_or_else(|| "arn:aws:iam::111111111111:role/snf_role_arn".into())
    }
}

/// Whether `dir` is a case directory (holds `meta.json` and `definition.json`).
pub fn is_case_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file() && dir.join("definition.json").is_file()
}

/// Finds case directories under each root: a root that is itself a case is
/// taken as is; otherwise it is searched recursively, following symbolic
/// links (each real directory is visited once). Result sorted by path.
/// A root that does not exist or is not a directory is an error.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<CaseRef>, String> {
    let mut found = BTreeSet::new();
    let mut seen_real = BTreeSet::new();
    for root in roots {
        if !root.is_dir() {
            return Err(format!("{}: not a directory", root.display()));
        }
        walk(root, &mut found, &mut seen_real, 0);
    }
    Ok(found.into_iter().collect())
}

const MAX_DEPTH: usize = 64;

fn walk(dir: &Path, found: &mut BTreeSet<CaseRef>, seen: &mut BTreeSet<PathBuf>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(real) {
        return;
    }
    if is_case_dir(dir) {
        found.insert(CaseRef {
            dir: dir.to_path_buf(),
        });
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir()) // follows symbolic links
        .collect();
    subdirs.sort();
    for sub in subdirs {
        walk(&sub, found, seen, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_cases_through_symlinks_once() {
        let tmp = std::env::temp_dir().join(format!("asl-sim-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let case = tmp.join("real/cat/c1");
        std::fs::create_dir_all(&case).unwrap();
        std::fs::write(case.join("meta.json"), "{}").unwrap();
        std::fs::write(case.join("definition.json"), "{}").unwrap();
        std::fs::create_dir_all(tmp.join("links")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.join("real"), tmp.join("links/alias")).unwrap();
        let found = discover(&[tmp.join("links")]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name(), "c1");
        // The same real directory reached twice is listed once.
        let found = discover(&[tmp.join("links"), tmp.join("real")]).unwrap();
        assert_eq!(found.len(), 1);
        assert!(discover(&[tmp.join("nope")]).is_err());
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn meta_errors_name_the_pointer() {
        let tmp = std::env::temp_dir().join(format!("asl-sim-meta-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let p = tmp.join("meta.json");
        std::fs::write(
            &p,
            r#"{"category":"c","self_contained":"yes","state_machine_name":"a","execution_name":"b"}"#,
        )
        .unwrap();
        let e = Meta::load(&p).unwrap_err();
        assert_eq!(e.pointer, "/self_contained");
        assert!(e.to_string().contains("meta.json at /self_contained"));
        let _ = std::fs::remove_dir_all(&tmp);
    }
}

#[cfg(test)]
mod corpus_tests {
    use crate::conformance::test_support::cases_dir;
    use crate::resolver::{Invocation, TaskAnswer};
    use serde_json::json;

    fn load(rel: &str) -> Option<super::Case> {
        let dir = cases_dir()?.join(rel);
        let meta = super::Meta::load(&dir.join("meta.json")).ok()?;
        super::Case::load(&dir, meta).ok()
    }

    #[test]
    fn execution_input_keeps_the_recorded_text() {
        let Some(c) = load("parallel/TestBaseScenarios__test_parallel_state_nested") else {
            return;
        };
        assert_eq!(c.execution_input(), "[[1, 2, 3], [4, 5, 6]]");
        let Some(c) = load("service_integrations/TestTaskServiceSqs__test_send_message_attributes")
        else {
            return;
        };
        assert!(c
            .execution_input()
            .contains("\"QueueUrl\":\"sqs_queue_url\""));
        assert_eq!(c.role_arn(), "arn:aws:iam::111111111111:role/<resource:1>");
    }

    #[test]
    fn resolvers_are_chosen_per_case() {
        let params = json!({});
        let inv = |state: &'static str| Invocation {
            state,
            resource: "arn:aws:states:::lambda:invoke",
            state_invocation: 0,
            execution_invocation: 0,
            parameters: &params,
        };
        // Recorded answers without state names: the mock config answers.
        let Some(c) = load("mocked_responses/TestBaseScenarios__test_parallel_state_lambda") else {
            return;
        };
        let mut r = c.resolver();
        assert_eq!(
            r.resolve(&inv("Branch1")),
            Some(TaskAnswer::Succeeded {
                output: json!({"StatusCode": 200, "Payload": ["string-literal"]}),
                submitted_output: None
            })
        );
        // Fully attributed table: recorded answers, placeholders made concrete.
        let Some(c) = load("service_integrations/TestTaskServiceSqs__test_send_message_attributes")
        else {
            return;
        };
        let mut r = c.resolver();
        match r.resolve(&inv("SendSQS")) {
            Some(TaskAnswer::Succeeded { output, .. }) => {
                assert_eq!(output["MessageId"], json!("<uuid:1>"));
            }
            other => panic!("{other:?}"),
        }
    }
}

/// `DD-MM-YYYY, HH:MM:SS` (the recorder's format) as (year, month, day).
fn parse_day_month_year(text: &str) -> Option<(u32, u32, u32)> {
    let date = text.split(',').next()?.trim();
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (d, m, y) = (parts.next()??, parts.next()??, parts.next()??);
    Some((y, m, d))
}

#[cfg(test)]
mod recorded_date_tests {
    use super::parse_day_month_year;

    #[test]
    fn reads_the_recorders_date_format() {
        assert_eq!(
            parse_day_month_year("15-11-2024, 13:56:59"),
            Some((2024, 11, 15))
        );
        assert_eq!(parse_day_month_year("21-09-2023"), Some((2023, 9, 21)));
        assert_eq!(parse_day_month_year("yesterday"), None);
    }
}
