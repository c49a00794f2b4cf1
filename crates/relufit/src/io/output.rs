//! Writing output files with the semantics users expect from Unix tools. Every file relufit
//! writes goes through this module.
//!
//! - `-` is standard output. (The library prints nothing of its own; it writes the data there
//!   only when asked to.)
//! - An existing FIFO or device (character or block) is written in place, directly, like a
//!   shell redirection: `-o /dev/stdout`, `-o /dev/null`, `-o >(gzip > f.gz)` keep working and
//!   are never replaced by a regular file.
//! - Anything else is a regular file and is replaced atomically: the data goes to a temporary
//!   file `.NAME.relufit-PID-N.tmp` beside it, is flushed to disk and renamed over it, so a
//!   failure never leaves half a file and an existing file survives any error. The existing
//!   file's permissions are kept.
//! - A symbolic link is followed (also a chain, and a link to a file that does not exist yet):
//!   its final target is replaced atomically in the target's directory, and the link stays.
//! - [`check_outputs`] refuses, before any work, an output that is also an input of the same
//!   command, compared by file identity (device and inode: `./x` and `x`, hard links and
//!   symbolic links are all caught), two outputs that are the same file, two outputs on
//!   standard output, a directory, and a file in a directory that does not exist.
//! - The outputs of one command are written as one step ([`write_outputs`]): first every
//!   temporary file, then the direct outputs, then the renames. A failure before the renames
//!   (a full disk, a bad path) leaves every existing file as it was.
//! - Temporary files are registered while they exist; [`abandon_temporary_files`] removes
//!   them, for a signal handler (SIGINT, SIGTERM) to call before the process exits.

use crate::error::{Error, Result};
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Most symbolic links followed for one output path (as the kernel's `ELOOP` limit).
const MAX_LINK_HOPS: usize = 40;

/// Where an output path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// Standard output (`-`).
    Stdout,
    /// An existing FIFO or device, written in place.
    Direct(PathBuf),
    /// A regular file (existing or not) at this path (symbolic links resolved), replaced
    /// atomically.
    Replace(PathBuf),
}

/// The identity of an existing file: device and inode.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn identity(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<FileId> {
    fs::canonicalize(path).ok()
}

/// FIFOs and devices: written directly.
#[cfg(unix)]
fn is_special(m: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    t.is_fifo() || t.is_char_device() || t.is_block_device()
}

#[cfg(not(unix))]
fn is_special(_: &fs::Metadata) -> bool {
    false
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The directory a file path lives in (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn named(path: &Path, message: impl Into<String>) -> Error {
    Error::input(path.display().to_string(), message)
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.into(),
        source,
    }
}

/// Follow `path` to where its data goes (see the module docs).
fn resolve(path: &Path) -> Result<Target> {
    if is_stdout(path) {
        return Ok(Target::Stdout);
    }
    let mut p = path.to_path_buf();
    for _ in 0..=MAX_LINK_HOPS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p).map_err(io_error(path))?;
                p = if link.is_relative() {
                    parent_dir(&p).join(link)
                } else {
                    link
                };
            }
            Ok(m) if m.is_dir() => {
                return Err(named(path, "is a directory; expected a file path"));
            }
            Ok(m) if m.is_file() => return Ok(Target::Replace(p)),
            Ok(m) if is_special(&m) => return Ok(Target::Direct(p)),
            Ok(_) => {
                return Err(named(
                    path,
                    "is neither a file nor a FIFO or device (a socket?); cannot write to it",
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if p.file_name().is_none() {
                    return Err(named(path, "is not a file path"));
                }
                let dir = parent_dir(&p);
                return match fs::metadata(&dir) {
                    Ok(m) if m.is_dir() => Ok(Target::Replace(p)),
                    Ok(_) => Err(named(path, format!("{} is not a directory", dir.display()))),
                    Err(e) => Err(named(
                        path,
                        format!("cannot write into directory {}: {e}", dir.display()),
                    )),
                };
            }
            Err(source) => {
                return Err(Error::Io {
                    path: path.into(),
                    source,
                })
            }
        }
    }
    Err(named(
        path,
        format!("more than {MAX_LINK_HOPS} symbolic links to follow (a loop?)"),
    ))
}

