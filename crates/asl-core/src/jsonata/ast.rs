//! The JSONata syntax tree, after jsonata-js's post-parse processing.
//!
//! The shape follows what the jsonata-js evaluator consumes, so an evaluator
//! can be ported node for node: location paths are flattened into
//! [`ExprKind::Path`] steps, `[…]` predicates become [`Stage`]s on the step
//! they filter, `{…}` after a step becomes a [`Group`], `@$v` / `#$i` set
//! [`Expr::focus`] / [`Expr::index`], `^(…)` becomes an [`ExprKind::Sort`] step
//! and `%` is resolved to an ancestor label.

use crate::span::Span;

/// One expression node with its source span and the annotations jsonata-js
/// attaches to nodes during post-parse processing.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Bytes of the expression text this node covers.
    pub span: Span,
    /// Filters applied to this node's *whole result* (jsonata-js
    /// `predicate`): `$x[0]`, `[1,2][0]`, the first step of a path.
    pub predicate: Vec<Stage>,
    /// Filters and index bindings applied *per input item* when this node is
    /// a step of a [`ExprKind::Path`] (jsonata-js `stages`).
    pub stages: Vec<Stage>,
    /// `expr{key: value, …}` grouping (jsonata-js `group`).
    pub group: Option<Box<Group>>,
    /// `step@$v`: the variable name (without `$`) bound to each item.
    pub focus: Option<String>,
    /// `step#$i`: the variable name (without `$`) bound to each item's
    /// position, when there are no stages before it (else it is a
    /// [`Stage::Index`]).
    pub index: Option<String>,
    /// The ancestor label this step binds for a `%` further right
    /// (jsonata-js `ancestor.label`).
    pub ancestor: Option<u32>,
    /// The node must be evaluated as a tuple stream (focus/index/ancestor
    /// bindings are in play).
    pub tuple: bool,
    /// `expr[]`: keep singleton arrays as arrays.
    pub keep_array: bool,
    /// An array constructor that must not be flattened (first or last step
    /// of a path, or a block containing one).
    pub cons_array: bool,
    /// Ancestor slots still looking for their step (parse-time only).
    pub(crate) seeking_parent: Vec<u32>,
}

impl Expr {
    /// A node with no annotations.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr {
            kind,
            span,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            ancestor: None,
            tuple: false,
            keep_array: false,
            cons_array: false,
            seeking_parent: Vec::new(),
        }
    }
}

