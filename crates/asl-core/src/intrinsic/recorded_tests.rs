//! Table-driven tests from executions recorded on AWS
//! (`conformance/cases/…`): each row is a `.$` value, the data it ran on and
//! the value AWS recorded. Rows were extracted from the recordings by script;
//! `case` names the case directory (and the field, for multi-field cases).

use serde_json::{json, Value};

use super::*;

/// One recorded evaluation.
struct Recorded {
    case: &'static str,
    expr: &'static str,
    /// The state input (`$`); also `$$.Execution.Input`.
    input: &'static str,
    /// The variables in scope (`$name`).
    vars: &'static str,
    /// The recorded value; `"RandomNumberGenerated"`, `"generated-uuid"` and
    /// `"<uuid:1>"` are the recording's wildcards.
    expected: &'static str,
}

/// A test environment: dot-separated paths over the input, a context object
/// shaped like the recorded one, and variables; a fixed random sequence.
pub(super) struct TestEnv {
    pub input: Value,
    pub context: Value,
    pub vars: Value,
    pub random: u64,
}

impl TestEnv {
    pub fn new(input: Value) -> Self {
        TestEnv {
            context: json!({
                "Execution": {
                    "Id": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
                    "Input": input.clone(),
                    "Name": "<ExecArnPart_0idx>",
                },
                "StateMachine": {
                    "Id": "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>",
                    "Name": "<ArnPart_0idx>",
                },
            }),
            input,
            vars: json!({}),
            random: 0x0123_4567_89ab_cdef,
        }
    }
}

impl IntrinsicEnv for TestEnv {
    fn resolve_path(&mut self, path: &str, span: Span) -> Result<Value, EvalError> {
        let (mut cur, rest) = if let Some(rest) = path.strip_prefix("$$") {
            (&self.context, rest)
        } else if let Some(rest) = path.strip_prefix("$.") {
            (&self.input, rest)
        } else if path == "$" {
            (&self.input, "")
        } else {
            let name_and_rest = &path[1..];
            let (name, rest) = name_and_rest.split_once('.').unwrap_or((name_and_rest, ""));
            (&self.vars[name], rest)
        };
        for step in rest.split('.').filter(|s| !s.is_empty()) {
            cur = match cur.get(step) {
                Some(v) => v,
                None => {
                    return Err(EvalError::runtime(
                        format!("The JSONPath '{path}' could not be found"),
                        span,
                    ))
                }
            };
        }
        Ok(cur.clone())
    }

    fn random_u64(&mut self) -> u64 {
        // xorshift64
        self.random ^= self.random << 13;
        self.random ^= self.random >> 7;
        self.random ^= self.random << 17;
        self.random
    }
}

/// Whether `s` is a lower-case hyphenated version-4 UUID.
pub(super) fn is_v4_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_digit() || ('a'..='f').contains(&c)
            }
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

#[test]
fn recorded_results() {
    let mut exact = 0;
    for row in RECORDED {
        let call = parse(row.expr).unwrap_or_else(|e| panic!("{}: {e}", row.case));
        let input: Value = serde_json::from_str(row.input).unwrap();
        let mut env = TestEnv::new(input.clone());
        env.vars = serde_json::from_str(row.vars).unwrap();
        let got = call
            .evaluate(&mut env)
            .unwrap_or_else(|e| panic!("{}: {e}", row.case));
        let expected: Value = serde_json::from_str(row.expected).unwrap();
        match expected.as_str() {
            Some("RandomNumberGenerated") => {
                let lo = java::round(input["FunctionInput"]["fst"].as_f64().unwrap());
                let hi = java::round(input["FunctionInput"]["snd"].as_f64().unwrap());
                let n = got
                    .as_i64()
                    .unwrap_or_else(|| panic!("{}: {got}", row.case));
                assert!(lo <= n && n < hi, "{}: {n} not in [{lo}, {hi})", row.case);
            }
            Some("generated-uuid" | "<uuid:1>") => {
                assert!(is_v4_uuid(got.as_str().unwrap()), "{}: {got}", row.case);
            }
            _ => {
                assert_eq!(got, expected, "{}: {}", row.case, row.expr);
                // Same JSON text too: integers stay integers, and key order
                // is AWS's (it is visible in outputs).
                assert_eq!(got.to_string(), expected.to_string(), "{}", row.case);
                exact += 1;
            }
        }
    }
    assert_eq!(RECORDED.len(), 111);
    assert_eq!(exact, 105);
}

