//! The typed model of a state machine definition.
//!
//! [`build`] turns a parsed [`Node`] tree into a [`Definition`]. It is
//! lenient by design: it never fails and never panics, whatever the tree
//! holds. A field that is missing or has the wrong type is simply absent (or
//! takes its documented default) in the model; reporting it is the linter's
//! job, which reads the same tree. So the model is exactly as trustworthy as
//! the lint result: the simulator runs only definitions with no lint errors.
//!
//! Values that the engine evaluates (templates such as `Parameters`,
//! `Arguments`, `Output`, `Assign`, `Result`) are kept as
//! `serde_json::Value` with their key order.

use crate::json::{escape_pointer_token, Node, NodeValue};
use crate::span::Span;
use serde_json::Value;

/// Which expression language a state's fields are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// A value with the span of its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A whole definition: the top-level machine plus top-level settings.
#[derive(Clone, Debug, Default)]
pub struct Definition {
    pub machine: StateMachine,
    pub query_language: QueryLanguage,
    pub comment: Option<String>,
    pub version: Option<String>,
    /// Top-level `TimeoutSeconds` (execution timeout), when a non-negative integer.
    pub timeout_seconds: Option<u64>,
}

/// One `StartAt` + `States` scope: the top level, a Parallel branch or a Map
/// processor.
#[derive(Clone, Debug, Default)]
pub struct StateMachine {
    pub start_at: Option<Spanned<String>>,
    /// States in source order.
    pub states: Vec<State>,
    /// JSON pointer of the object holding `StartAt`/`States` (`""` at the top).
    pub pointer: String,
    pub span: Span,
}

/// Which of the eight state types a state is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Wait,
        StateType::Pass,
        StateType::Succeed,
        StateType::Fail,
        StateType::Choice,
        StateType::Parallel,
        StateType::Map,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        StateType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// Succeed and Fail end their machine; Choice moves by its rules.
    pub fn is_terminal(self) -> bool {
        matches!(self, StateType::Succeed | StateType::Fail)
    }

    /// Whether the state takes `Next`/`End`.
    pub fn has_transition(self) -> bool {
        !matches!(
            self,
            StateType::Choice | StateType::Succeed | StateType::Fail
        )
    }
}

/// A path field that may be `null` (`InputPath`, `OutputPath`, `ResultPath`).
#[derive(Clone, Debug, PartialEq)]
pub enum NullablePath {
    Null,
    Path(Spanned<String>),
}

/// A field given as a literal, as a JSONPath `…Path` field, or as a JSONata
/// `{% … %}` template string.
#[derive(Clone, Debug, PartialEq)]
pub enum Dynamic {
    Literal(Value),
    Path(Spanned<String>),
    Jsonata(Spanned<String>),
}

/// One state.
#[derive(Clone, Debug)]
pub struct State {
    pub name: String,
    pub name_span: Span,
    /// The span of the state's object.
    pub span: Span,
    /// JSON pointer of the state's object, e.g. `/States/A/Branches/0/States/B`.
    pub pointer: String,
    /// `None` when `Type` is missing or unknown (a lint error).
    pub state_type: Option<StateType>,
    /// The effective query language (state's own, else the definition's).
    pub query_language: QueryLanguage,
    pub comment: Option<String>,
    pub next: Option<Spanned<String>>,
    pub end: bool,
    pub input_path: Option<NullablePath>,
    pub output_path: Option<NullablePath>,
    pub result_path: Option<NullablePath>,
    pub parameters: Option<Value>,
    pub result_selector: Option<Value>,
    pub arguments: Option<Value>,
    pub output: Option<Value>,
    pub assign: Option<Value>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub kind: StateKind,
}

/// Fields particular to one state type.
#[derive(Clone, Debug, Default)]
pub enum StateKind {
    Pass {
        result: Option<Value>,
    },
    Task(Box<Task>),
    Choice(Box<Choice>),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel {
        branches: Vec<StateMachine>,
    },
    Map(Box<MapState>),
    /// `Type` missing or unknown.
    #[default]
    Unknown,
}

