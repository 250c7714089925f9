//! How Step Functions reports JSONata failures: the `cause` texts of
//! `States.QueryEvaluationError`, exactly as recorded in AWS execution
//! histories.

use super::eval::EvalError;

/// Why evaluating a field's JSONata expression failed, from the engine's
/// point of view.
#[derive(Clone, Debug)]
pub enum QueryFailure<'v> {
    /// Evaluation raised an error (rendered `CODE: message`). A
    /// function-valued result ([`EvalError::is_unsupported_result`]) is
    /// rendered as [`QueryFailure::UnsupportedResult`].
    Threw(&'v EvalError),
    /// The expression evaluated to *undefined*.
    Undefined,
    /// The result had the wrong JSON type for the field.
    UnexpectedType {
        /// The type the field needs: `array`, `number`, `string`, …
        expected: &'v str,
        /// The value produced.
        value: &'v serde_json::Value,
    },
    /// The result was not JSON (a function).
    UnsupportedResult,
}

/// The JSON type name AWS prints for a value (`string`, `number`,
/// `boolean`, `null`, `object`, `array`).
pub fn json_type_name(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// The cause text of a `States.QueryEvaluationError` for the expression
/// text `expr` (the inside of `{% … %}`; surrounding whitespace is trimmed
/// as AWS does) in the field `field` (a `/`-separated path such as
/// `Arguments/FunctionName`, `Assign/result`, `Output`, `Items`).
///
/// The engine prefixes it with `An error occurred while executing the state
/// '<name>' (entered at the event id #<n>). ` (see [`state_error_prefix`]).
pub fn query_evaluation_cause(expr: &str, field: &str, failure: &QueryFailure<'_>) -> String {
    let head = format!(
        "The JSONata expression '{}' specified for the field '{}'",
        expr.trim(),
        field
    );
    match failure {
        QueryFailure::Threw(e) if e.is_unsupported_result() => {
            format!("{head} returned an unsupported result type.")
        }
        QueryFailure::Threw(e) => {
            format!("{head} threw an error during evaluation. {}: {}", e.code, e.message)
        }
        QueryFailure::Undefined => format!("{head} returned nothing (undefined)."),
        QueryFailure::UnexpectedType { expected, value } => format!(
            "{head} returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
            json_type_name(value),
            serde_json::to_string(value).unwrap_or_default()
        ),
        QueryFailure::UnsupportedResult => format!("{head} returned an unsupported result type."),
    }
}

/// `An error occurred while executing the state '<state>' (entered at the
/// event id #<entered_event_id>). `
pub fn state_error_prefix(state: &str, entered_event_id: u64) -> String {
    format!(
        "An error occurred while executing the state '{state}' (entered at the event id #{entered_event_id}). "
    )
}
