//! The execution-history wire model (ASL-REFERENCE §9, botocore `HistoryEvent`).
//!
//! A [`HistoryEvent`] is the envelope `{timestamp, type, id, previousEventId,
//! <x>EventDetails}`; [`EventDetails`] is an enum over every
//! `HistoryEventType`, each variant carrying its detail struct with the field
//! names of the service model (camelCase on the wire, optional fields omitted
//! when absent, never `null`). `input`, `output` and `parameters` are JSON
//! *texts* (compact JSON strings), exactly as GetExecutionHistory returns them.
//!
//! Time is virtual: [`HistoryEvent::timestamp`] holds epoch milliseconds and
//! is written as epoch seconds with a millisecond fraction (`1704067200.123`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `HistoryEventExecutionDataDetails` / `AssignedVariablesDetails`:
/// `{"truncated": false}` next to `input`, `output` and `assignedVariables`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataDetails {
    /// Whether the data was truncated by the service (never, in the simulator).
    #[serde(default)]
    pub truncated: bool,
}

/// `TaskCredentials`: the role a Task assumed (`Credentials` field).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskCredentials {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// `{error?, cause?}` — the shape shared by the execution, activity, Lambda
/// and map-run failure events.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl ErrorDetails {
    /// Both parts given (either may still be `None`).
    pub fn new(error: Option<String>, cause: Option<String>) -> Self {
        ErrorDetails { error, cause }
    }
}

pub type ActivityFailedEventDetails = ErrorDetails;
pub type ActivityScheduleFailedEventDetails = ErrorDetails;
pub type ActivityTimedOutEventDetails = ErrorDetails;
pub type ExecutionFailedEventDetails = ErrorDetails;
pub type ExecutionAbortedEventDetails = ErrorDetails;
pub type ExecutionTimedOutEventDetails = ErrorDetails;
pub type LambdaFunctionFailedEventDetails = ErrorDetails;
pub type LambdaFunctionScheduleFailedEventDetails = ErrorDetails;
pub type LambdaFunctionStartFailedEventDetails = ErrorDetails;
pub type LambdaFunctionTimedOutEventDetails = ErrorDetails;
pub type MapRunFailedEventDetails = ErrorDetails;

/// `{output?, outputDetails?}` — execution, activity and Lambda success.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputDetails {
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<DataDetails>,
}

impl OutputDetails {
    /// `output` with `outputDetails: {"truncated": false}`, as AWS records it.
    pub fn new(output: impl Into<String>) -> Self {
        OutputDetails {
            output: Some(output.into()),
            output_details: Some(DataDetails::default()),
        }
    }
}

pub type ExecutionSucceededEventDetails = OutputDetails;
pub type ActivitySucceededEventDetails = OutputDetails;
pub type LambdaFunctionSucceededEventDetails = OutputDetails;

/// `executionStartedEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutionStartedEventDetails {
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<DataDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_machine_alias_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
}

/// `executionRedrivenEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutionRedrivenEventDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_count: Option<u32>,
}

/// `stateEnteredEventDetails` (all eight `…StateEntered` types).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateEnteredEventDetails {
    pub name: String,
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<DataDetails>,
}

impl StateEnteredEventDetails {
    /// `name`, `input` and `inputDetails: {"truncated": false}`.
    pub fn new(name: impl Into<String>, input: impl Into<String>) -> Self {
        StateEnteredEventDetails {
            name: name.into(),
            input: Some(input.into()),
            input_details: Some(DataDetails::default()),
        }
    }
}

/// `assignedVariables`: variable name → the variable's JSON text, in
/// assignment order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignedVariables(pub Vec<(String, String)>);

impl Serialize for AssignedVariables {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for AssignedVariables {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        let mut out = Vec::with_capacity(map.len());
        for (k, v) in map {
            match v {
                Value::String(s) => out.push((k, s)),
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "assignedVariables.{k}: expected a JSON text (string), got {other}"
                    )))
                }
            }
        }
        Ok(AssignedVariables(out))
    }
}

/// `stateExitedEventDetails` (all `…StateExited` types).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateExitedEventDetails {
    pub name: String,
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<DataDetails>,
    /// Present iff the state evaluated a non-empty `Assign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_variables: Option<AssignedVariables>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_variables_details: Option<DataDetails>,
}

impl StateExitedEventDetails {
    /// `name`, `output` and `outputDetails: {"truncated": false}`; no variables.
    pub fn new(name: impl Into<String>, output: impl Into<String>) -> Self {
        StateExitedEventDetails {
            name: name.into(),
            output: Some(output.into()),
            output_details: Some(DataDetails::default()),
            assigned_variables: None,
            assigned_variables_details: None,
        }
    }

