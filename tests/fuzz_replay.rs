//! Stable replay of the cargo-fuzz targets (`fuzz/src/targets.rs`), so that
//! CI exercises them without nightly:
//!
//! 1. every committed crash input under `fuzz/regressions/<target>/`;
//! 2. seeds built from `../shared/lint-corpus` and `../shared/conformance`
//!    (skipped with a note when absent) and from `examples/`;
//! 3. a deterministic mutation loop (seeded PRNG, byte-level mutations and
//!    splices, up to 2,000 per seed) bounded in time per target:
//!    `ASL_FUZZ_REPLAY_SECS` (default 6 s; set it higher to fuzz longer).
//!
//! A panic (or an input slower than 10 s) fails the test; the input is
//! written to `$CARGO_TARGET_TMPDIR/fuzz-failures/<target>/` for
//! `cargo fuzz run <target> <file>` or to be committed as a regression.

#[path = "../fuzz/src/targets.rs"]
#[allow(dead_code)]
mod targets;

use serde_json::Value;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use targets::SplitMix;

const MUTATIONS_PER_SEED: usize = 2_000;
const SLOW: Duration = Duration::from_secs(10);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn budget() -> Duration {
    let secs = std::env::var("ASL_FUZZ_REPLAY_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(6.0);
    Duration::from_secs_f64(secs)
}

/// Every file under `dir` (sorted), recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The shared corpora, or `None` with a note.
fn shared(name: &str) -> Option<PathBuf> {
    let dir = root().join("..").join("shared").join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} not found; its seeds are skipped", dir.display());
        None
    }
}

struct Corpus {
    /// Definitions (JSON text).
    definitions: Vec<String>,
    /// (definition, input) pairs of conformance cases.
    runs: Vec<(String, String)>,
    /// Execution inputs.
    inputs: Vec<String>,
    mock_configs: Vec<String>,
    scenarios: Vec<String>,
}

fn read(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}

fn corpus() -> Corpus {
    let mut c = Corpus {
        definitions: Vec::new(),
        runs: Vec::new(),
        inputs: Vec::new(),
        mock_configs: Vec::new(),
        scenarios: Vec::new(),
    };
    if let Some(dir) = shared("lint-corpus") {
        for f in files(&dir) {
            if f.extension().is_some_and(|e| e == "json")
                && !matches!(
                    f.file_name().and_then(|n| n.to_str()),
                    Some("manifest.json" | "sources.json")
                )
            {
                c.definitions.extend(read(&f));
            }
        }
    }
    if let Some(dir) = shared("conformance") {
        for f in files(&dir) {
            match f.file_name().and_then(|n| n.to_str()) {
                Some("definition.json") => {
                    let Some(def) = read(&f) else { continue };
                    let input = read(&f.with_file_name("input.json")).unwrap_or("{}".into());
                    c.definitions.push(def.clone());
                    c.inputs.push(input.clone());
                    c.runs.push((def, input));
                }
                Some("mock_config.json") => c.mock_configs.extend(read(&f)),
                _ => {}
            }
        }
    }
    for f in files(&root().join("examples")) {
        let name = f.to_string_lossy().into_owned();
        if name.ends_with(".asl.json") {
            c.definitions.extend(read(&f));
        } else if name.ends_with("MockConfigFile.json") {
            c.mock_configs.extend(read(&f));
        } else if name.ends_with(".scenario.yaml") {
            if let Some(text) = read(&f) {
                c.scenarios.push(inline_definition(&f, &text));
            }
        }
    }
    // Scenario files made from conformance cases: the inline definition,
    // the input, no mocks (every Task is a "missing mock").
    for (def, input) in c.runs.iter().take(150) {
        let def: Value = serde_json::from_str(def).unwrap_or(Value::Null);
        let input: Value = serde_json::from_str(input).unwrap_or(Value::Null);
        c.scenarios.push(format!(
            "definition: {def}\nseed: 3\nscenarios:\n  - name: case\n    input: {input}\n    expect:\n      status: SUCCEEDED\n"
        ));
    }
    c
}

