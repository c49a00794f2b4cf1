//! The one progress line of the long commands (`solve`, `mcc solve`, `separability decide`)
//! on stderr: after the first second, on a terminal one line redrawn in place (a shorter
//! line overwrites the rest of the last one); elsewhere (a log file, a pipe) a whole line
//! `progress: ...` every [`LOG_EVERY`], so that batch runs show their progress too; nothing
//! with `--json`. A closed stderr (`2>&1 | head`) is ignored: it is no reason to stop a
//! search.

use relufit::limits::{Observer, Progress};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// No progress before this much of a run (short runs stay quiet).
const FIRST_AFTER: Duration = Duration::from_secs(1);

/// How often a log (not a terminal) gets a progress line.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// The progress line of one command run.
pub(crate) struct ProgressLine {
    terminal: bool,
    /// Terminal: the length of the last line drawn (0: none). Log: when the next line is
    /// due.
    state: Mutex<(usize, Duration)>,
}

impl ProgressLine {
    /// The progress line of a command, `None` with `--json` (its stderr stays quiet).
    pub(crate) fn for_command(json: bool) -> Option<ProgressLine> {
        (!json).then(|| ProgressLine {
            terminal: std::io::stderr().is_terminal(),
            state: Mutex::new((0, Duration::ZERO)),
        })
    }

    /// Show `line()` for a run `elapsed` into it, if it is due (`line` is only called then).
    pub(crate) fn show(&self, elapsed: Duration, line: impl FnOnce() -> String) {
        if elapsed < FIRST_AFTER {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if self.terminal {
            let line = line();
            let width = line.chars().count().max(1);
            let pad = " ".repeat(state.0.saturating_sub(width));
            let _ = write!(std::io::stderr().lock(), "\r  {line}{pad}");
            state.0 = width;
        } else if elapsed >= state.1 {
            let _ = writeln!(std::io::stderr().lock(), "progress: {}", line());
            state.1 = elapsed + LOG_EVERY;
        }
    }

    /// The run is over: on a terminal, end a drawn line, so that the result starts on its
    /// own line.
    pub(crate) fn finish(&self) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if self.terminal && state.0 > 0 {
            let _ = writeln!(std::io::stderr().lock());
        }
    }
}

/// A library run's progress reports ([`Observer`]), rendered as the command's progress line.
pub(crate) struct StderrProgress(ProgressLine);

impl Observer for StderrProgress {
    fn progress(&self, p: &Progress) {
        self.0.show(p.elapsed, || progress_line(p));
    }
}

impl StderrProgress {
    /// The observer of a command's run (`None` with `--json`).
    pub(crate) fn for_command(json: bool) -> Option<Arc<StderrProgress>> {
        ProgressLine::for_command(json).map(|l| Arc::new(StderrProgress(l)))
    }

    /// The run is over ([`ProgressLine::finish`]).
    pub(crate) fn finish(&self) {
        self.0.finish();
    }
}

/// A count in a few characters: `950`, `12.3k`, `4.5M`, `2.1G`.
fn short(v: f64) -> String {
    match v {
        v if v >= 1e9 => format!("{:.1}G", v / 1e9),
        v if v >= 1e6 => format!("{:.1}M", v / 1e6),
        v if v >= 1e4 => format!("{:.1}k", v / 1e3),
        v => format!("{v:.0}"),
    }
}

/// `42 s`, `3 min 20 s`, `5 h 3 min`.
fn duration_words(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=99 => format!("{:.1} s", d.as_secs_f64()),
        100..=5999 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s / 60 % 60),
    }
}

/// One progress line: what is done (of how much), the rate, LPs, depth, open work and the
/// time (the estimate of what is left when the solver gives one).
fn progress_line(p: &Progress) -> String {
    let secs = p.elapsed.as_secs_f64().max(1e-9);
    let stage = if p.stage.is_empty() {
        "searching"
    } else {
        p.stage
    };
    let mut parts = Vec::new();
    let done = match p.total {
        Some(t) if t > 0 => format!(
            "{} of {} ({:.1}%)",
            short(p.nodes as f64),
            short(t as f64),
            100.0 * p.nodes as f64 / t as f64
        ),
        _ => short(p.nodes as f64),
    };
    parts.push(format!("{done}, {}/s", short(p.nodes as f64 / secs)));
    if p.lps > 0 {
        parts.push(format!("{} LPs", short(p.lps as f64)));
    }
    if p.depth > 0 {
        parts.push(format!("depth {}", p.depth));
    }
    if p.open > 0 {
        parts.push(format!("{} open", short(p.open as f64)));
    }
    let time = match p.remaining {
        Some(r) => format!(
            "{} elapsed, about {} left",
            duration_words(p.elapsed),
            duration_words(r)
        ),
        None => format!("{} elapsed", duration_words(p.elapsed)),
    };
    parts.push(time);
    format!("{stage}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_show_rate_depth_open_work_and_the_estimate() {
        let p = Progress {
            stage: "solving leaves",
            nodes: 12_345,
            lps: 2_000,
            depth: 3,
            elapsed: Duration::from_secs(5),
            total: Some(100_000),
            open: 40_000,
            remaining: Some(Duration::from_secs(250)),
        };
        let line = progress_line(&p);
        for part in [
            "solving leaves: 12.3k of 100.0k (12.3%)",
            "2469/s",
            "2000 LPs",
            "depth 3",
            "40.0k open",
            "about 4 min 10 s left",
        ] {
            assert!(line.contains(part), "{line} lacks {part}");
        }
        let tree = progress_line(&Progress {
            nodes: 7,
            elapsed: Duration::from_millis(1500),
            ..Progress::default()
        });
        assert_eq!(tree, "searching: 7, 5/s, 1.5 s elapsed");
    }
}
