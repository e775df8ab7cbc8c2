//! Running one probe. `exec` runs in the member. `httpGet` and `tcpSocket` run the pause
//! program's probe mode with `docker exec` in the pause: it lives in the pod's network
//! namespace, so it reaches listeners bound to 127.0.0.1 and needs no curl or nc in any image,
//! and it works with a remote DOCKER_HOST. HTTPS and gRPC go through the pause's relay mode,
//! with TLS and HTTP/2 spoken here (`https`, `grpc`). With a foreign pause image (no probe
//! mode), podc connects to the pod's address on Docker's bridge instead (local daemons only).

mod grpc;
mod https;
mod relay;
mod tls;

use crate::manifest::{Container, PortRef, ProbeHandler, Scheme};
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::Docker;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// What to check.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeCall {
    Exec {
        container_id: String,
        command: Vec<String>,
    },
    Tcp {
        host: Option<String>,
        port: u16,
    },
    Http {
        host: Option<String>,
        port: u16,
        path: String,
        headers: Vec<(String, String)>,
        scheme: Scheme,
    },
    /// The gRPC health service on `port` of the pod; `service` "" is the whole server.
    Grpc {
        port: u16,
        service: String,
    },
}

impl ProbeCall {
    /// The call a probe `handler` of `container` (running as `container_id`) makes: what the
    /// supervisor and a sidecar's startup wait both run.
    pub fn for_handler(
        handler: &ProbeHandler,
        container: &Container,
        container_id: &str,
    ) -> Result<ProbeCall, String> {
        let resolve = |port: &PortRef| {
            port.resolve_port(container)
                .ok_or_else(|| format!("port {port:?} is not declared by {}", container.name))
        };
        Ok(match handler {
            ProbeHandler::Exec { command } => ProbeCall::Exec {
                container_id: container_id.to_string(),
                command: command.clone(),
            },
            ProbeHandler::HttpGet {
                path,
                port,
                host,
                headers,
                scheme,
            } => ProbeCall::Http {
                host: host.clone(),
                port: resolve(port)?,
                path: path.clone(),
                headers: headers.clone(),
                scheme: *scheme,
            },
            ProbeHandler::TcpSocket { port, host } => ProbeCall::Tcp {
                host: host.clone(),
                port: resolve(port)?,
            },
            ProbeHandler::Grpc { port, service } => ProbeCall::Grpc {
                port: *port,
                service: service.clone().unwrap_or_default(),
            },
        })
    }
}

/// How network probes reach the pod.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkRoute {
    /// `docker exec <pause> /pause probe-…` (podc's own pause image).
    PauseExec { pause_id: String },
    /// Connect from here to the pause's bridge address.
    Direct { pod_ip: String },
}

/// Output kept from a probe, enough for a message; the rest is dropped unread.
const MAX_OUTPUT: usize = 1024;

/// Runs the probe within `timeout`: Ok on success, Err with the reason shown in `podc ps`.
pub async fn run(
    docker: &Docker,
    call: &ProbeCall,
    route: &NetworkRoute,
    timeout: Duration,
) -> Result<(), String> {
    // The exec round-trips get a little headroom beyond the probe's own timeout.
    let limit = timeout + Duration::from_secs(2);
    let attempt = async {
        match (call, route) {
            (
                ProbeCall::Exec {
                    container_id,
                    command,
                },
                _,
            ) => {
                let (code, output) = exec(docker, container_id, command.clone()).await?;
                match code {
                    0 => Ok(()),
                    _ => Err(format!("exec probe exited {code}{}", suffix(&output))),
                }
            }
            (
                ProbeCall::Http {
                    host,
                    port,
                    path,
                    headers,
                    scheme: Scheme::Https,
                },
                route,
            ) => {
                https::get(
                    docker,
                    route,
                    host.as_deref(),
                    *port,
                    path,
                    headers,
                    timeout,
                )
                .await
            }
            (ProbeCall::Grpc { port, service }, route) => {
                grpc::check(docker, route, *port, service, timeout).await
            }
            (call, NetworkRoute::PauseExec { pause_id }) => {
                let (code, output) = exec(docker, pause_id, pause_command(call, timeout)).await?;
                match code {
                    0 => Ok(()),
                    _ => Err(first_line(&output)
                        .unwrap_or_else(|| format!("probe failed (exit {code})"))),
                }
            }
            (ProbeCall::Tcp { host, port }, NetworkRoute::Direct { pod_ip }) => {
                connect(host.as_deref().unwrap_or(pod_ip), *port, timeout)
                    .await
                    .map(drop)
            }
            (
                ProbeCall::Http {
                    host,
                    port,
                    path,
                    headers,
                    ..
                },
                NetworkRoute::Direct { pod_ip },
            ) => {
                http_direct(
                    host.as_deref().unwrap_or(pod_ip),
                    *port,
                    path,
                    headers,
                    timeout,
                )
                .await
            }
        }
    };
    match tokio::time::timeout(limit, attempt).await {
        Ok(result) => result,
        Err(_) => Err(format!("probe timed out after {}s", timeout.as_secs_f64())),
    }
}