const RECORDED: &[Recorded] = &[
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_0"##,
        expr: r##"States.Array()"##,
        input: r##"{"FunctionInput": "HelloWorld"}"##,
        vars: r##"{}"##,
        expected: r##"[]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_0"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": "", "snd": ""}}"##,
        vars: r##"{}"##,
        expected: r##"["", ""]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_1"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": " ", "snd": " "}}"##,
        vars: r##"{}"##,
        expected: r##"[" ", " "]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_2"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}}"##,
        vars: r##"{}"##,
        expected: r##"["HelloWorld", "HelloWorld"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_3"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": null, "snd": null}}"##,
        vars: r##"{}"##,
        expected: r##"[null, null]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_4"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1, "snd": 1}}"##,
        vars: r##"{}"##,
        expected: r##"[1, 1]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_5"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.1, "snd": 1.1}}"##,
        vars: r##"{}"##,
        expected: r##"[1.1, 1.1]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_6"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}}"##,
        vars: r##"{}"##,
        expected: r##"["{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\": 1, \"Arg2\": []}"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_2__exec_hist_resp_7"##,
        expr: r##"States.Array($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}}"##,
        vars: r##"{}"##,
        expected: r##"[{"Arg1": 1, "Arg2": []}, {"Arg1": 1, "Arg2": []}]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_0"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [], "snd": null}}"##,
        vars: r##"{}"##,
        expected: r##"false"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_1"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [], "snd": []}}"##,
        vars: r##"{}"##,
        expected: r##"false"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_2"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [], "snd": 1}}"##,
        vars: r##"{}"##,
        expected: r##"false"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_3"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": null}}"##,
        vars: r##"{}"##,
        expected: r##"false"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_4"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": [1, 2, 3]}}"##,
        vars: r##"{}"##,
        expected: r##"true"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_5"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": []}}"##,
        vars: r##"{}"##,
        expected: r##"false"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_6"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": {"1": 2, "2": []}}}"##,
        vars: r##"{}"##,
        expected: r##"true"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_7"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [true, false], "snd": true}}"##,
        vars: r##"{}"##,
        expected: r##"true"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_contains__exec_hist_resp_8"##,
        expr: r##"States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [true, false], "snd": false}}"##,
        vars: r##"{}"##,
        expected: r##"true"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_get_item"##,
        expr: r##"States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}}"##,
        vars: r##"{}"##,
        expected: r##"6"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_length"##,
        expr: r##"States.ArrayLength($.FunctionInput)"##,
        input: r##"{"FunctionInput": [1, 2, 3, 4, 5, 6, 7, 8, 9]}"##,
        vars: r##"{}"##,
        expected: r##"9"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_range__exec_hist_resp_0"##,
        expr: r##"States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"##,
        input: r##"{"FunctionInput": {"fst": 0, "snd": 9, "trd": 3}}"##,
        vars: r##"{}"##,
        expected: r##"[0, 3, 6, 9]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_range__exec_hist_resp_1"##,
        expr: r##"States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"##,
        input: r##"{"FunctionInput": {"fst": 0, "snd": 10, "trd": 3}}"##,
        vars: r##"{}"##,
        expected: r##"[0, 3, 6, 9]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_range__exec_hist_resp_2"##,
        expr: r##"States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"##,
        input: r##"{"FunctionInput": {"fst": 1, "snd": 9, "trd": 9}}"##,
        vars: r##"{}"##,
        expected: r##"[1]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_range__exec_hist_resp_3"##,
        expr: r##"States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"##,
        input: r##"{"FunctionInput": {"fst": 1, "snd": 9, "trd": 2}}"##,
        vars: r##"{}"##,
        expected: r##"[1, 3, 5, 7, 9]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestArray__test_array_unique"##,
        expr: r##"States.ArrayLength($.FunctionInput)"##,
        input: r##"{"FunctionInput": [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]}"##,
        vars: r##"{}"##,
        expected: r##"20"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestEncodeDecode__test_base_64_decode__exec_hist_resp_0"##,
        expr: r##"States.Base64Decode($.FunctionInput)"##,
        input: r##"{"FunctionInput": ""}"##,
        vars: r##"{}"##,
        expected: r##""""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestEncodeDecode__test_base_64_decode__exec_hist_resp_1"##,
        expr: r##"States.Base64Decode($.FunctionInput)"##,
        input: r##"{"FunctionInput": "RGF0YSB0byBlbmNvZGU="}"##,
        vars: r##"{}"##,
        expected: r##""Data to encode""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestEncodeDecode__test_base_64_encode__exec_hist_resp_0"##,
        expr: r##"States.Base64Encode($.FunctionInput)"##,
        input: r##"{"FunctionInput": ""}"##,
        vars: r##"{}"##,
        expected: r##""""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestEncodeDecode__test_base_64_encode__exec_hist_resp_1"##,
        expr: r##"States.Base64Encode($.FunctionInput)"##,
        input: r##"{"FunctionInput": "Data to encode"}"##,
        vars: r##"{}"##,
        expected: r##""RGF0YSB0byBlbmNvZGU=""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_context_json_path"##,
        expr: r##"States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)"##,
        input: r##"{"FunctionInput": null}"##,
        vars: r##"{}"##,
        expected: r##""Formatting arguments fst=<ExecArnPart_0idx> and snd={Id=arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>, Name=<ArnPart_0idx>}.""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_escape_sequence"##,
        expr: r##"States.StringSplit('Hello
World', '
')"##,
        input: r##"{"FunctionInput": null}"##,
        vars: r##"{}"##,
        expected: r##"["Hello", "World"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_0"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": ""}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument .""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_1"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": " "}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument  .""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_2"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": "HelloWorld"}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument HelloWorld.""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_3"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": null}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument null.""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_4"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": 1}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument 1.""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_5"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": 1.1}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument 1.1.""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestGeneric__test_format_1__exec_hist_resp_6"##,
        expr: r##"States.Format('Formatting argument {}.', $.FunctionInput)"##,
        input: r##"{"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"}"##,
        vars: r##"{}"##,
        expected: r##""Formatting argument {\"Arg1\": 1, \"Arg2\": []}.""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_merge"##,
        expr: r##"States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)"##,
        input: r##"{"FunctionInput": {"fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}}"##,
        vars: r##"{}"##,
        expected: r##"{"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_merge_escaped_argument"##,
        expr: r##"States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)"##,
        input: r##"{"input_field": {"constant_input_field": "constant_value"}}"##,
        vars: r##"{}"##,
        expected: r##"{"constant_input_field": "constant_value", "constant_in_literal": "false"}"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_0"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": null}"##,
        vars: r##"{}"##,
        expected: r##""null""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_1"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": 0}"##,
        vars: r##"{}"##,
        expected: r##""0""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_2"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": 1}"##,
        vars: r##"{}"##,
        expected: r##""1""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_3"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": 1.1}"##,
        vars: r##"{}"##,
        expected: r##""1.1""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_4"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": true}"##,
        vars: r##"{}"##,
        expected: r##""true""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_5"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": "HelloWorld"}"##,
        vars: r##"{}"##,
        expected: r##""\"HelloWorld\"""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_6"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": [1, 2, "HelloWorld"]}"##,
        vars: r##"{}"##,
        expected: r##""[1,2,\"HelloWorld\"]""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestJsonManipulation__test_json_to_string__exec_hist_resp_7"##,
        expr: r##"States.JsonToString($.FunctionInput)"##,
        input: r##"{"FunctionInput": {"Arg1": 1, "Arg2": []}}"##,
        vars: r##"{}"##,
        expected: r##""{\"Arg1\":1,\"Arg2\":[]}""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_0"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -9, "snd": 3}}"##,
        vars: r##"{}"##,
        expected: r##"-6"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_1"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.49, "snd": 1.5}}"##,
        vars: r##"{}"##,
        expected: r##"3"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_10"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -1.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"-1"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_11"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -1.51, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"-2"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_12"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 0.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"1"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_13"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"2"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_14"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 2.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"3"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_15"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 3.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"4"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_16"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -0.5, "snd": 0.5}}"##,
        vars: r##"{}"##,
        expected: r##"1"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_17"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -0.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"0"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_18"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -1.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"-1"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_19"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -2.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"-2"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_2"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.5, "snd": 1.51}}"##,
        vars: r##"{}"##,
        expected: r##"4"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_20"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -3.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"-3"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_3"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -1.49, "snd": -1.5}}"##,
        vars: r##"{}"##,
        expected: r##"-2"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_4"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -1.5, "snd": -1.51}}"##,
        vars: r##"{}"##,
        expected: r##"-3"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_5"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.49, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"1"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_6"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.49, "snd": -1.49}}"##,
        vars: r##"{}"##,
        expected: r##"0"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_7"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.5, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"2"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_8"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 1.51, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"2"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_add__exec_hist_resp_9"##,
        expr: r##"States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -1.49, "snd": 0}}"##,
        vars: r##"{}"##,
        expected: r##"-1"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_random__exec_hist_resp_0"##,
        expr: r##"States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 12.5, "snd": 44.51}}"##,
        vars: r##"{}"##,
        expected: r##""RandomNumberGenerated""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_random__exec_hist_resp_1"##,
        expr: r##"States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": 9999, "snd": 99999}}"##,
        vars: r##"{}"##,
        expected: r##""RandomNumberGenerated""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestMathOperations__test_math_random__exec_hist_resp_2"##,
        expr: r##"States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": -99999, "snd": -9999}}"##,
        vars: r##"{}"##,
        expected: r##""RandomNumberGenerated""##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_0"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": " ", "snd": ","}}"##,
        vars: r##"{}"##,
        expected: r##"[" "]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_1"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": " , ", "snd": ","}}"##,
        vars: r##"{}"##,
        expected: r##"[" ", " "]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_2"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": ", , ,", "snd": ","}}"##,
        vars: r##"{}"##,
        expected: r##"[" ", " "]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_3"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": ",,,,", "snd": ","}}"##,
        vars: r##"{}"##,
        expected: r##"[]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_4"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": "1,2,3,4,5", "snd": ","}}"##,
        vars: r##"{}"##,
        expected: r##"["1", "2", "3", "4", "5"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_5"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": "This.is+a,test=string", "snd": ".+,="}}"##,
        vars: r##"{}"##,
        expected: r##"["This", "is", "a", "test", "string"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split__exec_hist_resp_6"##,
        expr: r##"States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"##,
        input: r##"{"FunctionInput": {"fst": "split on T and \nnew line", "snd": "T\n"}}"##,
        vars: r##"{}"##,
        expected: r##"["split on ", " and ", "new line"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestStringOperations__test_string_split_context_object"##,
        expr: r##"States.StringSplit($$.Execution.Input.FunctionInput, ',')"##,
        input: r##"{"FunctionInput": "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"}"##,
        vars: r##"{}"##,
        expected: r##"["Value1", "Value2", "Value3\nValue4", "Value5", "Value6\n", "\ntrue", "1", "'HelloWorld'\nNull", "None", "\n   \n"]"##,
    },
    Recorded {
        case: r##"intrinsic_functions/TestUniqueIdGeneration__test_uuid"##,
        expr: r##"States.UUID()"##,
        input: r##"{}"##,
        vars: r##"{}"##,
        expected: r##""generated-uuid""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.simpleArray"##,
        expr: r##"States.Array('a', 'b', 'c')"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"["a", "b", "c"]"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.partitionedArray"##,
        expr: r##"States.ArrayPartition($.inputArray, 2)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"[[1, 2], [3, 4], [5, 6]]"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.containsElement"##,
        expr: r##"States.ArrayContains($.inputArray, 5)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"true"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.numberRange"##,
        expr: r##"States.ArrayRange(1, 10, 2)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"[1, 3, 5, 7, 9]"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.thirdElement"##,
        expr: r##"States.ArrayGetItem($.inputArray, 2)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"3"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.arraySize"##,
        expr: r##"States.ArrayLength($.inputArray)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"6"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION arrayOps.uniqueValues"##,
        expr: r##"States.ArrayUnique($.duplicateArray)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"[1, 2, 3, 4]"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION encodingOps.encoded"##,
        expr: r##"States.Base64Encode($.rawString)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##""SGVsbG8gV29ybGQ=""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION encodingOps.decoded"##,
        expr: r##"States.Base64Decode($.encodedString)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##""Hello World""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION hashOps.hashValue"##,
        expr: r##"States.Hash($.inputString, 'SHA-256')"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##""1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION jsonOps.mergedJson"##,
        expr: r##"States.JsonMerge($.json1, $.json2, false)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"{"a": 1, "b": 2, "c": 3, "d": 4}"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION jsonOps.parsedJson"##,
        expr: r##"States.StringToJson($.jsonString)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"{"key": "value"}"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION jsonOps.stringifiedJson"##,
        expr: r##"States.JsonToString($.jsonObject)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##""{\"test\":\"object\"}""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION mathOps.sum"##,
        expr: r##"States.MathAdd($.value1, $.value2)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"8"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION stringOps.splitString"##,
        expr: r##"States.StringSplit($.csvString, ',')"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##"["a", "b", "c", "d", "e"]"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION stringOps.formattedString"##,
        expr: r##"States.Format('Hello {}, welcome to {}!', $.name, $.place)"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##""Hello John, welcome to LocalStack!""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_assign_from_value_BASE_ASSIGN_FROM_INTRINSIC_FUNCTION uuidOp.uniqueId"##,
        expr: r##"States.UUID()"##,
        input: r##"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        vars: r##"{}"##,
        expected: r##""<uuid:1>""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION encodingOps.encoded"##,
        expr: r##"States.Base64Encode($rawString)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##""SGVsbG8gV29ybGQ=""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION encodingOps.decoded"##,
        expr: r##"States.Base64Decode($encodedString)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##""Hello World""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION hashOps.hashValue"##,
        expr: r##"States.Hash($inputString, 'SHA-256')"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##""1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION jsonOps.mergedJson"##,
        expr: r##"States.JsonMerge($json1, $json2, false)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##"{"a": 1, "b": 2, "c": 3, "d": 4}"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION jsonOps.parsedJson"##,
        expr: r##"States.StringToJson($jsonString)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##"{"key": "value"}"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION jsonOps.stringifiedJson"##,
        expr: r##"States.JsonToString($jsonObject)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##""{\"test\":\"object\"}""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION mathOps.sum"##,
        expr: r##"States.MathAdd($value1, $value2)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##"8"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION stringOps.splitString"##,
        expr: r##"States.StringSplit($csvString, ',')"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##"["a", "b", "c", "d", "e"]"##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION stringOps.formattedString"##,
        expr: r##"States.Format('Hello {}, welcome to {}!', $name, $place)"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##""Hello John, welcome to LocalStack!""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignReferenceVariables__test_reference_assign_BASE_REFERENCE_IN_INTRINSIC_FUNCTION uuidOp.uniqueId"##,
        expr: r##"States.UUID()"##,
        input: r##"{}"##,
        vars: r##"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}}"##,
        expected: r##""<uuid:1>""##,
    },
    Recorded {
        case: r##"variables_assign/TestAssignBase__test_base_cases_BASE_PATHS str_intrinsic_func"##,
        expr: r##"States.Format('Format Func {}', $.input_value)"##,
        input: r##"{"input_value": "input_value_literal"}"##,
        vars: r##"{}"##,
        expected: r##""Format Func input_value_literal""##,
    },
    Recorded {
        case: r##"map/TestBaseScenarios__test_map_state_legacy_reentrant StartState"##,
        expr: r##"States.ArrayRange(0, 3, 1)"##,
        input: r##"{}"##,
        vars: r##"{}"##,
        expected: r##"[0, 1, 2, 3]"##,
    },
    Recorded {
        case: r##"map/TestBaseScenarios__test_map_state_legacy_reentrant BeforeIteration"##,
        expr: r##"States.MathAdd($.Iterations, -1)"##,
        input: r##"{"Iterations": 3, "Values": [0, 1, 2, 3]}"##,
        vars: r##"{}"##,
        expected: r##"2"##,
    },
];
