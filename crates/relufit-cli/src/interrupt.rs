//! SIGINT and SIGTERM (and SIGHUP), and the time limit of a command.
//!
//! A command that stops cleanly (`solve`, `verify`, `reduce`, `lift`, `decode`,
//! `separability decide`) takes its [`relufit::limits::RunLimits`] from [`limits`]: the
//! first signal sets their cancellation flag, and the library stops at its next check
//! (within milliseconds) and the command ends with "unknown" or "stopped" (exit 3), writing
//! nothing more. Any signal during another command, a second signal, or a command that has
//! not stopped [`GRACE`] after the signal, removes every temporary file of an unfinished
//! write ([`relufit::io::abandon_temporary_files`]) and exits with code 3 at once; existing
//! outputs are never touched, as their replacements were not renamed over them.
//!
//! The time limit works the same way: the library checks it itself; a watchdog ends the
//! process (exit 3, temporary files removed) if the command is still running
//! [`overshoot`] after the deadline. Both watchdogs stand down once the computation has
//! returned and the command only reports its answer ([`answer_ready`]).

use crate::output;
use relufit::limits::RunLimits;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Exit code of an interrupted run ("unknown").
const INTERRUPTED: i32 = 3;

/// How long a cooperative command may take to stop after a signal before the process is
/// ended anyway.
pub(crate) const GRACE: Duration = Duration::from_millis(100);

static COOPERATIVE: AtomicBool = AtomicBool::new(false);

/// Set by [`answer_ready`]: the computation has returned, only its report is left.
static REPORTING: AtomicBool = AtomicBool::new(false);

/// The command's computation has returned (with its answer, or stopped by a limit or a
/// signal): what is left is printing and writing that answer, bounded by its size. From now
/// on the watchdogs (the time limit's, and the grace after a first signal) stand down, so
/// that a computed answer is not lost to a slow disk: the `fsync` of an atomic write can
/// take longer than the 100 ms grace on a loaded machine. A second signal still ends the
/// process at once.
pub(crate) fn answer_ready() {
    REPORTING.store(true, Ordering::SeqCst);
}

/// Abandon the run (see [`abandon`]) unless its answer is already being reported.
fn abandon_unless_reporting(why: &str) {
    if !REPORTING.load(Ordering::SeqCst) {
        abandon(why);
    }
}

fn flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(Arc::default)
}

/// When the process started (when [`install`] ran): time limits count from here, so that
/// reading the input counts too.
fn started() -> Instant {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    *STARTED.get_or_init(Instant::now)
}

/// Remove the temporary files of unfinished writes, say why, and exit with code 3.
fn abandon(why: &str) -> ! {
    relufit::io::abandon_temporary_files();
    output::error(&format!(
        "{why}; temporary files removed, existing outputs unchanged"
    ));
    std::process::exit(INTERRUPTED);
}

/// Install the handler (once, at start). If it cannot be installed, a signal simply kills
/// the process as usual.
pub(crate) fn install() {
    started();
    let _ = ctrlc::set_handler(|| {
        if COOPERATIVE.load(Ordering::SeqCst) && !flag().swap(true, Ordering::SeqCst) {
            // The command stops by itself; if it has not after GRACE, end it here.
            std::thread::spawn(|| {
                std::thread::sleep(GRACE);
                abandon_unless_reporting("interrupted (the command did not stop by itself)");
            });
            return;
        }
        abandon("interrupted");
    });
}

/// The cancellation flag of a command that stops cleanly on the first signal.
pub(crate) fn cancellation() -> Arc<AtomicBool> {
    COOPERATIVE.store(true, Ordering::SeqCst);
    flag().clone()
}

/// How long after its deadline a command with a time limit is ended by the watchdog: 5% of
/// the limit, at least 100 ms (the accuracy the limits promise).
pub(crate) fn overshoot(limit: Duration) -> Duration {
    (limit / 20).max(Duration::from_millis(100))
}

/// The run-time limits of a cooperative command: `time_limit` counted from the start of the
/// process, the cancellation flag of [`cancellation`], and `memory` bytes (`None`: the
/// library's default). Arms the watchdog of the time limit.
pub(crate) fn limits(time_limit: Option<Duration>, memory: Option<usize>) -> RunLimits {
    let limits = RunLimits::new(time_limit, Some(cancellation()))
        .started_at(started())
        .with_memory(memory);
    if let Some(limit) = time_limit {
        if let Some(deadline) = started().checked_add(limit + overshoot(limit)) {
            std::thread::spawn(move || {
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                abandon_unless_reporting(&format!(
                    "time limit of {} s reached (the command did not stop by itself)",
                    limit.as_secs_f64()
                ));
            });
        }
    }
    limits
}
