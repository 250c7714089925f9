use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{
    a_type, child, index, is_jsonata, is_rfc3339, looks_like_path, report_unknown_key,
    required_message, show,
};
use asl_core::json::Node;
use asl_core::model::{Comparison, OperandKind, QueryLanguage, StateType};

declare_rule! {
    /// A Choice rule that is not well formed.
    ///
    /// In a JSONPath Choice state every entry of `Choices` is either one
    /// comparison — `Variable` plus exactly one operator such as
    /// `StringEquals` or `NumericGreaterThanPath` — or one boolean combinator:
    /// `And`/`Or` with a non-empty array of rules, `Not` with exactly one
    /// rule. Top-level rules need `Next` (and may carry `Assign`); nested
    /// rules must not have `Next`. The operand must fit the operator: a
    /// string for `String*`, a number for `Numeric*`, a boolean for
    /// `BooleanEquals` and the `Is*` tests, an RFC 3339 timestamp for
    /// `Timestamp*`, and a path (`$…`) for every `…Path` operator.
    ///
    /// In a JSONata Choice state a rule is `Condition` + `Next` (plus
    /// optional `Assign` and `Output`), with no `Variable` or operators.
    ///
    /// Unknown keys are reported with the closest known one (`StringEqual` →
    /// `StringEquals`). AWS rejects all of these with `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "C", "States": {
    ///   "C": {"Type": "Choice", "Default": "B", "Choices": [
    ///     {"Variable": "$.n", "NumericEquals": "1", "Next": "A"}]},
    ///   "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}
    /// ```
    /// Compare with a number:
    /// ```json
    /// {"StartAt": "C", "States": {
    ///   "C": {"Type": "Choice", "Default": "B", "Choices": [
    ///     {"Variable": "$.n", "NumericEquals": 1, "Next": "A"}]},
    ///   "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}
    /// ```
    pub InvalidChoiceRule {
        code: "ASL-S012",
        slug: "invalid-choice-rule",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

const COMBINATORS: [&str; 3] = ["And", "Or", "Not"];
const JSONATA_FIELDS: [&str; 2] = ["Condition", "Output"];
const JSONATA_RULE_FIELDS: [&str; 5] = ["Condition", "Next", "Assign", "Output", "Comment"];

/// Every key a JSONPath rule may hold at the top level (operators included).
fn jsonpath_keys(top: bool) -> Vec<&'static str> {
    let mut keys = vec!["Variable", "And", "Or", "Not", "Comment"];
    if top {
        keys.extend(["Next", "Assign"]);
    }
    for op in Comparison::ALL {
        keys.push(op.as_str());
    }
    keys.extend(PATH_OPERATORS);
    keys
}

const PATH_OPERATORS: [&str; 16] = [
    "StringEqualsPath",
    "StringLessThanPath",
    "StringGreaterThanPath",
    "StringLessThanEqualsPath",
    "StringGreaterThanEqualsPath",
    "NumericEqualsPath",
    "NumericLessThanPath",
    "NumericGreaterThanPath",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEqualsPath",
    "BooleanEqualsPath",
    "TimestampEqualsPath",
    "TimestampLessThanPath",
    "TimestampGreaterThanPath",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEqualsPath",
];

impl Rule for InvalidChoiceRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Choice) {
                continue;
            }
            let pointer = child(&s.state.pointer, "Choices");
            let Some(rules) = s.node.field("Choices").and_then(Node::as_array) else {
                continue;
            };
            for (i, rule) in rules.iter().enumerate() {
                let at = index(&pointer, i);
                match s.state.query_language {
                    QueryLanguage::JsonPath => jsonpath_rule(out, rule, &at, true, 0),
                    QueryLanguage::Jsonata => jsonata_rule(out, rule, &at),
                }
            }
        }
    }
}

fn report(out: &mut Findings, node: &Node, pointer: &str, message: impl Into<String>) {
    out.report(&InvalidChoiceRule::META, node.span, pointer, message);
}

/// Requires a string `Next` on a top-level rule.
fn check_next(out: &mut Findings, rule: &Node, pointer: &str) {
    match rule.field("Next") {
        None => report(
            out,
            rule,
            pointer,
            format!(
                "{}: a top-level Choice rule names the state to go to when it matches",
                required_message(&["Next"])
            ),
        ),
        Some(next) if next.as_str().is_none() => report(
            out,
            next,
            &child(pointer, "Next"),
            format!(
                "The field 'Next' must be a state name (a string), not {}",
                a_type(next)
            ),
        ),
        Some(_) => {}
    }
}