/// Check the outputs of a command before it does any work: each must be writable as
/// described in the module docs, none may be one of `inputs` (same device and inode), no two
/// may be the same regular file, and at most one may be standard output (`-`). The error
/// names the output path (and the input it is).
pub fn check_outputs(inputs: &[&Path], outputs: &[&Path]) -> Result<()> {
    let input_ids: Vec<(FileId, &Path)> = inputs
        .iter()
        .filter_map(|p| identity(p).map(|id| (id, *p)))
        .collect();
    let mut stdout_user: Option<&Path> = None;
    // (directory identity, file name) of every regular-file output so far.
    let mut files: Vec<((Option<FileId>, OsString), &Path)> = Vec::new();
    for &out in outputs {
        let target = resolve(out)?;
        let p = match &target {
            Target::Stdout => {
                if stdout_user.is_some() {
                    return Err(named(
                        out,
                        "standard output (`-`) is already the destination of another output",
                    ));
                }
                stdout_user = Some(out);
                continue;
            }
            Target::Direct(p) | Target::Replace(p) => p,
        };
        if let Some(id) = identity(p) {
            if let Some((_, input)) = input_ids.iter().find(|(i, _)| *i == id) {
                return Err(named(
                    out,
                    format!(
                        "is the same file as the input {}; refusing to overwrite an input of \
                         this command (choose another output path)",
                        input.display()
                    ),
                ));
            }
        }
        if let Target::Replace(p) = &target {
            let name = p.file_name().unwrap_or_default().to_os_string();
            let key = (identity(&parent_dir(p)), name);
            if let Some((_, first)) = files.iter().find(|(k, _)| *k == key) {
                return Err(named(
                    out,
                    format!("is the same file as the output {}", first.display()),
                ));
            }
            files.push((key, out));
        }
    }
    Ok(())
}

/// Write one output (see the module docs for what a path may be).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_outputs(&[(path, bytes)])
}

/// Write the outputs of one command as one step: every temporary file first, then the direct
/// outputs (standard output, FIFOs, devices), then the renames. If anything fails before the
/// renames, every temporary file is removed and no existing file has changed.
pub fn write_outputs(items: &[(&Path, &[u8])]) -> Result<()> {
    let targets = items
        .iter()
        .map(|(p, _)| resolve(p))
        .collect::<Result<Vec<_>>>()?;
    let mut staged: Vec<(PathBuf, &PathBuf, &Path)> = Vec::new();
    let result = (|| {
        for ((path, bytes), target) in items.iter().zip(&targets) {
            if let Target::Replace(fin) = target {
                staged.push((stage(path, fin, bytes)?, fin, *path));
            }
        }
        for ((path, bytes), target) in items.iter().zip(&targets) {
            match target {
                Target::Direct(p) => write_direct(path, p, bytes)?,
                Target::Stdout => write_stdout(bytes)?,
                Target::Replace(_) => {}
            }
        }
        for (tmp, fin, path) in &staged {
            fs::rename(tmp, fin).map_err(io_error(path))?;
            forget_temporary(tmp);
            sync_dir(&parent_dir(fin));
        }
        Ok(())
    })();
    if result.is_err() {
        for (tmp, _, _) in &staged {
            discard_temporary(tmp);
        }
    }
    result
}

/// Write `bytes` to a fresh temporary file beside `fin`, flushed to disk, with the
/// permissions of an existing `fin`. Errors name `requested` (the path the user gave).
fn stage(requested: &Path, fin: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let name = fin
        .file_name()
        .ok_or_else(|| named(requested, "is not a file path"))?;
    let (tmp, mut file) = registry()
        .create(&parent_dir(fin), name)
        .map_err(io_error(requested))?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Ok(m) = fs::metadata(fin) {
            file.set_permissions(m.permissions())?;
        }
        file.sync_all()
    })();
    if let Err(e) = written {
        discard_temporary(&tmp);
        return Err(io_error(requested)(e));
    }
    Ok(tmp)
}

fn write_direct(requested: &Path, p: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .open(p)
        .map_err(io_error(requested))?;
    f.write_all(bytes).map_err(io_error(requested))?;
    f.flush().map_err(io_error(requested))
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(io_error(Path::new("standard output")))
}

/// Make a rename durable (best effort: not every file system can sync a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The temporary files that exist right now, and whether the process is shutting down.
#[derive(Debug, Default)]
struct Registry {
    live: Vec<PathBuf>,
    abandoned: bool,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    live: Vec::new(),
    abandoned: false,
});
static COUNTER: AtomicU64 = AtomicU64::new(0);

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Registry {
    /// Create and register a new temporary file in `dir` for the file `name` (registered
    /// while the lock is held, so [`Registry::abandon`] never misses one).
    fn create(&mut self, dir: &Path, name: &OsStr) -> io::Result<(PathBuf, File)> {
        if self.abandoned {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "interrupted: no more output is written",
            ));
        }
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let tmp = dir.join(format!(
                ".{}.relufit-{}-{n}.tmp",
                name.to_string_lossy(),
                std::process::id()
            ));
            match OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(f) => {
                    self.live.push(tmp.clone());
                    return Ok((tmp, f));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Remove every live temporary file and refuse to create more.
    fn abandon(&mut self) {
        self.abandoned = true;
        for p in self.live.drain(..) {
            let _ = fs::remove_file(p);
        }
    }
}

