//! Runs the `machipc` crate's tests in the test guest and prints TAP for
//! `scripts/check_log.py`.
//!
//! usage: machipc-guest-runner [DIR]
//!
//! DIR (default: `<this program>.d` next to it) holds `tests/`, the static
//! libtest binaries `cargo test --no-run` built, and `examples/`, the
//! crate's example programs, with `examples/ARGS` giving each example's
//! arguments (`name arg...` per line; an example not listed runs without
//! any). Every `#[test]` runs alone in its own process
//! (`--exact NAME --test-threads=1`), so each one is a fresh Mach task and
//! a crash or hang is that test's failure only; each example is one test
//! that passes when it exits with 0. A test that passes after printing a
//! line `SKIP: why` is reported as skipped (`# SKIP why`): that is how a
//! test says the kernel lacks what it needs. Each run is limited to
//! `MACHIPC_TEST_TIMEOUT` seconds (default 300).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

struct Case {
    name: String,
    cmd: PathBuf,
    args: Vec<String>,
    libtest: bool,
}

enum Outcome {
    Pass,
    Skip(String),
    Fail(String, Vec<String>),
}

fn list_tests(bin: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(bin)
        .args(["--list", "--format", "terse"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!("{} --list: {}", bin.display(), out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test").map(str::to_string))
        .collect())
}

/// Runs a command with a time limit; (exit code or None, output lines).
fn run(cmd: &Path, args: &[String], limit: Duration) -> (Option<i32>, Vec<String>) {
    let child = Command::new(cmd)
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return (None, vec![format!("cannot run {}: {e}", cmd.display())]),
    };
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let t_err = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if start.elapsed() > limit => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let mut lines: Vec<String> = Vec::new();
    for v in [
        t_out.join().unwrap_or_default(),
        t_err.join().unwrap_or_default(),
    ] {
        lines.extend(String::from_utf8_lossy(&v).lines().map(str::to_string));
    }
    if timed_out {
        lines.push(format!("timed out after {}s: killed", limit.as_secs()));
        return (None, lines);
    }
    let code = status.and_then(|s| {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            lines.push(format!("killed by signal {sig}"));
            None
        } else {
            s.code()
        }
    });
    (code, lines)
}

fn outcome(case: &Case, limit: Duration) -> Outcome {
    let args: Vec<String> = if case.libtest {
        let test = case
            .name
            .split_once("::")
            .map_or(&case.name[..], |(_, t)| t);
        vec![
            "--exact".into(),
            test.into(),
            "--nocapture".into(),
            "--test-threads=1".into(),
        ]
    } else {
        case.args.clone()
    };
    let (code, lines) = run(&case.cmd, &args, limit);
    let skip = lines.iter().find_map(|l| {
        l.trim_start()
            .strip_prefix("SKIP:")
            .map(|r| r.trim().to_string())
    });
    match code {
        Some(0)
            if case.libtest
                && !lines
                    .iter()
                    .any(|l| l.contains("test result: ok. 1 passed")) =>
        {
            Outcome::Fail("the test did not run".into(), lines)
        }
        Some(0) => match skip {
            Some(why) => Outcome::Skip(why),
            None => Outcome::Pass,
        },
        Some(c) => Outcome::Fail(format!("exit status {c}"), lines),
        None => Outcome::Fail("did not exit normally".into(), lines),
    }
}

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let me = std::env::current_exe().expect("the runner's path");
            let mut d = me.into_os_string();
            d.push(".d");
            PathBuf::from(d)
        });
    let limit = Duration::from_secs(
        std::env::var("MACHIPC_TEST_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300),
    );
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let sorted = |d: PathBuf| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(&d)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != "ARGS"));
        v.sort();
        v
    };
    for bin in sorted(dir.join("tests")) {
        let stem = bin.file_name().unwrap().to_string_lossy().into_owned();
        match list_tests(&bin) {
            Ok(names) => cases.extend(names.into_iter().map(|n| Case {
                name: format!("{stem}::{n}"),
                cmd: bin.clone(),
                args: Vec::new(),
                libtest: true,
            })),
            Err(e) => problems.push(e),
        }
    }
    let example_args = fs::read_to_string(dir.join("examples/ARGS")).unwrap_or_default();
    for ex in sorted(dir.join("examples")) {
        let name = ex.file_name().unwrap().to_string_lossy().into_owned();
        let args = example_args
            .lines()
            .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .find(|w| w.first() == Some(&name))
            .map(|w| w[1..].to_vec())
            .unwrap_or_default();
        cases.push(Case {
            name: format!("example::{name}"),
            cmd: ex,
            args,
            libtest: false,
        });
    }
    println!("TAP version 13");
    println!("1..{}", cases.len() + problems.len());
    let (mut pass, mut fail, mut skip) = (0, 0, 0);
    let mut n = 0;
    for p in &problems {
        n += 1;
        fail += 1;
        println!("# {p}");
        println!("not ok {n} listing tests");
    }
    for case in &cases {
        n += 1;
        println!("# RUN {}", case.name);
        match outcome(case, limit) {
            Outcome::Pass => {
                pass += 1;
                println!("ok {n} {}", case.name);
            }
            Outcome::Skip(why) => {
                skip += 1;
                println!("ok {n} {} # SKIP {why}", case.name);
            }
            Outcome::Fail(why, lines) => {
                fail += 1;
                let shown = lines.len().min(80);
                for l in &lines[lines.len() - shown..] {
                    println!("# {l}");
                }
                println!("# {}: {why}", case.name);
                println!("not ok {n} {}", case.name);
            }
        }
    }
    println!("# Totals: pass:{pass} fail:{fail} xfail:0 xpass:0 skip:{skip} error:0");
    if fail == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
