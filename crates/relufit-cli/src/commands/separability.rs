//! `relufit separability decide|check|figure`: the tools for the source problem of
//! Theorem 7 / Corollary 10 (2-HYPERPLANE SEPARABILITY). Each subcommand has its own file
//! (`separability_decide.rs`, `separability_check.rs`, `separability_figure.rs`), as have
//! `reduce|lift|decode|gen separability` (`reduce_separability.rs`, ...); each file holds its
//! clap structure, which `args.rs` nests under the top-level commands.

use super::CmdResult;
use clap::Subcommand;

/// `relufit separability ...`: tools for the source problem.
#[derive(Debug, Subcommand)]
pub enum SeparabilityCmd {
    /// Decide 2-hyperplane separability exactly (small instances, d <= 3 recommended).
    Decide(super::separability_decide::DecideArgs),
    /// Check hyperplanes: strict separation, restricted form (3)-(5), exact margin.
    Check(super::separability_check::CheckArgs),
    /// Draw Figure 6 (d = 2) for a reduced instance as SVG.
    Figure(super::separability_figure::FigureArgs),
}

/// `relufit separability ...`.
pub(crate) fn run(cmd: &SeparabilityCmd) -> CmdResult {
    match cmd {
        SeparabilityCmd::Decide(a) => super::separability_decide::run(a),
        SeparabilityCmd::Check(a) => super::separability_check::run(a),
        SeparabilityCmd::Figure(a) => super::separability_figure::run(a),
    }
}