/// Replaces `definition: FILE` by the file's JSON, inline (the fuzz target
/// loads scenarios from a directory that does not exist).
fn inline_definition(scenario: &Path, text: &str) -> String {
    text.lines()
        .map(|line| {
            if let Some(rel) = line.strip_prefix("definition: ") {
                let path = scenario.parent().unwrap().join(rel.trim());
                if let Some(def) = read(&path) {
                    if let Ok(v) = serde_json::from_str::<Value>(&def) {
                        return format!("definition: {v}");
                    }
                }
            }
            line.to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every string in a JSON value (keys too).
fn strings_of(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| strings_of(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                out.insert(k.clone());
                strings_of(x, out);
            }
        }
        _ => {}
    }
}

fn with_doc(expr: &str, doc: &str) -> Vec<u8> {
    let mut v = expr.as_bytes().to_vec();
    v.push(0);
    v.extend_from_slice(doc.as_bytes());
    v
}

/// The seeds of one target.
fn seeds(target: &str, c: &Corpus) -> Vec<Vec<u8>> {
    let mut all_strings = BTreeSet::new();
    if matches!(
        target,
        "jsonpath" | "reference_path" | "intrinsic" | "jsonata" | "strings"
    ) {
        for d in &c.definitions {
            if let Ok(v) = serde_json::from_str::<Value>(d) {
                strings_of(&v, &mut all_strings);
            }
        }
    }
    let inputs: Vec<&str> = if c.inputs.is_empty() {
        vec![r#"{"a":{"b":[1,2,{"c":"d"}]},"n":3,"s":"x"}"#]
    } else {
        c.inputs.iter().map(String::as_str).collect()
    };
    let paired = |pred: &dyn Fn(&str) -> bool| -> Vec<Vec<u8>> {
        all_strings
            .iter()
            .filter(|s| pred(s))
            .enumerate()
            .map(|(i, s)| with_doc(s, inputs[i % inputs.len()]))
            .collect()
    };
    let mut out: Vec<Vec<u8>> = match target {
        "json_lint" => c
            .definitions
            .iter()
            .map(|d| d.clone().into_bytes())
            .collect(),
        "yaml_lint" => c
            .definitions
            .iter()
            .enumerate()
            .map(|(i, d)| match serde_json::from_str::<Value>(d) {
                // Block YAML mostly; every fifth seed as flow (JSON) text.
                Ok(v) if i % 5 != 0 => asl_test::yaml_out::to_yaml(&v).into_bytes(),
                _ => d.clone().into_bytes(),
            })
            .collect(),
        "jsonpath" => paired(&|s: &str| s.starts_with('$')),
        "reference_path" => paired(&|s: &str| s.starts_with('$') && !s.contains(['*', '?', ','])),
        "intrinsic" => paired(&|s: &str| s.starts_with("States.")),
        "jsonata" => paired(&|s: &str| s.starts_with("{%")),
        "sim_run" => c.runs.iter().map(|(d, i)| with_doc(d, i)).collect(),
        "scenario" => c.scenarios.iter().map(|s| s.clone().into_bytes()).collect(),
        "mock_config" => c
            .mock_configs
            .iter()
            .map(|s| s.clone().into_bytes())
            .collect(),
        "strings" => all_strings
            .iter()
            .filter(|s| s.starts_with("arn:") || s.len() < 40)
            .map(|s| s.clone().into_bytes())
            .chain(
                [
                    "2024-02-29T23:59:60.123456789+14:00",
                    "1970-01-01T00:00:00Z",
                ]
                .iter()
                .map(|s| s.as_bytes().to_vec()),
            )
            .collect(),
        other => panic!("no seeds for {other}"),
    };
    if out.is_empty() {
        // Something to mutate even without the shared corpora.
        out.push(br#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#.to_vec());
    }
    // A fixed shuffle, so that a short time budget still sees every source.
    let mut rng = SplitMix(0x5eed);
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i as u64 + 1) as usize);
    }
    out
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\0",
    b"$",
    b"$$",
    b".",
    b"..",
    b"*",
    b"?(@.a > 1)",
    b"[-1]",
    b"[1:2:0]",
    b"{%",
    b"%}",
    b"$states",
    b"States.Format('{}', $)",
    b"States.ArrayRange(0, 99999999, 1)",
    b"1e999",
    b"-0",
    b"99999999999999999999",
    b"0.000000001",
    b"null",
    b"true",
    b"\n",
    b"\t",
    b"  ",
    b"- ",
    b": ",
    b"&anchor ",
    b"*anchor",
    b"!!str ",
    b"---\n",
    b"\xff",
    b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
    b"\"Type\": \"Map\"",
    b"\"Next\": \"A\"",
    b"\"End\": true",
    b"\"Retry\": [{\"ErrorEquals\":[\"States.ALL\"]}]",
    b"($x := function($n){$n = 0 ? 0 : $x($n - 1)}; $x(100000))",
    b"[1..10000000]",
];

fn mutate(data: &[u8], other: &[u8], rng: &mut SplitMix) -> Vec<u8> {
    let mut v = data.to_vec();
    let ops = 1 + rng.below(4);
    for _ in 0..ops {
        let len = v.len();
        let pos = if len == 0 {
            0
        } else {
            rng.below(len as u64 + 1) as usize
        };
        match rng.below(9) {
            0 if len > 0 => {
                let i = pos.min(len - 1);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = pos.min(len - 1);
                v[i] = rng.next_u64() as u8;
            }
            2 => v.insert(pos, rng.next_u64() as u8),
            3 if len > 0 => {
                let n = (1 + rng.below(16) as usize).min(len - pos.min(len - 1));
                let i = pos.min(len - 1);
                v.drain(i..i + n);
            }
            4 if len > 0 => {
                // Duplicate a chunk.
                let i = pos.min(len - 1);
                let n = (1 + rng.below(64) as usize).min(len - i);
                let chunk = v[i..i + n].to_vec();
                let at = rng.below(v.len() as u64 + 1) as usize;
                v.splice(at..at, chunk);
            }
            5 => v.truncate(pos),
            6 if !other.is_empty() => {
                // Splice from another seed.
                let i = rng.below(other.len() as u64) as usize;
                let n = (1 + rng.below(128) as usize).min(other.len() - i);
                v.splice(pos..pos, other[i..i + n].iter().copied());
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                v.splice(pos..pos, t.iter().copied());
            }
        }
    }
    v
}