    /// Adds `assignedVariables` (+ details) unless `vars` is empty.
    pub fn with_assigned(mut self, vars: Vec<(String, String)>) -> Self {
        if !vars.is_empty() {
            self.assigned_variables = Some(AssignedVariables(vars));
            self.assigned_variables_details = Some(DataDetails::default());
        }
        self
    }
}

/// `taskScheduledEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskScheduledEventDetails {
    pub resource_type: String,
    pub resource: String,
    pub region: String,
    /// JSON text of the effective parameters.
    pub parameters: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_credentials: Option<TaskCredentials>,
}

/// `taskStartedEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskStartedEventDetails {
    pub resource_type: String,
    pub resource: String,
}

/// `{resourceType, resource, output?, outputDetails?}` — TaskSubmitted and
/// TaskSucceeded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOutputDetails {
    pub resource_type: String,
    pub resource: String,
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<DataDetails>,
}

pub type TaskSubmittedEventDetails = TaskOutputDetails;
pub type TaskSucceededEventDetails = TaskOutputDetails;

/// `{resourceType, resource, error?, cause?}` — TaskFailed, TaskStartFailed,
/// TaskSubmitFailed and TaskTimedOut.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskErrorDetails {
    pub resource_type: String,
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

pub type TaskFailedEventDetails = TaskErrorDetails;
pub type TaskStartFailedEventDetails = TaskErrorDetails;
pub type TaskSubmitFailedEventDetails = TaskErrorDetails;
pub type TaskTimedOutEventDetails = TaskErrorDetails;

/// `activityScheduledEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityScheduledEventDetails {
    pub resource: String,
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<DataDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
}

/// `activityStartedEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityStartedEventDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_name: Option<String>,
}

/// `lambdaFunctionScheduledEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LambdaFunctionScheduledEventDetails {
    pub resource: String,
    /// JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<DataDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_credentials: Option<TaskCredentials>,
}

/// `mapStateStartedEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapStateStartedEventDetails {
    /// Number of items (0 for a distributed Map).
    #[serde(default)]
    pub length: u32,
}

/// `MapIterationEventDetails`: `mapIteration{Started,Succeeded,Failed,Aborted}EventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapIterationEventDetails {
    /// The Map state's name.
    pub name: String,
    pub index: u32,
}

/// `mapRunStartedEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapRunStartedEventDetails {
    pub map_run_arn: String,
}

/// `mapRunRedrivenEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapRunRedrivenEventDetails {
    pub map_run_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_count: Option<u32>,
}

/// `evaluationFailedEventDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvaluationFailedEventDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The failing field path (`Items`, `Output/result`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub state: String,
}

macro_rules! event_details {
    (
        with { $( $variant:ident ( $ty:ty ) => $key:literal ),* $(,)? }
        bare { $( $bare:ident ),* $(,)? }
    ) => {
        /// One history event's type and its `…EventDetails` payload.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum EventDetails {
            $( $variant($ty), )*
            $( $bare, )*
        }

        /// Every `HistoryEventType` of the service model, in a fixed order.
        pub const ALL_EVENT_TYPES: &[&str] = &[
            $( stringify!($variant), )*
            $( stringify!($bare), )*
        ];

        impl EventDetails {
            /// The wire `type`, e.g. `"TaskStateEntered"`.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $( EventDetails::$variant(_) => stringify!($variant), )*
                    $( EventDetails::$bare => stringify!($bare), )*
                }
            }

            /// The name of the details member, e.g. `"stateEnteredEventDetails"`;
            /// `None` for types that carry no details.
            pub fn detail_key(&self) -> Option<&'static str> {
                Self::detail_key_of(self.event_type())
            }

            /// The details member name for a wire `type` (`None` when the type
            /// has no details or is unknown).
            pub fn detail_key_of(event_type: &str) -> Option<&'static str> {
                match event_type {
                    $( stringify!($variant) => Some($key), )*
                    _ => None,
                }
            }

            /// Whether `event_type` is a known `HistoryEventType`.
            pub fn is_known_type(event_type: &str) -> bool {
                ALL_EVENT_TYPES.contains(&event_type)
            }

            /// The details as a JSON object (`None` when the type has none).
            pub fn details_json(&self) -> Option<Value> {
                match self {
                    $( EventDetails::$variant(d) => Some(
                        serde_json::to_value(d).unwrap_or_else(|e| Value::String(e.to_string()))
                    ), )*
                    $( EventDetails::$bare => None, )*
                }
            }

            /// Builds the variant for `event_type` from its details object.
            /// A type without details must not carry one; a type with details
            /// requires it.
            pub fn from_wire(event_type: &str, details: Option<&Value>) -> Result<Self, String> {
                match event_type {
                    $( stringify!($variant) => {
                        let d = details.ok_or_else(|| format!("{event_type} without {}", $key))?;
                        <$ty>::deserialize(d)
                            .map(EventDetails::$variant)
                            .map_err(|e| format!("{}: {e}", $key))
                    } )*
                    $( stringify!($bare) => match details {
                        None => Ok(EventDetails::$bare),
                        Some(_) => Err(format!("{event_type} carries no details")),
                    }, )*
                    other => Err(format!("unknown history event type {other:?}")),
                }
            }
        }
    };
}

