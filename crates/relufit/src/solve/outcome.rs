//! What a solve established: a verified fit, a "no" with the [`Evidence`] that backs it, or
//! "unknown" with the [`StopReason`] and how far the solver had come.
//!
//! Evidence and reasons are values, not sentences: a caller can match on them (which
//! algorithm proved the "no", how many nodes it took, whether a limit or a failed
//! certificate stopped the run). `Display` gives the sentence the command line prints.

use super::shard::ShardAlgorithm;
use super::Signs;
use crate::limits::Stopped;
use crate::model::{Loss, Network};
use crate::num::Rational;
use crate::verify::Report;
use std::fmt;

/// What a solver established about an instance.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A network with error `<= gamma`, checked by the verifier (`report.passes()`).
    Fit {
        /// The certificate network.
        network: Network,
        /// The verifier's exact judgement of it.
        report: Report,
        /// The least error any network (of this width) can reach, when the solver knows it.
        optimum: Option<Rational>,
    },
    /// No network of the instance's width reaches error `<= gamma`.
    NoFit {
        /// The exact least error, when known (it is `> gamma`).
        optimum: Option<Rational>,
        /// The best network found, verified, if any.
        best: Option<(Network, Report)>,
        /// What backs the negative answer.
        evidence: Evidence,
        /// `Some(signs)`: the answer only covers networks whose output weights all have this
        /// sign (ExactFit's class); `None`: it covers every network of the width.
        restricted_to: Option<Signs>,
    },
    /// Nothing definite was established.
    Unknown {
        /// Why the solver stopped.
        reason: StopReason,
        /// What it had established by then, in words.
        progress: String,
        /// The best network an optimising run had found by then, checked by the verifier:
        /// its error is an upper bound on the least error, not a proven optimum. `None`
        /// when the solver keeps no incumbent.
        best: Option<(Network, Report)>,
    },
}

impl Outcome {
    /// An [`Outcome::Unknown`].
    pub fn unknown(reason: impl Into<StopReason>, progress: impl Into<String>) -> Self {
        Outcome::Unknown {
            reason: reason.into(),
            progress: progress.into(),
            best: None,
        }
    }

    /// An [`Outcome::Unknown`] that keeps the incumbent: the best network found, already
    /// checked by the verifier (`report`).
    pub fn unknown_with_best(
        reason: impl Into<StopReason>,
        progress: impl Into<String>,
        best: (Network, Report),
    ) -> Self {
        Outcome::Unknown {
            reason: reason.into(),
            progress: progress.into(),
            best: Some(best),
        }
    }

    /// For [`Outcome::Unknown`]: the reason and the progress as one sentence.
    pub fn unknown_text(&self) -> Option<String> {
        match self {
            Outcome::Unknown {
                reason, progress, ..
            } => Some(reason.with_progress(progress)),
            _ => None,
        }
    }
}

/// Why a solver stopped without an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The time limit was reached.
    TimeLimit,
    /// The run was cancelled (Ctrl-C, or the caller's flag).
    Cancelled,
    /// Going on would have exceeded the memory budget; says what needed how much.
    MemoryLimit(String),
    /// A certificate could not be built, or failed its exact check, even on the generic
    /// exact path (the answer is withheld, never guessed). Says which.
    Uncertified(String),
    /// Shards were merged, and some had not searched their part to the end.
    IncompleteShards,
    /// The run searched one shard of a search: only the merge of all shards decides.
    OneShard,
}

impl StopReason {
    /// `reason; progress` as one sentence (the reason alone when there is no progress).
    pub fn with_progress(&self, progress: &str) -> String {
        if progress.is_empty() {
            self.to_string()
        } else {
            format!("{self}; {progress}")
        }
    }

    /// A short machine-readable name: `time_limit`, `cancelled`, `memory_limit`,
    /// `uncertified`, `incomplete_shards`, `one_shard`.
    pub fn name(&self) -> &'static str {
        match self {
            StopReason::TimeLimit => "time_limit",
            StopReason::Cancelled => "cancelled",
            StopReason::MemoryLimit(_) => "memory_limit",
            StopReason::Uncertified(_) => "uncertified",
            StopReason::IncompleteShards => "incomplete_shards",
            StopReason::OneShard => "one_shard",
        }
    }
}

