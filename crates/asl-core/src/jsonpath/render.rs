//! Two renderings of a path: the canonical, re-parseable form used by
//! `Display`, and Jayway's bracket form that AWS prints in error texts.

use std::fmt::{self, Write};

use super::filter::{Filter, FilterPath, Operand};
use super::{Root, Step};

/// Writes the canonical form: `.name` where that reads back unchanged,
/// `['…']` otherwise.
pub(super) fn write_path(f: &mut impl Write, root: &Root, steps: &[Step]) -> fmt::Result {
    write_root(f, root)?;
    steps.iter().try_for_each(|step| write_step(f, step))
}

fn write_root(f: &mut impl Write, root: &Root) -> fmt::Result {
    match root {
        Root::Input => f.write_char('$'),
        Root::Context => f.write_str("$$"),
        Root::Variable(name) => write!(f, "${name}"),
    }
}

fn write_step(f: &mut impl Write, step: &Step) -> fmt::Result {
    match step {
        Step::Name(name) if is_plain_name(name) => write!(f, ".{name}"),
        Step::Descendant(inner) => {
            f.write_str("..")?;
            match &**inner {
                Step::Name(name) if is_plain_name(name) => f.write_str(name),
                Step::Wildcard => f.write_char('*'),
                other => write_bracket(f, other),
            }
        }
        other => write_bracket(f, other),
    }
}

/// The bracket form of a non-descendant step.
fn write_bracket(f: &mut impl Write, step: &Step) -> fmt::Result {
    match step {
        Step::Name(name) => write!(f, "[{}]", Quoted(name)),
        Step::Names(names) => {
            f.write_char('[')?;
            write_joined(f, names.iter().map(|n| Quoted(n)))?;
            f.write_char(']')
        }
        Step::Index(index) => write!(f, "[{index}]"),
        Step::Indexes(indexes) => write_index_union(f, indexes),
        Step::Wildcard => f.write_str("[*]"),
        Step::Slice { start, end, step } => write_slice(f, *start, *end, *step),
        Step::Filter(filter) => {
            f.write_str("[?(")?;
            write_filter(f, filter, 0)?;
            f.write_str(")]")
        }
        Step::Descendant(inner) => {
            f.write_str("..")?;
            write_bracket(f, inner)
        }
    }
}

fn write_joined<T: fmt::Display>(
    f: &mut impl Write,
    items: impl Iterator<Item = T>,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

fn write_index_union(f: &mut impl Write, indexes: &[i64]) -> fmt::Result {
    f.write_char('[')?;
    write_joined(f, indexes.iter())?;
    f.write_char(']')
}

fn write_slice(
    f: &mut impl Write,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
) -> fmt::Result {
    f.write_char('[')?;
    if let Some(start) = start {
        write!(f, "{start}")?;
    }
    f.write_char(':')?;
    if let Some(end) = end {
        write!(f, "{end}")?;
    }
    if let Some(step) = step {
        write!(f, ":{step}")?;
    }
    f.write_char(']')
}

/// Binding strength: `||` 1, `&&` 2, everything else 3. A sub-expression
/// weaker than its context is parenthesised.
fn write_filter(f: &mut impl Write, filter: &Filter, context: u8) -> fmt::Result {
    let (strength, open) = match filter {
        Filter::Or(..) => (1, context > 1),
        Filter::And(..) => (2, context > 2),
        _ => (3, false),
    };
    if open {
        f.write_char('(')?;
    }
    match filter {
        Filter::Or(a, b) | Filter::And(a, b) => {
            let op = if strength == 1 { "||" } else { "&&" };
            write_filter(f, a, strength)?;
            write!(f, " {op} ")?;
            write_filter(f, b, strength + 1)?;
        }
        Filter::Not(inner) => {
            f.write_char('!')?;
            match &**inner {
                Filter::Exists(_) | Filter::Not(_) => write_filter(f, inner, 3)?,
                _ => {
                    f.write_char('(')?;
                    write_filter(f, inner, 0)?;
                    f.write_char(')')?;
                }
            }
        }
        Filter::Exists(path) => write_filter_path(f, path)?,
        Filter::Compare { left, op, right } => {
            write_operand(f, left)?;
            write!(f, " {} ", op.as_str())?;
            write_operand(f, right)?;
        }
    }
    if open {
        f.write_char(')')?;
    }
    Ok(())
}

fn write_operand(f: &mut impl Write, operand: &Operand) -> fmt::Result {
    match operand {
        Operand::Path(path) => write_filter_path(f, path),
        Operand::Literal(serde_json::Value::String(text)) => write!(f, "{}", Quoted(text)),
        Operand::Literal(value) => write!(f, "{value}"),
    }
}

fn write_filter_path(f: &mut impl Write, path: &FilterPath) -> fmt::Result {
    f.write_char(if path.relative { '@' } else { '$' })?;
    for step in &path.steps {
        match step {
            Step::Name(name) if is_plain_name(name) => write!(f, ".{name}")?,
            other => write_bracket(f, other)?,
        }
    }
    Ok(())
}

/// Whether `.name` parses back to this name, in paths and inside filters.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '.' | '['
                        | ']'
                        | '('
                        | ')'
                        | '\''
                        | '"'
                        | '\\'
                        | '*'
                        | '='
                        | '!'
                        | '<'
                        | '>'
                        | '&'
                        | '|'
                        | ','
                        | '@'
                        | '$'
                )
        })
}

/// A single-quoted string with `'` and `\` escaped.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('\'')?;
        for c in self.0.chars() {
            if matches!(c, '\'' | '\\') {
                f.write_char('\\')?;
            }
            f.write_char(c)?;
        }
        f.write_char('\'')
    }
}

/// Jayway's rendering (`PathToken` strings): `$['a']['b'][0]`, `[*]`,
/// `..['x']`, `[1:3]`, `[?]`. Names are wrapped in quotes without escaping,
/// as Jayway does.
pub(super) fn bracket_path(root: &Root, steps: &[Step]) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_root(&mut out, root);
    for step in steps {
        push_bracket_step(&mut out, step);
    }
    out
}

/// Appends one step in Jayway's bracket form.
pub(super) fn push_bracket_step(out: &mut String, step: &Step) {
    match step {
        Step::Name(name) => {
            let _ = write!(out, "['{name}']");
        }
        Step::Names(names) => {
            out.push('[');
            let _ = write_joined(out, names.iter().map(|n| format!("'{n}'")));
            out.push(']');
        }
        Step::Index(index) => {
            let _ = write!(out, "[{index}]");
        }
        Step::Indexes(indexes) => {
            let _ = write_index_union(out, indexes);
        }
        Step::Wildcard => out.push_str("[*]"),
        Step::Slice { start, end, step } => {
            let _ = write_slice(out, *start, *end, *step);
        }
        Step::Filter(_) => out.push_str("[?]"),
        Step::Descendant(inner) => {
            out.push_str("..");
            push_bracket_step(out, inner);
        }
    }
}
