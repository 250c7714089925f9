//! Lint throughput on the lint corpus (`../shared/lint-corpus`), beside the
//! figures the peers reach on the same corpus. Run: `cargo bench --bench lint_corpus`.
//!
//! * in one process: every file linted repeatedly, on all cores (rayon) and
//!   on one thread — files/second;
//! * one process per file: `asl-lint FILE` spawned per file — milliseconds.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it only makes
//! one quick pass, to prove it still runs, and prints no figures.

use asl_lint::context::LintOptions;
use asl_lint::lint::{lint_text, SourceFormat};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/lint-corpus");
    let mut files = Vec::new();
    for sub in ["valid", "invalid"] {
        let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        files.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
    }
    files.sort();
    files
}

fn main() {
    let files = corpus_files();
    if files.is_empty() {
        eprintln!("../shared/lint-corpus not found; nothing to measure");
        return;
    }
    let texts: Vec<String> = files
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let options = LintOptions::default();
    println!(
        "lint corpus: {} files, {:.1} KiB, {} cores",
        files.len(),
        bytes as f64 / 1024.0,
        rayon::current_num_threads()
    );

    if !std::env::args().any(|a| a == "--bench") {
        let findings: usize = texts
            .iter()
            .map(|t| lint_text(t, SourceFormat::Json, &options).len())
            .sum();
        assert!(findings > 0, "the corpus has invalid files");
        println!("smoke run only; `cargo bench --bench lint_corpus` measures");
        return;
    }
    let rounds = 200;
    let lint_all_parallel = || {
        texts
            .par_iter()
            .map(|t| lint_text(t, SourceFormat::Json, &options).len())
            .sum::<usize>()
    };
    lint_all_parallel(); // warm up
    let start = Instant::now();
    let mut findings = 0;
    for _ in 0..rounds {
        findings += lint_all_parallel();
    }
    let parallel = (rounds * files.len()) as f64 / start.elapsed().as_secs_f64();

    let start = Instant::now();
    for _ in 0..rounds / 4 {
        for t in &texts {
            findings += lint_text(t, SourceFormat::Json, &options).len();
        }
    }
    let single = (rounds / 4 * files.len()) as f64 / start.elapsed().as_secs_f64();
    std::hint::black_box(findings);

    println!("in one process, all cores : {parallel:>10.0} files/s   (target >= 20,000)");
    println!("in one process, one thread: {single:>10.0} files/s");
    println!("  peers: AWS language service 1.16.1 ~3,300 files/s in-process; asl-validator 4.0.0 ~15 files/s");

    let binary = env!("CARGO_BIN_EXE_asl-lint");
    let sample: Vec<_> = files.iter().step_by((files.len() / 100).max(1)).collect();
    let start = Instant::now();
    for file in &sample {
        Command::new(binary)
            .arg(file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("asl-lint runs");
    }
    let per_process = start.elapsed().as_secs_f64() * 1000.0 / sample.len() as f64;
    println!(
        "one process per file      : {per_process:>10.2} ms/file over {} files (target < 5 ms)",
        sample.len()
    );
    println!("  peers: asl-validator CLI ~440 ms/file; cfn-lint ~890 ms/file");
}
