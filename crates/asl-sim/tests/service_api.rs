//! The typed in-process service API (no HTTP): determinism, idempotency,
//! callbacks through the replay driver, and a throughput figure.

use asl_sim::service::types::*;
use asl_sim::service::{Service, ServiceConfig};

const ROLE: &str = "arn:aws:iam::123456789012:role/r";
const PASS: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

fn machine(svc: &mut Service, name: &str, def: &str) -> String {
    svc.create_state_machine(CreateStateMachineInput {
        name: Some(name.into()),
        definition: Some(def.into()),
        role_arn: Some(ROLE.into()),
        ..Default::default()
    })
    .unwrap()
    .state_machine_arn
}

fn start(svc: &mut Service, sm: &str) -> String {
    svc.start_execution(StartExecutionInput {
        state_machine_arn: Some(sm.into()),
        ..Default::default()
    })
    .unwrap()
    .execution_arn
}

#[test]
fn same_seed_same_ids_and_histories() {
    let run = |seed| {
        let mut svc = Service::new(ServiceConfig {
            seed,
            ..Default::default()
        });
        let sm = machine(&mut svc, "m", PASS);
        let e = start(&mut svc, &sm);
        let h = svc
            .get_execution_history(GetExecutionHistoryInput {
                execution_arn: Some(e.clone()),
                ..Default::default()
            })
            .unwrap();
        (e, serde_json::to_string(&h.events).unwrap())
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1).0, run(2).0);
}

#[test]
fn errors_carry_model_shapes() {
    let mut svc = Service::new(ServiceConfig::default());
    let e = svc
        .list_executions(ListExecutionsInput {
            max_results: Some(1001),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, "ValidationException");
    let e = svc
        .tag_resource(TagResourceInput {
            resource_arn: Some("arn:aws:states:us-east-1:123456789012:stateMachine:none".into()),
            tags: Some(vec![]),
        })
        .unwrap_err();
    assert_eq!(
        e.to_json()["resourceName"],
        "arn:aws:states:us-east-1:123456789012:stateMachine:none"
    );
    let sm = machine(&mut svc, "m", PASS);
    let e = svc
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: Some(sm),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, "MissingRequiredParameter");
}

#[test]
fn throughput_in_process() {
    let mut svc = Service::new(ServiceConfig::default());
    let sm = machine(&mut svc, "fast", PASS);
    let n = 2000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let e = start(&mut svc, &sm);
        let d = svc
            .describe_execution(DescribeExecutionInput {
                execution_arn: Some(e),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(d.status, "SUCCEEDED");
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "in-process: {:.0} executions/s (StartExecution + DescribeExecution)",
        n as f64 / secs
    );
}
