//! `asl-sim serve`: the AWS JSON 1.0 endpoint (`POST /` with
//! `X-Amz-Target: AWSStepFunctions.<Operation>`) in front of a
//! [`Service`], plus control endpoints under `/_asl/`.
//!
//! No authentication: requests are not signed-checked, credentials are
//! ignored. Bind to loopback (the default) unless you mean otherwise.

use crate::service::{persist, ClockMode, Service, ServiceConfig, ServiceError};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Largest request body accepted (AWS's hard API request limit is 1 MB;
/// a 1,048,576-character definition plus JSON escaping needs a little more).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Operations of the current API that are newer than 2016-11-23's 26 and
/// not implemented (ValidateStateMachineDefinition is).
pub const NEWER_OPERATIONS: &[&str] = &[
    "CreateStateMachineAlias",
    "DeleteStateMachineAlias",
    "DeleteStateMachineVersion",
    "DescribeStateMachineAlias",
    "ListStateMachineAliases",
    "ListStateMachineVersions",
    "PublishStateMachineVersion",
    "RedriveExecution",
    "TestState",
    "UpdateStateMachineAlias",
];

/// How `asl-sim serve` runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
    pub service: ServiceConfig,
    pub state_file: Option<PathBuf>,
    pub verbose: bool,
    /// How long GetActivityTask waits for a task (wall clock).
    pub poll_timeout: Duration,
}

struct App {
    svc: Mutex<Service>,
    requests: std::sync::atomic::AtomicU64,
    notify: Notify,
    state_file: Option<PathBuf>,
    verbose: bool,
    poll_timeout: Duration,
}

impl App {
    fn lock(&self) -> MutexGuard<'_, Service> {
        self.svc.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn serialization(msg: impl Into<String>) -> ServiceError {
    ServiceError::new("SerializationException", msg)
}

fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, ServiceError> {
    serde_json::from_value(body.clone())
        .map_err(|e| serialization(format!("Invalid request body: {e}")))
}

fn encode<T: serde::Serialize>(r: Result<T, ServiceError>) -> Result<Value, ServiceError> {
    r.map(|v| serde_json::to_value(v).unwrap_or_else(|_| json!({})))
}

/// Runs one AWS JSON 1.0 request against the service.
pub fn dispatch(svc: &mut Service, operation: &str, body: &[u8]) -> Result<Value, ServiceError> {
    let known = |op: &str| OPERATIONS.contains(&op) || op == "ValidateStateMachineDefinition";
    if !known(operation) {
        return Err(ServiceError::new(
            "UnknownOperationException",
            if operation.is_empty() {
                "Missing or malformed X-Amz-Target header (expected AWSStepFunctions.<Operation>)"
                    .to_owned()
            } else if NEWER_OPERATIONS.contains(&operation) {
                format!("Operation {operation} is not supported by asl-sim (it is newer than API 2016-11-23)")
            } else {
                format!("Unknown operation {operation}")
            },
        ));
    }
    let text =
        std::str::from_utf8(body).map_err(|_| serialization("Request body is not valid UTF-8"))?;
    let value: Value = if text.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(text)
            .map_err(|e| serialization(format!("Request body is not valid JSON: {e}")))?
    };
    if !value.is_object() {
        return Err(serialization("Request body must be a JSON object"));
    }
    macro_rules! ops {
        ($($name:literal => $method:ident),* $(,)?) => {
            match operation {
                $($name => encode(svc.$method(decode(&value)?)),)*
                _ => Err(ServiceError::new("UnknownOperationException", format!("Unknown operation {operation}"))),
            }
        };
    }
    ops! {
        "CreateActivity" => create_activity,
        "CreateStateMachine" => create_state_machine,
        "DeleteActivity" => delete_activity,
        "DeleteStateMachine" => delete_state_machine,
        "DescribeActivity" => describe_activity,
        "DescribeExecution" => describe_execution,
        "DescribeMapRun" => describe_map_run,
        "DescribeStateMachine" => describe_state_machine,
        "DescribeStateMachineForExecution" => describe_state_machine_for_execution,
        "GetActivityTask" => get_activity_task,
        "GetExecutionHistory" => get_execution_history,
        "ListActivities" => list_activities,
        "ListExecutions" => list_executions,
        "ListMapRuns" => list_map_runs,
        "ListStateMachines" => list_state_machines,
        "ListTagsForResource" => list_tags_for_resource,
        "SendTaskFailure" => send_task_failure,
        "SendTaskHeartbeat" => send_task_heartbeat,
        "SendTaskSuccess" => send_task_success,
        "StartExecution" => start_execution,
        "StartSyncExecution" => start_sync_execution,
        "StopExecution" => stop_execution,
        "TagResource" => tag_resource,
        "UntagResource" => untag_resource,
        "UpdateMapRun" => update_map_run,
        "UpdateStateMachine" => update_state_machine,
        "ValidateStateMachineDefinition" => validate_state_machine_definition,
    }
}

