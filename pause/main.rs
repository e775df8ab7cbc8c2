//! The pod's "pause" process: the first process of the pod's infrastructure
//! container, which owns the pod's network, IPC and PID namespaces.
//!
//! It follows Kubernetes' build/pause/linux/pause.c: it sleeps until SIGINT or
//! SIGTERM (then exits 0) and, when it is PID 1 of a shared PID namespace,
//! reaps the zombies that are re-parented to it.
//!
//! With `probe-tcp` or `probe-http` as its first argument it instead runs one
//! Kubernetes tcpSocket or httpGet probe and exits: podc runs it with `docker
//! exec` in the pause container, which shares the pod's network namespace, so
//! 127.0.0.1 reaches every member's listeners even when their images hold no
//! curl, nc or shell. With `relay` it connects to a port of the pod and copies
//! bytes between that connection and its stdin/stdout: podc speaks TLS (HTTPS
//! probes and hooks) through it, so the TLS code lives in podc, not here.
//!
//! It is built by podc's build.rs as a freestanding static executable: no std,
//! no libc, raw Linux system calls only, so the image it lives in holds a single
//! file of a few KB.

#![no_std]
#![no_main]
// There is no libc: keep LLVM from turning loops into calls to strlen, memset and the like.
#![no_builtins]

use core::arch::{asm, global_asm};
use core::mem::MaybeUninit;
use core::panic::PanicInfo;

/// podc's version, handed to rustc by build.rs through the environment.
const VERSION: &str = env!("PODC_PAUSE_VERSION");

const SIGINT: usize = 2;
const SIGPIPE: usize = 13;
const SIGTERM: usize = 15;
const SIGCHLD: usize = 17;

const SIG_BLOCK: usize = 0;
const WNOHANG: usize = 1;

// errno values (the same on x86_64 and aarch64).
const EINTR: isize = 4;
const EAGAIN: isize = 11;
const ECONNRESET: isize = 104;
const ECONNREFUSED: isize = 111;
const EINPROGRESS: isize = 115;

const AF_INET: usize = 2;
const SOCK_STREAM: usize = 1;
const SOCK_NONBLOCK: usize = 0o4000;
const SOCK_CLOEXEC: usize = 0o2000000;
const SOL_SOCKET: usize = 1;
const SO_ERROR: usize = 4;
const CLOCK_MONOTONIC: usize = 1;
const POLLIN: i16 = 1;
const POLLOUT: i16 = 4;
const SHUT_WR: usize = 1;

/// The kernel's sigset_t is a 64-bit mask on x86_64 and aarch64 (bit N-1 for signal N).
type SigSet = u64;
const SIGSET_SIZE: usize = core::mem::size_of::<SigSet>();

#[cfg(target_arch = "x86_64")]
mod nr {
    pub const READ: usize = 0;
    pub const WRITE: usize = 1;
    pub const CLOSE: usize = 3;
    pub const POLL: usize = 7;
    pub const RT_SIGPROCMASK: usize = 14;
    pub const SHUTDOWN: usize = 48;
    pub const GETPID: usize = 39;
    pub const SOCKET: usize = 41;
    pub const CONNECT: usize = 42;
    pub const GETSOCKOPT: usize = 55;
    pub const WAIT4: usize = 61;
    pub const RT_SIGTIMEDWAIT: usize = 128;
    pub const CLOCK_GETTIME: usize = 228;
    pub const EXIT_GROUP: usize = 231;
}