event_details! {
    with {
        ActivityFailed(ActivityFailedEventDetails) => "activityFailedEventDetails",
        ActivityScheduled(ActivityScheduledEventDetails) => "activityScheduledEventDetails",
        ActivityScheduleFailed(ActivityScheduleFailedEventDetails) => "activityScheduleFailedEventDetails",
        ActivityStarted(ActivityStartedEventDetails) => "activityStartedEventDetails",
        ActivitySucceeded(ActivitySucceededEventDetails) => "activitySucceededEventDetails",
        ActivityTimedOut(ActivityTimedOutEventDetails) => "activityTimedOutEventDetails",
        ChoiceStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        ChoiceStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        ExecutionAborted(ExecutionAbortedEventDetails) => "executionAbortedEventDetails",
        ExecutionFailed(ExecutionFailedEventDetails) => "executionFailedEventDetails",
        ExecutionStarted(ExecutionStartedEventDetails) => "executionStartedEventDetails",
        ExecutionSucceeded(ExecutionSucceededEventDetails) => "executionSucceededEventDetails",
        ExecutionTimedOut(ExecutionTimedOutEventDetails) => "executionTimedOutEventDetails",
        FailStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        LambdaFunctionFailed(LambdaFunctionFailedEventDetails) => "lambdaFunctionFailedEventDetails",
        LambdaFunctionScheduled(LambdaFunctionScheduledEventDetails) => "lambdaFunctionScheduledEventDetails",
        LambdaFunctionScheduleFailed(LambdaFunctionScheduleFailedEventDetails) => "lambdaFunctionScheduleFailedEventDetails",
        LambdaFunctionStartFailed(LambdaFunctionStartFailedEventDetails) => "lambdaFunctionStartFailedEventDetails",
        LambdaFunctionSucceeded(LambdaFunctionSucceededEventDetails) => "lambdaFunctionSucceededEventDetails",
        LambdaFunctionTimedOut(LambdaFunctionTimedOutEventDetails) => "lambdaFunctionTimedOutEventDetails",
        MapIterationAborted(MapIterationEventDetails) => "mapIterationAbortedEventDetails",
        MapIterationFailed(MapIterationEventDetails) => "mapIterationFailedEventDetails",
        MapIterationStarted(MapIterationEventDetails) => "mapIterationStartedEventDetails",
        MapIterationSucceeded(MapIterationEventDetails) => "mapIterationSucceededEventDetails",
        MapStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        MapStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        MapStateStarted(MapStateStartedEventDetails) => "mapStateStartedEventDetails",
        ParallelStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        ParallelStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        PassStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        PassStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        SucceedStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        SucceedStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        TaskFailed(TaskFailedEventDetails) => "taskFailedEventDetails",
        TaskScheduled(TaskScheduledEventDetails) => "taskScheduledEventDetails",
        TaskStarted(TaskStartedEventDetails) => "taskStartedEventDetails",
        TaskStartFailed(TaskStartFailedEventDetails) => "taskStartFailedEventDetails",
        TaskStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        TaskStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        TaskSubmitFailed(TaskSubmitFailedEventDetails) => "taskSubmitFailedEventDetails",
        TaskSubmitted(TaskSubmittedEventDetails) => "taskSubmittedEventDetails",
        TaskSucceeded(TaskSucceededEventDetails) => "taskSucceededEventDetails",
        TaskTimedOut(TaskTimedOutEventDetails) => "taskTimedOutEventDetails",
        WaitStateEntered(StateEnteredEventDetails) => "stateEnteredEventDetails",
        WaitStateExited(StateExitedEventDetails) => "stateExitedEventDetails",
        MapRunFailed(MapRunFailedEventDetails) => "mapRunFailedEventDetails",
        MapRunStarted(MapRunStartedEventDetails) => "mapRunStartedEventDetails",
        ExecutionRedriven(ExecutionRedrivenEventDetails) => "executionRedrivenEventDetails",
        MapRunRedriven(MapRunRedrivenEventDetails) => "mapRunRedrivenEventDetails",
        EvaluationFailed(EvaluationFailedEventDetails) => "evaluationFailedEventDetails",
    }
    bare {
        LambdaFunctionStarted,
        MapStateAborted,
        MapStateFailed,
        MapStateSucceeded,
        ParallelStateAborted,
        ParallelStateFailed,
        ParallelStateStarted,
        ParallelStateSucceeded,
        TaskStateAborted,
        WaitStateAborted,
        MapRunAborted,
        MapRunSucceeded,
    }
}

