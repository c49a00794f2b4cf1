//! Shards: one tree search split into `N` deterministic parts that can run anywhere
//! (`relufit solve --shard i/N`, a Slurm job array, the Python package's Dask driver), their
//! result files (`relufit-shard/1` JSON) and merging them into one certified answer.
//!
//! Two searches can be sharded (`solve_with` with [`SolveSettings::shard`] set; the part's
//! result comes back in [`Solution::shard`]): the enumeration (its leaves ranked, shard
//! `i` takes the ranks `i mod N`) and the pattern search (the nodes at a fixed depth of its
//! tree numbered in depth-first order, shard `i` takes the numbers `i mod N`; the levels
//! above are searched by every shard). ExactFit's networks are the convex and concave
//! classes of the pattern search, so `Auto` shards with the pattern search.
//!
//! A shard file carries the whole instance (so a merge is self-contained), the algorithm,
//! the shard `i/N`, whether the shard was searched exhaustively, and its best network with
//! its exact error. [`merge`] re-verifies every network with [`crate::verify`] and answers:
//! a fit as soon as any shard's network reaches `gamma`; "no fit" only when all `N` shards
//! are present and exhaustive; the exact optimum (optimisation runs) only then as well.

use super::enumerate::{self, EnumStats, EnumerateOptions, SearchResult};
use super::settings::{SolveSettings, Stats};
use super::Algorithm;
use super::{patterns, Evidence, Outcome, Solution, SolveError, StopReason};
use crate::io::{instance_from_json, instance_to_json, network_from_json, network_to_json};
use crate::model::{Instance, Network};
use crate::num::{parse_rational, Rational};
use crate::verify::verify;
use serde_json::{json, Value};

/// A shard `index/count` of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0 <= index < count`.
    pub index: usize,
    /// Number of shards, at least 1.
    pub count: usize,
}

impl Default for Shard {
    fn default() -> Self {
        Shard::ALL
    }
}

impl Shard {
    /// The whole search as one shard.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parse `i/N` (0-based `i < N`).
    pub fn parse(text: &str) -> Result<Shard, crate::Malformed> {
        Self::parse_text(text).map_err(crate::Malformed)
    }

    fn parse_text(text: &str) -> Result<Shard, String> {
        let (a, b) = text
            .split_once('/')
            .ok_or_else(|| format!("expected i/N (e.g. 0/4), got `{text}`"))?;
        let index: usize = a
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{a}` is not a number"))?;
        let count: usize = b
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{b}` is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count}: need 0 <= i < N (shards are numbered from 0)"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the part numbered `rank` (a leaf of the enumeration, a subtree of the pattern
    /// search) belongs to this shard.
    pub fn owns(&self, rank: u64) -> bool {
        self.count == 1 || rank % self.count as u64 == self.index as u64
    }

    /// Whether this is the whole search.
    pub fn is_all(&self) -> bool {
        self.count == 1
    }
}

/// Which search a shard ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardAlgorithm {
    /// The enumeration ([`enumerate`]).
    Enumerate,
    /// The pattern search ([`patterns`]).
    Patterns,
}

impl ShardAlgorithm {
    /// The name in shard files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ShardAlgorithm::Enumerate => "enumerate",
            ShardAlgorithm::Patterns => "patterns",
        }
    }
}