#[cfg(target_arch = "aarch64")]
mod nr {
    pub const CLOSE: usize = 57;
    pub const READ: usize = 63;
    pub const WRITE: usize = 64;
    pub const PPOLL: usize = 73;
    pub const EXIT_GROUP: usize = 94;
    pub const CLOCK_GETTIME: usize = 113;
    pub const RT_SIGPROCMASK: usize = 135;
    pub const RT_SIGTIMEDWAIT: usize = 137;
    pub const GETPID: usize = 172;
    pub const SOCKET: usize = 198;
    pub const CONNECT: usize = 203;
    pub const SHUTDOWN: usize = 210;
    pub const GETSOCKOPT: usize = 209;
    pub const WAIT4: usize = 260;
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("the pause program supports only x86_64 and aarch64 Linux");

/// Raw 5-argument system call; returns the kernel's result (negative errno on failure).
///
/// # Safety
/// The caller must pass a valid system call number and arguments that are valid
/// for it (in particular, pointers must be valid for what the kernel reads or writes).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn syscall5(n: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> isize {
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
            in("r8") a5,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Raw 5-argument system call; returns the kernel's result (negative errno on failure).
///
/// # Safety
/// The caller must pass a valid system call number and arguments that are valid
/// for it (in particular, pointers must be valid for what the kernel reads or writes).
#[cfg(target_arch = "aarch64")]
#[inline(always)]
unsafe fn syscall5(n: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> isize {
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
            in("x4") a5,
            options(nostack),
        );
    }
    ret
}

/// Raw system call of up to 4 arguments; see `syscall5`.
///
/// # Safety
/// As for `syscall5`.
#[inline(always)]
unsafe fn syscall4(n: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> isize {
    // SAFETY: the caller upholds the syscall's contract; the kernel ignores the unused fifth argument.
    unsafe { syscall5(n, a1, a2, a3, a4, 0) }
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
#[inline(never)]
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

/// Formats `n` in decimal into `buf`, returning the digits.
#[inline(never)]
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

// ---------------------------------------------------------------------------
// Probe modes: `pause probe-tcp ...` and `pause probe-http ...`.
// ---------------------------------------------------------------------------

const USAGE: &[u8] = b"usage: pause [-v]
       pause probe-tcp HOST PORT TIMEOUT_MS
       pause probe-http HOST PORT PATH TIMEOUT_MS [NAME:VALUE ...]
       pause relay HOST PORT TIMEOUT_MS
";

/// Size of the buffer the HTTP request is built in, then the status line read into.
const BUF_SIZE: usize = 4096;

/// The program's arguments as execve laid them out.
struct Args {
    argc: usize,
    argv: *const *const u8,
}

impl Args {
    /// Argument `i` without its terminating NUL, or None past the last one.
    #[inline(never)]
    fn get(&self, i: usize) -> Option<&'static [u8]> {
        if i >= self.argc {
            return None;
        }
        // SAFETY: `Args` is only built from the execve stack (see pause_main), so for
        // i < argc argv[i] is a NUL-terminated string that stays untouched until exit.
        unsafe {
            let arg = *self.argv.add(i);
            let mut len = 0;
            while *arg.add(len) != 0 {
                len += 1;
            }
            Some(core::slice::from_raw_parts(arg, len))
        }
    }
}

/// Slice equality as a plain loop: `==` on slices may become a call to memcmp,
/// which nothing here provides.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Prints the usage (after naming the offending argument, if any) and exits 2.
fn usage(bad: Option<&[u8]>) -> ! {
    if let Some(bad) = bad {
        write_all(2, b"pause: bad argument: ");
        write_all(2, bad);
        write_all(2, b"\n");
    }
    write_all(2, USAGE);
    exit(2)
}

/// Parses a decimal number of at most 10 digits that is no larger than `max`.
#[inline(never)]
fn parse_number(s: &[u8], max: u64) -> Option<u64> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        // At most 10 digits, so this cannot overflow.
        n = n * 10 + (c - b'0') as u64;
    }
    if n > max {
        None
    } else {
        Some(n)
    }
}

/// Parses a dotted-quad IPv4 address. Octets with leading zeros are refused:
/// some parsers read them as octal, so their meaning is ambiguous.
fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut ip = [0u8; 4];
    let mut parts = s.split(|&c| c == b'.');
    for octet in ip.iter_mut() {
        let part = parts.next()?;
        if part.len() > 1 && part.first() == Some(&b'0') {
            return None;
        }
        *octet = parse_number(part, 255)? as u8;
    }
    match parts.next() {
        Some(_) => None,
        None => Some(ip),
    }
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

