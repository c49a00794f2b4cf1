//! Command-line arguments (clap derive).

//!
//! Every count is checked against its limit ([`relufit::limits`]) by the value parsers below,
//! before anything runs: a bad value is a usage error (exit 2) naming the flag.

use crate::commands::{decode_mcc, gen_mcc, lift_mcc, mcc_solve, reduce_mcc};
use crate::commands::{
    decode_separability, gen_separability, lift_separability, reduce_separability, separability,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use relufit::limits::{self, MAX_LISTED, MAX_WIDTH};
use std::path::PathBuf;
use std::time::Duration;

/// A value parser for a count in `min..=max` (digits only; the message gives the range).
pub fn count(
    min: usize,
    max: usize,
) -> impl Fn(&str) -> Result<usize, String> + Clone + Send + Sync + 'static {
    move |text| limits::parse_count(text, min, max).map_err(String::from)
}

/// A value parser for a grid parameter (`--range`, `--denominator`): `1..=`
/// [`limits::MAX_GRID`].
pub fn grid(text: &str) -> Result<i64, String> {
    limits::parse_count(text, 1, limits::MAX_GRID)
        .map(|v| v as i64)
        .map_err(String::from)
}

/// A value parser for a picture side in pixels: `1..=` [`limits::MAX_PICTURE_SIDE`].
pub fn picture_side(text: &str) -> Result<u32, String> {
    limits::parse_count(text, 1, limits::MAX_PICTURE_SIDE)
        .map(|v| v as u32)
        .map_err(String::from)
}

/// A value parser for a duration in seconds ([`limits::parse_seconds`]).
pub fn seconds(text: &str) -> Result<Duration, String> {
    limits::parse_seconds(text).map_err(String::from)
}

/// A value parser for a memory size in bytes with an optional suffix
/// ([`limits::parse_bytes`]).
pub fn memory_size(text: &str) -> Result<usize, String> {
    limits::parse_bytes(text)
        .map(|b| usize::try_from(b).unwrap_or(usize::MAX))
        .map_err(String::from)
}

/// `--time-limit` of the commands other than `solve`.
#[derive(Debug, Args)]
pub struct TimeLimitArg {
    /// Stop after this many seconds from the start (reading the input included) with exit
    /// code 3, writing nothing: a number >= 0 such as 30, 0.5 or 1/4, at most 1000000000.
    /// Ctrl-C stops the same way.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub time_limit: Option<Duration>,
}

/// Exact training of two-layer ReLU and threshold networks, the Froese-Hertrich hardness
/// reductions, and an independent exact verifier.
///
/// Every number is an exact rational. A reported fit has passed exact verification. Outputs
/// (`-o`) are written atomically; `-` is standard output, symbolic links are followed, FIFOs
/// and devices are written in place, and an output that is also an input is refused.
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
    /// ExactFit for convex/concave networks (Theorem 11), a depth-first search over the
    /// points' activation patterns for any signs (exact fits, every fit with --all, abs/max
    /// optima by branch and bound), and the enumeration over activation patterns for any
    /// signs, activations and losses (shardable: --shard i/N, then merge).
    Solve(SolveArgs),
    /// Combine the results of `solve --shard i/N` runs into one certified answer.
    Merge(MergeArgs),
    /// Convert between formats by file extension: CSV <-> JSON, JSON/CSV -> .npy (float64).
    Convert(ConvertArgs),
    /// Run the paper's Figure 5 example end to end and write everything to ./relufit-demo/.
    Demo(DemoArgs),
    /// Build a hardness instance from a source problem (POITS: Theorem 1 / Corollary 8;
    /// 2-hyperplane separability: Theorem 7 / Corollary 10; MULTICOLORED CLIQUE: Corollary 9).
    #[command(subcommand)]
    Reduce(ReduceCommand),
    /// Map a source-problem solution to a network that fits the reduced instance.
    #[command(subcommand)]
    Lift(LiftCommand),
    /// Map a network that fits a reduced instance back to a source-problem solution.
    #[command(subcommand)]
    Decode(DecodeCommand),
    /// Generate random or planted source problems and instances.
    #[command(subcommand)]
    Gen(GenCommand),
    /// Solve a Positive 1-in-3 SAT formula exactly: decide, count or enumerate solutions.
    Sat(SatArgs),
    /// Draw an instance (d = 2), optionally with a network's breaklines and phi, as SVG.
    Plot(PlotArgs),
    /// Write the paper's Figures 2, 3 and 5 (and a picture of the Corollary 9 construction)
    /// as SVG files into a directory.
    Figures(FiguresArgs),
    /// 2-hyperplane separability tools: decide, check, figure.
    #[command(subcommand)]
    Separability(separability::SeparabilityCmd),
    /// MULTICOLORED CLIQUE tools (the source problem of Corollary 9): solve.
    #[command(subcommand)]
    Mcc(mcc_solve::MccCmd),
}

