//! JSON-RPC framing over a byte stream (`Content-Length` headers), tolerant
//! of broken input.
//!
//! `lsp-server`'s own stdio transport stops reading at the first malformed
//! payload; a language server should answer such a message with a JSON-RPC
//! error and go on. So the reader here resynchronises on the next header
//! block, and reports each broken frame as [`Incoming::Malformed`].

use lsp_server::{ErrorCode, Message};
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};

/// Payloads larger than this are skipped (and answered with an error)
/// instead of being held in memory.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024 * 1024;

/// Header lines longer than this are malformed.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// One thing read from the client.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed request, response or notification.
    Message(Message),
    /// A frame that could not be understood; answer with a JSON-RPC error
    /// (`id` is the request id when the payload was JSON that carried one).
    Malformed {
        code: ErrorCode,
        message: String,
        id: Option<Value>,
    },
}

/// Reads the next frame. `Ok(None)` at the end of the stream.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length = None;
    let mut bad_header = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if !line.ends_with(b"\n") {
            // Over-long header line: drop the rest of it.
            skip_line(input)?;
            bad_header = Some("header line too long".to_owned());
            continue;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\n', '\r']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue; // stray blank lines between frames
        }
        saw_header = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length: {:?}", value.trim())),
                }
            }
            Some(_) => {} // Content-Type and unknown headers are ignored
            None => bad_header = Some(format!("malformed header line: {line:?}")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(malformed(
            ErrorCode::ParseError,
            bad_header.unwrap_or_else(|| "missing Content-Length header".to_owned()),
        )));
    };
    if length > MAX_PAYLOAD_BYTES {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(malformed(
            ErrorCode::InvalidRequest,
            format!("message of {length} bytes exceeds the limit of {MAX_PAYLOAD_BYTES}"),
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(decode(&body)))
}

/// Turns one payload into a message, or says why it is not one.
pub fn decode(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return malformed(
                ErrorCode::ParseError,
                format!("payload is not JSON: {error}"),
            );
        }
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Malformed {
            code: ErrorCode::InvalidRequest,
            message: format!("not a JSON-RPC message: {error}"),
            id,
        },
    }
}

fn malformed(code: ErrorCode, message: String) -> Incoming {
    Incoming::Malformed {
        code,
        message,
        id: None,
    }
}

fn skip_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            input.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        input.consume(n);
    }
}

/// Writes one message.
pub fn write(output: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(output)
}

/// Writes a JSON-RPC error response whose id may be `null` (which
/// `lsp_server::Response` cannot express).
pub fn write_error(
    output: &mut impl Write,
    id: Option<Value>,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": {"code": code as i32, "message": message},
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &str) -> Vec<Incoming> {
        let mut input = io::Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        while let Some(item) = read(&mut input).unwrap() {
            out.push(item);
        }
        out
    }

    #[test]
    fn reads_messages_and_survives_garbage() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [
            frame("not json at all"),
            frame(r#"{"jsonrpc":"2.0","id":7,"foo":1}"#),
            "Content-Type: x\r\n\r\n".to_owned(),
            "Content-Length: banana\r\n\r\n".to_owned(),
            frame(ok),
        ]
        .concat();
        let items = read_all(&input);
        assert_eq!(items.len(), 5, "{items:?}");
        assert!(matches!(
            &items[0],
            Incoming::Malformed {
                code: ErrorCode::ParseError,
                id: None,
                ..
            }
        ));
        assert!(matches!(
            &items[1],
            Incoming::Malformed { code: ErrorCode::InvalidRequest, id: Some(id), .. } if id == 7
        ));
        assert!(matches!(&items[2], Incoming::Malformed { .. }));
        assert!(matches!(&items[3], Incoming::Malformed { .. }));
        assert!(
            matches!(&items[4], Incoming::Message(Message::Notification(n)) if n.method == "initialized")
        );
    }

    #[test]
    fn truncated_body_is_an_error_not_a_panic() {
        let mut input = io::Cursor::new(b"Content-Length: 100\r\n\r\n{}".to_vec());
        assert!(read(&mut input).is_err());
    }

    #[test]
    fn error_response_with_null_id() {
        let mut out = Vec::new();
        write_error(&mut out, None, ErrorCode::ParseError, "bad").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Content-Length: "), "{text}");
        assert!(text.contains(r#""id":null"#), "{text}");
        assert!(text.contains("-32700"), "{text}");
    }
}