/// The kinds of expression node.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A location path `a.b.c`: each step is evaluated against every result
    /// of the previous one. A lone field name is a one-step path.
    Path {
        /// At least one step.
        steps: Vec<Expr>,
        /// Some step carries `[]`: singleton results stay arrays.
        keep_singleton_array: bool,
    },
    /// A field name step (plain, `` `quoted` ``, or a string literal used as
    /// a step). Only appears as a [`ExprKind::Path`] step.
    Name(String),
    /// A string literal.
    String(String),
    /// A number literal (finite; a negated literal is folded in).
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A regular expression literal `/pattern/flags` (flags ⊆ `i`, `m`;
    /// the pattern is not compiled by the parser).
    Regex {
        /// Source text between the slashes.
        pattern: String,
        /// Zero or more of `i`, `m`.
        flags: String,
    },
    /// `$name`; the payload excludes the `$`. `$` (the context) is `""` and
    /// `$$` (the root) is `"$"`.
    Variable(String),
    /// `*`: all fields of the context object.
    Wildcard,
    /// `**`: all descendants.
    Descendant,
    /// `%`: the parent of the current context, bound by the step labelled
    /// `label` (see [`Expr::ancestor`]).
    Parent {
        /// The ancestor label.
        label: u32,
    },
    /// Unary minus on a non-literal.
    Negate(Box<Expr>),
    /// Array constructor `[a, b, 1..3]`.
    Array(Vec<Expr>),
    /// Object constructor `{k: v, …}`.
    Object(Vec<(Expr, Expr)>),
    /// A binary operator.
    Binary {
        /// Which operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `$name := value`.
    Bind {
        /// Variable name without `$`.
        name: String,
        /// The bound value.
        value: Box<Expr>,
    },
    /// `lhs ~> rhs` function chaining.
    Apply {
        /// The value piped in.
        lhs: Box<Expr>,
        /// The function (or call with the value prepended).
        rhs: Box<Expr>,
    },
    /// A function call `proc(args…)`; when `partial`, some arguments are
    /// [`ExprKind::Placeholder`] and the result is a partially applied function.
    Call {
        /// The invoked expression (usually a variable such as `$sum`).
        procedure: Box<Expr>,
        /// The arguments.
        args: Vec<Expr>,
        /// Contains at least one `?` placeholder.
        partial: bool,
    },
    /// `?` as an argument of a partial application.
    Placeholder,
    /// `function($a, $b)<sig>{ body }` (also `λ`).
    Lambda {
        /// Parameter names without `$`.
        params: Vec<String>,
        /// The optional signature.
        signature: Option<Box<Signature>>,
        /// The body.
        body: Box<Expr>,
    },
    /// `condition ? then : otherwise`.
    Condition {
        /// Tested for truthiness.
        condition: Box<Expr>,
        /// Result when truthy.
        then: Box<Expr>,
        /// Result when falsy (absent: undefined).
        otherwise: Option<Box<Expr>>,
    },
    /// `lhs ?: rhs`: `lhs` if truthy, else `rhs` (JSONata 2.x).
    Elvis {
        /// Tested and returned when truthy.
        lhs: Box<Expr>,
        /// The default.
        rhs: Box<Expr>,
    },
    /// `lhs ?? rhs`: `lhs` if it exists (is not undefined), else `rhs`.
    Coalesce {
        /// Returned when defined.
        lhs: Box<Expr>,
        /// The default.
        rhs: Box<Expr>,
    },
    /// `| pattern | update, delete |` object transform.
    Transform {
        /// Selects the objects to modify.
        pattern: Box<Expr>,
        /// An object merged into each match.
        update: Box<Expr>,
        /// Field names to remove.
        delete: Option<Box<Expr>>,
    },
    /// `(e1; e2; …)`: evaluated in order in a new scope; the value of the last.
    Block(Vec<Expr>),
    /// `^(…)` order-by; only appears as a [`ExprKind::Path`] step.
    Sort(Vec<SortTerm>),
}

/// Binary operators other than path, predicate, binding and chaining.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&` string concatenation
    Concat,
    /// `and`
    And,
    /// `or`
    Or,
    /// `in` array membership
    In,
    /// `..` range (only inside an array constructor)
    Range,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
            BinaryOp::Range => "..",
        }
    }
}

/// A per-step operation: a predicate filter or a position binding.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    /// `[expr]`: a numeric index/indices or a boolean filter.
    Filter {
        /// The predicate expression.
        expr: Expr,
        /// Span of the whole `step[expr]`.
        span: Span,
    },
    /// `#$name` after an earlier stage.
    Index {
        /// Variable name without `$`.
        name: String,
        /// Span of the `step#$name`.
        span: Span,
    },
}

/// `{key: value, …}` applied to a step's results (group-by).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Key and value expressions.
    pub pairs: Vec<(Expr, Expr)>,
    /// Span of the whole grouped expression.
    pub span: Span,
}

/// One order-by term.
#[derive(Clone, Debug, PartialEq)]
pub struct SortTerm {
    /// `>` prefix (the default and `<` are ascending).
    pub descending: bool,
    /// The sort key.
    pub expr: Expr,
}

/// A function signature such as `<n-n?:n>` or `<a<s>f:s>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    /// The signature text as jsonata-js reassembles it (tokens concatenated,
    /// whitespace dropped), including the angle brackets.
    pub text: String,
    /// The parameters, in order.
    pub params: Vec<SigParam>,
    /// Text after `:` (the return type, not used by JSONata), without the
    /// final `>`.
    pub returns: Option<String>,
    /// Span of the signature in the expression.
    pub span: Span,
}

/// One parameter of a [`Signature`].
#[derive(Clone, Debug, PartialEq)]
pub struct SigParam {
    /// `s n b l o a f j x`, or a choice `(sn)` with its parentheses.
    pub ty: String,
    /// Type parameter of `a<…>` / `f<…>`, without the angle brackets.
    pub subtype: Option<String>,
    /// `-`: use the context value when the argument is missing.
    pub use_context: bool,
    /// `?`: optional.
    pub optional: bool,
    /// `+`: one or more.
    pub variadic: bool,
}
