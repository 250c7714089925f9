//! The service's errors: the error shape names of the model, their messages
//! and the extra members (`reason`, `resourceName`) some of them carry.

use std::fmt;

/// One error answer of the service (HTTP 400 on the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The error shape name (`__type`): `InvalidArn`, `ValidationException`, …
    pub code: &'static str,
    pub message: String,
    /// `ValidationException.reason`.
    pub reason: Option<&'static str>,
    /// `ResourceNotFound.resourceName`, `TooManyTags.resourceName`.
    pub resource_name: Option<String>,
}

impl ServiceError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            message: message.into(),
            reason: None,
            resource_name: None,
        }
    }

    pub fn with_reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }

    pub fn with_resource(mut self, name: impl Into<String>) -> Self {
        self.resource_name = Some(name.into());
        self
    }

    /// The wire body `{"__type": …, "message": …}` (+ `reason`, `resourceName`).
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("__type".into(), self.code.into());
        m.insert("message".into(), self.message.clone().into());
        if let Some(r) = self.reason {
            m.insert("reason".into(), r.into());
        }
        if let Some(r) = &self.resource_name {
            m.insert("resourceName".into(), r.clone().into());
        }
        serde_json::Value::Object(m)
    }

    pub fn state_machine_does_not_exist(arn: &str) -> Self {
        Self::new(
            "StateMachineDoesNotExist",
            format!("State Machine Does Not Exist: '{arn}'"),
        )
    }
    pub fn execution_does_not_exist(arn: &str) -> Self {
        Self::new(
            "ExecutionDoesNotExist",
            format!("Execution Does Not Exist: '{arn}'"),
        )
    }
    pub fn activity_does_not_exist(arn: &str) -> Self {
        Self::new(
            "ActivityDoesNotExist",
            format!("Activity Does Not Exist: '{arn}'"),
        )
    }
    pub fn invalid_arn(arn: &str) -> Self {
        Self::new("InvalidArn", format!("Invalid Arn: '{arn}'"))
    }
    pub fn type_not_supported() -> Self {
        Self::new(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        )
    }
    pub fn invalid_token(detail: &str) -> Self {
        Self::new("InvalidToken", format!("Invalid Token: '{detail}'"))
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ServiceError {}

/// Collects constraint violations of one request, then reports them the way
/// AWS's model layer does: `1 validation error detected: Value '1001' at
/// 'maxResults' failed to satisfy constraint: Member must have value less
/// than or equal to 1000` (several joined with `; `).
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<String>,
}

/// Shows a value in a validation message; sensitive members are not echoed.
fn shown(value: &str, sensitive: bool) -> String {
    if sensitive {
        "Value".into()
    } else {
        format!("Value '{value}'")
    }
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, text: String) {
        self.errors.push(text);
    }

    pub fn required<T>(&mut self, member: &str, value: &Option<T>) {
        if value.is_none() {
            self.push(format!(
                "Value null at '{member}' failed to satisfy constraint: Member must not be null"
            ));
        }
    }

    /// Length in characters (Unicode scalar values) within `min..=max`.
    pub fn length(&mut self, member: &str, value: Option<&str>, min: usize, max: usize) {
        self.length_inner(member, value, min, max, false)
    }

    /// Like [`Validator::length`] for members whose value AWS does not echo.
    pub fn length_sensitive(&mut self, member: &str, value: Option<&str>, min: usize, max: usize) {
        self.length_inner(member, value, min, max, true)
    }

    fn length_inner(
        &mut self,
        member: &str,
        value: Option<&str>,
        min: usize,
        max: usize,
        sensitive: bool,
    ) {
        let Some(v) = value else { return };
        let n = v.chars().count();
        if n < min {
            self.push(format!(
                "{} at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}",
                shown(v, sensitive)
            ));
        } else if n > max {
            self.push(format!(
                "{} at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}",
                shown(v, sensitive)
            ));
        }
    }

    pub fn range(&mut self, member: &str, value: Option<i64>, min: i64, max: i64) {
        let Some(v) = value else { return };
        if v < min {
            self.push(format!(
                "Value '{v}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {min}"
            ));
        } else if v > max {
            self.push(format!(
                "Value '{v}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}"
            ));
        }
    }

    pub fn range_f64(&mut self, member: &str, value: Option<f64>, min: f64, max: f64) {
        let Some(v) = value else { return };
        if v.is_nan() || v < min {
            self.push(format!(
                "Value '{v}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {min}"
            ));
        } else if v > max {
            self.push(format!(
                "Value '{v}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}"
            ));
        }
    }

    pub fn one_of(&mut self, member: &str, value: Option<&str>, allowed: &[&str]) {
        let Some(v) = value else { return };
        if !allowed.contains(&v) {
            self.push(format!(
                "Value '{v}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                allowed.join(", ")
            ));
        }
    }

    pub fn finish(self) -> Result<(), ServiceError> {
        match self.errors.len() {
            0 => Ok(()),
            1 => Err(ServiceError::new(
                "ValidationException",
                format!("1 validation error detected: {}", self.errors[0]),
            )),
            n => Err(ServiceError::new(
                "ValidationException",
                format!("{n} validation errors detected: {}", self.errors.join("; ")),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages() {
        let mut v = Validator::new();
        v.range("maxResults", Some(1001), 0, 1000);
        assert_eq!(
            v.finish().unwrap_err().message,
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
        );
        let mut v = Validator::new();
        v.one_of("statusFilter", Some("succeeded"), &["RUNNING", "SUCCEEDED"]);
        v.required::<String>("executionArn", &None);
        let e = v.finish().unwrap_err();
        assert!(e
            .message
            .starts_with("2 validation errors detected: Value 'succeeded' at 'statusFilter'"));
        assert!(e.message.contains("; Value null at 'executionArn'"));
    }
}
