//! Naming rules of Step Functions resources, state names, Map Run labels,
//! variables and tags, as used by `asl-lint names --kind KIND NAME…`, the
//! definition linter and the simulator's API (`InvalidName`).
//!
//! Evidence for each rule (ASL-REFERENCE §2.1 unless noted):
//!
//! * **Length counts Unicode scalar values** (Rust `char`s), not bytes and not
//!   UTF-16 units. The limits come from the service model's `length`
//!   constraints (`Name` 1..80, `StateName` 1..80, `TagKey` 1..128, `TagValue`
//!   0..256 in `stepfunctions-2016-11-23.service.json`); Smithy/botocore
//!   constraints on strings count characters (botocore validates with Python
//!   `len`, which counts code points), and the AWS documentation states the
//!   variable limit as "80 Unicode characters". So `"é" * 80` is accepted and
//!   an 80-character name containing an emoji is too (unverified on AWS for
//!   astral characters, where Java's `String.length()` would count 2).
//! * **State machine, execution, activity names** (1..80): no whitespace
//!   (Unicode `White_Space`), no brackets `< > { } [ ]`, no wildcards `? *`,
//!   no special characters `" # % \ ^ | ~ $ & , ; : /`, no control characters
//!   U+0000–001F, U+007F–009F \[S\]\[B\]. **Backtick** is additionally rejected
//!   for activities (AWS-observed `` InvalidName: 'activity`name' ``) \[L\] and for
//!   Map Run labels; for state machines and executions it is not in the
//!   documented list, so it is accepted.
//! * **Map Run label** (1..40): the same forbidden characters plus backtick;
//!   AWS rejected empty, 41 characters, and `label_` + space, `?`, `*`, `$`,
//!   `\`, `:`, `\n`, U+0000, U+007F
//!   [C: lint invalid/localstack__scenarios__map_state_label_*.json], R18.
//! * **State names** (1..80, `StateName`): spaces are allowed
//!   [C: lint valid/localstack__test_state__localstack_blogpost_scenario_state_machine.json]
//!   and so is `?` (valid-labelled corpus definitions and the AWS "Job Status
//!   Poller" sample use `Job Complete?`). No AWS-recorded rejection of a state
//!   name exists (R3), so the only character rule applied is the one common
//!   to every AWS naming rule: no control characters (unverified for state
//!   names).
//! * **Alias names** (1..80): the model pattern of `CharacterRestrictedName`,
//!   `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$` — ASCII letters, digits, `_ - .`
//!   and at least one non-digit \[B\].
//! * **Variable names** (1..80): R23 and §6.3: no sub-paths; `states` is
//!   reserved. The character set follows the documentation's identifier rule
//!   (a letter or `_` first, then letters, digits, `_`; Unicode letters
//!   allowed — an approximation of UAX #31 with `char::is_alphabetic` /
//!   `is_alphanumeric`). Pass the key without its JSONPath `.$` suffix.
//! * **Tag keys / values** (key 1..128, value 0..256): Unicode letters,
//!   digits, whitespace and `_ . : / = + - @`; keys starting with `aws:`
//!   (any case) are reserved \[S\]\[B\]\[D\].
//! * **Worker names** (`GetActivityTask.workerName`): the `Name` shape, 1..80,
//!   with no character pattern \[B\].
//!
//! The API error for a bad name is `InvalidName` with message
//! `Invalid Name: '<name>'` ([`NameError::aws_message`]) \[L\].

use std::fmt;

/// What is being named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    /// `CreateStateMachine.name`.
    StateMachine,
    /// `StartExecution.name`.
    Execution,
    /// `CreateActivity.name`.
    Activity,
    /// A distributed Map `Label`.
    MapRunLabel,
    /// A key of a `States` object.
    State,
    /// `CreateStateMachineAlias.name`.
    Alias,
    /// A variable assigned with `Assign` (without the `.$` suffix).
    Variable,
    /// A tag key.
    TagKey,
    /// A tag value.
    TagValue,
    /// `GetActivityTask.workerName`.
    WorkerName,
}