/// The search that shards `inst` under `settings` (`settings.shard` is ignored here), or
/// why none does: the enumeration for `--algorithm enumerate`; the pattern search for
/// `--algorithm patterns` (exact fits, `gamma = 0`); `Auto`: the pattern search where it
/// applies (ReLU or threshold, `gamma = 0`, no optimisation), the enumeration otherwise.
/// Shards search every output sign (the merge answers for all networks).
pub fn shard_algorithm(
    inst: &Instance,
    settings: &SolveSettings,
) -> Result<ShardAlgorithm, SolveError> {
    if settings.signs.is_some() {
        return Err(SolveError::NotApplicable(
            "shards search every output sign (the merge answers for all networks)".into(),
        ));
    }
    let patterns_ok = !settings.optimize
        && inst.gamma == Rational::ZERO
        && patterns::check_applicable(inst).is_ok();
    match settings.algorithm {
        Algorithm::Enumerate => {
            enumerate::check_applicable(inst)?;
            Ok(ShardAlgorithm::Enumerate)
        }
        Algorithm::Patterns if patterns_ok => Ok(ShardAlgorithm::Patterns),
        Algorithm::Patterns => {
            patterns::check_applicable(inst)?;
            Err(SolveError::NotApplicable(
                "the pattern search shards exact-fit decisions (gamma = 0, no optimisation); \
                 shard the enumeration for the least error or gamma > 0"
                    .into(),
            ))
        }
        Algorithm::Auto if patterns_ok => Ok(ShardAlgorithm::Patterns),
        Algorithm::Auto => {
            enumerate::check_applicable(inst)?;
            Ok(ShardAlgorithm::Enumerate)
        }
        other => Err(SolveError::NoSolver(format!(
            "{other:?} cannot be sharded: shards run the enumeration or the pattern search \
             (ExactFit's convex and concave networks are classes of the pattern search: \
             `--algorithm patterns`, or auto)"
        ))),
    }
}

/// [`crate::solve::solve_with`] for one shard: the shard's result in [`Solution::shard`],
/// and as the outcome a verified fit if the shard found one (a fit is a fit, whichever part
/// of the search found it), else "unknown": one part of a search proves no "no".
pub(crate) fn solve_part(
    inst: &Instance,
    settings: &SolveSettings,
) -> Result<Solution, SolveError> {
    let part = solve_shard(inst, settings)?;
    let report = verify(inst, &part.best).map_err(|e| SolveError::VerificationFailed {
        algorithm: part.algorithm.name(),
        detail: e.to_string(),
    })?;
    let outcome = if report.passes() {
        let optimum = (report.error == Rational::ZERO).then_some(Rational::ZERO);
        Outcome::Fit {
            network: part.best.clone(),
            report,
            optimum,
        }
    } else {
        let what = if part.exhaustive {
            format!(
                "searched its part to the end, best error {}",
                part.best_error
            )
        } else {
            format!(
                "stopped ({}), best error {}",
                part.stopped.as_deref().unwrap_or("not exhaustive"),
                part.best_error
            )
        };
        Outcome::unknown(
            StopReason::OneShard,
            format!(
                "shard {}/{} {what}; merge the results of all {} shards to decide",
                part.shard.index, part.shard.count, part.shard.count
            ),
        )
    };
    let stats = Stats {
        nodes: part.nodes.max(part.stats.solved),
        lps: part.stats.lps,
        elapsed: part.stats.elapsed,
        ..Stats::default()
    };
    Ok(Solution {
        outcome,
        stats,
        shard: Some(part),
        all_fits: None,
        runs: Vec::new(),
    })
}

/// Search shard `settings.shard` of `inst` (see [`shard_algorithm`] for which search).
/// The result says whether the shard was searched exhaustively; [`merge`] combines the
/// results of all shards into one certified answer.
fn solve_shard(inst: &Instance, settings: &SolveSettings) -> Result<ShardResult, SolveError> {
    let shard = settings.shard.unwrap_or(Shard::ALL);
    match shard_algorithm(inst, settings)? {
        ShardAlgorithm::Enumerate => {
            let opts = EnumerateOptions {
                shard,
                optimize: settings.optimize,
                ..EnumerateOptions::default()
            };
            let r = enumerate::search(inst, settings, &opts)?;
            Ok(ShardResult::new(shard, inst, settings.optimize, &r))
        }
        ShardAlgorithm::Patterns => {
            let r = patterns::search_shard(inst, settings)?;
            Ok(ShardResult {
                algorithm: ShardAlgorithm::Patterns,
                shard,
                instance: inst.clone(),
                optimize: false,
                best: r.best,
                best_error: r.best_error,
                exhaustive: r.exhaustive,
                stopped: r.stopped,
                stats: EnumStats {
                    lps: r.stats.lp.guesses,
                    elapsed: r.elapsed,
                    ..EnumStats::default()
                },
                nodes: r.stats.nodes,
                numbered: r.numbered,
            })
        }
    }
}