fn forget_temporary(tmp: &Path) {
    registry().live.retain(|p| p != tmp);
}

fn discard_temporary(tmp: &Path) {
    let mut r = registry();
    let _ = fs::remove_file(tmp);
    r.live.retain(|p| p != tmp);
}

/// Remove every temporary file of an unfinished write and refuse to start new ones: for a
/// signal handler (SIGINT, SIGTERM) to call right before the process exits, so that an
/// interrupted command leaves no `.NAME.relufit-PID-N.tmp` behind. Existing outputs are not
/// touched (their replacements were never renamed over them).
pub fn abandon_temporary_files() {
    registry().abandon();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("relufit-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_whole_file_keeps_mode_and_leaves_no_temporary() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("replace");
        let f = dir.join("out.txt");
        write_output(&f, b"first").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        write_output(&f, b"second").unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"second");
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(entries(&dir), ["out.txt"]);
        let missing = dir.join("no-such-dir").join("x.txt");
        let err = write_output(&missing, b"x").unwrap_err();
        assert!(err.to_string().contains("no-such-dir"), "{err}");
        let err = write_output(&dir, b"x").unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_through_symbolic_links_to_their_targets() {
        use std::os::unix::fs::symlink;
        let dir = scratch("symlink");
        fs::create_dir(dir.join("real")).unwrap();
        let target = dir.join("real").join("data.json");
        fs::write(&target, "old").unwrap();
        symlink("real/data.json", dir.join("link")).unwrap();
        symlink("link", dir.join("link2")).unwrap();
        write_output(&dir.join("link2"), b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert!(fs::symlink_metadata(dir.join("link"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(entries(&dir.join("real")), ["data.json"]);
        // A dangling link: the target is created where the link points.
        symlink("real/fresh.json", dir.join("dangling")).unwrap();
        write_output(&dir.join("dangling"), b"fresh").unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("real").join("fresh.json")).unwrap(),
            "fresh"
        );
        // A loop is an error, not a hang.
        symlink("loop-b", dir.join("loop-a")).unwrap();
        symlink("loop-a", dir.join("loop-b")).unwrap();
        let e = write_output(&dir.join("loop-a"), b"x").unwrap_err();
        assert!(e.to_string().contains("symbolic links"), "{e}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn devices_and_fifos_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        write_output(Path::new("/dev/null"), b"discarded").unwrap();
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        let dir = scratch("fifo");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || fs::read(fifo).unwrap())
            };
            write_output(&fifo, b"through the pipe").unwrap();
            assert_eq!(reader.join().unwrap(), b"through the pipe");
            assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
            assert_eq!(entries(&dir), ["pipe"]);
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_direct_write_leaves_other_outputs_unchanged() {
        if !Path::new("/dev/full").exists() {
            return;
        }
        let dir = scratch("full");
        let a = dir.join("a.json");
        fs::write(&a, "precious").unwrap();
        let e = write_outputs(&[(&a, b"replacement"), (Path::new("/dev/full"), b"x")]).unwrap_err();
        assert!(e.to_string().contains("/dev/full"), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "precious");
        assert_eq!(entries(&dir), ["a.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn outputs_that_are_inputs_are_refused_by_identity() {
        use std::os::unix::fs::symlink;
        let dir = scratch("identity");
        let input = dir.join("in.json");
        fs::write(&input, "{}").unwrap();
        fs::hard_link(&input, dir.join("hard.json")).unwrap();
        symlink("in.json", dir.join("soft.json")).unwrap();
        let dotted = dir.join(".").join("in.json");
        for out in [
            input.clone(),
            dir.join("hard.json"),
            dir.join("soft.json"),
            dotted,
        ] {
            let e = check_outputs(&[&input], &[&out]).unwrap_err().to_string();
            assert!(
                e.contains("same file as the input"),
                "{}: {e}",
                out.display()
            );
        }
        let other = dir.join("out.json");
        check_outputs(&[&input], &[&other, Path::new("-")]).unwrap();
        let e = check_outputs(&[], &[&other, &dir.join(".").join("out.json")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("same file as the output"), "{e}");
        let e = check_outputs(&[], &[Path::new("-"), Path::new("-")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("standard output"), "{e}");
        // Devices may be named twice (writing /dev/null twice is harmless).
        check_outputs(&[], &[Path::new("/dev/null"), Path::new("/dev/null")]).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn abandoning_removes_live_temporaries_and_blocks_new_ones() {
        let dir = scratch("abandon");
        let mut r = Registry::default();
        let (tmp, _file) = r.create(&dir, OsStr::new("out.json")).unwrap();
        assert!(tmp.exists());
        r.abandon();
        assert!(!tmp.exists());
        assert!(r.create(&dir, OsStr::new("out.json")).is_err());
        assert!(entries(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
