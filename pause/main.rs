//! The pod's "pause" process: the first process of the pod's infrastructure
//! container, which owns the pod's network, IPC and PID namespaces.
//!
//! It follows Kubernetes' build/pause/linux/pause.c: it sleeps until SIGINT or
//! SIGTERM (then exits 0) and, when it is PID 1 of a shared PID namespace,
//! reaps the zombies that are re-parented to it.
//!
//! It is built by podc's build.rs as a freestanding static executable: no std,
//! no libc, raw Linux system calls only, so the image it lives in holds a single
//! file of a few KB.

#![no_std]
#![no_main]

use core::arch::{asm, global_asm};
use core::panic::PanicInfo;

/// podc's version, handed to rustc by build.rs through the environment.
const VERSION: &str = env!("PODC_PAUSE_VERSION");

const SIGINT: usize = 2;
const SIGTERM: usize = 15;
const SIGCHLD: usize = 17;

const SIG_BLOCK: usize = 0;
const WNOHANG: usize = 1;
const EINTR: isize = 4;

/// The kernel's sigset_t is a 64-bit mask on x86_64 and aarch64 (bit N-1 for signal N).
type SigSet = u64;
const SIGSET_SIZE: usize = core::mem::size_of::<SigSet>();

#[cfg(target_arch = "x86_64")]
mod nr {
    pub const WRITE: usize = 1;
    pub const RT_SIGPROCMASK: usize = 14;
    pub const GETPID: usize = 39;
    pub const WAIT4: usize = 61;
    pub const RT_SIGTIMEDWAIT: usize = 128;
    pub const EXIT_GROUP: usize = 231;
}

#[cfg(target_arch = "aarch64")]
mod nr {
    pub const WRITE: usize = 64;
    pub const EXIT_GROUP: usize = 94;
    pub const RT_SIGPROCMASK: usize = 135;
    pub const RT_SIGTIMEDWAIT: usize = 137;
    pub const GETPID: usize = 172;
    pub const WAIT4: usize = 260;
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("the pause program supports only x86_64 and aarch64 Linux");

/// Raw 4-argument system call; returns the kernel's result (negative errno on failure).
///
/// # Safety
/// The caller must pass a valid system call number and arguments that are valid
/// for it (in particular, pointers must be valid for what the kernel reads or writes).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn syscall4(n: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the syscall's contract; `syscall` clobbers only
    // rcx and r11 besides rax, and does not touch the user stack.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n as isize => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Raw 4-argument system call; returns the kernel's result (negative errno on failure).
///
/// # Safety
/// The caller must pass a valid system call number and arguments that are valid
/// for it (in particular, pointers must be valid for what the kernel reads or writes).
#[cfg(target_arch = "aarch64")]
#[inline(always)]
unsafe fn syscall4(n: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the syscall's contract; `svc 0` returns in x0
    // and preserves every other register.
    unsafe {
        asm!(
            "svc 0",
            in("x8") n,
            inlateout("x0") a1 as isize => ret,
            in("x1") a2,
            in("x2") a3,
            in("x3") a4,
            options(nostack),
        );
    }
    ret
}

fn exit(code: usize) -> ! {
    // SAFETY: exit_group takes a plain integer, cannot fail and never returns,
    // so the code after it is indeed unreachable.
    unsafe {
        syscall4(nr::EXIT_GROUP, code, 0, 0, 0);
        core::hint::unreachable_unchecked()
    }
}

/// Writes all of `buf` to `fd`, giving up silently on error (there is nowhere to report it).
fn write_all(fd: usize, mut buf: &[u8]) {
    while !buf.is_empty() {
        // SAFETY: the pointer and length describe the live slice `buf`.
        let n = unsafe { syscall4(nr::WRITE, fd, buf.as_ptr() as usize, buf.len(), 0) };
        if n == -EINTR {
            continue;
        }
        // `get` instead of indexing keeps the panic machinery out of the binary.
        match buf.get(n as usize..) {
            Some(rest) if n > 0 => buf = rest,
            _ => return,
        }
    }
}

fn getpid() -> isize {
    // SAFETY: getpid takes no arguments and cannot fail.
    unsafe { syscall4(nr::GETPID, 0, 0, 0, 0) }
}

/// Formats `n` (a signal number) in decimal into `buf`, returning the digits.
fn fmt_decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut len = 0;
    // Fill from the end; iterators instead of indexing keep panic code out of the binary.
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(buf.len() - len..).unwrap_or(b"?")
}

