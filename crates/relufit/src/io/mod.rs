//! File formats: JSON instances and networks (`relufit-instance/1`, `relufit-network/1`),
//! CSV data, numpy `.npy` export, reading input files ([`read_text`]) and writing outputs
//! ([`write_outputs`]: atomic replacement, symbolic links followed, FIFOs and devices written
//! in place, outputs that are inputs refused; see [`mod@output`]).
//!
//! Parsers take the text and a `source` name (usually the file path) that prefixes every
//! error message, so a user learns the file and the field or line at fault.

mod csv;
mod input;
pub mod json;
mod npy;
pub mod output;
mod shard;

pub use csv::{instance_from_csv, instance_to_csv, CsvOptions};
pub use input::read_text;
pub use json::{
    instance_from_json, instance_to_json, network_from_json, network_to_json, FORMAT_INSTANCE,
    FORMAT_NETWORK,
};
pub use npy::instance_to_npy;
pub use output::{abandon_temporary_files, check_outputs, write_output, write_outputs};
pub use shard::check_shard_json;
