//! Evaluator tests: constructs, functions, errors, limits, recorded AWS
//! expressions, and (ignored, opt-in) the jsonata-js test suite.

use super::*;
use serde_json::{json, Value as J};
use std::collections::HashMap;

/// A deterministic host.
pub(crate) struct TestEnv {
    pub vars: HashMap<String, J>,
    pub seed: u64,
    pub now: i64,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            vars: HashMap::new(),
            seed: 42,
            now: 1_700_000_000_000,
        }
    }
    pub fn with(mut self, name: &str, v: J) -> Self {
        self.vars.insert(name.to_string(), v);
        self
    }
}

impl JsonataEnv for TestEnv {
    fn variable(&self, name: &str) -> Option<J> {
        self.vars.get(name).cloned()
    }
    fn random_f64(&mut self) -> f64 {
        // SplitMix64.
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
    fn now_millis(&self) -> i64 {
        self.now
    }
}

pub(crate) fn run_with(
    src: &str,
    input: Option<&J>,
    env: &mut TestEnv,
) -> Result<Option<J>, EvalError> {
    let expr = parse(src).map_err(|e| EvalError {
        code: e.code,
        message: e.message,
        span: e.span,
    })?;
    evaluate(&expr, input, env)
}

fn run(src: &str, input: &J) -> Result<Option<J>, EvalError> {
    run_with(src, Some(input), &mut TestEnv::new())
}

/// Numbers compare by value (1 == 1.0).
pub(crate) fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || ((x - y).abs() <= 1e-12 * x.abs().max(y.abs()))
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[track_caller]
fn ok(src: &str, input: J, expected: J) {
    match run(src, &input) {
        Ok(Some(v)) => assert!(same(&v, &expected), "{src}: got {v}, expected {expected}"),
        Ok(None) => panic!("{src}: got undefined, expected {expected}"),
        Err(e) => panic!("{src}: error {e}, expected {expected}"),
    }
}

#[track_caller]
fn undef(src: &str, input: J) {
    match run(src, &input) {
        Ok(None) => {}
        other => panic!("{src}: expected undefined, got {other:?}"),
    }
}

#[track_caller]
fn fails(src: &str, input: J, code: &str) -> EvalError {
    match run(src, &input) {
        Err(e) if e.code == code => e,
        other => panic!("{src}: expected {code}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// jsonata-js test suite (dev only)

/// Runs the jsonata-js test suite from `$JSONATA_TEST_SUITE` (the
/// `test/test-suite` directory of a jsonata-js checkout) and reports the
/// pass rate. The suite is not part of this repository.
#[test]
#[ignore]
fn jsonata_js_test_suite() {
    use std::path::Path;
    let Ok(root) = std::env::var("JSONATA_TEST_SUITE") else {
        eprintln!("set JSONATA_TEST_SUITE to jsonata-js/test/test-suite");
        return;
    };
    let root = Path::new(&root);
    let mut datasets: HashMap<String, J> = HashMap::new();
    for entry in std::fs::read_dir(root.join("datasets")).expect("datasets") {
        let p = entry.expect("entry").path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).expect("read");
        datasets.insert(name, serde_json::from_str(&text).expect("json"));
    }
    let skip_groups = ["function-eval"];
    let mut groups: Vec<_> = std::fs::read_dir(root.join("groups"))
        .expect("groups")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    let (mut pass, mut fail, mut skipped) = (0, 0, 0);
    let mut failures = Vec::new();
    for g in groups {
        let gname = g.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> = std::fs::read_dir(&g)
            .expect("group")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let Ok(spec) = serde_json::from_str::<J>(&std::fs::read_to_string(&f).expect("read"))
            else {
                skipped += 1;
                continue;
            };
            let cases = match spec {
                J::Array(a) => a,
                other => vec![other],
            };
            for (ci, case) in cases.iter().enumerate() {
                let label = format!("{gname}/{}#{ci}", f.file_name().unwrap().to_string_lossy());
                if skip_groups.contains(&gname.as_str()) {
                    skipped += 1;
                    continue;
                }
                let expr = match (case.get("expr"), case.get("expr-file")) {
                    (Some(J::String(e)), _) => e.clone(),
                    (_, Some(J::String(file))) => {
                        std::fs::read_to_string(g.join(file)).expect("expr-file")
                    }
                    _ => {
                        skipped += 1;
                        continue;
                    }
                };
                let input: Option<J> = match (case.get("data"), case.get("dataset")) {
                    (Some(d), _) => Some(d.clone()),
                    (_, Some(J::String(name))) => datasets.get(name).cloned(),
                    _ => None,
                };
                let mut env = TestEnv::new();
                if let Some(J::Object(b)) = case.get("bindings") {
                    for (k, v) in b {
                        env.vars.insert(k.clone(), v.clone());
                    }
                }
                let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_with(&expr, input.as_ref(), &mut env)
                }));
                let got = match got {
                    Ok(g) => g,
                    Err(_) => {
                        fail += 1;
                        failures.push(format!("{label}: PANIC {expr}"));
                        continue;
                    }
                };
                let good = if case.get("undefinedResult").is_some() {
                    matches!(got, Ok(None))
                } else if let Some(expected) = case.get("result") {
                    matches!(&got, Ok(Some(v)) if same(v, expected))
                } else if let Some(code) = case
                    .get("code")
                    .or_else(|| case.get("error").and_then(|e| e.get("code")))
                {
                    matches!(&got, Err(e) if J::String(e.code.to_string()) == *code)
                } else {
                    skipped += 1;
                    continue;
                };
                if good {
                    pass += 1;
                } else {
                    fail += 1;
                    let want = case
                        .get("result")
                        .map(|r| r.to_string())
                        .or_else(|| case.get("code").map(|c| c.to_string()))
                        .or_else(|| case.get("error").map(|c| c.to_string()))
                        .unwrap_or_else(|| "undefined".into());
                    let got = match got {
                        Ok(Some(v)) => v.to_string(),
                        Ok(None) => "undefined".into(),
                        Err(e) => e.to_string(),
                    };
                    let mut line = format!("{label}: {expr} => {got} WANT {want}");
                    line.truncate(400);
                    failures.push(line);
                }
            }
        }
    }
    if let Ok(out) = std::env::var("JSONATA_TEST_SUITE_REPORT") {
        std::fs::write(out, failures.join("\n")).expect("write report");
    }
    eprintln!("jsonata-js test suite: {pass} passed, {fail} failed, {skipped} skipped");
}

