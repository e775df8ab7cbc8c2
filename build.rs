//! Builds the pod's pause program (pause/main.rs) into `$OUT_DIR/pause`, which
//! src/pause_binary.rs embeds with `include_bytes!`.
//!
//! The program is freestanding (`no_std`, no libc), so it is compiled by calling
//! rustc directly instead of as a cargo target: it needs its own link flags
//! (no crt files, no libraries, fully static) and always an optimised profile,
//! whatever profile podc itself is built with. Only stable flags are used.

use std::env;
use std::path::PathBuf;
use std::process::Command;

const SOURCE: &str = "pause/main.rs";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed=build.rs");

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let output = out_dir.join("pause");
    let target = env::var("TARGET").expect("cargo sets TARGET");
    let host = env::var("HOST").expect("cargo sets HOST");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();

    if os != "linux" || !(arch == "x86_64" || arch == "aarch64") {
        fail(&format!(
            "the pause program can only be built for x86_64 or aarch64 Linux, not {target}"
        ));
    }

    // cargo tells build scripts which rustc it uses; fall back to PATH otherwise.
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let source =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join(SOURCE);
    let mut cmd = Command::new(&rustc);
    cmd.arg(&source)
        .args([
            "--edition",
            "2021",
            "--crate-type",
            "bin",
            "--crate-name",
            "pause",
        ])
        .args(["-C", "opt-level=s"])
        .args(["-C", "codegen-units=1"])
        .args(["-C", "debuginfo=0"])
        .args(["-C", "panic=abort"])
        // Non-PIE, so the kernel can start it without a dynamic loader.
        .args(["-C", "relocation-model=static"])
        .args(["-C", "target-feature=+crt-static"])
        .args(["-C", "strip=symbols"])
        // Our own _start replaces the C runtime's; nothing from libc is linked.
        .args(["-C", "link-arg=-nostartfiles"])
        .args(["-C", "link-arg=-nostdlib"])
        .args(["-C", "link-arg=-static"])
        .args(["-C", "link-arg=-Wl,--gc-sections"])
        // A build-id note would only add bytes and make the output vary.
        .args(["-C", "link-arg=-Wl,--build-id=none"])
        .arg("-o")
        .arg(&output)
        // Read by `env!` in pause/main.rs for `pause -v`.
        .env(
            "PODC_PAUSE_VERSION",
            env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION"),
        );

    if target != host {
        cmd.args(["--target", &target]);
        // rustc does not read cargo's per-target linker setting; pass it on when given.
        let linker_var = format!(
            "CARGO_TARGET_{}_LINKER",
            target.to_uppercase().replace(['-', '.'], "_")
        );
        println!("cargo:rerun-if-env-changed={linker_var}");
        if let Some(linker) = env::var_os(&linker_var) {
            cmd.arg("-C")
                .arg(format!("linker={}", linker.to_string_lossy()));
        }
    }

    let result = match cmd.output() {
        Ok(result) => result,
        Err(err) => fail(&format!(
            "could not run {} to build the pause program: {err}",
            PathBuf::from(&rustc).display()
        )),
    };
    let stderr = String::from_utf8_lossy(&result.stderr);
    if !result.status.success() {
        fail(&format!(
            "rustc failed ({}) building the pause program from {SOURCE}:\n{stderr}",
            result.status
        ));
    }
    // Surface rustc's warnings, which cargo would otherwise swallow.
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        println!("cargo:warning=pause: {line}");
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
