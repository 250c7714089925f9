//! The operations.

use super::driver::{Outside, Progress, RecordedAnswer, Resolution, RunSpec, WaitKind};
use super::error::{ServiceError, Validator};
use super::paging::{check_page_args, paginate};
use super::records::*;
use super::types::*;
use super::{ClockMode, Service, SfnResult};
use crate::conformance::tasks::{MockConfig, MockResolver};
use crate::engine::ExecutionConfig;
use crate::history::{
    DataDetails, ErrorDetails, EventDetails, ExecutionStartedEventDetails, HistoryEvent,
};
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
use crate::rng::Rng;
use asl_core::arn::{Arn, ArnKind};
use asl_core::integrations::IntegrationPattern;
use asl_core::names::{check_name, NameKind};
use serde_json::{json, Value};

/// How a [`Service`] is set up.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub account: String,
    pub region: String,
    pub seed: u64,
    pub clock: ClockMode,
    /// Virtual start time, epoch milliseconds.
    pub start: i64,
    /// Step Functions Local mock configuration (`--mock-config`).
    pub mock_config: Option<MockConfig>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            seed: 0,
            clock: ClockMode::Virtual,
            start: crate::clock::DEFAULT_START,
            mock_config: None,
        }
    }
}

const MAX_PAYLOAD: usize = 262_144;
const MAX_DEFINITION: usize = 1_048_576;
const MAX_TAGS: usize = 50;
const MAX_DEPTH: u32 = 16;
const STATUSES: &[&str] = &[
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "TIMED_OUT",
    "ABORTED",
    "PENDING_REDRIVE",
];
const INCLUDED_DATA: &[&str] = &["ALL_DATA", "METADATA_ONLY"];

fn ts(ms: i64) -> Timestamp {
    Timestamp(ms)
}

fn parse_arn(s: &str, kinds: &[ArnKind]) -> SfnResult<Arn> {
    Arn::parse_expecting(s, kinds).map_err(|e| ServiceError::new("InvalidArn", e.message()))
}

fn name_ok(kind: NameKind, name: &str) -> SfnResult<()> {
    check_name(kind, name).map_err(|e| ServiceError::new("InvalidName", e.aws_message()))
}

fn normal_logging(l: Option<&LoggingConfiguration>) -> LoggingConfiguration {
    let l = l.cloned().unwrap_or_default();
    LoggingConfiguration {
        level: Some(l.level.unwrap_or_else(|| "OFF".into())),
        include_execution_data: Some(l.include_execution_data.unwrap_or(false)),
        destinations: l.destinations.filter(|d| !d.is_empty()),
    }
}

fn normal_tracing(t: Option<&TracingConfiguration>) -> TracingConfiguration {
    TracingConfiguration {
        enabled: Some(t.and_then(|t| t.enabled).unwrap_or(false)),
    }
}

fn check_logging(v: &mut Validator, l: Option<&LoggingConfiguration>) {
    if let Some(l) = l {
        v.one_of(
            "loggingConfiguration.level",
            l.level.as_deref(),
            &["ALL", "ERROR", "FATAL", "OFF"],
        );
    }
}

fn logging_errors(l: Option<&LoggingConfiguration>) -> SfnResult<()> {
    let Some(l) = l else { return Ok(()) };
    let dests = l.destinations.as_deref().unwrap_or(&[]);
    let bad = |m: &str| {
        Err(ServiceError::new(
            "InvalidLoggingConfiguration",
            format!("Invalid Logging Configuration: {m}"),
        ))
    };
    if dests.len() > 1 {
        return bad("Must contain only one destination.");
    }
    if l.level.as_deref().unwrap_or("OFF") != "OFF" && dests.is_empty() {
        return bad("Destination must be specified when level is not OFF.");
    }
    for d in dests {
        let arn = d
            .cloud_watch_logs_log_group
            .as_ref()
            .and_then(|g| g.log_group_arn.as_deref())
            .unwrap_or("");
        if !(arn.starts_with("arn:") && arn.ends_with(":*")) {
            return bad(&format!(
                "The CloudWatch Logs Log Group ARN '{arn}' is not valid: it must end with ':*'."
            ));
        }
    }
    Ok(())
}

fn check_encryption(v: &mut Validator, e: Option<&EncryptionConfiguration>) {
    if let Some(e) = e {
        v.required("encryptionConfiguration.type", &e.r#type);
        v.one_of(
            "encryptionConfiguration.type",
            e.r#type.as_deref(),
            &["AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"],
        );
        v.range(
            "encryptionConfiguration.kmsDataKeyReusePeriodSeconds",
            e.kms_data_key_reuse_period_seconds,
            60,
            900,
        );
        v.length(
            "encryptionConfiguration.kmsKeyId",
            e.kms_key_id.as_deref(),
            1,
            2048,
        );
    }
}

fn check_tags(v: &mut Validator, tags: Option<&[Tag]>) {
    for (i, t) in tags.unwrap_or(&[]).iter().enumerate() {
        let k = format!("tags.{}.member.key", i + 1);
        let val = format!("tags.{}.member.value", i + 1);
        v.length(&k, t.key.as_deref(), 1, 128);
        v.length(&val, t.value.as_deref(), 0, 256);
        if let Some(key) = &t.key {
            if check_name(NameKind::TagKey, key).is_err()
                && !key.is_empty()
                && key.chars().count() <= 128
            {
                v.push(format!("Value '{key}' at '{k}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?!aws:)[\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*$"));
            }
        }
        if let Some(value) = &t.value {
            if check_name(NameKind::TagValue, value).is_err() && value.chars().count() <= 256 {
                v.push(format!("Value '{value}' at '{val}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*$"));
            }
        }
    }
}

fn too_many_tags(arn: &str) -> ServiceError {
    ServiceError::new(
        "TooManyTags",
        format!("Too many tags for resource '{arn}': at most {MAX_TAGS} are allowed"),
    )
    .with_resource(arn)
}

fn merge_tags(existing: &mut Vec<Tag>, new: &[Tag]) {
    for t in new {
        match existing.iter_mut().find(|e| e.key == t.key) {
            Some(e) => e.value = Some(t.value.clone().unwrap_or_default()),
            None => existing.push(Tag {
                key: t.key.clone(),
                value: Some(t.value.clone().unwrap_or_default()),
            }),
        }
    }
}

fn lint_type(t: &str) -> asl_lint::context::MachineType {
    if t == "EXPRESS" {
        asl_lint::context::MachineType::Express
    } else {
        asl_lint::context::MachineType::Standard
    }
}

fn location_of(d: &asl_lint::diagnostic::Diagnostic) -> String {
    if d.pointer.is_empty() {
        "/".into()
    } else {
        d.pointer.clone()
    }
}

/// `InvalidDefinition` for a definition asl-lint rejects.
fn validate_definition(definition: &str, ty: &str) -> SfnResult<()> {
    use asl_lint::diagnostic::Severity;
    let opts = asl_lint::context::LintOptions {
        machine_type: lint_type(ty),
    };
    let diags = asl_lint::lint::lint_text(definition, asl_lint::lint::SourceFormat::Json, &opts);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{}: {} at {}",
                d.aws_code.unwrap_or("SCHEMA_VALIDATION_FAILED"),
                d.message,
                location_of(d)
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::new(
            "InvalidDefinition",
            format!("Invalid State Machine Definition: '{}'", errors.join(", ")),
        ))
    }
}

fn json_text_error(text: &str) -> Option<String> {
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

/// Strips `#TestCase` from a StartExecution ARN.
fn split_test_case(arn: &str) -> (&str, Option<&str>) {
    match arn.split_once('#') {
        Some((a, t)) => (a, Some(t)),
        None => (arn, None),
    }
}

fn execution_description(rec: &ExecutionRecord, parsed: bool) -> Value {
    let data = |s: &Option<String>| -> Value {
        match s {
            Some(s) if parsed => serde_json::from_str(s).unwrap_or(Value::String(s.clone())),
            Some(s) => Value::String(s.clone()),
            None => Value::Null,
        }
    };
    let mut m = serde_json::Map::new();
    m.insert("ExecutionArn".into(), rec.arn.clone().into());
    m.insert("Input".into(), data(&Some(rec.input.clone())));
    m.insert("InputDetails".into(), json!({"Included": true}));
    m.insert("Name".into(), rec.name.clone().into());
    if rec.status == "SUCCEEDED" {
        m.insert("Output".into(), data(&rec.output));
        m.insert("OutputDetails".into(), json!({"Included": true}));
    }
    m.insert("StartDate".into(), rec.start.into());
    m.insert(
        "StateMachineArn".into(),
        rec.state_machine_arn.clone().into(),
    );
    m.insert("Status".into(), rec.status.clone().into());
    if let Some(s) = rec.stop {
        m.insert("StopDate".into(), s.into());
    }
    if let Some(e) = &rec.error {
        m.insert("Error".into(), e.clone().into());
    }
    if let Some(c) = &rec.cause {
        m.insert("Cause".into(), c.clone().into());
    }
    Value::Object(m)
}

/// Finds a task token (the engine's format) among the strings of `v`.
fn find_token(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.len() == 172 && s.starts_with("AQB4") => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(find_token),
        Value::Object(o) => o.values().find_map(find_token),
        _ => None,
    }
}

