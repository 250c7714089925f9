//! The field schema of a definition: which fields each object may hold —
//! the top level, a Parallel branch, a Map processor, each of the eight state
//! types — in which query language, and what kind of value each takes.
//!
//! Shared by the structure rules (`missing-required-field`, `unknown-field`,
//! `invalid-field-value`, `field-not-in-query-language`, …) so that they
//! agree on one table. Payload templates (`Parameters`, `Arguments`,
//! `ResultSelector`, `ItemSelector`, `Output`, `Assign`, `Result`) and the
//! contents of `Credentials`, `Retry`, `Catch`, `Choices`, `ItemReader`,
//! `ItemBatcher`, `ResultWriter` and `ProcessorConfig` are not described here:
//! only the kind of the field's own value is.

use asl_core::json::{Node, NodeValue};
use asl_core::model::{is_jsonata_template, QueryLanguage, StateType};

/// Which query languages a field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Both,
    JsonPath,
    Jsonata,
}

impl Lang {
    pub fn allows(self, language: QueryLanguage) -> bool {
        match self {
            Lang::Both => true,
            Lang::JsonPath => language == QueryLanguage::JsonPath,
            Lang::Jsonata => language == QueryLanguage::Jsonata,
        }
    }
}

/// The kind of value a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Any JSON value (payload templates, `Output`, `Result`, `Items`).
    Any,
    String,
    /// A path string or `null` (`InputPath`, `OutputPath`, `ResultPath`).
    NullableString,
    /// `End`: the literal `true`.
    True,
    Object,
    /// An object, or a JSONata template string (`Arguments`).
    ObjectOrTemplate,
    Array,
    /// `Branches`: an array of `{StartAt, States}` objects.
    ArrayOfObjects,
    /// `States`: an object whose values are state objects.
    ObjectOfObjects,
    /// An integer ≥ 1.
    PositiveInteger,
    /// An integer ≥ 0.
    NonNegativeInteger,
    /// A number from 0 to 100.
    Percentage,
    /// One of the listed strings.
    Enum(&'static [&'static str]),
}

/// One field: its name, where it may appear, and its value.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    /// The state types that take it (empty in the machine-level tables).
    pub on: &'static [StateType],
    pub lang: Lang,
    pub kind: Kind,
    /// Whether a JSONata `{% … %}` string may stand for the value in a
    /// JSONata state.
    pub template: bool,
}

use StateType::{Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait};

const ALL: &[StateType] = &StateType::ALL;
/// States that take `Next`/`End`.
const FLOW: &[StateType] = &[Pass, Task, Wait, Parallel, Map];
/// States that take `InputPath`/`OutputPath` (JSONPath) and `Output` (JSONata).
const IO: &[StateType] = &[Pass, Task, Wait, Choice, Parallel, Map, Succeed];
const ASSIGN: &[StateType] = &[Pass, Task, Wait, Choice, Parallel, Map];
const PARAMETERS: &[StateType] = &[Pass, Task, Parallel, Map];
const RESULTS: &[StateType] = &[Task, Parallel, Map];
const RESULT_PATH: &[StateType] = &[Pass, Task, Parallel, Map];
const ARGUMENTS: &[StateType] = &[Task, Parallel];

/// The two query languages, as `QueryLanguage` accepts them.
pub const QUERY_LANGUAGES: &[&str] = &["JSONPath", "JSONata"];

const fn field(
    name: &'static str,
    on: &'static [StateType],
    lang: Lang,
    kind: Kind,
    template: bool,
) -> Field {
    Field {
        name,
        on,
        lang,
        kind,
        template,
    }
}

