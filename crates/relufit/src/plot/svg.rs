//! A tiny SVG writer: a canvas of fixed size, rectangular frames mapping a world window
//! onto a screen rectangle, axes with ticks, and the few shapes the plots need.
//!
//! Everything here is drawing only: coordinates are `f64` and nothing decides anything.
//! Elements carry inline presentation attributes (no stylesheet), so every renderer shows
//! the same picture; `class` attributes only name what an element depicts.

use std::fmt::Write as _;

/// A point on the canvas or in the world.
type Pt = (f64, f64);

/// Format a screen or world coordinate compactly (at most 2 decimals, no trailing zeros).
pub(crate) fn num(v: f64) -> String {
    let v = if v.abs() < 5e-3 { 0.0 } else { v };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Escape text for use in element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Stroke style of a line or polyline.
#[derive(Debug, Clone)]
pub(crate) struct Stroke {
    /// Colour (`#rrggbb`).
    pub color: String,
    /// Width in screen units.
    pub width: f64,
    /// `stroke-dasharray`, if dashed.
    pub dash: Option<&'static str>,
}

impl Stroke {
    /// A solid stroke.
    pub(crate) fn solid(color: &str, width: f64) -> Self {
        Stroke {
            color: color.into(),
            width,
            dash: None,
        }
    }

    /// A dashed stroke.
    pub(crate) fn dashed(color: &str, width: f64, dash: &'static str) -> Self {
        Stroke {
            color: color.into(),
            width,
            dash: Some(dash),
        }
    }

    fn attrs(&self) -> String {
        let mut s = format!(
            r#"fill="none" stroke="{}" stroke-width="{}""#,
            self.color,
            num(self.width)
        );
        if let Some(d) = self.dash {
            let _ = write!(s, r#" stroke-dasharray="{d}""#);
        }
        s
    }
}

/// Text anchor.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document under construction.
#[derive(Debug)]
pub(crate) struct Svg {
    width: f64,
    height: f64,
    defs: String,
    body: String,
    next_id: usize,
}

impl Svg {
    /// An empty white canvas of the given size.
    pub(crate) fn new(width: u32, height: u32) -> Self {
        let mut svg = Svg {
            width: f64::from(width.max(1)),
            height: f64::from(height.max(1)),
            defs: String::new(),
            body: String::new(),
            next_id: 0,
        };
        svg.rect(
            0.0,
            0.0,
            svg.width,
            svg.height,
            "#ffffff",
            None,
            "background",
        );
        svg
    }

    /// Canvas width.
    pub(crate) fn width(&self) -> f64 {
        self.width
    }

    /// Canvas height.
    pub(crate) fn height(&self) -> f64 {
        self.height
    }

    /// A fresh id for a definition (`prefix` + counter).
    pub(crate) fn fresh_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    /// Add raw markup to `<defs>`.
    pub(crate) fn def(&mut self, markup: &str) {
        self.defs.push_str(markup);
        self.defs.push('\n');
    }

    /// Add raw markup to the body.
    pub(crate) fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
        self.body.push('\n');
    }

    /// Open a group (`<g>`) with the given attributes; close it with [`Svg::end_group`].
    pub(crate) fn begin_group(&mut self, attrs: &str) {
        if attrs.is_empty() {
            self.raw("<g>");
        } else {
            self.raw(&format!("<g {attrs}>"));
        }
    }

    /// Close the innermost group.
    pub(crate) fn end_group(&mut self) {
        self.raw("</g>");
    }

    /// A clip path for the rectangle; returns its id for `clip-path="url(#id)"`.
    pub(crate) fn clip_rect(&mut self, x: f64, y: f64, w: f64, h: f64) -> String {
        let id = self.fresh_id("clip");
        self.def(&format!(
            r#"<clipPath id="{id}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
            num(x),
            num(y),
            num(w),
            num(h)
        ));
        id
    }

    /// A filled rectangle with optional stroke.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        stroke: Option<&Stroke>,
        class: &str,
    ) {
        let stroke_attrs = match stroke {
            Some(s) => format!(r#" stroke="{}" stroke-width="{}""#, s.color, num(s.width)),
            None => String::new(),
        };
        self.raw(&format!(
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" fill="{fill}"{stroke_attrs}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        ));
    }

    /// A circle; `extra` is appended verbatim inside the tag (e.g. `data-y="1/3"`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn circle(
        &mut self,
        cx: f64,
        cy: f64,
        r: f64,
        fill: &str,
        stroke: &Stroke,
        class: &str,
        extra: &str,
    ) {
        let sep = if extra.is_empty() { "" } else { " " };
        self.raw(&format!(
            r#"<circle class="{class}" cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{}" stroke-width="{}"{sep}{extra}/>"#,
            num(cx),
            num(cy),
            num(r),
            stroke.color,
            num(stroke.width)
        ));
    }

    /// A straight segment.
    pub(crate) fn line(&mut self, a: (f64, f64), b: (f64, f64), stroke: &Stroke, class: &str) {
        self.raw(&format!(
            r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}" {}/>"#,
            num(a.0),
            num(a.1),
            num(b.0),
            num(b.1),
            stroke.attrs()
        ));
    }

    /// An open polyline.
    pub(crate) fn polyline(&mut self, pts: &[(f64, f64)], stroke: &Stroke, class: &str) {
        let coords: Vec<String> = pts
            .iter()
            .map(|&(x, y)| format!("{},{}", num(x), num(y)))
            .collect();
        self.raw(&format!(
            r#"<polyline class="{class}" points="{}" {}/>"#,
            coords.join(" "),
            stroke.attrs()
        ));
    }

    /// A closed filled polygon; `fill` may be a colour or `url(#id)`. The outline is drawn
    /// in the fill colour (hairline) so that adjacent polygons show no seams.
    pub(crate) fn polygon(&mut self, pts: &[(f64, f64)], fill: &str, class: &str) {
        let coords: Vec<String> = pts
            .iter()
            .map(|&(x, y)| format!("{},{}", num(x), num(y)))
            .collect();
        self.raw(&format!(
            r#"<polygon class="{class}" points="{}" fill="{fill}" stroke="{fill}" stroke-width="0.6" stroke-linejoin="round"/>"#,
            coords.join(" ")
        ));
    }

    /// Text at a screen position.
    pub(crate) fn text(&mut self, x: f64, y: f64, size: f64, anchor: Anchor, content: &str) {
        self.raw(&format!(
            r##"<text x="{}" y="{}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="{}" text-anchor="{}" fill="#222222">{}</text>"##,
            num(x),
            num(y),
            num(size),
            anchor.name(),
            escape(content)
        ));
    }

    /// Text rotated by -90 degrees about its anchor point (for vertical axis titles).
    pub(crate) fn text_vertical(&mut self, x: f64, y: f64, size: f64, content: &str) {
        self.raw(&format!(
            r##"<text x="{x}" y="{y}" transform="rotate(-90 {x} {y})" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="{}" text-anchor="middle" fill="#222222">{}</text>"##,
            num(size),
            escape(content),
            x = num(x),
            y = num(y)
        ));
    }

    /// A small square marker centred at a point.
    pub(crate) fn square(&mut self, c: (f64, f64), half: f64, fill: &str, class: &str) {
        self.rect(
            c.0 - half,
            c.1 - half,
            2.0 * half,
            2.0 * half,
            fill,
            Some(&Stroke::solid("#000000", 0.8)),
            class,
        );
    }

    /// The finished document.
    pub(crate) fn finish(self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#,
            w = num(self.width),
            h = num(self.height)
        );
        if !self.defs.is_empty() {
            out.push_str("<defs>\n");
            out.push_str(&self.defs);
            out.push_str("</defs>\n");
        }
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// A screen rectangle showing the world window `[x1min, x1max] x [x2min, x2max]`
/// (x2 grows upwards on screen).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Left edge on screen.
    pub left: f64,
    /// Top edge on screen.
    pub top: f64,
    /// Width on screen.
    pub width: f64,
    /// Height on screen.
    pub height: f64,
    /// World window `[x1min, x1max, x2min, x2max]`.
    pub window: [f64; 4],
}

impl Frame {
    /// Screen x of world x1.
    pub(crate) fn sx(&self, x1: f64) -> f64 {
        self.left + (x1 - self.window[0]) * self.kx()
    }

    /// Screen y of world x2.
    pub(crate) fn sy(&self, x2: f64) -> f64 {
        self.top + self.height - (x2 - self.window[2]) * self.ky()
    }

    /// Screen point of a world point.
    pub(crate) fn screen(&self, p: (f64, f64)) -> (f64, f64) {
        (self.sx(p.0), self.sy(p.1))
    }

    /// Screen units per world unit along x1.
    pub(crate) fn kx(&self) -> f64 {
        self.width / (self.window[1] - self.window[0])
    }

    /// Screen units per world unit along x2.
    pub(crate) fn ky(&self) -> f64 {
        self.height / (self.window[3] - self.window[2])
    }

    /// Is the world point inside the window (closed)?
    pub(crate) fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.window[0]
            && p.0 <= self.window[1]
            && p.1 >= self.window[2]
            && p.1 <= self.window[3]
    }

    /// The part of the line `w1 x1 + w2 x2 + b = 0` inside the window, as two world points.
    pub(crate) fn clip_line(&self, w1: f64, w2: f64, b: f64) -> Option<((f64, f64), (f64, f64))> {
        clip_line(self.window, w1, w2, b)
    }
}

