//! `asl-lint lsp`: a Language Server over stdio.
//!
//! The server lints every open document named `*.asl.json`, `*.asl.yaml` or
//! `*.asl.yml`, and every other document whose text is a definition (an
//! object with `StartAt` and `States`), whatever its language id. It lints
//! the text the client sent, never the file on disk, and needs no
//! workspace root. Diagnostics carry UTF-16 ranges, the rule code, a link
//! to the rule's page and `source: "asl-lint"`; rule fixes are offered as
//! quick-fix code actions; hovering a finding explains it.
//!
//! Messages are read on a separate thread and handled in batches: a burst
//! of edits is linted once, after the last edit of the batch.
//!
//! `initializationOptions: {"type": "EXPRESS"}` enables the EXPRESS-only
//! rules.

mod convert;
mod document;
mod server;
mod transport;

pub use server::{MAX_LINT_BYTES, MAX_PUBLISHED};

use server::{Flow, Server};
use std::io::{self, BufRead, Write};
use std::sync::mpsc;
use std::thread;

/// What the reader thread hands to the main loop.
enum Event {
    Incoming(transport::Incoming),
    /// End of input (with the read error, if it was one).
    End(Option<io::Error>),
}

/// Runs the server on stdin/stdout; returns the process exit code (0 after
/// `shutdown` then `exit`, 1 when the client exits or disappears without
/// `shutdown`).
pub fn run_stdio() -> i32 {
    let stdout = io::stdout();
    serve(io::BufReader::new(io::stdin()), stdout.lock())
}

/// Runs the server on any byte streams (tests use pipes or buffers).
pub fn serve<R, W>(mut input: R, output: W) -> i32
where
    R: BufRead + Send + 'static,
    W: Write,
{
    // Bounded: a client that floods us waits instead of growing memory.
    let (sender, receiver) = mpsc::sync_channel::<Event>(256);
    let reader = thread::Builder::new()
        .name("asl-lint-lsp-reader".to_owned())
        .spawn(move || loop {
            let event = match transport::read(&mut input) {
                Ok(Some(incoming)) => Event::Incoming(incoming),
                Ok(None) => Event::End(None),
                Err(error) => Event::End(Some(error)),
            };
            let end = matches!(event, Event::End(_));
            if sender.send(event).is_err() || end {
                return;
            }
        });
    if let Err(error) = reader {
        eprintln!("asl-lint lsp: cannot start the reader thread: {error}");
        return 1;
    }
    let mut server = Server::new(output);
    match main_loop(&mut server, &receiver) {
        Ok(code) => code,
        Err(error) => {
            // The client closed our output: nobody is listening any more.
            eprintln!("asl-lint lsp: {error}");
            1
        }
    }
}

fn main_loop<W: Write>(server: &mut Server<W>, events: &mpsc::Receiver<Event>) -> io::Result<i32> {
    loop {
        let Ok(first) = events.recv() else {
            return Ok(server.exit_code_at_end_of_input());
        };
        let mut batch = vec![first];
        batch.extend(events.try_iter().take(1024));
        for event in batch {
            match event {
                Event::Incoming(incoming) => {
                    if let Flow::Exit(code) = server.handle(incoming)? {
                        return Ok(code);
                    }
                }
                Event::End(error) => {
                    if let Some(error) = error {
                        eprintln!("asl-lint lsp: reading the client's messages: {error}");
                    }
                    server.publish_changed()?;
                    return Ok(server.exit_code_at_end_of_input());
                }
            }
        }
        server.publish_changed()?;
    }
}
