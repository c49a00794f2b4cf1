//! `relufit separability check`: strict separation, the restricted form (3)-(5), the margin.

use super::separability_input::{check_dimension, load_hyperplanes, load_sets};
use super::{parse_eps, CmdResult};
use crate::output::{self, Status};
use clap::Args;
use relufit::reduce::separability as sep;
use serde_json::json;
use std::path::PathBuf;

/// `relufit separability check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Source instance (JSON or CSV).
    pub sets: PathBuf,
    /// Hyperplanes (relufit-hyperplanes/1 JSON).
    pub hyperplanes: PathBuf,
    /// Margin eps > 0 for (5); default m^-3.
    #[arg(long)]
    pub eps: Option<String>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit separability check`.
pub(crate) fn run(a: &CheckArgs) -> CmdResult {
    let src = load_sets(&a.sets)?;
    let hs = load_hyperplanes(&a.hyperplanes)?;
    check_dimension(&hs, src.dim(), &a.hyperplanes)?;
    let eps = match &a.eps {
        Some(t) => parse_eps(t)?,
        None => src.default_eps(),
    };
    let strict = sep::check_strict(&src, &hs);
    let restricted = sep::check_restricted(&src, &hs, &eps);
    let margin = sep::margin_sq(&src, &hs);
    if a.json {
        output::json(&json!({
            "strict": strict.as_ref().err().map(|e| e.to_string()),
            "restricted": restricted.as_ref().err().map(|e| e.to_string()),
            "eps": eps.to_string(),
            "margin_sq": margin.as_ref().map(|m| m.to_string()),
        }));
    } else {
        match &strict {
            Ok(()) => output::line("strict separation: yes"),
            Err(e) => output::line(format!("strict separation: NO ({e})")),
        }
        match &restricted {
            Ok(_) => output::line(format!("restricted form (3)-(5) with eps = {eps}: yes")),
            Err(e) => output::line(format!("restricted form (3)-(5): NO ({e})")),
        }
        if let Some(m) = margin {
            output::line(format!(
                "margin: min squared distance point-hyperplane = {m} (about {:.3e})",
                relufit::num::to_f64(&m)
            ));
        }
    }
    Ok(if strict.is_ok() {
        Status::Success
    } else {
        Status::Negative
    })
}
