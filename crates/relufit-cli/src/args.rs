//! Command-line arguments (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exact training of two-layer ReLU and threshold networks, the Froese-Hertrich hardness
/// reductions, and an independent exact verifier.
///
/// Every number is an exact rational. A reported fit has passed exact verification.
/// Exit codes: 0 success (fit found / verification passed), 1 definite negative answer
/// (no fit / verification failed), 2 bad input or internal error.
#[derive(Debug, Parser)]
#[command(name = "relufit", version, about, long_about)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// All commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a network against an instance exactly: error, pass/fail against gamma, worst points.
    Verify(VerifyArgs),
    /// Solve an instance exactly: interpolation (k >= distinct inputs), single-ReLU LP,
    /// ExactFit for convex/concave networks (Theorem 11), enumeration over activation
    /// patterns for any signs and both activations (shardable: --shard i/N, then merge).
    Solve(SolveArgs),
    /// Generate instances (`relufit gen planted`).
    Gen(crate::commands::gen_planted::GenArgs),
    /// Combine the results of `solve --shard i/N` runs into one certified answer.
    Merge(MergeArgs),
    /// Convert between formats by file extension: CSV <-> JSON, JSON/CSV -> .npy (float64).
    Convert(ConvertArgs),
}

/// `relufit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Instance file (relufit-instance/1 JSON).
    pub instance: PathBuf,
    /// Network file (relufit-network/1 JSON).
    pub network: PathBuf,
    /// How many of the worst points to list when the network does not fit.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Algorithms selectable on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AlgorithmArg {
    /// Choose automatically.
    Auto,
    /// Over-parameterised interpolation (k >= number of distinct inputs).
    Interpolate,
    /// ExactFit (Theorem 11) for all a_j = +1 (or -1 with --signs concave), gamma = 0.
    Exactfit,
    /// One LP per output sign for a single ReLU (k = 1, gamma = 0).
    Single,
    /// Enumeration over activation patterns (Arora et al.; threshold: Khalife-Basu): any
    /// output signs, both activations, gamma = 0 for every loss, abs/max for any gamma
    /// (threshold: every loss).
    Enumerate,
}

/// Output-weight sign class for ExactFit.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SignsArg {
    /// All a_j = +1 (convex phi).
    Convex,
    /// All a_j = -1 (concave phi).
    Concave,
}

/// `relufit solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Instance file (relufit-instance/1 JSON).
    pub instance: PathBuf,
    /// Algorithm.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Auto)]
    pub algorithm: AlgorithmArg,
    /// Sign class for ExactFit (default: auto tries both, exactfit uses convex).
    #[arg(long, value_enum)]
    pub signs: Option<SignsArg>,
    /// Stop after this many seconds with outcome "unknown" (exit code 3).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Worker threads for ExactFit's search tree and the enumeration.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Measurement: solve LPs with the exact simplex only (no float-guided basis).
    #[arg(long, hide = true)]
    pub exact_lp_only: bool,
    /// Measurement: ExactFit with only the paper's tests (no upper-bound test).
    #[arg(long, hide = true)]
    pub paper_rules_only: bool,
    /// Write the certificate network here (written atomically); with --shard, the shard
    /// result (relufit-shard/1 JSON) for `relufit merge`.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Enumeration only: explore the fixed part i/N (0-based) of the search; requires -o.
    #[arg(long, value_name = "i/N")]
    pub shard: Option<String>,
    /// Enumeration only: compute the exact least error, not just whether it is <= gamma.
    #[arg(long)]
    pub optimize: bool,
}

/// `relufit merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard result files written by `relufit solve --shard i/N -o FILE`.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Write the best network here.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Instance parameters that a CSV file does not hold.
#[derive(Debug, Args)]
pub struct CsvParams {
    /// Width k (required when reading CSV).
    #[arg(long)]
    pub k: Option<usize>,
    /// Target error gamma (exact rational).
    #[arg(long, default_value = "0")]
    pub gamma: String,
    /// Loss: squared, abs, max or zero-one.
    #[arg(long, default_value = "squared")]
    pub loss: String,
    /// Activation: relu or threshold.
    #[arg(long, default_value = "relu")]
    pub activation: String,
}

/// `relufit convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input: .json instance or .csv data (columns x1..xd,y, optional header).
    pub input: PathBuf,
    /// Output: .json, .csv or .npy (float64 array of shape (n, d+1), columns x1..xd,y).
    pub output: PathBuf,
    /// Parameters for CSV input.
    #[command(flatten)]
    pub csv: CsvParams,
}