/// Compares a NUL-terminated C string with `-v`, ignoring case like pause.c's strcasecmp.
///
/// # Safety
/// `arg` must point to a NUL-terminated string.
unsafe fn is_version_flag(arg: *const u8) -> bool {
    // SAFETY: the string is NUL-terminated, so each byte read stops at or before the NUL.
    unsafe { *arg == b'-' && (*arg.add(1) | 0x20) == b'v' && *arg.add(2) == 0 }
}

/// Entered from `_start` with the initial stack pointer, where the kernel placed
/// argc followed by the argv pointers.
///
/// # Safety
/// `sp` must be the process's initial stack pointer as laid out by execve.
#[no_mangle]
unsafe extern "C" fn pause_main(sp: *const usize) -> ! {
    // SAFETY: per the ELF ABI, sp[0] is argc and sp[1..=argc] are valid argv pointers.
    let (argc, argv) = unsafe { (*sp, sp.add(1) as *const *const u8) };
    for i in 1..argc {
        // SAFETY: i < argc, so argv[i] is a valid NUL-terminated string.
        if unsafe { is_version_flag(*argv.add(i)) } {
            write_all(1, b"pause.podc ");
            write_all(1, VERSION.as_bytes());
            write_all(1, b"\n");
            exit(0);
        }
    }

    if getpid() != 1 {
        // Not fatal: the program is also useful as a plain sleeper outside a pod.
        write_all(
            2,
            b"pause: warning: not running as PID 1, orphaned processes will not be reaped\n",
        );
    }

    let set: SigSet = (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1)) | (1 << (SIGCHLD - 1));
    // Blocked signals stay pending until sigwait takes them; as PID 1 this also
    // stops the kernel from discarding them (PID 1 ignores default-action signals).
    // SAFETY: `set` is a live sigset of SIGSET_SIZE bytes; the old mask is not wanted (NULL).
    unsafe {
        syscall4(
            nr::RT_SIGPROCMASK,
            SIG_BLOCK,
            &set as *const SigSet as usize,
            0,
            SIGSET_SIZE,
        );
    }

    loop {
        // A NULL timeout waits forever (sigwaitinfo); the siginfo is not needed.
        // SAFETY: `set` is a live sigset of SIGSET_SIZE bytes; info and timeout are NULL.
        let sig = unsafe {
            syscall4(
                nr::RT_SIGTIMEDWAIT,
                &set as *const SigSet as usize,
                0,
                0,
                SIGSET_SIZE,
            )
        };
        if sig < 0 {
            // EINTR (e.g. after SIGSTOP/SIGCONT): just wait again.
            continue;
        }
        match sig as usize {
            SIGINT | SIGTERM => {
                let mut digits = [0u8; 20];
                write_all(2, b"pause: shutting down, got signal ");
                write_all(2, fmt_decimal(sig as usize, &mut digits));
                write_all(2, b"\n");
                exit(0);
            }
            SIGCHLD => {
                // Several exits may have been coalesced into one pending SIGCHLD,
                // so reap until nothing is left (0) or there are no children (-ECHILD).
                // SAFETY: wait4 with NULL status and rusage pointers writes nothing.
                while unsafe { syscall4(nr::WAIT4, usize::MAX, 0, WNOHANG, 0) } > 0 {}
            }
            _ => {}
        }
    }
}

// The kernel enters at `_start` with argc at the top of the stack; hand that
// pointer to pause_main with the stack 16-byte aligned as the C ABI requires.
#[cfg(target_arch = "x86_64")]
global_asm!(
    ".globl _start",
    ".type _start,@function",
    "_start:",
    "xor ebp, ebp",
    "mov rdi, rsp",
    "and rsp, -16",
    "call pause_main",
    "ud2",
);

#[cfg(target_arch = "aarch64")]
global_asm!(
    ".globl _start",
    ".type _start,%function",
    "_start:",
    "mov x29, #0",
    "mov x30, #0",
    "mov x0, sp",
    "and sp, x0, #-16",
    "bl pause_main",
    "brk #0",
);

#[panic_handler]
fn panic(_info: &PanicInfo) -> ! {
    exit(2)
}

/// The prebuilt `core` is compiled with unwinding, so any panic path it brings in
/// refers to this symbol from its unwind tables. With panic=abort it is never
/// called; defining it keeps the link working should such a path appear.
#[no_mangle]
extern "C" fn rust_eh_personality() {}