/// Every state-level field.
pub static STATE_FIELDS: &[Field] = &[
    field("Type", ALL, Lang::Both, Kind::String, false),
    field("Comment", ALL, Lang::Both, Kind::String, false),
    field(
        "QueryLanguage",
        ALL,
        Lang::Both,
        Kind::Enum(QUERY_LANGUAGES),
        false,
    ),
    field("Next", FLOW, Lang::Both, Kind::String, false),
    field("End", FLOW, Lang::Both, Kind::True, false),
    field("InputPath", IO, Lang::JsonPath, Kind::NullableString, false),
    field(
        "OutputPath",
        IO,
        Lang::JsonPath,
        Kind::NullableString,
        false,
    ),
    field("Parameters", PARAMETERS, Lang::JsonPath, Kind::Any, false),
    field("ResultSelector", RESULTS, Lang::JsonPath, Kind::Any, false),
    field(
        "ResultPath",
        RESULT_PATH,
        Lang::JsonPath,
        Kind::NullableString,
        false,
    ),
    field("Result", &[Pass], Lang::JsonPath, Kind::Any, false),
    field(
        "Arguments",
        ARGUMENTS,
        Lang::Jsonata,
        Kind::ObjectOrTemplate,
        true,
    ),
    field("Output", IO, Lang::Jsonata, Kind::Any, true),
    field("Assign", ASSIGN, Lang::Both, Kind::Object, false),
    field("Retry", RESULTS, Lang::Both, Kind::Array, false),
    field("Catch", RESULTS, Lang::Both, Kind::Array, false),
    // Task
    field("Resource", &[Task], Lang::Both, Kind::String, false),
    field(
        "TimeoutSeconds",
        &[Task],
        Lang::Both,
        Kind::PositiveInteger,
        true,
    ),
    field(
        "TimeoutSecondsPath",
        &[Task],
        Lang::JsonPath,
        Kind::String,
        false,
    ),
    field(
        "HeartbeatSeconds",
        &[Task],
        Lang::Both,
        Kind::PositiveInteger,
        true,
    ),
    field(
        "HeartbeatSecondsPath",
        &[Task],
        Lang::JsonPath,
        Kind::String,
        false,
    ),
    field("Credentials", &[Task], Lang::Both, Kind::Object, false),
    // Choice
    field("Choices", &[Choice], Lang::Both, Kind::Array, false),
    field("Default", &[Choice], Lang::Both, Kind::String, false),
    // Wait
    field(
        "Seconds",
        &[Wait],
        Lang::Both,
        Kind::NonNegativeInteger,
        true,
    ),
    field("SecondsPath", &[Wait], Lang::JsonPath, Kind::String, false),
    field("Timestamp", &[Wait], Lang::Both, Kind::String, true),
    field(
        "TimestampPath",
        &[Wait],
        Lang::JsonPath,
        Kind::String,
        false,
    ),
    // Fail
    field("Error", &[Fail], Lang::Both, Kind::String, true),
    field("ErrorPath", &[Fail], Lang::JsonPath, Kind::String, false),
    field("Cause", &[Fail], Lang::Both, Kind::String, true),
    field("CausePath", &[Fail], Lang::JsonPath, Kind::String, false),
    // Parallel
    field(
        "Branches",
        &[Parallel],
        Lang::Both,
        Kind::ArrayOfObjects,
        false,
    ),
    // Map
    field("ItemProcessor", &[Map], Lang::Both, Kind::Object, false),
    field("Iterator", &[Map], Lang::Both, Kind::Object, false),
    field("ItemsPath", &[Map], Lang::JsonPath, Kind::String, false),
    field("Items", &[Map], Lang::Jsonata, Kind::Any, true),
    field("ItemSelector", &[Map], Lang::Both, Kind::Any, false),
    field(
        "MaxConcurrency",
        &[Map],
        Lang::Both,
        Kind::NonNegativeInteger,
        true,
    ),
    field(
        "MaxConcurrencyPath",
        &[Map],
        Lang::JsonPath,
        Kind::String,
        false,
    ),
    field("ItemReader", &[Map], Lang::Both, Kind::Object, false),
    field("ItemBatcher", &[Map], Lang::Both, Kind::Object, false),
    field("ResultWriter", &[Map], Lang::Both, Kind::Object, false),
    field(
        "ToleratedFailureCount",
        &[Map],
        Lang::Both,
        Kind::NonNegativeInteger,
        true,
    ),
    field(
        "ToleratedFailureCountPath",
        &[Map],
        Lang::JsonPath,
        Kind::String,
        false,
    ),
    field(
        "ToleratedFailurePercentage",
        &[Map],
        Lang::Both,
        Kind::Percentage,
        true,
    ),
    field(
        "ToleratedFailurePercentagePath",
        &[Map],
        Lang::JsonPath,
        Kind::String,
        false,
    ),
    field("Label", &[Map], Lang::Both, Kind::String, false),
];

/// Which kind of `StartAt`/`States` object a machine is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole definition.
    Top,
    /// A Parallel branch.
    Branch,
    /// A Map `ItemProcessor` (or legacy `Iterator`).
    Processor,
}