// ---------------------------------------------------------------------------
// Constructs

fn acct() -> J {
    json!({
        "Account": {
            "Name": "Firefly",
            "Order": [
                {"OrderID": "o1", "Product": [
                    {"Name": "Hat", "SKU": "1", "Price": 34.45, "Quantity": 2},
                    {"Name": "Cloak", "SKU": "2", "Price": 21.67, "Quantity": 1}]},
                {"OrderID": "o2", "Product": [
                    {"Name": "Hat", "SKU": "1", "Price": 34.45, "Quantity": 4},
                    {"Name": "Boots", "SKU": "3", "Price": 107.99, "Quantity": 1}]}
            ]
        }
    })
}

#[test]
fn paths_and_sequences() {
    let a = acct();
    ok("Account.Name", a.clone(), json!("Firefly"));
    ok("Account.Order.OrderID", a.clone(), json!(["o1", "o2"]));
    ok("Account.Order[0].OrderID", a.clone(), json!("o1"));
    ok("Account.Order[-1].OrderID", a.clone(), json!("o2"));
    ok(
        "Account.Order.Product.Price",
        a.clone(),
        json!([34.45, 21.67, 34.45, 107.99]),
    );
    ok(
        "Account.Order.Product[0].Name",
        a.clone(),
        json!(["Hat", "Hat"]),
    );
    ok("(Account.Order.Product)[0].Name", a.clone(), json!("Hat"));
    ok(
        "Account.Order[0].Product[Price > 30].Name",
        a.clone(),
        json!("Hat"),
    );
    ok(
        "Account.Order[0].Product[Price > 30].Name[]",
        a.clone(),
        json!(["Hat"]),
    );
    ok(
        "Account.Order.Product[SKU='3'].Name",
        a.clone(),
        json!("Boots"),
    );
    ok("$count(Account.Order.Product)", a.clone(), json!(4));
    ok("Account.*.OrderID", a.clone(), json!(["o1", "o2"]));
    ok(
        "$distinct(**.Name)",
        a.clone(),
        json!(["Firefly", "Hat", "Cloak", "Boots"]),
    );
    ok(
        "Account.Order.Product.%.OrderID",
        a.clone(),
        json!(["o1", "o1", "o2", "o2"]),
    );
    ok(
        "Account.Order#$i.Product.{'i': $i, 'n': Name}",
        a.clone(),
        json!([{"i":0,"n":"Hat"},{"i":0,"n":"Cloak"},{"i":1,"n":"Hat"},{"i":1,"n":"Boots"}]),
    );
    ok(
        "Account.Order@$o.$o.Product.($o.OrderID & ':' & SKU)",
        a.clone(),
        json!(["o1:1", "o1:2", "o2:1", "o2:3"]),
    );
    ok(
        "Account.Order.Product{Name: $sum(Price)}",
        a.clone(),
        json!({"Hat": 68.9, "Cloak": 21.67, "Boots": 107.99}),
    );
    ok(
        "Account.Order.Product^(>Price).SKU",
        a.clone(),
        json!(["3", "1", "1", "2"]),
    );
    ok(
        "Account.Order.Product^(Name, >Quantity).Quantity",
        a.clone(),
        json!([1, 1, 4, 2]),
    );
    undef("Account.Nothing", a.clone());
    undef("nothing.at.all", json!(null));
    ok("$", json!([1, 2]), json!([1, 2]));
    ok("$[0]", json!([1, 2]), json!(1));
    ok("[1..5][$ % 2 = 0]", json!(null), json!([2, 4]));
    ok("[1,2,3][[0,2]]", json!(null), json!([1, 3]));
    ok("[[1,2],[3]].$", json!(null), json!([1, 2, 3]));
    ok("[1,[2,3]][1]", json!(null), json!([2, 3]));
    ok("$.a", json!({"a": [1]}), json!([1]));
    ok("a.b", json!({"a": [{"b": 1}]}), json!(1));
    ok("a.b[]", json!({"a": [{"b": 1}]}), json!([1]));
    ok("`weird key`", json!({"weird key": 5}), json!(5));
    ok("$$.x", json!({"x": 3}), json!(3));
}