/// The pause program's probe-mode command line for a network probe.
pub fn pause_command(call: &ProbeCall, timeout: Duration) -> Vec<String> {
    let millis = timeout.as_millis().to_string();
    match call {
        ProbeCall::Tcp { host, port } => vec![
            "/pause".into(),
            "probe-tcp".into(),
            host.clone().unwrap_or_else(|| "127.0.0.1".into()),
            port.to_string(),
            millis,
        ],
        ProbeCall::Http {
            host,
            port,
            path,
            headers,
            ..
        } => {
            let mut args = vec![
                "/pause".into(),
                "probe-http".into(),
                host.clone().unwrap_or_else(|| "127.0.0.1".into()),
                port.to_string(),
                path.clone(),
                millis,
            ];
            args.extend(headers.iter().map(|(n, v)| format!("{n}:{v}")));
            args
        }
        ProbeCall::Exec { command, .. } => command.clone(),
        // Not a probe mode: spoken here, through the relay (`grpc`).
        ProbeCall::Grpc { .. } => Vec::new(),
    }
}

/// Runs a command in a container; returns its exit code and the start of its output.
async fn exec(docker: &Docker, container: &str, cmd: Vec<String>) -> Result<(i64, String), String> {
    let (exec_id, started) = start_attached(docker, container, cmd, false).await?;
    let mut output = Vec::new();
    if let StartExecResults::Attached {
        output: mut stream, ..
    } = started
    {
        while let Some(Ok(chunk)) = stream.next().await {
            let bytes = chunk.into_bytes();
            let room = MAX_OUTPUT.saturating_sub(output.len());
            output.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }
    let inspected = docker
        .inspect_exec(&exec_id)
        .await
        .map_err(|e| format!("cannot read the probe's exit code: {}", super::describe(&e)))?;
    Ok((
        inspected.exit_code.unwrap_or(-1),
        String::from_utf8_lossy(&output).into_owned(),
    ))
}

/// Creates and starts `cmd` in `container` with its stdout and stderr attached (and its stdin
/// when `stdin`); returns the exec's ID and its streams.
async fn start_attached(
    docker: &Docker,
    container: &str,
    cmd: Vec<String>,
    stdin: bool,
) -> Result<(String, StartExecResults), String> {
    let cannot =
        |e: bollard::errors::Error| format!("cannot exec the probe: {}", super::describe(&e));
    let options = CreateExecOptions::<String> {
        cmd: Some(cmd),
        attach_stdin: stdin.then_some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let created = docker
        .create_exec(container, options)
        .await
        .map_err(cannot)?;
    let started = docker
        .start_exec(&created.id, Some(StartExecOptions::default()))
        .await
        .map_err(cannot)?;
    Ok((created.id, started))
}

async fn connect(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<tokio::net::TcpStream, String> {
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect((host, port))).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) => Err(format!("tcp {host}:{port}: {e}")),
        Err(_) => Err(format!(
            "tcp {host}:{port}: timed out after {} ms",
            timeout.as_millis()
        )),
    }
}

