use super::*;
use std::path::{Path, PathBuf};

const STD: MachineType = MachineType::Standard;
const EXP: MachineType = MachineType::Express;

fn ok(r: &str) -> ResourceInfo {
    check_task_resource(r, STD).unwrap_or_else(|e| panic!("{r}: {e:?}"))
}

fn reason(r: &str) -> NotRecognizedReason {
    match check_task_resource(r, STD) {
        Err(ResourceProblem::NotRecognized { reason, resource }) => {
            assert_eq!(resource, r);
            reason
        }
        other => panic!("{r}: {other:?}"),
    }
}

#[test]
fn patterns() {
    for p in [RR, SY, SY2, WT] {
        if let Some(s) = p.suffix() {
            assert_eq!(IntegrationPattern::from_suffix(s), Some(p));
        }
    }
    assert_eq!(IntegrationPattern::from_suffix("sync:3"), None);
    assert_eq!(MachineType::parse("express"), Some(EXP));
    assert_eq!(MachineType::parse("STANDARD"), Some(STD));
    assert_eq!(MachineType::parse("x"), None);
    assert_eq!(MachineType::default().as_str(), "STANDARD");
}

#[test]
fn catalogue_lookups() {
    assert!(lookup("dynamodb", "putItem").is_some());
    assert!(lookup("dynamodb", "query").is_none());
    assert!(lookup("states", "startExecution").unwrap().allows(SY2));
    assert!(!lookup("batch", "submitJob").unwrap().allows(WT));
    assert!(lookup("ecs", "runTask").unwrap().allows(WT));
    assert!(!lookup("eks", "call").unwrap().allows(SY));
    // Every entry has request-response, and no duplicates.
    for s in CATALOGUE {
        assert_eq!(service(s.service), Some(s));
        for a in s.actions {
            assert!(a.allows(RR), "{}:{}", s.service, a.name);
            assert_eq!(s.actions.iter().filter(|b| b.name == a.name).count(), 1);
        }
    }
}

#[test]
fn classify() {
    assert!(matches!(
        classify_resource("arn:aws:lambda:us-east-1:1:function:f"),
        ResourceClass::LambdaFunction { .. }
    ));
    assert!(matches!(
        classify_resource("arn:aws:states:us-east-1:1:activity:a"),
        ResourceClass::Activity { .. }
    ));
    assert_eq!(
        classify_resource("arn:aws:states:::dynamodb:putItem"),
        ResourceClass::Optimized {
            service: "dynamodb".into(),
            action: "putItem".into(),
            pattern: RR
        }
    );
    assert_eq!(
        classify_resource("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken"),
        ResourceClass::AwsSdk {
            service: "s3".into(),
            action: "listBuckets".into(),
            pattern: WT
        }
    );
    assert_eq!(
        classify_resource("arn:aws:states:::http:invoke"),
        ResourceClass::Http { pattern: RR }
    );
    assert_eq!(
        classify_resource("${LambdaArn}"),
        ResourceClass::Placeholder {
            name: "LambdaArn".into()
        }
    );
    assert!(matches!(
        classify_resource("arn:aws:swf:us-east-1:1:task:X"),
        ResourceClass::OtherArn { .. }
    ));
    assert!(matches!(
        classify_resource("foo:bar"),
        ResourceClass::Unknown {
            reason: InvalidArnReason::NotAnArn
        }
    ));
}

