//! The `relufit` binary; everything is in the crate's library part (`src/lib.rs`).

fn main() -> std::process::ExitCode {
    relufit_cli::main()
}
