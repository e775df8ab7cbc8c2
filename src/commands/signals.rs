//! Ctrl-C and SIGTERM both mean "tear the pod down and exit 0" in the foreground. (The
//! supervisor has no handler: SIGTERM's default action ends it, see `supervise::run`.)

use std::future::Future;
use tokio::signal::unix::{signal, SignalKind};

/// Resolves at the first SIGINT or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled: a signal that arrives before the first poll still
/// counts.
pub(crate) fn shutdown() -> impl Future<Output = ()> {
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