#[test]
fn history_split() {
    let split = |r: &str| {
        let c = classify_resource(r);
        (c.resource_type(), c.resource())
    };
    assert_eq!(
        split("arn:aws:states:::lambda:invoke"),
        (Some("lambda".into()), Some("invoke".into()))
    );
    assert_eq!(
        split("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
        (
            Some("sqs".into()),
            Some("sendMessage.waitForTaskToken".into())
        )
    );
    assert_eq!(
        split("arn:aws:states:::aws-sdk:dynamodb:putItem"),
        (Some("aws-sdk:dynamodb".into()), Some("putItem".into()))
    );
    assert_eq!(
        split("arn:aws:states:::states:startExecution.sync:2"),
        (Some("states".into()), Some("startExecution.sync:2".into()))
    );
    let lambda = "arn:aws:lambda:us-east-1:111111111111:function:f";
    assert_eq!(split(lambda), (None, Some(lambda.into())));
    assert_eq!(
        classify_resource(lambda).event_family(),
        Some(TaskEventFamily::LambdaFunction)
    );
    assert_eq!(
        classify_resource("arn:aws:states:us-east-1:1:activity:a").event_family(),
        Some(TaskEventFamily::Activity)
    );
    let info = ok("arn:aws:states:::aws-sdk:sfn:startExecution");
    assert_eq!(info.resource_type().as_deref(), Some("aws-sdk:sfn"));
    assert_eq!(info.resource().as_deref(), Some("startExecution"));
}

#[test]
fn recorded_not_recognized_message() {
    let e = check_task_resource("arn:aws:states:::dynamodb:query", STD).unwrap_err();
    assert_eq!(
        e.message(),
        "The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
    );
    assert_eq!(
        e.message_at("/States/Query/Resource"),
        "The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/Query/Resource"
    );
    assert_eq!(e.code(), "SCHEMA_VALIDATION_FAILED");
    assert_eq!(
        e.help().as_deref(),
        Some("use the SDK integration arn:aws:states:::aws-sdk:dynamodb:query")
    );
}

#[test]
fn rejections() {
    assert!(matches!(
        reason("arn:aws:states:::lambda:listFunctions"),
        NotRecognizedReason::UnknownAction { .. }
    ));
    assert!(matches!(
        reason("arn:aws:states:::dynamodb:putitem"),
        NotRecognizedReason::UnknownAction {
            did_you_mean: Some("putItem"),
            ..
        }
    ));
    assert_eq!(
        reason("arn:aws:states:::foo:bar"),
        NotRecognizedReason::UnknownService
    );
    assert!(matches!(
        reason("arn:aws:states:::dynamodb:putItem.waitForTaskToken"),
        NotRecognizedReason::PatternNotSupported { .. }
    ));
    assert!(matches!(
        reason("arn:aws:states:::lambda:invoke.sync"),
        NotRecognizedReason::PatternNotSupported { .. }
    ));
    assert!(matches!(
        reason("arn:aws:states:::glue:startJobRun.waitForTaskToken"),
        NotRecognizedReason::PatternNotSupported { .. }
    ));
    assert!(matches!(
        reason("arn:aws:states:::sqs:sendMessage.sync:2"),
        NotRecognizedReason::PatternNotSupported { .. }
    ));
    assert_eq!(
        reason("arn:aws:states:::lambda:invoke.foo"),
        NotRecognizedReason::InvalidArn(InvalidArnReason::UnknownSuffix("foo".into()))
    );
    assert_eq!(
        reason("arn:aws:states:::aws-sdk:s3:getObject.sync"),
        NotRecognizedReason::SdkSyncUnsupported
    );
    assert_eq!(
        reason("arn:aws:states:::aws-sdk:s3:getObject.sync:2"),
        NotRecognizedReason::SdkSyncUnsupported
    );
    assert_eq!(
        reason("arn:aws:states:::aws-sdk:S3:getObject"),
        NotRecognizedReason::SdkSpelling
    );
    assert_eq!(
        reason("arn:aws:states:::aws-sdk:emr-containers:startJobRun"),
        NotRecognizedReason::SdkSpelling
    );
    assert_eq!(
        reason("arn:aws:states:::aws-sdk:s3:GetObject"),
        NotRecognizedReason::SdkSpelling
    );
    assert_eq!(
        reason("arn:aws:states:::s3:getObject"),
        NotRecognizedReason::MapDataSourceOnly
    );
    assert_eq!(
        reason("arn:aws:lambda:us-east-1:1:function:my.fn"),
        NotRecognizedReason::InvalidLambdaName
    );
    assert_eq!(
        reason("arn:aws:states:us-east-1:1:stateMachine:sm"),
        NotRecognizedReason::NotATaskResource
    );
    for bad in [
        "foo:bar",
        "__tbd__",
        "$.FunctionName",
        "",
        "{% $x %}",
        "${lambdaArn",
    ] {
        assert!(
            matches!(reason(bad), NotRecognizedReason::InvalidArn(_)),
            "{bad}"
        );
    }
    for r in [
        "arn:aws:states:::foo:bar",
        "arn:aws:states:::aws-sdk:s3:getObject.sync",
        "foo",
    ] {
        assert!(check_task_resource(r, STD).unwrap_err().help().is_some());
    }
}

#[test]
fn accepted() {
    for r in [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::ecs:runTask.sync",
        "arn:aws:states:::http:invoke",
        "arn:aws:states:::aws-sdk:dynamodb:query",
        "arn:aws:states:::aws-sdk:s3:listObjectsV2",
        "arn:aws:states:::aws-sdk:ec2:describeInstances.waitForTaskToken",
        "arn:aws-cn:states:::sqs:sendMessage",
        "arn:aws:lambda:us-east-1:111111111111:function:f:$LATEST",
        "arn:aws:lambda:us-east-1:111111111111:function:f:12",
        "arn:aws:states:us-east-1:111111111111:activity:a",
    ] {
        let info = ok(r);
        assert!(info.notes.is_empty(), "{r}: {:?}", info.notes);
    }
    assert_eq!(
        ok("arn:aws:swf:us-east-1:123456789012:task:X").notes,
        vec![ResourceNote::UnrecognizedArn]
    );
    assert_eq!(
        ok("arn:aws:states:us-east-1:1:lambda:invoke").notes,
        vec![ResourceNote::FilledRegionOrAccount]
    );
    assert_eq!(
        ok("arn:aws:states:::aws-sdk:states:startExecution").notes,
        vec![ResourceNote::SdkServiceAlias { suggestion: "sfn" }]
    );
    assert_eq!(
        ok("arn:aws:states:::aws-sdk:lambda:invokeAsync").notes,
        vec![ResourceNote::SdkActionDocumentedUnsupported]
    );
}

#[test]
fn express_rules() {
    let e = check_task_resource("arn:aws:states:::states:startExecution.sync", EXP).unwrap_err();
    assert_eq!(
        e.message_at("/States/S/Resource"),
        "Express state machine does not support '.sync' service integration at /States/S/Resource"
    );
    let e = check_task_resource("arn:aws:states:::states:startExecution.sync:2", EXP).unwrap_err();
    assert_eq!(e, ResourceProblem::ExpressSync { pattern: SY2 });
    let e =
        check_task_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken", EXP).unwrap_err();
    assert_eq!(
        e.message_at("/States/S/Resource"),
        "Express state machine does not support '.waitForTaskToken' service integration  at /States/S/Resource"
    );
    let e = check_task_resource(
        "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
        EXP,
    )
    .unwrap_err();
    assert_eq!(e, ResourceProblem::ExpressWaitForTaskToken);
    let e = check_task_resource("arn:aws:states:us-east-1:1:activity:a", EXP).unwrap_err();
    assert_eq!(
        e.message(),
        "Express state machine does not support Activity ARN"
    );
    assert!(e.help().is_some());
    for r in [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
        "arn:aws:states:::http:invoke",
        "arn:aws:lambda:us-east-1:1:function:f",
    ] {
        assert!(check_task_resource(r, EXP).is_ok(), "{r}");
    }
}

#[test]
fn placeholders() {
    let info = ok("${LambdaArn}");
    assert_eq!(
        info.class,
        ResourceClass::Placeholder {
            name: "LambdaArn".into()
        }
    );
    let info = ok("arn:${AWS::Partition}:states:::lambda:invoke");
    assert_eq!(info.resource_type().as_deref(), Some("lambda"));
    assert_eq!(info.notes, vec![ResourceNote::ContainsPlaceholders]);
    let info = ok("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}");
    assert!(matches!(info.class, ResourceClass::LambdaFunction { .. }));
    // The hole hides what the resource is: accepted.
    assert!(matches!(
        ok("arn:aws:states:::${Service}:${Action}").class,
        ResourceClass::Placeholder { .. }
    ));
    // A literal suffix is still checked in EXPRESS machines.
    assert_eq!(
        check_task_resource(
            "arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken",
            EXP
        )
        .unwrap_err(),
        ResourceProblem::ExpressWaitForTaskToken
    );
    assert_eq!(whole_placeholder("${a}"), Some("a"));
    assert_eq!(whole_placeholder("${}"), None);
    assert_eq!(whole_placeholder("${a}${b}"), None);
}

#[test]
fn map_data_sources() {
    assert!(check_item_reader_resource("arn:aws:states:::s3:getObject").is_ok());
    assert!(check_item_reader_resource("arn:aws:states:::s3:listObjectsV2").is_ok());
    assert!(check_item_reader_resource("arn:aws:states:::s3:putObject").is_err());
    assert!(check_result_writer_resource("arn:aws:states:::s3:putObject").is_ok());
    assert!(check_result_writer_resource("arn:aws:states:::s3:getObject").is_err());
    assert!(check_item_reader_resource("${Reader}").is_ok());
    assert!(check_item_reader_resource("arn:aws:states:::s3:getObject.sync").is_err());
}

#[test]
fn sdk_error_names() {
    assert_eq!(sdk_error_prefix("dynamodb"), "DynamoDb");
    assert_eq!(sdk_error_prefix("sfn"), "Sfn");
    assert_eq!(sdk_error_prefix("iotevents"), "IotEvents");
    assert_eq!(sdk_error_prefix("kinesis"), "Kinesis");
    assert_eq!(sdk_exception_prefix("kinesis"), None);
    assert_eq!(sdk_error_prefix(""), "");
    assert_eq!(
        sdk_error_name("s3", Some("NoSuchKey")),
        "S3.NoSuchKeyException"
    );
    assert_eq!(
        sdk_error_name("dynamodb", Some("ResourceNotFoundException")),
        "DynamoDb.ResourceNotFoundException"
    );
    assert_eq!(
        sdk_error_name("dynamodb", None),
        "DynamoDb.DynamoDbException"
    );
    assert_eq!(
        sdk_error_name("secretsmanager", None),
        "SecretsManager.SecretsManagerException"
    );
    assert_eq!(
        sdk_error_name("acmpca", Some("ResourceNotFoundException")),
        "AcmPca.ResourceNotFoundException"
    );
}

// ---------------------------------------------------------------------------
// Corpus checks: every Task Resource of AWS-accepted definitions is accepted,
// and the AWS-rejected resources are rejected.

fn shared_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared");
    dir.is_dir().then_some(dir)
}