/// File format tag of shard results.
pub const FORMAT_SHARD: &str = "relufit-shard/1";

/// One shard's result, as written by `relufit solve --shard i/N -o FILE`.
#[derive(Debug, Clone)]
pub struct ShardResult {
    /// Which search.
    pub algorithm: ShardAlgorithm,
    /// Which shard.
    pub shard: Shard,
    /// The instance searched.
    pub instance: Instance,
    /// Whether the run computed the optimum (`true`) or decided `error <= gamma`.
    pub optimize: bool,
    /// Best network of the shard.
    pub best: Network,
    /// Its exact error.
    pub best_error: Rational,
    /// Every leaf of the shard solved or cut by an exact bound.
    pub exhaustive: bool,
    /// Why the shard stopped early, if it did (not counting a decision-version fit).
    pub stopped: Option<String>,
    /// Counters: leaves of the shard, solved, cut, LPs (the pattern search: LPs and time).
    pub stats: EnumStats,
    /// Nodes of the pattern search (`0` for the enumeration).
    pub nodes: u64,
    /// Subtrees the pattern search numbered at its split depth (`0` for the enumeration):
    /// the same in every exhaustive shard of one search, which [`merge`] checks.
    pub numbered: u64,
}

impl ShardResult {
    /// Package a search result.
    pub fn new(shard: Shard, instance: &Instance, optimize: bool, r: &SearchResult) -> Self {
        ShardResult {
            algorithm: ShardAlgorithm::Enumerate,
            shard,
            instance: instance.clone(),
            optimize,
            best: r.best.clone(),
            best_error: r.best_error.clone(),
            exhaustive: r.exhaustive,
            stopped: r.stopped.as_ref().map(|(reason, phase)| {
                if phase.is_empty() {
                    reason.to_string()
                } else {
                    format!("{reason} {phase}")
                }
            }),
            stats: r.stats.clone(),
            nodes: 0,
            numbered: 0,
        }
    }

