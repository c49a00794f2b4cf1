//! The adapter: the only module of the bindings that calls the relufit library.
//!
//! Everything the Python classes need goes through the types and functions here: numbers,
//! instances, networks, file formats, the verifier, the solvers (settings in, outcomes out),
//! shards and merging, the reductions and the plots. The rest of the crate speaks PyO3 and
//! this module's own types ([`SolveRequest`], [`Solved`], [`Failure`], ...), so a change of
//! the library's API (e.g. of `SolveSettings` or `Outcome`) is an edit of this file alone.
//!
//! Messages are the library's own (the CLI prints the same text); where the CLI adds a
//! location (`--time-limit`), the bindings name the Python argument instead (`time_limit`).

use relufit::io as rio;
use relufit::limits;
use relufit::model::{CanonicalFunction, InstanceIssue};
use relufit::num::{parse_rational, Int};
use relufit::plot::PlotOptions;
use relufit::reduce::{poits, separability};
use relufit::solve::shard::{self, Shard as LibShard, ShardResult};
use relufit::solve::{
    self as lib_solve, Algorithm as LibAlgorithm, Observer, Outcome, Progress, Signs as LibSigns,
    SolveError, SolveSettings, Stats,
};
use relufit::verify::{self as lib_verify};
use relufit::{Activation, Loss, Neuron, Point};
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub use relufit::Rational;

// ------------------------------------------------------------------------------------------
// Errors

/// Why an operation failed, classified for the Python exception it becomes.
#[derive(Debug, Clone)]
pub enum Failure {
    /// Malformed input or an invalid request (`ValueError`).
    Input(String),
    /// No algorithm of this build decides the instance as asked (`ValueError`).
    NoSolver(String),
    /// Reading or writing a file failed (`OSError`); `message` is `path: reason`.
    Io {
        /// What kind of failure (decides the `OSError` subclass).
        kind: std::io::ErrorKind,
        /// `path: what the operating system said`, as the CLI prints it.
        message: String,
    },
    /// An internal check failed (a bug, reported loudly: `RuntimeError`).
    Internal(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Input(m) | Failure::NoSolver(m) | Failure::Internal(m) => f.write_str(m),
            Failure::Io { message, .. } => f.write_str(message),
        }
    }
}

impl From<relufit::Error> for Failure {
    fn from(e: relufit::Error) -> Self {
        match &e {
            relufit::Error::Io { source, .. } => Failure::Io {
                kind: source.kind(),
                message: e.to_string(),
            },
            relufit::Error::Input { .. } | relufit::Error::Invalid(_) => {
                Failure::Input(e.to_string())
            }
            // The adapter calls the library without run-time limits, so nothing stops it;
            // should that change, a stop is reported, not hidden.
            relufit::Error::Stopped(_) => Failure::Internal(e.to_string()),
            relufit::Error::Solve(s) => Failure::from(s.clone()),
            relufit::Error::Verify(_) | relufit::Error::Number(_) => Failure::Input(e.to_string()),
        }
    }
}

impl From<SolveError> for Failure {
    fn from(e: SolveError) -> Self {
        match e {
            SolveError::NoSolver(_) => Failure::NoSolver(e.to_string()),
            SolveError::NotApplicable(_) => Failure::Input(e.to_string()),
            SolveError::VerificationFailed { .. } => Failure::Internal(e.to_string()),
        }
    }
}

/// `Result` with [`Failure`].
pub type Res<T> = Result<T, Failure>;

fn input(location: &str, message: impl std::fmt::Display) -> Failure {
    Failure::Input(format!("{location}: {message}"))
}

// ------------------------------------------------------------------------------------------
// Numbers

/// The exact value of a finite double (every finite double is a dyadic rational); NaN and
/// infinities are refused with the text parser's messages.
pub fn number_from_f64(v: f64) -> Result<Rational, String> {
    if !v.is_finite() {
        let text = if v.is_nan() {
            "nan"
        } else if v > 0.0 {
            "inf"
        } else {
            "-inf"
        };
        return Err(match parse_rational(text) {
            Err(e) => e.to_string(),
            Ok(_) => format!("`{text}` is not a finite number"),
        });
    }
    Rational::try_from(v).map_err(|_| format!("`{v}` cannot be converted exactly"))
}

/// An exact rational from text (integer, decimal, fraction), as in the file formats.
pub fn number_from_text(text: &str) -> Result<Rational, String> {
    parse_rational(text).map_err(|e| e.to_string())
}

/// The integer `v`.
pub fn number_from_i64(v: i64) -> Rational {
    Rational::from(v)
}

/// `num / den` from machine integers (`den != 0`).
pub fn number_from_ratio(num: i64, den: i64) -> Result<Rational, String> {
    if den == 0 {
        return Err(format!(
            "`{num}/0` is not an exact rational number: division by zero"
        ));
    }
    Ok(Rational::from_parts_signed(Int::from(num), Int::from(den)))
}

/// `num / den` from two integers written in hexadecimal (`-1f`): Python ints of any size
/// cross as hexadecimal text, which has no digit limit.
pub fn number_from_hex_ratio(num: &str, den: &str) -> Result<Rational, String> {
    let parse = |t: &str| {
        Int::from_str_radix(t, 16).map_err(|e| format!("`{t}` is not a hexadecimal integer: {e}"))
    };
    let (n, d) = (parse(num)?, parse(den)?);
    if d == Int::ZERO {
        return Err("division by zero".into());
    }
    Ok(Rational::from_parts_signed(n, d))
}

/// The numerator and denominator of a rational, as machine integers when both fit.
pub enum NumberParts {
    /// Numerator and (positive) denominator fit in `i64`.
    Small(i64, i64),
    /// Hexadecimal text of numerator (signed) and denominator.
    Hex(String, String),
}

