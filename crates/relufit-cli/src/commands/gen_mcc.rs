//! `relufit gen mcc`: seeded MULTICOLORED CLIQUE instances (random, with a planted
//! multicoloured clique, or certified to have none), or a DIMACS clique-benchmark graph.

use super::{check_outputs, CmdResult};
use crate::args::count;
use crate::output::{self, Status};
use clap::Args;
use relufit::io::write_output;
use relufit::limits::MAX_GRAPH_VERTICES;
use relufit::mcc::{self, RandomOptions};
use relufit::num::{parse_rational, Rational};
use relufit::Error;
use std::path::PathBuf;

/// `relufit gen mcc`.
#[derive(Debug, Args)]
pub struct GenMccArgs {
    /// Number of colour classes kappa (1..=1000000).
    #[arg(long, default_value_t = 3, value_parser = count(1, MAX_GRAPH_VERTICES))]
    pub kappa: usize,
    /// Vertices per colour class (1..=1000000).
    #[arg(long, default_value_t = 4, value_parser = count(1, MAX_GRAPH_VERTICES))]
    pub size: usize,
    /// Probability of each edge between classes, a rational in [0, 1] (e.g. 1/2, 0.3).
    #[arg(long, default_value = "1/2")]
    pub density: String,
    /// Plant a multicoloured clique (written as a comment-free `planted` field of the output).
    #[arg(long, conflicts_with = "no_clique")]
    pub planted: bool,
    /// Remove edges until the exact solver finds no multicoloured clique.
    #[arg(long)]
    pub no_clique: bool,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Instead: a DIMACS clique benchmark graph by its family name (hammingN-D or
    /// johnsonN-W-D, e.g. hamming6-2, johnson8-2-4), written in DIMACS.
    #[arg(long, conflicts_with_all = ["planted", "no_clique"])]
    pub family: Option<String>,
    /// Output file (relufit-mcc/1 JSON, or DIMACS with --family; written atomically).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// A probability `num/den` from a rational in `[0, 1]` with a denominator below 2^32.
fn density(text: &str) -> Result<(u64, u64), Error> {
    let q = parse_rational(text).map_err(|e| Error::input("--density", e.to_string()))?;
    if q < Rational::ZERO || q > Rational::ONE {
        return Err(Error::input(
            "--density",
            format!("a probability lies in [0, 1], got {q}"),
        ));
    }
    let den = u64::try_from(q.denominator()).ok().filter(|&d| d < 1 << 32);
    let num = u64::try_from(q.numerator()).ok();
    match (num, den) {
        (Some(n), Some(d)) => Ok((n, d)),
        _ => Err(Error::input(
            "--density",
            format!("{q}: the denominator must be below 2^32"),
        )),
    }
}

/// `relufit gen mcc`.
pub(crate) fn run(a: &GenMccArgs) -> CmdResult {
    check_outputs(&[], &[Some(&a.output)])?;
    if let Some(name) = &a.family {
        let g = mcc::benchmark_graph(name)?;
        let comments = vec![
            format!("{name}: DIMACS clique benchmark family (second DIMACS challenge), built"),
            "from its definition by relufit gen mcc; vertices are the words in increasing order"
                .to_string(),
        ];
        write_output(&a.output, mcc::graph_to_dimacs(&g, &comments).as_bytes())?;
        output::line(format!(
            "wrote {} ({name}: {} vertices, {} edges)",
            a.output.display(),
            g.n,
            g.edges.len()
        ));
        return Ok(Status::Success);
    }
    let opts = RandomOptions {
        kappa: a.kappa,
        class_size: a.size,
        density: density(&a.density)?,
        seed: a.seed,
    };
    let as_flags = |e: Error| match e {
        Error::Invalid(m) => Error::input("--kappa, --size", m),
        other => other,
    };
    let (g, note) = if a.planted {
        let (g, c) = mcc::planted_mcc(&opts).map_err(as_flags)?;
        let note = format!("planted multicoloured clique {c:?}");
        (g, note)
    } else if a.no_clique {
        let g = mcc::clique_free_mcc(&opts, 1 << 24).map_err(as_flags)?;
        (
            g,
            "no multicoloured clique (certified by the exact solver)".to_string(),
        )
    } else {
        (
            mcc::random_mcc(&opts).map_err(as_flags)?,
            "random".to_string(),
        )
    };
    write_output(&a.output, mcc::mcc_to_json(&g).as_bytes())?;
    output::line(format!(
        "wrote {} (kappa = {}, {} vertices, {} edges; {note})",
        a.output.display(),
        g.kappa(),
        g.num_vertices(),
        g.num_cross_edges()
    ));
    Ok(Status::Success)
}
