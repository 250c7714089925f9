//! Step Functions Local mock configuration (ASL-REFERENCE §11): parsing
//! `{"StateMachines": {M: {"TestCases": {T: {State: Response}}}},
//! "MockedResponses": {R: {"0": {"Return": …}, "1-2": {"Throw": {"Error",
//! "Cause"}}}}}` into mock entries, and the `mock_config: FILE#TestCase` /
//! `FILE#Machine/TestCase` reference of a scenario.

use crate::model::{MockEntry, MockOutcome};
use crate::source::{display_path, LoadError, SourceFile};
use asl_core::json::{Member, Node};
use asl_core::span::Span;
use asl_lint::suggest::closest;
use std::path::Path;

/// A parsed mock configuration, in file order.
#[derive(Debug, Clone)]
pub struct MockConfig {
    pub machines: Vec<Machine>,
}

/// One entry of `StateMachines`.
#[derive(Debug, Clone)]
pub struct Machine {
    pub name: String,
    pub test_cases: Vec<TestCase>,
}

/// One test case: the mocked states with their entries, in file order.
#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    pub mocks: Vec<(String, Vec<MockEntry>)>,
}

/// Parses a mock configuration file.
pub fn parse(src: &SourceFile) -> Result<MockConfig, LoadError> {
    let doc = asl_core::json::parse(&src.text).map_err(|e| {
        src.error(
            e.span,
            format!("not JSON: {}", e.message),
            Some("a Step Functions Local mock configuration is a JSON file".into()),
        )
    })?;
    let p = Parser { src };
    let root = p.object(&doc.root, "the mock configuration")?;
    for m in root {
        if m.key != "StateMachines" && m.key != "MockedResponses" {
            return Err(p.err(
                m.key_span,
                format!("unknown key {:?} in the mock configuration", m.key),
                Some("the top-level keys are StateMachines and MockedResponses".into()),
            ));
        }
    }
    let responses_node = field(root, "MockedResponses")
        .ok_or_else(|| p.err(doc.root.span, "missing \"MockedResponses\"", None))?;
    let responses = p.object(&responses_node.value, "\"MockedResponses\"")?;
    let machines_node = field(root, "StateMachines")
        .ok_or_else(|| p.err(doc.root.span, "missing \"StateMachines\"", None))?;
    let mut machines = Vec::new();
    for m in p.object(&machines_node.value, "\"StateMachines\"")? {
        let body = p.object(&m.value, &format!("state machine {:?}", m.key))?;
        let tcs = body.iter().find(|x| x.key == "TestCases").ok_or_else(|| {
            p.err(
                m.value.span,
                format!("state machine {:?} has no \"TestCases\"", m.key),
                None,
            )
        })?;
        let mut test_cases = Vec::new();
        for tc in p.object(&tcs.value, "\"TestCases\"")? {
            let mut mocks = Vec::new();
            for st in p.object(&tc.value, &format!("test case {:?}", tc.key))? {
                let rname = st.value.as_str().ok_or_else(|| {
                    p.err(
                        st.value.span,
                        format!(
                            "state {:?}: the mocked response must be a name (string)",
                            st.key
                        ),
                        Some("name an entry of \"MockedResponses\"".into()),
                    )
                })?;
                let resp = field(responses, rname).ok_or_else(|| {
                    let help = closest(rname, responses.iter().map(|r| r.key.as_str()))
                        .map(|c| format!("did you mean {c:?}?"));
                    p.err(
                        st.value.span,
                        format!("mocked response {rname:?} is not defined in \"MockedResponses\""),
                        help,
                    )
                })?;
                mocks.push((st.key.clone(), p.response(&resp.value, rname)?));
            }
            test_cases.push(TestCase {
                name: tc.key.clone(),
                mocks,
            });
        }
        machines.push(Machine {
            name: m.key.clone(),
            test_cases,
        });
    }
    Ok(MockConfig { machines })
}

