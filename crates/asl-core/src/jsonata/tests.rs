use super::*;
use std::path::{Path, PathBuf};

fn p(src: &str) -> Expr {
    parse(src).unwrap_or_else(|e| panic!("{src:?} failed: {e} at {:?}", e.span))
}

fn e(src: &str) -> ParseError {
    match parse(src) {
        Ok(x) => panic!("{src:?} parsed: {}", sx(&x)),
        Err(e) => e,
    }
}

/// `(code, message)` of the error for `src`.
fn em(src: &str) -> (&'static str, String) {
    let err = e(src);
    (err.code, err.message)
}

/// A compact S-expression rendering of the tree, for structural assertions.
fn sx(e: &Expr) -> String {
    let list = |v: &[Expr]| v.iter().map(sx).collect::<Vec<_>>().join(" ");
    let pairs = |v: &[(Expr, Expr)]| {
        v.iter()
            .map(|(k, v)| format!("{}:{}", sx(k), sx(v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut s = match &e.kind {
        ExprKind::Path {
            steps,
            keep_singleton_array,
        } => {
            format!(
                "(path{} {})",
                if *keep_singleton_array { "[]" } else { "" },
                list(steps)
            )
        }
        ExprKind::Name(n) => n.clone(),
        ExprKind::String(s) => format!("{s:?}"),
        ExprKind::Number(n) => format!("{n}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".into(),
        ExprKind::Regex { pattern, flags } => format!("/{pattern}/{flags}"),
        ExprKind::Variable(v) => format!("${v}"),
        ExprKind::Wildcard => "*".into(),
        ExprKind::Descendant => "**".into(),
        ExprKind::Parent { label } => format!("%{label}"),
        ExprKind::Negate(x) => format!("(neg {})", sx(x)),
        ExprKind::Array(v) => format!("[{}]", list(v)),
        ExprKind::Object(v) => format!("{{{}}}", pairs(v)),
        ExprKind::Binary { op, lhs, rhs } => format!("({} {} {})", op.as_str(), sx(lhs), sx(rhs)),
        ExprKind::Bind { name, value } => format!("(:= ${name} {})", sx(value)),
        ExprKind::Apply { lhs, rhs } => format!("(~> {} {})", sx(lhs), sx(rhs)),
        ExprKind::Call {
            procedure,
            args,
            partial,
        } => format!(
            "({} {} {})",
            if *partial { "partial" } else { "call" },
            sx(procedure),
            list(args)
        ),
        ExprKind::Placeholder => "?".into(),
        ExprKind::Lambda {
            params,
            signature,
            body,
        } => format!(
            "(λ ({}){} {})",
            params
                .iter()
                .map(|p| format!("${p}"))
                .collect::<Vec<_>>()
                .join(" "),
            signature
                .as_ref()
                .map(|s| format!(" {}", s.text))
                .unwrap_or_default(),
            sx(body)
        ),
        ExprKind::Condition {
            condition,
            then,
            otherwise,
        } => format!(
            "(? {} {}{})",
            sx(condition),
            sx(then),
            otherwise
                .as_ref()
                .map(|o| format!(" {}", sx(o)))
                .unwrap_or_default()
        ),
        ExprKind::Elvis { lhs, rhs } => format!("(?: {} {})", sx(lhs), sx(rhs)),
        ExprKind::Coalesce { lhs, rhs } => format!("(?? {} {})", sx(lhs), sx(rhs)),
        ExprKind::Transform {
            pattern,
            update,
            delete,
        } => format!(
            "(| {} {}{})",
            sx(pattern),
            sx(update),
            delete
                .as_ref()
                .map(|d| format!(" {}", sx(d)))
                .unwrap_or_default()
        ),
        ExprKind::Block(v) => format!("(block {})", list(v)),
        ExprKind::Sort(terms) => format!(
            "(sort {})",
            terms
                .iter()
                .map(|t| format!("{}{}", if t.descending { ">" } else { "<" }, sx(&t.expr)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    let stage = |st: &Stage| match st {
        Stage::Filter { expr, .. } => format!("[{}]", sx(expr)),
        Stage::Index { name, .. } => format!("#${name}"),
    };
    for st in &e.predicate {
        s.push_str(&format!("p{}", stage(st)));
    }
    for st in &e.stages {
        s.push_str(&format!("s{}", stage(st)));
    }
    if let Some(g) = &e.group {
        s.push_str(&format!("{{{}}}", pairs(&g.pairs)));
    }
    if let Some(f) = &e.focus {
        s.push_str(&format!("@${f}"));
    }
    if let Some(i) = &e.index {
        s.push_str(&format!("#${i}"));
    }
    if let Some(a) = e.ancestor {
        s.push_str(&format!("!{a}"));
    }
    if e.keep_array {
        s.push_str("[]");
    }
    s
}

fn t(src: &str) -> String {
    sx(&p(src))
}

/// Runs the jsonata-js test suite's expressions through the parser when
/// `JSONATA_TEST_SUITE` points at its `test/test-suite` directory: cases that
/// expect a syntax error (`S0…` code) must fail with that code, all others
/// must parse. Not part of the normal run (the suite is not vendored).
#[test]
#[ignore]
fn jsonata_js_suite() {
    let Ok(root) = std::env::var("JSONATA_TEST_SUITE") else {
        eprintln!("JSONATA_TEST_SUITE not set; skipping");
        return;
    };
    let root = std::path::PathBuf::from(root);
    let mut failures = Vec::new();
    let mut total = 0;
    let mut groups: Vec<_> = std::fs::read_dir(root.join("groups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    groups.sort();
    for g in groups {
        let mut cases: Vec<_> = std::fs::read_dir(&g)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        for c in cases {
            // A few cases hold lone surrogates serde_json rejects.
            let Ok(v) =
                serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&c).unwrap())
            else {
                continue;
            };
            let list = match v {
                serde_json::Value::Array(a) => a,
                other => vec![other],
            };
            for case in list {
                let expr = if let Some(e) = case.get("expr").and_then(|e| e.as_str()) {
                    e.to_string()
                } else if let Some(f) = case.get("expr-file").and_then(|e| e.as_str()) {
                    std::fs::read_to_string(g.join(f)).unwrap()
                } else {
                    continue;
                };
                total += 1;
                let code = case
                    .get("code")
                    .and_then(|c| c.as_str())
                    .or_else(|| case.pointer("/error/code").and_then(|c| c.as_str()));
                let expect_syntax = code.filter(|c| c.starts_with('S'));
                let got = parse(&expr);
                match (expect_syntax, &got) {
                    (None, Ok(_)) => {}
                    (Some(want), Err(e)) if e.code == want => {}
                    _ => failures.push(format!(
                        "{}: {expr:?}: expected {expect_syntax:?}, got {:?}",
                        c.display(),
                        got.as_ref().map(|_| "ok").map_err(|e| e.to_string())
                    )),
                }
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("{} of {total} cases mismatched", failures.len());
    assert!(failures.is_empty());
}

// ---------------------------------------------------------------- templates

#[test]
fn template_delimiters() {
    assert_eq!(template_expression("{% $x %}"), Some((" $x ", 2)));
    assert_eq!(template_expression("{%10%}"), Some(("10", 2)));
    assert_eq!(template_expression("{%%}"), Some(("", 2)));
    // The delimiters may not overlap.
    assert_eq!(template_expression("{%}"), None);
    // Leading/trailing whitespace outside the delimiters: a literal.
    assert_eq!(template_expression(" {% 1 %}"), None);
    assert_eq!(template_expression("{% 1 %} "), None);
    // An opening delimiter alone is a literal string, flagged separately.
    assert_eq!(template_expression("{% 10 %"), None);
    assert!(is_unterminated_template("{% 10 %"));
    assert!(is_unterminated_template("{% This is a comment"));
    assert!(!is_unterminated_template("{% 10 %}"));
    assert!(!is_unterminated_template("plain"));
    // Multi-byte text inside: the offset is still in bytes.
    let s = "{% 'é' %}";
    let (inner, off) = template_expression(s).unwrap();
    assert_eq!(&s[off..off + inner.len()], " 'é' ");
    // An empty template is a JSONata syntax error.
    assert_eq!(e("").code, "S0207");
}

#[test]
fn error_spans_shift_into_the_string() {
    let s = "{% $sum($a %}";
    let (inner, off) = template_expression(s).unwrap();
    let err = parse(inner).unwrap_err();
    assert_eq!(err.code, "S0203");
    let span = err.span.shifted(off);
    assert_eq!(span, Span::new(11, 11));
}

// ---------------------------------------------------------------- constructs

#[test]
fn literals() {
    assert_eq!(t("'a'"), "\"a\"");
    assert_eq!(t("\"a\\u0041\\n\""), "\"aA\\n\"");
    assert_eq!(t("42"), "42");
    assert_eq!(t("1.5e2"), "150");
    assert_eq!(t("-3"), "-3");
    assert_eq!(t("true"), "true");
    assert_eq!(t("false"), "false");
    assert_eq!(t("null"), "null");
    assert_eq!(t("/ab+c/i"), "/ab+c/i");
    assert_eq!(t("/a(b/c)d/"), "/a(b/c)d/");
}

#[test]
fn names_and_paths() {
    assert_eq!(t("a"), "(path a)");
    assert_eq!(t("a.b.c"), "(path a b c)");
    assert_eq!(t("`a b`.c"), "(path a b c)");
    assert_eq!(t("a.'b c'"), "(path a b c)");
    assert_eq!(t("$"), "$");
    assert_eq!(t("$$"), "$$");
    assert_eq!(t("$$.a"), "(path $$ a)");
    assert_eq!(t("$states.input.x"), "(path $states input x)");
    assert_eq!(t("*"), "*");
    assert_eq!(t("a.*.b"), "(path a * b)");
    assert_eq!(t("**.x"), "(path ** x)");
    // Keywords double as field names.
    assert_eq!(t("and.or.in"), "(path and or in)");
    assert_eq!(t("a and b"), "(and (path a) (path b))");
    // Whitespace and comments are insignificant.
    assert_eq!(t(" a /* c */ . \n b "), "(path a b)");
}

#[test]
fn predicates_and_keep_array() {
    assert_eq!(t("a[0]"), "(path as[0])");
    assert_eq!(t("a.b[x > 1]"), "(path a bs[(> (path x) 1)])");
    assert_eq!(t("$x[0]"), "$xp[0]");
    assert_eq!(t("[1,2][0]"), "[1 2]p[0]");
    assert_eq!(t("a[0][1]"), "(path as[0]s[1])");
    assert_eq!(t("a[]"), "(path[] a[])[]");
    assert_eq!(t("a.b[].c"), "(path[] a b[] c)");
}

#[test]
fn constructors_and_ranges() {
    assert_eq!(t("[]"), "[]");
    assert_eq!(t("[1, 'two', 3]"), "[1 \"two\" 3]");
    assert_eq!(t("[1..5]"), "[(.. 1 5)]");
    assert_eq!(t("[0, $a..$b]"), "[0 (.. $a $b)]");
    assert_eq!(t("{}"), "{}");
    assert_eq!(t("{'foo': 'bar', \"n\": 1}"), "{\"foo\":\"bar\" \"n\":1}");
    assert_eq!(t("a{b: c}"), "(path a){(path b):(path c)}");
    assert_eq!(t("$x{'k': $}"), "$x{\"k\":$}");
    assert!(p("[1..5]").span == Span::new(0, 6));
}

#[test]
fn operators_and_precedence() {
    assert_eq!(t("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(t("(1 + 2) * 3"), "(* (block (+ 1 2)) 3)");
    assert_eq!(t("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(t("a & b & 'c'"), "(& (& (path a) (path b)) \"c\")");
    assert_eq!(
        t("a = 1 and b != 2 or c"),
        "(or (and (= (path a) 1) (!= (path b) 2)) (path c))"
    );
    assert_eq!(
        t("x < 1 or x <= 2 or x > 3 or x >= 4"),
        "(or (or (or (< (path x) 1) (<= (path x) 2)) (> (path x) 3)) (>= (path x) 4))"
    );
    assert_eq!(t("a in [1]"), "(in (path a) [1])");
    assert_eq!(t("7 % 3 / 2"), "(/ (% 7 3) 2)");
    assert_eq!(t("-a.b"), "(neg (path a b))");
    assert_eq!(t("- -1"), "1");
    assert_eq!(t("1+2"), "(+ 1 2)");
    assert_eq!(
        t("$states.input.value >= 20 and $states.input.value < 30"),
        "(and (>= (path $states input value) 20) (< (path $states input value) 30))"
    );
}

#[test]
fn conditionals_elvis_coalesce() {
    assert_eq!(t("a ? 1 : 2"), "(? (path a) 1 2)");
    assert_eq!(t("a ? 1"), "(? (path a) 1)");
    assert_eq!(t("a ? b ? 1 : 2 : 3"), "(? (path a) (? (path b) 1 2) 3)");
    assert_eq!(t("a ?: 'x'"), "(?: (path a) \"x\")");
    assert_eq!(t("a ?? b ?? c"), "(?? (path a) (?? (path b) (path c)))");
    assert_eq!(t("x = a ?? b"), "(?? (= (path x) (path a)) (path b))");
    assert_eq!(
        t("$exists($status) ? 'completed' : 'running'"),
        "(? (call $exists $status) \"completed\" \"running\")"
    );
}

#[test]
fn bindings_blocks_and_functions() {
    assert_eq!(t("$x := 1"), "(:= $x 1)");
    assert_eq!(t("$a := $b := 2"), "(:= $a (:= $b 2))");
    assert_eq!(t("($x := 1; $x + 1)"), "(block (:= $x 1) (+ $x 1))");
    assert_eq!(t("()"), "(block )");
    assert_eq!(t("(1;)"), "(block 1)");
    assert_eq!(t("$sum(a, 2)"), "(call $sum (path a) 2)");
    assert_eq!(t("$f()"), "(call $f )");
    assert_eq!(t("$substring(?, 0, 2)"), "(partial $substring ? 0 2)");
    assert_eq!(t("function($x, $y){$x + $y}"), "(λ ($x $y) (+ $x $y))");
    assert_eq!(t("λ($x){$x}(5)"), "(call (λ ($x) $x) 5)");
    assert_eq!(t("function($x)<n-n:n>{$x}"), "(λ ($x) <n-n:n> $x)");
    assert_eq!(t("$fn := function($x){$x}"), "(:= $fn (λ ($x) $x))");
    assert_eq!(t("a ~> $uppercase()"), "(~> (path a) (call $uppercase ))");
    assert_eq!(t("a ~> $f ~> $g"), "(~> (~> (path a) $f) $g)");
}

#[test]
fn signatures() {
    let sig = |src: &str| match p(src).kind {
        ExprKind::Lambda { signature, .. } => signature.unwrap(),
        _ => panic!("not a lambda"),
    };
    let s = sig("function($a, $b, $c)<s-n?a<s>+:s>{1}");
    assert_eq!(s.text, "<s-n?a<s>+:s>");
    assert_eq!(s.returns.as_deref(), Some("s"));
    assert_eq!(s.params.len(), 3);
    assert!(s.params[0].use_context && s.params[1].optional && s.params[2].variadic);
    assert_eq!(s.params[2].subtype.as_deref(), Some("s"));
    let s = sig("function($x)<(sn)f<n:n>>{1}");
    assert_eq!(s.params[0].ty, "(sn)");
    assert_eq!(s.params[1].subtype.as_deref(), Some("n:n"));
    assert_eq!(em("function($x)<n<s>>{1}").0, "S0401");
    assert_eq!(em("function($x)<(s<n>)>{1}").0, "S0402");
    assert_eq!(em("function($x)<n{1}").0, "S0202");
}

#[test]
fn sort_focus_index_transform() {
    assert_eq!(
        t("a^(>b, <c, d)"),
        "(path a (sort >(path b) <(path c) <(path d)))"
    );
    assert_eq!(t("a@$o.b"), "(path a@$o b)");
    assert_eq!(t("a#$i.b"), "(path a#$i b)");
    assert_eq!(t("a[0]#$i"), "(path as[0]s#$i)");
    assert_eq!(t("$x#$i"), "(path $x#$i)");
    assert_eq!(t("| a | {'b': 1} |"), "(| (path a) {\"b\":1})");
    assert_eq!(t("| a | {}, ['x'] |"), "(| (path a) {} [\"x\"])");
    assert_eq!(t("$ ~> |a|{'b':2}|"), "(~> $ (| (path a) {\"b\":2}))");
}

#[test]
fn parent_operator() {
    assert_eq!(t("a.b.%.c"), "(path a b!0 %0 c)");
    assert_eq!(t("a.b.%.%.c"), "(path a!1 b!0 %0 %1 c)");
    // In a predicate, `%` is bound by the filtered step itself.
    assert_eq!(t("a.b[%.x = 1]"), "(path a bs[(= (path %0 x) 1)]!0)");
    assert_eq!(e("%").code, "S0217");
    assert_eq!(e("$x.%").code, "S0217");
    assert_eq!(e("a.%.%").code, "S0217");
}

#[test]
fn real_aws_shapes() {
    for src in [
        "$contains('hello$world', /^hello\\ /)",
        "$contains(\"hello$world\", /^hello\\$/)",
        "$merge([{\"Bucket\": \"my-bucket\"}])",
        "$round($random() * 10)",
        "$states.input = '\"'",
        "$sum($states.input.input_values) + $var_constant_1",
        "$states.context.Map.Item.Value",
        "$$.Map.Item.Index = 0",
        "Account.Order.Product{`Product Name`: $.Price}",
        "Account.Order.Product[Price > 30].(Price * Quantity) ~> $sum()",
        "$map([1,2,3], function($v, $i){ $v * $i })",
        "library.loans@$l.books@$b[$l.isbn=$b.isbn].{'title': $b.title}",
        "($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))",
    ] {
        p(src);
    }
}

// ---------------------------------------------------------------- errors

#[test]
fn lexical_errors() {
    assert_eq!(
        em("'abc"),
        (
            "S0101",
            "String literal must be terminated by a matching quote".into()
        )
    );
    assert_eq!(em("1e400"), ("S0102", "Number out of range: 1e400".into()));
    assert_eq!(
        em("'\\x'"),
        ("S0103", "Unsupported escape sequence: \\x".into())
    );
    assert_eq!(em("'\\u00g0'").0, "S0104");
    assert_eq!(em("`abc").0, "S0105");
    assert_eq!(em("1 /* x").0, "S0106");
    assert_eq!(
        em("//"),
        ("S0301", "Empty regular expressions are not allowed".into())
    );
    assert_eq!(
        em("/abc"),
        ("S0302", "No terminating / in regular expression".into())
    );
    assert_eq!(em("a ! b"), ("S0204", "Unknown operator: !".into()));
    assert_eq!(em("a ~ b").0, "S0204");
}

#[test]
fn syntax_errors() {
    let err = e("10 + * 2");
    assert_eq!(
        (err.code, err.message.as_str()),
        ("S0201", "Syntax error: 2")
    );
    assert_eq!(err.span, Span::new(7, 8));
    let err = e("$sum($states.input.items.numbers");
    assert_eq!(
        (err.code, err.message.as_str()),
        ("S0203", "Expected ) before end of expression")
    );
    assert_eq!(
        em("[1, 2"),
        ("S0203", "Expected ] before end of expression".into())
    );
    assert_eq!(em("{'a' 1}"), ("S0202", "Expected :, got 1".into()));
    assert_eq!(em("(1 2)"), ("S0202", "Expected ), got 2".into()));
    assert_eq!(em("a^b"), ("S0202", "Expected (, got b".into()));
    assert_eq!(em("1 +"), ("S0207", "Unexpected end of expression".into()));
    assert_eq!(em("420."), ("S0207", "Unexpected end of expression".into()));
    assert_eq!(
        em("function(a){1}"),
        (
            "S0208",
            "Parameter 1 of function definition must be a variable name (start with $)".into()
        )
    );
    assert_eq!(em("$x{'a':1}[0]").0, "S0209");
    assert_eq!(em("a{'a':1}{'b':2}").0, "S0210");
    assert_eq!(
        em(")"),
        (
            "S0211",
            "The symbol ) cannot be used as a unary operator".into()
        )
    );
    assert_eq!(em("+1").0, "S0211");
    assert_eq!(
        em("a := 1"),
        (
            "S0212",
            "The left side of := must be a variable name (start with $)".into()
        )
    );
    assert_eq!(
        em("a.1"),
        (
            "S0213",
            "The literal value 1 cannot be used as a step within a path expression".into()
        )
    );
    assert_eq!(em("a.true").0, "S0213");
    assert_eq!(
        em("a@b"),
        (
            "S0214",
            "The right side of @ must be a variable name (start with $)".into()
        )
    );
    assert_eq!(em("a#1").0, "S0214");
    assert_eq!(em("a[0]@$x").0, "S0215");
    assert_eq!(em("a^(b)@$x").0, "S0216");
    assert_eq!(em("1 2"), ("S0201", "Syntax error: 2".into()));
    assert_eq!(em("a]"), ("S0201", "Syntax error: ]".into()));
    assert_eq!(
        em("?"),
        (
            "S0211",
            "The symbol ? cannot be used as a unary operator".into()
        )
    );
}

// ---------------------------------------------------------------- robustness

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in [
        "(", "[", "{'a':", "-", "$f(", "a[", "| a |", "$x := ", "a ?: ", "a ? ",
    ] {
        let src = open.repeat(100_000);
        let err = e(&src);
        assert_eq!(err.code, "U1001", "{open}");
    }
    // Long left-associative chains are bounded by tree height.
    let src = vec!["1"; 100_000].join(" + ");
    assert_eq!(e(&src).code, "U1001");
    let src = vec!["a"; 100_000].join(".");
    assert_eq!(e(&src).code, "U1001");
    let src = format!("a{}", "[0]".repeat(100_000));
    assert_eq!(e(&src).code, "U1001");
}

#[test]
fn nesting_just_under_the_limit_parses() {
    // Deep but legal trees must parse (and drop) on a normal test thread.
    let n = MAX_DEPTH / 2 - 2;
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("{'a':", "}"),
        ("$f(", ")"),
        ("-(", ")"),
    ] {
        let src = format!("{}1{}", open.repeat(n), close.repeat(n));
        p(&src);
    }
    let src = vec!["1"; MAX_DEPTH - 10].join(" + ");
    p(&src);
    let src = vec!["a"; MAX_DEPTH - 10].join(".");
    p(&src);
    let src = format!("{}a{}", "(a.b[".repeat(n / 3), "])".repeat(n / 3));
    p(&src);
}

#[test]
fn wide_inputs_are_fine() {
    let src = format!("[{}]", vec!["1"; 200_000].join(","));
    assert!(matches!(p(&src).kind, ExprKind::Array(v) if v.len() == 200_000));
    let src = format!("'{}'", "x".repeat(1_000_000));
    p(&src);
    let src = format!("$f({})", vec!["a.b"; 50_000].join(","));
    p(&src);
}

/// A tiny deterministic PRNG (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn garbage_never_panics() {
    let pieces = [
        "a", "$", "$$", "$x", "1", "0.5", "1e5", "'s'", "\"s\"", "\\", "\\u", "`", "(", ")", "[",
        "]", "{", "}", ",", ";", ":", ":=", "?", "??", "?:", ".", "..", "*", "**", "%", "@", "#",
        "^", "|", "~>", "~", "!", "!=", "=", "<", ">", "<=", ">=", "+", "-", "/", "/*", "*/", "&",
        "and", "or", "in", "true", "null", "function", "λ", "é", "\u{0}", " ", "\n", "\t", "\u{b}",
        "😀", "{%", "%}", "/a/", "/i",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..50_000 {
        let n = (rng.next() % 24) as usize;
        let src: String = (0..n).map(|_| rng.pick(&pieces)).collect();
        let _ = parse(&src);
    }
    // Random bytes that happen to be UTF-8.
    for _ in 0..20_000 {
        let n = (rng.next() % 32) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| (rng.next() % 128) as u8).collect();
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = parse(s);
        }
    }
}

#[test]
fn truncations_never_panic() {
    let samples = [
        "Account.Order.Product[Price > 30].(Price * Quantity) ~> $sum()",
        "function($x, $y)<n-n:n>{ $x + $y }(1, 2)",
        "library.loans@$l.books@$b[$l.isbn=$b.isbn].{'title': $b.title, 'p': %.name}",
        "$map([1..5], λ($v, $i){ $v ?: $i ?? 0 })^(>$)#$k[$k < 3]",
        "| a.b | {'c': \"\\u00e9\\n\"}, ['d'] | /* done */ ~> $match(/re(g)?/im)",
        "($x := 1; $y := $x.a{'k': `v w`}; $y ? -$y : **.z[])",
    ];
    for s in samples {
        p(s);
        for (i, _) in s.char_indices() {
            let _ = parse(&s[..i]);
            let _ = parse(&s[i..]);
        }
    }
}

// ---------------------------------------------------------------- corpora

/// `<workspace>/../shared`, if present.
fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} not found; skipping corpus test", dir.display());
        None
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Every template expression among the string values of `v`.
fn templates(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => {
            if let Some((inner, _)) = template_expression(s) {
                out.push(inner.to_string());
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| templates(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| templates(x, out)),
        _ => {}
    }
}

fn file_templates(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        templates(&v, &mut out);
    }
    out
}

#[test]
fn every_accepted_expression_parses() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    let cases = shared.join("conformance/cases");
    if let Ok(categories) = std::fs::read_dir(&cases) {
        for cat in categories.filter_map(|e| e.ok()) {
            if let Ok(case_dirs) = std::fs::read_dir(cat.path()) {
                for case in case_dirs.filter_map(|e| e.ok()) {
                    let def = case.path().join("definition.json");
                    if def.is_file() {
                        files.push(def);
                    }
                }
            }
        }
    }
    json_files(&shared.join("lint-corpus/valid"), &mut files);
    let mut count = 0;
    let mut failures = Vec::new();
    for f in &files {
        for expr in file_templates(f) {
            count += 1;
            if let Err(err) = parse(&expr) {
                failures.push(format!("{}: {expr:?}: {err}", f.display()));
            }
        }
    }
    eprintln!(
        "parsed {count} template expressions from {} files",
        files.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        count > 0,
        "no template expressions found under {}",
        shared.display()
    );
}

#[test]
fn invalid_corpus_syntax_errors() {
    let Some(shared) = shared_dir() else {
        return;
    };
    // The invalid lint-corpus files whose reason is JSONata syntax, with the
    // error jsonata-js reports. Every other template in the invalid corpus is
    // syntactically fine (those files are invalid for other reasons).
    let expected = [
        ("asl-validator__invalid-assign.json", " 420. ", "S0207"),
        (
            "asl-validator__invalid-jsonata-syntax-arithmetic.json",
            " 10 + * 2 ",
            "S0201",
        ),
        (
            "asl-validator__invalid-jsonata-syntax-mismatched-parens.json",
            " $sum($states.input.items.numbers ",
            "S0203",
        ),
    ];
    let mut files = Vec::new();
    json_files(&shared.join("lint-corpus/invalid"), &mut files);
    let mut failing = Vec::new();
    for f in &files {
        for expr in file_templates(f) {
            if let Err(err) = parse(&expr) {
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                failing.push((name, expr, err.code));
            }
        }
    }
    let want: Vec<_> = expected
        .iter()
        .map(|(f, e, c)| (f.to_string(), e.to_string(), *c))
        .collect();
    assert_eq!(failing, want);
}

#[test]
fn deep_trees_fit_in_one_mib_of_stack() {
    // Worst-case nesting right at the limit, in a debug build, on a thread
    // with half the default test stack: parse, process and drop must fit.
    let n = MAX_DEPTH - 2;
    let cases = [
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "$f(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "a[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "{'a':".repeat(n), "}".repeat(n)),
        format!("{}1", "-".repeat(n)),
        format!("{}1", "$x := ".repeat(n)),
        format!("{}1", "a ?: ".repeat(n)),
        format!("{}1", "a ? 1 : ".repeat(n)),
        format!("{}1", "a ?? ".repeat(n)),
        vec!["a"; n].join("."),
        vec!["1"; n].join(" & "),
        // Just over: an error, not a crash.
        format!("{}1", "-".repeat(MAX_DEPTH + 1)),
        "(".repeat(100_000),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for src in &cases {
                let _ = parse(src);
            }
        })
        .unwrap();
    handle.join().unwrap();
}