    /// Serialise as `relufit-shard/1` JSON.
    pub fn to_json(&self) -> String {
        let parse = |s: String| serde_json::from_str::<Value>(&s).unwrap_or(Value::Null);
        let s = &self.stats;
        let v = json!({
            "format": FORMAT_SHARD,
            "algorithm": self.algorithm.name(),
            "shard": format!("{}/{}", self.shard.index, self.shard.count),
            "optimize": self.optimize,
            "exhaustive": self.exhaustive,
            "stopped": self.stopped,
            "best_error": self.best_error.to_string(),
            "network": parse(network_to_json(&self.best)),
            "stats": {
                "dichotomies": s.dichotomies,
                "naive_leaves": s.naive_leaves.to_string(),
                "leaves": s.leaves,
                "shard_leaves": s.shard_leaves,
                "cut_by_bound": s.cut_by_bound,
                "cut_by_incumbent": s.cut_by_incumbent,
                "cut_by_pair_test": s.cut_by_pair_test,
                "pair_test_lps": s.pair_test_lps,
                "solved": s.solved,
                "cut_by_dual_bound": s.cut_by_dual_bound,
                "cut_by_circuits": s.cut_by_circuits,
                "infeasible": s.infeasible,
                "lps": s.lps,
                "stopped_early": s.stopped_early,
                "nodes": self.nodes,
                "numbered": self.numbered,
                "seconds": s.elapsed.as_secs_f64(),
            },
            "instance": parse(instance_to_json(&self.instance)),
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    /// Parse a shard file; `source` prefixes error messages.
    pub fn from_json(text: &str, source: &str) -> Result<ShardResult, crate::Error> {
        let err = |m: String| crate::Error::input(source, m);
        let v: Value = serde_json::from_str(text).map_err(|e| err(format!("not JSON: {e}")))?;
        if v.get("format").and_then(Value::as_str) != Some(FORMAT_SHARD) {
            return Err(err(format!("format: expected \"{FORMAT_SHARD}\"")));
        }
        let field = |name: &str| v.get(name).ok_or_else(|| err(format!("{name}: missing")));
        // Files without the field were written by the enumeration (the first shardable search).
        let algorithm = match v.get("algorithm").map(|a| a.as_str()) {
            None | Some(Some("enumerate")) => ShardAlgorithm::Enumerate,
            Some(Some("patterns")) => ShardAlgorithm::Patterns,
            Some(_) => {
                return Err(err(
                    "algorithm: expected \"enumerate\" or \"patterns\"".into()
                ))
            }
        };
        let shard = Shard::parse(field("shard")?.as_str().unwrap_or_default())
            .map_err(|e| err(format!("shard: {e}")))?;
        let flag = |name: &str| -> Result<bool, crate::Error> {
            field(name)?
                .as_bool()
                .ok_or_else(|| err(format!("{name}: expected true or false")))
        };
        let best_error = parse_rational(field("best_error")?.as_str().unwrap_or_default())
            .map_err(|e| err(format!("best_error: {e}")))?;
        let instance = instance_from_json(&field("instance")?.to_string(), source)?;
        let best = network_from_json(&field("network")?.to_string(), source)?;
        let st = field("stats")?;
        let num = |name: &str| st.get(name).and_then(Value::as_u64).unwrap_or(0);
        let stats = EnumStats {
            dichotomies: num("dichotomies"),
            naive_leaves: st
                .get("naive_leaves")
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            leaves: num("leaves"),
            shard_leaves: num("shard_leaves"),
            cut_by_bound: num("cut_by_bound"),
            cut_by_incumbent: num("cut_by_incumbent"),
            cut_by_pair_test: num("cut_by_pair_test"),
            pair_test_lps: num("pair_test_lps"),
            solved: num("solved"),
            cut_by_dual_bound: num("cut_by_dual_bound"),
            cut_by_circuits: num("cut_by_circuits"),
            infeasible: num("infeasible"),
            lps: num("lps"),
            stopped_early: st
                .get("stopped_early")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            elapsed: std::time::Duration::from_secs_f64(
                st.get("seconds").and_then(Value::as_f64).unwrap_or(0.0),
            ),
            ..EnumStats::default()
        };
        Ok(ShardResult {
            algorithm,
            shard,
            instance,
            optimize: flag("optimize")?,
            best,
            best_error,
            exhaustive: flag("exhaustive")?,
            stopped: field("stopped")?.as_str().map(str::to_string),
            stats,
            nodes: num("nodes"),
            numbered: num("numbered"),
        })
    }
}

/// Combine shard results into one certified answer (see the module documentation). Errors
/// (in words) for shards of different instances, shard counts or modes, or a network the
/// verifier rejects.
pub fn merge(shards: &[ShardResult]) -> Result<(Instance, Solution), crate::Error> {
    merge_checked(shards).map_err(crate::Error::Invalid)
}

fn merge_checked(shards: &[ShardResult]) -> Result<(Instance, Solution), String> {
    let first = shards.first().ok_or("no shard results given")?;
    let inst = first.instance.clone();
    let n = first.shard.count;
    let mut seen = vec![false; n];
    let mut stats = Stats::default();
    let mut best: Option<(usize, crate::verify::Report)> = None;
    for (s, sh) in shards.iter().enumerate() {
        if sh.instance != inst {
            return Err(format!(
                "shard {}/{} is for a different instance than shard {}/{}",
                sh.shard.index, sh.shard.count, first.shard.index, n
            ));
        }
        if sh.algorithm != first.algorithm {
            return Err(format!(
                "shard {}/{} ran {} but shard {}/{n} ran {}",
                sh.shard.index,
                sh.shard.count,
                sh.algorithm.name(),
                first.shard.index,
                first.algorithm.name()
            ));
        }
        if sh.shard.count != n || sh.optimize != first.optimize {
            return Err(format!(
                "shard {}/{} (optimize {}) does not match {}/{n} (optimize {})",
                sh.shard.index, sh.shard.count, sh.optimize, first.shard.index, first.optimize
            ));
        }
        if std::mem::replace(&mut seen[sh.shard.index], true) {
            return Err(format!("shard {}/{n} given twice", sh.shard.index));
        }
        let report = verify(&inst, &sh.best).map_err(|e| e.to_string())?;
        if report.error != sh.best_error {
            return Err(format!(
                "shard {}/{n} records error {} but its network has error {}",
                sh.shard.index, sh.best_error, report.error
            ));
        }
        stats.merge(&enumerate::stats_of(&sh.stats));
        stats.nodes += sh.nodes;
        stats.elapsed += sh.stats.elapsed;
        if best.as_ref().is_none_or(|(_, r)| report.error < r.error) {
            best = Some((s, report));
        }
    }
    // Exhaustive shards of one pattern search number the same subtrees; if they do not,
    // they did not search one tree (a different build, say), and their "no"s do not add up.
    if first.algorithm == ShardAlgorithm::Patterns {
        let mut counts = shards
            .iter()
            .filter(|s| s.exhaustive)
            .map(|s| (s.shard.index, s.numbered));
        if let Some((i0, n0)) = counts.next() {
            if let Some((i, m)) = counts.find(|&(_, m)| m != n0) {
                return Err(format!(
                    "shards {i0}/{n} and {i}/{n} numbered {n0} and {m} subtrees: they did not \
                     search the same tree (run all shards with the same relufit build)"
                ));
            }
        }
    }
    let (bi, report) = best.expect("at least one shard");
    let network = shards[bi].best.clone();
    let missing: Vec<usize> = (0..n).filter(|&i| !seen[i]).collect();
    let all_exhaustive = missing.is_empty() && shards.iter().all(|s| s.exhaustive);
    let optimize = first.optimize;
    let outcome = if report.passes() {
        let optimum = if (optimize && all_exhaustive) || report.error == Rational::ZERO {
            Some(report.error.clone())
        } else {
            None
        };
        Outcome::Fit {
            network,
            report,
            optimum,
        }
    } else if all_exhaustive {
        let err = report.error.clone();
        Outcome::NoFit {
            optimum: optimize.then(|| err.clone()),
            best: Some((network, report)),
            evidence: Evidence::Shards {
                count: n,
                algorithm: first.algorithm,
                nodes: stats.nodes,
                cut: stats.rejected_by_bound,
                lps: stats.lps,
                least_error: optimize.then_some(err),
            },
            restricted_to: None,
        }
    } else {
        let mut why = Vec::new();
        if !missing.is_empty() {
            why.push(format!("shards {missing:?} of {n} are missing"));
        }
        for s in shards.iter().filter(|s| !s.exhaustive) {
            why.push(format!(
                "shard {}/{n} stopped: {}",
                s.shard.index,
                s.stopped.as_deref().unwrap_or("not exhaustive")
            ));
        }
        Outcome::unknown(
            StopReason::IncompleteShards,
            format!(
                "no shard reached gamma (best error {}), and {}",
                report.error,
                why.join("; ")
            ),
        )
    };
    Ok((
        inst,
        Solution {
            outcome,
            stats,
            shard: None,
            all_fits: None,
            runs: Vec::new(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parse() {
        assert_eq!(Shard::parse("2/7"), Ok(Shard { index: 2, count: 7 }));
        assert!(Shard::parse("7/7").is_err());
        assert!(Shard::parse("x").is_err());
        assert!(Shard::ALL.owns(5) && Shard::ALL.is_all());
        assert!(Shard { index: 1, count: 3 }.owns(4));
    }
}
