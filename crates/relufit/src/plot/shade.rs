//! The shaded map of `phi` over a window (drawing only, in `f64`).
//!
//! The window is cut by every neuron's line into convex cells; inside a cell `phi` is
//! affine (ReLU) or constant (threshold), so each cell is filled either with a flat grey or
//! with an SVG linear gradient running along the gradient of `phi`. Grey is linear in the
//! value, so the picture is the exact piecewise-linear map up to rounding of coordinates.

use super::svg::{mix, num, Frame, Svg};
use crate::model::{Activation, Network};
use crate::num::to_f64;

type Pt = (f64, f64);

/// Grey scale for `phi`: white at the low end, dark grey at the high end.
pub(crate) const GREYS: [(f64, [u8; 3]); 2] = [(0.0, [255, 255, 255]), (1.0, [150, 150, 150])];

/// One neuron restricted to the plane, in `f64`.
struct PlaneNeuron {
    w: [f64; 2],
    b: f64,
    a: f64,
}

fn plane_neurons(net: &Network) -> Vec<PlaneNeuron> {
    net.neurons
        .iter()
        .filter(|n| n.w.len() >= 2)
        .map(|n| PlaneNeuron {
            w: [to_f64(&n.w[0]), to_f64(&n.w[1])],
            b: to_f64(&n.b),
            a: to_f64(&n.a),
        })
        // Parameters beyond the f64 range cannot be drawn; leave them out of the picture.
        .filter(|n| n.w.iter().chain([&n.b, &n.a]).all(|v| v.is_finite()))
        .collect()
}

/// Split a convex polygon by the line `w.x + b = 0` into its parts on both sides.
fn split(poly: &[Pt], w: [f64; 2], b: f64) -> (Vec<Pt>, Vec<Pt>) {
    let val = |p: Pt| w[0] * p.0 + w[1] * p.1 + b;
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for i in 0..poly.len() {
        let p = poly[i];
        let q = poly[(i + 1) % poly.len()];
        let (vp, vq) = (val(p), val(q));
        if vp >= 0.0 {
            pos.push(p);
        }
        if vp <= 0.0 {
            neg.push(p);
        }
        if (vp > 0.0 && vq < 0.0) || (vp < 0.0 && vq > 0.0) {
            let t = vp / (vp - vq);
            let r = (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1));
            pos.push(r);
            neg.push(r);
        }
    }
    (pos, neg)
}

fn area(poly: &[Pt]) -> f64 {
    let mut s = 0.0;
    for i in 0..poly.len() {
        let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
        s += p.0 * q.1 - q.0 * p.1;
    }
    s.abs() / 2.0
}

/// Above this many cells of the line arrangement the map is drawn as a raster instead.
const MAX_CELLS: usize = 1500;

/// Raster fallback: `phi` at the centres of 4x4-pixel blocks, equal neighbours in a row
/// merged into one rectangle.
fn raster(svg: &mut Svg, frame: &Frame, phi: &dyn Fn(Pt) -> f64, colour: &dyn Fn(f64) -> String) {
    let block = 4.0;
    let cols = (frame.width / block).ceil() as usize;
    let rows = (frame.height / block).ceil() as usize;
    for r in 0..rows {
        let y = frame.top + r as f64 * block;
        let mut run: Option<(usize, String)> = None;
        for c in 0..=cols {
            let fill = (c < cols).then(|| {
                let x = frame.left + (c as f64 + 0.5) * block;
                colour(phi((x, y + block / 2.0)))
            });
            if run.as_ref().map(|(_, f)| Some(f)) != Some(fill.as_ref()) {
                if let Some((start, f)) = run.take() {
                    if f != "#ffffff" {
                        let x = frame.left + start as f64 * block;
                        svg.rect(x, y, (c - start) as f64 * block, block, &f, None, "cell");
                    }
                }
                run = fill.map(|f| (c, f));
            }
        }
    }
}

