//! Reading the source of the MCC commands: a `relufit-mcc/1` file (vertex-coloured graph) or
//! a DIMACS graph with `--kappa K` (its `K` copies, the reduction from CLIQUE).

use relufit::io::read_text;
use relufit::mcc::{mcc_from_json, parse_dimacs_graph};
use relufit::reduce::mcc::Source;
use relufit::Error;
use std::path::Path;

/// Read `path`: JSON (first non-blank character `{`) or DIMACS. For JSON, `--kappa` may be
/// given and must equal the number of colour classes; for DIMACS it is required.
pub(super) fn load_source(path: &Path, kappa: Option<usize>) -> Result<Source, Error> {
    let text = read_text(path)?;
    let name = path.display().to_string();
    if text.trim_start().starts_with('{') {
        let g = mcc_from_json(&text, &name)?;
        if let Some(k) = kappa {
            if k != g.kappa() {
                return Err(Error::input(
                    format!("{name}: colors"),
                    format!(
                        "--kappa {k} but the file has {} colour classes (kappa is the number \
                         of classes of a relufit-mcc/1 file; --kappa is for DIMACS graphs)",
                        g.kappa()
                    ),
                ));
            }
        }
        return Ok(Source::Colored(g));
    }
    let graph = parse_dimacs_graph(&text, &name)?;
    let Some(kappa) = kappa else {
        return Err(Error::input(
            "--kappa",
            format!(
                "{name} is a DIMACS graph: give the clique size with --kappa K (its K copies \
                 form the multicoloured instance)"
            ),
        ));
    };
    relufit::mcc::kappa_copies(&graph, kappa, &name)?;
    Ok(Source::Copies { graph, kappa })
}

/// The clique of `--clique`, in the source's terms.
pub(super) fn parse_clique(text: &str) -> Result<Vec<u64>, Error> {
    relufit::mcc::parse_clique(text, "--clique")
}

/// `1 4 6` for a vertex list.
pub(super) fn vertices(v: &[u64]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}