#[derive(Clone, Debug, Default)]
pub struct Task {
    pub resource: Option<Spanned<String>>,
    pub timeout_seconds: Option<Dynamic>,
    pub heartbeat_seconds: Option<Dynamic>,
    pub credentials: Option<Value>,
}

#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<Spanned<String>>,
}

/// A top-level Choice rule: its condition, target and JSONata/Assign extras.
#[derive(Clone, Debug)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: Option<Spanned<String>>,
    pub assign: Option<Value>,
    pub output: Option<Value>,
    pub span: Span,
    pub pointer: String,
}

/// The boolean part of a Choice rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        variable: Spanned<String>,
        operator: Comparison,
        operand: Operand,
    },
    /// JSONata `Condition` (the whole string, delimiters included).
    Jsonata(Spanned<String>),
    /// Not a well-formed rule (the linter says why).
    Invalid,
}

/// The right-hand side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Literal(Value),
    /// A `…Path` operator's reference path.
    Path(Spanned<String>),
}

/// Choice comparison operators, without their `Path` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// What kind of literal operand a comparison takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    String,
    Number,
    Boolean,
    Timestamp,
}

impl Comparison {
    pub const ALL: [Comparison; 23] = [
        Comparison::StringEquals,
        Comparison::StringLessThan,
        Comparison::StringGreaterThan,
        Comparison::StringLessThanEquals,
        Comparison::StringGreaterThanEquals,
        Comparison::StringMatches,
        Comparison::NumericEquals,
        Comparison::NumericLessThan,
        Comparison::NumericGreaterThan,
        Comparison::NumericLessThanEquals,
        Comparison::NumericGreaterThanEquals,
        Comparison::BooleanEquals,
        Comparison::TimestampEquals,
        Comparison::TimestampLessThan,
        Comparison::TimestampGreaterThan,
        Comparison::TimestampLessThanEquals,
        Comparison::TimestampGreaterThanEquals,
        Comparison::IsNull,
        Comparison::IsPresent,
        Comparison::IsNumeric,
        Comparison::IsString,
        Comparison::IsBoolean,
        Comparison::IsTimestamp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::StringEquals => "StringEquals",
            Comparison::StringLessThan => "StringLessThan",
            Comparison::StringGreaterThan => "StringGreaterThan",
            Comparison::StringLessThanEquals => "StringLessThanEquals",
            Comparison::StringGreaterThanEquals => "StringGreaterThanEquals",
            Comparison::StringMatches => "StringMatches",
            Comparison::NumericEquals => "NumericEquals",
            Comparison::NumericLessThan => "NumericLessThan",
            Comparison::NumericGreaterThan => "NumericGreaterThan",
            Comparison::NumericLessThanEquals => "NumericLessThanEquals",
            Comparison::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Comparison::BooleanEquals => "BooleanEquals",
            Comparison::TimestampEquals => "TimestampEquals",
            Comparison::TimestampLessThan => "TimestampLessThan",
            Comparison::TimestampGreaterThan => "TimestampGreaterThan",
            Comparison::TimestampLessThanEquals => "TimestampLessThanEquals",
            Comparison::TimestampGreaterThanEquals => "TimestampGreaterThanEquals",
            Comparison::IsNull => "IsNull",
            Comparison::IsPresent => "IsPresent",
            Comparison::IsNumeric => "IsNumeric",
            Comparison::IsString => "IsString",
            Comparison::IsBoolean => "IsBoolean",
            Comparison::IsTimestamp => "IsTimestamp",
        }
    }

    /// Whether a `…Path` form exists (`StringMatches` and the `Is*` tests have none).
    pub fn has_path_form(self) -> bool {
        !matches!(self, Comparison::StringMatches) && !self.is_type_test()
    }

    /// `IsNull`, `IsPresent`, … take a boolean and test the variable itself.
    pub fn is_type_test(self) -> bool {
        matches!(
            self,
            Comparison::IsNull
                | Comparison::IsPresent
                | Comparison::IsNumeric
                | Comparison::IsString
                | Comparison::IsBoolean
                | Comparison::IsTimestamp
        )
    }

    /// The literal operand type.
    pub fn operand_kind(self) -> OperandKind {
        use Comparison::*;
        match self {
            StringEquals
            | StringLessThan
            | StringGreaterThan
            | StringLessThanEquals
            | StringGreaterThanEquals
            | StringMatches => OperandKind::String,
            NumericEquals
            | NumericLessThan
            | NumericGreaterThan
            | NumericLessThanEquals
            | NumericGreaterThanEquals => OperandKind::Number,
            TimestampEquals
            | TimestampLessThan
            | TimestampGreaterThan
            | TimestampLessThanEquals
            | TimestampGreaterThanEquals => OperandKind::Timestamp,
            BooleanEquals | IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => {
                OperandKind::Boolean
            }
        }
    }

    /// Recognises an operator field name: `(operator, is_path_form)`.
    pub fn from_field(field: &str) -> Option<(Comparison, bool)> {
        if let Some(op) = Comparison::ALL.into_iter().find(|c| c.as_str() == field) {
            return Some((op, false));
        }
        let base = field.strip_suffix("Path")?;
        Comparison::ALL
            .into_iter()
            .find(|c| c.has_path_form() && c.as_str() == base)
            .map(|c| (c, true))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Wait {
    /// `Seconds` / `SecondsPath` / JSONata `Seconds`.
    pub seconds: Option<Dynamic>,
    /// `Timestamp` / `TimestampPath` / JSONata `Timestamp`.
    pub timestamp: Option<Dynamic>,
}

#[derive(Clone, Debug, Default)]
pub struct Fail {
    pub error: Option<Dynamic>,
    pub cause: Option<Dynamic>,
}

/// Map processor mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapMode {
    #[default]
    Inline,
    Distributed,
}

