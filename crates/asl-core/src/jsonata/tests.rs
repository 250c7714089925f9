use super::*;

/// Runs the jsonata-js test suite's expressions through the parser when
/// `JSONATA_TEST_SUITE` points at its `test/test-suite` directory: cases that
/// expect a syntax error (`S0…` code) must fail with that code, all others
/// must parse. Not part of the normal run (the suite is not vendored).
#[test]
#[ignore]
fn jsonata_js_suite() {
    let Ok(root) = std::env::var("JSONATA_TEST_SUITE") else {
        eprintln!("JSONATA_TEST_SUITE not set; skipping");
        return;
    };
    let root = std::path::PathBuf::from(root);
    let mut failures = Vec::new();
    let mut total = 0;
    let mut groups: Vec<_> = std::fs::read_dir(root.join("groups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    groups.sort();
    for g in groups {
        let mut cases: Vec<_> = std::fs::read_dir(&g)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        for c in cases {
            // A few cases hold lone surrogates serde_json rejects.
            let Ok(v) = serde_json::from_str::<serde_json::Value>(
                &std::fs::read_to_string(&c).unwrap(),
            ) else {
                continue;
            };
            let list = match v {
                serde_json::Value::Array(a) => a,
                other => vec![other],
            };
            for case in list {
                let expr = if let Some(e) = case.get("expr").and_then(|e| e.as_str()) {
                    e.to_string()
                } else if let Some(f) = case.get("expr-file").and_then(|e| e.as_str()) {
                    std::fs::read_to_string(g.join(f)).unwrap()
                } else {
                    continue;
                };
                total += 1;
                let code = case
                    .get("code")
                    .and_then(|c| c.as_str())
                    .or_else(|| case.pointer("/error/code").and_then(|c| c.as_str()));
                let expect_syntax = code.filter(|c| c.starts_with('S'));
                let got = parse(&expr);
                match (expect_syntax, &got) {
                    (None, Ok(_)) => {}
                    (Some(want), Err(e)) if e.code == want => {}
                    _ => failures.push(format!(
                        "{}: {expr:?}: expected {expect_syntax:?}, got {:?}",
                        c.display(),
                        got.as_ref().map(|_| "ok").map_err(|e| e.to_string())
                    )),
                }
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("{} of {total} cases mismatched", failures.len());
    assert!(failures.is_empty());
}