/// `relufit reduce ...`.
#[derive(Debug, Subcommand)]
pub enum ReduceCommand {
    /// Positive 1-in-3 SAT (DIMACS) -> 2-D training instance (Theorem 1 for ReLU with
    /// k = 4(m+n); Corollary 8 for threshold with k = 2(m+n)), padded to --dim and --gamma.
    Poits(ReducePoitsArgs),
    /// 2-hyperplane separability -> training instance (Theorem 7: ReLU, k = 4; Corollary 10:
    /// threshold, k = 2; larger --width padded).
    Separability(reduce_separability::ReduceArgs),
    /// MULTICOLORED CLIQUE (JSON, or DIMACS with --kappa) -> one neuron under l^p
    /// (Corollary 9: threshold; JAIR 2022: ReLU), d = 2 kappa + 1; larger --width padded.
    Mcc(reduce_mcc::ReduceMccArgs),
}

/// `relufit lift ...`.
#[derive(Debug, Subcommand)]
pub enum LiftCommand {
    /// Assignment (+ literal choices) -> the canonical network of equation (2), verified.
    Poits(LiftPoitsArgs),
    /// Two hyperplanes in restricted form (3)-(5) -> a network fitting the reduced instance.
    Separability(lift_separability::LiftArgs),
    /// A multicoloured clique -> the canonical network (error exactly gamma), verified.
    Mcc(lift_mcc::LiftMccArgs),
}

/// `relufit decode ...`.
#[derive(Debug, Subcommand)]
pub enum DecodeCommand {
    /// A network that fits a POITS instance exactly -> the 1-in-3 solution it encodes.
    Poits(DecodePoitsArgs),
    /// A fitting network -> two hyperplanes strictly separating Q and P.
    Separability(decode_separability::DecodeArgs),
    /// Any network with error <= gamma -> the multicoloured clique it encodes, checked.
    Mcc(decode_mcc::DecodeMccArgs),
}

/// `relufit gen ...`.
#[derive(Debug, Subcommand)]
pub enum GenCommand {
    /// A random or planted Positive 1-in-3 SAT formula (DIMACS), seeded.
    Poits(GenPoitsArgs),
    /// A planted 2-hyperplane separability instance satisfying (3)-(5).
    Separability(gen_separability::GenArgs),
    /// A planted convex (or concave) ReLU instance with gamma = 0, optionally a near miss.
    Planted(crate::commands::gen_planted::PlantedArgs),
    /// A random, planted or clique-free MULTICOLORED CLIQUE instance (relufit-mcc/1), or a
    /// DIMACS clique benchmark graph (--family).
    Mcc(gen_mcc::GenMccArgs),
}