#[derive(Clone, Debug, Default)]
pub struct MapState {
    pub processor: StateMachine,
    /// True when the processor came from the legacy `Iterator` field.
    pub legacy_iterator: bool,
    pub mode: MapMode,
    /// `ProcessorConfig.ExecutionType` (distributed: `STANDARD`/`EXPRESS`).
    pub execution_type: Option<String>,
    /// JSONPath `ItemsPath` (reference path; default `$`).
    pub items_path: Option<Spanned<String>>,
    /// JSONata `Items` (array literal or template string).
    pub items: Option<Value>,
    /// `ItemSelector`, or the legacy `Parameters` of a Map.
    pub item_selector: Option<Value>,
    pub max_concurrency: Option<Dynamic>,
    pub tolerated_failure_count: Option<Dynamic>,
    pub tolerated_failure_percentage: Option<Dynamic>,
    pub item_reader: Option<Value>,
    pub item_batcher: Option<Value>,
    pub result_writer: Option<Value>,
    pub label: Option<Spanned<String>>,
}

/// Retry jitter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Jitter {
    #[default]
    None,
    Full,
}

/// One `Retry` entry, with AWS's defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
    pub span: Span,
}

/// One `Catch` entry.
#[derive(Clone, Debug)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: Option<Spanned<String>>,
    pub result_path: Option<NullablePath>,
    pub output: Option<Value>,
    pub assign: Option<Value>,
    pub span: Span,
}

impl Definition {
    /// Every state of the definition, depth-first, nested ones after their parent.
    pub fn all_states(&self) -> Vec<&State> {
        let mut out = Vec::new();
        self.machine.collect_states(&mut out);
        out
    }
}

impl StateMachine {
    /// The state named `name` in this scope (not in nested ones).
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.iter().find(|s| s.name == name)
    }

    /// Index of the state named `name` in this scope.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| s.name == name)
    }

    fn collect_states<'a>(&'a self, out: &mut Vec<&'a State>) {
        for state in &self.states {
            out.push(state);
            for child in state.child_machines() {
                child.collect_states(out);
            }
        }
    }
}

impl State {
    /// Parallel branches or the Map processor.
    pub fn child_machines(&self) -> &[StateMachine] {
        match &self.kind {
            StateKind::Parallel { branches } => branches,
            StateKind::Map(map) => std::slice::from_ref(&map.processor),
            _ => &[],
        }
    }

