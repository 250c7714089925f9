//! `asl-test review`: steps through pending `.snap.new` files, showing each
//! diff against the stored `.snap` (or the whole new snapshot), and accepts
//! (moves it over the `.snap`), rejects (deletes it) or skips it. Without a
//! terminal it only lists them and exits 2 — nothing is ever accepted
//! unattended.

use crate::snapshot;
use crate::source::display_path;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Pending snapshots under `paths` (default `.`), sorted.
pub fn pending(paths: &[PathBuf]) -> Vec<PathBuf> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            if is_pending(p) {
                out.push(p.clone());
            }
            continue;
        }
        for e in ignore::WalkBuilder::new(p)
            .hidden(false)
            .git_ignore(false)
            .build()
            .flatten()
        {
            if e.file_type().is_some_and(|t| t.is_file()) && is_pending(e.path()) {
                out.push(e.path().strip_prefix(".").unwrap_or(e.path()).to_path_buf());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn is_pending(p: &Path) -> bool {
    p.to_string_lossy().ends_with(".snap.new")
}

/// The `.snap` a pending file replaces.
pub fn target_of(pending: &Path) -> PathBuf {
    let s = pending.to_string_lossy();
    PathBuf::from(s.strip_suffix(".new").unwrap_or(&s))
}

/// Lists pending snapshots (no terminal). Returns the exit code: 2 when
/// any is pending, else 0.
pub fn list(pending: &[PathBuf], out: &mut dyn Write) -> i32 {
    if pending.is_empty() {
        let _ = writeln!(out, "no pending snapshots");
        return crate::exit::SUCCESS;
    }
    for p in pending {
        let _ = writeln!(out, "pending: {}", display_path(p));
    }
    let _ = writeln!(
        out,
        "{} pending snapshot(s); run `asl-test review` on a terminal, or `asl-test --accept`",
        pending.len()
    );
    crate::exit::ERROR
}

/// Interactive review: for each pending file, show the diff and ask.
pub fn interactive(pending: &[PathBuf], input: &mut dyn BufRead, out: &mut dyn Write) -> i32 {
    if pending.is_empty() {
        let _ = writeln!(out, "no pending snapshots");
        return crate::exit::SUCCESS;
    }
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    for (i, p) in pending.iter().enumerate() {
        let target = target_of(p);
        let new = std::fs::read_to_string(p).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n[{}/{}] {}",
            i + 1,
            pending.len(),
            display_path(&target)
        );
        match std::fs::read_to_string(&target) {
            Ok(old) => {
                let _ = write!(
                    out,
                    "{}",
                    snapshot::diff(&old.replace("\r\n", "\n"), &new, &display_path(&target))
                );
            }
            Err(_) => {
                let _ = writeln!(out, "new snapshot:");
                for l in new.lines() {
                    let _ = writeln!(out, "+{l}");
                }
            }
        }
        loop {
            let _ = write!(out, "accept (a), reject (r), skip (s), quit (q)? ");
            let _ = out.flush();
            let mut line = String::new();
            if input.read_line(&mut line).unwrap_or(0) == 0 {
                line = "q".into();
            }
            match line.trim() {
                "a" | "accept" => {
                    match std::fs::rename(p, &target) {
                        Ok(()) => accepted += 1,
                        Err(e) => {
                            let _ = writeln!(out, "cannot accept: {e}");
                        }
                    }
                    break;
                }
                "r" | "reject" => {
                    let _ = std::fs::remove_file(p);
                    rejected += 1;
                    break;
                }
                "s" | "skip" => {
                    skipped += 1;
                    break;
                }
                "q" | "quit" => {
                    skipped += pending.len() - i;
                    let _ = writeln!(
                        out,
                        "\n{accepted} accepted, {rejected} rejected, {skipped} skipped"
                    );
                    return crate::exit::SUCCESS;
                }
                _ => {}
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{accepted} accepted, {rejected} rejected, {skipped} skipped"
    );
    crate::exit::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interactive_accepts_rejects_and_skips() {
        let d = std::env::temp_dir().join(format!("asl-test-review-{}", std::process::id()));
        let s = d.join("__snapshots__");
        std::fs::create_dir_all(&s).unwrap();
        std::fs::write(s.join("a.snap"), "h\n---\n- id: 1\n").unwrap();
        std::fs::write(s.join("a.snap.new"), "h\n---\n- id: 2\n").unwrap();
        std::fs::write(s.join("b.snap.new"), "new one\n").unwrap();
        std::fs::write(s.join("c.snap.new"), "skipped\n").unwrap();
        let list = pending(std::slice::from_ref(&d));
        assert_eq!(list.len(), 3);
        let mut input = std::io::Cursor::new("what\na\nr\ns\n");
        let mut out = Vec::new();
        assert_eq!(interactive(&list, &mut input, &mut out), 0);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("-- id: 1\n+- id: 2"), "{out}");
        assert!(out.contains("new snapshot:\n+new one"), "{out}");
        assert!(out.contains("1 accepted, 1 rejected, 1 skipped"), "{out}");
        assert_eq!(
            std::fs::read_to_string(s.join("a.snap")).unwrap(),
            "h\n---\n- id: 2\n"
        );
        assert!(
            !s.join("a.snap.new").exists()
                && !s.join("b.snap.new").exists()
                && !s.join("b.snap").exists()
        );
        assert!(s.join("c.snap.new").exists());
        // End of input quits without touching anything.
        let mut out = Vec::new();
        interactive(
            &pending(std::slice::from_ref(&d)),
            &mut std::io::Cursor::new(""),
            &mut out,
        );
        assert!(s.join("c.snap.new").exists());
        let _ = std::fs::remove_dir_all(&d);
    }
}