/// Numerator and denominator of `q` (lowest terms, positive denominator).
pub fn number_parts(q: &Rational) -> NumberParts {
    let (n, d) = (q.numerator(), q.denominator());
    match (i64::try_from(n), i64::try_from(d)) {
        (Ok(n), Ok(d)) => NumberParts::Small(n, d),
        _ => NumberParts::Hex(format!("{n:x}"), format!("{d:x}")),
    }
}

/// The nearest double (correctly rounded; exact for every rational that is a double).
pub fn number_to_f64(q: &Rational) -> f64 {
    q.to_f64().value()
}

/// Whether `q` is an integer.
pub fn number_is_integer(q: &Rational) -> bool {
    q.denominator() == &relufit::num::Natural::ONE
}

/// `q` as a non-negative machine integer, if it is one.
pub fn number_to_usize(q: &Rational) -> Option<usize> {
    if !number_is_integer(q) {
        return None;
    }
    usize::try_from(q.numerator()).ok()
}

/// Zero.
pub fn number_zero() -> Rational {
    Rational::ZERO
}

// ------------------------------------------------------------------------------------------
// Instances and networks

fn parse_activation(text: &str) -> Res<Activation> {
    Activation::from_str(text).map_err(|e| input("activation", e))
}

fn parse_loss(text: &str) -> Res<Loss> {
    Loss::from_str(text).map_err(|e| input("loss", e))
}

/// Everything that makes an instance, in plain data.
pub struct InstanceSpec {
    /// Inputs, one row per point.
    pub xs: Vec<Vec<Rational>>,
    /// Labels.
    pub ys: Vec<Rational>,
    /// Width.
    pub k: usize,
    /// `relu` or `threshold`.
    pub activation: String,
    /// `squared`, `abs`, `max` or `zero-one`.
    pub loss: String,
    /// Target error.
    pub gamma: Rational,
    /// Provenance as JSON text (`None`: no meta).
    pub meta_json: Option<String>,
}

/// A training instance (the library's, validated).
#[derive(Debug, Clone, PartialEq)]
pub struct Instance(relufit::Instance);

impl Instance {
    /// Build and validate an instance.
    pub fn new(spec: InstanceSpec) -> Res<Instance> {
        if spec.xs.len() != spec.ys.len() {
            return Err(input(
                "X, y",
                format!(
                    "X has {} rows but y has {} labels",
                    spec.xs.len(),
                    spec.ys.len()
                ),
            ));
        }
        let meta = match &spec.meta_json {
            None => serde_json::Value::Null,
            Some(t) => serde_json::from_str(t).map_err(|e| input("meta", e))?,
        };
        let inst = relufit::Instance {
            activation: parse_activation(&spec.activation)?,
            k: spec.k,
            gamma: spec.gamma,
            loss: parse_loss(&spec.loss)?,
            lp: None,
            points: spec
                .xs
                .into_iter()
                .zip(spec.ys)
                .map(|(x, y)| Point::new(x, y))
                .collect(),
            meta,
        };
        inst.validate().map_err(|e| Failure::Input(e.into()))?;
        Ok(Instance(inst))
    }

    /// The same data with other parameters (`None`: keep).
    pub fn with_params(
        &self,
        k: Option<usize>,
        activation: Option<&str>,
        loss: Option<&str>,
        gamma: Option<Rational>,
    ) -> Res<Instance> {
        let mut inst = self.0.clone();
        if let Some(k) = k {
            inst.k = k;
        }
        if let Some(a) = activation {
            inst.activation = parse_activation(a)?;
        }
        if let Some(l) = loss {
            inst.loss = parse_loss(l)?;
            inst.lp = None;
        }
        if let Some(g) = gamma {
            inst.gamma = g;
        }
        inst.validate().map_err(|e| Failure::Input(e.into()))?;
        Ok(Instance(inst))
    }

    /// Parse `relufit-instance/1` JSON; `source` prefixes error messages.
    pub fn from_json(text: &str, source: &str) -> Res<Instance> {
        Ok(Instance(rio::instance_from_json(text, source)?))
    }

    /// Read CSV data (`x1,...,xd,y`, optional header) with the parameters CSV lacks.
    pub fn from_csv(
        text: &str,
        source: &str,
        k: usize,
        activation: &str,
        loss: &str,
        gamma: Rational,
    ) -> Res<Instance> {
        let opts = rio::CsvOptions {
            activation: parse_activation(activation)?,
            k,
            gamma,
            loss: parse_loss(loss)?,
        };
        Ok(Instance(rio::instance_from_csv(text, source, &opts)?))
    }

    /// `relufit-instance/1` JSON text.
    pub fn to_json(&self) -> String {
        rio::instance_to_json(&self.0)
    }

    /// CSV text (`x1,...,xd,y` with header, exact values).
    pub fn to_csv(&self) -> String {
        rio::instance_to_csv(&self.0)
    }

    /// The `.npy` bytes (float64, shape `(n, d + 1)`); fails, naming the point, for a value
    /// beyond the float64 range.
    pub fn to_npy(&self) -> Res<Vec<u8>> {
        Ok(rio::instance_to_npy(&self.0)?)
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Input dimension.
    pub fn dim(&self) -> usize {
        self.0.dim()
    }

    /// Width `k`.
    pub fn k(&self) -> usize {
        self.0.k
    }

    /// Target error.
    pub fn gamma(&self) -> &Rational {
        &self.0.gamma
    }

    /// Activation name.
    pub fn activation(&self) -> &'static str {
        self.0.activation.name()
    }

    /// Loss name.
    pub fn loss(&self) -> String {
        self.0.loss_spec().to_string()
    }

    /// Input of point `i`.
    pub fn x(&self, i: usize) -> &[Rational] {
        &self.0.points[i].x
    }

