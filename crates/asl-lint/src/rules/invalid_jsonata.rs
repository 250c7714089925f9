use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{jsonata_fields, span_in_string, walk};
use asl_core::jsonata::{self, is_unterminated_template, template_expression, Expr, ExprKind};
use asl_core::span::Span;

declare_rule! {
    /// A `{% … %}` JSONata expression that does not parse, that is not
    /// closed, or that uses `$` or `$$` at its top level.
    ///
    /// In JSONata states, every string of `Arguments`, `Output`, `Assign`,
    /// `Condition`, `Items`, `ItemSelector`, `Seconds`, `Timestamp`,
    /// `TimeoutSeconds`, `HeartbeatSeconds`, `Error`, `Cause`,
    /// `MaxConcurrency`, the tolerated-failure fields, `Credentials` and the
    /// ItemReader/ItemBatcher/ResultWriter settings — at any depth — that
    /// begins with `{%` and ends with `%}` is a JSONata 2.0 expression. It
    /// must parse; the message carries JSONata's error code (`S0201` …).
    ///
    /// A string that begins with `{%` but does not end with `%}` is a plain
    /// string to AWS, which is never what was meant: it is reported too.
    /// And Step Functions gives an expression no context value, so `$` and
    /// `$$` cannot be used at the top level of an expression: read the
    /// state input as `$states.input`.
    ///
    /// Not reported: `{% … %}` strings in JSONPath states, which AWS keeps
    /// as plain text (AWS-validated LocalStack templates such as
    /// `assign/base_constant_literals` carry them in JSONPath `Assign`);
    /// and whitespace inside the delimiters (`{%10%}`), which JSONata
    /// ignores — asl-validator rejects both spellings, but no AWS recording
    /// does.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {
    ///   "Type": "Pass", "Output": {"total": "{% $sum($states.input.items %}",
    ///   "all": "{% $ %}"}, "End": true}}}
    /// ```
    /// Close the call, and read the input through `$states`:
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {
    ///   "Type": "Pass", "Output": {"total": "{% $sum($states.input.items) %}",
    ///   "all": "{% $states.input %}"}, "End": true}}}
    /// ```
    pub InvalidJsonata {
        code: "ASL-J001",
        slug: "invalid-jsonata",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for InvalidJsonata {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for field in jsonata_fields(s) {
                walk(field.node, &field.pointer, &mut |v| {
                    let Some(text) = v.node.as_str() else {
                        return;
                    };
                    if is_unterminated_template(text) {
                        out.report(
                            &Self::META,
                            v.node.span,
                            v.pointer,
                            "this string starts a JSONata expression with `{%` but does not end with `%}`, so it is a plain string; close it: \"{% <JSONata expression> %}\"",
                        );
                        return;
                    }
                    let Some((expr, offset)) = template_expression(text) else {
                        return;
                    };
                    let at = |span: Span| span_in_string(v.node, span.shifted(offset));
                    match jsonata::parse(expr) {
                        Err(error) => {
                            out.report(
                                &Self::META,
                                at(error.span),
                                v.pointer,
                                format!(
                                    "invalid JSONata expression: {}: {}",
                                    error.code, error.message
                                ),
                            );
                        }
                        Ok(tree) => {
                            if let Some((name, span)) = top_level_context(&tree) {
                                out.report(
                                    &Self::META,
                                    at(span),
                                    v.pointer,
                                    format!(
                                        "`{name}` cannot be used at the top level of a JSONata expression in Step Functions; read the state input as `$states.input`"
                                    ),
                                );
                            }
                        }
                    }
                });
            }
        }
    }
}

/// `$` (the context) or `$$` (the root) as the whole expression or as the
/// first step of its top-level path.
fn top_level_context(tree: &Expr) -> Option<(&'static str, Span)> {
    let first = match &tree.kind {
        ExprKind::Path { steps, .. } => steps.first()?,
        _ => tree,
    };
    match &first.kind {
        ExprKind::Variable(name) if name.is_empty() => Some(("$", first.span)),
        ExprKind::Variable(name) if name == "$" => Some(("$$", first.span)),
        _ => None,
    }
}