fn jsonata_rule(out: &mut Findings, rule: &Node, pointer: &str) {
    let Some(members) = rule.as_object() else {
        report(
            out,
            rule,
            pointer,
            format!("A Choice rule must be an object, not {}", a_type(rule)),
        );
        return;
    };
    let mut jsonpath_fields = 0;
    for member in members {
        let key = member.key.as_str();
        if JSONATA_RULE_FIELDS.contains(&key) {
            continue;
        }
        if key == "Variable" || COMBINATORS.contains(&key) || Comparison::from_field(key).is_some()
        {
            jsonpath_fields += 1;
            out.report(
                &InvalidChoiceRule::META,
                member.key_span,
                child(pointer, key),
                format!("Field '{key}' belongs to JSONPath Choice rules; in a JSONata state a rule is a `Condition` (`{{% … %}}` evaluating to a boolean) plus `Next`"),
            );
        } else {
            report_unknown_key(
                &InvalidChoiceRule::META,
                out,
                member,
                pointer,
                &JSONATA_RULE_FIELDS,
                "a JSONata Choice rule",
            );
        }
    }
    match rule.field("Condition") {
        None if jsonpath_fields == 0 => report(out, rule, pointer, format!("{}: a JSONata Choice rule tests a `Condition`", required_message(&["Condition"]))),
        Some(c) if c.as_str().is_none() && c.as_bool().is_none() => report(
            out,
            c,
            &child(pointer, "Condition"),
            format!("The field 'Condition' must be a JSONata expression string `{{% … %}}` or a boolean, not {}", a_type(c)),
        ),
        _ => {}
    }
    check_next(out, rule, pointer);
}

fn jsonpath_rule(out: &mut Findings, rule: &Node, pointer: &str, top: bool, depth: usize) {
    if depth > asl_core::json::MAX_DEPTH {
        return;
    }
    let Some(members) = rule.as_object() else {
        report(
            out,
            rule,
            pointer,
            format!("A Choice rule must be an object, not {}", a_type(rule)),
        );
        return;
    };
    let known = jsonpath_keys(top);
    let mut unknown = 0;
    for member in members {
        let key = member.key.as_str();
        if known.contains(&key) {
            continue;
        }
        unknown += 1;
        if !top && (key == "Next" || key == "Assign") {
            out.report(
                &InvalidChoiceRule::META,
                member.key_span,
                child(pointer, key),
                format!("A rule nested in And/Or/Not must not have `{key}`: only the top-level rule of `Choices` does"),
            );
        } else if JSONATA_FIELDS.contains(&key) {
            out.report(
                &InvalidChoiceRule::META,
                member.key_span,
                child(pointer, key),
                format!("Field '{key}' belongs to JSONata Choice rules; this state uses JSONPath: write a comparison (`Variable` + operator), or set \"QueryLanguage\": \"JSONata\""),
            );
        } else {
            report_unknown_key(
                &InvalidChoiceRule::META,
                out,
                member,
                pointer,
                &known,
                "a Choice rule",
            );
        }
    }
    if top {
        check_next(out, rule, pointer);
    }

    let combinators: Vec<_> = members
        .iter()
        .filter(|m| COMBINATORS.contains(&m.key.as_str()))
        .collect();
    let operators: Vec<_> = members
        .iter()
        .filter_map(|m| Some((Comparison::from_field(&m.key)?, m)))
        .collect();
    let variable = rule.get("Variable");
    let is_comparison = variable.is_some() || !operators.is_empty();

    if combinators.len() > 1 || (!combinators.is_empty() && is_comparison) {
        let second = if combinators.len() > 1 {
            combinators[1]
        } else {
            combinators[0]
        };
        let mut found: Vec<&str> = combinators.iter().map(|m| m.key.as_str()).collect();
        if variable.is_some() {
            found.push("Variable");
        }
        found.extend(operators.iter().map(|(_, m)| m.key.as_str()));
        out.report(
            &InvalidChoiceRule::META,
            second.key_span,
            child(pointer, &second.key),
            format!(
                "A Choice rule is either one combinator (And, Or, Not) or one comparison (Variable + operator), but this one has {}: split it, or nest the parts in `And`",
                found.join(", ")
            ),
        );
        return;
    }

    if let Some(comb) = combinators.first() {
        let at = child(pointer, &comb.key);
        if comb.key == "Not" {
            match &comb.value.as_object() {
                Some(_) => jsonpath_rule(out, &comb.value, &at, false, depth + 1),
                None => report(
                    out,
                    &comb.value,
                    &at,
                    format!(
                        "`Not` takes exactly one rule object, not {}",
                        a_type(&comb.value)
                    ),
                ),
            }
        } else {
            match comb.value.as_array() {
                Some([]) => report(
                    out,
                    &comb.value,
                    &at,
                    format!(
                        "Value cannot be empty: `{}` needs at least one rule",
                        comb.key
                    ),
                ),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        jsonpath_rule(out, item, &index(&at, i), false, depth + 1);
                    }
                }
                None => report(
                    out,
                    &comb.value,
                    &at,
                    format!(
                        "`{}` takes a non-empty array of rules, not {}",
                        comb.key,
                        a_type(&comb.value)
                    ),
                ),
            }
        }
        return;
    }

    // A comparison.
    match variable {
        None if operators.is_empty() => {
            if unknown == 0 {
                report(out, rule, pointer, "A Choice rule needs a condition: a comparison (`Variable` + one operator such as `StringEquals`) or `And`/`Or`/`Not`");
            }
            return;
        }
        None => report(
            out,
            rule,
            pointer,
            format!(
                "{}: a comparison tests the value at `Variable`",
                required_message(&["Variable"])
            ),
        ),
        // The path syntax itself is checked by the path rules (and test
        // templates put placeholders here).
        Some(v) => {
            if v.value.as_str().is_none() {
                report(
                    out,
                    &v.value,
                    &child(pointer, "Variable"),
                    format!(
                        "`Variable` must be a path string (e.g. `$.status`), not {}",
                        a_type(&v.value)
                    ),
                );
            }
        }
    }
    match operators.as_slice() {
        [] => {
            if unknown == 0 {
                report(out, rule, pointer, "A comparison needs exactly one operator (e.g. `StringEquals`, `NumericGreaterThanPath`, `IsPresent`)");
            }
        }
        [((op, is_path), member)] => {
            check_operand(
                out,
                *op,
                *is_path,
                &member.key,
                &member.value,
                &child(pointer, &member.key),
            );
        }
        [_, rest @ ..] => {
            for (_, member) in rest {
                out.report(
                    &InvalidChoiceRule::META,
                    member.key_span,
                    child(pointer, &member.key),
                    format!(
                        "A comparison has exactly one operator, but this rule also has `{}`: combine several comparisons with `And`",
                        member.key
                    ),
                );
            }
        }
    }
}

