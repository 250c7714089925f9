//! Engine errors (the execution could not be run at all) and the runtime
//! error model (a state failed; matched by Retry/Catch).

use std::fmt;

/// Why the engine did not run an execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// The definition is not JSON or not runnable.
    InvalidDefinition(String),
    /// The input is not a JSON text.
    InvalidInput(String),
    /// A feature the engine does not implement yet (state, field).
    Unsupported(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::InvalidDefinition(m) => write!(f, "invalid definition: {m}"),
            EngineError::InvalidInput(m) => write!(f, "invalid input: {m}"),
            EngineError::Unsupported(m) => write!(f, "engine: not implemented yet: {m}"),
        }
    }
}

impl std::error::Error for EngineError {}

/// A state failure: a named error (matched by Retry/Catch) with an optional
/// cause. `States.Runtime` is matched by nothing (ASL-REFERENCE §8.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatesError {
    pub error: Option<String>,
    pub cause: Option<String>,
}

impl StatesError {
    /// Whether a Retry/Catch `ErrorEquals` list matches this error.
    pub fn matches(&self, error_equals: &[String]) -> bool {
        let name = self.error.as_deref().unwrap_or("");
        if name == "States.Runtime" {
            return false;
        }
        error_equals.iter().any(|e| match e.as_str() {
            "States.ALL" => true,
            "States.TaskFailed" => {
                name != "States.Timeout" && !name.starts_with("States.")
                    || name == "States.TaskFailed"
            }
            other => other == name,
        })
    }

    /// The error output of a caught failure: `{"Error", "Cause"}`; a missing
    /// cause is `""`, both missing are `null` (§8.4).
    pub fn error_output(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        match (&self.error, &self.cause) {
            (None, None) => {
                m.insert("Error".into(), serde_json::Value::Null);
                m.insert("Cause".into(), serde_json::Value::Null);
            }
            (e, c) => {
                m.insert(
                    "Error".into(),
                    e.clone().map_or(serde_json::Value::Null, Into::into),
                );
                m.insert("Cause".into(), c.clone().unwrap_or_default().into());
            }
        }
        serde_json::Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(name: &str) -> StatesError {
        StatesError {
            error: Some(name.into()),
            cause: None,
        }
    }

    #[test]
    fn matching() {
        let all = vec!["States.ALL".to_string()];
        assert!(err("Lambda.Unknown").matches(&all));
        assert!(!err("States.Runtime").matches(&all));
        assert!(!err("States.Runtime").matches(&["States.Runtime".to_string()]));
        assert!(err("States.DataLimitExceeded").matches(&all));
        let tf = vec!["States.TaskFailed".to_string()];
        assert!(err("Lambda.Unknown").matches(&tf));
        assert!(!err("States.Timeout").matches(&tf));
        assert!(err("X").matches(&["Y".into(), "X".into()]));
        assert!(!err("X").matches(&["Y".into()]));
    }

    #[test]
    fn error_output_shapes() {
        assert_eq!(
            err("States.Timeout").error_output().to_string(),
            r#"{"Error":"States.Timeout","Cause":""}"#
        );
        let none = StatesError {
            error: None,
            cause: None,
        };
        assert_eq!(
            none.error_output().to_string(),
            r#"{"Error":null,"Cause":null}"#
        );
    }
}
