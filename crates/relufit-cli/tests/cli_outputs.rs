//! Output semantics through the binary: `-o` follows symbolic links, writes FIFOs and `-`
//! (stdout) directly, and an interrupted run (SIGTERM, SIGINT) removes its temporary files,
//! leaves existing outputs unchanged and exits with 3. Also the wording of a shard result whose
//! best error is only the all-zero network's.

mod common;

use common::{relufit_in, scratch};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FIGURE5: &str = "p cnf 5 3\n5 4 3 0\n4 3 2 0\n5 2 1 0\n";

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn output_through_a_symbolic_link_replaces_its_target_and_keeps_the_link() {
    let dir = scratch("out-symlink");
    std::fs::write(dir.join("f.cnf"), FIGURE5).unwrap();
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/inst.json"), "old").unwrap();
    std::os::unix::fs::symlink("real/inst.json", dir.join("link.json")).unwrap();
    let r = relufit_in(&dir, &["reduce", "poits", "f.cnf", "-o", "link.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::symlink_metadata(dir.join("link.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(dir.join("real/inst.json")).unwrap();
    assert!(text.contains("relufit-instance/1"));
    let names: Vec<_> = std::fs::read_dir(dir.join("real")).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left beside the target");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fifo_and_stdout_are_written_directly() {
    let dir = scratch("out-fifo");
    std::fs::write(dir.join("f.cnf"), FIGURE5).unwrap();
    let fifo = dir.join("pipe");
    if mkfifo(&fifo) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let r = relufit_in(
            &dir,
            &[
                "gen",
                "poits",
                "--vars",
                "6",
                "--clauses",
                "2",
                "-o",
                "pipe",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(reader.join().unwrap().contains("p cnf 6 2"));
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
    // `-o -`: the data alone on stdout, the summary on stderr.
    let r = relufit_in(&dir, &["reduce", "poits", "f.cnf", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is the instance");
    assert_eq!(v["format"], "relufit-instance/1");
    assert!(r.stderr.contains("instance: -"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `gen planted -o out.json --network pipe` with nobody reading `pipe`: the instance is
/// staged in a temporary file, then opening the FIFO blocks. A signal then must remove the
/// temporary file, leave `out.json` as it was, and exit with 3.
#[test]
fn a_signal_during_a_write_removes_temporary_files_and_keeps_outputs() {
    for signal in ["TERM", "INT"] {
        let dir = scratch(&format!("out-signal-{signal}"));
        std::fs::write(dir.join("out.json"), "precious").unwrap();
        if !mkfifo(&dir.join("pipe")) {
            return;
        }
        let child = Command::new(env!("CARGO_BIN_EXE_relufit"))
            .current_dir(&dir)
            .args(["gen", "planted", "-o", "out.json", "--network", "pipe"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let temporary = || {
            std::fs::read_dir(&dir)
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
        };
        let start = Instant::now();
        while !temporary() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no temporary file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{signal}: {stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        assert!(!temporary(), "{signal}: a temporary file was left behind");
        assert_eq!(
            std::fs::read_to_string(dir.join("out.json")).unwrap(),
            "precious"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_best_error_that_is_the_zero_networks_is_not_presented_as_an_optimum() {
    let dir = scratch("out-shard-zero");
    let r = relufit_in(
        &dir,
        &[
            "gen",
            "planted",
            "-n",
            "30",
            "--near-miss",
            "-o",
            "inst.json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = relufit_in(
        &dir,
        &[
            "solve",
            "inst.json",
            "--algorithm",
            "enumerate",
            "--shard",
            "0/2",
            "--time-limit",
            "0",
            "-o",
            "s0.json",
        ],
    );
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("no network better than the all-zero one"),
        "{}",
        r.stdout
    );
    let r = relufit_in(&dir, &["merge", "s0.json"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("that of the all-zero network") && r.stdout.contains("not an optimum"),
        "{}",
        r.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}
