//! SIGINT and SIGTERM (and SIGHUP): remove temporary output files and exit with code 3, or,
//! for a command that can stop cleanly (`solve`), ask it to stop first.
//!
//! A cooperative command takes the flag from [`cancellation`]; the first signal sets it and
//! the command ends with "unknown" (exit 3) and what it established. A second signal, or any
//! signal during another command, removes every temporary file of an unfinished write
//! ([`relufit::io::abandon_temporary_files`]) and exits with code 3 at once; existing outputs
//! are never touched, as their replacements were not renamed over them.

use crate::output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Exit code of an interrupted run ("unknown").
const INTERRUPTED: i32 = 3;

static COOPERATIVE: AtomicBool = AtomicBool::new(false);

fn flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(Arc::default)
}

/// Install the handler (once, at start). If it cannot be installed, a signal simply kills
/// the process as usual.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if COOPERATIVE.load(Ordering::SeqCst) && !flag().swap(true, Ordering::SeqCst) {
            return;
        }
        relufit::io::abandon_temporary_files();
        output::error(&"interrupted; temporary files removed, existing outputs unchanged");
        std::process::exit(INTERRUPTED);
    });
}

/// The cancellation flag of a command that stops cleanly on the first signal.
pub fn cancellation() -> Arc<AtomicBool> {
    COOPERATIVE.store(true, Ordering::SeqCst);
    flag().clone()
}