    /// Label of point `i`.
    pub fn y(&self, i: usize) -> &Rational {
        &self.0.points[i].y
    }

    /// `meta` as JSON text (`null` when absent).
    pub fn meta_json(&self) -> String {
        serde_json::to_string(&self.0.meta).unwrap_or_else(|_| "null".into())
    }

    /// Pairs of points with one input and different labels.
    pub fn conflicting_duplicates(&self) -> Vec<(usize, usize)> {
        self.0
            .issues()
            .into_iter()
            .map(|InstanceIssue::ConflictingDuplicate { first, second }| (first, second))
            .collect()
    }

    /// Number of distinct inputs.
    pub fn distinct_inputs(&self) -> usize {
        self.0.distinct_inputs()
    }
}

/// A two-layer network (the library's, validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network(relufit::Network);

/// One neuron in plain data: `(w, b, a)`.
pub type NeuronParts = (Vec<Rational>, Rational, Rational);

impl Network {
    /// Build and validate a network.
    pub fn new(activation: &str, neurons: Vec<NeuronParts>) -> Res<Network> {
        let net = relufit::Network::new(
            parse_activation(activation)?,
            neurons
                .into_iter()
                .map(|(w, b, a)| Neuron::new(w, b, a))
                .collect(),
        );
        net.validate().map_err(|e| Failure::Input(e.into()))?;
        Ok(Network(net))
    }

    /// Parse `relufit-network/1` JSON.
    pub fn from_json(text: &str, source: &str) -> Res<Network> {
        Ok(Network(rio::network_from_json(text, source)?))
    }

    /// `relufit-network/1` JSON text.
    pub fn to_json(&self) -> String {
        rio::network_to_json(&self.0)
    }

    /// Activation name.
    pub fn activation(&self) -> &'static str {
        self.0.activation.name()
    }

    /// Width.
    pub fn width(&self) -> usize {
        self.0.width()
    }

    /// Input dimension (0 for an empty network).
    pub fn dim(&self) -> usize {
        self.0.dim()
    }

    /// Neuron `j` as `(w, b, a)`.
    pub fn neuron(&self, j: usize) -> (&[Rational], &Rational, &Rational) {
        let n = &self.0.neurons[j];
        (&n.w, &n.b, &n.a)
    }

    /// The paper's normalisation (output weights +1 / -1 for ReLU).
    pub fn normalize(&self) -> Network {
        Network(self.0.normalize())
    }

    /// `phi(x)` exactly at every input (the verifier's kernel).
    pub fn evaluate(&self, xs: &[Vec<Rational>]) -> Res<Vec<Rational>> {
        let d = self.dim();
        if let Some(i) = xs.iter().position(|x| x.len() != d && self.width() > 0) {
            return Err(input(
                &format!("X[{i}]"),
                format!(
                    "the network has input dimension {d} but the point has dimension {}",
                    xs[i].len()
                ),
            ));
        }
        let refs: Vec<&[Rational]> = xs.iter().map(Vec::as_slice).collect();
        Ok(lib_verify::evaluate(&self.0, &refs).values)
    }

    /// Number of distinct breaking hyperplanes of the function (ReLU; `None` for threshold).
    pub fn breaking_hyperplanes(&self) -> Option<usize> {
        CanonicalFunction::of(&self.0).map(|f| f.hyperplanes())
    }

    /// Whether two networks compute the same function on all of `R^d` (ReLU; `None` for
    /// threshold networks).
    pub fn same_function(&self, other: &Network) -> Option<bool> {
        Some(CanonicalFunction::of(&self.0)? == CanonicalFunction::of(&other.0)?)
    }
}

// ------------------------------------------------------------------------------------------
// Files

/// Read a text file (errors name the file).
pub fn read_text(path: &Path) -> Res<String> {
    Ok(rio::read_text(path)?)
}

/// Write an output file as the CLI does: a regular file is replaced atomically (temporary
/// file + rename), a symbolic link is followed, a FIFO or device is written in place.
pub fn write_file(path: &Path, bytes: &[u8]) -> Res<()> {
    Ok(rio::write_output(path, bytes)?)
}

// ------------------------------------------------------------------------------------------
// Verification

/// The verifier's exact judgement of a network on an instance.
#[derive(Debug, Clone)]
pub struct Report(lib_verify::Report);

/// Judge `net` on `inst` exactly.
pub fn verify(inst: &Instance, net: &Network) -> Res<Report> {
    lib_verify::verify(&inst.0, &net.0)
        .map(Report)
        .map_err(|e| Failure::Input(e.to_string()))
}

impl Report {
    /// `phi(x_i)` for every point.
    pub fn values(&self) -> &[Rational] {
        &self.0.values
    }

    /// The exact training error.
    pub fn error(&self) -> &Rational {
        &self.0.error
    }

    /// The instance's target error.
    pub fn gamma(&self) -> &Rational {
        &self.0.gamma
    }

    /// Width `<= k` and error `<= gamma`.
    pub fn passes(&self) -> bool {
        self.0.passes()
    }

    /// More neurons than `k`.
    pub fn too_wide(&self) -> bool {
        self.0.too_wide()
    }

    /// Neurons of the network.
    pub fn width(&self) -> usize {
        self.0.width
    }

    /// The instance's `k`.
    pub fn k(&self) -> usize {
        self.0.k
    }

    /// Points with `phi(x_i) != y_i`.
    pub fn misfit_points(&self, inst: &Instance) -> Vec<usize> {
        self.0.misfit_points(&inst.0)
    }

    /// Up to `limit` misfit points, largest `|phi - y|` first.
    pub fn worst_points(&self, inst: &Instance, limit: usize) -> Vec<usize> {
        self.0.worst_points(&inst.0, limit)
    }

