//! The `## Example` of every rule's docs: the first JSON block must produce
//! the rule's code, the second (the fix) must not. A block fenced
//! ```` ```json express ```` is linted as an EXPRESS machine.

use asl_lint::context::{LintOptions, MachineType};
use asl_lint::lint::{lint_text, SourceFormat};
use asl_lint::rules;

/// Rules whose problem cannot be shown in a short example: what the docs
/// say instead is checked by the fixtures.
const TOO_BIG_TO_SHOW: [&str; 2] = [
    "ASL-L001", // a definition over 1 MiB
    "ASL-L002", // 21 levels of nesting
];

/// The JSON blocks of the example, with whether each is EXPRESS.
fn json_blocks(docs: &str) -> Vec<(String, bool)> {
    let Some((_, example)) = docs.split_once("## Example") else {
        return Vec::new();
    };
    let mut blocks = Vec::new();
    let mut current: Option<(String, bool)> = None;
    for line in example.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        match (&mut current, line.trim_end()) {
            (None, "```json") => current = Some((String::new(), false)),
            (None, "```json express") => current = Some((String::new(), true)),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some((text, _)), _) => {
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
        if TOO_BIG_TO_SHOW.contains(&meta.code) {
            continue;
        }
        let blocks = json_blocks(meta.docs);
        let codes = |(text, express): &(String, bool)| -> Vec<&str> {
            let options = LintOptions {
                machine_type: if *express {
                    MachineType::Express
                } else {
                    MachineType::Standard
                },
            };
            lint_text(text, SourceFormat::Json, &options)
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