impl From<Stopped> for StopReason {
    fn from(s: Stopped) -> Self {
        match s {
            Stopped::TimeLimit(_) => StopReason::TimeLimit,
            Stopped::Cancelled => StopReason::Cancelled,
            memory @ Stopped::Memory { .. } => StopReason::MemoryLimit(memory.detail()),
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::TimeLimit => f.write_str("time limit reached"),
            StopReason::Cancelled => f.write_str("interrupted"),
            StopReason::MemoryLimit(m) => write!(f, "memory limit: {m}"),
            StopReason::Uncertified(r) => {
                write!(f, "a certificate failed its exact check: {r}")
            }
            StopReason::IncompleteShards => f.write_str("not every shard was searched to the end"),
            StopReason::OneShard => f.write_str("one shard of a search"),
        }
    }
}

/// Which networks a pattern search's "no" covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchScope {
    /// Threshold networks (every sign vector).
    Threshold,
    /// ReLU networks of one sign class (all `+1` or all `-1`).
    Class(Signs),
    /// ReLU networks with both output signs.
    Mixed,
    /// ReLU networks with any output signs.
    Any,
}

impl fmt::Display for SearchScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchScope::Threshold => f.write_str("no threshold network"),
            SearchScope::Class(s) => write!(f, "no {s} network"),
            SearchScope::Mixed => f.write_str("no network with mixed output signs"),
            SearchScope::Any => f.write_str("no network with any output signs"),
        }
    }
}

/// How the nodes of a pattern search (or its branch and bound) were closed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternCounts {
    /// Nodes searched.
    pub nodes: u64,
    /// Nodes closed by a checked Farkas certificate of their system.
    pub closed_empty: u64,
    /// Nodes closed because a point had no pattern left.
    pub closed_no_pattern: u64,
    /// Patterns excluded by checked Farkas certificates.
    pub pruned_patterns: u64,
    /// Neuron statuses forced by checked dual bounds.
    pub forced_neurons: u64,
    /// Nodes closed by exact evaluation at the one point the fit equations allow.
    pub closed_by_point: u64,
    /// (Branch and bound) nodes pruned by a checked dual bound on their points' loss.
    pub closed_by_bound: u64,
    /// (Branch and bound) leaves that improved the incumbent.
    pub incumbents: u64,
}

/// What backs a "no fit". Every variant stands for exact, checked work; `Display` says which
/// in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// `k` is at least the number of distinct inputs: the interpolation attains the least
    /// error any function reaches, and it exceeds `gamma`.
    LeastPossibleError {
        /// That least error.
        optimum: Rational,
        /// The instance's `gamma`.
        gamma: Rational,
    },
    /// `k = 1`: the single-neuron LPs for output weight `+1` and `-1` are both infeasible,
    /// each with a checked Farkas certificate (described).
    SingleNeuron {
        /// The `+1` LP's certificate, in words.
        positive: String,
        /// The `-1` LP's certificate, in words.
        negative: String,
    },
    /// ExactFit (Theorem 11) exhausted its search tree for one sign class.
    ExactFit {
        /// The class.
        signs: Signs,
        /// The width.
        k: usize,
        /// Nodes searched.
        nodes: u64,
        /// Nodes closed by a Farkas certificate of system (6).
        closed_by_farkas: u64,
        /// Nodes closed by a dual bound `mu > y` (Algorithm 2).
        rejected_by_bound: u64,
        /// Nodes closed by dual bounds `max_I f_I(x) < y`.
        rejected_by_upper_bound: u64,
        /// Nodes closed by the cap test: a Farkas certificate that no parameters keep
        /// `f_I(x) <= y` for every subset `I` at some point.
        rejected_by_cap: u64,
        /// Children dropped at a branching point because a neuron's sign there is proven on
        /// the whole polyhedron (dual bound).
        pruned_by_sign: u64,
    },
    /// The activation-pattern search exhausted its trees.
    PatternSearch {
        /// Which networks.
        scope: SearchScope,
        /// The width.
        k: usize,
        /// Sign classes searched (`None`: the one tree of a threshold network).
        sign_classes: Option<usize>,
        /// How its nodes were closed.
        counts: PatternCounts,
    },
    /// The branch and bound over activation patterns finished: with `least_error`, it proved
    /// that least error (above `gamma`); without, that no network reaches `gamma`.
    BranchAndBound {
        /// The loss.
        loss: Loss,
        /// The proven least error, when the run minimised.
        least_error: Option<Rational>,
        /// The runs (sign classes), named.
        runs: Vec<String>,
        /// How its nodes were closed.
        counts: PatternCounts,
    },
    /// The enumeration over activation patterns (Arora et al.) solved or cut every leaf.
    Enumeration {
        /// Leaves.
        leaves: u64,
        /// What the leaves are k-subsets of.
        items: &'static str,
        /// Dichotomies of the data.
        dichotomies: u64,
        /// The naive leaf count.
        naive_leaves: u128,
        /// Leaves cut by exact loss bounds.
        cut: u64,
        /// Convex problems solved exactly.
        solved: u64,
        /// LPs run.
        lps: u64,
        /// The least error, when the run minimised.
        least_error: Option<Rational>,
    },
    /// Every shard of a sharded search finished its part.
    Shards {
        /// How many shards.
        count: usize,
        /// Their algorithm.
        algorithm: ShardAlgorithm,
        /// Leaves or nodes, summed.
        nodes: u64,
        /// Leaves cut by exact bounds (enumeration).
        cut: u64,
        /// LPs, summed.
        lps: u64,
        /// The least error, when the shards minimised.
        least_error: Option<Rational>,
    },
    /// Several proofs that together cover every network (e.g. `auto`: ExactFit for the
    /// convex and the concave class, then the pattern search for the mixed classes).
    All(Vec<Evidence>),
}

