//! Post-parse processing (jsonata-js `processAST`): flattens location paths
//! into steps, attaches predicates, groups, focus/index bindings and sort
//! steps, resolves `%` parent references, and reports the errors jsonata-js
//! raises at this stage (S0207, S0209, S0210, S0213, S0215, S0216, S0217).

// The `p_*` helpers take the raw children still boxed, as they come out of
// the node: unboxing first would only copy them onto the caller's frame.
#![allow(clippy::boxed_local)]

use super::ast::{BinaryOp, Expr, ExprKind, Group, Signature, SortTerm, Stage};
use super::parser::{Node, NodeKind};
use super::ParseError;
use crate::span::Span;

/// An ancestor slot: a `%` looking `level` steps up for the step to bind it.
struct Slot {
    label: u32,
    level: i64,
}

#[derive(Default)]
pub(crate) struct Processor {
    slots: Vec<Slot>,
}

/// Converts a whole raw tree and checks that no `%` is left unresolved.
pub(crate) fn process_root(node: Node) -> Result<Expr, ParseError> {
    let mut p = Processor::default();
    let mut expr = p.process(node)?;
    if matches!(expr.kind, ExprKind::Parent { .. }) || !expr.seeking_parent.is_empty() {
        return Err(s0217(&expr));
    }
    if !p.slots.is_empty() {
        p.relabel(&mut expr);
    }
    Ok(expr)
}

fn s0217(expr: &Expr) -> ParseError {
    ParseError::new(
        "S0217",
        format!(
            "The object representing the 'parent' cannot be derived from this expression ({})",
            kind_name(&expr.kind)
        ),
        expr.span,
    )
}

fn kind_name(kind: &ExprKind) -> &'static str {
    match kind {
        ExprKind::Path { .. } => "path",
        ExprKind::Name(_) => "name",
        ExprKind::String(_) => "string",
        ExprKind::Number(_) => "number",
        ExprKind::Bool(_) | ExprKind::Null => "value",
        ExprKind::Regex { .. } => "regex",
        ExprKind::Variable(_) => "variable",
        ExprKind::Wildcard => "wildcard",
        ExprKind::Descendant => "descendant",
        ExprKind::Parent { .. } => "parent",
        ExprKind::Negate(_) | ExprKind::Array(_) | ExprKind::Object(_) => "unary",
        ExprKind::Binary { .. } => "binary",
        ExprKind::Bind { .. } => "bind",
        ExprKind::Apply { .. } => "apply",
        ExprKind::Call { partial: false, .. } => "function",
        ExprKind::Call { partial: true, .. } => "partial",
        ExprKind::Placeholder => "operator",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Condition { .. } | ExprKind::Elvis { .. } | ExprKind::Coalesce { .. } => {
            "condition"
        }
        ExprKind::Transform { .. } => "transform",
        ExprKind::Block(_) => "block",
        ExprKind::Sort(_) => "sort",
    }
}

fn is_path(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Path { .. })
}

fn steps_mut(e: &mut Expr) -> Option<&mut Vec<Expr>> {
    match &mut e.kind {
        ExprKind::Path { steps, .. } => Some(steps),
        _ => None,
    }
}

/// Runs `f` on the last step of a path, or on the expression itself.
fn with_last_step<R>(e: &mut Expr, f: impl FnOnce(&mut Expr) -> R) -> R {
    if let ExprKind::Path { steps, .. } = &mut e.kind {
        if let Some(last) = steps.last_mut() {
            return f(last);
        }
    }
    f(e)
}

fn wrap_path(e: Expr) -> Expr {
    let span = e.span;
    Expr::new(
        ExprKind::Path {
            steps: vec![e],
            keep_singleton_array: false,
        },
        span,
    )
}

/// jsonata-js `pushAncestry`: propagate unresolved `%` slots upward.
fn push_ancestry(result: &mut Expr, value: &Expr) {
    result
        .seeking_parent
        .extend_from_slice(&value.seeking_parent);
    if let ExprKind::Parent { label } = value.kind {
        result.seeking_parent.push(label);
    }
}

impl Processor {
    fn new_slot(&mut self) -> u32 {
        let id = self.slots.len() as u32;
        self.slots.push(Slot {
            label: id,
            level: 1,
        });
        id
    }

