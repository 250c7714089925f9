use super::*;
use serde_json::json;

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-sim-tasks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn inv<'a>(state: &'a str, n: u32, params: &'a Value) -> Invocation<'a> {
    Invocation {
        state,
        resource: "arn:aws:states:::lambda:invoke",
        state_invocation: n,
        execution_invocation: n,
        parameters: params,
    }
}

#[test]
fn task_results_resolve_per_state_in_order() {
    let p = write(
        "tr1.json",
        r#"[
        {"index":1,"kind":"task","state":"A","scheduled_event_id":9,"events":[],"outcome":"failed","error":"E","cause":{"x":"arn:<partition>:lambda"}},
        {"index":0,"kind":"lambda","state":"A","scheduled_event_id":3,"events":[],"outcome":"succeeded","output":"[1, 2]"},
        {"index":2,"kind":"task","state":"B","scheduled_event_id":12,"events":[],"outcome":"succeeded","output":{"k":"<region>"}}
    ]"#,
    );
    let results = load_task_results(&p).unwrap();
    assert_eq!(results.len(), 3);
    let concrete = |s: &str| {
        s.replace("arn:<partition>:", "arn:aws:")
            .replace("<region>", "us-east-1")
    };
    let mut r = TableResolver::new(&results, &concrete);
    let params = json!({});
    assert_eq!(
        r.resolve(&inv("A", 0, &params)),
        Some(TaskAnswer::Succeeded {
            output: json!([1, 2]),
            submitted_output: None
        })
    );
    assert_eq!(
        r.resolve(&inv("A", 1, &params)),
        Some(TaskAnswer::Failed {
            error: Some("E".into()),
            cause: Some(r#"{"x":"arn:aws:lambda"}"#.into())
        })
    );
    assert_eq!(r.resolve(&inv("A", 2, &params)), None);
    assert_eq!(
        r.resolve(&inv("B", 0, &params)),
        Some(TaskAnswer::Succeeded {
            output: json!({"k": "us-east-1"}),
            submitted_output: None
        })
    );
}

#[test]
fn task_results_errors_name_file_and_pointer() {
    let p = write(
        "tr2.json",
        r#"[{"index":0,"kind":"task","events":[]},{"index":1,"kind":"robot","events":[]}]"#,
    );
    let e = load_task_results(&p).unwrap_err();
    assert_eq!(e.pointer, "/1/kind");
    assert!(e
        .to_string()
        .contains("tr2.json at /1/kind: unknown kind \"robot\""));
    let p = write(
        "tr3.json",
        r#"[{"index":0,"kind":"task","events":[],"outcome":"succeeded","output":"not json"}]"#,
    );
    assert_eq!(load_task_results(&p).unwrap_err().pointer, "/0/output");
}

#[test]
fn mock_config_ranges_and_selection() {
    let p = write(
        "mc1.json",
        r#"{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},
            "MockedResponses":{"R":{"0-1":{"Return":{"a":1}},"2":{"Throw":{"Error":"E","Cause":"C"}}}}}"#,
    );
    let cfg = load_mock_config(&p).unwrap();
    let mut r = cfg.resolver(None, None).unwrap();
    let params = json!({});
    for n in 0..2 {
        assert_eq!(
            r.resolve(&inv("S", n, &params)),
            Some(TaskAnswer::Succeeded {
                output: json!({"a": 1}),
                submitted_output: None
            })
        );
    }
    assert_eq!(
        r.resolve(&inv("S", 2, &params)),
        Some(TaskAnswer::Failed {
            error: Some("E".into()),
            cause: Some("C".into())
        })
    );
    assert_eq!(r.resolve(&inv("S", 3, &params)), None);
    assert_eq!(r.resolve(&inv("Other", 0, &params)), None);
    assert!(cfg.resolver(Some("M"), Some("T")).is_ok());
    assert!(cfg.resolver(Some("X"), None).is_err());
}

#[test]
fn mock_config_validation_errors() {
    let cases = [
        (
            r#"{"StateMachines":{},"MockedResponses":{"R":{"1-0":{"Return":1}}}}"#,
            "/MockedResponses/R/1-0",
        ),
        (
            r#"{"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1,"Throw":{}}}}}"#,
            "/MockedResponses/R/0",
        ),
        (
            r#"{"StateMachines":{},"MockedResponses":{"R":{"0":{"Throw":{"Error":"E"}}}}}"#,
            "/MockedResponses/R/0/Throw",
        ),
        (
            r#"{"StateMachines":{},"MockedResponses":{"R":{"0-2":{"Return":1},"2":{"Return":2}}}}"#,
            "/MockedResponses/R/2",
        ),
        (
            r#"{"StateMachines":{"M":{"TestCases":{"T":{"S":"Nope"}}}},"MockedResponses":{}}"#,
            "/StateMachines/M/TestCases/T/S",
        ),
        (r#"{"MockedResponses":{}}"#, ""),
    ];
    for (i, (text, pointer)) in cases.iter().enumerate() {
        let p = write(&format!("mcbad{i}.json"), text);
        let e = load_mock_config(&p).unwrap_err();
        assert_eq!(&e.pointer, pointer, "case {i}: {e}");
    }
}