/// Resolves `FILE#TestCase` (machine = `default_machine`, the definition's
/// stem) or `FILE#Machine/TestCase`, relative to the scenario file.
pub fn load_reference(
    scenario: &SourceFile,
    spec: &str,
    span: Span,
    default_machine: &str,
) -> Result<Vec<(String, Vec<MockEntry>)>, LoadError> {
    let Some((file, case)) = spec.rsplit_once('#') else {
        return Err(scenario.error(
            span,
            format!("`mock_config` {spec:?} does not name a test case"),
            Some("write `FILE#TestCase` or `FILE#Machine/TestCase`".into()),
        ));
    };
    let (machine, case) = match case.split_once('/') {
        Some((m, c)) => (m, c),
        None => (default_machine, case),
    };
    let path = scenario.path.parent().unwrap_or(Path::new("")).join(file);
    if !path.is_file() {
        return Err(scenario.error(
            span,
            format!("mock configuration {} not found", display_path(&path)),
            Some("the path is relative to the scenario file's directory".into()),
        ));
    }
    let cfg = parse(&SourceFile::read(&path)?)?;
    let m = cfg
        .machines
        .iter()
        .find(|m| m.name == machine)
        .ok_or_else(|| {
            let names: Vec<&str> = cfg.machines.iter().map(|m| m.name.as_str()).collect();
            scenario.error(
                span,
                format!("{} has no state machine {machine:?}", display_path(&path)),
                Some(format!(
                    "state machines there: {}; select one with `FILE#Machine/TestCase`",
                    names.join(", ")
                )),
            )
        })?;
    let tc = m
        .test_cases
        .iter()
        .find(|t| t.name == case)
        .ok_or_else(|| {
            let names: Vec<&str> = m.test_cases.iter().map(|t| t.name.as_str()).collect();
            let help = match closest(case, names.iter().copied()) {
                Some(c) => format!("did you mean {c:?}?"),
                None => format!("test cases of {machine:?}: {}", names.join(", ")),
            };
            scenario.error(
                span,
                format!(
                    "state machine {machine:?} in {} has no test case {case:?}",
                    display_path(&path)
                ),
                Some(help),
            )
        })?;
    Ok(tc.mocks.clone())
}

fn field<'a>(members: &'a [Member], key: &str) -> Option<&'a Member> {
    members.iter().find(|m| m.key == key)
}

struct Parser<'a> {
    src: &'a SourceFile,
}

impl Parser<'_> {
    fn err(&self, span: Span, msg: impl Into<String>, help: Option<String>) -> LoadError {
        self.src.error(span, msg, help)
    }

    fn object<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [Member], LoadError> {
        node.as_object()
            .ok_or_else(|| self.err(node.span, format!("{what} must be a JSON object"), None))
    }

    /// `{"0": {...}, "1-2": {...}}` → entries by invocation, without gaps.
    fn response(&self, node: &Node, name: &str) -> Result<Vec<MockEntry>, LoadError> {
        let mut ranges: Vec<(u32, u32, MockEntry, Span)> = Vec::new();
        for step in self.object(node, &format!("mocked response {name:?}"))? {
            let (lo, hi) = parse_range(&step.key).ok_or_else(|| {
                self.err(
                    step.key_span,
                    format!(
                        "mocked response {name:?}: {:?} is not an invocation number or range",
                        step.key
                    ),
                    Some(
                        "keys are 0-based invocation numbers (\"0\") or inclusive ranges (\"1-2\")"
                            .into(),
                    ),
                )
            })?;
            let body = self.object(&step.value, &format!("{name:?}[{}]", step.key))?;
            let ret = field(body, "Return");
            let thr = field(body, "Throw");
            if let Some(m) = body.iter().find(|m| m.key != "Return" && m.key != "Throw") {
                return Err(self.err(
                    m.key_span,
                    format!("unknown key {:?} in a mocked response step", m.key),
                    Some("a step has exactly one of \"Return\" and \"Throw\"".into()),
                ));
            }
            let outcome = match (ret, thr) {
                (Some(r), None) => MockOutcome::Return(r.value.to_value()),
                (None, Some(t)) => {
                    let tb = self.object(&t.value, "\"Throw\"")?;
                    let s = |k: &str| {
                        field(tb, k)
                            .and_then(|m| m.value.as_str())
                            .map(str::to_owned)
                    };
                    match (s("Error"), s("Cause")) {
                        (Some(error), Some(cause)) => MockOutcome::Throw {
                            error,
                            cause: Some(cause),
                        },
                        _ => {
                            return Err(self.err(
                                t.value.span,
                                "\"Throw\" needs the strings \"Error\" and \"Cause\"",
                                None,
                            ))
                        }
                    }
                }
                _ => {
                    return Err(self.err(
                        step.value.span,
                        "a mocked response step needs exactly one of \"Return\" and \"Throw\"",
                        None,
                    ))
                }
            };
            let entry = MockEntry {
                outcome,
                after_ms: 0,
                heartbeats_ms: Vec::new(),
                repeat: false,
            };
            ranges.push((lo, hi, entry, step.key_span));
        }
        ranges.sort_by_key(|r| r.0);
        let mut out = Vec::new();
        for (lo, hi, entry, span) in ranges {
            if lo as usize != out.len() {
                let msg = if (lo as usize) < out.len() {
                    format!("mocked response {name:?}: invocation {lo} is answered twice")
                } else {
                    format!("mocked response {name:?}: invocation {} has no answer (keys must cover 0..N without gaps)", out.len())
                };
                return Err(self.err(span, msg, None));
            }
            for _ in lo..=hi {
                out.push(entry.clone());
            }
        }
        Ok(out)
    }
}