/// Draw the shaded map of `phi` inside `frame`; values are mapped linearly from `lo`
/// (white) to `hi` (dark grey) and clamped outside.
pub(crate) fn shade(svg: &mut Svg, frame: &Frame, net: &Network, lo: f64, hi: f64) {
    let neurons = plane_neurons(net);
    let [x0, x1, y0, y1] = frame.window;
    // Work in screen coordinates so the tolerance is in pixels.
    let mut cells: Vec<Vec<Pt>> = vec![vec![
        frame.screen((x0, y0)),
        frame.screen((x1, y0)),
        frame.screen((x1, y1)),
        frame.screen((x0, y1)),
    ]];
    let (kx, ky) = (frame.kx(), frame.ky());
    // World w.x + b in screen coordinates: x = x0 + (sx - left)/kx, y = y0 + (top + h - sy)/ky.
    let screen_line = |n: &PlaneNeuron| -> ([f64; 2], f64) {
        let w = [n.w[0] / kx, -n.w[1] / ky];
        let b =
            n.b + n.w[0] * (x0 - frame.left / kx) + n.w[1] * (y0 + (frame.top + frame.height) / ky);
        (w, b)
    };
    let span = if hi > lo { hi - lo } else { 1.0 };
    let colour = |v: f64| mix(&GREYS, (v - lo) / span);
    // phi and its screen gradient at a screen point.
    let phi_at = |c: Pt| -> (f64, [f64; 2]) {
        let mut value = 0.0;
        let mut grad = [0.0, 0.0];
        for nr in &neurons {
            let (w, b) = screen_line(nr);
            let t = w[0] * c.0 + w[1] * c.1 + b;
            if t > 0.0 {
                match net.activation {
                    Activation::Relu => {
                        value += nr.a * t;
                        grad[0] += nr.a * w[0];
                        grad[1] += nr.a * w[1];
                    }
                    Activation::Threshold => value += nr.a,
                }
            }
        }
        (value, grad)
    };
    let mut seen: Vec<([f64; 2], f64)> = Vec::new();
    for n in &neurons {
        if n.a == 0.0 || (n.w[0] == 0.0 && n.w[1] == 0.0) {
            continue;
        }
        let (w, b) = screen_line(n);
        let norm = w[0].hypot(w[1]);
        let key = ([w[0] / norm, w[1] / norm], b / norm);
        if seen.iter().any(|k| {
            ((k.0[0] - key.0[0]).abs() < 1e-12
                && (k.0[1] - key.0[1]).abs() < 1e-12
                && (k.1 - key.1).abs() < 1e-6)
                || ((k.0[0] + key.0[0]).abs() < 1e-12
                    && (k.0[1] + key.0[1]).abs() < 1e-12
                    && (k.1 + key.1).abs() < 1e-6)
        }) {
            continue;
        }
        seen.push(key);
        if cells.len() > MAX_CELLS {
            svg.begin_group(r#"class="shade raster""#);
            raster(svg, frame, &|c| phi_at(c).0, &colour);
            svg.end_group();
            return;
        }
        let mut next = Vec::with_capacity(cells.len() + 4);
        for c in cells {
            let (p, q) = split(&c, key.0, key.1);
            for part in [p, q] {
                if part.len() >= 3 && area(&part) > 1e-3 {
                    next.push(part);
                }
            }
        }
        cells = next;
    }
    svg.begin_group(r#"class="shade""#);
    for cell in &cells {
        let n = cell.len() as f64;
        let c = (
            cell.iter().map(|p| p.0).sum::<f64>() / n,
            cell.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let (value, grad) = phi_at(c);
        let g2 = grad[0] * grad[0] + grad[1] * grad[1];
        // Flat if phi changes by less than 1/1000 of the scale across the canvas.
        let flat = g2.sqrt() * (svg.width() + svg.height()) < 1e-3 * span;
        if flat {
            let fill = colour(value);
            if fill != "#ffffff" {
                svg.polygon(cell, &fill, "cell");
            }
            continue;
        }
        let a = (
            c.0 + (lo - value) * grad[0] / g2,
            c.1 + (lo - value) * grad[1] / g2,
        );
        let b = (
            c.0 + (hi - value) * grad[0] / g2,
            c.1 + (hi - value) * grad[1] / g2,
        );
        let id = svg.fresh_id("g");
        svg.def(&format!(
            r#"<linearGradient id="{id}" gradientUnits="userSpaceOnUse" x1="{}" y1="{}" x2="{}" y2="{}"><stop offset="0" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient>"#,
            num(a.0),
            num(a.1),
            num(b.0),
            num(b.1),
            colour(lo),
            colour(hi)
        ));
        svg.polygon(cell, &format!("url(#{id})"), "cell");
    }
    svg.end_group();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_cuts_a_square_in_two() {
        let sq = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];
        let (p, q) = split(&sq, [1.0, 0.0], -1.0);
        assert!((area(&p) - 2.0).abs() < 1e-12);
        assert!((area(&q) - 2.0).abs() < 1e-12);
        let (p, q) = split(&sq, [1.0, 0.0], -5.0);
        assert!(area(&p) < 1e-12);
        assert!((area(&q) - 4.0).abs() < 1e-12);
    }
}