/// The part of the line `w1 x1 + w2 x2 + b = 0` inside the window `[x1min, x1max, x2min,
/// x2max]`, as two world points (`None` if it misses the window or `w = 0`).
pub(crate) fn clip_line(
    window: [f64; 4],
    w1: f64,
    w2: f64,
    b: f64,
) -> Option<((f64, f64), (f64, f64))> {
    let [x0, x1, y0, y1] = window;
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(4);
    let tol_x = 1e-9 * (x1 - x0).abs().max(1.0);
    let tol_y = 1e-9 * (y1 - y0).abs().max(1.0);
    if w2 != 0.0 {
        for x in [x0, x1] {
            let y = -(w1 * x + b) / w2;
            if y >= y0 - tol_y && y <= y1 + tol_y {
                pts.push((x, y.clamp(y0, y1)));
            }
        }
    }
    if w1 != 0.0 {
        for y in [y0, y1] {
            let x = -(w2 * y + b) / w1;
            if x >= x0 - tol_x && x <= x1 + tol_x {
                pts.push((x.clamp(x0, x1), y));
            }
        }
    }
    // The two points farthest apart (corners may appear twice).
    let mut best: Option<(Pt, Pt, f64)> = None;
    for i in 0..pts.len() {
        for j in i + 1..pts.len() {
            let d = (pts[i].0 - pts[j].0).hypot(pts[i].1 - pts[j].1);
            if best.is_none_or(|(_, _, bd)| d > bd) {
                best = Some((pts[i], pts[j], d));
            }
        }
    }
    best.filter(|&(_, _, d)| d > 0.0).map(|(a, b, _)| (a, b))
}

