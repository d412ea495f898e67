//! Helpers of the integration tests: preprocess like the `mig` binary does,
//! compile, and compile the output with the C compiler.

#![allow(dead_code)] // each test crate uses a part of the helpers

use std::path::{Path, PathBuf};
use std::process::Command;

use mig::{MigError, Names, Output};

pub fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn include() -> PathBuf {
    top().join("userlib/include")
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mig-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the C preprocessor over `src` as the `mig` binary does.
pub fn cpp(dir: &Path, file: &str, src: &str) -> String {
    let path = dir.join(file);
    std::fs::write(&path, format!("#line 1 \"{file}\"\n{src}")).unwrap();
    let out = Command::new("gcc")
        .args(["-E", "-x", "c", "-D__MACH30__"])
        .arg("-I")
        .arg(dir)
        .arg("-I")
        .arg(include())
        .arg(&path)
        .output()
        .expect("gcc -E");
    assert!(
        out.status.success(),
        "cpp failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Compiles text that needs no preprocessing.
pub fn compile(src: &str) -> Result<Output, MigError> {
    mig::compile(
        src,
        "t.defs",
        Names {
            header: Some("t.h".into()),
            sheader: None,
        },
    )
}

pub fn compile_ok(src: &str) -> Output {
    compile(src).unwrap_or_else(|e| panic!("{e}"))
}

pub fn compile_err(src: &str) -> String {
    match compile(src) {
        Ok(_) => panic!("compiled:\n{src}"),
        Err(e) => e.to_string(),
    }
}

/// Preprocesses and compiles `src` (which may import the standard .defs),
/// writes the four outputs into `dir` and returns them.
pub fn generate(dir: &Path, name: &str, src: &str) -> Output {
    let text = cpp(dir, &format!("{name}.defs"), src);
    let out = mig::compile(
        &text,
        &format!("{name}.defs"),
        Names {
            header: Some(format!("{name}.h")),
            sheader: Some(format!("{name}Server.h")),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join(format!("{name}.h")), &out.header).unwrap();
    std::fs::write(dir.join(format!("{name}User.c")), &out.user).unwrap();
    std::fs::write(dir.join(format!("{name}Server.c")), &out.server).unwrap();
    std::fs::write(dir.join(format!("{name}Server.h")), &out.sheader).unwrap();
    out
}

/// Compiles C files in `dir` with the project's warning flags.
pub fn cc(dir: &Path, files: &[&str]) {
    for f in files {
        let out = Command::new("gcc")
            .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"])
            .arg("-I")
            .arg(dir)
            .arg("-I")
            .arg(include())
            .arg("-I")
            .arg(top().join("uapi"))
            .arg(dir.join(f))
            .output()
            .expect("gcc");
        assert!(
            out.status.success(),
            "{f} does not compile:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
