//! The rule documentation pages, `docs/rules/<slug>.md` and their index,
//! generated from the rules' doc comments so they cannot drift apart.
//! `crates/asl-lint/tests/docs.rs` fails when the committed pages are stale
//! and says how to regenerate them.

use crate::cli::strip_doc_indent;
use crate::rule::RuleMeta;
use crate::rules;

/// Families of rule codes, by their letter.
const FAMILIES: [(char, &str); 11] = [
    ('S', "Structure"),
    ('N', "Names"),
    ('G', "Graph"),
    ('P', "Paths and templates"),
    ('I', "Intrinsic functions"),
    ('J', "JSONata and variables"),
    ('R', "Retry and Catch"),
    ('T', "Timeouts"),
    ('X', "Resources and integrations"),
    ('L', "Limits"),
    ('W', "AWS's warnings"),
];

/// The page of one rule.
pub fn rule_page(meta: &RuleMeta) -> String {
    let aws = meta
        .aws_code
        .map(|c| format!("AWS ValidateStateMachineDefinition code: `{c}`\n\n"))
        .unwrap_or_default();
    let body = strip_doc_indent(meta.docs).replace("```json express", "```json");
    format!(
        "# {} {}\n\n<!-- generated from the rule's doc comment; do not edit -->\n\nSeverity: {}\n\n{aws}{}",
        meta.code,
        meta.slug,
        meta.severity.as_str(),
        body.trim_end()
    ) + "\n"
}

/// `docs/rules/README.md`: every rule, by family.
pub fn index_page() -> String {
    let mut out = String::from(
        "# asl-lint rules\n\n<!-- generated from the rules' doc comments; do not edit -->\n\n\
         `asl-lint rules` lists them; `asl-lint explain CODE` prints a page.\n",
    );
    for (letter, family) in FAMILIES {
        let members: Vec<&RuleMeta> = rules::ALL
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.code.chars().nth(4) == Some(letter))
            .collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {family} ({letter})\n\n| code | rule | severity | AWS code | summary |\n|---|---|---|---|---|\n"
        ));
        for m in members {
            out.push_str(&format!(
                "| {} | [{}]({}.md) | {} | {} | {} |\n",
                m.code,
                m.slug,
                m.slug,
                m.severity.as_str(),
                m.aws_code.map_or("—".to_string(), |c| format!("`{c}`")),
                m.summary().replace('|', "\\|")
            ));
        }
    }
    out
}

/// Every page: (file name under `docs/rules/`, contents).
pub fn all_pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = rules::ALL
        .iter()
        .map(|r| (format!("{}.md", r.meta().slug), rule_page(r.meta())))
        .collect();
    pages.push(("README.md".into(), index_page()));
    pages
}
