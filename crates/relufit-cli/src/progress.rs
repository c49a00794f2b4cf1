//! The one progress line of the long commands (`solve`, `mcc solve`) on stderr: after the
//! first second, on a terminal one line redrawn in place (a shorter line overwrites the
//! rest of the last one); elsewhere (a log file, a pipe) a whole line `progress: ...` every
//! [`LOG_EVERY`], so that batch runs show their progress too; nothing with `--json`. A
//! closed stderr (`2>&1 | head`) is ignored: it is no reason to stop a search.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
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
