//! Tests across parser, evaluation and assignment; several come straight
//! from recorded AWS executions under `conformance/cases`.

use serde_json::{json, Value};

use super::*;

fn p(src: &str) -> Path {
    parse(src).unwrap_or_else(|e| panic!("{src:?} should parse: {e}"))
}

fn err(src: &str) -> PathError {
    match parse(src) {
        Ok(path) => panic!("{src:?} should not parse, got {path:?}"),
        Err(e) => e,
    }
}

fn sel(src: &str, doc: &Value) -> Value {
    p(src)
        .select(doc)
        .unwrap_or_else(|m| panic!("{src:?}: {m}"))
}

fn miss(src: &str, doc: &Value) -> PathMiss {
    match p(src).select(doc) {
        Ok(v) => panic!("{src:?} should miss, got {v}"),
        Err(m) => m,
    }
}

fn name(n: &str) -> Step {
    Step::Name(n.into())
}

// ----- parsing ------------------------------------------------------------------

#[test]
fn roots() {
    assert_eq!(p("$").root(), &Root::Input);
    assert_eq!(p("$$").root(), &Root::Context);
    assert_eq!(
        p("$$.Execution.Input").steps(),
        &[name("Execution"), name("Input")]
    );
    assert_eq!(
        p("$customerName").root(),
        &Root::Variable("customerName".into())
    );
    let var = p("$x.y[0]");
    assert_eq!(var.root(), &Root::Variable("x".into()));
    assert_eq!(var.steps(), &[name("y"), Step::Index(0)]);
    assert_eq!(
        p("$constant_obj.in_obj_constant_lst").root(),
        &Root::Variable("constant_obj".into())
    );
}

#[test]
fn dot_names_accept_what_recorded_definitions_use() {
    // map/TestBaseScenarios__test_map_state_item_selector_*,
    // context_object/TestSnfBase__test_variable.
    assert_eq!(p("$.delivery-partner").steps(), &[name("delivery-partner")]);
    assert_eq!(
        p("$$.Execution.Input.input-value").steps(),
        &[name("Execution"), name("Input"), name("input-value")]
    );
    assert_eq!(p("$.héllo.日本").steps(), &[name("héllo"), name("日本")]);
    assert_eq!(p("$.a:b#c").steps(), &[name("a:b#c")]);
    assert_eq!(p("$.0").steps(), &[name("0")]);
}