/// The kinds accepted by [`NameKind::parse`], with their CLI spelling.
pub const NAME_KINDS: [(&str, NameKind); 10] = [
    ("state-machine", NameKind::StateMachine),
    ("execution", NameKind::Execution),
    ("activity", NameKind::Activity),
    ("map-run-label", NameKind::MapRunLabel),
    ("state", NameKind::State),
    ("alias", NameKind::Alias),
    ("variable", NameKind::Variable),
    ("tag-key", NameKind::TagKey),
    ("tag-value", NameKind::TagValue),
    ("worker-name", NameKind::WorkerName),
];

/// An unknown `--kind` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownNameKind(pub String);

impl fmt::Display for UnknownNameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = NAME_KINDS.iter().map(|(s, _)| *s).collect();
        write!(
            f,
            "unknown name kind '{}' (expected one of: {})",
            self.0,
            kinds.join(", ")
        )
    }
}

impl std::error::Error for UnknownNameKind {}

impl NameKind {
    /// Parses the CLI spelling (`state-machine`, `execution`, `activity`,
    /// `map-run-label`, `state`, `alias`, `variable`, `tag-key`, `tag-value`,
    /// `worker-name`); `_` may stand for `-` and case is ignored. `label` is
    /// accepted for `map-run-label`.
    pub fn parse(s: &str) -> Result<NameKind, UnknownNameKind> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        if norm == "label" {
            return Ok(NameKind::MapRunLabel);
        }
        NAME_KINDS
            .iter()
            .find(|(k, _)| *k == norm)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| UnknownNameKind(s.to_owned()))
    }

    /// The CLI spelling.
    pub fn as_str(self) -> &'static str {
        NAME_KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(s, _)| *s)
            .unwrap_or("name")
    }

    /// A noun phrase for messages ("state machine name").
    pub fn noun(self) -> &'static str {
        match self {
            NameKind::StateMachine => "state machine name",
            NameKind::Execution => "execution name",
            NameKind::Activity => "activity name",
            NameKind::MapRunLabel => "Map Run label",
            NameKind::State => "state name",
            NameKind::Alias => "alias name",
            NameKind::Variable => "variable name",
            NameKind::TagKey => "tag key",
            NameKind::TagValue => "tag value",
            NameKind::WorkerName => "worker name",
        }
    }

    /// Minimum length in characters.
    pub fn min_len(self) -> usize {
        match self {
            NameKind::TagValue => 0,
            _ => 1,
        }
    }

    /// Maximum length in characters (Unicode scalar values).
    pub fn max_len(self) -> usize {
        match self {
            NameKind::MapRunLabel => 40,
            NameKind::TagKey => 128,
            NameKind::TagValue => 256,
            _ => 80,
        }
    }

    fn uses_resource_charset(self) -> bool {
        matches!(
            self,
            NameKind::StateMachine
                | NameKind::Execution
                | NameKind::Activity
                | NameKind::MapRunLabel
        )
    }

    fn forbids_backtick(self) -> bool {
        matches!(self, NameKind::Activity | NameKind::MapRunLabel)
    }
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a name (one entry per problem; character problems are
/// reported once per offending character).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameProblemKind {
    /// The name is empty.
    Empty,
    /// Longer than allowed; `length` and `max` in characters.
    TooLong {
        /// Length in Unicode scalar values.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// A whitespace character.
    Whitespace,
    /// One of `< > { } [ ]`.
    Bracket,
    /// One of `? *`.
    Wildcard,
    /// One of `" # % \ ^ | ~ $ & , ; : /`.
    SpecialCharacter,
    /// A control character U+0000–001F or U+007F–009F.
    ControlCharacter,
    /// A backtick (activities and Map Run labels).
    Backtick,
    /// A character outside the kind's allowed set (alias, variable, tag).
    DisallowedCharacter,
    /// An alias made only of digits.
    AllDigits,
    /// A variable name that does not start with a letter or `_`.
    InvalidStart,
    /// A reserved name or prefix (`states`, `aws:`).
    Reserved,
}

/// One problem, with the offending character and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameProblem {
    /// The rule broken.
    pub kind: NameProblemKind,
    /// The offending character, for character problems.
    pub ch: Option<char>,
    /// Its 0-based index in characters (Unicode scalar values).
    pub index: Option<usize>,
    /// Its byte offset in the UTF-8 name.
    pub byte_offset: Option<usize>,
}

