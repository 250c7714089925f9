//! End-to-end tests of `asl-lint lsp`: a client speaking real LSP messages
//! to the binary over stdio. Every wait has a timeout, so a hung server
//! fails the test instead of hanging CI.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long any single wait may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A language client driving one `asl-lint lsp` process.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Every message received from the server, in order.
    seen: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Self {
        Client::start_with(&["lsp"])
    }

    fn start_with(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_asl-lint"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("asl-lint lsp starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            seen: Vec::new(),
            next_id: 1,
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response message.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("response to {method}"), |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    /// The next message (after those already seen) matching `pred`.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    self.seen.push(message.clone());
                    if pred(&message) {
                        return message;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!("timed out waiting for {what}; seen: {:#?}", self.seen);
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "server closed its output waiting for {what}; seen: {:#?}",
                        self.seen
                    )
                }
            }
        }
    }

    /// The next `publishDiagnostics` for `uri`: its diagnostics array.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self) -> Value {
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, language_id: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}}),
        );
    }

    /// Waits for the process to end; returns its exit code.
    fn wait_exit(&mut self) -> i32 {
        self.stdin = None;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited normally");
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Reads one `Content-Length` frame; `None` at the end of the stream.
fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = Some(value.parse::<usize>().ok()?);
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("server sends JSON"))
}

/// The UTF-16 position of byte `offset` in single-line-or-more `text`.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[line_start..offset].encode_utf16().count()})
}

const VALID: &str = r#"{
  "StartAt": "Start",
  "States": {
    "Start": {"Type": "Pass", "End": true}
  }
}"#;

/// The emoji makes UTF-16 columns differ from character columns.
const MISSPELT: &str = r#"{
  "StartAt": "Start",
  "States": {
    "Start": {"Type": "Pass", "Comment": "😀 é", "Next": "Finsh"},
    "Finish": {"Type": "Succeed"}
  }
}"#;

#[test]
fn lsp_session_end_to_end() {
    let mut client = Client::start();

    // Requests before `initialize` are refused, not crashed on.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");

    let init = client.initialize();
    let caps = &init["result"]["capabilities"];
    assert_eq!(init["result"]["serverInfo"]["name"], "asl-lint");
    assert!(caps["textDocumentSync"]["openClose"] == true, "{init}");
    assert!(caps["codeActionProvider"].is_object(), "{init}");
    assert_eq!(caps["hoverProvider"], true);

    // A valid definition: an empty list is published.
    let valid_uri = "file:///work/flows/ok.asl.json";
    client.open(valid_uri, "json", VALID);
    assert_eq!(client.diagnostics(valid_uri), Vec::<Value>::new());

    // A misspelt Next: one error at the target, in UTF-16 columns.
    let bad_uri = "file:///work/flows/bad.asl.json";
    client.open(bad_uri, "json", MISSPELT);
    let diagnostics = client.diagnostics(bad_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d["source"], "asl-lint");
    assert_eq!(d["severity"], 1);
    let code = d["code"].as_str().unwrap();
    assert!(code.starts_with("ASL-"), "{d}");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/missing-transition-target.md"),
        "{d}"
    );
    let target = MISSPELT.find("\"Finsh\"").unwrap();
    assert_eq!(d["range"]["start"], position(MISSPELT, target), "{d}");
    assert_eq!(
        d["range"]["end"],
        position(MISSPELT, target + "\"Finsh\"".len()),
        "{d}"
    );
    assert_eq!(d["range"]["start"]["line"], 3);
    // Character columns would say 56; UTF-16 counts the emoji twice.
    assert_eq!(d["range"]["start"]["character"], 57);

    // The quick fix renames the target to the closest state name.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": bad_uri},
            "range": d["range"],
            "context": {"diagnostics": [d]}
        }),
    );
    let actions = actions["result"]
        .as_array()
        .expect("a list of actions")
        .clone();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert!(
        action["title"].as_str().unwrap().contains("Finish"),
        "{action}"
    );
    assert_eq!(action["diagnostics"][0]["code"], code);
    let edits = action["edit"]["changes"][bad_uri].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let fixed = apply_edit(MISSPELT, &edits[0]);
    assert!(fixed.contains(r#""Next": "Finish""#), "{fixed}");

    // Hover on the finding explains it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": bad_uri}, "position": d["range"]["start"]}),
    );
    let hover_text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(hover_text.contains(code), "{hover}");

    // Applying the fix (as a full-text change) clears the finding.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": bad_uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(bad_uri), Vec::<Value>::new());

    // An untitled JSON document that is a definition is linted too.
    let untitled = "untitled:Untitled-1";
    client.open(untitled, "json", MISSPELT);
    assert_eq!(client.diagnostics(untitled).len(), 1);

    // A JSON document that is not a definition is left alone.
    let package = "file:///work/package.json";
    client.open(package, "json", r#"{"name": "x", "version": "1.0.0"}"#);

    // Incremental edit of the valid file into broken JSON: ASL-S001, and the
    // server keeps running.
    let end = position(VALID, VALID.len());
    let before_end = position(VALID, VALID.len() - 1);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": valid_uri, "version": 2},
               "contentChanges": [{"range": {"start": before_end, "end": end}, "text": ""}]}),
    );
    let broken = client.diagnostics(valid_uri);
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert_eq!(broken[0]["code"], "ASL-S001");
    // ... and back.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": valid_uri, "version": 3},
               "contentChanges": [{"range": {"start": before_end, "end": before_end}, "text": "}"}]}),
    );
    assert_eq!(client.diagnostics(valid_uri), Vec::<Value>::new());

    // Garbage: a payload that is not JSON, one that is not JSON-RPC, an
    // unknown method, bad params. Each gets an error; the server lives on.
    client.send_raw(b"Content-Length: 12\r\n\r\nnot json!!!!");
    let parse_error = client.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    client.send(json!({"jsonrpc": "2.0", "id": 900, "bogus": true}));
    let invalid = client.wait_for("invalid request", |m| m["id"] == 900);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    let unknown = client.request("workspace/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad_params = client.request("textDocument/codeAction", json!(5));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");
    client.notify("textDocument/didOpen", json!({"nonsense": 1}));
    client.notify("$/unknownNotification", json!(null));

    // Save re-publishes; close clears.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": untitled}, "text": VALID}),
    );
    assert_eq!(client.diagnostics(untitled), Vec::<Value>::new());
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": bad_uri}}),
    );
    assert_eq!(client.diagnostics(bad_uri), Vec::<Value>::new());

    // Still answering after all that.
    let still = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": valid_uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(still["result"], json!([]));

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    let after = client.request("textDocument/hover", json!({}));
    assert_eq!(after["error"]["code"], -32600, "{after}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);

    assert!(
        !client
            .seen
            .iter()
            .any(|m| m["params"]["uri"] == package
                && m["method"] == "textDocument/publishDiagnostics"),
        "package.json is not a definition and gets no diagnostics"
    );
}