/// `relufit reduce poits`.
#[derive(Debug, Args)]
pub struct ReducePoitsArgs {
    /// Formula in DIMACS CNF, every clause three positive literals.
    pub formula: PathBuf,
    /// Activation: relu (Theorem 1) or threshold (Corollary 8).
    #[arg(long, default_value = "relu")]
    pub activation: String,
    /// Input dimension d >= 2 (inputs and weights padded with zeros), at most 10000.
    #[arg(long, default_value_t = 2, value_parser = count(2, limits::MAX_DIMENSION))]
    pub dim: usize,
    /// Target error gamma >= 0 (incompatible point pairs force exactly this error; not with
    /// the max loss, where the padding is not an equivalence).
    #[arg(long, default_value = "0")]
    pub gamma: String,
    /// Loss: squared, abs, max (gamma = 0 only) or zero-one.
    #[arg(long, default_value = "squared")]
    pub loss: String,
    /// Output instance file (JSON, written atomically; `-` for stdout).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// How a POITS assignment is given.
#[derive(Debug, Args)]
pub struct AssignmentArgs {
    /// The true variables, e.g. "1 3" (all others false).
    #[arg(long = "true", value_name = "VARS", conflicts_with = "assignment")]
    pub true_vars: Option<String>,
    /// A file holding the list of true variables.
    #[arg(long, value_name = "FILE")]
    pub assignment: Option<PathBuf>,
    /// The chosen literal (1..3) of each clause, e.g. "3 2 3" (default: each clause's true literal).
    #[arg(long)]
    pub choices: Option<String>,
}

/// `relufit lift poits`.
#[derive(Debug, Args)]
pub struct LiftPoitsArgs {
    /// Instance made by `relufit reduce poits`.
    pub instance: PathBuf,
    /// The assignment.
    #[command(flatten)]
    pub assignment: AssignmentArgs,
    /// Output network file (JSON, written atomically).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit decode poits`.
#[derive(Debug, Args)]
pub struct DecodePoitsArgs {
    /// Instance made by `relufit reduce poits`.
    pub instance: PathBuf,
    /// A network that fits it exactly.
    pub network: PathBuf,
    /// Write the rebuilt canonical network here.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit gen poits`.
#[derive(Debug, Args)]
pub struct GenPoitsArgs {
    /// Number of variables n (at most 1000000).
    #[arg(long, value_parser = count(0, limits::MAX_VARIABLES))]
    pub vars: usize,
    /// Number of clauses m (at most 1000000).
    #[arg(long, value_parser = count(0, limits::MAX_CLAUSES))]
    pub clauses: usize,
    /// Plant a solution first and draw clauses consistent with it (written as a comment).
    #[arg(long)]
    pub planted: bool,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output DIMACS file (written atomically).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// `relufit sat`.
#[derive(Debug, Args)]
pub struct SatArgs {
    /// Formula in DIMACS CNF (Positive 1-in-3 SAT).
    pub formula: PathBuf,
    /// Count all solutions.
    #[arg(long)]
    pub count: bool,
    /// List up to N solutions (1..=1000000).
    #[arg(long, value_name = "N", value_parser = count(1, MAX_LISTED))]
    pub enumerate: Option<usize>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// Instance file (d = 2, or zero-padded from d = 2).
    pub instance: PathBuf,
    /// Network whose breaklines (convex / concave) to draw.
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// Shade the plane by the value of phi (needs --network).
    #[arg(long, requires = "network")]
    pub shade: bool,
    /// Window "x1min,x1max,x2min,x2max" (default: all points).
    #[arg(long, allow_hyphen_values = true)]
    pub window: Option<String>,
    /// Image width in pixels (1..=20000; at least 200 is used).
    #[arg(long, default_value_t = 800, value_parser = picture_side)]
    pub width: u32,
    /// Image height in pixels (1..=20000; at least 150 is used).
    #[arg(long, default_value_t = 800, value_parser = picture_side)]
    pub height: u32,
    /// Title.
    #[arg(long)]
    pub title: Option<String>,
    /// Output SVG file (written atomically).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// `relufit figures`.
#[derive(Debug, Args)]
pub struct FiguresArgs {
    /// Directory to write figure2.svg, figure3.svg, figure5.svg, corollary9.svg into
    /// (created if missing).
    #[arg(short, long, default_value = "relufit-figures")]
    pub output: PathBuf,
}

/// `relufit demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory for the demo's files (created if missing).
    #[arg(short, long, default_value = "relufit-demo")]
    pub output: PathBuf,
}

/// `relufit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Instance file (relufit-instance/1 JSON).
    pub instance: PathBuf,
    /// Network file (relufit-network/1 JSON).
    pub network: PathBuf,
    /// How many of the worst points to list when the network does not fit.
    #[arg(long, default_value_t = 10, value_parser = count(0, MAX_LISTED))]
    pub worst: usize,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
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
    /// Depth-first search over the activation patterns of the points with propagation: any
    /// output signs, ReLU and threshold, gamma = 0 (with --all: every fitting ReLU function);
    /// abs and max losses by branch and bound (loss <= gamma, or the least loss with
    /// --optimize).
    Patterns,
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
    /// Stop after this many seconds from the start (reading the input included) with outcome
    /// "unknown" (exit code 3): a number >= 0 such as 30, 0.5 or 1/4, at most 1000000000.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub time_limit: Option<Duration>,
    /// Stop with outcome "unknown" (exit code 3) instead of letting the search's memory grow
    /// past this many bytes: a number with an optional suffix K, M, G or T (powers of 1024),
    /// e.g. 512M or 4G, from 1M to 1024T (default: half of the machine's memory).
    #[arg(long, value_name = "BYTES", value_parser = memory_size)]
    pub memory_limit: Option<usize>,
    /// Worker threads for the search trees of ExactFit and the pattern search and for the
    /// enumeration (1..=256; default: the available cores, at most 64).
    #[arg(long, value_parser = count(1, limits::MAX_THREADS))]
    pub threads: Option<usize>,
    /// Measurement: solve LPs with the exact simplex only (no float-guided basis).
    #[arg(long, hide = true)]
    pub exact_lp_only: bool,
    /// Measurement: ExactFit with only the paper's tests (no upper-bound or cap test).
    #[arg(long, hide = true)]
    pub paper_rules_only: bool,
    /// Write the certificate network here (written atomically; `-` for stdout); with
    /// --shard, the shard result (relufit-shard/1 JSON) for `relufit merge`.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Explore the fixed part i/N (0-based, N at most 1000000) of the search and write it
    /// with -o for `relufit merge`: the enumeration, or the pattern search (exact fits; auto
    /// uses it for gamma = 0 without --optimize).
    #[arg(long, value_name = "i/N")]
    pub shard: Option<String>,
    /// Compute the exact least error, not just whether it is <= gamma: the enumeration
    /// (enumerate), or the pattern search's branch and bound (patterns; abs, max); auto uses
    /// the branch and bound for abs and max with k >= 3 and d >= 2, else an exact fit
    /// (optimum 0) if one exists, then the enumeration.
    #[arg(long)]
    pub optimize: bool,
    /// List every distinct fitting function (pattern search; ReLU, gamma = 0), one verified
    /// network each, and whether the list is complete; with -o, write them all (JSON).
    #[arg(long, conflicts_with_all = ["optimize", "shard"])]
    pub all: bool,
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
    /// Width k (required when reading CSV; 1..=200000).
    #[arg(long, value_parser = count(1, MAX_WIDTH))]
    pub k: Option<usize>,
    /// Target error gamma >= 0 (exact rational).
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
    /// Output: .json, .csv or .npy (float64 array of shape (n, d+1), columns x1..xd,y;
    /// values beyond the float64 range are refused).
    pub output: PathBuf,
    /// Parameters for CSV input.
    #[command(flatten)]
    pub csv: CsvParams,
}