async fn http_direct(
    host: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
    timeout: Duration,
) -> Result<(), String> {
    let stream = connect(host, port, timeout).await?;
    let url = format!("http://{host}:{port}{}", absolute(path));
    let request = http_request(host, port, path, headers);
    match tokio::time::timeout(timeout, exchange(stream, &request)).await {
        Ok(Ok(head)) => judge(&url, &head),
        Ok(Err(e)) => Err(format!("{url}: {e}")),
        Err(_) => Err(format!("{url}: timed out after {} ms", timeout.as_millis())),
    }
}

/// `path` as a request target: absolute, with spaces, control and non-ASCII bytes
/// percent-encoded (as the pause's probe mode and Go's URL formatting do).
fn absolute(path: &str) -> String {
    let mut target = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        target.push('/');
    }
    for b in path.bytes() {
        match b {
            b'!'..=b'~' => target.push(b as char),
            _ => target.push_str(&format!("%{b:02X}")),
        }
    }
    target
}

/// The probe's GET request. Headers the probe gives replace the defaults of the same name,
/// as in Kubernetes.
pub fn http_request(host: &str, port: u16, path: &str, headers: &[(String, String)]) -> String {
    let given = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut request = format!("GET {} HTTP/1.1\r\n", absolute(path));
    if !given("host") {
        request.push_str(&format!("Host: {host}:{port}\r\n"));
    }
    if !given("user-agent") {
        request.push_str("User-Agent: kube-probe/podc\r\n");
    }
    if !given("accept") {
        request.push_str("Accept: */*\r\n");
    }
    request.push_str("Connection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request
}

/// Sends `request` and reads the response up to the end of its status line.
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    request: &str,
) -> std::io::Result<String> {
    stream.write_all(request.as_bytes()).await?;
    stream.flush().await?;
    let mut buf = vec![0u8; 256];
    let mut len = 0;
    while len < buf.len() && !buf[..len].windows(2).any(|w| w == b"\r\n") {
        let n = stream.read(&mut buf[len..]).await?;
        if n == 0 {
            break;
        }
        len += n;
    }
    Ok(String::from_utf8_lossy(&buf[..len]).into_owned())
}

/// A status from 200 to 399 is a success; the message of a failure is the kubelet's.
fn judge(url: &str, head: &str) -> Result<(), String> {
    match status_code(head) {
        Some(code) if (200..400).contains(&code) => Ok(()),
        Some(code) => Err(format!("HTTP probe failed with statuscode: {code}")),
        None if head.is_empty() => Err(format!("{url}: connection closed before the status line")),
        None => Err(format!("{url}: malformed response")),
    }
}

/// The status code of an HTTP status line.
pub fn status_code(head: &str) -> Option<u16> {
    let line = head.lines().next()?;
    let mut parts = line.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

fn suffix(output: &str) -> String {
    first_line(output)
        .map(|l| format!(": {l}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_command_lines() {
        let http = ProbeCall::Http {
            host: None,
            port: 8080,
            path: "/healthz".into(),
            headers: vec![("X-A".into(), "b".into())],
            scheme: Scheme::Http,
        };
        assert_eq!(
            pause_command(&http, Duration::from_secs(1)),
            [
                "/pause",
                "probe-http",
                "127.0.0.1",
                "8080",
                "/healthz",
                "1000",
                "X-A:b"
            ]
        );
        let tcp = ProbeCall::Tcp {
            host: Some("127.0.0.2".into()),
            port: 5,
        };
        assert_eq!(
            pause_command(&tcp, Duration::from_millis(300)),
            ["/pause", "probe-tcp", "127.0.0.2", "5", "300"]
        );
    }

    #[test]
    fn status_lines() {
        assert_eq!(status_code("HTTP/1.1 204 No Content\r\n"), Some(204));
        assert_eq!(status_code("SSH-2.0-OpenSSH\r\n"), None);
    }
}