    /// The float filter's counters: `(pairs, float_decided, exact_computed)`.
    pub fn filter_counts(&self) -> (u64, u64, u64) {
        let s = &self.0.stats;
        (s.pairs, s.float_decided, s.exact_computed)
    }
}

// ------------------------------------------------------------------------------------------
// Solving

/// Which algorithm (the CLI's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Pick the best available.
    Auto,
    /// Interpolation (`k >=` distinct inputs).
    Interpolate,
    /// ExactFit (Theorem 11), convex or concave networks, `gamma = 0`.
    ExactFit,
    /// The single-ReLU LP.
    Single,
    /// The enumeration over activation patterns.
    Enumerate,
    /// The pattern search for any output signs (ReLU, `gamma = 0`).
    Patterns,
}

impl Algorithm {
    /// All algorithms with their names.
    pub const NAMES: [(&'static str, Algorithm); 6] = [
        ("auto", Algorithm::Auto),
        ("interpolate", Algorithm::Interpolate),
        ("exactfit", Algorithm::ExactFit),
        ("single", Algorithm::Single),
        ("enumerate", Algorithm::Enumerate),
        ("patterns", Algorithm::Patterns),
    ];

    /// Parse a name.
    pub fn parse(text: &str) -> Res<Algorithm> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == text)
            .map(|(_, a)| *a)
            .ok_or_else(|| {
                input(
                    "algorithm",
                    format!(
                        "unknown algorithm `{text}` (expected auto, interpolate, exactfit, \
                         single, enumerate or patterns)"
                    ),
                )
            })
    }

    fn library(self) -> LibAlgorithm {
        match self {
            Algorithm::Auto => LibAlgorithm::Auto,
            Algorithm::Interpolate => LibAlgorithm::Interpolate,
            Algorithm::ExactFit => LibAlgorithm::ExactFit,
            Algorithm::Single => LibAlgorithm::Single,
            Algorithm::Enumerate => LibAlgorithm::Enumerate,
            Algorithm::Patterns => LibAlgorithm::Patterns,
        }
    }
}

/// Parse an output-sign class: `convex` (all `a_j = +1`) or `concave`.
pub fn parse_signs(text: &str) -> Res<bool> {
    match text {
        "convex" => Ok(true),
        "concave" => Ok(false),
        other => Err(input(
            "signs",
            format!("unknown sign class `{other}` (expected convex or concave)"),
        )),
    }
}

/// What to solve and how (the bindings' own settings type).
#[derive(Debug, Clone)]
pub struct SolveRequest {
    /// Algorithm.
    pub algorithm: Algorithm,
    /// `Some(true)`: convex networks only, `Some(false)`: concave only.
    pub convex: Option<bool>,
    /// Compute the exact least error (the enumeration or the branch and bound, as the
    /// library's `SolveSettings::optimize`), not only whether it is `<= gamma`.
    pub optimize: bool,
    /// Seconds before the solver stops with "unknown".
    pub time_limit: Option<f64>,
    /// Worker threads (`None`: the library's default, the available cores, as the CLI).
    pub threads: Option<usize>,
    /// Memory budget in bytes (`None`: the library's default).
    pub memory_limit: Option<usize>,
}

/// A snapshot of a running search.
#[derive(Debug, Clone, Default)]
pub struct ProgressInfo {
    /// Nodes (leaves for the enumeration) so far.
    pub nodes: u64,
    /// LPs so far.
    pub lps: u64,
    /// Depth of the current node.
    pub depth: usize,
    /// Seconds since the start.
    pub elapsed: f64,
    /// Total work units when known.
    pub total: Option<u64>,
}

struct LatestProgress(Mutex<Option<ProgressInfo>>);

impl Observer for LatestProgress {
    fn progress(&self, p: &Progress) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(ProgressInfo {
                nodes: p.nodes,
                lps: p.lps,
                depth: p.depth,
                elapsed: p.elapsed.as_secs_f64(),
                total: p.total,
            });
        }
    }
}

/// Cancellation and progress of one run, shared between the solver thread and the caller.
#[derive(Clone)]
pub struct Control {
    cancel: Arc<AtomicBool>,
    progress: Arc<LatestProgress>,
}

impl Default for Control {
    fn default() -> Self {
        Self::new()
    }
}

impl Control {
    /// A fresh control: not cancelled, no progress yet.
    pub fn new() -> Control {
        Control {
            cancel: Arc::new(AtomicBool::new(false)),
            progress: Arc::new(LatestProgress(Mutex::new(None))),
        }
    }

    /// Ask the solver to stop (it returns "unknown" with what it established).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether [`Control::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The latest progress report not yet taken.
    pub fn take_progress(&self) -> Option<ProgressInfo> {
        self.progress.0.lock().ok().and_then(|mut s| s.take())
    }
}

fn settings(req: &SolveRequest, control: &Control) -> Res<SolveSettings> {
    let time_limit = match req.time_limit {
        None => None,
        Some(t) if t.is_finite() && t >= 0.0 => {
            // The CLI's parser and limit (no panic in Duration for huge values).
            let text = format!("{t:e}");
            Some(limits::parse_seconds(&text).map_err(|e| input("time_limit", e))?)
        }
        Some(_) => return Err(input("time_limit", "must be a number of seconds >= 0")),
    };
    let threads = match req.threads {
        None => limits::default_threads(),
        Some(t) if (1..=limits::MAX_THREADS).contains(&t) => t,
        Some(t) => {
            return Err(input(
                "threads",
                format!(
                    "expected 1 to {} worker threads, got {t}",
                    limits::MAX_THREADS
                ),
            ))
        }
    };
    let mut s = SolveSettings::new(req.algorithm.library());
    s.optimize = req.optimize;
    s.signs = req.convex.map(|c| {
        if c {
            LibSigns::Convex
        } else {
            LibSigns::Concave
        }
    });
    s.time_limit = time_limit;
    s.threads = threads;
    s.memory_limit = req.memory_limit;
    s.cancel = Some(control.cancel.clone());
    s.observer = Some(control.progress.clone() as Arc<dyn Observer>);
    Ok(s)
}

