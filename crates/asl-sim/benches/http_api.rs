//! API calls per second of `asl-sim serve` over HTTP: StartExecution +
//! DescribeExecution of a one-state machine, with one keep-alive client and
//! with 32 concurrent clients (hand-rolled HTTP/1.1 over `TcpStream`), and,
//! when `ASL_TEST_VENV` names the test venv, the same loop driven by boto3.
//! For scale: moto manages about 13 executions/s via boto3.
//!
//! Run: `cargo bench -p asl-sim --bench http_api`. Under `cargo test
//! --all-targets` (no `--bench` argument) it only does a short smoke run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_asl-sim"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start asl-sim serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("listening on http://")
        .to_owned();
    Server(child, addr)
}

/// A keep-alive HTTP/1.1 connection speaking AWS JSON 1.0.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    host: String,
}

impl Client {
    fn connect(addr: &str) -> Client {
        let s = TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).ok();
        Client {
            reader: BufReader::new(s.try_clone().unwrap()),
            writer: s,
            host: addr.to_owned(),
        }
    }

    fn call(&mut self, op: &str, body: &str) -> serde_json::Value {
        let req = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: AWSStepFunctions.{op}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.writer.write_all(req.as_bytes()).expect("write");
        let mut len = 0usize;
        let mut status = String::new();
        self.reader.read_line(&mut status).expect("status line");
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut buf = vec![0; len];
        self.reader.read_exact(&mut buf).expect("body");
        assert!(
            status.contains(" 200 "),
            "{op}: {status} {}",
            String::from_utf8_lossy(&buf)
        );
        serde_json::from_slice(&buf).expect("json body")
    }
}

fn run_client(addr: &str, sm: &str, n: usize) {
    let mut c = Client::connect(addr);
    let start = format!(r#"{{"stateMachineArn":"{sm}","input":"{{\"n\":1}}"}}"#);
    for _ in 0..n {
        let e = c.call("StartExecution", &start);
        let arn = e["executionArn"].as_str().unwrap().to_owned();
        let d = c.call(
            "DescribeExecution",
            &format!(r#"{{"executionArn":"{arn}"}}"#),
        );
        assert_eq!(d["status"], "SUCCEEDED");
    }
}

fn report(label: &str, executions: usize, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    println!(
        "{label:<28} {executions:>7} executions in {secs:>6.2} s: {:>9.0} executions/s, {:>9.0} API calls/s",
        executions as f64 / secs,
        2.0 * executions as f64 / secs
    );
}

const BOTO3: &str = r#"
import boto3, json, os, time
c = boto3.client("stepfunctions", region_name="us-east-1", endpoint_url=os.environ["ASL_SIM_ENDPOINT"],
                 aws_access_key_id="x", aws_secret_access_key="x")
arn = c.create_state_machine(name="bench-boto3", roleArn="arn:aws:iam::123456789012:role/r",
    definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
n, t0 = 0, time.time()
while time.time() - t0 < float(os.environ.get("BENCH_SECONDS", "3")):
    e = c.start_execution(stateMachineArn=arn, input='{"n": 1}')
    c.describe_execution(executionArn=e["executionArn"])
    n += 1
dt = time.time() - t0
print(f"{'boto3, 1 client':<28} {n:>7} executions in {dt:>6.2} s: {n/dt:>9.0f} executions/s, {2*n/dt:>9.0f} API calls/s")
"#;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (single, per_client) = if full { (20_000, 2_000) } else { (200, 20) };
    let server = start();
    let addr = server.1.clone();
    let mut c = Client::connect(&addr);
    let sm = c.call(
        "CreateStateMachine",
        r#"{"name":"bench","roleArn":"arn:aws:iam::123456789012:role/r","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}"#,
    )["stateMachineArn"]
        .as_str()
        .unwrap()
        .to_owned();
    run_client(&addr, &sm, 50); // warm-up
    let t = Instant::now();
    run_client(&addr, &sm, single);
    report("HTTP keep-alive, 1 client", single, t.elapsed());
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..32 {
            let (addr, sm) = (addr.clone(), sm.clone());
            s.spawn(move || run_client(&addr, &sm, per_client));
        }
    });
    report("HTTP keep-alive, 32 clients", 32 * per_client, t.elapsed());
    match std::env::var_os("ASL_TEST_VENV") {
        Some(venv) if full => {
            let out = Command::new(std::path::Path::new(&venv).join("bin/python"))
                .args(["-c", BOTO3])
                .env("ASL_SIM_ENDPOINT", format!("http://{addr}"))
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .output();
            match out {
                Ok(o) => print!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                ),
                Err(e) => println!("boto3 figure skipped: {e}"),
            }
        }
        _ => println!("boto3 figure: run with --bench and ASL_TEST_VENV set"),
    }
    if !full {
        println!("smoke run only; `cargo bench -p asl-sim --bench http_api` measures");
    }
}