impl Scope {
    /// The scope of a machine held by `parent` (`None` at the top level).
    pub fn of(parent: Option<&asl_core::model::State>) -> Scope {
        match parent.and_then(|p| p.state_type) {
            None => Scope::Top,
            Some(StateType::Map) => Scope::Processor,
            Some(_) => Scope::Branch,
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Scope::Top => TOP_FIELDS,
            Scope::Branch => BRANCH_FIELDS,
            Scope::Processor => PROCESSOR_FIELDS,
        }
    }

    /// How messages name this object.
    pub fn describe(self) -> &'static str {
        match self {
            Scope::Top => "the top level of a definition",
            Scope::Branch => "a Parallel branch",
            Scope::Processor => "a Map processor",
        }
    }
}

const START_AT: Field = field("StartAt", &[], Lang::Both, Kind::String, false);
const STATES: Field = field("States", &[], Lang::Both, Kind::ObjectOfObjects, false);
const COMMENT: Field = field("Comment", &[], Lang::Both, Kind::String, false);

static TOP_FIELDS: &[Field] = &[
    START_AT,
    STATES,
    COMMENT,
    field("Version", &[], Lang::Both, Kind::String, false),
    field(
        "TimeoutSeconds",
        &[],
        Lang::Both,
        Kind::PositiveInteger,
        false,
    ),
    field(
        "QueryLanguage",
        &[],
        Lang::Both,
        Kind::Enum(QUERY_LANGUAGES),
        false,
    ),
];

static BRANCH_FIELDS: &[Field] = &[START_AT, STATES, COMMENT];

static PROCESSOR_FIELDS: &[Field] = &[
    START_AT,
    STATES,
    COMMENT,
    field("ProcessorConfig", &[], Lang::Both, Kind::Object, false),
];

/// The field `name` of a `state_type` state, in any query language.
pub fn state_field(state_type: StateType, name: &str) -> Option<&'static Field> {
    STATE_FIELDS
        .iter()
        .find(|f| f.name == name && f.on.contains(&state_type))
}

/// Every field a `state_type` state takes, in any query language.
pub fn state_fields(state_type: StateType) -> impl Iterator<Item = &'static Field> {
    STATE_FIELDS
        .iter()
        .filter(move |f| f.on.contains(&state_type))
}

/// The state types that take a field named `name`.
pub fn types_with_field(name: &str) -> Vec<StateType> {
    StateType::ALL
        .into_iter()
        .filter(|t| state_field(*t, name).is_some())
        .collect()
}

/// The field `name` of a machine object of `scope`.
pub fn machine_field(scope: Scope, name: &str) -> Option<&'static Field> {
    scope.fields().iter().find(|f| f.name == name)
}

/// Pairs of fields that give the same setting two ways, of which at most
/// one may appear (static vs `…Path` form; legacy vs current Map fields).
pub static EXCLUSIVE: &[(StateType, &str, &str)] = &[
    (Task, "TimeoutSeconds", "TimeoutSecondsPath"),
    (Task, "HeartbeatSeconds", "HeartbeatSecondsPath"),
    (Fail, "Error", "ErrorPath"),
    (Fail, "Cause", "CausePath"),
    (Map, "MaxConcurrency", "MaxConcurrencyPath"),
    (Map, "ToleratedFailureCount", "ToleratedFailureCountPath"),
    (
        Map,
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
    ),
    (Map, "ItemProcessor", "Iterator"),
    (Map, "ItemSelector", "Parameters"),
];

/// The fields a `state_type` state cannot do without: `(field, alternative)`
/// (Map takes `ItemProcessor` or the legacy `Iterator`).
pub fn required_fields(state_type: StateType) -> &'static [(&'static str, Option<&'static str>)] {
    match state_type {
        Task => &[("Resource", None)],
        Choice => &[("Choices", None)],
        Parallel => &[("Branches", None)],
        Map => &[("ItemProcessor", Some("Iterator"))],
        Pass | Wait | Succeed | Fail => &[],
    }
}

/// The JSON pointer of member `key` of the object at `parent`.
pub fn child_pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", asl_core::json::escape_pointer_token(key))
}

/// The states' type names as AWS lists them.
pub fn type_names() -> String {
    StateType::ALL.map(StateType::as_str).join(", ")
}