/// Milliseconds on the monotonic clock.
fn now_ms() -> u64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a live, writable struct timespec (two 64-bit fields on x86_64 and aarch64).
    unsafe {
        syscall4(
            nr::CLOCK_GETTIME,
            CLOCK_MONOTONIC,
            &mut ts as *mut Timespec as usize,
            0,
            0,
        );
    }
    ts.sec as u64 * 1000 + ts.nsec as u64 / 1_000_000
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

/// poll(2) on one descriptor for at most `ms` milliseconds (at most i32::MAX).
fn poll_one(pfd: &mut PollFd, ms: u64) -> isize {
    poll(core::slice::from_mut(pfd), ms)
}

/// poll(2) on `pfds` for at most `ms` milliseconds (at most i32::MAX).
#[cfg(target_arch = "x86_64")]
fn poll(pfds: &mut [PollFd], ms: u64) -> isize {
    // SAFETY: `pfds` is a live, writable array of that many struct pollfd.
    unsafe {
        syscall4(
            nr::POLL,
            pfds.as_mut_ptr() as usize,
            pfds.len(),
            ms as usize,
            0,
        )
    }
}

/// poll(2) on `pfds` for at most `ms` milliseconds, as ppoll (aarch64 has no poll).
#[cfg(target_arch = "aarch64")]
fn poll(pfds: &mut [PollFd], ms: u64) -> isize {
    let ts = Timespec {
        sec: (ms / 1000) as i64,
        nsec: (ms % 1000 * 1_000_000) as i64,
    };
    // SAFETY: `pfds` is a live, writable array of that many struct pollfd and `ts` a
    // live timespec; with a NULL signal mask the kernel ignores the mask size.
    unsafe {
        syscall4(
            nr::PPOLL,
            pfds.as_mut_ptr() as usize,
            pfds.len(),
            &ts as *const Timespec as usize,
            0,
        )
    }
}

/// What goes before `path` to make it absolute (as Go's URL formatting does).
fn slash_unless_absolute(path: &[u8]) -> &'static [u8] {
    if path.first() == Some(&b'/') {
        b""
    } else {
        b"/"
    }
}

/// Why a probe failed before it had an HTTP status code.
enum Failure {
    TimedOut,
    /// A positive errno value.
    Errno(isize),
    /// The peer closed the connection before sending a whole status line.
    Closed,
}

/// Waits until `fd` is ready for `events` or the deadline (monotonic ms) passes.
fn wait_fd(fd: usize, events: i16, deadline: u64) -> Result<(), Failure> {
    loop {
        let left = deadline.saturating_sub(now_ms());
        if left == 0 {
            return Err(Failure::TimedOut);
        }
        let mut pfd = PollFd {
            fd: fd as i32,
            events,
            revents: 0,
        };
        let n = poll_one(&mut pfd, left);
        if n > 0 {
            // Readiness includes errors and hang-ups: the next call reports them.
            return Ok(());
        }
        if n < 0 && n != -EINTR {
            return Err(Failure::Errno(-n));
        }
        // Timed out (rechecked above, the clock decides) or interrupted.
    }
}

fn close(fd: usize) {
    // SAFETY: close takes a plain integer; the descriptor is not used afterwards.
    unsafe {
        syscall4(nr::CLOSE, fd, 0, 0, 0);
    }
}

/// struct sockaddr_in: the port and address are in network byte order.
#[repr(C)]
struct SockAddrIn {
    family: u16,
    port: u16,
    addr: [u8; 4],
    zero: [u8; 8],
}

/// A probe's destination, parsed from the command line.
struct Target {
    host: &'static [u8],
    /// The URL path of an HTTP probe; None for a TCP probe.
    path: Option<&'static [u8]>,
    ip: [u8; 4],
    port: u16,
    timeout_ms: u64,
    /// `timeout_ms` from the start of the probe, on the monotonic clock.
    deadline: u64,
}