/// The 26 operations of API 2016-11-23.
pub const OPERATIONS: &[&str] = &[
    "CreateActivity",
    "CreateStateMachine",
    "DeleteActivity",
    "DeleteStateMachine",
    "DescribeActivity",
    "DescribeExecution",
    "DescribeMapRun",
    "DescribeStateMachine",
    "DescribeStateMachineForExecution",
    "GetActivityTask",
    "GetExecutionHistory",
    "ListActivities",
    "ListExecutions",
    "ListMapRuns",
    "ListStateMachines",
    "ListTagsForResource",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "SendTaskSuccess",
    "StartExecution",
    "StartSyncExecution",
    "StopExecution",
    "TagResource",
    "UntagResource",
    "UpdateMapRun",
    "UpdateStateMachine",
];

fn json_response(status: StatusCode, body: &Value, request_id: &str) -> Response {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    r
}

fn answer(result: Result<Value, ServiceError>, request_id: &str) -> (Response, &'static str) {
    match result {
        Ok(v) => (json_response(StatusCode::OK, &v, request_id), "200"),
        Err(e) => {
            let mut r = json_response(StatusCode::BAD_REQUEST, &e.to_json(), request_id);
            if let Ok(v) = HeaderValue::from_str(e.code) {
                r.headers_mut().insert("x-amzn-ErrorType", v);
            }
            (r, e.code)
        }
    }
}

impl App {
    /// Runs `op` under the lock, catching panics, and saves the state when
    /// it changed.
    fn call(&self, op: &str, body: &[u8]) -> Result<Value, ServiceError> {
        let mut svc = self.lock();
        let before = svc.generation();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            dispatch(&mut svc, op, body)
        }))
        .unwrap_or_else(|_| {
            Err(ServiceError::new(
                "InternalFailure",
                "internal error while handling the request",
            ))
        });
        if svc.generation() != before {
            if let Some(path) = &self.state_file {
                if let Err(e) = persist::save(path, &svc.snapshot()) {
                    eprintln!("asl-sim: cannot write state file {}: {e}", path.display());
                }
            }
            drop(svc);
            self.notify.notify_waiters();
        }
        r
    }
}