/// About `target` "nice" tick values (1, 2 or 5 times a power of ten) covering `[lo, hi]`.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return (vec![lo], 1.0);
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last).map(|i| i as f64 * step).collect();
    (ticks, step)
}

/// Format a tick value for a given tick step.
pub(crate) fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

fn frame_ticks(f: &Frame) -> ((Vec<f64>, f64), (Vec<f64>, f64)) {
    (
        nice_ticks(f.window[0], f.window[1], (f.width / 80.0).max(2.0) as usize),
        nice_ticks(
            f.window[2],
            f.window[3],
            (f.height / 60.0).max(2.0) as usize,
        ),
    )
}

/// Light grid lines at the tick positions (draw before the content).
pub(crate) fn grid(svg: &mut Svg, f: &Frame) {
    let grid = Stroke::solid("#e6e6e6", 0.6);
    let ((xt, _), (yt, _)) = frame_ticks(f);
    for &t in &xt {
        let x = f.sx(t);
        svg.line((x, f.top), (x, f.top + f.height), &grid, "grid");
    }
    for &t in &yt {
        let y = f.sy(t);
        svg.line((f.left, y), (f.left + f.width, y), &grid, "grid");
    }
}

/// Draw a frame border, ticks with labels and axis titles (draw after the content).
pub(crate) fn axes(svg: &mut Svg, f: &Frame, x_title: &str, y_title: &str) {
    let axis = Stroke::solid("#333333", 1.0);
    let ((xt, xs), (yt, ys)) = frame_ticks(f);
    let bottom = f.top + f.height;
    for &t in &xt {
        let x = f.sx(t);
        svg.line((x, bottom), (x, bottom + 4.0), &axis, "tick");
        svg.text(x, bottom + 16.0, 11.0, Anchor::Middle, &tick_label(t, xs));
    }
    for &t in &yt {
        let y = f.sy(t);
        svg.line((f.left - 4.0, y), (f.left, y), &axis, "tick");
        svg.text(f.left - 7.0, y + 4.0, 11.0, Anchor::End, &tick_label(t, ys));
    }
    svg.rect(
        f.left,
        f.top,
        f.width,
        f.height,
        "none",
        Some(&axis),
        "frame",
    );
    if !x_title.is_empty() {
        svg.text(
            f.left + f.width / 2.0,
            bottom + 32.0,
            12.0,
            Anchor::Middle,
            x_title,
        );
    }
    if !y_title.is_empty() {
        svg.text_vertical(f.left - 44.0, f.top + f.height / 2.0, 12.0, y_title);
    }
}

