//! Starting `asl-sim serve` on a free loopback port, and a tiny HTTP/1.1
//! client, for the end-to-end tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub endpoint: String,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server with `--port 0` and `args`; waits for the
/// `listening on http://HOST:PORT` line.
pub fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_asl-sim"))
        .arg("serve")
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start asl-sim serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read first line");
    let endpoint = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let addr = endpoint.trim_start_matches("http://").to_owned();
    Server {
        child,
        endpoint,
        addr,
    }
}

/// Runs the server expecting it to exit (e.g. a corrupt state file).
pub fn start_failing(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_asl-sim"))
        .arg("serve")
        .args(["--port", "0"])
        .args(args)
        .output()
        .expect("run asl-sim serve");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One HTTP/1.1 request on a fresh connection; returns (status, body).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    target: Option<&str>,
    body: &[u8],
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(t) = target {
        head.push_str(&format!("X-Amz-Target: AWSStepFunctions.{t}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("write");
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

pub fn call(addr: &str, op: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let (s, b) = request(addr, "POST", "/", Some(op), body.to_string().as_bytes());
    (
        s,
        serde_json::from_str(&b).unwrap_or(serde_json::Value::String(b)),
    )
}

/// The Python venv with boto3 and the AWS CLI (`scripts/test` creates it
/// and exports `ASL_TEST_VENV`).
pub fn venv() -> Option<std::path::PathBuf> {
    let v = std::env::var_os("ASL_TEST_VENV")?;
    let p = Path::new(&v).to_path_buf();
    p.join("bin/python").exists().then_some(p)
}

/// Environment every AWS client gets.
pub fn client_env(cmd: &mut Command, endpoint: &str) {
    cmd.env("AWS_ACCESS_KEY_ID", "dummy")
        .env("AWS_SECRET_ACCESS_KEY", "dummy")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("ASL_SIM_ENDPOINT", endpoint);
}