impl Evidence {
    /// A short machine-readable name of what proved the "no": `interpolation`,
    /// `single_neuron`, `exactfit`, `pattern_search`, `branch_and_bound`, `enumeration`,
    /// `shards`, or `combined`.
    pub fn name(&self) -> &'static str {
        match self {
            Evidence::LeastPossibleError { .. } => "interpolation",
            Evidence::SingleNeuron { .. } => "single_neuron",
            Evidence::ExactFit { .. } => "exactfit",
            Evidence::PatternSearch { .. } => "pattern_search",
            Evidence::BranchAndBound { .. } => "branch_and_bound",
            Evidence::Enumeration { .. } => "enumeration",
            Evidence::Shards { .. } => "shards",
            Evidence::All(_) => "combined",
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::LeastPossibleError { optimum, gamma } => write!(
                f,
                "the least error any function reaches on this data is {optimum} (each group \
                 of points with the same input contributes its own minimum, and the \
                 interpolation attains it), which exceeds gamma = {gamma}"
            ),
            Evidence::SingleNeuron { positive, negative } => write!(
                f,
                "no single ReLU fits exactly: {positive}; {negative} (a zero output weight \
                 fits only all-zero labels, which both LPs accept)"
            ),
            Evidence::ExactFit {
                signs,
                k,
                nodes,
                closed_by_farkas,
                rejected_by_bound,
                rejected_by_upper_bound,
                rejected_by_cap,
                pruned_by_sign,
            } => write!(
                f,
                "no {signs} network (all a_j = {}) with k = {k} fits exactly: ExactFit \
                 (Theorem 11) exhausted {nodes} search nodes; {closed_by_farkas} were closed \
                 by a Farkas certificate of system (6), {rejected_by_bound} by a dual bound \
                 mu > y (Algorithm 2), {rejected_by_upper_bound} by dual bounds \
                 max_I f_I(x) < y (upper-bound test) and {rejected_by_cap} by a Farkas \
                 certificate that no parameters keep f_I(x) <= y for every I at once at some \
                 point (cap test); \
                 {pruned_by_sign} children were dropped because a dual bound fixes a \
                 neuron's sign at the branching point (sign probes); every LP certificate \
                 checked exactly",
                if *signs == Signs::Convex { "+1" } else { "-1" },
            ),
            Evidence::PatternSearch {
                scope,
                k,
                sign_classes,
                counts: c,
            } => write!(
                f,
                "{scope} with k = {k} fits exactly: the pattern search exhausted {} in {} \
                 nodes; {} closed by a Farkas certificate of their system, {} because a point \
                 had no pattern left ({} patterns excluded by Farkas certificates, {} neuron \
                 statuses forced by dual bounds), {} by exact evaluation at the single point \
                 the fit equations allow; every certificate checked exactly",
                match sign_classes {
                    Some(n) => format!("{n} sign class(es)"),
                    None => "its tree".to_string(),
                },
                c.nodes,
                c.closed_empty,
                c.closed_no_pattern,
                c.pruned_patterns,
                c.forced_neurons,
                c.closed_by_point,
            ),
            Evidence::BranchAndBound {
                loss,
                least_error,
                runs,
                counts: c,
            } => {
                match least_error {
                    Some(e) => write!(f, "the least {loss} error is {e} > gamma: ")?,
                    None => write!(f, "no network reaches {loss} error <= gamma: ")?,
                }
                write!(
                    f,
                    "branch and bound over {} run(s) ({}) in {} nodes: {} pruned by a checked \
                     dual bound on their points' loss, {} closed by a Farkas certificate, {} \
                     because a point had no pattern left ({} patterns excluded by checked \
                     certificates, {} neuron statuses forced by dual bounds); {} leaves \
                     improved the incumbent; every certificate checked exactly",
                    runs.len(),
                    runs.join("; "),
                    c.nodes,
                    c.closed_by_bound,
                    c.closed_empty,
                    c.closed_no_pattern,
                    c.pruned_patterns,
                    c.forced_neurons,
                    c.incumbents,
                )
            }
            Evidence::Enumeration {
                leaves,
                items,
                dichotomies,
                naive_leaves,
                cut,
                solved,
                lps,
                least_error,
            } => {
                write!(
                    f,
                    "enumerated all {leaves} leaves (k-subsets of {items} over the \
                     {dichotomies} dichotomies of the data; naive count {naive_leaves}): {cut} \
                     were cut by exact loss bounds, {solved} convex problems were solved \
                     exactly ({lps} LPs, every certificate checked)"
                )?;
                match least_error {
                    Some(e) => write!(f, "; the least error is {e}"),
                    None => f.write_str("; no leaf reaches gamma"),
                }
            }
            Evidence::Shards {
                count,
                algorithm,
                nodes,
                cut,
                lps,
                least_error,
            } => {
                write!(f, "all {count} shards searched exhaustively (")?;
                match algorithm {
                    ShardAlgorithm::Enumerate => write!(
                        f,
                        "{nodes} leaves solved, {cut} cut by exact bounds, {lps} LPs with \
                         checked certificates"
                    )?,
                    ShardAlgorithm::Patterns => write!(
                        f,
                        "pattern search: {nodes} nodes, every closed node by a checked \
                         certificate"
                    )?,
                }
                match least_error {
                    Some(e) => write!(f, "); the least error is {e}"),
                    None => f.write_str("); no leaf reaches gamma"),
                }
            }
            Evidence::All(parts) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_themselves_and_limits_convert() {
        let r: StopReason = Stopped::Cancelled.into();
        assert_eq!(r, StopReason::Cancelled);
        assert_eq!(r.to_string(), "interrupted");
        let t: StopReason = Stopped::TimeLimit(std::time::Duration::from_secs(3)).into();
        assert_eq!(t.name(), "time_limit");
        let o = Outcome::unknown(t, "after 5 nodes");
        assert_eq!(
            o.unknown_text().as_deref(),
            Some("time limit reached; after 5 nodes")
        );
    }

    #[test]
    fn combined_evidence_joins_its_parts() {
        let part = |signs| Evidence::ExactFit {
            signs,
            k: 2,
            nodes: 3,
            closed_by_farkas: 1,
            rejected_by_bound: 1,
            rejected_by_upper_bound: 0,
            rejected_by_cap: 0,
            pruned_by_sign: 0,
        };
        let all = Evidence::All(vec![part(Signs::Convex), part(Signs::Concave)]);
        let text = all.to_string();
        assert!(text.contains("no convex network (all a_j = +1)"), "{text}");
        assert!(
            text.contains("; no concave network (all a_j = -1)"),
            "{text}"
        );
    }
}
