//! Reading input files: whole UTF-8 text, at most [`MAX_INPUT_BYTES`], errors naming the file.

use crate::error::{Error, Result};
use crate::limits::MAX_INPUT_BYTES;
use std::io::Read;
use std::path::Path;

/// Read a whole file as UTF-8 text; the error names the file. A directory, a file larger
/// than [`MAX_INPUT_BYTES`] (also an endless one such as `/dev/zero`) and text that is not
/// UTF-8 are refused.
pub fn read_text(path: &Path) -> Result<String> {
    let io_err = |source| Error::Io {
        path: path.into(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    if file.metadata().map_err(io_err)?.is_dir() {
        return Err(Error::input(
            path.display().to_string(),
            "is a directory, expected a file",
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::input(
            path.display().to_string(),
            format!(
                "larger than {} MiB, the limit for one input file",
                MAX_INPUT_BYTES >> 20
            ),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::input(path.display().to_string(), format!("not UTF-8 text ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_and_missing_files_are_named() {
        let dir = std::env::temp_dir();
        let e = read_text(&dir).unwrap_err().to_string();
        assert!(e.contains("is a directory"), "{e}");
        let missing = dir.join("relufit-no-such-file.json");
        let e = read_text(&missing).unwrap_err().to_string();
        assert!(e.contains("relufit-no-such-file.json"), "{e}");
    }
}