#[test]
fn operators() {
    let n = json!(null);
    ok("1 + 2 * 3", n.clone(), json!(7));
    ok("7 % 3 - 10 / 4", n.clone(), json!(-1.5));
    ok("-(1 + 2)", n.clone(), json!(-3));
    ok("0.1 + 0.2", n.clone(), json!(0.30000000000000004));
    ok(
        "'a' & 1 & true & null & [1,2]",
        n.clone(),
        json!("a1truenull[1,2]"),
    );
    ok("'a' & $nothing", n.clone(), json!("a"));
    ok("1 = 1.0 and 'x' != 'y'", n.clone(), json!(true));
    ok("[1,{'a':[2]}] = [1,{'a':[2]}]", n.clone(), json!(true));
    ok("'abc' < 'abd'", n.clone(), json!(true));
    ok("3 in [1,2,3]", n.clone(), json!(true));
    ok("'x' in 'x'", n.clone(), json!(true));
    ok("false or $nothing", n.clone(), json!(false));
    ok("true ? 'y' : 'n'", n.clone(), json!("y"));
    undef("false ? 'y'", n.clone());
    ok("0 ?: 'default'", n.clone(), json!("default"));
    ok("$nothing ?? 'default'", n.clone(), json!("default"));
    ok("0 ?? 'default'", n.clone(), json!(0));
    ok("($a := 3; $b := $a * 2; $a + $b)", n.clone(), json!(9));
    ok("[1..3, 7]", n.clone(), json!([1, 2, 3, 7]));
    undef("1 + $nothing", n.clone());
    ok("$nothing = 1", n.clone(), json!(false));
    fails("1 + 'a'", n.clone(), "T2002");
    fails("'a' + 1", n.clone(), "T2001");
    fails("1 < 'a'", n.clone(), "T2009");
    fails("{} < 1", n.clone(), "T2010");
    fails("-'a'", n.clone(), "D1002");
    fails("[1..1.5]", n.clone(), "T2004");
    fails(
        "{'a': 1, 'b': 2}.{$string(a): 1, $string(b - 1): 2}",
        n.clone(),
        "D1009",
    );
    fails("{1: 2}", n.clone(), "T1003");
    fails("1/(10e300 * 10e100)", n.clone(), "D1001");
    fails("1/0", n.clone(), "D1001");
}

#[test]
fn functions_and_closures() {
    let n = json!(null);
    ok("($f := function($x){$x * 2}; $f(21))", n.clone(), json!(42));
    ok("(function($x, $y){$x + $y})(1, 2)", n.clone(), json!(3));
    ok(
        "($add := function($x){function($y){$x + $y}}; $add(1)(2))",
        n.clone(),
        json!(3),
    );
    ok(
        "($f := $substring(?, 0, 3); $f('abcdef'))",
        n.clone(),
        json!("abc"),
    );
    ok(
        "($first := $substring(?, 0, 1); ['ab', 'cd'].$first($))",
        n.clone(),
        json!(["a", "c"]),
    );
    ok("'hello' ~> $uppercase()", n.clone(), json!("HELLO"));
    ok(
        "'hello' ~> $substring(1) ~> $uppercase()",
        n.clone(),
        json!("ELLO"),
    );
    ok(
        "($u := $uppercase ~> $trim; $u('  a  '))",
        n.clone(),
        json!("A"),
    );
    ok("λ($x){$x + 1}(1)", n.clone(), json!(2));
    ok(
        "($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(20000, 0))",
        n.clone(),
        json!(20000),
    );
    ok(
        "($fact := function($n){ $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(20))",
        n.clone(),
        json!(2432902008176640000.0),
    );
    ok(
        "($f := function($x)<n:n>{ $x + 1 }; $f(1))",
        n.clone(),
        json!(2),
    );
    fails(
        "($f := function($x)<n:n>{ $x + 1 }; $f('a'))",
        n.clone(),
        "T0410",
    );
    ok("$sum([1,2,3])", n.clone(), json!(6));
    ok("$sum(5)", n.clone(), json!(5));
    let e = fails("$sum('a')", n.clone(), "T0412");
    assert_eq!(
        e.message,
        "Argument 1 of function \"sum\" must be an array of \"numbers\""
    );
    let e = fails("$substring('a', 'b')", n.clone(), "T0410");
    assert_eq!(
        e.message,
        "Argument 2 of function \"substring\" does not match function signature"
    );
    fails("$substring(1, 2)", n.clone(), "T0411");
    let e = fails("$randomSeeded(1)", n.clone(), "T1006");
    assert_eq!(e.message, "Attempted to invoke a non-function");
    let e = fails("sum([1])", n.clone(), "T1005");
    assert_eq!(
        e.message,
        "Attempted to invoke a non-function. Did you mean $sum?"
    );
    fails("$eval('1')", n.clone(), "T1006");
    fails("1 ~> 2", n.clone(), "T2006");
    fails("$nothing(?)", n.clone(), "T1008");
    ok("$string(function(){1})", n.clone(), json!(""));
}

