//! The `## Example` of every rule's docs: the first JSON block must produce
//! the rule's code, the second (the fix) must not.

use asl_lint::context::LintOptions;
use asl_lint::lint::{lint_text, SourceFormat};
use asl_lint::rules;

fn json_blocks(docs: &str) -> Vec<String> {
    let Some((_, example)) = docs.split_once("## Example") else {
        return Vec::new();
    };
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in example.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        match (&mut current, line.trim_end()) {
            (None, "```json") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn examples_show_the_problem_and_the_fix() {
    let mut problems = Vec::new();
    for rule in rules::ALL {
        let meta = rule.meta();
        let blocks = json_blocks(meta.docs);
        let codes = |text: &str| -> Vec<&str> {
            lint_text(text, SourceFormat::Json, &LintOptions::default())
                .iter()
                .map(|d| d.code)
                .collect()
        };
        match blocks.as_slice() {
            [bad, good, ..] => {
                if !codes(bad).contains(&meta.code) {
                    problems.push(format!("{}: the example does not report it", meta.code));
                }
                if codes(good).contains(&meta.code) {
                    problems.push(format!("{}: the fixed example still reports it", meta.code));
                }
            }
            _ => problems.push(format!(
                "{}: needs a bad and a fixed JSON example",
                meta.code
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
