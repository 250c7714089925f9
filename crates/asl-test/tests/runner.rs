//! The runner end to end: a suite that must fail (wrong output, missing
//! mock, changed snapshot, failed assertions), exit codes, selection,
//! determinism, JUnit XML read back as XML, coverage, import, and the
//! bundled examples in CI mode.

mod common;
use common::*;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::path::Path;

/// A suite of five scenarios: one passes, four fail for different reasons.
fn failing_suite() -> TempDir {
    let d = TempDir::new("fail");
    d.write("m.asl.json", MACHINE);
    d.write(
        "suite.scenario.yaml",
        r#"definition: m.asl.json
seed: 11
scenarios:
  - name: passes
    mocks:
      Charge: [{return: {Payload: {status: ok}}}]
    snapshot: false
  - name: wrong output
    mocks:
      Charge: [{return: {Payload: {status: ok, id: 1}}}]
    expect:
      output: {status: declined, id: 1}
    snapshot: false
  - name: missing mock
    mocks:
      Charge:
        - throw: {error: Payment.Declined, cause: no}
    expect:
      status: FAILED
      error: PaymentFailed
  - name: changed snapshot
    mocks:
      Charge: [{return: {Payload: {status: new}}}]
  - name: wrong status, error and path
    mocks:
      Charge: [{throw: {error: Boom, cause: bang}}]
    expect:
      status: SUCCEEDED
      path: [Charge, Done]
    snapshot: false
"#,
    );
    // An accepted snapshot that no longer matches.
    d.write("__snapshots__/suite__changed-snapshot.snap", "# asl-test snapshot\nscenario_file: suite.scenario.yaml\nscenario: changed snapshot\ndefinition: m.asl.json\nseed: 11\n---\n- id: 1\n  type: ExecutionStarted\n");
    d
}

/// The report's block for one scenario.
fn block<'a>(out: &'a str, name: &str) -> &'a str {
    let start = out
        .find(&format!("FAIL suite.scenario.yaml::{name}\n"))
        .unwrap_or_else(|| panic!("no FAIL for {name}:\n{out}"));
    let rest = &out[start + 5..];
    let end = rest
        .find("\nFAIL ")
        .or_else(|| rest.find("\nPASS "))
        .map(|e| e + 1)
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn failing_suite_reports_each_failure() {
    let d = failing_suite();
    let o = run(d.path(), Ci::Set("true"), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(last_line(&o), "1 passed, 4 failed");
    assert!(
        out.starts_with("PASS suite.scenario.yaml::passes\n"),
        "{out}"
    );

    let b = block(&out, "wrong output");
    assert!(b.contains("status: SUCCEEDED; path: Charge → Done"), "{b}");
    assert!(b.contains("output differs from `expect.output`"), "{b}");
    assert!(
        b.contains("-  \"status\": \"declined\"") && b.contains("+  \"status\": \"ok\""),
        "{b}"
    );
    assert!(b.contains("seed: 11"), "{b}");

    let b = block(&out, "missing mock");
    assert!(
        b.contains("no mock entry left for state \"Charge\", attempt 2 (it has 1 entry)"),
        "{b}"
    );
    assert!(
        !b.contains("expected status"),
        "a missing mock fails whatever `expect` says: {b}"
    );

    let b = block(&out, "changed snapshot");
    assert!(
        b.contains("snapshot __snapshots__/suite__changed-snapshot.snap differs"),
        "{b}"
    );
    assert!(b.contains("+- id: 2"), "{b}");

    let b = block(&out, "wrong status, error and path");
    assert!(b.contains("expected status SUCCEEDED, got FAILED"), "{b}");
    assert!(b.contains("error: PaymentFailed"), "{b}");
    assert!(
        b.contains("path differs: expected Charge → Done, got Charge → Failed"),
        "{b}"
    );
}

#[test]
fn output_is_deterministic() {
    let d = failing_suite();
    let a = run(d.path(), Ci::Set("true"), &[]);
    for _ in 0..3 {
        let b = run(d.path(), Ci::Set("true"), &[]);
        assert_eq!(stdout(&a), stdout(&b));
    }
}

#[test]
fn exit_codes() {
    let d = TempDir::new("exit");
    let o = run(d.path(), Ci::Unset, &[]);
    assert_eq!(o.status.code(), Some(2), "no scenario file found");
    assert!(stdout(&o).contains("no *.scenario.yaml file found"));
    assert_eq!(last_line(&o), "0 passed, 0 failed");
    d.write("m.asl.json", MACHINE);
    d.write("a.scenario.yaml", "definition: m.asl.json\nscenarios:\n  - name: ok\n    mocks: {Charge: [{return: {Payload: 1}}]}\n    snapshot: false\n");
    assert_eq!(run(d.path(), Ci::Unset, &[]).status.code(), Some(0));
    let o = run(d.path(), Ci::Unset, &["nope"]);
    assert_eq!(o.status.code(), Some(2), "a missing path");
    assert!(
        stdout(&o).contains("error: nope: no such file"),
        "{}",
        stdout(&o)
    );
    d.write(
        "b.scenario.yaml",
        "definition: m.asl.json\nscenarios:\n  - name: x\n    mocks: {Chrage: []}\n",
    );
    let o = run(d.path(), Ci::Unset, &[]);
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a load error wins over passes: {out}"
    );
    assert!(out.contains("PASS a.scenario.yaml::ok"), "{out}");
    assert!(
        out.contains("ERROR b.scenario.yaml\n  b.scenario.yaml:4:13: mock for state \"Chrage\""),
        "{out}"
    );
    assert!(out.contains("help: did you mean \"Charge\"?"), "{out}");
    assert_eq!(last_line(&o), "1 passed, 0 failed");
    let o = run(d.path(), Ci::Unset, &["--partition", "0/2"]);
    assert_eq!(o.status.code(), Some(2), "invalid arguments");
}