/// Fit / no fit / unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A verified network with error `<= gamma`.
    Fit,
    /// No network of the width reaches `gamma` (with evidence).
    NoFit,
    /// Nothing definite (time limit, cancellation).
    Unknown,
}

/// A statistic: a count or a duration.
#[derive(Debug, Clone, Copy)]
pub enum Stat {
    /// A counter.
    Count(u64),
    /// Seconds.
    Seconds(f64),
}

/// What a solve established, in plain data.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The answer.
    pub status: Status,
    /// The certificate (fit) or the best network found (no fit), verified.
    pub network: Option<Network>,
    /// The verifier's report on `network`.
    pub report: Option<Report>,
    /// The exact least error, when known.
    pub optimum: Option<Rational>,
    /// What backs a "no fit".
    pub evidence: Option<String>,
    /// Why the answer is "unknown".
    pub reason: Option<String>,
    /// A "no fit" that covers only convex or concave networks.
    pub restricted_to: Option<&'static str>,
    /// Counters and timings (the keys of the CLI's `--json` output).
    pub stats: Vec<(&'static str, Stat)>,
}

fn stats_list(s: &Stats) -> Vec<(&'static str, Stat)> {
    use Stat::{Count, Seconds};
    vec![
        ("nodes", Count(s.nodes)),
        ("lps", Count(s.lps)),
        ("lps_avoided", Count(s.lps_avoided)),
        ("forced_points", Count(s.forced_points)),
        ("forced_by_upper_bound", Count(s.forced_by_upper_bound)),
        ("rejected_by_upper_bound", Count(s.rejected_by_upper_bound)),
        ("rejected_by_bound", Count(s.rejected_by_bound)),
        ("rejected_by_cap", Count(s.rejected_by_cap)),
        ("pruned_by_sign", Count(s.pruned_by_sign)),
        ("rejected_like_sibling", Count(s.rejected_like_sibling)),
        ("closed_by_farkas", Count(s.closed_by_farkas)),
        ("cold_guesses", Count(s.cold_guesses)),
        ("precise_guesses", Count(s.precise_guesses)),
        ("lp_fallbacks", Count(s.lp_fallbacks)),
        ("decided_by_point", Count(s.decided_by_point)),
        ("decided_by_piece", Count(s.decided_by_piece)),
        ("max_depth", Count(s.max_depth as u64)),
        ("lp_seconds", Seconds(s.lp_time.as_secs_f64())),
        (
            "certificate_check_seconds",
            Seconds(s.check_time.as_secs_f64()),
        ),
        ("seconds", Seconds(s.elapsed.as_secs_f64())),
    ]
}

fn solved(outcome: Outcome, stats: &Stats) -> Solved {
    let stats = stats_list(stats);
    match outcome {
        Outcome::Fit {
            network,
            report,
            optimum,
        } => Solved {
            status: Status::Fit,
            network: Some(Network(network)),
            report: Some(Report(report)),
            optimum,
            evidence: None,
            reason: None,
            restricted_to: None,
            stats,
        },
        Outcome::NoFit {
            optimum,
            best,
            evidence,
            restricted_to,
        } => {
            let (network, report) = wrap_best(best);
            Solved {
                status: Status::NoFit,
                network,
                report,
                optimum,
                evidence: Some(evidence.to_string()),
                reason: None,
                restricted_to: restricted_to.map(LibSigns::name),
                stats,
            }
        }
        Outcome::Unknown {
            reason,
            progress,
            best,
        } => {
            let (network, report) = wrap_best(best);
            Solved {
                status: Status::Unknown,
                network,
                report,
                optimum: None,
                evidence: None,
                reason: Some(reason.with_progress(&progress)),
                restricted_to: None,
                stats,
            }
        }
    }
}

/// A verified network and its report (a "no"'s best network, a stopped optimisation's
/// incumbent) as the Python objects.
fn wrap_best(
    best: Option<(relufit::Network, lib_verify::Report)>,
) -> (Option<Network>, Option<Report>) {
    match best {
        Some((n, r)) => (Some(Network(n)), Some(Report(r))),
        None => (None, None),
    }
}

/// Refuse the `l^p` losses with `p >= 3`: the solvers read `loss` only (as `relufit solve`).
fn check_solvable_loss(inst: &Instance) -> Res<()> {
    match inst.0.lp {
        Some(p) => Err(input(
            "loss",
            format!("no solver handles the l^{p} loss (lp:{p}); the solvers support squared, abs, max and zero-one"),
        )),
        None => Ok(()),
    }
}

/// Solve `inst` as `req` asks (`relufit solve`, with `--optimize` when asked).
pub fn solve(inst: &Instance, req: &SolveRequest, control: &Control) -> Res<Solved> {
    check_solvable_loss(inst)?;
    if req.optimize
        && !matches!(
            req.algorithm,
            Algorithm::Enumerate | Algorithm::Auto | Algorithm::Patterns
        )
    {
        return Err(input(
            "optimize",
            "needs algorithm=\"enumerate\", \"patterns\" (abs and max losses) or \"auto\"",
        ));
    }
    let s = settings(req, control)?;
    let solution = lib_solve::solve_with(&inst.0, &s)?;
    Ok(solved(solution.outcome, &solution.stats))
}