    /// Names this state can move to, with where each is written: `Next`,
    /// Choice rule targets and `Default`, and Catch targets.
    pub fn targets(&self) -> Vec<(TargetField, &Spanned<String>)> {
        let mut out: Vec<_> = self.next.iter().map(|n| (TargetField::Next, n)).collect();
        if let StateKind::Choice(choice) = &self.kind {
            for (i, rule) in choice.choices.iter().enumerate() {
                out.extend(rule.next.as_ref().map(|n| (TargetField::ChoiceRule(i), n)));
            }
            out.extend(choice.default.as_ref().map(|n| (TargetField::Default, n)));
        }
        for (i, catcher) in self.catch.iter().enumerate() {
            out.extend(catcher.next.as_ref().map(|n| (TargetField::Catch(i), n)));
        }
        out
    }
}

/// Where a transition target is written in a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetField {
    Next,
    ChoiceRule(usize),
    Default,
    Catch(usize),
}

impl TargetField {
    /// The JSON pointer of the target string, given the state's pointer.
    pub fn pointer(self, state_pointer: &str) -> String {
        match self {
            TargetField::Next => format!("{state_pointer}/Next"),
            TargetField::ChoiceRule(i) => format!("{state_pointer}/Choices/{i}/Next"),
            TargetField::Default => format!("{state_pointer}/Default"),
            TargetField::Catch(i) => format!("{state_pointer}/Catch/{i}/Next"),
        }
    }
}

/// Builds the model from a parsed definition. Never fails.
pub fn build(root: &Node) -> Definition {
    let query_language = root
        .field("QueryLanguage")
        .and_then(Node::as_str)
        .and_then(QueryLanguage::parse)
        .unwrap_or_default();
    let builder = Builder {
        top_language: query_language,
    };
    Definition {
        machine: builder.machine(root, String::new()),
        query_language,
        comment: string_field(root, "Comment"),
        version: string_field(root, "Version"),
        timeout_seconds: root.field("TimeoutSeconds").and_then(as_u64),
    }
}

struct Builder {
    top_language: QueryLanguage,
}

fn string_field(node: &Node, key: &str) -> Option<String> {
    node.field(key).and_then(Node::as_str).map(str::to_owned)
}

fn spanned_string(node: &Node, key: &str) -> Option<Spanned<String>> {
    let value = node.field(key)?;
    Some(Spanned {
        value: value.as_str()?.to_owned(),
        span: value.span,
    })
}

fn as_u64(node: &Node) -> Option<u64> {
    node.as_number()?.as_u64()
}

fn value_field(node: &Node, key: &str) -> Option<Value> {
    node.field(key).map(Node::to_value)
}

fn nullable_path(node: &Node, key: &str) -> Option<NullablePath> {
    let value = node.field(key)?;
    match &value.value {
        NodeValue::Null => Some(NullablePath::Null),
        NodeValue::String(s) => Some(NullablePath::Path(Spanned {
            value: s.clone(),
            span: value.span,
        })),
        _ => None,
    }
}

