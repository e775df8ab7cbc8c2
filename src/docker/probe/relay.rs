//! A byte stream to a port inside the pod: `docker exec -i <pause> /pause relay HOST PORT MS`,
//! whose stdin and stdout the pause program copies to and from its connection. It reaches what
//! the probe modes reach (127.0.0.1 of the pod, with a remote DOCKER_HOST too).

use bollard::container::LogOutput;
use bollard::errors::Error as BollardError;
use bollard::exec::StartExecResults;
use bollard::Docker;
use futures_util::Stream;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// What the relay says on stderr (why it could not connect) is kept up to this size.
const MAX_STDERR: usize = 1024;

type Output = Pin<Box<dyn Stream<Item = Result<LogOutput, BollardError>> + Send>>;

/// The relay's stdout as the read side, its stdin as the write side.
pub(super) struct Relay {
    output: Output,
    input: Pin<Box<dyn AsyncWrite + Send>>,
    /// Received from stdout, not read yet (from `pending_at` on).
    pending: Vec<u8>,
    pending_at: usize,
    stderr: Complaint,
}

/// What the relay wrote on stderr: why it failed, if it did. Shared, so it can be read after
/// the relay went into a protocol's connection and failed there.
#[derive(Clone, Default)]
pub(super) struct Complaint(Arc<Mutex<Vec<u8>>>);

impl Complaint {
    /// The relay's first line on stderr without the `tcp HOST:PORT: ` it starts with
    /// (`connection refused`), or None when it said nothing.
    pub(super) fn reason(&self) -> Option<String> {
        let text = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let line = String::from_utf8_lossy(&text)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)?;
        Some(
            match line
                .strip_prefix("tcp ")
                .and_then(|rest| rest.split_once(": "))
            {
                Some((_, reason)) => reason.to_string(),
                None => line,
            },
        )
    }

    fn add(&self, bytes: &[u8]) {
        let mut text = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let room = MAX_STDERR.saturating_sub(text.len());
        text.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

/// Starts the relay in `pause_id` to `host:port`; it ends itself after `timeout`.
pub(super) async fn open(
    docker: &Docker,
    pause_id: &str,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<Relay, String> {
    let cmd = vec![
        "/pause".to_string(),
        "relay".into(),
        host.into(),
        port.to_string(),
        timeout.as_millis().max(1).to_string(),
    ];
    match super::start_attached(docker, pause_id, cmd, true).await?.1 {
        StartExecResults::Attached { output, input } => Ok(Relay {
            output,
            input,
            pending: Vec::new(),
            pending_at: 0,
            stderr: Complaint::default(),
        }),
        StartExecResults::Detached => Err("cannot exec the probe: Docker detached it".into()),
    }
}

impl Relay {
    /// Why the relay failed, readable also once the relay itself is gone.
    pub(super) fn complaint(&self) -> Complaint {
        self.stderr.clone()
    }
}

impl AsyncRead for Relay {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.pending_at < this.pending.len() {
                let ready = &this.pending[this.pending_at..];
                let n = ready.len().min(buf.remaining());
                buf.put_slice(&ready[..n]);
                this.pending_at += n;
                return Poll::Ready(Ok(()));
            }
            match this.output.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(LogOutput::StdOut { message }))) => {
                    this.pending = message.to_vec();
                    this.pending_at = 0;
                }
                Poll::Ready(Some(Ok(LogOutput::StdErr { message }))) => this.stderr.add(&message),
                Poll::Ready(Some(Ok(_))) => {}
                Poll::Ready(Some(Err(e))) => {
                    return Poll::Ready(Err(io::Error::other(crate::docker::describe(&e))))
                }
                // The relay ended: end of stream.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl AsyncWrite for Relay {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().input.as_mut().poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().input.as_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().input.as_mut().poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_reads_as_its_reason() {
        let complaint = Complaint::default();
        assert_eq!(complaint.reason(), None);
        complaint.add(b"\ntcp 127.0.0.1:9443: connection refused\n");
        assert_eq!(complaint.reason().as_deref(), Some("connection refused"));
        let other = Complaint::default();
        other.add(b"pause: bad argument: x\n");
        assert_eq!(other.reason().as_deref(), Some("pause: bad argument: x"));
    }
}