/// One distinct fitting function of [`all_fits`].
#[derive(Debug, Clone)]
pub struct FoundFit {
    /// A verified network computing it.
    pub network: Network,
    /// The sign class it was first found in (`"p positive, q negative"`).
    pub class: String,
    /// Leaves of the search that gave it.
    pub leaves: u64,
    /// Distinct breaking hyperplanes.
    pub breaking_hyperplanes: usize,
    /// A leaf of it may hold other functions (not proven single).
    pub unresolved: bool,
}

/// Every distinct fitting function (the pattern search's `--all`).
#[derive(Debug, Clone)]
pub struct FitList {
    /// The functions, in the order found.
    pub functions: Vec<FoundFit>,
    /// `complete`, `continuum`, `undetermined` or `partial` (the CLI's words).
    pub completeness: &'static str,
    /// What the completeness means (the CLI's note).
    pub note: String,
    /// Search nodes.
    pub nodes: u64,
    /// Float LPs run.
    pub lps: u64,
    /// Exact certificates checked.
    pub certificates: u64,
}

/// List every distinct fitting function (ReLU, `gamma = 0`).
pub fn all_fits(inst: &Instance, req: &SolveRequest, control: &Control) -> Res<FitList> {
    let mut s = settings(req, control)?;
    s.list_all = true;
    let all = lib_solve::solve_with(&inst.0, &s)?
        .all_fits
        .ok_or_else(|| Failure::Internal("the solver returned no list of functions".into()))?;
    let (completeness, note) = (all.completeness.name(), all.completeness.explanation());
    Ok(FitList {
        functions: all
            .functions
            .into_iter()
            .map(|f| FoundFit {
                breaking_hyperplanes: f.function.hyperplanes(),
                network: Network(f.network),
                class: f.class,
                leaves: f.leaves,
                unresolved: f.unresolved_leaf,
            })
            .collect(),
        completeness,
        note,
        nodes: all.stats.nodes,
        lps: all.stats.lp.guesses,
        certificates: all.stats.lp.certificates,
    })
}

// ------------------------------------------------------------------------------------------
// Shards

/// One shard's result (the library's `relufit-shard/1`, the format `relufit merge` reads).
#[derive(Debug, Clone)]
pub struct Shard(ShardResult);

/// Fail unless `req` can be split into shards for `inst`: the library decides which search
/// shards it ([`relufit::solve::shard::shard_algorithm`]: the enumeration, or the pattern
/// search for exact fits).
pub fn check_shardable(inst: &Instance, req: &SolveRequest) -> Res<()> {
    if req.convex.is_some() {
        return Err(input(
            "signs",
            "shards search every output sign (merge answers for all networks)",
        ));
    }
    let s = SolveSettings {
        optimize: req.optimize,
        ..SolveSettings::new(req.algorithm.library())
    };
    shard::shard_algorithm(&inst.0, &s)?;
    Ok(())
}

/// Search shard `index/count` of `inst` (`relufit solve --shard index/count`).
pub fn solve_shard(
    inst: &Instance,
    req: &SolveRequest,
    index: usize,
    count: usize,
    control: &Control,
) -> Res<Shard> {
    check_solvable_loss(inst)?;
    check_shardable(inst, req)?;
    let mut s = settings(req, control)?;
    s.shard = Some(LibShard::parse(&format!("{index}/{count}")).map_err(|e| input("shard", e))?);
    let part = lib_solve::solve_with(&inst.0, &s)?
        .shard
        .ok_or_else(|| Failure::Internal("the solver returned no shard result".into()))?;
    Ok(Shard(part))
}

impl Shard {
    /// Parse a shard file; `source` prefixes error messages.
    pub fn from_json(text: &str, source: &str) -> Res<Shard> {
        Ok(Shard(ShardResult::from_json(text, source)?))
    }

    /// The `relufit-shard/1` JSON text.
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// `(index, count)`.
    pub fn position(&self) -> (usize, usize) {
        (self.0.shard.index, self.0.shard.count)
    }

    /// Every leaf of the shard solved or cut by an exact bound.
    pub fn exhaustive(&self) -> bool {
        self.0.exhaustive
    }

    /// Why the shard stopped early, if it did.
    pub fn stopped(&self) -> Option<&str> {
        self.0.stopped.as_deref()
    }

    /// The shard's best error.
    pub fn best_error(&self) -> &Rational {
        &self.0.best_error
    }

    /// An optimisation run (exact least error) rather than a decision.
    pub fn optimize(&self) -> bool {
        self.0.optimize
    }

    /// This shard alone decides the problem: a decision run whose best network reaches
    /// `gamma` (the merge reports a fit whatever the other shards say).
    pub fn decisive(&self) -> bool {
        !self.0.optimize && self.0.best_error <= self.0.instance.gamma
    }

    /// The search the shard ran (`"enumerate"` or `"patterns"`).
    pub fn algorithm(&self) -> &'static str {
        self.0.algorithm.name()
    }

    /// Counters: leaves, solved, cut, LPs, seconds (the pattern search: nodes, LPs,
    /// seconds).
    pub fn stats(&self) -> Vec<(&'static str, Stat)> {
        use Stat::{Count, Seconds};
        let s = &self.0.stats;
        if self.0.algorithm == shard::ShardAlgorithm::Patterns {
            return vec![
                ("nodes", Count(self.0.nodes)),
                ("lps", Count(s.lps)),
                ("seconds", Seconds(s.elapsed.as_secs_f64())),
            ];
        }
        vec![
            ("leaves", Count(s.leaves)),
            ("shard_leaves", Count(s.shard_leaves)),
            ("solved", Count(s.solved)),
            ("cut_by_bound", Count(s.cut_by_bound)),
            ("cut_by_incumbent", Count(s.cut_by_incumbent)),
            ("lps", Count(s.lps)),
            ("seconds", Seconds(s.elapsed.as_secs_f64())),
        ]
    }
}