impl Target {
    /// Parses `HOST PORT TIMEOUT_MS` (from argument 2 on) or, for HTTP,
    /// `HOST PORT PATH TIMEOUT_MS`.
    fn parse(args: &Args, http: bool) -> Target {
        let host = args.get(2).unwrap_or(b"");
        let Some(ip) = parse_ipv4(host) else {
            usage(Some(host))
        };
        let port = args.get(3).unwrap_or(b"");
        let port = match parse_number(port, 65535) {
            Some(p) if p > 0 => p as u16,
            _ => usage(Some(port)),
        };
        let path = if http { args.get(4) } else { None };
        let timeout = args.get(if http { 5 } else { 4 }).unwrap_or(b"");
        // poll takes an int of milliseconds.
        let timeout_ms = match parse_number(timeout, i32::MAX as u64) {
            Some(t) if t > 0 => t,
            _ => usage(Some(timeout)),
        };
        Target {
            host,
            path,
            ip,
            port,
            timeout_ms,
            deadline: now_ms() + timeout_ms,
        }
    }

    /// Writes what is probed to `fd`: `tcp HOST:PORT` or `http://HOST:PORT/PATH`.
    fn write(&self, fd: usize) {
        let mut digits = [0u8; 20];
        write_all(
            fd,
            if self.path.is_some() {
                b"http://"
            } else {
                b"tcp "
            },
        );
        write_all(fd, self.host);
        write_all(fd, b":");
        write_all(fd, fmt_decimal(self.port as usize, &mut digits));
        if let Some(path) = self.path {
            write_all(fd, slash_unless_absolute(path));
            write_all(fd, path);
        }
    }

    /// Opens a TCP connection to the target within the deadline; returns the descriptor.
    /// On failure the descriptor is left open: the program exits right after.
    fn connect(&self) -> Result<usize, Failure> {
        // SAFETY: socket takes plain integers.
        let fd = unsafe {
            syscall4(
                nr::SOCKET,
                AF_INET,
                SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                0,
                0,
            )
        };
        if fd < 0 {
            return Err(Failure::Errno(-fd));
        }
        let fd = fd as usize;
        let addr = SockAddrIn {
            family: AF_INET as u16,
            port: self.port.to_be(),
            addr: self.ip,
            zero: [0; 8],
        };
        // SAFETY: `addr` is a live sockaddr_in of the size passed.
        let ret = unsafe {
            syscall4(
                nr::CONNECT,
                fd,
                &addr as *const SockAddrIn as usize,
                core::mem::size_of::<SockAddrIn>(),
                0,
            )
        };
        if ret == -EINPROGRESS {
            wait_fd(fd, POLLOUT, self.deadline)?;
            let mut err: i32 = 0;
            let mut len: u32 = 4;
            // SAFETY: `err` is a live, writable int and `len` holds its size.
            let ret = unsafe {
                syscall5(
                    nr::GETSOCKOPT,
                    fd,
                    SOL_SOCKET,
                    SO_ERROR,
                    &mut err as *mut i32 as usize,
                    &mut len as *mut u32 as usize,
                )
            };
            if ret < 0 {
                return Err(Failure::Errno(-ret));
            }
            if err != 0 {
                return Err(Failure::Errno(err as isize));
            }
        } else if ret < 0 {
            return Err(Failure::Errno(-ret));
        }
        Ok(fd)
    }
}

/// Prints `<target>: <failure>` on stderr and exits 1.
fn fail(target: &Target, failure: Failure) -> ! {
    let mut digits = [0u8; 20];
    target.write(2);
    write_all(2, b": ");
    match failure {
        Failure::TimedOut => {
            write_all(2, b"timed out after ");
            write_all(2, fmt_decimal(target.timeout_ms as usize, &mut digits));
            write_all(2, b" ms");
        }
        Failure::Errno(ECONNREFUSED) => write_all(2, b"connection refused"),
        Failure::Errno(ECONNRESET) => write_all(2, b"connection reset by peer"),
        Failure::Errno(errno) => {
            write_all(2, b"errno ");
            write_all(2, fmt_decimal(errno as usize, &mut digits));
        }
        Failure::Closed => write_all(2, b"connection closed before the status line"),
    }
    write_all(2, b"\n");
    exit(1)
}

