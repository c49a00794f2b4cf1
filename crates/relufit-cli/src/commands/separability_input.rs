//! Inputs shared by the separability commands: point sets, hyperplane files.

use relufit::io::read_text;
use relufit::reduce::separability as sep;
use relufit::Error;
use std::path::Path;

pub(super) fn load_sets(path: &Path) -> Result<sep::SeparabilityInstance, Error> {
    let text = read_text(path)?;
    let name = path.display().to_string();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        sep::separability_from_csv(&text, &name)
    } else {
        sep::separability_from_json(&text, &name)
    }
}

pub(super) fn load_hyperplanes(path: &Path) -> Result<Vec<sep::Hyperplane>, Error> {
    let text = read_text(path)?;
    sep::hyperplanes_from_json(&text, &path.display().to_string())
}

/// Hyperplanes must live in the dimension of the points they are checked or drawn with.
pub(super) fn check_dimension(
    hs: &[sep::Hyperplane],
    dim: usize,
    path: &Path,
) -> Result<(), Error> {
    match hs.iter().position(|h| h.h.len() != dim) {
        Some(i) => Err(Error::input(
            format!("{}: hyperplanes[{i}].h", path.display()),
            format!(
                "dimension {} differs from the points' dimension {dim}",
                hs[i].h.len()
            ),
        )),
        None => Ok(()),
    }
}

pub(super) fn hyperplanes_json(hs: &[sep::Hyperplane]) -> serde_json::Value {
    serde_json::from_str(&sep::hyperplanes_to_json(hs)).unwrap_or_default()
}
