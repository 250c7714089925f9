//! The `asl-test` binary: argument parsing lives in [`asl_test::cli`].

fn main() {
    std::process::exit(asl_test::cli::main());
}
