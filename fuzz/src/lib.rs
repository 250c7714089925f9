//! Fuzz targets for asl-toolkit. The functions live in [`targets`] (plain
//! `fn(&[u8])`), shared by the libFuzzer harnesses in `fuzz_targets/` and
//! by the stable replay test `tests/fuzz_replay.rs` of the workspace.

#[path = "targets.rs"]
pub mod targets;