#[test]
fn selection_with_k_and_partition() {
    let d = TempDir::new("sel");
    d.write("m.asl.json", MACHINE);
    let mut text = String::from("definition: m.asl.json\nscenarios:\n");
    for i in 0..5 {
        text.push_str(&format!("  - name: case {i}\n    mocks: {{Charge: [{{return: {{Payload: {i}}}}}]}}\n    snapshot: false\n"));
    }
    d.write("x.scenario.yaml", &text);
    d.write(
        "sub/y.scenario.yaml",
        &text.replace("m.asl.json", "../m.asl.json"),
    );
    let names = |args: &[&str]| -> Vec<String> {
        let o = run(d.path(), Ci::Unset, args);
        stdout(&o)
            .lines()
            .filter_map(|l| l.strip_prefix("PASS ").map(str::to_owned))
            .collect()
    };
    let all = names(&[]);
    assert_eq!(all.len(), 10);
    assert_eq!(
        all[0], "sub/y.scenario.yaml::case 0",
        "sorted by file then position"
    );
    assert_eq!(
        names(&["-k", "x.scenario.yaml::case 3"]),
        vec!["x.scenario.yaml::case 3"]
    );
    assert_eq!(names(&["-k", "case 1"]).len(), 2);
    let p1 = names(&["--partition", "1/3"]);
    let p2 = names(&["--partition", "2/3"]);
    let p3 = names(&["--partition", "3/3"]);
    assert_eq!(
        p1,
        vec![
            all[0].clone(),
            all[3].clone(),
            all[6].clone(),
            all[9].clone()
        ]
    );
    let mut union: Vec<String> = p1.into_iter().chain(p2).chain(p3).collect();
    union.sort();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(union, sorted, "partitions cover every scenario once");
    assert_eq!(names(&["sub"]).len(), 5);
    assert_eq!(names(&["x.scenario.yaml"]).len(), 5);
}

/// A flat view of an XML document: (path of element names, attributes, text).
fn parse_xml(text: &str) -> Vec<(String, BTreeMap<String, String>, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut out: Vec<(String, BTreeMap<String, String>, String)> = Vec::new();
    let attrs = |e: &quick_xml::events::BytesStart<'_>| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("escaped")
                        .into_owned(),
                )
            })
            .collect()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                stack.push(e.name().as_ref().to_owned());
                out.push((stack.join("/"), attrs(&e), String::new()));
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                out.push((
                    format!("{}/{name}", stack.join("/")),
                    attrs(&e),
                    String::new(),
                ));
            }
            Event::Text(t) => {
                if let Some(last) = out.last_mut() {
                    last.2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner().into_owned();
                let c = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                };
                if let Some(last) = out.last_mut() {
                    last.2.push_str(c);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "all elements closed");
    out
}