#[test]
fn transforms() {
    ok(
        "$ ~> |a|{'c': 3}, ['b']|",
        json!({"a": {"b": 1, "x": 2}, "k": 1}),
        json!({"a": {"x": 2, "c": 3}, "k": 1}),
    );
    ok(
        "$ ~> |**[$exists(id)]|{'seen': true}|",
        json!({"id": 1, "kids": [{"id": 2}, {"n": 3}]}),
        json!({"id": 1, "kids": [{"id": 2, "seen": true}, {"n": 3}], "seen": true}),
    );
    fails("$ ~> |a|1|", json!({"a": {}}), "T2011");
    fails("$ ~> |a|{}, 1|", json!({"a": {}}), "T2012");
}

#[test]
fn string_functions() {
    let n = json!(null);
    let table: &[(&str, J)] = &[
        ("$string(1.0)", json!("1")),
        (
            "$string({'a': 1, 'b': [true, null]})",
            json!("{\"a\":1,\"b\":[true,null]}"),
        ),
        ("$string({'a': 1}, true)", json!("{\n  \"a\": 1\n}")),
        ("$string(0.1 + 0.2)", json!("0.3")),
        ("$string(1e21)", json!("1e+21")),
        ("$string(1/3)", json!("0.333333333333333")),
        ("$length('héllo😀')", json!(6)),
        ("$substring('hello world', 3)", json!("lo world")),
        ("$substring('hello world', -5, 3)", json!("wor")),
        ("$substring('😀abc', 1, 2)", json!("ab")),
        ("$substringBefore('a-b-c', '-')", json!("a")),
        ("$substringAfter('a-b-c', '-')", json!("b-c")),
        ("$uppercase('straße')", json!("STRASSE")),
        ("$lowercase('ÀB')", json!("àb")),
        ("$trim('  a \n\t b  ')", json!("a b")),
        ("$pad('x', 4, '#')", json!("x###")),
        ("$pad('x', -4)", json!("   x")),
        ("$contains('abc', 'b')", json!(true)),
        ("$contains('abc', /B/i)", json!(true)),
        ("$split('a,b,,c', ',')", json!(["a", "b", "", "c"])),
        ("$split('a,b,c', ',', 2)", json!(["a", "b"])),
        ("$split('a1b22c', /\\d+/)", json!(["a", "b", "c"])),
        ("$join(['a','b'], '-')", json!("a-b")),
        (
            "$match('ab12cd345', /(\\d)(\\d)/)",
            json!([{"match":"12","index":2,"groups":["1","2"]},{"match":"34","index":6,"groups":["3","4"]}]),
        ),
        (
            "$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')",
            json!("Smith, John"),
        ),
        ("$replace('abcabc', 'b', 'X', 1)", json!("aXcabc")),
        ("$replace('265USD', /([0-9]+)USD/, '$$$1')", json!("$265")),
        (
            "$replace('abc', /b/, function($m){ $uppercase($m.match) })",
            json!("aBc"),
        ),
        (
            "$base64encode('myuser:mypass')",
            json!("bXl1c2VyOm15cGFzcw=="),
        ),
        (
            "$base64decode('bXl1c2VyOm15cGFzcw==')",
            json!("myuser:mypass"),
        ),
        (
            "$encodeUrlComponent('?x=test&y=é')",
            json!("%3Fx%3Dtest%26y%3D%C3%A9"),
        ),
        (
            "$encodeUrl('https://mozilla.org/?x=шеллы')",
            json!("https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B"),
        ),
        ("$decodeUrlComponent('%3Fx%3Dtest')", json!("?x=test")),
        (
            "$decodeUrl('https://mozilla.org/?x=%D1%88%3F')",
            json!("https://mozilla.org/?x=ш%3F"),
        ),
        ("$formatNumber(1234.5678, '#,##0.00')", json!("1,234.57")),
        ("$formatNumber(0.14, '01%')", json!("14%")),
        ("$formatNumber(1234.5678, '00.000e0')", json!("12.346e2")),
        ("$formatBase(100, 2)", json!("1100100")),
        ("$formatBase(255, 16)", json!("ff")),
        (
            "$formatInteger(2789, 'w')",
            json!("two thousand, seven hundred and eighty-nine"),
        ),
        ("$formatInteger(1999, 'I')", json!("MCMXCIX")),
        ("$formatInteger(1234567, '#,##0')", json!("1,234,567")),
        ("$formatInteger(3, '1;o')", json!("3rd")),
        (
            "$parseInteger('twelve thousand, four hundred and seventy-six', 'w')",
            json!(12476),
        ),
        ("$parseInteger('MCMXCIX', 'I')", json!(1999)),
        ("$parseInteger('1,234,567', '#,##0')", json!(1234567)),
    ];
    for (src, want) in table {
        ok(src, n.clone(), want.clone());
    }
    fails("$replace('a', '', 'b')", n.clone(), "D3010");
    fails("$string(1/0)", n.clone(), "D3001");
    fails("$decodeUrlComponent('%E0%A4%A')", n.clone(), "D3140");
    fails("$split('a', ',', -1)", n.clone(), "D3020");
    fails("$match('aaa', /x*/)", n.clone(), "D1004");
}