impl NameProblem {
    fn whole(kind: NameProblemKind) -> Self {
        NameProblem {
            kind,
            ch: None,
            index: None,
            byte_offset: None,
        }
    }

    fn at(kind: NameProblemKind, ch: char, index: usize, byte_offset: usize) -> Self {
        NameProblem {
            kind,
            ch: Some(ch),
            index: Some(index),
            byte_offset: Some(byte_offset),
        }
    }

    /// A human description of this problem.
    pub fn message(&self, kind: NameKind) -> String {
        let what = match &self.kind {
            NameProblemKind::Empty => return format!("the {} must not be empty", kind.noun()),
            NameProblemKind::TooLong { length, max } => {
                return format!(
                    "the {} is {length} characters long; at most {max} are allowed",
                    kind.noun()
                )
            }
            NameProblemKind::AllDigits => {
                return "an alias name must contain at least one letter, '_', '-' or '.'".into()
            }
            NameProblemKind::Reserved => {
                return match kind {
                    NameKind::TagKey => "tag keys starting with 'aws:' are reserved".into(),
                    _ => format!("'states' is a reserved {}", kind.noun()),
                }
            }
            NameProblemKind::Whitespace => "whitespace",
            NameProblemKind::Bracket => "bracket",
            NameProblemKind::Wildcard => "wildcard",
            NameProblemKind::SpecialCharacter => "special character",
            NameProblemKind::ControlCharacter => "control character",
            NameProblemKind::Backtick => "backtick",
            NameProblemKind::DisallowedCharacter => "character not allowed",
            NameProblemKind::InvalidStart => "must start with a letter or '_', found character",
        };
        match (self.ch, self.index) {
            (Some(c), Some(i)) => format!("{what} {} at index {i}", describe_char(c)),
            _ => what.to_owned(),
        }
    }
}

/// Renders a character for messages: `':'` (U+003A), or just `U+000A` for
/// invisible ones.
pub fn describe_char(c: char) -> String {
    if c.is_control() || (c.is_whitespace() && c != ' ') {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

/// A rejected name with every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// What was being named.
    pub kind: NameKind,
    /// The rejected name.
    pub name: String,
    /// All problems, in order of position (whole-name problems first).
    pub problems: Vec<NameProblem>,
}

impl NameError {
    /// The human message: `invalid state machine name 'a b': whitespace ' '
    /// (U+0020) at index 1`.
    pub fn message(&self) -> String {
        let parts: Vec<String> = self.problems.iter().map(|p| p.message(self.kind)).collect();
        format!(
            "invalid {} '{}': {}",
            self.kind.noun(),
            self.name.escape_debug(),
            parts.join("; ")
        )
    }

    /// The message AWS returns with `InvalidName`: `Invalid Name: '<name>'`.
    pub fn aws_message(&self) -> String {
        format!("Invalid Name: '{}'", self.name)
    }

    /// A valid name close to the rejected one, if one can be derived
    /// (see [`sanitize_name`]).
    pub fn suggestion(&self) -> Option<String> {
        sanitize_name(self.kind, &self.name)
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(s) = self.suggestion() {
            write!(f, " (try '{}')", s.escape_debug())?;
        }
        Ok(())
    }
}

impl std::error::Error for NameError {}

/// Number of characters as AWS counts them for name limits (Unicode scalar
/// values).
pub fn name_length(name: &str) -> usize {
    name.chars().count()
}

/// `true` for U+0000–001F and U+007F–009F.
pub fn is_control_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Classifies a character under the state machine / execution / activity /
/// label rules (`None` = allowed).
fn resource_char_problem(kind: NameKind, c: char) -> Option<NameProblemKind> {
    Some(match c {
        _ if is_control_char(c) && !c.is_whitespace() => NameProblemKind::ControlCharacter,
        _ if c.is_whitespace() => NameProblemKind::Whitespace,
        '<' | '>' | '{' | '}' | '[' | ']' => NameProblemKind::Bracket,
        '?' | '*' => NameProblemKind::Wildcard,
        '"' | '#' | '%' | '\\' | '^' | '|' | '~' | '$' | '&' | ',' | ';' | ':' | '/' => {
            NameProblemKind::SpecialCharacter
        }
        '`' if kind.forbids_backtick() => NameProblemKind::Backtick,
        _ => return None,
    })
}

fn has_aws_prefix(name: &str) -> bool {
    name.as_bytes()
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"aws:"))
}

