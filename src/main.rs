fn main() {
    std::process::exit(asl_lint::cli::main());
}