fn looks_like_token(s: &str) -> bool {
    s.len() == 172
        && s.starts_with("AQB4")
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn sdk_error_name(code: &str) -> String {
    if code.ends_with("Exception") {
        format!("StepFunctions.{code}")
    } else {
        format!("StepFunctions.{code}Exception")
    }
}

/// The service side of a run.
struct ServiceOutside<'a> {
    svc: &'a mut Service,
    parent_arn: String,
    parent_start: i64,
    mock: Option<MockResolver>,
    new_children: Vec<(u32, String)>,
    children: std::collections::BTreeMap<u32, String>,
}

impl Outside for ServiceOutside<'_> {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Resolution {
        if let Some(m) = &mut self.mock {
            if let Some(a) = m.resolve(inv) {
                return Resolution::Answer(a);
            }
        }
        match Arn::parse(inv.resource) {
            Ok(Arn::Activity { .. }) => {
                if self.svc.state.activities.contains_key(inv.resource) {
                    Resolution::Wait(WaitKind::Activity {
                        activity_arn: inv.resource.to_owned(),
                    })
                } else {
                    Resolution::Answer(TaskAnswer::ScheduleFailed {
                        error: Some("States.Runtime".into()),
                        cause: Some(format!("Activity Does Not Exist: '{}'", inv.resource)),
                    })
                }
            }
            Ok(Arn::ServiceIntegration {
                service,
                action,
                pattern,
                ..
            }) if service == "states" && action == "startExecution" => self.child(inv, pattern),
            Ok(Arn::ServiceIntegration {
                pattern: IntegrationPattern::WaitForTaskToken,
                ..
            })
            | Ok(Arn::AwsSdk {
                pattern: IntegrationPattern::WaitForTaskToken,
                ..
            }) => Resolution::Wait(WaitKind::Callback {
                token: find_token(inv.parameters),
            }),
            _ => Resolution::Nobody,
        }
    }
}

impl ServiceOutside<'_> {
    fn child(&mut self, inv: &Invocation<'_>, pattern: IntegrationPattern) -> Resolution {
        let k = inv.execution_invocation;
        let child_arn = match self.children.get(&k) {
            Some(a) => a.clone(),
            None => {
                let p = inv.parameters;
                let sm = p
                    .get("StateMachineArn")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let input = match p.get("Input") {
                    None | Some(Value::Null) => "{}".to_owned(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                };
                let name = match p.get("Name").and_then(Value::as_str) {
                    Some(n) => n.to_owned(),
                    None => Rng::new(self.svc.seed)
                        .child_named(&format!("{}#{k}", self.parent_arn))
                        .uuid_v4(),
                };
                if self.svc.depth >= MAX_DEPTH {
                    return Resolution::Answer(TaskAnswer::Failed {
                        error: Some("AslSim.ExecutionDepthExceeded".into()),
                        cause: Some(format!(
                            "child executions nest deeper than {MAX_DEPTH} levels"
                        )),
                    });
                }
                let req = StartExecutionInput {
                    state_machine_arn: Some(sm),
                    name: Some(name),
                    input: Some(input),
                    trace_header: None,
                };
                match self.svc.start_inner(
                    req,
                    Some((self.parent_arn.clone(), k)),
                    Some(self.parent_start),
                    false,
                ) {
                    Ok(arn) => {
                        self.children.insert(k, arn.clone());
                        self.new_children.push((k, arn.clone()));
                        arn
                    }
                    Err(e) => {
                        return Resolution::Answer(TaskAnswer::Failed {
                            error: Some(sdk_error_name(e.code)),
                            cause: Some(e.message),
                        })
                    }
                }
            }
        };
        let Some(rec) = self.svc.state.executions.get(&child_arn) else {
            return Resolution::Nobody;
        };
        match pattern {
            IntegrationPattern::RequestResponse => Resolution::Answer(TaskAnswer::Succeeded {
                output: json!({"ExecutionArn": rec.arn, "StartDate": rec.start}),
                submitted_output: None,
            }),
            IntegrationPattern::WaitForTaskToken => Resolution::Wait(WaitKind::Callback {
                token: find_token(inv.parameters),
            }),
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => {
                if rec.status == "RUNNING" {
                    return Resolution::Wait(WaitKind::Child {
                        execution_arn: child_arn,
                    });
                }
                let d = execution_description(rec, pattern == IntegrationPattern::Sync2);
                if rec.status == "SUCCEEDED" {
                    Resolution::Answer(TaskAnswer::Succeeded {
                        output: d,
                        submitted_output: None,
                    })
                } else {
                    Resolution::Answer(TaskAnswer::Failed {
                        error: Some("States.TaskFailed".into()),
                        cause: Some(d.to_string()),
                    })
                }
            }
        }
    }
}

impl Service {
    fn head(&self) -> String {
        format!("arn:aws:states:{}:{}", self.region, self.account)
    }

    fn next_id(&mut self) -> String {
        self.state.ids_issued += 1;
        Rng::new(self.seed).child(self.state.ids_issued).uuid_v4()
    }

    fn next_token(&mut self) -> String {
        self.state.ids_issued += 1;
        Rng::new(self.seed)
            .child_named("task-token")
            .child(self.state.ids_issued)
            .task_token()
    }

    fn touch(&mut self) {
        self.state.generation += 1;
    }

    /// Time skipping: with nothing waiting on an outside actor, the virtual
    /// clock jumps to the end of every execution; and DELETING state
    /// machines without running executions go away.
    fn settle(&mut self) {
        if self.clock.mode() == ClockMode::Virtual && self.state.blocked.is_empty() {
            self.clock.skip_to(self.state.max_stop);
        }
        let now = self.clock.now();
        let deleting: Vec<String> = self
            .state
            .state_machines
            .values()
            .filter(|s| s.deleting)
            .map(|s| s.arn.clone())
            .collect();
        for arn in deleting {
            let execs = self
                .state
                .by_state_machine
                .get(&arn)
                .cloned()
                .unwrap_or_default();
            let running = execs.iter().any(|e| {
                self.state
                    .executions
                    .get(e)
                    .is_some_and(|r| !r.closed_at(now))
            });
            if !running {
                self.state.state_machines.remove(&arn);
                for e in self.state.by_state_machine.remove(&arn).unwrap_or_default() {
                    self.state.executions.remove(&e);
                }
            }
        }
    }

    // ---- activities -------------------------------------------------------

    pub fn create_activity(&mut self, req: CreateActivityInput) -> SfnResult<CreateActivityOutput> {
        let mut v = Validator::new();
        v.required("name", &req.name);
        v.length("name", req.name.as_deref(), 1, 80);
        check_tags(&mut v, req.tags.as_deref());
        check_encryption(&mut v, req.encryption_configuration.as_ref());
        v.finish()?;
        let name = req.name.unwrap_or_default();
        name_ok(NameKind::Activity, &name)?;
        let arn = format!("{}:activity:{name}", self.head());
        if let Some(a) = self.state.activities.get(&arn) {
            return Ok(CreateActivityOutput {
                activity_arn: arn,
                creation_date: ts(a.creation_date),
            });
        }
        let tags = req.tags.unwrap_or_default();
        if tags.len() > MAX_TAGS {
            return Err(too_many_tags(&arn));
        }
        let now = self.now();
        self.state.activities.insert(
            arn.clone(),
            ActivityRecord {
                arn: arn.clone(),
                name,
                creation_date: now,
                tags,
                encryption: req.encryption_configuration,
            },
        );
        self.touch();
        Ok(CreateActivityOutput {
            activity_arn: arn,
            creation_date: ts(now),
        })
    }

    pub fn delete_activity(&mut self, req: DeleteActivityInput) -> SfnResult<Empty> {
        let mut v = Validator::new();
        v.required("activityArn", &req.activity_arn);
        v.length("activityArn", req.activity_arn.as_deref(), 1, 256);
        v.finish()?;
        let arn = req.activity_arn.unwrap_or_default();
        parse_arn(&arn, &[ArnKind::Activity])?;
        self.state.activities.remove(&arn);
        self.state.activity_queues.remove(&arn);
        self.touch();
        Ok(Empty {})
    }

    fn activity(&self, arn: Option<&str>, member: &str) -> SfnResult<&ActivityRecord> {
        let mut v = Validator::new();
        v.required(member, &arn);
        v.length(member, arn, 1, 256);
        v.finish()?;
        let arn = arn.unwrap_or_default();
        parse_arn(arn, &[ArnKind::Activity])?;
        self.state
            .activities
            .get(arn)
            .ok_or_else(|| ServiceError::activity_does_not_exist(arn))
    }