/// Combine shard results into one certified answer (`relufit merge`).
pub fn merge(shards: &[Shard]) -> Res<(Instance, Solved)> {
    let results: Vec<ShardResult> = shards.iter().map(|s| s.0.clone()).collect();
    let (inst, solution) =
        shard::merge(&results).map_err(|e| Failure::Input(format!("merge: {e}")))?;
    Ok((Instance(inst), solved(solution.outcome, &solution.stats)))
}

// ------------------------------------------------------------------------------------------
// Reductions

/// Options of the reductions, in plain data.
pub struct ReduceSpec {
    /// `relu` or `threshold`.
    pub activation: String,
    /// Target error.
    pub gamma: Rational,
    /// Loss.
    pub loss: String,
}

fn formula(num_vars: usize, clauses: Vec<[usize; 3]>) -> Res<relufit::sat::Formula> {
    let f = relufit::sat::Formula { num_vars, clauses };
    f.validate().map_err(|e| input("clauses", e))?;
    Ok(f)
}

/// Theorem 1 (ReLU) / Corollary 8 (threshold): the training instance of a POITS formula.
pub fn poits_reduce(
    num_vars: usize,
    clauses: Vec<[usize; 3]>,
    dim: usize,
    spec: ReduceSpec,
) -> Res<Instance> {
    let f = formula(num_vars, clauses)?;
    let opts = poits::PoitsOptions {
        activation: parse_activation(&spec.activation)?,
        dim,
        gamma: spec.gamma,
        loss: parse_loss(&spec.loss)?,
    };
    Ok(Instance(poits::reduce(&f, &opts)?))
}

/// The formula `(num_vars, clauses)` a POITS instance was built from.
pub fn poits_formula(inst: &Instance) -> Res<(usize, Vec<[usize; 3]>)> {
    let f = poits::meta::from_instance(&inst.0)?.formula;
    Ok((f.num_vars, f.clauses))
}

/// The network of equation (2) for the true variables (1-based) and literal choices.
pub fn poits_lift(inst: &Instance, true_vars: &[usize], choices: Option<&[usize]>) -> Res<Network> {
    let (num_vars, _) = poits_formula(inst)?;
    let text: Vec<String> = true_vars.iter().map(usize::to_string).collect();
    let a = relufit::sat::parse_assignment(&text.join(" "), num_vars, "true_vars")?;
    Ok(Network(poits::lift(&inst.0, &a, choices)?))
}

/// What [`poits_decode`] reads off a fitting network.
pub struct PoitsDecoded {
    /// The true variables (1-based) of the 1-in-3 solution.
    pub true_vars: Vec<usize>,
    /// The true literal (1..=3) of every clause.
    pub choices: Vec<usize>,
    /// The canonical network of equation (2), verified.
    pub canonical: Network,
}

/// The backward map of Theorem 1: a fitting network -> the 1-in-3 solution.
pub fn poits_decode(inst: &Instance, net: &Network) -> Res<PoitsDecoded> {
    let d = poits::decode(&inst.0, &net.0)?;
    Ok(PoitsDecoded {
        true_vars: d.assignment.true_vars(),
        choices: d.choices,
        canonical: Network(d.canonical),
    })
}

/// An exact 1-in-3 solution of the formula (true variables), or `None`.
pub fn poits_solve(num_vars: usize, clauses: Vec<[usize; 3]>) -> Res<Option<Vec<usize>>> {
    let f = formula(num_vars, clauses)?;
    Ok(relufit::sat::solve(&f).map(|a| a.true_vars()))
}

/// Points in plain data, one row each.
pub type Points = Vec<Vec<Rational>>;

/// A hyperplane `{x : h . x + o = 0}` in plain data.
pub type HyperplaneParts = (Vec<Rational>, Rational);

fn separability_source(
    q: Vec<Vec<Rational>>,
    p: Vec<Vec<Rational>>,
) -> Res<separability::SeparabilityInstance> {
    let src = separability::SeparabilityInstance::new(q, p);
    src.validate().map_err(|e| Failure::Input(e.into()))?;
    Ok(src)
}

/// Theorem 7 (ReLU, `k = 4`) / Corollary 10 (threshold, `k = 2`).
pub fn separability_reduce(
    q: Vec<Vec<Rational>>,
    p: Vec<Vec<Rational>>,
    eps: Option<Rational>,
    spec: ReduceSpec,
) -> Res<Instance> {
    let src = separability_source(q, p)?;
    let opts = separability::ReduceOptions {
        activation: parse_activation(&spec.activation)?,
        eps,
        gamma: spec.gamma,
        loss: parse_loss(&spec.loss)?,
        width: None,
    };
    Ok(Instance(separability::reduce(&src, &opts)?))
}

/// The sets `(Q, P)` a separability instance was built from.
pub fn separability_sets(inst: &Instance) -> Res<(Points, Points)> {
    let layout = separability::Layout::from_meta(&inst.0)?;
    let src = layout.source(&inst.0);
    Ok((src.q, src.p))
}

/// Two hyperplanes in the restricted form (3)-(5) -> the fitting network.
pub fn separability_lift(inst: &Instance, pair: Vec<HyperplaneParts>) -> Res<Network> {
    if pair.len() != 2 {
        return Err(input(
            "hyperplanes",
            format!("expected two hyperplanes, got {}", pair.len()),
        ));
    }
    let d = inst.dim();
    if let Some(i) = pair.iter().position(|(h, _)| h.len() != d) {
        return Err(input(
            &format!("hyperplanes[{i}]"),
            format!(
                "the normal has dimension {} but the sets have dimension {d}",
                pair[i].0.len()
            ),
        ));
    }
    let hs: Vec<separability::Hyperplane> = pair
        .into_iter()
        .map(|(h, o)| separability::Hyperplane::new(h, o))
        .collect();
    separability::lift(&inst.0, &hs)
        .map(Network)
        .map_err(|e| Failure::from(relufit::Error::from(e)))
}

