//! Request and response shapes of the 26 operations of API 2016-11-23, with
//! the service model's member names (camelCase on the wire) and types.
//! Every request member is optional here: required members are checked by
//! the service so a missing one gets AWS's `ValidationException`, not a
//! deserialisation error. Timestamps are epoch milliseconds in Rust and
//! epoch seconds with a millisecond fraction on the wire.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in (virtual) time, epoch milliseconds; on the wire epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Timestamp(pub i64);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 1000.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = f64::deserialize(d)?;
        if !f.is_finite() {
            return Err(serde::de::Error::custom("timestamp is not finite"));
        }
        Ok(Timestamp((f * 1000.0).round().clamp(-9.0e15, 9.0e15) as i64))
    }
}

macro_rules! shape {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

/// A shape whose members are always present in responses.
macro_rules! out_shape {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? } opt { $($ofield:ident : $oty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $( pub $field: $ty, )*
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $ofield: Option<$oty>,
            )*
        }
    };
}

shape!(Tag {
    key: String,
    value: String
});
shape!(EncryptionConfiguration {
    kms_key_id: String,
    kms_data_key_reuse_period_seconds: i64,
    r#type: String
});
shape!(CloudWatchLogsLogGroup {
    log_group_arn: String
});
shape!(LogDestination {
    cloud_watch_logs_log_group: CloudWatchLogsLogGroup
});
shape!(LoggingConfiguration { level: String, include_execution_data: bool, destinations: Vec<LogDestination> });
shape!(TracingConfiguration { enabled: bool });
out_shape!(CloudWatchEventsExecutionDataDetails {} opt { included: bool });
/// `billingDetails` of StartSyncExecution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingDetails {
    #[serde(
        rename = "billedMemoryUsedInMB",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billed_memory_used_in_mb: Option<i64>,
    #[serde(
        rename = "billedDurationInMilliseconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billed_duration_in_milliseconds: Option<i64>,
}

// ---- activities -----------------------------------------------------------

shape!(CreateActivityInput { name: String, tags: Vec<Tag>, encryption_configuration: EncryptionConfiguration });
out_shape!(CreateActivityOutput { activity_arn: String, creation_date: Timestamp } opt {});
shape!(DeleteActivityInput {
    activity_arn: String
});
shape!(DescribeActivityInput {
    activity_arn: String
});
out_shape!(DescribeActivityOutput { activity_arn: String, name: String, creation_date: Timestamp }
    opt { encryption_configuration: EncryptionConfiguration });
shape!(GetActivityTaskInput {
    activity_arn: String,
    worker_name: String
});
shape!(GetActivityTaskOutput {
    task_token: String,
    input: String
});
shape!(ListActivitiesInput {
    max_results: i64,
    next_token: String
});
out_shape!(ActivityListItem { activity_arn: String, name: String, creation_date: Timestamp } opt {});
out_shape!(ListActivitiesOutput { activities: Vec<ActivityListItem> } opt { next_token: String });

// ---- state machines -------------------------------------------------------

shape!(CreateStateMachineInput {
    name: String, definition: String, role_arn: String, r#type: String,
    logging_configuration: LoggingConfiguration, tags: Vec<Tag>,
    tracing_configuration: TracingConfiguration, publish: bool,
    version_description: String, encryption_configuration: EncryptionConfiguration,
});
out_shape!(CreateStateMachineOutput { state_machine_arn: String, creation_date: Timestamp }
    opt { state_machine_version_arn: String });
shape!(DeleteStateMachineInput {
    state_machine_arn: String
});
shape!(DescribeStateMachineInput {
    state_machine_arn: String,
    included_data: String
});
out_shape!(DescribeStateMachineOutput {
    state_machine_arn: String, name: String, definition: String, role_arn: String,
    r#type: String, creation_date: Timestamp,
} opt {
    status: String, logging_configuration: LoggingConfiguration,
    tracing_configuration: TracingConfiguration, label: String, revision_id: String,
    description: String, encryption_configuration: EncryptionConfiguration,
    variable_references: serde_json::Map<String, serde_json::Value>,
});
shape!(UpdateStateMachineInput {
    state_machine_arn: String,
    definition: String,
    role_arn: String,
    logging_configuration: LoggingConfiguration,
    tracing_configuration: TracingConfiguration,
    publish: bool,
    version_description: String,
    encryption_configuration: EncryptionConfiguration,
});
out_shape!(UpdateStateMachineOutput { update_date: Timestamp }
    opt { revision_id: String, state_machine_version_arn: String });