/// `pause probe-tcp HOST PORT TIMEOUT_MS`: succeeds when a TCP connection opens in time.
fn probe_tcp(args: &Args) -> ! {
    if args.argc != 5 {
        usage(None);
    }
    let target = Target::parse(args, false);
    match target.connect() {
        Ok(fd) => {
            close(fd);
            exit(0)
        }
        Err(failure) => fail(&target, failure),
    }
}

/// A fixed buffer that first holds the HTTP request, then the response's start.
/// It is left uninitialised: zeroing it would need a memset, which nothing here
/// provides. Its first `len` bytes are always initialised.
// repr(C) with the array last: at higher optimisation levels LLVM may otherwise
// merge the stores to `len` and `overflow` with the array into one memset.
#[repr(C)]
struct Buf {
    len: usize,
    /// Set when `push` was given more than fits (the excess is dropped).
    overflow: bool,
    bytes: [MaybeUninit<u8>; BUF_SIZE],
}

impl Buf {
    // Not inlined: there are many calls, and the binary is meant to stay small.
    #[inline(never)]
    fn push(&mut self, s: &[u8]) {
        for &b in s {
            match self.bytes.get_mut(self.len) {
                Some(slot) => {
                    slot.write(b);
                    self.len += 1;
                }
                None => self.overflow = true,
            }
        }
    }

    /// Appends a request target, percent-encoding spaces, control and non-ASCII bytes.
    fn push_path(&mut self, path: &[u8]) {
        let hex = |n: u8| if n < 10 { b'0' + n } else { b'A' - 10 + n };
        for &b in path {
            if b <= b' ' || b >= 0x7f {
                self.push(&[b'%', hex(b >> 4), hex(b & 0xf)]);
            } else {
                self.push(&[b]);
            }
        }
    }

    /// The initialised part of the buffer.
    fn filled(&mut self) -> &mut [u8] {
        let len = self.len.min(BUF_SIZE);
        // SAFETY: the first `len` bytes are initialised, and `len` is within the buffer.
        unsafe { core::slice::from_raw_parts_mut(self.bytes.as_mut_ptr() as *mut u8, len) }
    }

    /// Replaces the contents with what `fd` sends until a line feed arrives, the
    /// buffer is full or the peer closes.
    fn read_line(&mut self, fd: usize, deadline: u64) -> Result<(), Failure> {
        self.len = 0;
        while !self.filled().iter().any(|&c| c == b'\n') && self.len < BUF_SIZE {
            wait_fd(fd, POLLIN, deadline)?;
            // SAFETY: len < BUF_SIZE, so the pointer and length describe the buffer's
            // unused tail, which the kernel may write (it initialises what it reports).
            let n = unsafe {
                syscall4(
                    nr::READ,
                    fd,
                    self.bytes.as_mut_ptr().add(self.len) as usize,
                    BUF_SIZE - self.len,
                    0,
                )
            };
            if n == 0 {
                break;
            }
            if n > 0 {
                self.len += n as usize;
            } else if n != -EAGAIN && n != -EINTR {
                return Err(Failure::Errno(-n));
            }
        }
        Ok(())
    }
}

/// Splits a `NAME:VALUE` header argument; the name must be a non-empty token and
/// the value free of line breaks (so nothing can be smuggled into the request).
fn split_header(arg: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = arg.iter().position(|&c| c == b':')?;
    let name = arg.get(..colon)?;
    let value = arg.get(colon + 1..)?;
    if name.is_empty()
        || name.iter().any(|&c| c <= b' ' || c >= 0x7f)
        || value.iter().any(|&c| c == b'\r' || c == b'\n')
    {
        return None;
    }
    let start = value
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(value.len());
    Some((name, value.get(start..).unwrap_or(b"")))
}

