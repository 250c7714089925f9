//! The server's state and what it does with each message.

use super::convert;
use super::document::Document;
use super::transport;
use crate::context::{LintOptions, MachineType};
use crate::diagnostic::Diagnostic;
use crate::lint::lint_text;
use crate::rule::Findings;
use crate::rules::definition_too_large::DefinitionTooLarge;
use asl_core::lines::LineIndex;
use asl_core::span::Span;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Initialize, Request as _, Shutdown};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, HoverParams, HoverProviderCapability, InitializeParams,
    InitializeResult, LogMessageParams, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{self, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Texts larger than this are not linted (AWS accepts 1 MiB; the parser
/// and rules are linear, but an editor should never wait on a stray dump).
pub const MAX_LINT_BYTES: usize = 16 * 1024 * 1024;

/// At most this many diagnostics are published for one document.
pub const MAX_PUBLISHED: usize = 1000;

/// JSON-RPC: a request before `initialize`.
const SERVER_NOT_INITIALIZED: i32 = -32002;

/// Where the server is in the LSP lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for `initialize`.
    Uninitialized,
    Running,
    /// `shutdown` was answered; only `exit` remains.
    ShutDown,
}

/// What the main loop does after a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Stop with this process exit code.
    Exit(i32),
}

/// The language server: lifecycle, open documents, lint options.
pub struct Server<W: Write> {
    out: W,
    phase: Phase,
    documents: HashMap<Uri, Document>,
    options: LintOptions,
}

impl<W: Write> Server<W> {
    pub fn new(out: W) -> Self {
        Server {
            out,
            phase: Phase::Uninitialized,
            documents: HashMap::new(),
            options: LintOptions::default(),
        }
    }

    /// The exit code when the client goes away without `exit`.
    pub fn exit_code_at_end_of_input(&self) -> i32 {
        if self.phase == Phase::ShutDown {
            0
        } else {
            1
        }
    }

    /// Handles one frame read from the client.
    pub fn handle(&mut self, incoming: transport::Incoming) -> io::Result<Flow> {
        match incoming {
            transport::Incoming::Message(Message::Request(request)) => {
                self.on_request(request)?;
                Ok(Flow::Continue)
            }
            transport::Incoming::Message(Message::Notification(notification)) => {
                self.on_notification(notification)
            }
            // We send no requests, so there is nothing to match a response to.
            transport::Incoming::Message(Message::Response(_)) => Ok(Flow::Continue),
            transport::Incoming::Malformed { code, message, id } => {
                transport::write_error(&mut self.out, id, code, &message)?;
                Ok(Flow::Continue)
            }
        }
    }

