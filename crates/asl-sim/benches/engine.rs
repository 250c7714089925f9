//! Engine throughput beside the figures of existing simulators.
//! Run: `cargo bench -p asl-sim --bench engine`.
//!
//! * a chain of 100 Pass states, full history recorded — transitions/s;
//! * a 1,000-iteration Choice loop counting with `States.MathAdd`;
//! * an inline Map over 6,000 items (the most that fits AWS's 25,000-event
//!   history) — items/s and peak heap;
//! * a 3600 s Wait — wall time (the virtual clock jumps).
//!
//! Under `cargo test --all-targets` (no `--bench` argument) each workload
//! runs once, to prove it still runs, and no figures are printed.

use asl_sim::engine::{execute, ExecutionConfig, ExecutionStatus};
use asl_sim::resolver::NoAnswers;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts live and peak heap bytes.
struct PeakAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fn pass_chain(n: usize) -> String {
    let states: Vec<String> = (0..n)
        .map(|i| {
            let next = if i + 1 == n {
                "\"End\": true".to_string()
            } else {
                format!("\"Next\": \"P{}\"", i + 1)
            };
            format!("\"P{i}\": {{\"Type\": \"Pass\", {next}}}")
        })
        .collect();
    format!(
        "{{\"StartAt\": \"P0\", \"States\": {{{}}}}}",
        states.join(",")
    )
}

const CHOICE_LOOP: &str = r#"{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
  "Check": {"Type": "Choice", "Default": "Done",
    "Choices": [{"Variable": "$.i", "NumericLessThan": 1000, "Next": "Inc"}]},
  "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
  "Done": {"Type": "Succeed"}}}"#;

const MAP: &str = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;

/// Items of the inline Map: every iteration records 4 events, and the
/// execution must stay under AWS's 25,000-event history limit.
const ITEMS: usize = 6_000;

const WAIT: &str =
    r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#;

/// Runs once; returns (seconds, history length).
fn run(definition: &str, input: &str) -> (f64, usize) {
    let start = Instant::now();
    let result = execute(
        definition,
        input,
        &ExecutionConfig::default(),
        &mut NoAnswers,
    )
    .expect("the benchmark definitions are valid");
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(
        result.status,
        ExecutionStatus::Succeeded,
        "{:?}",
        result.error
    );
    (elapsed, result.history.len())
}

/// Best of `rounds` runs.
fn best(definition: &str, input: &str, rounds: usize) -> (f64, usize) {
    (0..rounds)
        .map(|_| run(definition, input))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((f64::NAN, 0))
}

fn main() {
    let measure = std::env::args().any(|a| a == "--bench");
    let rounds = if measure { 20 } else { 1 };
    let chain = pass_chain(100);
    let items = format!(
        "[{}]",
        (0..ITEMS)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );

    let (t_chain, events_chain) = best(&chain, "{}", rounds * 10);
    let (t_loop, events_loop) = best(CHOICE_LOOP, "{}", rounds);
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let (t_map, events_map) = best(MAP, &items, rounds.min(5));
    let peak_map = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    let (t_wait, _) = best(WAIT, "{}", rounds);
    if !measure {
        println!("smoke run only; `cargo bench -p asl-sim --bench engine` measures");
        return;
    }

    // A Pass state is one transition; the loop makes 2 transitions per round.
    println!(
        "100-Pass chain            : {:>12.0} transitions/s ({events_chain} events)   target >= 5,000,000; aws-local-stepfunctions ~640,000 (no AWS history), moto ~1,300",
        100.0 / t_chain
    );
    println!(
        "1,000-round Choice loop   : {:>12.0} transitions/s ({events_loop} events)   aws-local-stepfunctions ~79,000",
        2002.0 / t_loop
    );
    println!(
        "inline Map, {ITEMS} items   : {:>12.0} items/s, peak heap {:.1} MB ({events_map} events)   target >= 500,000/s and < 50 MB; peers 30,000-45,000/s",
        ITEMS as f64 / t_map,
        peak_map as f64 / 1e6
    );
    println!(
        "Wait 3600 s               : {:>12.3} ms wall time   target < 1 ms; other local simulators really sleep",
        t_wait * 1000.0
    );
}
