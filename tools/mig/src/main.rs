//! `mig`: invoked like Apple's. Runs the C preprocessor over each `.defs`
//! file, then writes `<name>User.c`, `<name>Server.c` and `<name>.h` (or the
//! files named by -user, -server, -header, -sheader).

use std::path::{Path, PathBuf};
use std::process::{exit, Command};

use mig::Names;

const USAGE: &str = "usage: mig [-user FILE] [-server FILE] [-header FILE] [-sheader FILE] \
[-iheader FILE] [-dheader FILE] [-maxonstack N] [-split] [-novouchers] [-I DIR] [-D NAME[=VALUE]] \
[-U NAME] [-cc CPP] file.defs ...\n       mig -print-include-dir (where <mach/std_types.defs> is taken from)";

#[derive(Default)]
struct Args {
    user: Option<String>,
    server: Option<String>,
    header: Option<String>,
    sheader: Option<String>,
    cpp_flags: Vec<String>,
    cc: Option<String>,
    files: Vec<String>,
}

fn die(msg: &str) -> ! {
    eprintln!("mig: {msg}");
    exit(1)
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Args {
    let mut a = Args::default();
    while let Some(arg) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .unwrap_or_else(|| die(&format!("{name} needs an argument\n{USAGE}")))
        };
        match arg.as_str() {
            "-user" => a.user = Some(val("-user")),
            "-server" => a.server = Some(val("-server")),
            "-header" => a.header = Some(val("-header")),
            "-sheader" => a.sheader = Some(val("-sheader")),
            "-iheader" | "-dheader" => {
                let f = val(&arg);
                eprintln!(
                    "mig: warning: {arg} {f}: internal and definition headers are not generated"
                );
            }
            "-maxonstack" | "-arch" | "-migcom" | "-i" | "-max_descrs" | "-max_reply_descrs"
            | "-cpp" => {
                val(&arg);
            }
            "-target" | "-isysroot" => {
                let v = val(&arg);
                a.cpp_flags.push(arg.clone());
                a.cpp_flags.push(v);
            }
            "-cc" => a.cc = Some(val("-cc")),
            "-split" | "-novouchers" | "-mach_msg2" | "-MD" => {}
            "-I" | "-D" | "-U" | "-include" => {
                let v = val(&arg);
                a.cpp_flags.push(arg.clone());
                a.cpp_flags.push(v);
            }
            "-version" => {
                println!("mig (machipc) {}", env!("CARGO_PKG_VERSION"));
                exit(0);
            }
            "-print-include-dir" => {
                println!("{}", std_include().display());
                exit(0);
            }
            "-h" | "-help" | "--help" => {
                println!("{USAGE}");
                exit(0);
            }
            s if s.len() == 2 && s.starts_with('-') && "dtqkKQvVTrRsSlLxXnN".contains(&s[1..]) => {}
            s if s.starts_with("-I") || s.starts_with("-D") || s.starts_with("-U") => {
                a.cpp_flags.push(s.to_string())
            }
            s if s.starts_with('-') => a.cpp_flags.push(s.to_string()),
            _ => a.files.push(arg),
        }
    }
    a
}

/// Where `<mach/std_types.defs>` and friends live: `$MIG_INCLUDE`; else,
/// for an installed mig (`PREFIX/bin/mig`), `PREFIX/include/machipc` when it
/// holds them; else the source tree this mig was built from.
fn std_include() -> PathBuf {
    if let Ok(d) = std::env::var("MIG_INCLUDE") {
        return PathBuf::from(d);
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|p| p.join("../include/machipc")))
    {
        if dir.join("mach/std_types.defs").is_file() {
            return dir;
        }
    }
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../userlib/include"
    ))
}

fn preprocess(file: &str, args: &Args) -> String {
    let src = std::fs::read_to_string(file)
        .unwrap_or_else(|e| die(&format!("cannot read file {file}: {e}")));
    let dir = Path::new(file).parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let tmp = std::env::temp_dir().join(format!(
        "mig.{}.{}.c",
        std::process::id(),
        Path::new(file)
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
    ));
    std::fs::write(&tmp, format!("#line 1 \"{file}\"\n{src}"))
        .unwrap_or_else(|e| die(&format!("{}: {e}", tmp.display())));
    let cc = args
        .cc
        .clone()
        .or_else(|| std::env::var("MIGCC").ok())
        .unwrap_or_else(|| "gcc".into());
    let mut parts = cc.split_whitespace();
    let mut cmd = Command::new(parts.next().unwrap_or("gcc"));
    cmd.args(parts);
    cmd.args(["-E", "-x", "c", "-D__MACH30__"]);
    if let Some(d) = dir {
        cmd.arg("-I").arg(d);
    }
    cmd.args(&args.cpp_flags);
    cmd.arg("-I").arg(std_include());
    cmd.arg(&tmp);
    let out = cmd.output();
    let _ = std::fs::remove_file(&tmp);
    let out = out.unwrap_or_else(|e| die(&format!("cannot run the C preprocessor {cc}: {e}")));
    if !out.status.success() {
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        die(&format!("the C preprocessor failed on {file}"));
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(path: &str, text: &str) {
    if path == "/dev/null" {
        return;
    }
    std::fs::write(path, text).unwrap_or_else(|e| die(&format!("cannot write {path}: {e}")));
}

fn main() {
    let args = parse_args(std::env::args().skip(1));
    if args.files.is_empty() {
        die(USAGE);
    }
    for file in &args.files {
        let base = Path::new(file)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        let base = base.strip_suffix(".defs").unwrap_or(&base).to_string();
        let text = preprocess(file, &args);
        let header = args.header.clone().unwrap_or_else(|| format!("{base}.h"));
        let names = Names {
            header: Some(header.clone()),
            sheader: args.sheader.clone(),
        };
        match mig::compile(&text, file, names) {
            Ok(out) => {
                for w in &out.warnings {
                    eprintln!("{w}");
                }
                write(&header, &out.header);
                write(
                    &args.user.clone().unwrap_or_else(|| format!("{base}User.c")),
                    &out.user,
                );
                write(
                    &args
                        .server
                        .clone()
                        .unwrap_or_else(|| format!("{base}Server.c")),
                    &out.server,
                );
                if let Some(sh) = &args.sheader {
                    write(sh, &out.sheader);
                }
            }
            Err(e) => {
                eprintln!("{e}");
                exit(1);
            }
        }
    }
}