/// Whether a string is a JSONata template (`{%` … `%}`).
pub fn is_jsonata_template(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// Reads `key` (a literal or a JSONata template) or `key_path` (a path).
fn dynamic(node: &Node, key: &str, path_key: &str, language: QueryLanguage) -> Option<Dynamic> {
    if let Some(value) = node.field(key) {
        return Some(match value.as_str() {
            Some(s) if language == QueryLanguage::Jsonata && is_jsonata_template(s) => {
                Dynamic::Jsonata(Spanned {
                    value: s.to_owned(),
                    span: value.span,
                })
            }
            _ => Dynamic::Literal(value.to_value()),
        });
    }
    spanned_string(node, path_key).map(Dynamic::Path)
}

fn child_pointer(parent: &str, token: &str) -> String {
    format!("{parent}/{}", escape_pointer_token(token))
}

impl Builder {
    fn machine(&self, node: &Node, pointer: String) -> StateMachine {
        let states_pointer = child_pointer(&pointer, "States");
        let states = node
            .field("States")
            .and_then(Node::as_object)
            .unwrap_or_default()
            .iter()
            .map(|member| {
                self.state(
                    &member.key,
                    member.key_span,
                    &member.value,
                    child_pointer(&states_pointer, &member.key),
                )
            })
            .collect();
        StateMachine {
            start_at: spanned_string(node, "StartAt"),
            states,
            pointer,
            span: node.span,
        }
    }

    fn state(&self, name: &str, name_span: Span, node: &Node, pointer: String) -> State {
        let state_type = node
            .field("Type")
            .and_then(Node::as_str)
            .and_then(StateType::parse);
        let query_language = node
            .field("QueryLanguage")
            .and_then(Node::as_str)
            .and_then(QueryLanguage::parse)
            .unwrap_or(self.top_language);
        let kind = match state_type {
            None => StateKind::Unknown,
            Some(t) => self.kind(t, node, &pointer, query_language),
        };
        State {
            name: name.to_owned(),
            name_span,
            span: node.span,
            state_type,
            query_language,
            comment: string_field(node, "Comment"),
            next: spanned_string(node, "Next"),
            end: node.field("End").and_then(Node::as_bool).unwrap_or(false),
            input_path: nullable_path(node, "InputPath"),
            output_path: nullable_path(node, "OutputPath"),
            result_path: nullable_path(node, "ResultPath"),
            parameters: if state_type == Some(StateType::Map) {
                None
            } else {
                value_field(node, "Parameters")
            },
            result_selector: value_field(node, "ResultSelector"),
            arguments: value_field(node, "Arguments"),
            output: value_field(node, "Output"),
            assign: value_field(node, "Assign"),
            retry: node
                .field("Retry")
                .and_then(Node::as_array)
                .unwrap_or_default()
                .iter()
                .map(retrier)
                .collect(),
            catch: node
                .field("Catch")
                .and_then(Node::as_array)
                .unwrap_or_default()
                .iter()
                .map(catcher)
                .collect(),
            kind,
            pointer,
        }
    }

    fn kind(&self, t: StateType, node: &Node, pointer: &str, ql: QueryLanguage) -> StateKind {
        match t {
            StateType::Pass => StateKind::Pass {
                result: value_field(node, "Result"),
            },
            StateType::Succeed => StateKind::Succeed,
            StateType::Task => StateKind::Task(Box::new(Task {
                resource: spanned_string(node, "Resource"),
                timeout_seconds: dynamic(node, "TimeoutSeconds", "TimeoutSecondsPath", ql),
                heartbeat_seconds: dynamic(node, "HeartbeatSeconds", "HeartbeatSecondsPath", ql),
                credentials: value_field(node, "Credentials"),
            })),
            StateType::Wait => StateKind::Wait(Wait {
                seconds: dynamic(node, "Seconds", "SecondsPath", ql),
                timestamp: dynamic(node, "Timestamp", "TimestampPath", ql),
            }),
            StateType::Fail => StateKind::Fail(Fail {
                error: dynamic(node, "Error", "ErrorPath", ql),
                cause: dynamic(node, "Cause", "CausePath", ql),
            }),
            StateType::Choice => StateKind::Choice(Box::new(Choice {
                choices: node
                    .field("Choices")
                    .and_then(Node::as_array)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, rule)| ChoiceRule {
                        condition: condition(rule),
                        next: spanned_string(rule, "Next"),
                        assign: value_field(rule, "Assign"),
                        output: value_field(rule, "Output"),
                        span: rule.span,
                        pointer: format!("{pointer}/Choices/{i}"),
                    })
                    .collect(),
                default: spanned_string(node, "Default"),
            })),
            StateType::Parallel => StateKind::Parallel {
                branches: node
                    .field("Branches")
                    .and_then(Node::as_array)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, b)| self.machine(b, format!("{pointer}/Branches/{i}")))
                    .collect(),
            },
            StateType::Map => StateKind::Map(Box::new(self.map(node, pointer, ql))),
        }
    }

    fn map(&self, node: &Node, pointer: &str, ql: QueryLanguage) -> MapState {
        let (processor_key, legacy_iterator) = if node.field("ItemProcessor").is_some() {
            ("ItemProcessor", false)
        } else {
            ("Iterator", true)
        };
        let processor_node = node.field(processor_key);
        let processor = processor_node
            .map(|p| self.machine(p, child_pointer(pointer, processor_key)))
            .unwrap_or_default();
        let config = processor_node.and_then(|p| p.field("ProcessorConfig"));
        let mode = match config.and_then(|c| c.field("Mode")).and_then(Node::as_str) {
            Some("DISTRIBUTED") => MapMode::Distributed,
            _ => MapMode::Inline,
        };
        MapState {
            processor,
            legacy_iterator,
            mode,
            execution_type: config.and_then(|c| string_field(c, "ExecutionType")),
            items_path: spanned_string(node, "ItemsPath"),
            items: value_field(node, "Items"),
            item_selector: value_field(node, "ItemSelector")
                .or_else(|| value_field(node, "Parameters")),
            max_concurrency: dynamic(node, "MaxConcurrency", "MaxConcurrencyPath", ql),
            tolerated_failure_count: dynamic(
                node,
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                ql,
            ),
            tolerated_failure_percentage: dynamic(
                node,
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                ql,
            ),
            item_reader: value_field(node, "ItemReader"),
            item_batcher: value_field(node, "ItemBatcher"),
            result_writer: value_field(node, "ResultWriter"),
            label: spanned_string(node, "Label"),
        }
    }
}