    /// jsonata-js `seekParent`: walk back from `node` to find the step a `%`
    /// refers to. Slot ids stand in for the shared slot objects.
    fn seek_parent(&mut self, node: &mut Expr, slot: u32) -> Result<(), ParseError> {
        let s = slot as usize;
        match &mut node.kind {
            ExprKind::Name(_) | ExprKind::Wildcard => {
                self.slots[s].level -= 1;
                if self.slots[s].level == 0 {
                    if let Some(prev) = node.ancestor {
                        self.slots[s].label = self.slots[prev as usize].label;
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            ExprKind::Parent { .. } => self.slots[s].level += 1,
            ExprKind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    node.tuple = true;
                    self.seek_parent(last, slot)?;
                }
            }
            ExprKind::Path { steps, .. } => {
                node.tuple = true;
                let mut index = steps.len() as isize - 1;
                if index >= 0 {
                    self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
                while self.slots[s].level > 0 && index >= 0 {
                    self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
            }
            _ => return Err(s0217(node)),
        }
        Ok(())
    }

    /// jsonata-js `resolveAncestry` for a path whose last step may seek parents.
    fn resolve_ancestry(&mut self, path: &mut Expr) -> Result<(), ParseError> {
        let mut unresolved = Vec::new();
        {
            let Some(steps) = steps_mut(path) else {
                return Ok(());
            };
            let Some(last) = steps.last() else {
                return Ok(());
            };
            let mut slots = last.seeking_parent.clone();
            if let ExprKind::Parent { label } = last.kind {
                slots.push(label);
            }
            for slot in slots {
                let mut index = steps.len() as isize - 2;
                while self.slots[slot as usize].level > 0 {
                    if index < 0 {
                        unresolved.push(slot);
                        break;
                    }
                    let mut step = index as usize;
                    index -= 1;
                    // Contiguous focus-binding steps count as one.
                    while index >= 0
                        && steps[step].focus.is_some()
                        && steps[index as usize].focus.is_some()
                    {
                        step = index as usize;
                        index -= 1;
                    }
                    self.seek_parent(&mut steps[step], slot)?;
                }
            }
        }
        path.seeking_parent.extend(unresolved);
        Ok(())
    }

    /// Converts one raw node. Kept to a thin dispatcher: processing recurses
    /// through it, and in debug builds a frame holds every arm's temporaries.
    pub(crate) fn process(&mut self, node: Node) -> Result<Expr, ParseError> {
        let span = node.span;
        let keep_array = node.keep_array;
        let mut result = match node.kind {
            NodeKind::Dot(lhs, rhs) => self.path(*lhs, *rhs, span),
            NodeKind::Filter(lhs, rhs) => self.p_filter(lhs, rhs, span),
            NodeKind::Group(lhs, pairs) => self.p_group(lhs, pairs, span),
            NodeKind::Sort(lhs, terms) => self.p_sort(lhs, terms, span),
            NodeKind::Bind(name, rhs) => self.p_bind(name, rhs, span),
            NodeKind::Focus(lhs, name) => self.p_focus(lhs, name, span, keep_array),
            NodeKind::Index(lhs, name) => self.p_index(lhs, name, span),
            NodeKind::Apply(lhs, rhs) => self.p_apply(lhs, rhs, span),
            NodeKind::Binary(op, lhs, rhs) => self.p_binary(op, lhs, rhs, span),
            NodeKind::Array(items) => self.p_array(items, span),
            NodeKind::Object(pairs) => self.p_object(pairs, span),
            NodeKind::Negate(inner) => self.p_negate(inner, span),
            NodeKind::Call {
                procedure,
                args,
                partial,
            } => self.p_call(procedure, args, partial, span),
            NodeKind::Lambda {
                params,
                signature,
                body,
            } => self.p_lambda(params, signature, body, span),
            NodeKind::Condition(c, t, e) => self.p_condition(c, t, e, span),
            NodeKind::Elvis(l, r) => self.p_elvis(l, r, span),
            NodeKind::Coalesce(l, r) => self.p_coalesce(l, r, span),
            NodeKind::Transform(pattern, update, delete) => {
                self.p_transform(pattern, update, delete, span)
            }
            NodeKind::Block(exprs) => self.p_block(exprs, span),
            NodeKind::Name(n) => self.p_name(n, span, keep_array),
            leaf => self.p_leaf(leaf, span),
        }?;
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    #[inline(never)]
    fn p_filter(&mut self, lhs: Box<Node>, rhs: Box<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let mut result = self.process(*lhs)?;
            let on_path = is_path(&result);
            let predicate = self.process(*rhs)?;
            with_last_step(&mut result, |step| {
                self.attach_filter(step, predicate, on_path, span)
            })?;
            result.span = span;
            result
        })
    }

    #[inline(never)]
    fn p_group(
        &mut self,
        lhs: Box<Node>,
        pairs: Vec<(Node, Node)>,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let mut result = self.process(*lhs)?;
            if result.group.is_some() {
                return Err(ParseError::new(
                    "S0210",
                    "Each step can only have one grouping expression".into(),
                    span,
                ));
            }
            let pairs = self.pairs(pairs, None)?;
            result.group = Some(Box::new(Group { pairs, span }));
            result.span = span;
            result
        })
    }