/// Applies one LSP text edit to `text` (UTF-16 positions).
fn apply_edit(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[line_start..].char_indices() {
            if units >= character {
                return line_start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let start = offset(&edit["range"]["start"]);
    let end = offset(&edit["range"]["end"]);
    format!(
        "{}{}{}",
        &text[..start],
        edit["newText"].as_str().unwrap(),
        &text[end..]
    )
}

#[test]
fn yaml_definitions_and_huge_documents() {
    let mut client = Client::start();
    client.initialize();

    let yaml_uri = "file:///flows/a.asl.yaml";
    client.open(
        yaml_uri,
        "yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n",
    );
    let diagnostics = client.diagnostics(yaml_uri);
    let missing = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("`B`"))
        .unwrap_or_else(|| panic!("a missing target is reported in YAML: {diagnostics:#?}"));
    assert_eq!(
        missing["range"]["start"],
        json!({"line": 4, "character": 10})
    );

    // An untitled YAML buffer mid-edit (not parseable) that mentions the
    // keys is linted as a definition: ASL-S001.
    let untitled = "untitled:Untitled-2";
    client.open(untitled, "yaml", "StartAt: A\nStates: {\n");
    let diagnostics = client.diagnostics(untitled);
    assert_eq!(diagnostics[0]["code"], "ASL-S001", "{diagnostics:#?}");

    // 3 MB: linted (too large for AWS), quickly, without hanging.
    let big = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Result": "{}", "End": true}}}}}}"#,
        "x".repeat(3_000_000)
    );
    let big_uri = "file:///flows/big.asl.json";
    client.open(big_uri, "json", &big);
    let diagnostics = client.diagnostics(big_uri);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "ASL-L001"),
        "{diagnostics:#?}"
    );

    // Many findings: the published list is capped, the server still answers.
    let mut states = String::new();
    for i in 0..1500 {
        let next = i + 1;
        states.push_str(&format!(
            r#""S{i}": {{"Type": "Pass", "Comment": 1, "Next": "S{next}"}},"#
        ));
    }
    let many =
        format!(r#"{{"StartAt": "S0", "States": {{{states} "S1500": {{"Type": "Succeed"}}}}}}"#);
    let many_uri = "file:///flows/many.asl.json";
    client.open(many_uri, "json", &many);
    let diagnostics = client.diagnostics(many_uri);
    assert_eq!(diagnostics.len(), 1000);

    // Exit without shutdown: exit code 1, as the protocol says.
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 1);
}

#[test]
fn closing_stdin_ends_the_server() {
    let mut client = Client::start_with(&["lsp", "--stdio"]);
    client.initialize();
    client.request("shutdown", Value::Null);
    // No `exit`: the client just goes away.
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn broken_framing_does_not_kill_the_server() {
    let mut client = Client::start();
    client.send_raw(b"Content-Length: banana\r\n\r\n");
    client.send_raw(b"Content-Type: application/json\r\n\r\n");
    let first = client.wait_for("error for bad header", |m| m["error"]["code"] == -32700);
    assert_eq!(first["id"], Value::Null);
    let init = client.initialize();
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}
