//! Helpers shared by the end-to-end tests: temporary directories and
//! running the binary with a controlled environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "asl-test-e2e-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.0.join(rel).exists()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How to set `CI` for the child.
#[derive(Clone, Copy)]
pub enum Ci<'a> {
    /// Removed from the environment (a local run).
    Unset,
    Set(&'a str),
}

/// Runs `asl-test args…` in `dir`.
pub fn run(dir: &Path, ci: Ci<'_>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_asl-test"));
    c.current_dir(dir).args(args);
    match ci {
        Ci::Unset => {
            c.env_remove("CI");
        }
        Ci::Set(v) => {
            c.env("CI", v);
        }
    }
    c.output().expect("asl-test runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or("").to_owned()
}

/// A small definition: Charge (lambda:invoke with Retry/Catch) → Done | Failed.
pub const MACHINE: &str = r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge"},
    "OutputPath": "$.Payload",
    "Retry": [{"ErrorEquals": ["Payment.Declined"], "IntervalSeconds": 2, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Done"},
  "Done": {"Type": "Succeed"},
  "Failed": {"Type": "Fail", "Error": "PaymentFailed", "Cause": "declined"}}}"#;