#[test]
fn numeric_boolean_array_object_functions() {
    let n = json!(null);
    let table: &[(&str, J)] = &[
        ("$number('12.5e1')", json!(125)),
        ("$number('0x1F')", json!(31)),
        ("$number(true)", json!(1)),
        ("$abs(-3)", json!(3)),
        ("$floor(-1.5)", json!(-2)),
        ("$ceil(1.2)", json!(2)),
        ("$round(2.5)", json!(2)),
        ("$round(3.5)", json!(4)),
        ("$round(-2.5)", json!(-2)),
        ("$round(1.255, 2)", json!(1.26)),
        ("$round(125, -1)", json!(120)),
        ("$round(1.23456, 3)", json!(1.235)),
        ("$power(2, 10)", json!(1024)),
        ("$sqrt(16)", json!(4)),
        ("$max([1, 5, 3])", json!(5)),
        ("$min([4, -1])", json!(-1)),
        ("$average([1, 2, 3, 4])", json!(2.5)),
        ("$boolean([0, ''])", json!(false)),
        ("$boolean({'a': 0})", json!(true)),
        ("$not('')", json!(true)),
        ("$exists($nothing)", json!(false)),
        ("$count([1,2,3])", json!(3)),
        ("$count($nothing)", json!(0)),
        ("$append([1,2], [3])", json!([1, 2, 3])),
        ("$append(1, 2)", json!([1, 2])),
        ("$sort([3, 1, 2])", json!([1, 2, 3])),
        (
            "$sort(['b', 'a'], function($l, $r){ $l < $r })",
            json!(["b", "a"]),
        ),
        ("$reverse([1, 2, 3])", json!([3, 2, 1])),
        ("$count($shuffle([1, 2, 3, 4]))", json!(4)),
        ("$distinct([1, 2, 1, [1], [1]])", json!([1, 2, [1]])),
        ("$zip([1, 2, 3], [4, 5])", json!([[1, 4], [2, 5]])),
        ("$keys({'a': 1, 'b': 2})", json!(["a", "b"])),
        ("$keys([{'a': 1}, {'b': 2, 'a': 3}])", json!(["a", "b"])),
        ("$lookup({'a': 1}, 'a')", json!(1)),
        ("$spread({'a': 1, 'b': 2})", json!([{"a": 1}, {"b": 2}])),
        (
            "$merge([{'a': 1}, {'a': 2, 'b': 3}])",
            json!({"a": 2, "b": 3}),
        ),
        (
            "$each({'a': 1, 'b': 2}, function($v, $k){ $k & $v })",
            json!(["a1", "b2"]),
        ),
        (
            "$sift({'a': 1, 'b': 2}, function($v){ $v > 1 })",
            json!({"b": 2}),
        ),
        ("$type([])", json!("array")),
        ("$type(null)", json!("null")),
        ("$type(function(){1})", json!("function")),
        (
            "$map([1, 2, 3], function($v, $i){ $v * $i })",
            json!([0, 2, 6]),
        ),
        (
            "$filter([1, 2, 3, 4], function($v){ $v % 2 = 0 })",
            json!([2, 4]),
        ),
        ("$single([1, 2, 3], function($v){ $v = 2 })", json!(2)),
        (
            "$reduce([1, 2, 3, 4], function($acc, $v){ $acc + $v })",
            json!(10),
        ),
        (
            "$reduce([1, 2, 3], function($acc, $v){ $acc + $v }, 10)",
            json!(16),
        ),
        ("$assert(true, 'never')", json!(null)),
    ];
    for (src, want) in table {
        if want.is_null() {
            undef(src, n.clone());
        } else {
            ok(src, n.clone(), want.clone());
        }
    }
    let e = fails("$error('boom')", n.clone(), "D3137");
    assert_eq!(e.message, "boom");
    let e = fails("$assert(false, 'bad')", n.clone(), "D3141");
    assert_eq!(e.message, "bad");
    fails("$single([1, 2])", n.clone(), "D3138");
    fails("$single([])", n.clone(), "D3139");
    fails("$sqrt(-1)", n.clone(), "D3060");
    fails("$power(10, 1000)", n.clone(), "D3061");
    fails("$number('abc')", n.clone(), "D3030");
    fails("$sort([1, 'a'])", n.clone(), "D3070");
    fails("$reduce([1], function($x){ $x })", n.clone(), "D3050");
}

#[test]
fn date_time_functions() {
    let n = json!(null);
    let mut env = TestEnv::new();
    env.now = 1_700_000_000_123;
    let r = run_with("[$now(), $millis(), $now() = $now()]", Some(&n), &mut env).unwrap();
    assert_eq!(
        r,
        Some(json!([
            "2023-11-14T22:13:20.123Z",
            1_700_000_000_123i64,
            true
        ]))
    );
    let table: &[(&str, J)] = &[
        ("$fromMillis(0)", json!("1970-01-01T00:00:00.000Z")),
        (
            "$fromMillis(1510067557121, '[M01]/[D01]/[Y0001] [h#1]:[m01][P]')",
            json!("11/07/2017 3:12pm"),
        ),
        (
            "$fromMillis(1510067557121, '[H01]:[m01]', '-0500')",
            json!("10:12"),
        ),
        (
            "$fromMillis(1510067557121, '[FNn], [D1o] [MNn] [Y]')",
            json!("Tuesday, 7th November 2017"),
        ),
        (
            "$fromMillis(1510067557121, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]', '+0530')",
            json!("2017-11-07T20:42:37+05:30"),
        ),
        (
            "$toMillis('2017-11-07T15:07:54.972Z')",
            json!(1510067274972i64),
        ),
        ("$toMillis('2017-11-07')", json!(1510012800000i64)),
        (
            "$toMillis('2018-02-01T09:42:13.123+01:00')",
            json!(1517474533123i64),
        ),
        (
            "$toMillis('13/09/2018', '[D]/[M]/[Y]')",
            json!(1536796800000i64),
        ),
        (
            "$toMillis('Tuesday, 7th November 2017', '[FNn], [D1o] [MNn] [Y]')",
            json!(1510012800000i64),
        ),
    ];
    for (src, want) in table {
        ok(src, n.clone(), want.clone());
    }
    fails("$toMillis('not a date')", n.clone(), "D3110");
    fails("$fromMillis(0, '[Q]')", n.clone(), "D3132");
}