/// Whether one of the header arguments from `first` on sets header `name`.
fn has_header(args: &Args, first: usize, name: &[u8]) -> bool {
    (first..args.argc).any(|i| {
        args.get(i)
            .and_then(split_header)
            .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
    })
}

/// Writes all of `buf` to the non-blocking socket `fd` within the deadline.
fn send_all(fd: usize, mut buf: &[u8], deadline: u64) -> Result<(), Failure> {
    while !buf.is_empty() {
        // SAFETY: the pointer and length describe the live slice `buf`.
        let n = unsafe { syscall4(nr::WRITE, fd, buf.as_ptr() as usize, buf.len(), 0) };
        if n == -EAGAIN {
            wait_fd(fd, POLLOUT, deadline)?;
        } else if n < 0 && n != -EINTR {
            return Err(Failure::Errno(-n));
        } else if n > 0 {
            buf = buf.get(n as usize..).unwrap_or(b"");
        }
    }
    Ok(())
}

/// The code of a status line `HTTP/D.D NNN[ reason]`.
fn parse_status(line: &[u8]) -> Option<u16> {
    match line {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor, b' ', a, b, c, rest @ ..]
            if [major, minor, a, b, c].iter().all(|d| d.is_ascii_digit())
                && matches!(rest, [] | [b' ', ..]) =>
        {
            Some((*a - b'0') as u16 * 100 + (*b - b'0') as u16 * 10 + (*c - b'0') as u16)
        }
        _ => None,
    }
}

/// `pause probe-http HOST PORT PATH TIMEOUT_MS [NAME:VALUE ...]`: GETs PATH and
/// succeeds when the status is 200-399, as Kubernetes' httpGet probe (redirects
/// are not followed).
fn probe_http(args: &Args) -> ! {
    const FIRST_HEADER: usize = 6;
    if args.argc < FIRST_HEADER {
        usage(None);
    }
    let target = Target::parse(args, true);
    let path = target.path.unwrap_or(b"");

    let mut req = Buf {
        len: 0,
        overflow: false,
        bytes: [MaybeUninit::uninit(); BUF_SIZE],
    };
    req.push(b"GET ");
    req.push(slash_unless_absolute(path));
    req.push_path(path);
    req.push(b" HTTP/1.1\r\n");
    // Headers given on the command line replace the defaults, as in Kubernetes.
    if !has_header(args, FIRST_HEADER, b"host") {
        let mut digits = [0u8; 20];
        req.push(b"Host: ");
        req.push(target.host);
        req.push(b":");
        req.push(fmt_decimal(target.port as usize, &mut digits));
        req.push(b"\r\n");
    }
    if !has_header(args, FIRST_HEADER, b"user-agent") {
        req.push(b"User-Agent: kube-probe/podc\r\n");
    }
    if !has_header(args, FIRST_HEADER, b"accept") {
        req.push(b"Accept: */*\r\n");
    }
    req.push(b"Connection: close\r\n");
    for i in FIRST_HEADER..args.argc {
        let arg = args.get(i).unwrap_or(b"");
        let Some((name, value)) = split_header(arg) else {
            usage(Some(arg))
        };
        req.push(name);
        req.push(b": ");
        req.push(value);
        req.push(b"\r\n");
    }
    req.push(b"\r\n");
    if req.overflow {
        write_all(
            2,
            b"pause: probe-http: the request does not fit in 4096 bytes\n",
        );
        exit(2);
    }

    let result = target.connect().and_then(|fd| {
        send_all(fd, req.filled(), target.deadline)?;
        req.read_line(fd, target.deadline)?;
        close(fd);
        Ok(())
    });
    if let Err(failure) = result {
        fail(&target, failure);
    }
    if req.len == 0 {
        fail(&target, Failure::Closed);
    }

    // The status line, without its line break; control bytes are masked for printing.
    let received = req.filled();
    let end = received
        .iter()
        .position(|&c| c == b'\n')
        .unwrap_or(received.len());
    let line = received.get_mut(..end).unwrap_or(&mut []);
    let line = match line {
        [head @ .., b'\r'] => head,
        _ => line,
    };
    for c in line.iter_mut() {
        if *c < b' ' || *c == 0x7f {
            *c = b'?';
        }
    }
    let Some(code) = parse_status(line) else {
        target.write(2);
        write_all(2, b": malformed HTTP status line: ");
        write_all(2, line);
        write_all(2, b"\n");
        exit(1)
    };
    if (200..400).contains(&code) {
        write_all(1, line);
        write_all(1, b"\n");
        exit(0)
    }
    let mut digits = [0u8; 20];
    write_all(1, b"HTTP probe failed with statuscode: ");
    write_all(1, fmt_decimal(code as usize, &mut digits));
    write_all(1, b"\n");
    exit(1)
}

