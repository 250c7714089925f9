//! The engine as a [`CaseRunner`]: each case runs with its recorded names
//! (`meta.state_machine_name`, `meta.execution_name`), role, input text,
//! account 111111111111, region us-east-1, and its Task answers.

use super::case::Case;
use super::runner::{CaseRunner, Produced};
use crate::engine::{execute, ExecutionConfig};

/// Runs cases through [`crate::engine::execute`].
#[derive(Debug, Default, Clone, Copy)]
pub struct EngineRunner;

impl CaseRunner for EngineRunner {
    fn run(&self, case: &Case) -> Result<Produced, String> {
        let config = ExecutionConfig {
            account: "111111111111".into(),
            region: "us-east-1".into(),
            state_machine_name: case.meta.state_machine_name.clone(),
            execution_name: case.meta.execution_name.clone(),
            role_arn: case.role_arn(),
            aws_behaviour: case.meta.aws_behaviour(),
            ..ExecutionConfig::default()
        };
        let mut resolver = case.resolver();
        let r = execute(
            &case.definition,
            &case.execution_input(),
            &config,
            resolver.as_mut(),
        )
        .map_err(|e| e.to_string())?;
        Ok(Produced {
            status: r.status,
            output: r.output,
            error: r.error,
            cause: r.cause,
            history: r.history,
        })
    }
}