#[test]
fn aws_functions() {
    let n = json!(null);
    ok(
        "$partition([1,2,3,4,5], 2)",
        n.clone(),
        json!([[1, 2], [3, 4], [5]]),
    );
    ok("$partition([], 2)", n.clone(), json!([]));
    ok("$range(0, 10, 3)", n.clone(), json!([0, 3, 6, 9]));
    ok("$range(1, 9, 9)", n.clone(), json!(1));
    ok("$range(5, 1, -2)", n.clone(), json!([5, 3, 1]));
    ok(
        "$hash('input data', 'MD5')",
        n.clone(),
        json!("812f45842bc6d66ee14572ce20db8e86"),
    );
    ok(
        "$hash('abc', 'SHA-1')",
        n.clone(),
        json!("a9993e364706816aba3e25717850c26c9cd0d89d"),
    );
    ok(
        "$hash('abc', 'SHA-256')",
        n.clone(),
        json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    );
    ok(
        "$parse('{\"a\": [1, -0]}')",
        n.clone(),
        json!({"a": [1, 0]}),
    );
    ok("$parse('-0')", n.clone(), json!(0));
    ok("$random(7) = $random(7)", n.clone(), json!(true));
    ok("$random() >= 0 and $random() < 1", n.clone(), json!(true));
    let mut env = TestEnv::new();
    let a = run_with("$uuid()", None, &mut env).unwrap().unwrap();
    let b = run_with("$uuid()", None, &mut env).unwrap().unwrap();
    let a = a.as_str().unwrap();
    assert_ne!(Some(a), b.as_str());
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4");
    assert!("89ab".contains(&a[19..20]), "{a}");
    // Same seed, same sequence.
    let c = run_with("[$uuid(), $random()]", None, &mut TestEnv::new()).unwrap();
    let d = run_with("[$uuid(), $random()]", None, &mut TestEnv::new()).unwrap();
    assert_eq!(c, d);
    fails("$range(0, 1e12)", n.clone(), "D2014");
    fails("[0..1e12]", n.clone(), "D2014");
    fails("$hash('a', 'SHA-3')", n.clone(), "D3202");
    fails("$parse('{')", n.clone(), "D3203");
}

#[test]
fn variables_from_host() {
    let mut env = TestEnv::new()
        .with(
            "states",
            json!({"input": {"a": 1, "items": [1, 2, 3]}, "context": {"State": {"Name": "S"}}}),
        )
        .with("sum", json!(99));
    let r = run_with("$states.input.a + $sum", None, &mut env).unwrap();
    assert_eq!(r, Some(json!(100)));
    let r = run_with("($x := $states.input.items; $count($x))", None, &mut env).unwrap();
    assert_eq!(r, Some(json!(3)));
    let r = run_with("$states.context.State.Name", None, &mut env).unwrap();
    assert_eq!(r, Some(json!("S")));
    let r = run_with("$doesNotExist", None, &mut env).unwrap();
    assert_eq!(r, None);
}

#[test]
fn unsupported_and_non_finite_results() {
    let e = fails(
        "$fn := function($x){$x}",
        json!(null),
        EvalError::UNSUPPORTED_RESULT,
    );
    assert!(e.is_unsupported_result());
    fails("[$uppercase]", json!(null), EvalError::UNSUPPORTED_RESULT);
}

#[test]
fn resource_limits() {
    let start = std::time::Instant::now();
    let e = fails("($f := function(){ $f() }; $f())", json!(null), "U1001");
    assert!(e.message.contains("infinite loop"), "{e}");
    let e = fails("($f := function(){ 1 + $f() }; $f())", json!(null), "U1001");
    assert!(e.message.starts_with("Stack overflow"), "{e}");
    fails(
        "($f := function($x){ $f($x) and $f($x) }; $f(1))",
        json!(null),
        "U1001",
    );
    assert!(start.elapsed().as_secs() < 30);
    // Exponential string growth hits the string limit, not memory.
    let limits = EvalLimits {
        max_string_bytes: 1 << 20,
        ..Default::default()
    };
    let expr = parse("($f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }; $f('ab', 64))")
        .unwrap();
    let e = evaluate_with_limits(&expr, None, &mut TestEnv::new(), &limits).unwrap_err();
    assert_eq!(e.code, "D2016");
    fails("$pad('', 1e15)", json!(null), "D2016");
    // A deeply nested value is refused, not a crash.
    let deep =
        parse("($f := function($x, $n){ $n = 0 ? $x : $f([[$x]], $n - 1) }; $f(1, 5000))").unwrap();
    assert!(evaluate(&deep, None, &mut TestEnv::new()).is_err());
}

