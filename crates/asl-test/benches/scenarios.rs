//! Benchmark: 1,000 small scenarios in one run (10 files × 100 scenarios,
//! each a Task with a retry and a Catch, snapshots compared), through the
//! same runner the CLI uses. Prints the total time and the per-scenario
//! overhead over running the engine alone. Target: < 1 s on 2 cores.
//!
//! `cargo bench -p asl-test --bench scenarios`

use asl_sim::engine::{execute, ExecutionConfig};
use asl_test::run::RunOptions;
use asl_test::runner::{self, Selection};
use asl_test::snapshot::Mode;
use std::path::PathBuf;
use std::time::Instant;

const MACHINE: &str = r#"{"StartAt": "Validate", "States": {
  "Validate": {"Type": "Pass", "Parameters": {"id.$": "$.id", "kind": "order"}, "Next": "Charge"},
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "charge", "Payload.$": "$"}, "ResultSelector": {"status.$": "$.Payload.status"},
    "ResultPath": "$.payment",
    "Retry": [{"ErrorEquals": ["Payment.Declined"], "IntervalSeconds": 2, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Done"},
  "Done": {"Type": "Succeed"},
  "Failed": {"Type": "Fail", "Error": "PaymentFailed"}}}"#;

const FILES: usize = 10;
const PER_FILE: usize = 100;

fn setup() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-test-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("m.asl.json"), MACHINE).unwrap();
    for f in 0..FILES {
        let mut text = String::from("definition: m.asl.json\nscenarios:\n");
        for i in 0..PER_FILE {
            let declined = i % 3 == 0;
            text.push_str(&format!(
                "  - name: case {i}\n    input: {{id: \"{f}-{i}\"}}\n    mocks:\n      Charge:\n"
            ));
            if declined {
                text.push_str("        - throw: {error: Payment.Declined, cause: no}\n");
            }
            text.push_str("        - return: {Payload: {status: ok}}\n");
            text.push_str("    expect:\n      output_contains: {payment: {status: ok}}\n      path: [Validate, Charge, Done]\n");
        }
        std::fs::write(dir.join(format!("f{f}.scenario.yaml")), text).unwrap();
    }
    dir
}

fn main() {
    let dir = setup();
    let paths = vec![dir.clone()];
    let sel = Selection::default();
    let accept = RunOptions {
        mode: Mode::Accept,
        seed: None,
        keep_history: false,
    };
    let report = runner::run(&paths, &sel, &accept, false);
    assert_eq!(
        report.passed(),
        FILES * PER_FILE,
        "setup run: every scenario passes"
    );

    // Engine alone, serially, for the same executions.
    let input = r#"{"id":"x"}"#;
    let started = Instant::now();
    for i in 0..FILES * PER_FILE {
        let mut mocks = std::collections::BTreeMap::new();
        let mut entries = Vec::new();
        if i % 3 == 0 {
            entries.push(asl_test::model::MockEntry {
                outcome: asl_test::model::MockOutcome::Throw {
                    error: "Payment.Declined".into(),
                    cause: Some("no".into()),
                },
                after_ms: 0,
                heartbeats_ms: vec![],
                repeat: false,
            });
        }
        entries.push(asl_test::model::MockEntry {
            outcome: asl_test::model::MockOutcome::Return(
                serde_json::json!({"Payload": {"status": "ok"}}),
            ),
            after_ms: 0,
            heartbeats_ms: vec![],
            repeat: false,
        });
        mocks.insert("Charge".to_owned(), entries);
        let mut r = asl_test::mocks::MockResolver::new(&mocks);
        execute(MACHINE, input, &ExecutionConfig::default(), &mut r).unwrap();
    }
    let engine = started.elapsed();

    let local = RunOptions {
        mode: Mode::Local,
        seed: None,
        keep_history: false,
    };
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        let report = runner::run(&paths, &sel, &local, false);
        let t = started.elapsed().as_secs_f64();
        assert_eq!(report.passed(), FILES * PER_FILE);
        best = best.min(t);
    }
    let n = (FILES * PER_FILE) as f64;
    let threads = rayon::current_num_threads();
    println!(
        "asl-test bench: {} scenarios in {FILES} files, {threads} threads",
        FILES * PER_FILE
    );
    println!("  full run (discover, load + lint, execute, assert, compare snapshots): {:.3} s (best of 5)", best);
    println!(
        "  engine alone, serial: {:.3} s ({:.1} µs per execution)",
        engine.as_secs_f64(),
        engine.as_secs_f64() * 1e6 / n
    );
    println!(
        "  per scenario: {:.1} µs wall; overhead over the engine (cpu-time estimate): {:.1} µs",
        best * 1e6 / n,
        (best * threads as f64 - engine.as_secs_f64()) * 1e6 / n
    );
    let _ = std::fs::remove_dir_all(&dir);
}