fn error_equals(node: &Node) -> Vec<String> {
    node.field("ErrorEquals")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect()
}

fn retrier(node: &Node) -> Retrier {
    let number = |key: &str| node.field(key).and_then(Node::as_number);
    Retrier {
        error_equals: error_equals(node),
        interval_seconds: number("IntervalSeconds")
            .and_then(|n| n.as_u64())
            .unwrap_or(1),
        max_attempts: number("MaxAttempts").and_then(|n| n.as_u64()).unwrap_or(3),
        backoff_rate: number("BackoffRate")
            .and_then(|n| n.as_f64())
            .unwrap_or(2.0),
        max_delay_seconds: number("MaxDelaySeconds").and_then(|n| n.as_u64()),
        jitter: match node.field("JitterStrategy").and_then(Node::as_str) {
            Some("FULL") => Jitter::Full,
            _ => Jitter::None,
        },
        span: node.span,
    }
}

fn catcher(node: &Node) -> Catcher {
    Catcher {
        error_equals: error_equals(node),
        next: spanned_string(node, "Next"),
        result_path: nullable_path(node, "ResultPath"),
        output: value_field(node, "Output"),
        assign: value_field(node, "Assign"),
        span: node.span,
    }
}

/// Reads a (possibly nested) Choice rule's condition.
fn condition(rule: &Node) -> Condition {
    condition_at_depth(rule, 0)
}