struct Outcome {
    runs: usize,
    failures: Vec<String>,
}

fn save(target: &str, data: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-failures")
        .join(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{:016x}", targets::fnv1a(data)));
    let _ = std::fs::write(&path, data);
    path
}

fn run_one(target: &str, f: fn(&[u8]), data: &[u8], out: &mut Outcome) {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| f(data)));
    let took = started.elapsed();
    out.runs += 1;
    if result.is_err() {
        let path = save(target, data);
        out.failures
            .push(format!("{target}: panic on {}", path.display()));
    } else if took > SLOW {
        let path = save(target, data);
        out.failures.push(format!(
            "{target}: {:.1} s on {}",
            took.as_secs_f64(),
            path.display()
        ));
    }
}

fn replay(target: &str) {
    let f = targets::TARGETS
        .iter()
        .find(|(n, _)| *n == target)
        .map(|(_, f)| *f)
        .unwrap();
    let target = target.to_owned();
    // A large stack: the parsers' and evaluators' own depth limits, not the
    // test thread's 2 MiB, must be what stops deep nesting.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let started = Instant::now();
            let mut out = Outcome {
                runs: 0,
                failures: Vec::new(),
            };
            // 1. Committed regressions: always, whole.
            let regressions = files(&root().join("fuzz").join("regressions").join(&target));
            for r in &regressions {
                let data = std::fs::read(r).unwrap();
                run_one(&target, f, &data, &mut out);
            }
            // 2. Seeds and 3. mutations, until the time budget is spent.
            let c = corpus();
            let seeds = seeds(&target, &c);
            let deadline = started + budget();
            // Unmutated seeds get at most 40% of the budget.
            let seed_deadline = started + budget().mul_f64(0.4);
            let mut seeds_run = 0;
            for s in &seeds {
                if Instant::now() > seed_deadline {
                    break;
                }
                run_one(&target, f, s, &mut out);
                seeds_run += 1;
            }
            let mut rng = SplitMix(targets::fnv1a(target.as_bytes()));
            let mut mutations = 0;
            'outer: for _round in 0..MUTATIONS_PER_SEED {
                for (i, s) in seeds.iter().enumerate() {
                    if Instant::now() > deadline {
                        break 'outer;
                    }
                    let other =
                        &seeds[(i + 1 + rng.below(seeds.len() as u64) as usize) % seeds.len()];
                    let m = mutate(s, other, &mut rng);
                    run_one(&target, f, &m, &mut out);
                    mutations += 1;
                }
            }
            eprintln!(
                "{target}: {} regressions, {seeds_run}/{} seeds, {mutations} mutations in {:.1} s",
                regressions.len(),
                seeds.len(),
                started.elapsed().as_secs_f64()
            );
            out
        })
        .unwrap();
    let out = handle.join().unwrap();
    assert!(out.runs > 0);
    assert!(
        out.failures.is_empty(),
        "{} failing input(s):\n{}",
        out.failures.len(),
        out.failures.join("\n")
    );
}

#[test]
fn fuzz_json_lint() {
    replay("json_lint");
}

#[test]
fn fuzz_yaml_lint() {
    replay("yaml_lint");
}

#[test]
fn fuzz_jsonpath() {
    replay("jsonpath");
}

#[test]
fn fuzz_reference_path() {
    replay("reference_path");
}

#[test]
fn fuzz_intrinsic() {
    replay("intrinsic");
}

#[test]
fn fuzz_jsonata() {
    replay("jsonata");
}

#[test]
fn fuzz_sim_run() {
    replay("sim_run");
}

#[test]
fn fuzz_scenario() {
    replay("scenario");
}

#[test]
fn fuzz_mock_config() {
    replay("mock_config");
}

#[test]
fn fuzz_strings() {
    replay("strings");
}

/// Every target has a test above and a harness in `fuzz/fuzz_targets/`.
#[test]
fn every_target_is_wired() {
    let harnesses = std::fs::read_to_string(root().join("fuzz").join("Cargo.toml")).unwrap();
    let me = std::fs::read_to_string(file!()).unwrap_or_default();
    for (name, _) in targets::TARGETS {
        assert!(
            harnesses.contains(&format!("name = \"{name}\"")),
            "{name} has no [[bin]] in fuzz/Cargo.toml"
        );
        assert!(
            root()
                .join("fuzz/fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "{name} has no harness"
        );
        if !me.is_empty() {
            assert!(
                me.contains(&format!("replay(\"{name}\")")),
                "{name} is not replayed"
            );
        }
    }
}
