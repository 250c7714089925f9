//! Which workflow variables an expression reads.
//!
//! A `$name` in an expression is a workflow variable (set by a state's
//! `Assign`) unless the expression binds it itself (`$x := …`, a lambda
//! parameter, `@$x`, `#$i`), it is a built-in function, or it is `$`, `$$`
//! or `$states`. The linter uses this to find reads of variables that no
//! `Assign` sets, and reads of `$states` members that do not exist where
//! they are used. Bindings are collected for the whole expression, not per
//! block: a name bound anywhere in it is never reported (conservative — no
//! false alarms on valid expressions).

use super::ast::{Expr, ExprKind, Stage};
use super::functions::builtin_names;
use crate::span::Span;
use std::collections::HashSet;

/// A read of a workflow variable or of a `$states` member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VariableRead {
    /// `$name`, a workflow variable.
    Workflow { name: String, span: Span },
    /// `$states.member` (`member` is `None` for a bare `$states`).
    States { member: Option<String>, span: Span },
}

/// The workflow-variable and `$states` reads of `expr`, in source order.
pub fn variable_reads(expr: &Expr) -> Vec<VariableRead> {
    let mut walker = Walker::default();
    walker.visit(expr);
    let builtins: HashSet<&str> = builtin_names().collect();
    let mut reads: Vec<VariableRead> = walker
        .reads
        .into_iter()
        .filter(|read| match read {
            VariableRead::Workflow { name, .. } => {
                !walker.bound.contains(name.as_str()) && !builtins.contains(name.as_str())
            }
            VariableRead::States { .. } => !walker.bound.contains("states"),
        })
        .collect();
    reads.sort_by_key(|r| match r {
        VariableRead::Workflow { span, .. } | VariableRead::States { span, .. } => span.start,
    });
    reads
}

#[derive(Default)]
struct Walker {
    reads: Vec<VariableRead>,
    bound: HashSet<String>,
}

impl Walker {
    fn visit(&mut self, expr: &Expr) {
        for name in expr.focus.iter().chain(&expr.index) {
            self.bound.insert(name.clone());
        }
        for stage in expr.predicate.iter().chain(&expr.stages) {
            match stage {
                Stage::Filter { expr, .. } => self.visit(expr),
                Stage::Index { name, .. } => {
                    self.bound.insert(name.clone());
                }
            }
        }
        if let Some(group) = &expr.group {
            for (k, v) in &group.pairs {
                self.visit(k);
                self.visit(v);
            }
        }
        match &expr.kind {
            ExprKind::Variable(name) => self.variable(name, expr.span),
            ExprKind::Path { steps, .. } => {
                if let [first, second, ..] = steps.as_slice() {
                    if let (ExprKind::Variable(v), ExprKind::Name(member)) =
                        (&first.kind, &second.kind)
                    {
                        if v == "states" {
                            self.reads.push(VariableRead::States {
                                member: Some(member.clone()),
                                span: first.span.cover(second.span),
                            });
                            self.visit_annotations_only(first);
                            steps[1..].iter().for_each(|s| self.visit(s));
                            return;
                        }
                    }
                }
                steps.iter().for_each(|s| self.visit(s));
            }
            ExprKind::Negate(e) => self.visit(e),
            ExprKind::Array(items) | ExprKind::Block(items) => {
                items.iter().for_each(|e| self.visit(e))
            }
            ExprKind::Object(pairs) => {
                for (k, v) in pairs {
                    self.visit(k);
                    self.visit(v);
                }
            }
            ExprKind::Binary { lhs, rhs, .. }
            | ExprKind::Apply { lhs, rhs }
            | ExprKind::Elvis { lhs, rhs }
            | ExprKind::Coalesce { lhs, rhs } => {
                self.visit(lhs);
                self.visit(rhs);
            }
            ExprKind::Bind { name, value } => {
                self.bound.insert(name.clone());
                self.visit(value);
            }
            ExprKind::Call {
                procedure, args, ..
            } => {
                self.visit(procedure);
                args.iter().for_each(|a| self.visit(a));
            }
            ExprKind::Lambda { params, body, .. } => {
                self.bound.extend(params.iter().cloned());
                self.visit(body);
            }
            ExprKind::Condition {
                condition,
                then,
                otherwise,
            } => {
                self.visit(condition);
                self.visit(then);
                if let Some(o) = otherwise {
                    self.visit(o);
                }
            }
            ExprKind::Transform {
                pattern,
                update,
                delete,
            } => {
                self.visit(pattern);
                self.visit(update);
                if let Some(d) = delete {
                    self.visit(d);
                }
            }
            ExprKind::Sort(terms) => terms.iter().for_each(|t| self.visit(&t.expr)),
            ExprKind::Name(_)
            | ExprKind::String(_)
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Regex { .. }
            | ExprKind::Wildcard
            | ExprKind::Descendant
            | ExprKind::Parent { .. }
            | ExprKind::Placeholder => {}
        }
    }

    /// A `$states` step already recorded: only its filters and bindings.
    fn visit_annotations_only(&mut self, expr: &Expr) {
        for stage in expr.predicate.iter().chain(&expr.stages) {
            if let Stage::Filter { expr, .. } = stage {
                self.visit(expr);
            }
        }
    }

    fn variable(&mut self, name: &str, span: Span) {
        match name {
            "" | "$" => {}
            "states" => self.reads.push(VariableRead::States { member: None, span }),
            _ => self.reads.push(VariableRead::Workflow {
                name: name.to_string(),
                span,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonata::parse;

    fn reads(text: &str) -> Vec<String> {
        variable_reads(&parse(text).unwrap())
            .into_iter()
            .map(|r| match r {
                VariableRead::Workflow { name, .. } => format!("${name}"),
                VariableRead::States { member, .. } => {
                    format!("$states.{}", member.unwrap_or_default())
                }
            })
            .collect()
    }

    #[test]
    fn finds_workflow_variables_and_states_members() {
        assert_eq!(reads("$x + $y.z[0]"), ["$x", "$y"]);
        assert_eq!(
            reads("$states.input.a & $states.result"),
            ["$states.input", "$states.result"]
        );
        assert_eq!(reads("$sum($items) ~> $string()"), ["$items"]);
        assert_eq!(
            reads("{'a': $count($list[$ > $limit])}"),
            ["$list", "$limit"]
        );
        // Built-in function names are never workflow variables.
        assert_eq!(reads("$min($list)"), ["$list"]);
        assert_eq!(reads("$ + $$.a"), Vec::<String>::new());
    }

    #[test]
    fn locally_bound_names_are_not_workflow_variables() {
        assert_eq!(reads("($t := 3; $t * $k)"), ["$k"]);
        assert_eq!(
            reads("$map($xs, function($v, $i) { $v + $i + $off })"),
            ["$xs", "$off"]
        );
        assert_eq!(reads("items@$it.($it.price)"), Vec::<String>::new());
        assert_eq!(reads("items#$pos[$pos < $n]"), ["$n"]);
    }
}