shape!(ListStateMachinesInput {
    max_results: i64,
    next_token: String
});
out_shape!(StateMachineListItem { state_machine_arn: String, name: String, r#type: String, creation_date: Timestamp } opt {});
out_shape!(ListStateMachinesOutput { state_machines: Vec<StateMachineListItem> } opt { next_token: String });
shape!(DescribeStateMachineForExecutionInput {
    execution_arn: String,
    included_data: String
});
out_shape!(DescribeStateMachineForExecutionOutput {
    state_machine_arn: String, name: String, definition: String, role_arn: String, update_date: Timestamp,
} opt {
    logging_configuration: LoggingConfiguration, tracing_configuration: TracingConfiguration,
    map_run_arn: String, label: String, revision_id: String,
    encryption_configuration: EncryptionConfiguration,
    variable_references: serde_json::Map<String, serde_json::Value>,
});

// ---- executions -----------------------------------------------------------

shape!(StartExecutionInput {
    state_machine_arn: String,
    name: String,
    input: String,
    trace_header: String
});
out_shape!(StartExecutionOutput { execution_arn: String, start_date: Timestamp } opt {});
shape!(StartSyncExecutionInput {
    state_machine_arn: String,
    name: String,
    input: String,
    trace_header: String,
    included_data: String
});
out_shape!(StartSyncExecutionOutput { execution_arn: String, start_date: Timestamp, stop_date: Timestamp, status: String }
opt {
    state_machine_arn: String, name: String, error: String, cause: String, input: String,
    input_details: CloudWatchEventsExecutionDataDetails, output: String,
    output_details: CloudWatchEventsExecutionDataDetails, trace_header: String,
    billing_details: BillingDetails,
});
shape!(DescribeExecutionInput {
    execution_arn: String,
    included_data: String
});
out_shape!(DescribeExecutionOutput { execution_arn: String, state_machine_arn: String, status: String, start_date: Timestamp }
opt {
    name: String, stop_date: Timestamp, input: String,
    input_details: CloudWatchEventsExecutionDataDetails, output: String,
    output_details: CloudWatchEventsExecutionDataDetails, trace_header: String,
    map_run_arn: String, error: String, cause: String, state_machine_version_arn: String,
    state_machine_alias_arn: String, redrive_count: i64, redrive_date: Timestamp,
    redrive_status: String, redrive_status_reason: String,
});
shape!(StopExecutionInput {
    execution_arn: String,
    error: String,
    cause: String
});
out_shape!(StopExecutionOutput { stop_date: Timestamp } opt {});
shape!(ListExecutionsInput {
    state_machine_arn: String,
    status_filter: String,
    max_results: i64,
    next_token: String,
    map_run_arn: String,
    redrive_filter: String,
});
out_shape!(ExecutionListItem { execution_arn: String, state_machine_arn: String, name: String, status: String, start_date: Timestamp }
opt {
    stop_date: Timestamp, map_run_arn: String, item_count: i64,
    state_machine_version_arn: String, state_machine_alias_arn: String,
    redrive_count: i64, redrive_date: Timestamp,
});
out_shape!(ListExecutionsOutput { executions: Vec<ExecutionListItem> } opt { next_token: String });
shape!(GetExecutionHistoryInput {
    execution_arn: String,
    max_results: i64,
    reverse_order: bool,
    next_token: String,
    include_execution_data: bool,
});
// `events` are the GetExecutionHistory wire objects (see
// `crate::history::HistoryEvent::to_wire`).
out_shape!(GetExecutionHistoryOutput { events: Vec<serde_json::Value> } opt { next_token: String });

// ---- task tokens ----------------------------------------------------------

shape!(SendTaskSuccessInput {
    task_token: String,
    output: String
});
shape!(SendTaskFailureInput {
    task_token: String,
    error: String,
    cause: String
});
shape!(SendTaskHeartbeatInput { task_token: String });

// ---- map runs -------------------------------------------------------------

shape!(DescribeMapRunInput {
    map_run_arn: String
});
out_shape!(MapRunCounts {
    pending: i64, running: i64, succeeded: i64, failed: i64, timed_out: i64,
    aborted: i64, total: i64, results_written: i64,
} opt { failures_not_redrivable: i64, pending_redrive: i64 });
out_shape!(DescribeMapRunOutput {
    map_run_arn: String, execution_arn: String, status: String, start_date: Timestamp,
    max_concurrency: i64, tolerated_failure_percentage: f64, tolerated_failure_count: i64,
    item_counts: MapRunCounts, execution_counts: MapRunCounts,
} opt { stop_date: Timestamp, redrive_count: i64, redrive_date: Timestamp });
shape!(ListMapRunsInput {
    execution_arn: String,
    max_results: i64,
    next_token: String
});
out_shape!(MapRunListItem { execution_arn: String, map_run_arn: String, state_machine_arn: String, start_date: Timestamp }
    opt { stop_date: Timestamp });
out_shape!(ListMapRunsOutput { map_runs: Vec<MapRunListItem> } opt { next_token: String });
shape!(UpdateMapRunInput {
    map_run_arn: String,
    max_concurrency: i64,
    tolerated_failure_percentage: f64,
    tolerated_failure_count: i64
});

// ---- tags -----------------------------------------------------------------

shape!(ListTagsForResourceInput {
    resource_arn: String
});
out_shape!(ListTagsForResourceOutput { tags: Vec<Tag> } opt {});
shape!(TagResourceInput { resource_arn: String, tags: Vec<Tag> });
shape!(UntagResourceInput { resource_arn: String, tag_keys: Vec<String> });

// ---- ValidateStateMachineDefinition (newer than 2016-11-23's 26) ----------

shape!(ValidateStateMachineDefinitionInput {
    definition: String,
    r#type: String,
    severity: String,
    max_results: i64
});
out_shape!(ValidateDiagnostic { severity: String, code: String, message: String } opt { location: String });
out_shape!(ValidateStateMachineDefinitionOutput { result: String, diagnostics: Vec<ValidateDiagnostic>, truncated: bool } opt {});

/// The empty response of DeleteActivity, DeleteStateMachine, SendTask*,
/// TagResource, UntagResource, UpdateMapRun.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}
