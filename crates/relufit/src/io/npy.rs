//! numpy `.npy` export (format version 1.0) for float users: one little-endian float64 array
//! of shape `(n, d + 1)`, columns `x1..xd, y` (so `X, y = a[:, :-1], a[:, -1]`). Values are
//! rounded to a nearby double (tiny values may become 0); the exact values stay in the JSON
//! instance. A value beyond the float64 range (about `1.8e308`) is refused: it would become
//! `inf`, and a silently wrong file is worse than none.

use crate::error::{Error, Result};
use crate::model::Instance;
use crate::num::to_f64;

/// The bytes of a `.npy` file holding the instance's data as float64. Fails, naming the
/// point (`points[3].x[1]`), if a value lies beyond the float64 range.
pub fn instance_to_npy(inst: &Instance) -> Result<Vec<u8>> {
    let (n, cols) = (inst.len(), inst.dim() + 1);
    let mut header =
        format!("{{'descr': '<f8', 'fortran_order': False, 'shape': ({n}, {cols}), }}");
    // magic (6) + version (2) + header length (2) + header + '\n' is a multiple of 64.
    let unpadded = 10 + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + 8 * n * cols);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for (i, p) in inst.points.iter().enumerate() {
        for (j, v) in p.x.iter().chain(std::iter::once(&p.y)).enumerate() {
            let f = to_f64(v);
            if !f.is_finite() {
                let field = if j < p.x.len() {
                    format!("points[{i}].x[{j}]")
                } else {
                    format!("points[{i}].y")
                };
                return Err(Error::input(
                    field,
                    "the value lies beyond the float64 range (about 1.8e308) and cannot be \
                     written to .npy (the exact JSON or CSV forms can hold it)",
                ));
            }
            out.extend_from_slice(&f.to_le_bytes());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activation, Loss, Point};
    use crate::num::{int, ratio};

    #[test]
    fn header_is_aligned_and_data_follows() {
        let inst = Instance {
            activation: Activation::Relu,
            k: 1,
            gamma: int(0),
            loss: Loss::Abs,
            lp: None,
            points: vec![Point::new(vec![int(1), ratio(1, 4)], int(-2))],
            meta: serde_json::Value::Null,
        };
        let b = instance_to_npy(&inst).unwrap();
        let hlen = u16::from_le_bytes([b[8], b[9]]) as usize;
        assert_eq!((10 + hlen) % 64, 0);
        let header = std::str::from_utf8(&b[10..10 + hlen]).unwrap();
        assert!(header.contains("'shape': (1, 3)"));
        let vals: Vec<f64> = b[10 + hlen..]
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(vals, vec![1.0, 0.25, -2.0]);
        let mut huge = inst.clone();
        huge.points[0].x[1] = crate::num::parse_rational("-1e400").unwrap();
        let e = instance_to_npy(&huge).unwrap_err().to_string();
        assert!(
            e.contains("points[0].x[1]") && e.contains("float64 range"),
            "{e}"
        );
    }
}
