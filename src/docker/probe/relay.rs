//! A byte stream to a port inside the pod: `docker exec -i <pause> /pause relay HOST PORT MS`,
//! whose stdin and stdout the pause program copies to and from its connection. It reaches what
//! the probe modes reach (127.0.0.1 of the pod, with a remote DOCKER_HOST too).

use bollard::container::LogOutput;
use bollard::errors::Error as BollardError;
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::Docker;
use futures_util::Stream;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// What the relay says on stderr (why it could not connect) is kept up to this size.
const MAX_STDERR: usize = 1024;

type Output = Pin<Box<dyn Stream<Item = Result<LogOutput, BollardError>> + Send>>;

/// The relay's stdout as the read side, its stdin as the write side.
pub struct Relay {
    output: Output,
    input: Pin<Box<dyn AsyncWrite + Send>>,
    /// Received from stdout, not read yet (from `pending_at` on).
    pending: Vec<u8>,
    pending_at: usize,
    stderr: Vec<u8>,
}

/// Starts the relay in `pause_id` to `host:port`; it ends itself after `timeout`.
pub async fn open(
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
    let options = CreateExecOptions::<String> {
        cmd: Some(cmd),
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let cannot =
        |e: BollardError| format!("cannot exec the probe: {}", crate::docker::describe(&e));
    let created = docker
        .create_exec(pause_id, options)
        .await
        .map_err(cannot)?;
    match docker
        .start_exec(&created.id, Some(StartExecOptions::default()))
        .await
        .map_err(cannot)?
    {
        StartExecResults::Attached { output, input } => Ok(Relay {
            output,
            input,
            pending: Vec::new(),
            pending_at: 0,
            stderr: Vec::new(),
        }),
        StartExecResults::Detached => Err("cannot exec the probe: Docker detached it".into()),
    }
}

impl Relay {
    /// The first line the relay wrote on stderr: why it failed, if it did.
    pub fn complaint(&self) -> Option<String> {
        String::from_utf8_lossy(&self.stderr)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
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
                Poll::Ready(Some(Ok(LogOutput::StdErr { message }))) => {
                    let room = MAX_STDERR.saturating_sub(this.stderr.len());
                    this.stderr
                        .extend_from_slice(&message[..message.len().min(room)]);
                }
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