/// `"3"` → (3, 3); `"1-2"` → (1, 2); ranges at most 10,000 long.
fn parse_range(key: &str) -> Option<(u32, u32)> {
    let num = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (lo, hi) = match key.split_once('-') {
        Some((a, b)) => (num(a)?, num(b)?),
        None => (num(key)?, num(key)?),
    };
    (lo <= hi && hi - lo < 10_000).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<MockConfig, LoadError> {
        parse(&SourceFile::new("MockConfigFile.json", text.to_owned()))
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("0"), Some((0, 0)));
        assert_eq!(parse_range("1-2"), Some((1, 2)));
        assert_eq!(parse_range("2-1"), None);
        assert_eq!(parse_range("a"), None);
        assert_eq!(parse_range("-1"), None);
        assert_eq!(parse_range("0-99999"), None);
    }

    #[test]
    fn parses_local_format() {
        let c = cfg(r#"{"StateMachines": {"Order": {"TestCases": {"Happy": {"Charge": "Fail2ThenOk"}}}},
            "MockedResponses": {"Fail2ThenOk": {"0-1": {"Throw": {"Error": "E", "Cause": "c"}}, "2": {"Return": {"Payload": 1}}}}}"#).unwrap();
        let tc = &c.machines[0].test_cases[0];
        assert_eq!(tc.name, "Happy");
        let (state, entries) = &tc.mocks[0];
        assert_eq!(state, "Charge");
        assert_eq!(entries.len(), 3);
        assert!(matches!(entries[1].outcome, MockOutcome::Throw { .. }));
        assert_eq!(
            entries[2].outcome,
            MockOutcome::Return(serde_json::json!({"Payload": 1}))
        );
    }

    #[test]
    fn errors() {
        let gap = cfg(r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"1": {"Return": 1}}}}"#).unwrap_err();
        assert!(gap.message.contains("invocation 0 has no answer"), "{gap}");
        let both = cfg(
            r#"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "a", "Cause": "b"}}}}}"#,
        );
        assert!(both.is_ok(), "unused responses are not parsed");
        let both = cfg(r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "a", "Cause": "b"}}}}}"#).unwrap_err();
        assert!(both.message.contains("exactly one"), "{both}");
        let missing = cfg(r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "Rx"}}}}, "MockedResponses": {"R": {"0": {"Return": 1}}}}"#).unwrap_err();
        assert!(missing.message.contains("not defined"), "{missing}");
        assert_eq!(missing.line, 1);
        let no_cause = cfg(r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "a"}}}}}"#).unwrap_err();
        assert!(no_cause.message.contains("Cause"), "{no_cause}");
        assert!(cfg("[").is_err());
    }
}
