//! Ctrl-C and SIGTERM both mean "tear the pod down and exit 0" in the foreground, and "stop
//! supervising" in the supervisor.

use std::future::Future;
use tokio::signal::unix::{signal, SignalKind};

/// Resolves at the first SIGINT or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled: as PID 1 of the supervisor's container, podc would
/// otherwise ignore a SIGTERM that arrives before the first poll (the kernel drops signals PID 1
/// has no handler for).
pub fn shutdown() -> impl Future<Output = ()> {
    let handlers = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    );
    async move {
        let (Ok(mut int), Ok(mut term)) = handlers else {
            // Without handlers the default action (exit) applies; wait forever here.
            return std::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    }
}