/// `(kind, resource)` for every Task / ItemReader / ResultWriter resource.
fn collect_resources(v: &serde_json::Value, out: &mut Vec<(&'static str, String)>) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("Type").and_then(|t| t.as_str()) == Some("Task") {
                if let Some(r) = m.get("Resource").and_then(|r| r.as_str()) {
                    out.push(("Task", r.to_owned()));
                }
            }
            for key in ["ItemReader", "ResultWriter"] {
                if let Some(r) = m
                    .get(key)
                    .and_then(|x| x.get("Resource"))
                    .and_then(|r| r.as_str())
                {
                    out.push((
                        if key == "ItemReader" {
                            "ItemReader"
                        } else {
                            "ResultWriter"
                        },
                        r.to_owned(),
                    ));
                }
            }
            m.values().for_each(|x| collect_resources(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_resources(x, out)),
        _ => {}
    }
}

fn check_any(kind: &str, r: &str, t: MachineType) -> Result<ResourceInfo, ResourceProblem> {
    match kind {
        "ItemReader" => check_item_reader_resource(r),
        "ResultWriter" => check_result_writer_resource(r),
        _ => check_task_resource(r, t),
    }
}

fn read_json(p: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
}

#[test]
fn lint_corpus_resources() {
    let Some(shared) = shared_dir() else {
        eprintln!("note: ../shared not found; lint corpus check skipped");
        return;
    };
    let corpus = shared.join("lint-corpus");
    let Some(manifest) = read_json(&corpus.join("manifest.json")) else {
        eprintln!("note: lint-corpus/manifest.json not found; skipped");
        return;
    };
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for entry in manifest.as_array().into_iter().flatten() {
        if entry["ambiguous"].as_bool() != Some(false) {
            continue;
        }
        let file = entry["file"].as_str().unwrap_or_default();
        let Some(def) = read_json(&corpus.join(file)) else {
            continue;
        };
        let mut resources = Vec::new();
        collect_resources(&def, &mut resources);
        match entry["label"].as_str() {
            Some("valid") => {
                for (kind, r) in &resources {
                    match check_any(kind, r, STD) {
                        Ok(_) => accepted += 1,
                        Err(e) => failures.push(format!("{file}: {kind} {r}: {e}")),
                    }
                }
            }
            Some("invalid") => {
                // Only files whose recorded error points at a Resource.
                let expected = &entry["expected"];
                let mut locations: Vec<&str> = expected["location"].as_str().into_iter().collect();
                for d in expected["diagnostics"].as_array().into_iter().flatten() {
                    locations.extend(d["location"].as_str());
                }
                if !locations.iter().any(|l| l.ends_with("/Resource")) {
                    continue;
                }
                let any_rejected = resources
                    .iter()
                    .any(|(kind, r)| check_any(kind, r, STD).is_err());
                if any_rejected {
                    rejected += 1;
                } else {
                    failures.push(format!("{file}: expected a rejected Resource"));
                }
                // The recorded message, with `<partition>` restored.
                if let Some(msg) = expected["message"].as_str() {
                    let msg = msg.replace("arn:<partition>:", "arn:aws:");
                    let produced: Vec<String> = resources
                        .iter()
                        .filter_map(|(kind, r)| check_any(kind, r, STD).err())
                        .map(|e| e.message())
                        .collect();
                    if !produced.contains(&msg) {
                        failures.push(format!("{file}: message {msg:?} not in {produced:?}"));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(accepted > 100, "only {accepted} resources checked");
    assert!(rejected >= 1, "no invalid Resource checked");
}

#[test]
fn conformance_resources() {
    let Some(shared) = shared_dir() else {
        eprintln!("note: ../shared not found; conformance check skipped");
        return;
    };
    let cases = shared.join("conformance/cases");
    let Ok(categories) = std::fs::read_dir(&cases) else {
        eprintln!("note: conformance/cases not found; skipped");
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for cat in categories.flatten() {
        for case in std::fs::read_dir(cat.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let dir = case.path();
            let Some(def) = read_json(&dir.join("definition.json")) else {
                continue;
            };
            let machine_type = read_json(&dir.join("meta.json"))
                .and_then(|m| m["type"].as_str().and_then(MachineType::parse))
                .unwrap_or_default();
            let mut resources = Vec::new();
            collect_resources(&def, &mut resources);
            for (kind, r) in resources {
                // `activity_arn` is the recording's placeholder for a real
                // activity ARN (see the case's history); check an activity
                // ARN in its place.
                let r = if r == "activity_arn" {
                    "arn:aws:states:us-east-1:111111111111:activity:activity_arn".to_owned()
                } else {
                    r
                };
                checked += 1;
                if let Err(e) = check_any(kind, &r, machine_type) {
                    failures.push(format!("{}: {kind} {r}: {e}", dir.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(checked > 100, "only {checked} resources checked");
}