    #[inline(never)]
    fn p_sort(
        &mut self,
        lhs: Box<Node>,
        terms: Vec<(bool, Node)>,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let mut result = self.process(*lhs)?;
            if !is_path(&result) {
                result = wrap_path(result);
            }
            let mut sort = Expr::new(ExprKind::Sort(Vec::new()), span);
            let mut out = Vec::with_capacity(terms.len());
            for (descending, e) in terms {
                let expr = self.process(e)?;
                push_ancestry(&mut sort, &expr);
                out.push(SortTerm { descending, expr });
            }
            sort.kind = ExprKind::Sort(out);
            if let Some(steps) = steps_mut(&mut result) {
                steps.push(sort);
            }
            result.span = span;
            self.resolve_ancestry(&mut result)?;
            result
        })
    }

    #[inline(never)]
    fn p_bind(&mut self, name: String, rhs: Box<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let value = self.process(*rhs)?;
            let mut result = Expr::new(ExprKind::Null, span);
            push_ancestry(&mut result, &value);
            result.kind = ExprKind::Bind {
                name,
                value: Box::new(value),
            };
            result
        })
    }

    #[inline(never)]
    fn p_focus(
        &mut self,
        lhs: Box<Node>,
        name: String,
        span: Span,
        keep_array: bool,
    ) -> Result<Expr, ParseError> {
        Ok({
            let mut result = self.process(*lhs)?;
            with_last_step(&mut result, |step| {
                if !step.stages.is_empty() || !step.predicate.is_empty() {
                    return Err(ParseError::new(
                        "S0215",
                        "A context variable binding must precede any predicates on a step".into(),
                        span,
                    ));
                }
                if matches!(step.kind, ExprKind::Sort(_)) {
                    return Err(ParseError::new(
                        "S0216",
                        "A context variable binding must precede the 'order-by' clause on a step"
                            .into(),
                        span,
                    ));
                }
                if keep_array {
                    step.keep_array = true;
                }
                step.focus = Some(name);
                step.tuple = true;
                Ok(())
            })?;
            result.span = span;
            result
        })
    }

    #[inline(never)]
    fn p_index(&mut self, lhs: Box<Node>, name: String, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let mut result = self.process(*lhs)?;
            if !is_path(&result) {
                let predicate = std::mem::take(&mut result.predicate);
                result = wrap_path(result);
                if let Some(step) = steps_mut(&mut result).and_then(|s| s.last_mut()) {
                    if !predicate.is_empty() {
                        step.stages = predicate;
                    }
                }
            }
            with_last_step(&mut result, |step| {
                if step.stages.is_empty() {
                    step.index = Some(name);
                } else {
                    step.stages.push(Stage::Index { name, span });
                }
                step.tuple = true;
            });
            result.span = span;
            result
        })
    }

    #[inline(never)]
    fn p_apply(&mut self, lhs: Box<Node>, rhs: Box<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let lhs = self.process(*lhs)?;
            let rhs = self.process(*rhs)?;
            let keep = lhs.keep_array || rhs.keep_array;
            let mut result = Expr::new(
                ExprKind::Apply {
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            );
            result.keep_array = keep;
            result
        })
    }

    #[inline(never)]
    fn p_binary(
        &mut self,
        op: BinaryOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let (mut result, lhs, rhs) = self.pair_with_ancestry(*lhs, *rhs, span)?;
            result.kind = ExprKind::Binary { op, lhs, rhs };
            result
        })
    }

    #[inline(never)]
    fn p_array(&mut self, items: Vec<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let mut result = Expr::new(ExprKind::Null, span);
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let v = self.process(item)?;
                push_ancestry(&mut result, &v);
                out.push(v);
            }
            result.kind = ExprKind::Array(out);
            result
        })
    }

    #[inline(never)]
    fn p_object(&mut self, pairs: Vec<(Node, Node)>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let mut result = Expr::new(ExprKind::Null, span);
            let pairs = self.pairs(pairs, Some(&mut result))?;
            result.kind = ExprKind::Object(pairs);
            result
        })
    }

    #[inline(never)]
    fn p_negate(&mut self, inner: Box<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let inner = self.process(*inner)?;
            if let ExprKind::Number(n) = inner.kind {
                let mut folded = inner;
                folded.kind = ExprKind::Number(-n);
                folded.span = span;
                folded
            } else {
                let mut result = Expr::new(ExprKind::Null, span);
                push_ancestry(&mut result, &inner);
                result.kind = ExprKind::Negate(Box::new(inner));
                result
            }
        })
    }

    #[inline(never)]
    fn p_call(
        &mut self,
        procedure: Box<Node>,
        args: Vec<Node>,
        partial: bool,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let mut result = Expr::new(ExprKind::Null, span);
            let mut out = Vec::with_capacity(args.len());
            for a in args {
                let v = self.process(a)?;
                push_ancestry(&mut result, &v);
                out.push(v);
            }
            let procedure = self.process(*procedure)?;
            result.kind = ExprKind::Call {
                procedure: Box::new(procedure),
                args: out,
                partial,
            };
            result
        })
    }

    #[inline(never)]
    fn p_lambda(
        &mut self,
        params: Vec<String>,
        signature: Option<Box<Signature>>,
        body: Box<Node>,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let body = self.process(*body)?;
            Expr::new(
                ExprKind::Lambda {
                    params,
                    signature,
                    body: Box::new(body),
                },
                span,
            )
        })
    }

    #[inline(never)]
    fn p_condition(
        &mut self,
        c: Box<Node>,
        t: Box<Node>,
        e: Option<Box<Node>>,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let mut result = Expr::new(ExprKind::Null, span);
            let c = self.process(*c)?;
            push_ancestry(&mut result, &c);
            let t = self.process(*t)?;
            push_ancestry(&mut result, &t);
            let e = match e {
                Some(e) => {
                    let e = self.process(*e)?;
                    push_ancestry(&mut result, &e);
                    Some(Box::new(e))
                }
                None => None,
            };
            result.kind = ExprKind::Condition {
                condition: Box::new(c),
                then: Box::new(t),
                otherwise: e,
            };
            result
        })
    }

    #[inline(never)]
    fn p_elvis(&mut self, l: Box<Node>, r: Box<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let (mut result, lhs, rhs) = self.pair_with_ancestry(*l, *r, span)?;
            result.kind = ExprKind::Elvis { lhs, rhs };
            result
        })
    }

    #[inline(never)]
    fn p_coalesce(&mut self, l: Box<Node>, r: Box<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let (mut result, lhs, rhs) = self.pair_with_ancestry(*l, *r, span)?;
            result.kind = ExprKind::Coalesce { lhs, rhs };
            result
        })
    }

    #[inline(never)]
    fn p_transform(
        &mut self,
        pattern: Box<Node>,
        update: Box<Node>,
        delete: Option<Box<Node>>,
        span: Span,
    ) -> Result<Expr, ParseError> {
        Ok({
            let pattern = Box::new(self.process(*pattern)?);
            let update = Box::new(self.process(*update)?);
            let delete = match delete {
                Some(d) => Some(Box::new(self.process(*d)?)),
                None => None,
            };
            Expr::new(
                ExprKind::Transform {
                    pattern,
                    update,
                    delete,
                },
                span,
            )
        })
    }

    #[inline(never)]
    fn p_block(&mut self, exprs: Vec<Node>, span: Span) -> Result<Expr, ParseError> {
        Ok({
            let mut result = Expr::new(ExprKind::Null, span);
            let mut out = Vec::with_capacity(exprs.len());
            for e in exprs {
                let part = self.process(e)?;
                push_ancestry(&mut result, &part);
                let first_cons = match &part.kind {
                    ExprKind::Path { steps, .. } => steps.first().is_some_and(|s| s.cons_array),
                    _ => false,
                };
                if part.cons_array || first_cons {
                    result.cons_array = true;
                }
                out.push(part);
            }
            result.kind = ExprKind::Block(out);
            result
        })
    }

    #[inline(never)]
    fn p_name(&mut self, n: String, span: Span, keep_array: bool) -> Result<Expr, ParseError> {
        Ok({
            let mut step = Expr::new(ExprKind::Name(n), span);
            step.keep_array = keep_array;
            let mut path = wrap_path(step);
            if keep_array {
                if let ExprKind::Path {
                    keep_singleton_array,
                    ..
                } = &mut path.kind
                {
                    *keep_singleton_array = true;
                }
            }
            path
        })
    }

    #[inline(never)]
    fn p_leaf(&mut self, kind: NodeKind, span: Span) -> Result<Expr, ParseError> {
        let kind = match kind {
            NodeKind::Parent => ExprKind::Parent {
                label: self.new_slot(),
            },
            NodeKind::Variable(v) => ExprKind::Variable(v),
            NodeKind::Str(s) => ExprKind::String(s),
            NodeKind::Num(n) => ExprKind::Number(n),
            NodeKind::Bool(b) => ExprKind::Bool(b),
            NodeKind::Null => ExprKind::Null,
            NodeKind::Regex { pattern, flags } => ExprKind::Regex { pattern, flags },
            NodeKind::Wildcard => ExprKind::Wildcard,
            NodeKind::Descendant => ExprKind::Descendant,
            NodeKind::Placeholder => ExprKind::Placeholder,
            // `End` (and, unreachably, any composite node).
            _ => {
                return Err(ParseError::new(
                    "S0207",
                    "Unexpected end of expression".into(),
                    span,
                ))
            }
        };
        Ok(Expr::new(kind, span))
    }

    /// Attaches a processed predicate to `step` (jsonata-js `[` processing).
    fn attach_filter(
        &mut self,
        step: &mut Expr,
        predicate: Expr,
        on_path: bool,
        span: Span,
    ) -> Result<(), ParseError> {
        if step.group.is_some() {
            return Err(ParseError::new(
                "S0209",
                "A predicate cannot follow a grouping expression in a step".into(),
                span,
            ));
        }
        if !predicate.seeking_parent.is_empty() {
            for &slot in &predicate.seeking_parent {
                if self.slots[slot as usize].level == 1 {
                    self.seek_parent(step, slot)?;
                } else {
                    self.slots[slot as usize].level -= 1;
                }
            }
            push_ancestry(step, &predicate);
        }
        let stage = Stage::Filter {
            expr: predicate,
            span,
        };
        if on_path {
            step.stages.push(stage);
        } else {
            step.predicate.push(stage);
        }
        Ok(())
    }

    /// Processes two operands, collecting their unresolved ancestry into a
    /// placeholder result node whose kind the caller sets.
    #[allow(clippy::type_complexity)]
    fn pair_with_ancestry(
        &mut self,
        lhs: Node,
        rhs: Node,
        span: Span,
    ) -> Result<(Expr, Box<Expr>, Box<Expr>), ParseError> {
        let mut result = Expr::new(ExprKind::Null, span);
        let lhs = self.process(lhs)?;
        push_ancestry(&mut result, &lhs);
        let rhs = self.process(rhs)?;
        push_ancestry(&mut result, &rhs);
        Ok((result, Box::new(lhs), Box::new(rhs)))
    }

    fn pairs(
        &mut self,
        pairs: Vec<(Node, Node)>,
        mut ancestry: Option<&mut Expr>,
    ) -> Result<Vec<(Expr, Expr)>, ParseError> {
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let k = self.process(k)?;
            if let Some(r) = ancestry.as_deref_mut() {
                push_ancestry(r, &k);
            }
            let v = self.process(v)?;
            if let Some(r) = ancestry.as_deref_mut() {
                push_ancestry(r, &v);
            }
            out.push((k, v));
        }
        Ok(out)
    }

    /// `lhs.rhs`: build or extend a path.
    fn path(&mut self, lhs: Node, rhs: Node, span: Span) -> Result<Expr, ParseError> {
        let lstep = self.process(lhs)?;
        let lparent = match lstep.kind {
            ExprKind::Parent { label } => Some(label),
            _ => None,
        };
        let mut result = if is_path(&lstep) {
            lstep
        } else {
            wrap_path(lstep)
        };
        if let Some(label) = lparent {
            result.seeking_parent = vec![label];
        }
        result.span = span;
        let mut rest = self.process(rhs)?;
        let Some(steps) = steps_mut(&mut result) else {
            return Ok(result);
        };
        if let ExprKind::Path { steps: more, .. } = &mut rest.kind {
            steps.append(more);
        } else {
            if !rest.predicate.is_empty() {
                rest.stages = std::mem::take(&mut rest.predicate);
            }
            steps.push(rest);
        }
        let mut keep = false;
        for step in steps.iter_mut() {
            match &mut step.kind {
                ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Null => {
                    let value = match &step.kind {
                        ExprKind::Number(n) => super::format_number(*n),
                        ExprKind::Bool(b) => b.to_string(),
                        _ => "null".to_string(),
                    };
                    return Err(ParseError::new(
                        "S0213",
                        format!(
                            "The literal value {value} cannot be used as a step within a path expression"
                        ),
                        step.span,
                    ));
                }
                ExprKind::String(s) => {
                    let s = std::mem::take(s);
                    step.kind = ExprKind::Name(s);
                }
                _ => {}
            }
            keep |= step.keep_array;
        }
        if let Some(first) = steps.first_mut() {
            if matches!(first.kind, ExprKind::Array(_)) {
                first.cons_array = true;
            }
        }
        if let Some(last) = steps.last_mut() {
            if matches!(last.kind, ExprKind::Array(_)) {
                last.cons_array = true;
            }
        }
        if keep {
            if let ExprKind::Path {
                keep_singleton_array,
                ..
            } = &mut result.kind
            {
                *keep_singleton_array = true;
            }
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// Replaces slot ids with their final labels.
    fn relabel(&self, e: &mut Expr) {
        if let Some(a) = e.ancestor {
            e.ancestor = Some(self.slots[a as usize].label);
        }
        e.seeking_parent.clear();
        for stage in e.predicate.iter_mut().chain(e.stages.iter_mut()) {
            if let Stage::Filter { expr, .. } = stage {
                self.relabel(expr);
            }
        }
        if let Some(g) = &mut e.group {
            for (k, v) in &mut g.pairs {
                self.relabel(k);
                self.relabel(v);
            }
        }
        match &mut e.kind {
            ExprKind::Parent { label } => *label = self.slots[*label as usize].label,
            ExprKind::Path { steps: v, .. } | ExprKind::Array(v) | ExprKind::Block(v) => {
                v.iter_mut().for_each(|x| self.relabel(x))
            }
            ExprKind::Object(pairs) => {
                for (k, v) in pairs {
                    self.relabel(k);
                    self.relabel(v);
                }
            }
            ExprKind::Negate(x)
            | ExprKind::Bind { value: x, .. }
            | ExprKind::Lambda { body: x, .. } => self.relabel(x),
            ExprKind::Binary { lhs, rhs, .. }
            | ExprKind::Apply { lhs, rhs }
            | ExprKind::Elvis { lhs, rhs }
            | ExprKind::Coalesce { lhs, rhs } => {
                self.relabel(lhs);
                self.relabel(rhs);
            }
            ExprKind::Call {
                procedure, args, ..
            } => {
                self.relabel(procedure);
                args.iter_mut().for_each(|x| self.relabel(x));
            }
            ExprKind::Condition {
                condition,
                then,
                otherwise,
            } => {
                self.relabel(condition);
                self.relabel(then);
                if let Some(o) = otherwise {
                    self.relabel(o);
                }
            }
            ExprKind::Transform {
                pattern,
                update,
                delete,
            } => {
                self.relabel(pattern);
                self.relabel(update);
                if let Some(d) = delete {
                    self.relabel(d);
                }
            }
            ExprKind::Sort(terms) => terms.iter_mut().for_each(|t| self.relabel(&mut t.expr)),
            _ => {}
        }
    }
}