/// Linear interpolation between colours given as `(r, g, b)`, returned as `#rrggbb`.
pub(crate) fn mix(stops: &[(f64, [u8; 3])], t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut rgb = stops.last().map_or([0, 0, 0], |s| s.1);
    for w in stops.windows(2) {
        let (t0, c0) = w[0];
        let (t1, c1) = w[1];
        if t <= t1 {
            let u = if t1 > t0 { (t - t0) / (t1 - t0) } else { 0.0 };
            for k in 0..3 {
                rgb[k] =
                    (f64::from(c0[k]) + u * (f64::from(c1[k]) - f64::from(c0[k]))).round() as u8;
            }
            break;
        }
    }
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(2.345), "2.35");
        assert_eq!(num(-12.5), "-12.5");
    }

    #[test]
    fn ticks_are_nice() {
        let (t, s) = nice_ticks(-4.3, 4.3, 10);
        assert_eq!(s, 1.0);
        assert_eq!(t.first().copied(), Some(-4.0));
        assert_eq!(t.last().copied(), Some(4.0));
        assert_eq!(tick_label(-0.0, 0.5), "0.0");
        assert_eq!(tick_label(0.25, 0.05), "0.25");
    }

    #[test]
    fn lines_are_clipped_to_the_window() {
        let w = [-1.0, 1.0, -1.0, 1.0];
        let (a, b) = clip_line(w, 1.0, -1.0, 0.0).unwrap(); // x2 = x1
        assert!((a.0 + 1.0).abs() < 1e-12 && (b.0 - 1.0).abs() < 1e-12);
        assert!(clip_line(w, 0.0, 1.0, -3.0).is_none()); // x2 = 3
        let (a, b) = clip_line(w, 1.0, 0.0, 0.0).unwrap(); // x1 = 0
        assert_eq!((a.0, b.0), (0.0, 0.0));
    }

    #[test]
    fn colours_interpolate() {
        let stops = [(0.0, [0, 0, 0]), (1.0, [255, 255, 255])];
        assert_eq!(mix(&stops, 0.0), "#000000");
        assert_eq!(mix(&stops, 1.0), "#ffffff");
        assert_eq!(mix(&stops, 2.0), "#ffffff");
        assert_eq!(mix(&stops, 0.5), "#808080");
    }
}