impl Kind {
    /// What the kind expects, for messages ("a positive integer").
    pub fn describe(self) -> String {
        match self {
            Kind::Any => "any JSON value".into(),
            Kind::String => "a string".into(),
            Kind::NullableString => "a string or null".into(),
            Kind::True => "`true`".into(),
            Kind::Object => "an object".into(),
            Kind::ObjectOrTemplate => "an object or a JSONata `{% … %}` string".into(),
            Kind::Array => "an array".into(),
            Kind::ArrayOfObjects => "an array of objects".into(),
            Kind::ObjectOfObjects => "an object of state objects".into(),
            Kind::PositiveInteger => "a positive integer".into(),
            Kind::NonNegativeInteger => "a non-negative integer".into(),
            Kind::Percentage => "a number from 0 to 100".into(),
            Kind::Enum(values) => format!("one of [{}]", values.join(", ")),
        }
    }

    /// Whether `node` is a value of this kind (JSONata templates aside).
    pub fn accepts(self, node: &Node) -> bool {
        match (self, &node.value) {
            (Kind::Any, _) => true,
            (Kind::String, NodeValue::String(_)) => true,
            (Kind::NullableString, NodeValue::String(_) | NodeValue::Null) => true,
            (Kind::True, NodeValue::Bool(b)) => *b,
            (Kind::Object, NodeValue::Object(_)) => true,
            (Kind::ObjectOrTemplate, NodeValue::Object(_)) => true,
            (Kind::ObjectOrTemplate, NodeValue::String(s)) => is_jsonata_template(s),
            (Kind::Array, NodeValue::Array(_)) => true,
            (Kind::ArrayOfObjects, NodeValue::Array(items)) => {
                items.iter().all(|i| i.as_object().is_some())
            }
            (Kind::ObjectOfObjects, NodeValue::Object(members)) => {
                members.iter().all(|m| m.value.as_object().is_some())
            }
            (Kind::PositiveInteger, NodeValue::Number(n)) => n.as_u64().is_some_and(|n| n >= 1),
            (Kind::NonNegativeInteger, NodeValue::Number(n)) => n.as_u64().is_some(),
            (Kind::Percentage, NodeValue::Number(n)) => {
                n.as_f64().is_some_and(|n| (0.0..=100.0).contains(&n))
            }
            (Kind::Enum(values), NodeValue::String(s)) => values.contains(&s.as_str()),
            _ => false,
        }
    }
}

/// Why `node` is not a valid value of `field` in a `language` state, as the
/// expectation ("a positive integer"); `None` when it is valid.
pub fn value_problem(field: &Field, node: &Node, language: QueryLanguage) -> Option<String> {
    if field.template
        && language == QueryLanguage::Jsonata
        && node.as_str().is_some_and(is_jsonata_template)
    {
        return None;
    }
    if field.kind.accepts(node) {
        return None;
    }
    let mut expected = field.kind.describe();
    if field.template
        && language == QueryLanguage::Jsonata
        && !matches!(
            field.kind,
            Kind::Any | Kind::String | Kind::ObjectOrTemplate
        )
    {
        expected.push_str(" or a JSONata `{% … %}` string");
    }
    Some(expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_core::json::parse;

    fn node(text: &str) -> Node {
        parse(text).unwrap().root
    }

    #[test]
    fn every_state_field_is_listed_once_per_type() {
        for t in StateType::ALL {
            let mut names: Vec<_> = state_fields(t).map(|f| f.name).collect();
            let n = names.len();
            names.sort();
            names.dedup();
            assert_eq!(n, names.len(), "{t:?}");
        }
    }

    #[test]
    fn kinds() {
        assert!(Kind::PositiveInteger.accepts(&node("1")));
        assert!(!Kind::PositiveInteger.accepts(&node("0")));
        assert!(!Kind::PositiveInteger.accepts(&node("1.5")));
        assert!(Kind::NonNegativeInteger.accepts(&node("0")));
        assert!(!Kind::NonNegativeInteger.accepts(&node("-1")));
        assert!(Kind::Percentage.accepts(&node("12.5")));
        assert!(!Kind::Percentage.accepts(&node("105")));
        assert!(Kind::True.accepts(&node("true")));
        assert!(!Kind::True.accepts(&node("false")));
        assert!(!Kind::ArrayOfObjects.accepts(&node("[[]]")));
    }

    #[test]
    fn templates_only_in_jsonata() {
        let timeout = state_field(Task, "TimeoutSeconds").unwrap();
        let t = node(r#""{% 3 %}""#);
        assert_eq!(value_problem(timeout, &t, QueryLanguage::Jsonata), None);
        assert!(value_problem(timeout, &t, QueryLanguage::JsonPath).is_some());
    }
}