#[test]
fn junit_report() {
    let d = failing_suite();
    d.write(
        "broken.scenario.yaml",
        "definition: m.asl.json\nscenarios: [\n",
    );
    let o = run(d.path(), Ci::Set("true"), &["--junit", "out/junit.xml"]);
    assert_eq!(o.status.code(), Some(2));
    let xml = d.read("out/junit.xml");
    let items = parse_xml(&xml);
    let suites: Vec<_> = items
        .iter()
        .filter(|i| i.0 == "testsuites/testsuite")
        .collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(suites[0].1["name"], "broken.scenario.yaml");
    assert_eq!(suites[0].1["errors"], "1");
    assert_eq!(suites[1].1["name"], "suite.scenario.yaml");
    assert_eq!(
        (
            suites[1].1["tests"].as_str(),
            suites[1].1["failures"].as_str()
        ),
        ("5", "4")
    );
    let error = items
        .iter()
        .find(|i| i.0.ends_with("testcase/error"))
        .expect("an <error>");
    assert!(
        error.1["message"].starts_with("broken.scenario.yaml:3:1: YAML syntax error"),
        "{:?}",
        error.1
    );
    let props: Vec<_> = items
        .iter()
        .filter(|i| i.0.ends_with("properties/property"))
        .collect();
    assert_eq!(props.len(), 1);
    assert_eq!(
        (props[0].1["name"].as_str(), props[0].1["value"].as_str()),
        ("seed", "11")
    );
    let cases: Vec<_> = items
        .iter()
        .filter(|i| i.0 == "testsuites/testsuite/testcase" && i.1["classname"] == "suite")
        .collect();
    assert_eq!(cases.len(), 5);
    assert_eq!(cases[1].1["name"], "wrong output");
    for c in &cases {
        assert!(c.1["time"].parse::<f64>().is_ok(), "{:?}", c.1);
    }
    let failures: Vec<_> = items
        .iter()
        .filter(|i| i.0.ends_with("testcase/failure"))
        .collect();
    assert_eq!(failures.len(), 4);
    assert_eq!(
        failures[0].1["message"],
        "output differs from `expect.output`"
    );
    assert!(
        failures[0].2.contains("-  \"status\": \"declined\""),
        "{}",
        failures[0].2
    );
    assert!(failures[1].1["message"].starts_with("no mock entry left for state \"Charge\""));
    assert!(
        failures[2].1["message"].contains("differs"),
        "{:?}",
        failures[2].1
    );
    assert!(failures[2].2.contains("+- id: 2"));
    assert!(
        !items
            .iter()
            .any(|i| i.0.ends_with("testcase/error") && i.1["message"].contains("suite")),
        "<error> only for unloadable files"
    );
}

