//! Evaluator tests: constructs, functions, errors, limits, recorded AWS
//! expressions, and (ignored, opt-in) the jsonata-js test suite.

use super::*;
use serde_json::{json, Value as J};
use std::collections::HashMap;

/// A deterministic host.
pub(crate) struct TestEnv {
    pub vars: HashMap<String, J>,
    pub seed: u64,
    pub now: i64,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            vars: HashMap::new(),
            seed: 42,
            now: 1_700_000_000_000,
        }
    }
    pub fn with(mut self, name: &str, v: J) -> Self {
        self.vars.insert(name.to_string(), v);
        self
    }
}

impl JsonataEnv for TestEnv {
    fn variable(&self, name: &str) -> Option<J> {
        self.vars.get(name).cloned()
    }
    fn random_f64(&mut self) -> f64 {
        // SplitMix64.
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
    fn now_millis(&self) -> i64 {
        self.now
    }
}

pub(crate) fn run_with(src: &str, input: Option<&J>, env: &mut TestEnv) -> Result<Option<J>, EvalError> {
    let expr = parse(src).map_err(|e| EvalError {
        code: e.code,
        message: e.message,
        span: e.span,
    })?;
    evaluate(&expr, input, env)
}

fn run(src: &str, input: &J) -> Result<Option<J>, EvalError> {
    run_with(src, Some(input), &mut TestEnv::new())
}

/// Numbers compare by value (1 == 1.0).
pub(crate) fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || ((x - y).abs() <= 1e-12 * x.abs().max(y.abs()))
        }
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[track_caller]
fn ok(src: &str, input: J, expected: J) {
    match run(src, &input) {
        Ok(Some(v)) => assert!(same(&v, &expected), "{src}: got {v}, expected {expected}"),
        Ok(None) => panic!("{src}: got undefined, expected {expected}"),
        Err(e) => panic!("{src}: error {e}, expected {expected}"),
    }
}

#[track_caller]
fn undef(src: &str, input: J) {
    match run(src, &input) {
        Ok(None) => {}
        other => panic!("{src}: expected undefined, got {other:?}"),
    }
}

#[track_caller]
fn fails(src: &str, input: J, code: &str) -> EvalError {
    match run(src, &input) {
        Err(e) if e.code == code => e,
        other => panic!("{src}: expected {code}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// jsonata-js test suite (dev only)

/// Runs the jsonata-js test suite from `$JSONATA_TEST_SUITE` (the
/// `test/test-suite` directory of a jsonata-js checkout) and reports the
/// pass rate. The suite is not part of this repository.
#[test]
#[ignore]
fn jsonata_js_test_suite() {
    use std::path::Path;
    let Ok(root) = std::env::var("JSONATA_TEST_SUITE") else {
        eprintln!("set JSONATA_TEST_SUITE to jsonata-js/test/test-suite");
        return;
    };
    let root = Path::new(&root);
    let mut datasets: HashMap<String, J> = HashMap::new();
    for entry in std::fs::read_dir(root.join("datasets")).expect("datasets") {
        let p = entry.expect("entry").path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).expect("read");
        datasets.insert(name, serde_json::from_str(&text).expect("json"));
    }
    let skip_groups = ["function-eval"];
    let mut groups: Vec<_> = std::fs::read_dir(root.join("groups"))
        .expect("groups")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    let (mut pass, mut fail, mut skipped) = (0, 0, 0);
    let mut failures = Vec::new();
    for g in groups {
        let gname = g.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> = std::fs::read_dir(&g)
            .expect("group")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let Ok(spec) = serde_json::from_str::<J>(&std::fs::read_to_string(&f).expect("read")) else {
                skipped += 1;
                continue;
            };
            let cases = match spec {
                J::Array(a) => a,
                other => vec![other],
            };
            for (ci, case) in cases.iter().enumerate() {
                let label = format!("{gname}/{}#{ci}", f.file_name().unwrap().to_string_lossy());
                if skip_groups.contains(&gname.as_str()) {
                    skipped += 1;
                    continue;
                }
                let expr = match (case.get("expr"), case.get("expr-file")) {
                    (Some(J::String(e)), _) => e.clone(),
                    (_, Some(J::String(file))) => std::fs::read_to_string(g.join(file)).expect("expr-file"),
                    _ => {
                        skipped += 1;
                        continue;
                    }
                };
                let input: Option<J> = match (case.get("data"), case.get("dataset")) {
                    (Some(d), _) => Some(d.clone()),
                    (_, Some(J::String(name))) => datasets.get(name).cloned(),
                    _ => None,
                };
                let mut env = TestEnv::new();
                if let Some(J::Object(b)) = case.get("bindings") {
                    for (k, v) in b {
                        env.vars.insert(k.clone(), v.clone());
                    }
                }
                let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_with(&expr, input.as_ref(), &mut env)
                }));
                let got = match got {
                    Ok(g) => g,
                    Err(_) => {
                        fail += 1;
                        failures.push(format!("{label}: PANIC {expr}"));
                        continue;
                    }
                };
                let good = if case.get("undefinedResult").is_some() {
                    matches!(got, Ok(None))
                } else if let Some(expected) = case.get("result") {
                    matches!(&got, Ok(Some(v)) if same(v, expected))
                } else if let Some(code) = case.get("code").or_else(|| case.get("error").and_then(|e| e.get("code"))) {
                    matches!(&got, Err(e) if J::String(e.code.to_string()) == *code)
                } else {
                    skipped += 1;
                    continue;
                };
                if good {
                    pass += 1;
                } else {
                    fail += 1;
                    let want = case
                        .get("result")
                        .map(|r| r.to_string())
                        .or_else(|| case.get("code").map(|c| c.to_string()))
                        .or_else(|| case.get("error").map(|c| c.to_string()))
                        .unwrap_or_else(|| "undefined".into());
                    let got = match got {
                        Ok(Some(v)) => v.to_string(),
                        Ok(None) => "undefined".into(),
                        Err(e) => e.to_string(),
                    };
                    let mut line = format!("{label}: {expr} => {got} WANT {want}");
                    line.truncate(400);
                    failures.push(line);
                }
            }
        }
    }
    if let Ok(out) = std::env::var("JSONATA_TEST_SUITE_REPORT") {
        std::fs::write(out, failures.join("\n")).expect("write report");
    }
    eprintln!("jsonata-js test suite: {pass} passed, {fail} failed, {skipped} skipped");
}