/// Choice rules nest through And/Or/Not; the JSON parser already bounds the
/// depth, this bound only keeps the model's own recursion obviously finite.
fn condition_at_depth(rule: &Node, depth: usize) -> Condition {
    if depth > crate::json::MAX_DEPTH {
        return Condition::Invalid;
    }
    let list = |key: &str| {
        rule.field(key).and_then(Node::as_array).map(|items| {
            items
                .iter()
                .map(|r| condition_at_depth(r, depth + 1))
                .collect::<Vec<_>>()
        })
    };
    if let Some(items) = list("And") {
        return Condition::And(items);
    }
    if let Some(items) = list("Or") {
        return Condition::Or(items);
    }
    if let Some(inner) = rule.field("Not") {
        return Condition::Not(Box::new(condition_at_depth(inner, depth + 1)));
    }
    if let Some(c) = spanned_string(rule, "Condition") {
        return Condition::Jsonata(c);
    }
    let Some(variable) = spanned_string(rule, "Variable") else {
        return Condition::Invalid;
    };
    let mut operators = rule
        .as_object()
        .unwrap_or_default()
        .iter()
        .filter_map(|m| Comparison::from_field(&m.key).map(|op| (op, m)));
    match (operators.next(), operators.next()) {
        (Some(((operator, is_path), member)), None) => {
            let operand = if is_path {
                match member.value.as_str() {
                    Some(p) => Operand::Path(Spanned {
                        value: p.to_owned(),
                        span: member.value.span,
                    }),
                    None => return Condition::Invalid,
                }
            } else {
                Operand::Literal(member.value.to_value())
            };
            Condition::Compare {
                variable,
                operator,
                operand,
            }
        }
        _ => Condition::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn model(text: &str) -> Definition {
        build(&parse(text).unwrap().root)
    }

    #[test]
    fn builds_nested_machines_with_pointers() {
        let d = model(
            r#"{"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                            "StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}
                ]}}}"#,
        );
        let names: Vec<_> = d.all_states().iter().map(|s| s.pointer.clone()).collect();
        assert_eq!(
            names,
            [
                "/States/P",
                "/States/P/Branches/0/States/M",
                "/States/P/Branches/0/States/M/ItemProcessor/States/X"
            ]
        );
        let StateKind::Parallel { branches } = &d.machine.states[0].kind else {
            panic!()
        };
        let StateKind::Map(map) = &branches[0].states[0].kind else {
            panic!()
        };
        assert_eq!(map.mode, MapMode::Distributed);
        assert_eq!(map.execution_type.as_deref(), Some("EXPRESS"));
        assert_eq!(map.processor.start_at.as_ref().unwrap().value, "X");
    }

    #[test]
    fn query_language_is_inherited_and_overridden() {
        let d = model(
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
                "A": {"Type": "Wait", "Seconds": "{% 3 %}", "Next": "B"},
                "B": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}"#,
        );
        assert_eq!(d.machine.states[0].query_language, QueryLanguage::Jsonata);
        let StateKind::Wait(w) = &d.machine.states[0].kind else {
            panic!()
        };
        assert!(matches!(w.seconds, Some(Dynamic::Jsonata(_))));
        assert_eq!(d.machine.states[1].query_language, QueryLanguage::JsonPath);
    }

    #[test]
    fn choice_rules_and_targets() {
        let d = model(
            r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D",
                "Choices": [
                  {"Not": {"Variable": "$.x", "IsPresent": true}, "Next": "A"},
                  {"Variable": "$.n", "NumericGreaterThanPath": "$.m", "Next": "B"},
                  {"Variable": "$.n", "NumericEquals": 1, "StringEquals": "x", "Next": "B"}
                ]}}}"#,
        );
        let state = &d.machine.states[0];
        let targets: Vec<_> = state
            .targets()
            .iter()
            .map(|(_, t)| t.value.as_str())
            .collect();
        assert_eq!(targets, ["A", "B", "B", "D"]);
        let StateKind::Choice(choice) = &state.kind else {
            panic!()
        };
        assert!(matches!(&choice.choices[0].condition, Condition::Not(_)));
        assert!(matches!(
            &choice.choices[1].condition,
            Condition::Compare {
                operator: Comparison::NumericGreaterThan,
                operand: Operand::Path(_),
                ..
            }
        ));
        assert_eq!(choice.choices[2].condition, Condition::Invalid);
    }

    #[test]
    fn retry_defaults_and_nullable_paths() {
        let d = model(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "ResultPath": null, "OutputPath": "$.a", "End": true,
                "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": "FULL"}]}}}"#,
        );
        let t = &d.machine.states[0];
        assert_eq!(t.result_path, Some(NullablePath::Null));
        assert!(matches!(&t.output_path, Some(NullablePath::Path(p)) if p.value == "$.a"));
        let r = &t.retry[0];
        assert_eq!(
            (r.interval_seconds, r.max_attempts, r.backoff_rate, r.jitter),
            (1, 3, 2.0, Jitter::Full)
        );
    }

    #[test]
    fn anything_parsed_builds_without_panicking() {
        for text in [
            "null",
            "[]",
            r#"{"States": 1}"#,
            r#"{"States": {"A": 1}}"#,
            r#"{"States": {"A": {"Type": "Map", "ItemProcessor": 1}}}"#,
            r#"{"States": {"A": {"Type": "Choice", "Choices": [1, {"Not": 2}]}}}"#,
            r#"{"States": {"A": {"Type": "Parallel", "Branches": [1, null]}}}"#,
        ] {
            let d = model(text);
            let _ = d.all_states();
        }
    }

    #[test]
    fn operator_names() {
        assert_eq!(
            Comparison::from_field("StringEqualsPath"),
            Some((Comparison::StringEquals, true))
        );
        assert_eq!(Comparison::from_field("IsNullPath"), None);
        assert_eq!(Comparison::from_field("StringMatchesPath"), None);
        assert_eq!(Comparison::from_field("Variable"), None);
    }
}
