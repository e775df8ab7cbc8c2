//! The `podc` binary: everything lives in the library; main only exits with its code.
fn main() {
    std::process::exit(podc::cli::run());
}