#[test]
fn garbage_never_panics() {
    let exprs = [
        "",
        "(",
        "$",
        "$$",
        "**",
        "%",
        "[",
        "{",
        "}",
        "$f(",
        "a.b.c[",
        "1..",
        "/x",
        "$match('a', /(/)",
        "$replace('a', /a/, function(){ 1 })",
        "$sort([{}, {}])",
        "$zip()",
        "$string($)",
        "$keys($)",
        "$ ~> |**|{}|",
        "$spread($)",
        "$each($, function(){$})",
        "**[%]",
        "$formatNumber(1, '')",
        "$formatNumber(1, '#;#;#')",
        "$formatInteger(1, '')",
        "$fromMillis(1e20)",
        "$toMillis('2020', '[')",
        "$parseInteger('x', 'a')",
        "$formatBase(1, 99)",
        "$substring('abc', 1e300, -1e300)",
        "$split('abc', '')",
        "$pad('a', -1e9, 'x')",
        "$lookup($, '')",
        "$round(1e300, 400)",
        "$power(-8, 1/3)",
        "$sum([])",
        "$average([])",
        "a#$i#$j.b@$c",
        "$.%.%",
        "$[-1e300]",
        "[1,2,3][1e300]",
        "function($a){$a}(1,2,3)",
        "$range(1, 2, 0)",
        "$partition([1], 0)",
        "$shuffle($)",
        "$sort($, function($a, $b){ $a.x > $b.x })",
        "$distinct($)",
        "$clone($)",
    ];
    let input = json!({"a": [{"b": 1, "x": 2}, {"b": [1, 2]}], "s": "text", "n": null});
    for src in exprs {
        let _ = std::panic::catch_unwind(|| {
            let _ = run(src, &input);
        })
        .map_err(|_| panic!("panicked on {src:?}"));
    }
    // Random token soup.
    let tokens = [
        "$",
        "a",
        ".",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        "1",
        "'s'",
        ",",
        ":",
        "?",
        "~>",
        "|",
        "*",
        "**",
        "%",
        "#$i",
        "@$v",
        "^(",
        "<",
        "$f",
        ":=",
        "function($x)",
        "and",
        "-",
        "/x/",
        "..",
        ";",
        "&",
    ];
    let mut seed = 12345u64;
    for _ in 0..3000 {
        let mut src = String::new();
        for _ in 0..(seed % 12 + 1) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            src.push_str(tokens[((seed >> 33) % tokens.len() as u64) as usize]);
            src.push(' ');
        }
        let r = std::panic::catch_unwind(|| {
            let _ = run(&src, &input);
        });
        assert!(r.is_ok(), "panicked on {src:?}");
    }
}

// ---------------------------------------------------------------------------
// Recorded AWS executions

