//! Locating the shared conformance corpus from tests.

use std::path::PathBuf;

/// `shared/conformance/cases`: `$ASL_SHARED_DIR/conformance/cases`, or the
/// first ancestor of the crate directory that has `shared/conformance/cases`.
pub fn cases_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("ASL_SHARED_DIR") {
        let p = PathBuf::from(dir).join("conformance/cases");
        if p.is_dir() {
            return Some(p);
        }
    }
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let p = dir.join("shared/conformance/cases");
        if p.is_dir() {
            return Some(p);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Every case of the corpus, loaded (panics on a malformed case).
pub fn corpus_cases() -> Vec<super::Case> {
    let Some(root) = cases_dir() else {
        eprintln!("conformance corpus not found; set ASL_SHARED_DIR");
        return Vec::new();
    };
    let refs = super::discover(&[root]).expect("corpus dir");
    let mut out = Vec::new();
    for r in refs {
        let meta = super::Meta::load(&r.dir.join("meta.json")).expect("meta.json loads");
        out.push(super::Case::load(&r.dir, meta).expect("case loads"));
    }
    out
}