fn check_operand(
    out: &mut Findings,
    op: Comparison,
    is_path: bool,
    key: &str,
    value: &Node,
    pointer: &str,
) {
    if is_path {
        match value.as_str() {
            Some(p) if looks_like_path(p) => {}
            _ => report(
                out,
                value,
                pointer,
                format!(
                    "`{key}` takes a path (a string starting with `$`), not {}",
                    show(value)
                ),
            ),
        }
        return;
    }
    let ok = match op.operand_kind() {
        OperandKind::String => value.as_str().is_some(),
        OperandKind::Number => value.as_number().is_some(),
        OperandKind::Boolean => value.as_bool().is_some(),
        OperandKind::Timestamp => match value.as_str() {
            Some(s) if is_rfc3339(s) => true,
            Some(s) => {
                let extra = if is_jsonata(s) {
                    " (JSONata is not evaluated in a JSONPath Choice rule)"
                } else {
                    ""
                };
                report(
                    out,
                    value,
                    pointer,
                    format!("String does not match RFC3339 timestamp: `{key}` takes a timestamp such as `2016-03-14T01:59:00Z`{extra}"),
                );
                return;
            }
            None => false,
        },
    };
    if !ok {
        let wanted = match op.operand_kind() {
            OperandKind::String => "a string",
            OperandKind::Number => "a number",
            OperandKind::Boolean => "a boolean (`true` or `false`)",
            OperandKind::Timestamp => "an RFC 3339 timestamp string",
        };
        let hint = if value.as_str().is_some_and(looks_like_path) && op.has_path_form() {
            format!("; to compare with a value from the input use `{key}Path`")
        } else {
            String::new()
        };
        report(
            out,
            value,
            pointer,
            format!("`{key}` takes {wanted}, not {}{hint}", show(value)),
        );
    }
}
