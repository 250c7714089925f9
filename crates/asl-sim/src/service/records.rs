//! What the service stores: state machines, activities, executions (with
//! their histories), task tokens and activity queues. All of it is
//! serialisable, so `--state-file` can save and restore it.

use super::driver::{RecordedAnswer, Waiting};
use super::types::{EncryptionConfiguration, LoggingConfiguration, Tag, TracingConfiguration};
use crate::history::HistoryEvent;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The persistent state of a [`super::Service`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// Counter for ids drawn from the seeded PRNG (one stream per id).
    pub ids_issued: u64,
    /// Executions started so far (orders ListExecutions).
    pub executions_started: u64,
    pub clock_now: Option<i64>,
    /// Latest stop date of any execution (the virtual clock skips to it).
    pub max_stop: i64,
    pub state_machines: BTreeMap<String, StateMachineRecord>,
    pub activities: BTreeMap<String, ActivityRecord>,
    pub executions: BTreeMap<String, ExecutionRecord>,
    /// State machine ARN → its executions' ARNs, oldest first.
    pub by_state_machine: BTreeMap<String, Vec<String>>,
    /// Activity ARN → tasks waiting for a worker, oldest first.
    pub activity_queues: BTreeMap<String, VecDeque<QueuedTask>>,
    pub tokens: BTreeMap<String, TokenRecord>,
    /// Executions waiting on an outside actor.
    pub blocked: BTreeSet<String>,
    /// Map run ARN → execution ARN.
    pub map_runs: BTreeMap<String, String>,
    /// UpdateMapRun settings by map run ARN.
    pub map_run_settings: BTreeMap<String, MapRunSettings>,
    #[serde(skip)]
    pub generation: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachineRecord {
    pub arn: String,
    pub name: String,
    pub definition: String,
    pub role_arn: String,
    pub r#type: String,
    pub creation_date: i64,
    pub update_date: i64,
    pub logging: LoggingConfiguration,
    pub tracing: TracingConfiguration,
    pub encryption: Option<EncryptionConfiguration>,
    pub tags: Vec<Tag>,
    pub revision_id: String,
    pub deleting: bool,
    pub versions: BTreeMap<u64, VersionRecord>,
    pub next_version: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionRecord {
    pub definition: String,
    pub role_arn: String,
    pub revision_id: String,
    pub creation_date: i64,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRecord {
    pub arn: String,
    pub name: String,
    pub creation_date: i64,
    pub tags: Vec<Tag>,
    pub encryption: Option<EncryptionConfiguration>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRecord {
    pub arn: String,
    pub state_machine_arn: String,
    pub state_machine_name: String,
    pub name: String,
    pub express: bool,
    pub seq: u64,
    pub input: String,
    pub trace_header: Option<String>,
    pub start: i64,
    pub seed: u64,
    /// What it runs: the definition and role at start time.
    pub definition: String,
    pub role_arn: String,
    pub revision_id: String,
    pub state_machine_update_date: i64,
    pub logging: LoggingConfiguration,
    pub tracing: TracingConfiguration,
    pub version_arn: Option<String>,
    /// Step Functions Local mock test case (`<arn>#<TestCase>`).
    pub test_case: Option<String>,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`.
    pub status: String,
    pub stop: Option<i64>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    #[serde(serialize_with = "ser_history", deserialize_with = "de_history")]
    pub history: Vec<HistoryEvent>,
    pub answers: BTreeMap<u32, RecordedAnswer>,
    pub waiting: Option<Waiting>,
    /// Child executions by task invocation.
    pub children: BTreeMap<u32, String>,
    /// The execution (and invocation) that started this one.
    pub parent: Option<(String, u32)>,
}

impl ExecutionRecord {
    /// Whether the execution has closed as of `now` (a finished execution
    /// whose end lies in the future is still RUNNING to observers).
    pub fn closed_at(&self, now: i64) -> bool {
        self.status != "RUNNING" && self.stop.is_some_and(|s| s <= now)
    }

    pub fn visible_status(&self, now: i64) -> &str {
        if self.closed_at(now) {
            &self.status
        } else {
            "RUNNING"
        }
    }

    /// The events that have happened by `now`.
    pub fn visible_history(&self, now: i64) -> &[HistoryEvent] {
        let n = self.history.partition_point(|e| e.timestamp <= now);
        &self.history[..n]
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedTask {
    pub execution_arn: String,
    pub invocation: u32,
    pub input: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub execution_arn: String,
    pub invocation: u32,
    pub closed: bool,
    pub worker_name: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRunSettings {
    pub max_concurrency: Option<i64>,
    pub tolerated_failure_percentage: Option<f64>,
    pub tolerated_failure_count: Option<i64>,
}

fn ser_history<S: Serializer>(h: &[HistoryEvent], s: S) -> Result<S::Ok, S::Error> {
    crate::history::events_to_wire(h).serialize(s)
}

fn de_history<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<HistoryEvent>, D::Error> {
    let v: Vec<serde_json::Value> = Vec::deserialize(d)?;
    v.iter()
        .map(|e| HistoryEvent::from_wire(e).map_err(serde::de::Error::custom))
        .collect()
}