/// `{% … %}` expressions from the conformance recordings, with the input
/// they saw and the value AWS recorded.
#[test]
fn recorded_expressions() {
    type Case<'s> = (&'s str, J, Vec<(&'s str, J)>, J);
    let table: Vec<Case> = vec![
        ("$contains(\"hello$world\", /^hello\\$/)", json!({}), vec![], json!(true)),
        ("$contains(\"hello$world\", /^hello\\ /)", json!({}), vec![], json!(false)),
        ("$contains('hello$world', /^hello\\$/)", json!({}), vec![], json!(true)),
        ("$contains('hello$world', /^hello\\ /)", json!({}), vec![], json!(false)),
        (
            "$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd)",
            json!(null),
            vec![("states", json!({"input": {"FunctionInput": {"fst": 0, "snd": 9, "trd": 3}}}))],
            json!([0, 3, 6, 9]),
        ),
        (
            "$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd)",
            json!(null),
            vec![("states", json!({"input": {"FunctionInput": {"fst": 0, "snd": 10, "trd": 3}}}))],
            json!([0, 3, 6, 9]),
        ),
        (
            "$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd)",
            json!(null),
            vec![("states", json!({"input": {"FunctionInput": {"fst": 1, "snd": 9, "trd": 9}}}))],
            json!(1),
        ),
        (
            "$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd)",
            json!(null),
            vec![("states", json!({"input": {"FunctionInput": {"fst": 1, "snd": 9, "trd": 2}}}))],
            json!([1, 3, 5, 7, 9]),
        ),
        (
            "$sum($states.input.input_values) + $var_constant_1",
            json!(null),
            vec![
                ("states", json!({"input": {"input_value": "string literal", "input_values": [1, 2, 3]}})),
                ("var_constant_1", json!(1)),
            ],
            json!(7),
        ),
        (
            "$states.input = '\"'",
            json!(null),
            vec![("states", json!({"input": "\""}))],
            json!(true),
        ),
        (
            "$states.input.type = 'Public'",
            json!(null),
            vec![("states", json!({"input": {"type": "Public", "value": 22}}))],
            json!(true),
        ),
        (
            "$exists($status) ? 'completed' : 'running'",
            json!(null),
            vec![("status", json!("completed"))],
            json!("completed"),
        ),
        ("$exists($status) ? 'completed' : 'running'", json!(null), vec![], json!("running")),
        ("[1, 'two', 3]", json!(null), vec![], json!([1, "two", 3])),
        ("[]", json!(null), vec![], json!([])),
        ("[0]", json!(null), vec![], json!([0])),
        ("{'foo': 'bar'}", json!(null), vec![], json!({"foo": "bar"})),
        ("$maxItems := 2", json!(null), vec![], json!(2)),
    ];
    for (src, input, vars, want) in table {
        let mut env = TestEnv::new();
        for (k, v) in vars {
            env.vars.insert(k.to_string(), v);
        }
        let got = run_with(src, Some(&input), &mut env).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!(got.as_ref(), Some(&want), "{src}");
        if let Some(v) = &got {
            // Integers print as integers, as in the recorded histories.
            assert_eq!(
                serde_json::to_string(v).unwrap(),
                serde_json::to_string(&want).unwrap(),
                "{src}"
            );
        }
    }
}

/// Every `JSONata expression` cause text recorded in the conformance
/// histories, reproduced from an evaluation.
#[test]
fn recorded_query_evaluation_causes() {
    let expected_type = |src: &str, field: &str, expected: &str| -> String {
        let mut env = TestEnv::new();
        match run_with(src, None, &mut env) {
            Ok(Some(v)) => {
                let ok_type = json_type_name(&v) == expected;
                assert!(!ok_type, "{src}");
                query_evaluation_cause(
                    src,
                    field,
                    &QueryFailure::UnexpectedType {
                        expected,
                        value: &v,
                    },
                )
            }
            Ok(None) => query_evaluation_cause(src, field, &QueryFailure::Undefined),
            Err(e) => query_evaluation_cause(src, field, &QueryFailure::Threw(&e)),
        }
    };
    let cases = [
        (" $doesNotExist ", "Output/error", "The JSONata expression '$doesNotExist' specified for the field 'Output/error' returned nothing (undefined)."),
        (" $doesNotExist ", "Arguments", "The JSONata expression '$doesNotExist' specified for the field 'Arguments' returned nothing (undefined)."),
        (" $doesNotExist ", "Arguments/FunctionName", "The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined)."),
        (" $doesNotExist ", "Assign/result", "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined)."),
        (" $doesNotExist ", "Output", "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined)."),
        (" $doesNotExist ", "Output/result", "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."),
        (" $fn := function($x){$x} ", "Items", "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type."),
        (" 'string' ", "Items", "The JSONata expression ''string'' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\""),
        (" 1 ", "Items", "The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1"),
        (" null ", "Items", "The JSONata expression 'null' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'null' for value: null"),
        (" true ", "Items", "The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'boolean' for value: true"),
        (" {'foo': 'bar'} ", "Items", "The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"),
        (" $randomSeeded(1) ", "Output", "The JSONata expression '$randomSeeded(1)' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function"),
    ];
    for (src, field, want) in cases {
        assert_eq!(expected_type(src, field, "array"), want);
    }
    // Variables holding the wrong type (`$ItemsVar`).
    for (v, want) in [
        (
            json!(true),
            "Expected 'array', but was 'boolean' for value: true",
        ),
        (
            json!(null),
            "Expected 'array', but was 'null' for value: null",
        ),
        (json!(1), "Expected 'array', but was 'number' for value: 1"),
        (
            json!({"foo": "bar"}),
            "Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}",
        ),
        (
            json!("string"),
            "Expected 'array', but was 'string' for value: \"string\"",
        ),
    ] {
        let mut env = TestEnv::new().with("ItemsVar", v);
        let got = run_with("$ItemsVar", None, &mut env).unwrap().unwrap();
        let cause = query_evaluation_cause(
            "$ItemsVar",
            "Items",
            &QueryFailure::UnexpectedType {
                expected: "array",
                value: &got,
            },
        );
        assert_eq!(
            cause,
            format!("The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. {want}")
        );
    }
    assert_eq!(
        state_error_prefix("MapIterateState", 2),
        "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). "
    );
}

/// The causes recorded in the histories all appear among those rendered
/// above (guards against drift if recordings are added).
#[test]
fn recorded_causes_are_covered() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/conformance/cases");
    let root = if root.exists() {
        root
    } else {
        std::path::PathBuf::from("/work/shared/conformance/cases")
    };
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return;
    };
    let mut found = 0;
    for group in dirs.flatten() {
        for case in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let Ok(text) = std::fs::read_to_string(case.path().join("history.json")) else {
                continue;
            };
            for line in text.lines() {
                if let Some(i) = line.find("The JSONata expression '") {
                    found += 1;
                    let cause = line[i..].trim_end_matches(',').trim_end_matches('"');
                    let cause = cause.replace("\\\"", "\"");
                    assert!(
                        cause.contains("returned nothing (undefined).")
                            || cause.contains("returned an unsupported result type.")
                            || cause.contains("returned an unexpected result type. Expected '")
                            || cause.contains("threw an error during evaluation. "),
                        "unrecognised cause form: {cause}"
                    );
                }
            }
        }
    }
    let _ = found;
}