#[test]
fn coverage_table_and_json() {
    let d = TempDir::new("cov");
    d.write("m.asl.json", MACHINE);
    d.write("c.scenario.yaml", "definition: m.asl.json\nscenarios:\n  - name: ok\n    mocks: {Charge: [{return: {Payload: 1}}]}\n    snapshot: false\n");
    let o = run(
        d.path(),
        Ci::Unset,
        &["--coverage", "--coverage-json", "cov.json"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("m.asl.json") && out.contains("2/3  66%") && out.contains("1/3  33%"),
        "{out}"
    );
    assert!(
        out.contains("not entered: Failed")
            && out.contains("not taken: Charge retry[0]")
            && out.contains("not taken: Charge catch[0] → Failed"),
        "{out}"
    );
    assert_eq!(last_line(&o), "1 passed, 0 failed");
    let v: serde_json::Value = serde_json::from_str(&d.read("cov.json")).unwrap();
    assert_eq!(v["version"], 1);
    let m = &v["machines"][0];
    assert_eq!(m["definition"], "m.asl.json");
    assert_eq!(
        (
            m["states"]["covered"].as_u64(),
            m["states"]["total"].as_u64()
        ),
        (Some(2), Some(3))
    );
    assert_eq!(
        m["transitions"]["items"][0],
        serde_json::json!({"from": "Charge", "kind": "next", "to": "Done", "covered": true})
    );
    // Add the retry and the catch: full coverage.
    d.write("d.scenario.yaml", "definition: m.asl.json\nscenarios:\n  - name: declined\n    mocks: {Charge: [{throw: {error: Payment.Declined}, repeat: true}]}\n    expect: {status: FAILED}\n    snapshot: false\n");
    let o = run(d.path(), Ci::Unset, &["--coverage"]);
    assert!(stdout(&o).contains("3/3 100%"), "{}", stdout(&o));
}

#[test]
fn import_converts_step_functions_local_config() {
    let d = TempDir::new("import");
    d.write("defs/order.asl.json", MACHINE);
    d.write("MockConfigFile.json", r#"{"StateMachines": {"Order": {"TestCases": {"Happy": {"Charge": "Ok"}, "Declined": {"Charge": "No"}}}},
      "MockedResponses": {"Ok": {"0": {"Return": {"Payload": {"status": "ok"}}}},
                          "No": {"0-2": {"Throw": {"Error": "Payment.Declined", "Cause": "no"}}}}}"#);
    let o = run(
        d.path(),
        Ci::Unset,
        &[
            "import",
            "MockConfigFile.json",
            "--definition",
            "Order=defs/order.asl.json",
            "-o",
            "tests",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("wrote tests/Order.scenario.yaml"));
    let text = d.read("tests/Order.scenario.yaml");
    assert!(
        text.contains("definition: ../defs/order.asl.json"),
        "{text}"
    );
    assert!(
        text.contains("- name: Happy") && text.contains("- name: Declined"),
        "{text}"
    );
    assert_eq!(
        text.matches("throw:").count(),
        3,
        "the range 0-2 becomes three entries: {text}"
    );
    // The imported file runs; Declined fails (Fail state) as it should.
    let o = run(d.path(), Ci::Set("true"), &["tests", "-k", "Happy"]);
    assert!(
        stdout(&o).contains("snapshot") && stdout(&o).contains("is missing"),
        "{}",
        stdout(&o)
    );
    // Never overwritten.
    let o = run(
        d.path(),
        Ci::Unset,
        &[
            "import",
            "MockConfigFile.json",
            "--definition",
            "Order=defs/order.asl.json",
            "-o",
            "tests",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists; not overwritten"));
    // Unknown machine name.
    let o = run(
        d.path(),
        Ci::Unset,
        &[
            "import",
            "MockConfigFile.json",
            "--definition",
            "Nope=defs/order.asl.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no state machine \"Nope\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn subcommands_take_precedence_over_paths() {
    let d = TempDir::new("prec");
    d.write("m.asl.json", MACHINE);
    d.write("review/r.scenario.yaml", "definition: ../m.asl.json\nscenarios:\n  - name: ok\n    mocks: {Charge: [{return: {Payload: 1}}]}\n    snapshot: false\n");
    let o = run(d.path(), Ci::Unset, &["review"]);
    assert!(
        stdout(&o).contains("no pending snapshots"),
        "{}",
        stdout(&o)
    );
    let o = run(d.path(), Ci::Unset, &["./review"]);
    assert_eq!(last_line(&o), "1 passed, 0 failed");
}

#[test]
fn bundled_examples_pass_in_ci_mode() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let o = run(&root, Ci::Set("true"), &["scenarios"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(last_line(&o).ends_with(" passed, 0 failed"));
}

#[test]
fn seed_override_is_reported() {
    let d = failing_suite();
    let o = run(
        d.path(),
        Ci::Set("true"),
        &["--seed", "99", "-k", "wrong output"],
    );
    assert!(
        stdout(&o).contains(
            "seed: 99 (replay: asl-test suite.scenario.yaml -k \"wrong output\" --seed 99)"
        ),
        "{}",
        stdout(&o)
    );
}

#[test]
fn leftover_entries_warn_and_after_reaching_timeout_times_out() {
    let d = TempDir::new("timing");
    d.write(
        "m.asl.json",
        &MACHINE.replace("\"OutputPath\"", "\"TimeoutSeconds\": 60, \"OutputPath\""),
    );
    d.write(
        "t.scenario.yaml",
        "definition: m.asl.json\nscenarios:\n  - name: leftovers\n    mocks:\n      Charge:\n        - return: {Payload: 1}\n        - return: {Payload: 2}\n    snapshot: false\n  - name: slow task\n    mocks:\n      Charge:\n        - return: {Payload: 1}\n          after: 1m\n    expect: {status: FAILED, error: PaymentFailed}\n    snapshot: false\n",
    );
    let o = run(d.path(), Ci::Unset, &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains(
            "warning: t.scenario.yaml::leftovers: 1 mock entry of \"Charge\" was never used"
        ),
        "{out}"
    );
}
