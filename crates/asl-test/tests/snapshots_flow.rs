//! The snapshot table of DESIGN.md, end to end: local runs (CI removed from
//! the child's environment), CI mode, `--accept`, stale and garbage files,
//! and `review` without a terminal.

mod common;
use common::*;

const SCENARIO: &str = "definition: m.asl.json\nscenarios:\n  - name: ok\n    mocks:\n      Charge: [{return: {Payload: {status: ok}}}]\n";
const SNAP: &str = "__snapshots__/s__ok.snap";
const NEW: &str = "__snapshots__/s__ok.snap.new";

fn setup() -> TempDir {
    let d = TempDir::new("snap");
    d.write("m.asl.json", MACHINE);
    d.write("s.scenario.yaml", SCENARIO);
    d
}

/// Changes the mocked answer, so the history differs from the snapshot.
fn change(d: &TempDir) {
    d.write(
        "s.scenario.yaml",
        &SCENARIO.replace("status: ok", "status: changed"),
    );
}

#[test]
fn local_missing_writes_pending_and_fails() {
    let d = setup();
    let o = run(d.path(), Ci::Unset, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("snapshot pending"), "{}", stdout(&o));
    assert!(d.exists(NEW) && !d.exists(SNAP));
    assert_eq!(last_line(&o), "0 passed, 1 failed");
    // CI values that do not mean CI are local runs too.
    for v in ["", "0", "false"] {
        let o = run(d.path(), Ci::Set(v), &[]);
        assert!(
            stdout(&o).contains("snapshot pending"),
            "CI={v:?}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn accept_writes_snap_and_removes_pending_then_passes() {
    let d = setup();
    run(d.path(), Ci::Unset, &[]);
    let o = run(d.path(), Ci::Unset, &["--accept"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(d.exists(SNAP) && !d.exists(NEW));
    let snap = d.read(SNAP);
    assert!(
        snap.contains(
            "scenario_file: s.scenario.yaml\nscenario: ok\ndefinition: m.asl.json\nseed: 0\n---\n"
        ),
        "{snap}"
    );
    assert!(snap.contains("timestamp: +0.000s"), "{snap}");
    assert!(!snap.contains("version"), "no tool version in the header");
    let o = run(d.path(), Ci::Unset, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(last_line(&o), "1 passed, 0 failed");
    // --accept overwrites a changed snapshot.
    change(&d);
    let o = run(d.path(), Ci::Unset, &["--accept"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(d.read(SNAP).contains("changed"));
}

#[test]
fn local_differs_writes_pending_with_diff_and_never_overwrites() {
    let d = setup();
    run(d.path(), Ci::Unset, &["--accept"]);
    let before = d.read(SNAP);
    change(&d);
    let o = run(d.path(), Ci::Unset, &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("differs from the history"), "{out}");
    assert!(
        out.contains("-        status: ok") && out.contains("+        status: changed"),
        "{out}"
    );
    assert_eq!(d.read(SNAP), before, "the .snap is never overwritten");
    assert!(d.read(NEW).contains("changed"));
    // Going back to the accepted behaviour deletes the stale .snap.new.
    d.write("s.scenario.yaml", SCENARIO);
    let o = run(d.path(), Ci::Unset, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!d.exists(NEW), "stale .snap.new deleted");
}

#[test]
fn ci_mode_writes_nothing() {
    let d = setup();
    let o = run(d.path(), Ci::Set("true"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("is missing (CI mode: nothing written"),
        "{}",
        stdout(&o)
    );
    assert!(!d.exists(NEW) && !d.exists(SNAP) && !d.exists("__snapshots__/s__ok.snap.tmp"));
    run(d.path(), Ci::Unset, &["--accept"]);
    let o = run(d.path(), Ci::Set("1"), &[]);
    assert_eq!(o.status.code(), Some(0));
    change(&d);
    let o = run(d.path(), Ci::Set("true"), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("differs") && out.contains("+        status: changed"),
        "{out}"
    );
    assert!(!d.exists(NEW));
}

#[test]
fn garbage_snapshot_is_reported_clearly() {
    let d = setup();
    d.write(SNAP, "this is not\n  a snapshot: [\n");
    let o = run(d.path(), Ci::Unset, &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("is not a valid asl-test snapshot (no `---` line"),
        "{out}"
    );
    assert_eq!(
        d.read(SNAP),
        "this is not\n  a snapshot: [\n",
        "garbage is not overwritten"
    );
    // A damaged body is reported with its line.
    run(d.path(), Ci::Unset, &["--accept"]);
    let good = d.read(SNAP);
    d.write(SNAP, &format!("{good}- id: [\n"));
    let o = run(d.path(), Ci::Set("true"), &[]);
    assert!(
        stdout(&o).contains("the history is not YAML"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn review_without_terminal_lists_and_exits_2() {
    let d = setup();
    let o = run(d.path(), Ci::Unset, &["review"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no pending snapshots"));
    run(d.path(), Ci::Unset, &[]);
    let o = run(d.path(), Ci::Unset, &["review"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("pending: __snapshots__/s__ok.snap.new"),
        "{}",
        stdout(&o)
    );
    assert!(
        d.exists(NEW) && !d.exists(SNAP),
        "nothing accepted unattended"
    );
}

#[test]
fn snapshot_false_skips_the_snapshot() {
    let d = setup();
    d.write(
        "s.scenario.yaml",
        &format!("{SCENARIO}    snapshot: false\n"),
    );
    let o = run(d.path(), Ci::Unset, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!d.exists("__snapshots__"));
}