#[test]
fn bracket_names_and_escapes() {
    assert_eq!(p("$['a b']").steps(), &[name("a b")]);
    assert_eq!(p("$[\"a.b\"]").steps(), &[name("a.b")]);
    assert_eq!(p(r"$['it\'s']").steps(), &[name("it's")]);
    assert_eq!(p(r"$['back\\slash']").steps(), &[name(r"back\slash")]);
    // scenarios/TestBaseScenarios__test_escape_sequence_parsing_ESCAPE_SEQUENCES_JSONPATH:
    // a backslash before another character is literal.
    assert_eq!(
        p(r#"$['Test\""Name"']"#).steps(),
        &[name(r#"Test\""Name""#)]
    );
    assert_eq!(
        p("$[ 'a' , 'b' ]").steps(),
        &[Step::Names(vec!["a".into(), "b".into()])]
    );
}

#[test]
fn indexes_slices_unions_wildcards() {
    assert_eq!(p("$[0]").steps(), &[Step::Index(0)]);
    assert_eq!(p("$.books[-2]").steps(), &[name("books"), Step::Index(-2)]);
    assert_eq!(p("$[0, 1,-1]").steps(), &[Step::Indexes(vec![0, 1, -1])]);
    assert_eq!(p("$.*").steps(), &[Step::Wildcard]);
    assert_eq!(p("$[*]").steps(), &[Step::Wildcard]);
    let slice = |start, end, step| Step::Slice { start, end, step };
    assert_eq!(p("$[1:]").steps(), &[slice(Some(1), None, None)]);
    assert_eq!(p("$[:2]").steps(), &[slice(None, Some(2), None)]);
    assert_eq!(p("$[-2:]").steps(), &[slice(Some(-2), None, None)]);
    assert_eq!(p("$[::-1]").steps(), &[slice(None, None, Some(-1))]);
    assert_eq!(p("$[1:5:2]").steps(), &[slice(Some(1), Some(5), Some(2))]);
}

#[test]
fn descendants() {
    let d = |s: Step| Step::Descendant(Box::new(s));
    assert_eq!(p("$..name").steps(), &[d(name("name"))]);
    assert_eq!(p("$..*").steps(), &[d(Step::Wildcard)]);
    assert_eq!(p("$..[*]").steps(), &[d(Step::Wildcard)]);
    assert_eq!(p("$..['a']").steps(), &[d(name("a"))]);
    assert_eq!(p("$..[0]").steps(), &[d(Step::Index(0))]);
}

#[test]
fn filters_parse() {
    let path = p("$[?(@.price < 10 && @.x == 'a')]");
    let Step::Filter(filter) = &path.steps()[0] else {
        panic!("expected a filter")
    };
    assert!(matches!(**filter, Filter::And(..)));
    p("$..book[?(@.isbn)]");
    p("$[?(!@.isbn)]");
    p("$[?(@.a || @.b && !(@.c >= 2))]");
    p("$[?(@.price<$.max)]");
    p("$[?(@['a b'][0] != null)]");
    p("$[?(@.x == true || @.y == false || @.z == -1.5e3)]");
    p("$[?(@ == 'x')]");
    // LocalStack's AWS-validated pass_result_regex_json_path template.
    p("$.[?(@.year < 1999)].name");
    p("$.users[?(@.status == 0)]");
}

#[test]
fn rejects_with_clear_messages() {
    let cases: &[(&str, &str)] = &[
        ("", "empty path"),
        ("a.b", "must start with '$'"),
        (" $.a", "whitespace"),
        ("$.a ", "whitespace"),
        ("$.", "expected a field name"),
        ("$..", "expected a field name"),
        ("$...a", "too many dots"),
        ("$a-b", "variable name"),
        ("$[", "expected a quoted name"),
        ("$[0", "unclosed '['"),
        ("$['a'", "unclosed '['"),
        ("$['a", "unterminated string"),
        ("$[]", "empty brackets"),
        ("$[a]", "expected a quoted name"),
        ("$[0:2:0]", "step cannot be 0"),
        ("$[99999999999999999999]", "index out of range"),
        ("$[-]", "digits after '-'"),
        ("$.a]", "unbalanced"),
        ("$.length()", "functions"),
        ("$[(@.length-1)].bar", "script expressions"),
        ("$[?@.a]", "'[?(…)]'"),
        ("$[?(@.a =~ /x/)]", "'=~' is not supported"),
        ("$[?(@.a in ['x'])]", "operator 'in' is not supported"),
        ("$[?(@.a = 1)]", "use '=='"),
        ("$[?(1)]", "literal alone"),
        ("$[?(@.a == abc)]", "unknown word"),
        ("$[?(@.a == 1.2.3)]", "not a valid number"),
        ("$[?(@..a)]", "'..' is not supported"),
        ("$[?(@.a[*])]", "only ['name'] and [index]"),
        ("$[?(@.a == 1)", "expected ']'"),
        ("$[?(@.a == 1]", "')' closing the filter"),
    ];
    for (src, needle) in cases {
        let e = err(src);
        assert!(
            e.message.contains(needle),
            "{src:?}: {:?} lacks {needle:?}",
            e.message
        );
        assert!(
            e.span.end as usize <= src.len(),
            "{src:?}: span {:?} outside",
            e.span
        );
        assert!(
            src.is_char_boundary(e.span.start as usize)
                && src.is_char_boundary(e.span.end as usize)
        );
    }
}

#[test]
fn error_spans_point_at_the_problem() {
    assert_eq!(err("$.a b").span, crate::span::Span::new(3, 4));
    assert_eq!(err("$['x']z").span, crate::span::Span::new(6, 7));
    assert_eq!(err("$.é]").span, crate::span::Span::new(4, 5));
    assert_eq!(err("$[?(@.a =~ /x/)]").span, crate::span::Span::new(8, 10));
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    for src in [
        "[".repeat(100_000),
        format!("$[?({}", "(".repeat(100_000)),
        format!("$[?({}@.a)]", "!".repeat(100_000)),
        format!("$[?({}@.a{})]", "(".repeat(100_000), ")".repeat(100_000)),
        format!("${}", "[0]".repeat(100_000)),
        format!("${}", "..a".repeat(50_000)),
    ] {
        let _ = parse(&src);
    }
    let deep = format!("$[?({}@.a{})]", "(".repeat(200), ")".repeat(200));
    assert!(err(&deep).message.contains("nested too deeply"));
    let ok = format!(
        "$[?({}@.a{})]",
        "(".repeat(MAX_FILTER_DEPTH - 2),
        ")".repeat(MAX_FILTER_DEPTH - 2)
    );
    p(&ok);
}

#[test]
fn garbage_never_panics() {
    const ALPHABET: &[&str] = &[
        "$",
        "$$",
        ".",
        "..",
        "[",
        "]",
        "(",
        ")",
        "?",
        "@",
        "*",
        ":",
        ",",
        "-",
        "'",
        "\"",
        "\\",
        " ",
        "=",
        "==",
        "!",
        "!=",
        "<",
        ">=",
        "&&",
        "||",
        "=~",
        "0",
        "7",
        "-1",
        "1.5e",
        "a",
        "name",
        "é",
        "日",
        "\u{1F600}",
        "true",
        "null",
        "/",
        "in",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let doc = json!({"a": [1, {"b": "x"}, null], "n": 2, "s": "t", "o": {"a": {"a": []}}});
    let mut parsed = 0;
    for _ in 0..20_000 {
        let len = (next() % 24) as usize;
        let mut src: String = if next() % 4 == 0 {
            String::new()
        } else {
            "$".into()
        };
        for _ in 0..len {
            src.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
        }
        match parse(&src) {
            Ok(path) => {
                parsed += 1;
                let _ = path.select(&doc);
                let _ = path.set(&mut doc.clone(), json!(1));
                let again = parse(&path.to_string());
                assert_eq!(again.as_ref().ok(), Some(&path), "{src:?} → {path}");
            }
            Err(e) => {
                assert!(e.span.end as usize <= src.len());
                assert!(src.is_char_boundary(e.span.start as usize), "{src:?} {e:?}");
                assert!(src.is_char_boundary(e.span.end as usize), "{src:?} {e:?}");
            }
        }
    }
    assert!(parsed > 500, "only {parsed} of the random strings parsed");
}

#[test]
fn random_well_formed_paths_round_trip_and_evaluate() {
    const STEPS: &[&str] = &[
        ".a",
        ".b-c",
        ".é",
        "['x y']",
        "[\"q'\"]",
        "[0]",
        "[-1]",
        "[0,2]",
        "['a','b']",
        "[*]",
        ".*",
        "..a",
        "..*",
        "..[0]",
        "[1:]",
        "[:-1]",
        "[::2]",
        "[?(@.a)]",
        "[?(@.a == 1 || !@.b)]",
        "[?(@['x'] < $.n && @.a != 'a')]",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let doc = json!({"a": [{"a": 1, "b": [1, 2]}, {"x y": 3}], "n": 2, "b-c": {"a": {"a": []}}});
    for _ in 0..5_000 {
        let mut src = String::from(["$", "$$", "$v"][(next() % 3) as usize]);
        for _ in 0..next() % 6 {
            src.push_str(STEPS[(next() % STEPS.len() as u64) as usize]);
        }
        let path = p(&src);
        assert_eq!(p(&path.to_string()), path, "{src} → {path}");
        if let Ok(value) = path.select(&doc) {
            assert!(path.yields_single_value() || value.is_array(), "{src}");
        }
    }
}

#[test]
fn display_round_trips() {
    for src in [
        "$",
        "$$",
        "$var",
        "$.a.b[0][-1]",
        "$['a b']['it\\'s']",
        "$..a..[*]..*..[0]..['x y']",
        "$['a','b']",
        "$[0,1]",
        "$[1:][:2][::-1][1:5:2]",
        "$[?(@.a == 'x' && (@.b < 1 || !@.c) || !(@.d != null))]",
        "$[?(!!@.a && @['x y'][0] >= $.max)]",
        "$.*",
    ] {
        let path = p(src);
        let shown = path.to_string();
        assert_eq!(p(&shown), path, "{src} → {shown}");
    }
    assert_eq!(p("$['a']").to_string(), "$.a");
    assert_eq!(p("$.*").to_string(), "$[*]");
    assert_eq!(p("$[?(@.x<1&&@.y)]").to_string(), "$[?(@.x < 1 && @.y)]");
    assert_eq!(p("$..['a']").to_string(), "$..a");
}

#[test]
fn bracket_rendering_matches_jayway() {
    assert_eq!(
        p("$.NoSuchInputPath").to_bracket_string(),
        "$['NoSuchInputPath']"
    );
    assert_eq!(p("$.items[0].a").to_bracket_string(), "$['items'][0]['a']");
    assert_eq!(
        p("$..a[*][1:3][?(@.x)]").to_bracket_string(),
        "$..['a'][*][1:3][?]"
    );
    assert_eq!(p("$['a','b'][0,1]").to_bracket_string(), "$['a','b'][0,1]");
}

#[test]
fn definiteness_and_reference_paths() {
    assert!(p("$").is_definite());
    assert!(p("$.a['b'][0][-1]").is_reference_path());
    for src in [
        "$.a[*]",
        "$..a",
        "$['a','b']",
        "$[0,1]",
        "$[1:]",
        "$[?(@.a)]",
        "$.*",
    ] {
        assert!(!p(src).is_definite(), "{src}");
    }
    assert!(p("$.x['a','b']").yields_single_value());
    assert!(!p("$[*]['a','b']").yields_single_value());

    assert_eq!(parse_reference_path("$.a[0]").unwrap(), p("$.a[0]"));
    assert_eq!(
        parse_reference_path("$$.Map.Item.Value").unwrap().root(),
        &Root::Context
    );
    let e = parse_reference_path("$.a[*].b").unwrap_err();
    assert!(e.message.contains("not a reference path"), "{}", e.message);
    assert_eq!(e.span, crate::span::Span::new(3, 6));
    let e = parse_reference_path("$.a..b").unwrap_err();
    assert_eq!(e.span, crate::span::Span::new(3, 6));
    assert!(parse_reference_path("$.a[").is_err());
}

#[test]
fn parse_spanned_reports_each_step() {
    let (path, spans) = parse_spanned("$.a['b'][0]..c").unwrap();
    assert_eq!(path.steps().len(), spans.len());
    let texts: Vec<_> = spans.iter().map(|s| &"$.a['b'][0]..c"[s.range()]).collect();
    assert_eq!(texts, [".a", "['b']", "[0]", "..c"]);
}

// ----- evaluation ----------------------------------------------------------------

#[test]
fn definite_paths_return_the_value() {
    // base/TestSnfBase__test_json_path_array_access_.items_0 and _10.
    let items: Vec<Value> = (0..=10).map(|i| json!({"item_key": i})).collect();
    let input = json!({ "items": items });
    assert_eq!(sel("$.items[0]", &input), json!({"item_key": 0}));
    assert_eq!(sel("$.items[10]", &input), json!({"item_key": 10}));
    assert_eq!(sel("$.items[-1].item_key", &input), json!(10));
    assert_eq!(sel("$", &input), input);
    // §4.4: a present null is a value.
    assert_eq!(sel("$.x", &json!({"x": null})), Value::Null);
}

#[test]
fn recorded_filter_returns_an_array() {
    // base/TestSnfBase__test_state_pass_regex_json_path_base.
    let input = json!({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]});
    assert_eq!(
        sel("$.users[?(@.status == 0)]", &input),
        json!([{"year": 1997, "status": 0}])
    );
    assert_eq!(sel("$.users[?(@.status == 5)]", &input), json!([]));
}

#[test]
fn recorded_escaped_key() {
    // scenarios/TestBaseScenarios__test_escape_sequence_parsing_ESCAPE_SEQUENCES_JSONPATH.
    let input: Value = serde_json::from_str(r#"{"Test\\\"\"Name\"": "Value\"\\"}"#).unwrap();
    let path_text: String = serde_json::from_str(r#""$['Test\\\"\"Name\"']""#).unwrap();
    assert_eq!(sel(&path_text, &input), json!("Value\"\\"));
}

#[test]
fn localstack_regex_template_chain() {
    // LocalStack's AWS-validated pass_result_regex_json_path template.
    let books = json!([{"year": 1997, "name": "a"}, {"year": 1998, "name": "b"}, {"year": 2001, "name": "c"}]);
    assert_eq!(
        sel("$[?(@.year <= 1999)]", &books),
        json!([books[0], books[1]])
    );
    assert_eq!(sel("$.[?(@.year < 1998)].name", &books), json!(["a"]));
}

#[test]
fn wildcards_unions_slices() {
    let doc = json!({"a": [10, 20, 30, 40, 50], "o": {"x": 1, "y": 2}});
    assert_eq!(sel("$.a[*]", &doc), json!([10, 20, 30, 40, 50]));
    assert_eq!(sel("$.o.*", &doc), json!([1, 2]));
    assert_eq!(sel("$.a[0,2,-1,9]", &doc), json!([10, 30, 50]));
    assert_eq!(sel("$.a[1:3]", &doc), json!([20, 30]));
    assert_eq!(sel("$.a[-2:]", &doc), json!([40, 50]));
    assert_eq!(sel("$.a[:2]", &doc), json!([10, 20]));
    assert_eq!(sel("$.a[3:]", &doc), json!([40, 50]));
    assert_eq!(sel("$.a[::2]", &doc), json!([10, 30, 50]));
    assert_eq!(sel("$.a[::-2]", &doc), json!([50, 30, 10]));
    assert_eq!(sel("$.a[-100:100]", &doc), doc["a"]);
    assert_eq!(sel("$.a[4:1:-1]", &doc), json!([50, 40, 30]));
    assert_eq!(sel("$.a[3:1]", &doc), json!([]));
    // The spec's example (states-language issue #12): `$.vals[3:]`.
    assert_eq!(
        sel("$.vals[3:]", &json!({"vals": [0, 10, 20, 30, 40, 50]})),
        json!([30, 40, 50])
    );
    assert_eq!(sel("$.*", &json!(5)), json!([]));
}

#[test]
fn multi_name_leaf_merges_like_jayway() {
    let doc = json!({"x": {"a": 1, "b": 2, "c": 3}, "l": [{"a": 1}, {"b": 2}, 7]});
    assert_eq!(sel("$.x['c','a','zz']", &doc), json!({"c": 3, "a": 1}));
    assert_eq!(sel("$.l[*]['a','b']", &doc), json!([{"a": 1}, {"b": 2}]));
    assert_eq!(sel("$['x','l'][0]", &doc), json!([{"a": 1}]));
}

#[test]
fn recursive_descent_in_document_order() {
    let doc = json!({"a": {"name": 1, "b": [{"name": 2}, {"c": {"name": 3}}]}, "name": 0});
    assert_eq!(sel("$..name", &doc), json!([0, 1, 2, 3]));
    let doc = json!({"a": {"b": 1}, "c": [2, {"d": 3}]});
    assert_eq!(
        sel("$..*", &doc),
        json!([{"b": 1}, [2, {"d": 3}], 1, 2, {"d": 3}, 3])
    );
    assert_eq!(sel("$..[0]", &doc), json!([2]));
    let books = json!({"store": {"book": [{"price": 8}, {"price": 12, "isbn": "x"}], "bike": {"price": 5}}});
    assert_eq!(sel("$..book[?(@.isbn)].price", &books), json!([12]));
    assert_eq!(
        sel("$..[?(@.price < 10)]", &books),
        json!([{"price": 8}, {"price": 5}])
    );
}

#[test]
fn filters_on_objects_test_the_object_itself() {
    let doc = json!({"o": {"x": 1}});
    assert_eq!(sel("$.o[?(@.x == 1)]", &doc), json!([{"x": 1}]));
    assert_eq!(sel("$.o[?(@.x == 2)]", &doc), json!([]));
}

#[test]
fn filters_combine_and_reference_the_root() {
    let doc = json!({"max": 10, "items": [{"p": 5, "t": "a"}, {"p": 15, "t": "a"}, {"p": 1, "t": "b"}, {"q": 1}]});
    assert_eq!(
        sel("$.items[?(@.p < $.max && @.t == 'a')].p", &doc),
        json!([5])
    );
    assert_eq!(
        sel("$.items[?(@.p > 10 || @.t == 'b')].p", &doc),
        json!([15, 1])
    );
    assert_eq!(sel("$.items[?(!@.p)]", &doc), json!([{"q": 1}]));
    assert_eq!(
        sel("$.items[?(@.t != 'a')]", &doc),
        json!([{"p": 1, "t": "b"}, {"q": 1}])
    );
}

#[test]
fn variables_and_context_evaluate_against_the_given_document() {
    let value = json!({"y": [7, 8]});
    assert_eq!(sel("$x.y[1]", &value), json!(8));
    let context = json!({"Execution": {"Input": {"input-value": "v"}}});
    assert_eq!(sel("$$.Execution.Input.input-value", &context), json!("v"));
}

#[test]
fn select_ref_borrows() {
    let doc = json!({"a": {"b": [1, 2]}});
    match p("$.a.b").select_ref(&doc).unwrap() {
        Selection::One(std::borrow::Cow::Borrowed(v)) => assert!(std::ptr::eq(v, &doc["a"]["b"])),
        other => panic!("expected a borrowed value, got {other:?}"),
    }
    match p("$.a.b[*]").select_ref(&doc).unwrap() {
        Selection::Many(values) => assert!(values
            .iter()
            .all(|v| matches!(v, std::borrow::Cow::Borrowed(_)))),
        other => panic!("expected many, got {other:?}"),
    }
}

#[test]
fn deep_documents_do_not_overflow() {
    let mut doc = json!(1);
    for _ in 0..50_000 {
        doc = Value::Array(vec![doc]);
    }
    assert_eq!(p("$..[?(@.x)]").select(&doc).unwrap(), json!([]));
    assert_eq!(p("$..missing").select(&doc).unwrap(), json!([]));
    // Free iteratively: dropping 50k nested arrays recursively could itself
    // overflow the test thread's stack.
    let mut current = doc;
    while let Value::Array(mut items) = current {
        current = items.pop().unwrap_or(Value::Null);
    }
}

// ----- AWS miss texts --------------------------------------------------------------

#[test]
fn recorded_no_results_texts() {
    // scenarios/TestBaseScenarios__test_invalid_jsonpath_* (InputPath,
    // OutputPath, TimeoutSecondsPath).
    for field in [
        "NoSuchInputPath",
        "NoSuchOutputPath",
        "NoSuchTimeoutSecondsPath",
    ] {
        let src = format!("$.{field}");
        let m = miss(&src, &json!({"Input": 1}));
        assert_eq!(m.kind(), MissKind::NoResults);
        assert_eq!(
            m.invalid_path_cause(&src),
            format!("Invalid path '{src}' : No results for path: $['{field}']")
        );
    }
}

#[test]
fn recorded_missing_property_text() {
    // error_handling/TestBaseScenarios__test_catch_states_runtime.
    let m = miss("$.no.such.result.path", &json!({"Payload": {}}));
    assert_eq!(m.kind(), MissKind::MissingProperty);
    assert_eq!(m.at(), "$['no']");
    assert_eq!(
        m.invalid_path_cause("$.no.such.result.path"),
        "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
    );
}

#[test]
fn recorded_field_not_found_texts() {
    // scenarios/TestBaseScenarios__test_invalid_jsonpath_* (the history
    // normalises the input to a placeholder; here it is rendered compactly).
    let input = json!({"a": 1, "b": [true]});
    assert_eq!(
        field_not_found_cause("$.no_such_jsonpath", "value.$", &input),
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input \
         '{\"a\":1,\"b\":[true]}'"
    );
    assert_eq!(
        field_not_found_cause("$.ErrorX", "ErrorPath", &input),
        "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input \
         '{\"a\":1,\"b\":[true]}'"
    );
}

#[test]
fn where_a_definite_path_breaks() {
    let doc = json!({"a": {"b": 1}, "l": [1, 2], "n": null});
    assert_eq!(
        miss("$.a.c", &doc).detail(),
        "No results for path: $['a']['c']"
    );
    assert_eq!(
        miss("$.a.c.d", &doc).detail(),
        "Missing property in path $['a']['c']"
    );
    assert_eq!(
        miss("$.l[5]", &doc).detail(),
        "No results for path: $['l'][5]"
    );
    assert_eq!(
        miss("$.l[5].x", &doc).detail(),
        "No results for path: $['l'][5]['x']"
    );
    let m = miss("$.a.b.c", &doc);
    assert_eq!(
        (m.kind(), m.parent(), m.step()),
        (MissKind::NotAnObject, "$['a']['b']", "['c']")
    );
    assert!(m.detail().starts_with(
        "Expected to find an object with property ['c'] in path $['a']['b'] but found"
    ));
    assert_eq!(miss("$.n.x", &doc).kind(), MissKind::NotAnObject);
    let m = miss("$.a[0]", &doc);
    assert_eq!(m.kind(), MissKind::NotAnArray);
    assert_eq!(
        m.detail(),
        "Filter: [0] can only be applied to arrays. Current context is: {\"b\":1}"
    );
}

#[test]
fn indefinite_paths_only_fail_in_their_definite_prefix() {
    let doc = json!({"a": {"b": 1}, "l": [{"x": 1}, {"y": 2}], "s": "str"});
    assert_eq!(
        miss("$.missing[*]", &doc).detail(),
        "Missing property in path $['missing']"
    );
    assert_eq!(miss("$.s[1:]", &doc).kind(), MissKind::NotAnArray);
    assert_eq!(
        miss("$.s[?(@.x)]", &doc).kind(),
        MissKind::FilterOnPrimitive
    );
    assert_eq!(miss("$.s['a','b']", &doc).kind(), MissKind::NotAnObject);
    assert_eq!(
        miss("$.missing['a','b']", &doc).kind(),
        MissKind::MissingProperty
    );
    assert_eq!(sel("$.l[*].x", &doc), json!([1]));
    assert_eq!(sel("$.l[*].x.deeper", &doc), json!([]));
    assert_eq!(sel("$.l[9][*]", &doc), json!([]));
    assert_eq!(sel("$.s[*]", &doc), json!([]));
    assert_eq!(sel("$..zz", &doc), json!([]));
}

// ----- ResultPath ----------------------------------------------------------------

fn set(src: &str, mut target: Value, value: Value) -> Result<Value, SetError> {
    parse_reference_path(src)
        .unwrap()
        .set(&mut target, value)
        .map(|()| target)
}

#[test]
fn set_places_results() {
    assert_eq!(set("$", json!({"a": 1}), json!(7)).unwrap(), json!(7));
    assert_eq!(
        set("$.r", json!({"a": 1}), json!(7)).unwrap(),
        json!({"a": 1, "r": 7})
    );
    assert_eq!(
        set("$.a", json!({"a": 1, "z": 2}), json!(7))
            .unwrap()
            .to_string(),
        r#"{"a":7,"z":2}"#,
        "replacing keeps the key's position"
    );
    assert_eq!(
        set("$.x.y.z", json!({}), json!(7)).unwrap(),
        json!({"x": {"y": {"z": 7}}})
    );
    assert_eq!(
        set("$.l[1]", json!({"l": [1, 2]}), json!(7)).unwrap(),
        json!({"l": [1, 7]})
    );
    assert_eq!(
        set("$.l[-1].k", json!({"l": [{}, {}]}), json!(7)).unwrap(),
        json!({"l": [{}, {"k": 7}]})
    );
    assert_eq!(
        set("$['a b']", json!({}), json!(null)).unwrap(),
        json!({"a b": null})
    );
}

#[test]
fn set_failures_leave_the_target_alone() {
    let cases: &[(&str, Value, SetErrorKind, &str)] = &[
        ("$.x", json!("scalar"), SetErrorKind::NotAnObject, "$['x']"),
        (
            "$.a.b",
            json!({"a": 1}),
            SetErrorKind::NotAnObject,
            "$['a']['b']",
        ),
        (
            "$.a.b",
            json!({"a": null}),
            SetErrorKind::NotAnObject,
            "$['a']['b']",
        ),
        (
            "$.a.b",
            json!({"a": [1]}),
            SetErrorKind::NotAnObject,
            "$['a']['b']",
        ),
        (
            "$.l[2]",
            json!({"l": [1, 2]}),
            SetErrorKind::IndexOutOfRange,
            "$['l'][2]",
        ),
        (
            "$.l[0]",
            json!({"l": {}}),
            SetErrorKind::NotAnArray,
            "$['l'][0]",
        ),
        (
            "$.new.deeper[0]",
            json!({}),
            SetErrorKind::NotAnArray,
            "$['new']['deeper'][0]",
        ),
    ];
    for (src, target, kind, at) in cases {
        let mut copy = target.clone();
        let e = parse_reference_path(src)
            .unwrap()
            .set(&mut copy, json!(1))
            .unwrap_err();
        assert_eq!((&e.kind, e.at.as_str()), (kind, *at), "{src}");
        assert_eq!(&copy, target, "{src}: target modified");
    }
}

#[test]
fn set_rejects_non_input_and_non_reference_paths() {
    let mut doc = json!({});
    assert_eq!(
        p("$$.x").set(&mut doc, json!(1)).unwrap_err().kind,
        SetErrorKind::NotInputRooted
    );
    assert_eq!(
        p("$v.x").set(&mut doc, json!(1)).unwrap_err().kind,
        SetErrorKind::NotInputRooted
    );
    assert_eq!(
        p("$.a[*]").set(&mut doc, json!(1)).unwrap_err().kind,
        SetErrorKind::NotAReferencePath
    );
    assert_eq!(doc, json!({}));
}

#[test]
fn result_path_match_failure_cause() {
    let e = set("$.x", json!("s"), json!(1)).unwrap_err();
    assert_eq!(RESULT_PATH_MATCH_FAILURE, "States.ResultPathMatchFailure");
    assert_eq!(
        e.cause("$.x", &json!("s")),
        "Unable to apply ReferencePath $.x to input '\"s\"'"
    );
}

/// Every JSONPath in the recorded definitions under `conformance/cases`
/// (`…Path`, `Variable` and `.$` fields; intrinsic calls excluded), as JSON.
const RECORDED_REFERENCE_PATHS: &str = r##"[
    "$", "$$.Execution.Input.input-value", "$$.State.Name", "$$.StateMachine.Name", "$.Cause",
    "$.Error", "$.ErrorX", "$.HeartbeatSecondsPath", "$.Iterations", "$.MaxConcurrencyValue",
    "$.MaxItems", "$.NoSuchCausePath", "$.NoSuchTimeoutSecondsPath", "$.State1Output",
    "$.State2Output", "$.TaskFailedError", "$.ToleratedFailureCount", "$.Values", "$.arr",
    "$.aws_error", "$.caught", "$.client_error", "$.content", "$.deleteItemOutput",
    "$.detail.shipped_output", "$.enigma.mystery", "$.error", "$.final", "$.getItemOutput",
    "$.input.waitSeconds", "$.loop", "$.putItemOutput", "$.queryOutput", "$.query_values_1",
    "$.query_values_2", "$.result", "$.result_path", "$.start_at", "$.state_output",
    "$.states_all_error", "$.states_runtime_error", "$.status", "$.theAnswer", "$.type",
    "$.updateItemOutput", "$answer", "$causeVar", "$errorVar", "$guess", "$maxBytesPerBatch",
    "$maxConcurrency", "$maxItems", "$maxItemsPerBatch", "$startAt", "$timeout",
    "$toleratedFailureCount", "$toleratedFailurePercentage", "$waitTime"
]"##;

/// The recorded InputPath / OutputPath / ItemsPath / `.$` paths.
const RECORDED_PATHS: &str = r##"[
    "$$", "$$.Execution", "$$.Execution.Id", "$$.Execution.Input",
    "$$.Execution.Input.CredentialsRoleArn", "$$.Execution.Input.TaskToken",
    "$$.Execution.Input.no_such_jsonpath", "$$.Execution.Name", "$$.Execution.RoleArn",
    "$$.Execution.StartTime", "$$.Map.Item.Index", "$$.Map.Item.Value",
    "$$.Map.Item.Value.innerJobs", "$$.State", "$$.State.EnteredTime", "$$.State.RetryCount",
    "$$.StateMachine", "$$.StateMachine.Id", "$$.Task.Token", "$.AnnouncePokemon", "$.Bucket",
    "$.CredentialsRoleArn", "$.Entries", "$.ExpressionAttributeValues", "$.FunctionName",
    "$.FunctionNameBranch1", "$.FunctionNameBranch2", "$.Input", "$.Inputs", "$.Item", "$.Item.id",
    "$.Items", "$.Key", "$.LogType", "$.Message", "$.MessageAttributeValue1",
    "$.MessageAttributeValue2", "$.MessageBody", "$.MessageDeduplicationId", "$.MessageGroupId",
    "$.Name", "$.NoSuchInputPath", "$.NoSuchOutputPath", "$.Payload", "$.QueueUrl",
    "$.SecretString", "$.StateMachineArn", "$.TableName", "$.TopicArn", "$.UpdateExpression",
    "$.answer", "$.body.arg1", "$.body.arg2", "$.content.bucket", "$.content.values",
    "$.delivery-partner", "$.detail", "$.innerJobs", "$.input", "$.input_value", "$.items[0]",
    "$.items[10]", "$.job", "$.jsonpath", "$.no.such.result.path", "$.no_such_jsonpath",
    "$.outerJobs", "$.result_path.merged", "$.result_value", "$.shipped", "$.theQuestion",
    "$.users[?(@.status == 0)]", "$PokemonList", "$Question", "$['Test\\\"\"Name\"']", "$[0]",
    "$[1]", "$[2]", "$constant_bool", "$constant_float", "$constant_int", "$constant_lst",
    "$constant_lst_empty", "$constant_null", "$constant_obj", "$constant_obj.in_obj_constant_lst",
    "$constant_obj_empty", "$constant_str", "$constant_str_contextpath",
    "$constant_str_contextpath_root", "$constant_str_intrinsic_func", "$constant_str_jsonata_expr",
    "$constant_str_path", "$constant_str_path_root", "$constant_str_var", "$constant_str_var_expr",
    "$functionName", "$inputData", "$items", "$result", "$resultVar", "$roleArn", "$theAnswer",
    "$theAnswerVar", "$x"
]"##;

#[test]
fn every_recorded_path_parses() {
    let reference: Vec<String> = serde_json::from_str(RECORDED_REFERENCE_PATHS).unwrap();
    let paths: Vec<String> = serde_json::from_str(RECORDED_PATHS).unwrap();
    assert_eq!((reference.len(), paths.len()), (58, 105));
    for src in &reference {
        let path = parse_reference_path(src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
        assert_eq!(p(&path.to_string()), path, "{src}");
    }
    for src in &paths {
        let path = p(src);
        assert_eq!(p(&path.to_string()), path, "{src}");
        assert_eq!(path.is_definite(), !src.contains("[?("), "{src}");
    }
}