/// Reads what `fd` has into `buf`; returns the kernel's result (0 at end of input).
fn read_into(fd: usize, buf: &mut Buf) -> isize {
    // SAFETY: the pointer and length describe the whole buffer, which the kernel may
    // write (it initialises what it reports).
    let n = unsafe { syscall4(nr::READ, fd, buf.bytes.as_mut_ptr() as usize, BUF_SIZE, 0) };
    buf.len = n.max(0) as usize;
    n
}

/// `pause relay HOST PORT TIMEOUT_MS`: connects to HOST:PORT, then copies stdin to
/// the connection and the connection to stdout until the peer closes (exit 0) or
/// TIMEOUT_MS have passed since the start (exit 1). End of stdin half-closes the
/// connection. Connection failures are reported as the probes report them.
fn relay(args: &Args) -> ! {
    if args.argc != 5 {
        usage(None);
    }
    let target = Target::parse(args, false);
    let sock = match target.connect() {
        Ok(fd) => fd,
        Err(failure) => fail(&target, failure),
    };
    let mut buf = Buf {
        len: 0,
        overflow: false,
        bytes: [MaybeUninit::uninit(); BUF_SIZE],
    };
    // stdin, then the connection; a negative fd is skipped by poll (stdin once it ended).
    let mut pfds = [
        PollFd {
            fd: 0,
            events: POLLIN,
            revents: 0,
        },
        PollFd {
            fd: sock as i32,
            events: POLLIN,
            revents: 0,
        },
    ];
    loop {
        let left = target.deadline.saturating_sub(now_ms());
        if left == 0 {
            fail(&target, Failure::TimedOut);
        }
        let n = poll(&mut pfds, left);
        if n < 0 && n != -EINTR {
            fail(&target, Failure::Errno(-n));
        }
        if n <= 0 {
            continue;
        }
        if pfds[1].revents != 0 {
            let got = read_into(sock, &mut buf);
            if got == 0 {
                exit(0);
            }
            if got < 0 && got != -EAGAIN && got != -EINTR {
                fail(&target, Failure::Errno(-got));
            }
            write_all(1, buf.filled());
        }
        if pfds[0].revents != 0 {
            let got = read_into(0, &mut buf);
            if got > 0 {
                if let Err(failure) = send_all(sock, buf.filled(), target.deadline) {
                    fail(&target, failure);
                }
            } else if got != -EAGAIN && got != -EINTR {
                // End of stdin (or an unreadable one): no more requests; replies still come.
                // SAFETY: shutdown takes plain integers.
                unsafe {
                    syscall4(nr::SHUTDOWN, sock, SHUT_WR, 0, 0);
                }
                pfds[0].fd = -1;
            }
        }
    }
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
    let args = Args { argc, argv };
    let probe = args.get(1).unwrap_or(b"");
    let tcp = same(probe, b"probe-tcp");
    let relaying = same(probe, b"relay");
    if tcp || relaying || same(probe, b"probe-http") {
        // A peer that closes early must fail the probe with EPIPE, not kill it.
        let set: SigSet = 1 << (SIGPIPE - 1);
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
        if tcp {
            probe_tcp(&args)
        }
        if relaying {
            relay(&args)
        }
        probe_http(&args)
    }
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