    pub fn describe_activity(
        &mut self,
        req: DescribeActivityInput,
    ) -> SfnResult<DescribeActivityOutput> {
        let a = self.activity(req.activity_arn.as_deref(), "activityArn")?;
        Ok(DescribeActivityOutput {
            activity_arn: a.arn.clone(),
            name: a.name.clone(),
            creation_date: ts(a.creation_date),
            encryption_configuration: Some(a.encryption.clone().unwrap_or(
                EncryptionConfiguration {
                    r#type: Some("AWS_OWNED_KEY".into()),
                    ..Default::default()
                },
            )),
        })
    }

    pub fn list_activities(&mut self, req: ListActivitiesInput) -> SfnResult<ListActivitiesOutput> {
        let mut v = Validator::new();
        check_page_args(&mut v, req.max_results, req.next_token.as_deref(), 1024);
        v.finish()?;
        let items: Vec<ActivityListItem> = self
            .state
            .activities
            .values()
            .map(|a| ActivityListItem {
                activity_arn: a.arn.clone(),
                name: a.name.clone(),
                creation_date: ts(a.creation_date),
            })
            .collect();
        let (page, next) = paginate(
            &self.pager,
            &items,
            "ListActivities",
            req.max_results,
            req.next_token.as_deref(),
            self.now(),
        )?;
        Ok(ListActivitiesOutput {
            activities: page,
            next_token: next,
        })
    }

    /// Hands out the oldest task scheduled for the activity, or an empty
    /// answer at once (the HTTP server adds the long poll).
    pub fn get_activity_task(
        &mut self,
        req: GetActivityTaskInput,
    ) -> SfnResult<GetActivityTaskOutput> {
        let mut v = Validator::new();
        v.length("workerName", req.worker_name.as_deref(), 1, 80);
        v.finish()?;
        let arn = self
            .activity(req.activity_arn.as_deref(), "activityArn")?
            .arn
            .clone();
        if let Some(w) = &req.worker_name {
            name_ok(NameKind::WorkerName, w)?;
        }
        loop {
            let Some(task) = self
                .state
                .activity_queues
                .get_mut(&arn)
                .and_then(|q| q.pop_front())
            else {
                return Ok(GetActivityTaskOutput::default());
            };
            let live = self
                .state
                .executions
                .get(&task.execution_arn)
                .is_some_and(|e| {
                    e.waiting
                        .as_ref()
                        .is_some_and(|w| w.invocation == task.invocation)
                });
            if !live {
                continue;
            }
            let token = self.next_token();
            self.state.tokens.insert(
                token.clone(),
                TokenRecord {
                    execution_arn: task.execution_arn,
                    invocation: task.invocation,
                    closed: false,
                    worker_name: req.worker_name.clone(),
                },
            );
            self.touch();
            return Ok(GetActivityTaskOutput {
                task_token: Some(token),
                input: Some(task.input),
            });
        }
    }

    /// Whether a GetActivityTask for this activity would get a task now.
    pub fn activity_has_task(&self, activity_arn: &str) -> bool {
        self.state
            .activity_queues
            .get(activity_arn)
            .is_some_and(|q| !q.is_empty())
    }

    // ---- state machines ---------------------------------------------------