fn alias_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn tag_char_ok(c: char) -> bool {
    c.is_alphanumeric()
        || c.is_whitespace()
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

fn variable_char_ok(c: char, first: bool) -> bool {
    if first {
        c.is_alphabetic() || c == '_'
    } else {
        c.is_alphanumeric() || c == '_'
    }
}

/// Checks `name` against the rules for `kind`, collecting every problem.
pub fn check_name(kind: NameKind, name: &str) -> Result<(), NameError> {
    let mut problems = Vec::new();
    let length = name_length(name);
    if length == 0 && kind.min_len() > 0 {
        problems.push(NameProblem::whole(NameProblemKind::Empty));
    }
    if length > kind.max_len() {
        problems.push(NameProblem::whole(NameProblemKind::TooLong {
            length,
            max: kind.max_len(),
        }));
    }
    match kind {
        NameKind::Alias if length > 0 && name.chars().all(|c| c.is_ascii_digit()) => {
            problems.push(NameProblem::whole(NameProblemKind::AllDigits));
        }
        NameKind::Variable if name == "states" => {
            problems.push(NameProblem::whole(NameProblemKind::Reserved));
        }
        NameKind::TagKey if has_aws_prefix(name) => {
            problems.push(NameProblem::whole(NameProblemKind::Reserved));
        }
        _ => {}
    }
    for (index, (byte_offset, c)) in name.char_indices().enumerate() {
        let problem = match kind {
            k if k.uses_resource_charset() => resource_char_problem(k, c),
            NameKind::State if is_control_char(c) => Some(NameProblemKind::ControlCharacter),
            NameKind::Alias if !alias_char_ok(c) => Some(NameProblemKind::DisallowedCharacter),
            NameKind::TagKey | NameKind::TagValue if !tag_char_ok(c) => {
                Some(NameProblemKind::DisallowedCharacter)
            }
            NameKind::Variable if index == 0 && !variable_char_ok(c, true) => {
                Some(if variable_char_ok(c, false) {
                    NameProblemKind::InvalidStart
                } else {
                    NameProblemKind::DisallowedCharacter
                })
            }
            NameKind::Variable if !variable_char_ok(c, false) => {
                Some(NameProblemKind::DisallowedCharacter)
            }
            _ => None,
        };
        if let Some(p) = problem {
            problems.push(NameProblem::at(p, c, index, byte_offset));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(NameError {
            kind,
            name: name.to_owned(),
            problems,
        })
    }
}

/// Derives a valid name from `name`: forbidden visible characters (each run
/// of them) become `_`, control characters are dropped, the result is cut to
/// the maximum length; kind-specific fixes: an all-digit alias gets a `v`
/// prefix, a variable starting with a digit gets `_`, `states` becomes
/// `states_`, an `aws:` tag-key prefix is removed. Returns `None` when nothing
/// valid remains (e.g. an empty name).
pub fn sanitize_name(kind: NameKind, name: &str) -> Option<String> {
    let mut out = String::new();
    let mut last_replaced = false;
    let body = match kind {
        NameKind::TagKey if has_aws_prefix(name) => &name[4..],
        _ => name,
    };
    for (index, c) in body.chars().enumerate() {
        let ok = match kind {
            k if k.uses_resource_charset() => resource_char_problem(k, c).is_none(),
            NameKind::State | NameKind::WorkerName => !is_control_char(c),
            NameKind::Alias => alias_char_ok(c),
            NameKind::TagKey | NameKind::TagValue => tag_char_ok(c),
            NameKind::Variable => variable_char_ok(c, index == 0) || variable_char_ok(c, false),
            _ => true,
        };
        if ok {
            out.push(c);
            last_replaced = false;
        } else if !is_control_char(c) || c.is_whitespace() {
            if !last_replaced {
                out.push('_');
            }
            last_replaced = true;
        }
    }
    match kind {
        NameKind::Alias if !out.is_empty() && out.chars().all(|c| c.is_ascii_digit()) => {
            out.insert(0, 'v')
        }
        NameKind::Variable
            if out
                .chars()
                .next()
                .is_some_and(|c| !variable_char_ok(c, true)) =>
        {
            out.insert(0, '_')
        }
        NameKind::Variable if out == "states" => out.push('_'),
        _ => {}
    }
    let out: String = out.chars().take(kind.max_len()).collect();
    if check_name(kind, &out).is_ok() && (kind.min_len() == 0 || !out.is_empty()) {
        Some(out)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(kind: NameKind, name: &str) -> Vec<NameProblemKind> {
        match check_name(kind, name) {
            Ok(()) => vec![],
            Err(e) => e.problems.into_iter().map(|p| p.kind).collect(),
        }
    }

    #[test]
    fn parse_kinds() {
        assert_eq!(NameKind::parse("state-machine"), Ok(NameKind::StateMachine));
        assert_eq!(NameKind::parse("execution"), Ok(NameKind::Execution));
        assert_eq!(NameKind::parse("activity"), Ok(NameKind::Activity));
        assert_eq!(NameKind::parse("map-run-label"), Ok(NameKind::MapRunLabel));
        assert_eq!(NameKind::parse("label"), Ok(NameKind::MapRunLabel));
        assert_eq!(NameKind::parse("state"), Ok(NameKind::State));
        assert_eq!(NameKind::parse("STATE_MACHINE"), Ok(NameKind::StateMachine));
        let err = NameKind::parse("bogus").unwrap_err();
        assert!(err.to_string().contains("state-machine, execution"));
        for (s, k) in NAME_KINDS {
            assert_eq!(NameKind::parse(s), Ok(k));
            assert_eq!(k.as_str(), s);
        }
    }

    #[test]
    fn valid_names() {
        for kind in [
            NameKind::StateMachine,
            NameKind::Execution,
            NameKind::Activity,
            NameKind::MapRunLabel,
            NameKind::State,
        ] {
            assert_eq!(check_name(kind, "My-Machine_1.v2"), Ok(()), "{kind}");
            assert_eq!(check_name(kind, "naïve-日本"), Ok(()), "{kind}");
        }
        assert_eq!(check_name(NameKind::State, "Job Complete?"), Ok(()));
        assert_eq!(check_name(NameKind::State, "Approval Required"), Ok(()));
        assert_eq!(check_name(NameKind::StateMachine, "a`b"), Ok(()));
        assert_eq!(
            check_name(NameKind::WorkerName, "any thing: at/all"),
            Ok(())
        );
    }

    #[test]
    fn empty_and_length() {
        assert_eq!(
            kinds(NameKind::StateMachine, ""),
            vec![NameProblemKind::Empty]
        );
        assert_eq!(
            kinds(NameKind::MapRunLabel, ""),
            vec![NameProblemKind::Empty]
        );
        assert_eq!(kinds(NameKind::State, ""), vec![NameProblemKind::Empty]);
        assert_eq!(check_name(NameKind::TagValue, ""), Ok(()));
        assert_eq!(check_name(NameKind::StateMachine, &"a".repeat(80)), Ok(()));
        assert_eq!(
            kinds(NameKind::StateMachine, &"a".repeat(81)),
            vec![NameProblemKind::TooLong {
                length: 81,
                max: 80
            }]
        );
        assert_eq!(check_name(NameKind::MapRunLabel, &"a".repeat(40)), Ok(()));
        assert_eq!(
            kinds(NameKind::MapRunLabel, &"a".repeat(41)),
            vec![NameProblemKind::TooLong {
                length: 41,
                max: 40
            }]
        );
        // Characters, not bytes: 80 two-byte characters are fine.
        assert_eq!(check_name(NameKind::Execution, &"é".repeat(80)), Ok(()));
        assert_eq!(check_name(NameKind::Execution, &"😀".repeat(80)), Ok(()));
        assert_eq!(check_name(NameKind::TagKey, &"k".repeat(128)), Ok(()));
        assert!(check_name(NameKind::TagValue, &"v".repeat(257)).is_err());
    }

    #[test]
    fn recorded_label_rejections() {
        for (c, want) in [
            (' ', NameProblemKind::Whitespace),
            ('?', NameProblemKind::Wildcard),
            ('*', NameProblemKind::Wildcard),
            ('$', NameProblemKind::SpecialCharacter),
            ('\\', NameProblemKind::SpecialCharacter),
            (':', NameProblemKind::SpecialCharacter),
            ('\n', NameProblemKind::Whitespace),
            ('\r', NameProblemKind::Whitespace),
            ('\t', NameProblemKind::Whitespace),
            ('\u{0}', NameProblemKind::ControlCharacter),
            ('\u{7f}', NameProblemKind::ControlCharacter),
            ('`', NameProblemKind::Backtick),
        ] {
            let name = format!("label_{c}");
            let err = check_name(NameKind::MapRunLabel, &name).unwrap_err();
            assert_eq!(err.problems.len(), 1, "{name:?}");
            let p = &err.problems[0];
            assert_eq!(p.kind, want, "{name:?}");
            assert_eq!(p.ch, Some(c));
            assert_eq!(p.index, Some(6));
            assert_eq!(p.byte_offset, Some(6));
        }
        assert_eq!(check_name(NameKind::MapRunLabel, "TestMap"), Ok(()));
    }

    #[test]
    fn every_forbidden_class() {
        for c in "<>{}[]".chars() {
            assert_eq!(
                kinds(NameKind::StateMachine, &format!("a{c}")),
                vec![NameProblemKind::Bracket]
            );
        }
        for c in "\"#%\\^|~$&,;:/".chars() {
            assert_eq!(
                kinds(NameKind::Execution, &format!("a{c}")),
                vec![NameProblemKind::SpecialCharacter]
            );
        }
        for c in ['\u{1}', '\u{1f}', '\u{80}', '\u{9f}'] {
            assert_eq!(
                kinds(NameKind::Activity, &format!("a{c}")),
                vec![NameProblemKind::ControlCharacter]
            );
        }
        // U+00A0 and U+3000 are whitespace too.
        assert_eq!(
            kinds(NameKind::StateMachine, "a\u{a0}b"),
            vec![NameProblemKind::Whitespace]
        );
        assert_eq!(
            kinds(NameKind::StateMachine, "a\u{3000}b"),
            vec![NameProblemKind::Whitespace]
        );
        assert_eq!(
            kinds(NameKind::Activity, "activity`name"),
            vec![NameProblemKind::Backtick]
        );
        assert_eq!(
            kinds(NameKind::State, "a\u{0}b"),
            vec![NameProblemKind::ControlCharacter]
        );
    }

    #[test]
    fn lists_every_problem_with_position() {
        let name = format!("é {}{}", "x".repeat(80), "*");
        let err = check_name(NameKind::StateMachine, &name).unwrap_err();
        let got: Vec<_> = err
            .problems
            .iter()
            .map(|p| (p.kind.clone(), p.ch, p.index, p.byte_offset))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    NameProblemKind::TooLong {
                        length: 83,
                        max: 80
                    },
                    None,
                    None,
                    None
                ),
                (NameProblemKind::Whitespace, Some(' '), Some(1), Some(2)),
                (NameProblemKind::Wildcard, Some('*'), Some(82), Some(83)),
            ]
        );
    }

    #[test]
    fn messages_and_suggestions() {
        let err = check_name(NameKind::StateMachine, "my machine:v1").unwrap_err();
        assert_eq!(
            err.message(),
            "invalid state machine name 'my machine:v1': whitespace ' ' (U+0020) at index 2; \
             special character ':' (U+003A) at index 10"
        );
        assert_eq!(err.aws_message(), "Invalid Name: 'my machine:v1'");
        assert_eq!(err.suggestion().as_deref(), Some("my_machine_v1"));
        assert!(err.to_string().ends_with("(try 'my_machine_v1')"));

        let err = check_name(NameKind::MapRunLabel, "label_\n").unwrap_err();
        assert_eq!(
            err.message(),
            "invalid Map Run label 'label_\\n': whitespace U+000A at index 6"
        );
        let err = check_name(NameKind::Activity, "a\u{0}b").unwrap_err();
        assert_eq!(err.suggestion().as_deref(), Some("ab"));
        let err = check_name(NameKind::Execution, "").unwrap_err();
        assert_eq!(
            err.message(),
            "invalid execution name '': the execution name must not be empty"
        );
        assert_eq!(err.suggestion(), None);
        let err = check_name(NameKind::MapRunLabel, &"a b".repeat(20)).unwrap_err();
        let s = err.suggestion().unwrap();
        assert_eq!(name_length(&s), 40);
        assert!(check_name(NameKind::MapRunLabel, &s).is_ok());
        let err = check_name(NameKind::StateMachine, "a  [b]").unwrap_err();
        assert_eq!(err.suggestion().as_deref(), Some("a_b_"));
    }

    #[test]
    fn alias_rules() {
        assert_eq!(check_name(NameKind::Alias, "PROD"), Ok(()));
        assert_eq!(check_name(NameKind::Alias, "v1.2-beta_3"), Ok(()));
        assert_eq!(
            kinds(NameKind::Alias, "123"),
            vec![NameProblemKind::AllDigits]
        );
        assert_eq!(
            kinds(NameKind::Alias, "my alias"),
            vec![NameProblemKind::DisallowedCharacter]
        );
        assert_eq!(
            kinds(NameKind::Alias, "é"),
            vec![NameProblemKind::DisallowedCharacter]
        );
        assert_eq!(
            sanitize_name(NameKind::Alias, "123").as_deref(),
            Some("v123")
        );
        assert_eq!(
            sanitize_name(NameKind::Alias, "my alias").as_deref(),
            Some("my_alias")
        );
    }

    #[test]
    fn variable_rules() {
        assert_eq!(check_name(NameKind::Variable, "customerName"), Ok(()));
        assert_eq!(check_name(NameKind::Variable, "_x1"), Ok(()));
        assert_eq!(check_name(NameKind::Variable, "größe"), Ok(()));
        assert_eq!(
            kinds(NameKind::Variable, "states"),
            vec![NameProblemKind::Reserved]
        );
        assert_eq!(
            kinds(NameKind::Variable, "1x"),
            vec![NameProblemKind::InvalidStart]
        );
        assert_eq!(
            kinds(NameKind::Variable, "x.y"),
            vec![NameProblemKind::DisallowedCharacter]
        );
        assert_eq!(
            kinds(NameKind::Variable, "top-level"),
            vec![NameProblemKind::DisallowedCharacter]
        );
        assert_eq!(
            kinds(NameKind::Variable, "$x"),
            vec![NameProblemKind::DisallowedCharacter]
        );
        assert_eq!(
            sanitize_name(NameKind::Variable, "1x").as_deref(),
            Some("_1x")
        );
        assert_eq!(
            sanitize_name(NameKind::Variable, "states").as_deref(),
            Some("states_")
        );
        assert_eq!(
            sanitize_name(NameKind::Variable, "x[2]").as_deref(),
            Some("x_2_")
        );
        let err = check_name(NameKind::Variable, "states").unwrap_err();
        assert_eq!(
            err.message(),
            "invalid variable name 'states': 'states' is a reserved variable name"
        );
    }

    #[test]
    fn tag_rules() {
        assert_eq!(
            check_name(NameKind::TagKey, "team:owner/x=y+z-@_.1 a"),
            Ok(())
        );
        assert_eq!(
            kinds(NameKind::TagKey, "aws:foo"),
            vec![NameProblemKind::Reserved]
        );
        assert_eq!(
            kinds(NameKind::TagKey, "AWS:foo"),
            vec![NameProblemKind::Reserved]
        );
        assert_eq!(
            kinds(NameKind::TagValue, "a*b"),
            vec![NameProblemKind::DisallowedCharacter]
        );
        assert_eq!(check_name(NameKind::TagValue, "aws:ok-in-values"), Ok(()));
        assert_eq!(
            sanitize_name(NameKind::TagKey, "aws:foo").as_deref(),
            Some("foo")
        );
    }

    #[test]
    fn sanitized_names_are_valid() {
        let samples = ["a b", "x\u{0}y", "[*]", "é:ü", "`tick`", "a/b/c", "  "];
        for (_, kind) in NAME_KINDS {
            for s in samples {
                if let Some(fixed) = sanitize_name(kind, s) {
                    assert_eq!(
                        check_name(kind, &fixed),
                        Ok(()),
                        "{kind} {s:?} -> {fixed:?}"
                    );
                }
            }
        }
    }
}