/// One entry of GetExecutionHistory's `events`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// Virtual time of the event, epoch milliseconds.
    pub timestamp: i64,
    /// 1-based, sequential per execution.
    pub id: u64,
    /// The causally preceding event (0 for none), see ASL-REFERENCE §9.1.
    pub previous_event_id: u64,
    pub details: EventDetails,
}

impl HistoryEvent {
    /// An event with the given envelope.
    pub fn new(timestamp: i64, id: u64, previous_event_id: u64, details: EventDetails) -> Self {
        HistoryEvent {
            timestamp,
            id,
            previous_event_id,
            details,
        }
    }

    /// The wire `type`.
    pub fn event_type(&self) -> &'static str {
        self.details.event_type()
    }

    /// The GetExecutionHistory wire object, keys in AWS order:
    /// `timestamp, type, id, previousEventId, <x>EventDetails`.
    pub fn to_wire(&self) -> Value {
        let mut m = Map::new();
        m.insert("timestamp".into(), millis_to_wire_seconds(self.timestamp));
        m.insert("type".into(), Value::String(self.event_type().into()));
        m.insert("id".into(), Value::from(self.id));
        m.insert(
            "previousEventId".into(),
            Value::from(self.previous_event_id),
        );
        if let (Some(key), Some(d)) = (self.details.detail_key(), self.details.details_json()) {
            m.insert(key.into(), d);
        }
        Value::Object(m)
    }

    /// Parses a GetExecutionHistory wire object. Unknown members, a details
    /// member that does not belong to the type, and malformed fields are
    /// errors.
    pub fn from_wire(v: &Value) -> Result<Self, String> {
        let obj = v.as_object().ok_or("event is not a JSON object")?;
        let event_type = obj
            .get("type")
            .and_then(Value::as_str)
            .ok_or("missing string member \"type\"")?;
        let id = obj
            .get("id")
            .and_then(Value::as_u64)
            .ok_or("missing unsigned integer member \"id\"")?;
        let previous_event_id = match obj.get("previousEventId") {
            None => 0,
            Some(p) => p
                .as_u64()
                .ok_or("\"previousEventId\" is not an unsigned integer")?,
        };
        let timestamp = match obj.get("timestamp") {
            None => return Err("missing member \"timestamp\"".into()),
            Some(t) => wire_seconds_to_millis(t)?,
        };
        let expected_key = EventDetails::detail_key_of(event_type);
        let mut details = None;
        for (k, val) in obj {
            match k.as_str() {
                "type" | "id" | "previousEventId" | "timestamp" => {}
                k if Some(k) == expected_key => details = Some(val),
                k => return Err(format!("unexpected member {k:?} in a {event_type} event")),
            }
        }
        let details = EventDetails::from_wire(event_type, details)?;
        Ok(HistoryEvent {
            timestamp,
            id,
            previous_event_id,
            details,
        })
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_wire().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for HistoryEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(deserializer)?;
        HistoryEvent::from_wire(&v).map_err(serde::de::Error::custom)
    }
}

/// Epoch milliseconds → epoch seconds with a millisecond fraction, as a JSON
/// number (`1704067200.123`).
pub fn millis_to_wire_seconds(millis: i64) -> Value {
    // Division is correctly rounded, so the shortest round-trip printing of
    // the f64 shows at most three decimals; whole seconds print as
    // `1704067200.0`.
    let f = millis as f64 / 1000.0;
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Inverse of [`millis_to_wire_seconds`]; also accepts integers.
pub fn wire_seconds_to_millis(v: &Value) -> Result<i64, String> {
    if let Some(i) = v.as_i64() {
        return Ok(i.saturating_mul(1000));
    }
    let f = v
        .as_f64()
        .ok_or_else(|| format!("timestamp {v} is not a number of seconds"))?;
    if !f.is_finite() {
        return Err(format!("timestamp {v} is not finite"));
    }
    let ms = (f * 1000.0).round();
    if ms >= i64::MAX as f64 || ms <= i64::MIN as f64 {
        return Err(format!("timestamp {v} is out of range"));
    }
    Ok(ms as i64)
}

/// Serialises events as the GetExecutionHistory `events` array.
pub fn events_to_wire(events: &[HistoryEvent]) -> Value {
    Value::Array(events.iter().map(HistoryEvent::to_wire).collect())
}

#[cfg(test)]
mod tests;