    pub fn create_state_machine(
        &mut self,
        req: CreateStateMachineInput,
    ) -> SfnResult<CreateStateMachineOutput> {
        let mut v = Validator::new();
        v.required("name", &req.name);
        v.required("definition", &req.definition);
        v.required("roleArn", &req.role_arn);
        v.length("name", req.name.as_deref(), 1, 80);
        v.length_sensitive("definition", req.definition.as_deref(), 1, MAX_DEFINITION);
        v.length("roleArn", req.role_arn.as_deref(), 1, 256);
        v.one_of("type", req.r#type.as_deref(), &["STANDARD", "EXPRESS"]);
        v.length(
            "versionDescription",
            req.version_description.as_deref(),
            0,
            256,
        );
        check_logging(&mut v, req.logging_configuration.as_ref());
        check_tags(&mut v, req.tags.as_deref());
        check_encryption(&mut v, req.encryption_configuration.as_ref());
        v.finish()?;
        if req.version_description.is_some() && req.publish != Some(true) {
            return Err(ServiceError::new(
                "ValidationException",
                "Version description can only be set when publish is true",
            ));
        }
        let name = req.name.unwrap_or_default();
        name_ok(NameKind::StateMachine, &name)?;
        let role = req.role_arn.unwrap_or_default();
        Arn::parse(&role).map_err(|_| ServiceError::invalid_arn(&role))?;
        logging_errors(req.logging_configuration.as_ref())?;
        let ty = req.r#type.unwrap_or_else(|| "STANDARD".into());
        if ty == "EXPRESS" && req.logging_configuration.is_none() {
            // allowed: EXPRESS logging is optional
        }
        let definition = req.definition.unwrap_or_default();
        validate_definition(&definition, &ty)?;
        let logging = normal_logging(req.logging_configuration.as_ref());
        let tracing = normal_tracing(req.tracing_configuration.as_ref());
        let arn = format!("{}:stateMachine:{name}", self.head());
        if let Some(sm) = self.state.state_machines.get(&arn) {
            if sm.deleting {
                return Err(ServiceError::new(
                    "StateMachineDeleting",
                    format!("State Machine is being deleted: '{arn}'"),
                ));
            }
            let same = sm.definition == definition
                && sm.r#type == ty
                && sm.logging == logging
                && sm.tracing == tracing
                && sm.encryption == req.encryption_configuration;
            if same {
                let version = (req.publish == Some(true))
                    .then(|| sm.versions.keys().next_back().map(|n| format!("{arn}:{n}")))
                    .flatten();
                return Ok(CreateStateMachineOutput {
                    state_machine_arn: arn,
                    creation_date: ts(sm.creation_date),
                    state_machine_version_arn: version,
                });
            }
            return Err(ServiceError::new(
                "StateMachineAlreadyExists",
                format!("State Machine Already Exists: '{arn}'"),
            ));
        }
        let tags = req.tags.unwrap_or_default();
        if tags.len() > MAX_TAGS {
            return Err(too_many_tags(&arn));
        }
        let now = self.now();
        let revision_id = self.next_id();
        let mut rec = StateMachineRecord {
            arn: arn.clone(),
            name,
            definition,
            role_arn: role,
            r#type: ty,
            creation_date: now,
            update_date: now,
            logging,
            tracing,
            encryption: req.encryption_configuration,
            tags,
            revision_id,
            deleting: false,
            versions: Default::default(),
            next_version: 1,
        };
        let version =
            (req.publish == Some(true)).then(|| publish(&mut rec, req.version_description, now));
        self.state.state_machines.insert(arn.clone(), rec);
        self.touch();
        Ok(CreateStateMachineOutput {
            state_machine_arn: arn,
            creation_date: ts(now),
            state_machine_version_arn: version,
        })
    }

    /// Looks a state machine up by any accepted ARN form; returns the base
    /// ARN and the version, label.
    fn resolve_state_machine(
        &self,
        arn: &str,
        kinds: &[ArnKind],
    ) -> SfnResult<(String, Option<u64>, Option<String>)> {
        let parsed = parse_arn(arn, kinds)?;
        let (base, version, label) = match &parsed {
            Arn::StateMachineVersion { version, .. } => (
                parsed.base_state_machine().map(|a| a.to_string()),
                Some(*version),
                None,
            ),
            Arn::LabelledStateMachine { label, .. } => (
                parsed.base_state_machine().map(|a| a.to_string()),
                None,
                Some(label.clone()),
            ),
            Arn::StateMachineAlias { .. } => {
                return Err(ServiceError::state_machine_does_not_exist(arn))
            }
            _ => (Some(arn.to_owned()), None, None),
        };
        let base = base.unwrap_or_else(|| arn.to_owned());
        let sm = self
            .state
            .state_machines
            .get(&base)
            .ok_or_else(|| ServiceError::state_machine_does_not_exist(arn))?;
        if let Some(v) = version {
            if !sm.versions.contains_key(&v) {
                return Err(ServiceError::state_machine_does_not_exist(arn));
            }
        }
        Ok((base, version, label))
    }

    fn sm_arn_arg(&self, arn: Option<&str>) -> SfnResult<String> {
        let mut v = Validator::new();
        v.required("stateMachineArn", &arn);
        v.length("stateMachineArn", arn, 1, 256);
        v.finish()?;
        Ok(arn.unwrap_or_default().to_owned())
    }

    pub fn describe_state_machine(
        &mut self,
        req: DescribeStateMachineInput,
    ) -> SfnResult<DescribeStateMachineOutput> {
        let arn = self.sm_arn_arg(req.state_machine_arn.as_deref())?;
        let mut v = Validator::new();
        v.one_of("includedData", req.included_data.as_deref(), INCLUDED_DATA);
        v.finish()?;
        let (base, version, label) = self.resolve_state_machine(
            &arn,
            &[
                ArnKind::StateMachine,
                ArnKind::StateMachineVersion,
                ArnKind::StateMachineAlias,
                ArnKind::LabelledStateMachine,
            ],
        )?;
        let sm = &self.state.state_machines[&base];
        let (definition, role, revision, created, description) =
            match version.and_then(|n| sm.versions.get(&n)) {
                Some(ver) => (
                    ver.definition.clone(),
                    ver.role_arn.clone(),
                    ver.revision_id.clone(),
                    ver.creation_date,
                    ver.description.clone(),
                ),
                None => (
                    sm.definition.clone(),
                    sm.role_arn.clone(),
                    sm.revision_id.clone(),
                    sm.creation_date,
                    None,
                ),
            };
        Ok(DescribeStateMachineOutput {
            state_machine_arn: arn,
            name: sm.name.clone(),
            definition,
            role_arn: role,
            r#type: sm.r#type.clone(),
            creation_date: ts(created),
            status: Some(if sm.deleting { "DELETING" } else { "ACTIVE" }.into()),
            logging_configuration: Some(sm.logging.clone()),
            tracing_configuration: Some(sm.tracing.clone()),
            label,
            revision_id: Some(revision),
            description,
            encryption_configuration: sm.encryption.clone(),
            variable_references: None,
        })
    }

    pub fn update_state_machine(
        &mut self,
        req: UpdateStateMachineInput,
    ) -> SfnResult<UpdateStateMachineOutput> {
        let arn = self.sm_arn_arg(req.state_machine_arn.as_deref())?;
        let mut v = Validator::new();
        v.length_sensitive("definition", req.definition.as_deref(), 1, MAX_DEFINITION);
        v.length("roleArn", req.role_arn.as_deref(), 1, 256);
        v.length(
            "versionDescription",
            req.version_description.as_deref(),
            0,
            256,
        );
        check_logging(&mut v, req.logging_configuration.as_ref());
        check_encryption(&mut v, req.encryption_configuration.as_ref());
        v.finish()?;
        let parsed = parse_arn(
            &arn,
            &[
                ArnKind::StateMachine,
                ArnKind::StateMachineVersion,
                ArnKind::StateMachineAlias,
                ArnKind::LabelledStateMachine,
            ],
        )?;
        match parsed.kind() {
            ArnKind::LabelledStateMachine => {
                return Err(ServiceError::new(
                    "ValidationException",
                    format!("Unsupported operation on a labelled state machine ARN: '{arn}'"),
                )
                .with_reason("API_DOES_NOT_SUPPORT_LABELED_ARNS"))
            }
            ArnKind::StateMachine => {}
            _ => {
                return Err(ServiceError::new(
                    "ValidationException",
                    format!("Invalid state machine ARN: '{arn}' is a version or alias ARN"),
                ))
            }
        }
        if req.definition.is_none()
            && req.role_arn.is_none()
            && req.logging_configuration.is_none()
            && req.tracing_configuration.is_none()
            && req.encryption_configuration.is_none()
        {
            return Err(ServiceError::new(
                "MissingRequiredParameter",
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
            ));
        }
        if req.version_description.is_some() && req.publish != Some(true) {
            return Err(ServiceError::new(
                "ValidationException",
                "Version description can only be set when publish is true",
            ));
        }
        let sm = self
            .state
            .state_machines
            .get(&arn)
            .ok_or_else(|| ServiceError::state_machine_does_not_exist(&arn))?;
        if sm.deleting {
            return Err(ServiceError::new(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{arn}'"),
            ));
        }
        if let Some(role) = &req.role_arn {
            Arn::parse(role).map_err(|_| ServiceError::invalid_arn(role))?;
        }
        logging_errors(req.logging_configuration.as_ref())?;
        if let Some(d) = &req.definition {
            validate_definition(d, &sm.r#type)?;
        }
        let now = self.now();
        let revision = self.next_id();
        let sm = self
            .state
            .state_machines
            .get_mut(&arn)
            .expect("checked above");
        if let Some(d) = req.definition {
            sm.definition = d;
        }
        if let Some(r) = req.role_arn {
            sm.role_arn = r;
        }
        if let Some(l) = &req.logging_configuration {
            sm.logging = normal_logging(Some(l));
        }
        if let Some(t) = &req.tracing_configuration {
            sm.tracing = normal_tracing(Some(t));
        }
        if let Some(e) = req.encryption_configuration {
            sm.encryption = Some(e);
        }
        sm.update_date = now;
        sm.revision_id = revision.clone();
        let version =
            (req.publish == Some(true)).then(|| publish(sm, req.version_description, now));
        self.touch();
        Ok(UpdateStateMachineOutput {
            update_date: ts(now),
            revision_id: Some(revision),
            state_machine_version_arn: version,
        })
    }

    pub fn delete_state_machine(&mut self, req: DeleteStateMachineInput) -> SfnResult<Empty> {
        let arn = self.sm_arn_arg(req.state_machine_arn.as_deref())?;
        let parsed = parse_arn(
            &arn,
            &[
                ArnKind::StateMachine,
                ArnKind::StateMachineVersion,
                ArnKind::StateMachineAlias,
                ArnKind::LabelledStateMachine,
            ],
        )?;
        match parsed {
            Arn::LabelledStateMachine { .. } => {
                return Err(ServiceError::new(
                    "ValidationException",
                    format!("Unsupported operation on a labelled state machine ARN: '{arn}'"),
                )
                .with_reason("API_DOES_NOT_SUPPORT_LABELED_ARNS"))
            }
            Arn::StateMachineVersion { version, .. } => {
                if let Some(base) = parsed.base_state_machine().map(|a| a.to_string()) {
                    if let Some(sm) = self.state.state_machines.get_mut(&base) {
                        sm.versions.remove(&version);
                    }
                }
            }
            Arn::StateMachine { .. } => {
                if let Some(sm) = self.state.state_machines.get_mut(&arn) {
                    sm.deleting = true;
                }
                self.settle();
            }
            _ => {}
        }
        self.touch();
        Ok(Empty {})
    }

    pub fn list_state_machines(
        &mut self,
        req: ListStateMachinesInput,
    ) -> SfnResult<ListStateMachinesOutput> {
        let mut v = Validator::new();
        check_page_args(&mut v, req.max_results, req.next_token.as_deref(), 1024);
        v.finish()?;
        let items: Vec<StateMachineListItem> = self
            .state
            .state_machines
            .values()
            .map(|s| StateMachineListItem {
                state_machine_arn: s.arn.clone(),
                name: s.name.clone(),
                r#type: s.r#type.clone(),
                creation_date: ts(s.creation_date),
            })
            .collect();
        let (page, next) = paginate(
            &self.pager,
            &items,
            "ListStateMachines",
            req.max_results,
            req.next_token.as_deref(),
            self.now(),
        )?;
        Ok(ListStateMachinesOutput {
            state_machines: page,
            next_token: next,
        })
    }

    // ---- executions -------------------------------------------------------

    fn check_start(
        &self,
        v: &mut Validator,
        arn: Option<&str>,
        name: Option<&str>,
        input: Option<&str>,
        trace: Option<&str>,
    ) {
        v.required("stateMachineArn", &arn);
        v.length("stateMachineArn", arn, 1, 256 + 256);
        v.length("name", name, 1, 80);
        v.length_sensitive("input", input, 0, MAX_PAYLOAD);
        v.length("traceHeader", trace, 0, 256);
    }

    pub fn start_execution(&mut self, req: StartExecutionInput) -> SfnResult<StartExecutionOutput> {
        let mut v = Validator::new();
        self.check_start(
            &mut v,
            req.state_machine_arn.as_deref(),
            req.name.as_deref(),
            req.input.as_deref(),
            req.trace_header.as_deref(),
        );
        v.finish()?;
        let arn = self.start_inner(req, None, None, false)?;
        let rec = &self.state.executions[&arn];
        Ok(StartExecutionOutput {
            execution_arn: arn.clone(),
            start_date: ts(rec.start),
        })
    }

    pub fn start_sync_execution(
        &mut self,
        req: StartSyncExecutionInput,
    ) -> SfnResult<StartSyncExecutionOutput> {
        let mut v = Validator::new();
        self.check_start(
            &mut v,
            req.state_machine_arn.as_deref(),
            req.name.as_deref(),
            req.input.as_deref(),
            req.trace_header.as_deref(),
        );
        v.one_of("includedData", req.included_data.as_deref(), INCLUDED_DATA);
        v.finish()?;
        let metadata_only = req.included_data.as_deref() == Some("METADATA_ONLY");
        let start_req = StartExecutionInput {
            state_machine_arn: req.state_machine_arn,
            name: req.name,
            input: req.input,
            trace_header: req.trace_header,
        };
        let arn = self.start_inner(start_req, None, None, true)?;
        let rec = self.state.executions.remove(&arn).expect("just started");
        let stop = rec.stop.unwrap_or(rec.start);
        let (status, error, cause) = if rec.status == "RUNNING" {
            (
                "FAILED".to_owned(),
                Some("AslSim.NotYetSupported".to_owned()),
                Some(format!(
                    "the execution waits on an outside actor at state '{}'; express executions cannot wait",
                    rec.waiting.as_ref().map(|w| w.state.as_str()).unwrap_or("?")
                )),
            )
        } else {
            (rec.status.clone(), rec.error.clone(), rec.cause.clone())
        };
        let billed = ((stop - rec.start).max(1) + 99) / 100 * 100;
        let included = Some(CloudWatchEventsExecutionDataDetails {
            included: Some(!metadata_only),
        });
        Ok(StartSyncExecutionOutput {
            execution_arn: rec.arn.clone(),
            start_date: ts(rec.start),
            stop_date: ts(stop),
            status: status.clone(),
            state_machine_arn: Some(rec.state_machine_arn.clone()),
            name: Some(rec.name.clone()),
            error,
            cause,
            input: (!metadata_only).then(|| rec.input.clone()),
            input_details: included.clone(),
            output: if status == "SUCCEEDED" && !metadata_only {
                rec.output.clone()
            } else {
                None
            },
            output_details: (status == "SUCCEEDED").then_some(included).flatten(),
            trace_header: rec.trace_header.clone(),
            billing_details: Some(BillingDetails {
                billed_memory_used_in_mb: Some(64),
                billed_duration_in_milliseconds: Some(billed),
            }),
        })
    }

    /// Starts an execution and drives it as far as it goes; returns its ARN.
    pub(super) fn start_inner(
        &mut self,
        req: StartExecutionInput,
        parent: Option<(String, u32)>,
        start_at: Option<i64>,
        sync: bool,
    ) -> SfnResult<String> {
        let given = req.state_machine_arn.unwrap_or_default();
        let (sm_arn_given, test_case) = split_test_case(&given);
        let parsed = parse_arn(
            sm_arn_given,
            &[
                ArnKind::StateMachine,
                ArnKind::StateMachineVersion,
                ArnKind::StateMachineAlias,
                ArnKind::LabelledStateMachine,
            ],
        )?;
        if parsed.kind() == ArnKind::LabelledStateMachine {
            return Err(ServiceError::new(
                "ValidationException",
                format!("Unsupported operation on a labelled state machine ARN: '{sm_arn_given}'"),
            )
            .with_reason("API_DOES_NOT_SUPPORT_LABELED_ARNS"));
        }
        let (base, version, _) = self.resolve_state_machine(
            sm_arn_given,
            &[
                ArnKind::StateMachine,
                ArnKind::StateMachineVersion,
                ArnKind::StateMachineAlias,
            ],
        )?;
        let sm = &self.state.state_machines[&base];
        if sm.deleting {
            return Err(ServiceError::new(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{base}'"),
            ));
        }
        let express = sm.r#type == "EXPRESS";
        if sync && !express {
            return Err(ServiceError::type_not_supported());
        }
        if let Some(name) = &req.name {
            name_ok(NameKind::Execution, name)?;
        }
        let input = req.input.unwrap_or_else(|| "{}".into());
        if let Some(e) = json_text_error(&input) {
            return Err(ServiceError::new(
                "InvalidExecutionInput",
                format!("Invalid State Machine Execution Input: '{e}'"),
            ));
        }
        if let Some(tc) = test_case {
            let ok = self.mock.as_ref().is_some_and(|m| {
                m.state_machines
                    .get(&sm.name)
                    .is_some_and(|c| c.contains_key(tc))
            });
            if !ok {
                return Err(ServiceError::new(
                    "ValidationException",
                    format!(
                        "Test case '{tc}' for state machine '{}' is not in the mock configuration",
                        sm.name
                    ),
                ));
            }
        }
        let (definition, role, revision) = match version.and_then(|n| sm.versions.get(&n)) {
            Some(v) => (
                v.definition.clone(),
                v.role_arn.clone(),
                v.revision_id.clone(),
            ),
            None => (
                sm.definition.clone(),
                sm.role_arn.clone(),
                sm.revision_id.clone(),
            ),
        };
        let (sm_name, sm_update, logging, tracing) = (
            sm.name.clone(),
            sm.update_date,
            sm.logging.clone(),
            sm.tracing.clone(),
        );
        let name = match req.name {
            Some(n) => n,
            None => self.next_id(),
        };
        let arn = if express {
            let id = self.next_id();
            format!("{}:express:{sm_name}:{name}:{id}", self.head())
        } else {
            format!("{}:execution:{sm_name}:{name}", self.head())
        };
        let now = self.now();
        if let Some(existing) = self.state.executions.get(&arn) {
            if !existing.closed_at(now) && existing.input == input && parent.is_none() {
                return Ok(arn);
            }
            return Err(ServiceError::new(
                "ExecutionAlreadyExists",
                format!("Execution Already Exists: '{arn}'"),
            ));
        }
        self.state.executions_started += 1;
        let rec = ExecutionRecord {
            arn: arn.clone(),
            state_machine_arn: base.clone(),
            state_machine_name: sm_name,
            name,
            express,
            seq: self.state.executions_started,
            input,
            trace_header: req.trace_header,
            start: start_at.unwrap_or(now).max(now),
            seed: Rng::new(self.seed).child_named(&arn).next_u64(),
            definition,
            role_arn: role,
            revision_id: revision,
            state_machine_update_date: sm_update,
            logging,
            tracing,
            version_arn: version.map(|n| format!("{base}:{n}")),
            test_case: test_case.map(str::to_owned),
            status: "RUNNING".into(),
            stop: None,
            output: None,
            error: None,
            cause: None,
            history: Vec::new(),
            answers: Default::default(),
            waiting: None,
            children: Default::default(),
            parent,
        };
        self.state.executions.insert(arn.clone(), rec);
        if !sync {
            self.state
                .by_state_machine
                .entry(base)
                .or_default()
                .push(arn.clone());
        }
        self.touch();
        self.drive(&arn);
        self.settle();
        Ok(arn)
    }

    /// Runs an execution as far as it can go with the answers it has.
    fn drive(&mut self, arn: &str) {
        let Some(mut rec) = self.state.executions.remove(arn) else {
            return;
        };
        let mock = match (&self.mock, &rec.test_case) {
            (Some(m), Some(tc)) => m.resolver(Some(&rec.state_machine_name), Some(tc)).ok(),
            _ => None,
        };
        let config = ExecutionConfig {
            account: self.account.clone(),
            region: self.region.clone(),
            state_machine_name: rec.state_machine_name.clone(),
            execution_name: rec.name.clone(),
            role_arn: rec.role_arn.clone(),
            start: rec.start,
            seed: rec.seed,
            aws_behaviour: Default::default(),
        };
        let driver = self.driver.clone();
        self.depth += 1;
        let (progress, new_children) = {
            let mut outside = ServiceOutside {
                parent_arn: rec.arn.clone(),
                parent_start: rec.start,
                mock,
                new_children: Vec::new(),
                children: rec.children.clone(),
                svc: self,
            };
            let spec = RunSpec {
                definition: &rec.definition,
                input: &rec.input,
                config,
                answers: &rec.answers,
            };
            let p = driver.advance(&spec, &mut outside);
            (p, outside.new_children)
        };
        self.depth -= 1;
        rec.children.extend(new_children);
        let previous_wait = rec.waiting.take();
        self.state.blocked.remove(arn);
        match progress {
            Progress::Finished(res) => {
                rec.status = res.status.as_str().to_owned();
                rec.output = res.output;
                rec.error = res.error;
                rec.cause = res.cause;
                rec.stop = Some(res.history.last().map(|e| e.timestamp).unwrap_or(rec.start));
                rec.history = res.history;
            }
            Progress::Blocked { history, waiting } => {
                rec.history = history;
                if previous_wait.as_ref() != Some(&waiting) {
                    match &waiting.kind {
                        WaitKind::Activity { activity_arn } => {
                            self.state
                                .activity_queues
                                .entry(activity_arn.clone())
                                .or_default()
                                .push_back(QueuedTask {
                                    execution_arn: rec.arn.clone(),
                                    invocation: waiting.invocation,
                                    input: waiting.input.clone(),
                                });
                        }
                        WaitKind::Callback { token: Some(t) } => {
                            self.state.tokens.insert(
                                t.clone(),
                                TokenRecord {
                                    execution_arn: rec.arn.clone(),
                                    invocation: waiting.invocation,
                                    closed: false,
                                    worker_name: None,
                                },
                            );
                        }
                        _ => {}
                    }
                }
                rec.waiting = Some(waiting);
                self.state.blocked.insert(arn.to_owned());
            }
            Progress::NotRunnable(msg) => {
                rec.status = "FAILED".into();
                rec.error = Some("AslSim.EngineError".into());
                rec.cause = Some(msg);
                rec.stop = Some(rec.start);
                rec.history = vec![
                    started_event(&rec),
                    HistoryEvent::new(
                        rec.start,
                        2,
                        0,
                        EventDetails::ExecutionFailed(ErrorDetails::new(
                            rec.error.clone(),
                            rec.cause.clone(),
                        )),
                    ),
                ];
            }
        }
        for e in &rec.history {
            if let EventDetails::MapRunStarted(d) = &e.details {
                self.state
                    .map_runs
                    .insert(d.map_run_arn.clone(), rec.arn.clone());
            }
        }
        let finished = rec.status != "RUNNING";
        if let Some(stop) = rec.stop {
            self.state.max_stop = self.state.max_stop.max(stop);
        }
        let parent = rec.parent.clone();
        self.state.executions.insert(arn.to_owned(), rec);
        if finished {
            self.close_tokens(arn);
            if let Some((p, _)) = parent {
                let waits_for_me = self.state.executions.get(&p).and_then(|r| r.waiting.as_ref()).is_some_and(|w| {
                    matches!(&w.kind, WaitKind::Child { execution_arn } if execution_arn == arn)
                });
                if waits_for_me && self.depth < MAX_DEPTH {
                    self.drive(&p);
                }
            }
        }
    }

    fn close_tokens(&mut self, exec_arn: &str) {
        for t in self.state.tokens.values_mut() {
            if t.execution_arn == exec_arn {
                t.closed = true;
            }
        }
    }

    fn exec_arg(&self, arn: Option<&str>) -> SfnResult<String> {
        let mut v = Validator::new();
        v.required("executionArn", &arn);
        v.length("executionArn", arn, 1, 256);
        v.finish()?;
        Ok(arn.unwrap_or_default().to_owned())
    }

    fn execution(&self, arn: &str) -> SfnResult<&ExecutionRecord> {
        parse_arn(arn, &[ArnKind::Execution])?;
        self.state
            .executions
            .get(arn)
            .ok_or_else(|| ServiceError::execution_does_not_exist(arn))
    }

    pub fn describe_execution(
        &mut self,
        req: DescribeExecutionInput,
    ) -> SfnResult<DescribeExecutionOutput> {
        let arn = self.exec_arg(req.execution_arn.as_deref())?;
        let mut v = Validator::new();
        v.one_of("includedData", req.included_data.as_deref(), INCLUDED_DATA);
        v.finish()?;
        let now = self.now();
        let rec = self.execution(&arn)?;
        let meta = req.included_data.as_deref() == Some("METADATA_ONLY");
        let status = rec.visible_status(now).to_owned();
        let closed = status != "RUNNING";
        let included = Some(CloudWatchEventsExecutionDataDetails {
            included: Some(!meta),
        });
        Ok(DescribeExecutionOutput {
            execution_arn: rec.arn.clone(),
            state_machine_arn: rec.state_machine_arn.clone(),
            status: status.clone(),
            start_date: ts(rec.start),
            name: Some(rec.name.clone()),
            stop_date: if closed { rec.stop.map(ts) } else { None },
            input: (!meta).then(|| rec.input.clone()),
            input_details: included.clone(),
            output: if status == "SUCCEEDED" && !meta {
                rec.output.clone()
            } else {
                None
            },
            output_details: if status == "SUCCEEDED" {
                included
            } else {
                None
            },
            trace_header: rec.trace_header.clone(),
            map_run_arn: None,
            error: if closed { rec.error.clone() } else { None },
            cause: if closed { rec.cause.clone() } else { None },
            state_machine_version_arn: rec.version_arn.clone(),
            state_machine_alias_arn: None,
            redrive_count: Some(0),
            redrive_date: None,
            redrive_status: Some("NOT_REDRIVABLE".into()),
            redrive_status_reason: Some(
                if closed {
                    "Execution redrive is not supported by asl-sim"
                } else {
                    "Execution is RUNNING and cannot be redriven"
                }
                .into(),
            ),
        })
    }

    pub fn describe_state_machine_for_execution(
        &mut self,
        req: DescribeStateMachineForExecutionInput,
    ) -> SfnResult<DescribeStateMachineForExecutionOutput> {
        let arn = self.exec_arg(req.execution_arn.as_deref())?;
        let mut v = Validator::new();
        v.one_of("includedData", req.included_data.as_deref(), INCLUDED_DATA);
        v.finish()?;
        let rec = self.execution(&arn)?;
        Ok(DescribeStateMachineForExecutionOutput {
            state_machine_arn: rec.state_machine_arn.clone(),
            name: rec.state_machine_name.clone(),
            definition: rec.definition.clone(),
            role_arn: rec.role_arn.clone(),
            update_date: ts(rec.state_machine_update_date),
            logging_configuration: Some(rec.logging.clone()),
            tracing_configuration: Some(rec.tracing.clone()),
            map_run_arn: None,
            label: None,
            revision_id: Some(rec.revision_id.clone()),
            encryption_configuration: None,
            variable_references: None,
        })
    }

    pub fn stop_execution(&mut self, req: StopExecutionInput) -> SfnResult<StopExecutionOutput> {
        let arn = self.exec_arg(req.execution_arn.as_deref())?;
        let mut v = Validator::new();
        v.length_sensitive("error", req.error.as_deref(), 0, 256);
        v.length_sensitive("cause", req.cause.as_deref(), 0, 32_768);
        v.finish()?;
        let now = self.now();
        let rec = self.execution(&arn)?;
        if rec.closed_at(now) {
            return Err(ServiceError::new(
                "ValidationException",
                format!("Execution Already Completed: '{arn}'"),
            ));
        }
        let rec = self.state.executions.get_mut(&arn).expect("checked");
        let stop = now.max(rec.start);
        let n = rec.visible_history(stop).len();
        rec.history.truncate(n);
        let id = rec.history.len() as u64 + 1;
        rec.history.push(HistoryEvent::new(
            stop,
            id,
            0,
            EventDetails::ExecutionAborted(ErrorDetails::new(req.error.clone(), req.cause.clone())),
        ));
        rec.status = "ABORTED".into();
        rec.output = None;
        rec.error = req.error;
        rec.cause = req.cause;
        rec.stop = Some(stop);
        rec.waiting = None;
        let parent = rec.parent.clone();
        self.state.blocked.remove(&arn);
        self.close_tokens(&arn);
        if let Some((p, _)) = parent {
            let waits = self.state.executions.get(&p).and_then(|r| r.waiting.as_ref()).is_some_and(|w| {
                matches!(&w.kind, WaitKind::Child { execution_arn } if *execution_arn == arn)
            });
            if waits {
                self.drive(&p);
            }
        }
        self.touch();
        self.settle();
        Ok(StopExecutionOutput {
            stop_date: ts(stop),
        })
    }

    pub fn list_executions(&mut self, req: ListExecutionsInput) -> SfnResult<ListExecutionsOutput> {
        let mut v = Validator::new();
        check_page_args(&mut v, req.max_results, req.next_token.as_deref(), 3096);
        v.length("stateMachineArn", req.state_machine_arn.as_deref(), 1, 256);
        v.length("mapRunArn", req.map_run_arn.as_deref(), 1, 2000);
        v.one_of("statusFilter", req.status_filter.as_deref(), STATUSES);
        v.one_of(
            "redriveFilter",
            req.redrive_filter.as_deref(),
            &["REDRIVEN", "NOT_REDRIVEN"],
        );
        v.finish()?;
        let now = self.now();
        let scope = format!(
            "ListExecutions\n{}\n{}\n{}\n{}",
            req.state_machine_arn.as_deref().unwrap_or(""),
            req.map_run_arn.as_deref().unwrap_or(""),
            req.status_filter.as_deref().unwrap_or(""),
            req.redrive_filter.as_deref().unwrap_or("")
        );
        let arns: Vec<String> = match (&req.state_machine_arn, &req.map_run_arn) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(ServiceError::new(
                    "ValidationException",
                    "Must provide exactly one of StateMachine ARN and MapRun ARN",
                )
                .with_reason("MISSING_REQUIRED_PARAMETER"))
            }
            (None, Some(mr)) => {
                parse_arn(mr, &[ArnKind::MapRun])?;
                if !self.state.map_runs.contains_key(mr) {
                    return Err(ServiceError::new(
                        "ResourceNotFound",
                        format!("Resource not found: '{mr}'"),
                    )
                    .with_resource(mr.clone()));
                }
                Vec::new()
            }
            (Some(sm), None) => {
                let (base, version, _) = self.resolve_state_machine(
                    sm,
                    &[
                        ArnKind::StateMachine,
                        ArnKind::StateMachineVersion,
                        ArnKind::StateMachineAlias,
                    ],
                )?;
                if self.state.state_machines[&base].r#type == "EXPRESS" {
                    return Err(ServiceError::type_not_supported());
                }
                let want_version = version.map(|_| sm.clone());
                self.state
                    .by_state_machine
                    .get(&base)
                    .map(|v| {
                        v.iter()
                            .rev()
                            .filter(|a| {
                                self.state.executions.get(*a).is_some_and(|r| {
                                    want_version.is_none() || r.version_arn == want_version
                                })
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default()
            }
        };
        let filter = req.status_filter.as_deref();
        let redriven_only = req.redrive_filter.as_deref() == Some("REDRIVEN");
        let items: Vec<ExecutionListItem> = arns
            .iter()
            .filter_map(|a| self.state.executions.get(a))
            .filter(|r| filter.is_none_or(|f| r.visible_status(now) == f) && !redriven_only)
            .map(|r| {
                let closed = r.closed_at(now);
                ExecutionListItem {
                    execution_arn: r.arn.clone(),
                    state_machine_arn: r.state_machine_arn.clone(),
                    name: r.name.clone(),
                    status: r.visible_status(now).to_owned(),
                    start_date: ts(r.start),
                    stop_date: if closed { r.stop.map(ts) } else { None },
                    state_machine_version_arn: r.version_arn.clone(),
                    redrive_count: Some(0),
                    ..Default::default()
                }
            })
            .collect();
        let (page, next) = paginate(
            &self.pager,
            &items,
            &scope,
            req.max_results,
            req.next_token.as_deref(),
            now,
        )?;
        Ok(ListExecutionsOutput {
            executions: page,
            next_token: next,
        })
    }

    pub fn get_execution_history(
        &mut self,
        req: GetExecutionHistoryInput,
    ) -> SfnResult<GetExecutionHistoryOutput> {
        let arn = self.exec_arg(req.execution_arn.as_deref())?;
        let mut v = Validator::new();
        check_page_args(&mut v, req.max_results, req.next_token.as_deref(), 1024);
        v.finish()?;
        if matches!(Arn::parse(&arn), Ok(Arn::ExpressExecution { .. })) {
            return Err(ServiceError::type_not_supported());
        }
        let now = self.now();
        let rec = self.execution(&arn)?;
        let reverse = req.reverse_order == Some(true);
        let include = req.include_execution_data != Some(false);
        let visible = rec.visible_history(now);
        let scope = format!("GetExecutionHistory\n{arn}\n{reverse}\n{include}");
        let start = match req.next_token.as_deref() {
            Some(t) => self.pager.open(t, &scope, now)?,
            None => 0,
        }
        .min(visible.len());
        let size = super::paging::page_size(req.max_results);
        let end = start.saturating_add(size).min(visible.len());
        let pick = |i: usize| {
            if reverse {
                &visible[visible.len() - 1 - i]
            } else {
                &visible[i]
            }
        };
        let events = (start..end)
            .map(|i| {
                let mut w = pick(i).to_wire();
                if !include {
                    strip_data(&mut w);
                }
                w
            })
            .collect();
        let next = (end < visible.len()).then(|| self.pager.issue(&scope, end, now));
        Ok(GetExecutionHistoryOutput {
            events,
            next_token: next,
        })
    }

    // ---- task tokens ------------------------------------------------------

    fn open_token(&self, token: Option<&str>) -> SfnResult<(String, TokenRecord)> {
        let mut v = Validator::new();
        v.required("taskToken", &token);
        v.length("taskToken", token, 1, 2048);
        v.finish()?;
        let token = token.unwrap_or_default();
        match self.state.tokens.get(token) {
            Some(t) if t.closed => Err(ServiceError::new(
                "TaskTimedOut",
                "The task token has either expired or the task associated with the token has already been closed.",
            )),
            Some(t) => Ok((token.to_owned(), t.clone())),
            None if looks_like_token(token) => Err(ServiceError::new("TaskDoesNotExist", "Task Does Not Exist: the task token does not belong to a task of this service")),
            None => Err(ServiceError::new("InvalidToken", "Invalid Token: 'The provided token is not valid.'")),
        }
    }

    fn complete_task(&mut self, token: &str, rec: TokenRecord, answer: RecordedAnswer) {
        if let Some(t) = self.state.tokens.get_mut(token) {
            t.closed = true;
        }
        let live = self
            .state
            .executions
            .get_mut(&rec.execution_arn)
            .filter(|e| {
                e.waiting
                    .as_ref()
                    .is_some_and(|w| w.invocation == rec.invocation)
            });
        if let Some(e) = live {
            e.answers.insert(rec.invocation, answer);
            self.drive(&rec.execution_arn);
        }
        self.touch();
        self.settle();
    }

    pub fn send_task_success(&mut self, req: SendTaskSuccessInput) -> SfnResult<Empty> {
        let mut v = Validator::new();
        v.required("output", &req.output);
        v.length_sensitive("output", req.output.as_deref(), 0, MAX_PAYLOAD);
        v.finish()?;
        let (token, rec) = self.open_token(req.task_token.as_deref())?;
        let output = req.output.unwrap_or_default();
        if let Some(e) = json_text_error(&output) {
            return Err(ServiceError::new(
                "InvalidOutput",
                format!("Invalid Output: '{e}'"),
            ));
        }
        self.complete_task(&token, rec, RecordedAnswer::Succeeded { output });
        Ok(Empty {})
    }

    pub fn send_task_failure(&mut self, req: SendTaskFailureInput) -> SfnResult<Empty> {
        let mut v = Validator::new();
        v.length_sensitive("error", req.error.as_deref(), 0, 256);
        v.length_sensitive("cause", req.cause.as_deref(), 0, 32_768);
        v.finish()?;
        let (token, rec) = self.open_token(req.task_token.as_deref())?;
        self.complete_task(
            &token,
            rec,
            RecordedAnswer::Failed {
                error: req.error,
                cause: req.cause,
            },
        );
        Ok(Empty {})
    }

    pub fn send_task_heartbeat(&mut self, req: SendTaskHeartbeatInput) -> SfnResult<Empty> {
        self.open_token(req.task_token.as_deref())?;
        Ok(Empty {})
    }

    // ---- map runs ---------------------------------------------------------

    fn map_run(&self, arn: Option<&str>) -> SfnResult<(String, String)> {
        let mut v = Validator::new();
        v.required("mapRunArn", &arn);
        v.length("mapRunArn", arn, 1, 2000);
        v.finish()?;
        let arn = arn.unwrap_or_default();
        parse_arn(arn, &[ArnKind::MapRun])?;
        let exec = self.state.map_runs.get(arn).ok_or_else(|| {
            ServiceError::new("ResourceNotFound", format!("Resource not found: '{arn}'"))
                .with_resource(arn)
        })?;
        Ok((arn.to_owned(), exec.clone()))
    }

    /// Status, start and stop of a map run, from its execution's history.
    fn map_run_span(&self, arn: &str, exec: &str) -> (String, i64, Option<i64>) {
        let now = self.now();
        let Some(rec) = self.state.executions.get(exec) else {
            return ("RUNNING".into(), 0, None);
        };
        let h = rec.visible_history(now);
        let Some(pos) = h.iter().position(
            |e| matches!(&e.details, EventDetails::MapRunStarted(d) if d.map_run_arn == arn),
        ) else {
            return ("RUNNING".into(), rec.start, None);
        };
        let start_id = h[pos].id;
        let end = h
            .iter()
            .filter(|e| e.id > start_id)
            .filter(|e| {
                matches!(
                    e.details,
                    EventDetails::MapRunSucceeded
                        | EventDetails::MapRunFailed(_)
                        | EventDetails::MapRunAborted
                )
            })
            .nth(0);
        match end.map(|e| (&e.details, e.timestamp)) {
            Some((EventDetails::MapRunSucceeded, t)) => {
                ("SUCCEEDED".into(), h[pos].timestamp, Some(t))
            }
            Some((EventDetails::MapRunFailed(_), t)) => {
                ("FAILED".into(), h[pos].timestamp, Some(t))
            }
            Some((_, t)) => ("ABORTED".into(), h[pos].timestamp, Some(t)),
            None if rec.closed_at(now) => ("ABORTED".into(), h[pos].timestamp, rec.stop),
            None => ("RUNNING".into(), h[pos].timestamp, None),
        }
    }

    pub fn describe_map_run(
        &mut self,
        req: DescribeMapRunInput,
    ) -> SfnResult<DescribeMapRunOutput> {
        let (arn, exec) = self.map_run(req.map_run_arn.as_deref())?;
        let (status, start, stop) = self.map_run_span(&arn, &exec);
        let s = self
            .state
            .map_run_settings
            .get(&arn)
            .cloned()
            .unwrap_or_default();
        let counts = MapRunCounts {
            failures_not_redrivable: Some(0),
            pending_redrive: Some(0),
            ..Default::default()
        };
        Ok(DescribeMapRunOutput {
            map_run_arn: arn,
            execution_arn: exec,
            status,
            start_date: ts(start),
            max_concurrency: s.max_concurrency.unwrap_or(0),
            tolerated_failure_percentage: s.tolerated_failure_percentage.unwrap_or(0.0),
            tolerated_failure_count: s.tolerated_failure_count.unwrap_or(0),
            item_counts: counts.clone(),
            execution_counts: counts,
            stop_date: stop.map(ts),
            redrive_count: Some(0),
            redrive_date: None,
        })
    }

    pub fn list_map_runs(&mut self, req: ListMapRunsInput) -> SfnResult<ListMapRunsOutput> {
        let arn = self.exec_arg(req.execution_arn.as_deref())?;
        let mut v = Validator::new();
        check_page_args(&mut v, req.max_results, req.next_token.as_deref(), 1024);
        v.finish()?;
        let now = self.now();
        let rec = self.execution(&arn)?;
        let runs: Vec<String> = rec
            .visible_history(now)
            .iter()
            .filter_map(|e| match &e.details {
                EventDetails::MapRunStarted(d) => Some(d.map_run_arn.clone()),
                _ => None,
            })
            .collect();
        let items: Vec<MapRunListItem> = runs
            .iter()
            .map(|mr| {
                let (_, start, stop) = self.map_run_span(mr, &arn);
                let sm = match Arn::parse(mr) {
                    Ok(Arn::MapRun {
                        head,
                        state_machine,
                        label,
                        ..
                    }) => format!(
                        "arn:{}:states:{}:{}:stateMachine:{state_machine}/{label}",
                        head.partition, head.region, head.account
                    ),
                    _ => String::new(),
                };
                MapRunListItem {
                    execution_arn: arn.clone(),
                    map_run_arn: mr.clone(),
                    state_machine_arn: sm,
                    start_date: ts(start),
                    stop_date: stop.map(ts),
                }
            })
            .collect();
        let (page, next) = paginate(
            &self.pager,
            &items,
            &format!("ListMapRuns\n{arn}"),
            req.max_results,
            req.next_token.as_deref(),
            now,
        )?;
        Ok(ListMapRunsOutput {
            map_runs: page,
            next_token: next,
        })
    }

    pub fn update_map_run(&mut self, req: UpdateMapRunInput) -> SfnResult<Empty> {
        let mut v = Validator::new();
        v.range("maxConcurrency", req.max_concurrency, 0, i64::MAX);
        v.range_f64(
            "toleratedFailurePercentage",
            req.tolerated_failure_percentage,
            0.0,
            100.0,
        );
        v.range(
            "toleratedFailureCount",
            req.tolerated_failure_count,
            0,
            i64::MAX,
        );
        v.finish()?;
        let (arn, exec) = self.map_run(req.map_run_arn.as_deref())?;
        if req.max_concurrency.is_none()
            && req.tolerated_failure_percentage.is_none()
            && req.tolerated_failure_count.is_none()
        {
            return Err(ServiceError::new("ValidationException", "At least one of maxConcurrency, toleratedFailurePercentage, toleratedFailureCount must be specified")
                .with_reason("MISSING_REQUIRED_PARAMETER"));
        }
        let (status, _, _) = self.map_run_span(&arn, &exec);
        if status != "RUNNING" {
            return Err(ServiceError::new(
                "ValidationException",
                format!("Map Run is not running: '{arn}'"),
            )
            .with_reason("CANNOT_UPDATE_COMPLETED_MAP_RUN"));
        }
        let s = self.state.map_run_settings.entry(arn).or_default();
        if req.max_concurrency.is_some() {
            s.max_concurrency = req.max_concurrency;
        }
        if req.tolerated_failure_percentage.is_some() {
            s.tolerated_failure_percentage = req.tolerated_failure_percentage;
        }
        if req.tolerated_failure_count.is_some() {
            s.tolerated_failure_count = req.tolerated_failure_count;
        }
        self.touch();
        Ok(Empty {})
    }

    // ---- tags -------------------------------------------------------------

    fn tags_of(&mut self, arn: Option<&str>) -> SfnResult<&mut Vec<Tag>> {
        let mut v = Validator::new();
        v.required("resourceArn", &arn);
        v.length("resourceArn", arn, 1, 256);
        v.finish()?;
        let arn = arn.unwrap_or_default();
        let not_found = || {
            ServiceError::new("ResourceNotFound", format!("Resource not found: '{arn}'"))
                .with_resource(arn)
        };
        match parse_arn(arn, &[ArnKind::StateMachine, ArnKind::Activity])? {
            Arn::Activity { .. } => self
                .state
                .activities
                .get_mut(arn)
                .map(|a| &mut a.tags)
                .ok_or_else(not_found),
            _ => self
                .state
                .state_machines
                .get_mut(arn)
                .map(|s| &mut s.tags)
                .ok_or_else(not_found),
        }
    }

    pub fn list_tags_for_resource(
        &mut self,
        req: ListTagsForResourceInput,
    ) -> SfnResult<ListTagsForResourceOutput> {
        Ok(ListTagsForResourceOutput {
            tags: self.tags_of(req.resource_arn.as_deref())?.clone(),
        })
    }

    pub fn tag_resource(&mut self, req: TagResourceInput) -> SfnResult<Empty> {
        let mut v = Validator::new();
        v.required("tags", &req.tags);
        check_tags(&mut v, req.tags.as_deref());
        v.finish()?;
        let arn = req.resource_arn.clone().unwrap_or_default();
        let tags = self.tags_of(req.resource_arn.as_deref())?;
        let mut merged = tags.clone();
        merge_tags(&mut merged, req.tags.as_deref().unwrap_or(&[]));
        if merged.len() > MAX_TAGS {
            return Err(too_many_tags(&arn));
        }
        *tags = merged;
        self.touch();
        Ok(Empty {})
    }

    pub fn untag_resource(&mut self, req: UntagResourceInput) -> SfnResult<Empty> {
        let mut v = Validator::new();
        v.required("tagKeys", &req.tag_keys);
        for (i, k) in req.tag_keys.as_deref().unwrap_or(&[]).iter().enumerate() {
            v.length(&format!("tagKeys.{}.member", i + 1), Some(k), 1, 128);
        }
        v.finish()?;
        let keys = req.tag_keys.unwrap_or_default();
        let tags = self.tags_of(req.resource_arn.as_deref())?;
        tags.retain(|t| !keys.iter().any(|k| Some(k) == t.key.as_ref()));
        self.touch();
        Ok(Empty {})
    }

    // ---- ValidateStateMachineDefinition -----------------------------------

    /// ValidateStateMachineDefinition (newer than the 26; asl-lint behind
    /// AWS's interface).
    pub fn validate_state_machine_definition(
        &mut self,
        req: ValidateStateMachineDefinitionInput,
    ) -> SfnResult<ValidateStateMachineDefinitionOutput> {
        use asl_lint::diagnostic::Severity;
        let mut v = Validator::new();
        v.required("definition", &req.definition);
        v.length_sensitive("definition", req.definition.as_deref(), 1, MAX_DEFINITION);
        v.one_of("type", req.r#type.as_deref(), &["STANDARD", "EXPRESS"]);
        v.one_of("severity", req.severity.as_deref(), &["ERROR", "WARNING"]);
        v.range("maxResults", req.max_results, 0, 100);
        v.finish()?;
        let opts = asl_lint::context::LintOptions {
            machine_type: lint_type(req.r#type.as_deref().unwrap_or("STANDARD")),
        };
        let diags = asl_lint::lint::lint_text(
            req.definition.as_deref().unwrap_or(""),
            asl_lint::lint::SourceFormat::Json,
            &opts,
        );
        let errors_only = req.severity.as_deref() == Some("ERROR");
        let all: Vec<ValidateDiagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error || (!errors_only && d.aws_code.is_some()))
            .map(|d| ValidateDiagnostic {
                severity: if d.severity == Severity::Error {
                    "ERROR"
                } else {
                    "WARNING"
                }
                .into(),
                code: d.aws_code.unwrap_or("SCHEMA_VALIDATION_FAILED").into(),
                message: d.message.clone(),
                location: Some(location_of(d)),
            })
            .collect();
        let failed = diags.iter().any(|d| d.severity == Severity::Error);
        let max = match req.max_results {
            Some(n) if n > 0 => n as usize,
            _ => 100,
        };
        let truncated = all.len() > max;
        Ok(ValidateStateMachineDefinitionOutput {
            result: if failed { "FAIL" } else { "OK" }.into(),
            diagnostics: all.into_iter().take(max).collect(),
            truncated,
        })
    }
}

fn publish(sm: &mut StateMachineRecord, description: Option<String>, now: i64) -> String {
    let n = sm.next_version;
    sm.next_version += 1;
    sm.versions.insert(
        n,
        VersionRecord {
            definition: sm.definition.clone(),
            role_arn: sm.role_arn.clone(),
            revision_id: sm.revision_id.clone(),
            creation_date: now,
            description,
        },
    );
    format!("{}:{n}", sm.arn)
}

fn started_event(rec: &ExecutionRecord) -> HistoryEvent {
    HistoryEvent::new(
        rec.start,
        1,
        0,
        EventDetails::ExecutionStarted(ExecutionStartedEventDetails {
            input: Some(rec.input.clone()),
            input_details: Some(DataDetails { truncated: false }),
            role_arn: Some(rec.role_arn.clone()),
            ..Default::default()
        }),
    )
}

/// Removes execution data (`input`, `output`, `parameters`) from a wire event.
fn strip_data(event: &mut Value) {
    if let Value::Object(m) = event {
        for (k, v) in m.iter_mut() {
            if k.ends_with("EventDetails") {
                if let Value::Object(d) = v {
                    d.remove("input");
                    d.remove("output");
                    d.remove("parameters");
                }
            }
        }
    }
}
