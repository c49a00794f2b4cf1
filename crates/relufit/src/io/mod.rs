//! File formats: JSON instances and networks (`relufit-instance/1`, `relufit-network/1`),
//! CSV data, numpy `.npy` export, and atomic writes.
//!
//! Parsers take the text and a `source` name (usually the file path) that prefixes every
//! error message, so a user learns the file and the field or line at fault.

mod atomic;
mod csv;
pub mod json;
mod npy;

pub use atomic::{read_text, write_atomic};
pub use csv::{instance_from_csv, instance_to_csv, CsvOptions};
pub use json::{
    instance_from_json, instance_to_json, network_from_json, network_to_json, FORMAT_INSTANCE,
    FORMAT_NETWORK,
};
pub use npy::instance_to_npy;