async fn aws(State(app): State<Arc<App>>, req: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let op = target
        .strip_prefix("AWSStepFunctions.")
        .unwrap_or("")
        .to_owned();
    let n = app
        .requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        + 1;
    let request_id = format!("00000000-0000-4000-8000-{n:012x}");
    let (resp, outcome) = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Err(_) => {
            let e = ServiceError::new(
                "RequestEntityTooLargeException",
                format!("Request body is larger than the limit of {BODY_LIMIT} bytes"),
            );
            let mut r = json_response(StatusCode::PAYLOAD_TOO_LARGE, &e.to_json(), &request_id);
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            (r, "413")
        }
        Ok(bytes) if op == "GetActivityTask" => answer(long_poll(&app, &bytes).await, &request_id),
        Ok(bytes) => answer(app.call(&op, &bytes), &request_id),
    };
    if app.verbose {
        eprintln!(
            "{} {} {} {} {:.3}ms",
            parts.method,
            parts.uri.path(),
            if target.is_empty() { "-" } else { &target },
            outcome,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    resp
}

/// GetActivityTask: answers as soon as a task is there, else after the
/// poll timeout (60 s of wall-clock time by default) with no token.
async fn long_poll(app: &Arc<App>, body: &[u8]) -> Result<Value, ServiceError> {
    let deadline = tokio::time::Instant::now() + app.poll_timeout;
    loop {
        let notified = app.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let r = app.call("GetActivityTask", body);
        let empty = matches!(&r, Ok(v) if v.get("taskToken").is_none());
        if !empty || tokio::time::Instant::now() >= deadline {
            return r;
        }
        tokio::select! {
            _ = &mut notified => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

fn clock_json(svc: &Service) -> Value {
    let now = svc.now();
    json!({
        "now": crate::history::millis_to_wire_seconds(now),
        "iso": crate::clock::format_rfc3339(now),
        "mode": match svc.clock_mode() { ClockMode::Virtual => "virtual", ClockMode::Real => "real" },
        "held": svc.clock_held(),
    })
}

async fn health() -> Response {
    json_response(StatusCode::OK, &json!({"status": "ok"}), "health")
}

async fn clock(State(app): State<Arc<App>>) -> Response {
    let v = clock_json(&app.lock());
    json_response(StatusCode::OK, &v, "clock")
}

async fn advance(State(app): State<Arc<App>>, req: Request) -> Response {
    let bad = |m: &str| {
        json_response(
            StatusCode::BAD_REQUEST,
            &json!({"__type": "ValidationException", "message": m}),
            "clock",
        )
    };
    let Ok(bytes) = axum::body::to_bytes(req.into_body(), 64 * 1024).await else {
        return bad("body too large");
    };
    let seconds = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("seconds").and_then(Value::as_f64));
    let Some(seconds) = seconds.filter(|s| s.is_finite() && *s >= 0.0) else {
        return bad("expected {\"seconds\": N} with a finite N >= 0");
    };
    let v = {
        let mut svc = app.lock();
        svc.advance_clock(crate::clock::f64_secs_to_millis(seconds));
        clock_json(&svc)
    };
    app.notify.notify_waiters();
    json_response(StatusCode::OK, &v, "clock")
}

async fn not_found(method: Method) -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({"__type": "UnknownOperationException", "message": format!("No route for {method}; the AWS API is POST / and control endpoints live under /_asl/")}),
        "none",
    )
}

/// Builds the service (restoring `--state-file`) and the router.
pub fn app(config: &ServerConfig) -> Result<Router, String> {
    let svc = match &config.state_file {
        Some(path) => match persist::load(path)? {
            Some(state) => Service::with_state(config.service.clone(), state),
            None => Service::new(config.service.clone()),
        },
        None => Service::new(config.service.clone()),
    };
    let app = Arc::new(App {
        svc: Mutex::new(svc),
        requests: std::sync::atomic::AtomicU64::new(0),
        notify: Notify::new(),
        state_file: config.state_file.clone(),
        verbose: config.verbose,
        poll_timeout: config.poll_timeout,
    });
    Ok(Router::new()
        .route("/", post(aws))
        .route("/_asl/health", get(health))
        .route("/_asl/clock", get(clock))
        .route("/_asl/clock/advance", post(advance))
        .fallback(not_found)
        .with_state(app))
}

/// Runs the server until interrupted. Prints `listening on http://HOST:PORT`
/// as the first line of stdout once the socket is bound.
pub fn run(config: ServerConfig) -> Result<(), String> {
    let router = app(&config)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let host = if addr.is_ipv6() {
                format!("[{}]", addr.ip())
            } else {
                addr.ip().to_string()
            };
            let _ = writeln!(out, "listening on http://{host}:{}", addr.port());
            let _ = out.flush();
        }
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}