    fn on_request(&mut self, request: Request) -> io::Result<()> {
        let id = request.id.clone();
        match (self.phase, request.method.as_str()) {
            (Phase::Uninitialized, Initialize::METHOD) => {
                match parse::<InitializeParams>(request.params) {
                    Ok(params) => {
                        self.configure(params.initialization_options.as_ref());
                        self.phase = Phase::Running;
                        self.respond(id, initialize_result())
                    }
                    Err(message) => self.error(id, ErrorCode::InvalidParams, message),
                }
            }
            (Phase::Uninitialized, _) => self.error_code(
                id,
                SERVER_NOT_INITIALIZED,
                "the server is not initialized yet".into(),
            ),
            (Phase::ShutDown, _) => self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            ),
            (Phase::Running, Initialize::METHOD) => self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            ),
            (Phase::Running, Shutdown::METHOD) => {
                self.phase = Phase::ShutDown;
                self.respond(id, Value::Null)
            }
            (Phase::Running, CodeActionRequest::METHOD) => {
                match parse::<CodeActionParams>(request.params) {
                    Ok(params) => {
                        let actions = self.code_actions(&params);
                        self.respond(id, actions)
                    }
                    Err(message) => self.error(id, ErrorCode::InvalidParams, message),
                }
            }
            (Phase::Running, HoverRequest::METHOD) => match parse::<HoverParams>(request.params) {
                Ok(params) => {
                    let hover = self.hover(&params);
                    self.respond(id, hover)
                }
                Err(message) => self.error(id, ErrorCode::InvalidParams, message),
            },
            (Phase::Running, method) => {
                let message = format!("unknown method `{method}`");
                self.error(id, ErrorCode::MethodNotFound, message)
            }
        }
    }

    fn on_notification(&mut self, notification: Notification) -> io::Result<Flow> {
        if notification.method == "exit" {
            return Ok(Flow::Exit(self.exit_code_at_end_of_input()));
        }
        if self.phase != Phase::Running {
            return Ok(Flow::Continue);
        }
        let method = notification.method.clone();
        let result = match method.as_str() {
            DidOpenTextDocument::METHOD => parse(notification.params).map(|p| self.did_open(p)),
            DidChangeTextDocument::METHOD => parse(notification.params).map(|p| self.did_change(p)),
            DidSaveTextDocument::METHOD => parse(notification.params).map(|p| self.did_save(p)),
            DidCloseTextDocument::METHOD => {
                match parse::<DidCloseTextDocumentParams>(notification.params) {
                    Ok(params) => {
                        let uri = params.text_document.uri;
                        self.documents.remove(&uri);
                        self.publish(uri, Vec::new(), None)?;
                        Ok(())
                    }
                    Err(message) => Err(message),
                }
            }
            // `initialized`, `$/cancelRequest`, `$/setTrace`, configuration
            // changes and anything unknown need nothing from us.
            _ => Ok(()),
        };
        if let Err(message) = result {
            self.log(
                MessageType::WARNING,
                format!("ignored `{method}`: {message}"),
            )?;
        }
        Ok(Flow::Continue)
    }

    fn configure(&mut self, options: Option<&Value>) {
        let machine_type = options
            .and_then(|o| o.get("type"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if machine_type.eq_ignore_ascii_case("EXPRESS") {
            self.options.machine_type = MachineType::Express;
        }
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let document = Document::open(doc.uri.as_str(), &doc.language_id, doc.version, doc.text);
        self.documents.insert(doc.uri, document);
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let doc = params.text_document;
        if let Some(document) = self.documents.get_mut(&doc.uri) {
            document.apply_changes(doc.version, params.content_changes);
        }
    }

    fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        if let Some(document) = self.documents.get_mut(&params.text_document.uri) {
            match params.text {
                Some(text) => document.replace(None, text),
                None => document.dirty = true,
            }
        }
    }

    /// Lints every changed definition and publishes its diagnostics.
    pub fn publish_changed(&mut self) -> io::Result<()> {
        let mut uris: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, d)| d.dirty)
            .map(|(uri, _)| uri.clone())
            .collect();
        uris.sort();
        for uri in uris {
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            if !document.is_definition {
                self.documents.get_mut(&uri).expect("present").dirty = false;
                continue;
            }
            self.lint(&uri)?;
            let document = &self.documents[&uri];
            let diagnostics = document
                .diagnostics
                .iter()
                .take(MAX_PUBLISHED)
                .map(|d| convert::diagnostic(&document.lines, &document.text, d))
                .collect();
            let version = Some(document.version);
            self.publish(uri, diagnostics, version)?;
        }
        Ok(())
    }

    /// Brings the findings of `uri` up to date (a no-op when they are).
    fn lint(&mut self, uri: &Uri) -> io::Result<()> {
        let options = self.options.clone();
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        if !document.dirty {
            return Ok(());
        }
        document.dirty = false;
        document.lines = LineIndex::new(&document.text);
        if !document.is_definition {
            document.diagnostics.clear();
            return Ok(());
        }
        match lint_safely(&document.text, document.format, &options) {
            Ok(diagnostics) => document.diagnostics = diagnostics,
            Err(()) => {
                document.diagnostics.clear();
                let message = format!("asl-lint failed on {}; please report this", uri.as_str());
                self.log(MessageType::ERROR, message)?;
            }
        }
        Ok(())
    }

    fn code_actions(
        &mut self,
        params: &CodeActionParams,
    ) -> Option<Vec<lsp_types::CodeActionOrCommand>> {
        let uri = &params.text_document.uri;
        if let Some(only) = &params.context.only {
            if !only
                .iter()
                .any(|k| k.as_str().starts_with(CodeActionKind::QUICKFIX.as_str()))
            {
                return Some(Vec::new());
            }
        }
        self.lint(uri).ok()?;
        let document = self.documents.get(uri)?;
        Some(convert::code_actions(
            uri,
            &document.lines,
            &document.text,
            &document.diagnostics,
            &params.range,
        ))
    }

    fn hover(&mut self, params: &HoverParams) -> Option<lsp_types::Hover> {
        let at = &params.text_document_position_params;
        let uri = &at.text_document.uri;
        self.lint(uri).ok()?;
        let document = self.documents.get(uri)?;
        convert::hover(
            &document.lines,
            &document.text,
            &document.diagnostics,
            at.position,
        )
    }

    fn publish(
        &mut self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> io::Result<()> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify(PublishDiagnostics::METHOD, params)
    }

    fn log(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        self.notify(LogMessage::METHOD, LogMessageParams { typ, message })
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> io::Result<()> {
        let message = Message::Notification(Notification::new(method.to_owned(), params));
        transport::write(&mut self.out, &message)
    }

    fn respond(&mut self, id: RequestId, result: impl serde::Serialize) -> io::Result<()> {
        let result = serde_json::to_value(result).unwrap_or(Value::Null);
        let response = Response {
            id,
            response_result: Ok(result),
        };
        transport::write(&mut self.out, &Message::Response(response))
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) -> io::Result<()> {
        self.error_code(id, code as i32, message)
    }

    fn error_code(&mut self, id: RequestId, code: i32, message: String) -> io::Result<()> {
        let response = Response::new_err(id, code, message);
        transport::write(&mut self.out, &Message::Response(response))
    }
}

/// Deserialises request or notification parameters.
fn parse<P: DeserializeOwned>(params: Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid params: {e}"))
}

/// What the server can do.
fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    will_save: None,
                    will_save_wait_until: None,
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(true),
                    })),
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "asl-lint".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    }
}

/// Lints `text`, refusing huge texts and containing panics.
fn lint_safely(
    text: &str,
    format: crate::lint::SourceFormat,
    options: &LintOptions,
) -> Result<Vec<Diagnostic>, ()> {
    if text.len() > MAX_LINT_BYTES {
        let mut findings = Findings::default();
        findings.report(
            &DefinitionTooLarge::META,
            Span::at(0),
            "",
            format!(
                "the document is {} bytes; AWS accepts at most 1,048,576 and the editor integration lints at most {MAX_LINT_BYTES}",
                text.len()
            ),
        );
        return Ok(findings.into_vec());
    }
    catch_unwind(AssertUnwindSafe(|| lint_text(text, format, options))).map_err(|_| ())
}