/// What [`separability_decode`] reads off a fitting network.
pub struct SeparabilityDecoded {
    /// Two hyperplanes strictly separating `Q` and `P` (checked exactly).
    pub hyperplanes: Vec<HyperplaneParts>,
    /// They satisfy the restricted form (3)-(4).
    pub restricted: bool,
    /// `positive`, `negative`, `search` or `threshold`: which neurons they come from.
    pub origin: &'static str,
}

/// The backward map of Theorem 7 / Corollary 10.
pub fn separability_decode(inst: &Instance, net: &Network) -> Res<SeparabilityDecoded> {
    let d = separability::decode(&inst.0, &net.0)?;
    Ok(SeparabilityDecoded {
        hyperplanes: d.pair.into_iter().map(|h| (h.h, h.o)).collect(),
        restricted: d.restricted,
        origin: match d.origin {
            separability::Origin::Positive => "positive",
            separability::Origin::Negative => "negative",
            separability::Origin::Search => "search",
            separability::Origin::Threshold => "threshold",
        },
    })
}

/// Decide 2-hyperplane separability exactly: two separating hyperplanes and whether they
/// are in the restricted form, or `None`.
pub fn separability_decide(
    q: Vec<Vec<Rational>>,
    p: Vec<Vec<Rational>>,
) -> Res<Option<(Vec<HyperplaneParts>, bool)>> {
    let src = separability_source(q, p)?;
    Ok(match separability::decide(&src)? {
        separability::Decision::Separable { pair, restricted } => {
            Some((pair.into_iter().map(|h| (h.h, h.o)).collect(), restricted))
        }
        separability::Decision::NotSeparable => None,
    })
}

// ------------------------------------------------------------------------------------------
// Plots

/// How to draw, in plain data.
pub struct PlotSpec {
    /// Canvas width (pixels).
    pub width: u32,
    /// Canvas height (pixels).
    pub height: u32,
    /// `[x1min, x1max, x2min, x2max]`, or the data's bounding box.
    pub window: Option<[f64; 4]>,
    /// Shade the map of `phi`.
    pub shade: bool,
    /// Title.
    pub title: Option<String>,
}

fn plot_options(spec: PlotSpec) -> PlotOptions {
    PlotOptions {
        width: spec.width,
        height: spec.height,
        window: spec.window,
        shade: spec.shade,
        title: spec.title,
    }
}

/// SVG of a two-dimensional instance with an optional network (`relufit plot`).
pub fn plot(inst: &Instance, net: Option<&Network>, spec: PlotSpec) -> Res<String> {
    Ok(relufit::plot::plot_instance(
        &inst.0,
        net.map(|n| &n.0),
        &plot_options(spec),
    )?)
}

/// SVG of a two-dimensional network alone: its breaklines and the shaded map of `phi` over
/// `spec.window` (default: a box around the points of the breaklines nearest the origin),
/// with the four corners of the window drawn as points labelled `phi` (exact values).
pub fn plot_network(net: &Network, mut spec: PlotSpec) -> Res<String> {
    if net.dim() != 2 {
        return Err(Failure::Input(format!(
            "plot: only networks with two inputs can be drawn, this one has {}",
            net.dim()
        )));
    }
    let window = spec.window.unwrap_or_else(|| network_window(net));
    let bad_window = || {
        Failure::Input(format!(
            "plot: the window must be [x1min, x1max, x2min, x2max] with finite min < max, got \
             {window:?}"
        ))
    };
    if !(window.iter().all(|v| v.is_finite()) && window[0] < window[1] && window[2] < window[3]) {
        return Err(bad_window());
    }
    let corners: Vec<Vec<Rational>> = [
        (window[0], window[2]),
        (window[1], window[2]),
        (window[0], window[3]),
        (window[1], window[3]),
    ]
    .iter()
    .map(|&(a, b)| Ok(vec![number_from_f64(a)?, number_from_f64(b)?]))
    .collect::<Result<_, String>>()
    .map_err(|_| bad_window())?;
    let values = net.evaluate(&corners)?;
    let probe = Instance::new(InstanceSpec {
        xs: corners,
        ys: values,
        k: net.width().max(1),
        activation: net.activation().into(),
        loss: "squared".into(),
        gamma: Rational::ZERO,
        meta_json: None,
    })?;
    spec.window = Some(window);
    spec.shade = true;
    plot(&probe, Some(net), spec)
}

/// A window around the points of the neurons' hyperplanes nearest the origin.
fn network_window(net: &Network) -> [f64; 4] {
    let mut w = [-1.0f64, 1.0, -1.0, 1.0];
    for j in 0..net.width() {
        let (wv, b, _) = net.neuron(j);
        let (w1, w2, b) = (
            number_to_f64(&wv[0]),
            number_to_f64(&wv[1]),
            number_to_f64(b),
        );
        let norm = w1 * w1 + w2 * w2;
        if norm > 0.0 && norm.is_finite() {
            let (p1, p2) = (-b * w1 / norm, -b * w2 / norm);
            if p1.is_finite() && p2.is_finite() {
                w = [w[0].min(p1), w[1].max(p1), w[2].min(p2), w[3].max(p2)];
            }
        }
    }
    let m = 0.25 * (w[1] - w[0]).max(w[3] - w[2]);
    [w[0] - m, w[1] + m, w[2] - m, w[3] + m]
}

/// Neurons as plain data (for conversions).
pub fn network_parts(net: &Network) -> Vec<NeuronParts> {
    (0..net.width())
        .map(|j| {
            let (w, b, a) = net.neuron(j);
            (w.to_vec(), b.clone(), a.clone())
        })
        .collect()
}
