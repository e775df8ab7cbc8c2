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

use crate::labels;
use crate::manifest::Scheme;
use crate::plan::{Check, Plan};
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::Docker;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// How network probes reach the pod.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NetworkRoute {
    /// `docker exec <pause> /pause probe-…` (podc's own pause image).
    PauseExec { pause_id: String },
    /// Connect from here to the pause's bridge address.
    Direct { pod_ip: String },
}

impl NetworkRoute {
    /// How network checks reach the pod whose pause `pause_id` runs `pause_image`: the pause
    /// program's probe mode when the image is podc's own, else the pause's bridge address.
    pub(crate) async fn for_pause(
        docker: &Docker,
        pause_image: &str,
        pause_id: &str,
    ) -> NetworkRoute {
        let own = match docker.inspect_image(pause_image).await {
            Ok(image) => image
                .config
                .and_then(|c| c.labels)
                .is_some_and(|l| l.get(labels::IMAGE).map(String::as_str) == Some("pause")),
            Err(_) => false,
        };
        if own {
            return NetworkRoute::PauseExec {
                pause_id: pause_id.to_string(),
            };
        }
        let ip = match docker.inspect_container(pause_id, None).await {
            Ok(c) => c
                .network_settings
                .and_then(|n| n.networks)
                .and_then(|nets| {
                    nets.into_values()
                        .find_map(|e| e.ip_address.filter(|ip| !ip.is_empty()))
                })
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        NetworkRoute::Direct { pod_ip: ip }
    }

    /// The route for `plan`'s hooks and sidecar startup waits, asking Docker only when one of
    /// them goes over the network (exec and sleep do not).
    pub(crate) async fn for_hooks(docker: &Docker, plan: &Plan, pause_id: &str) -> NetworkRoute {
        let networked = plan.init.iter().chain(&plan.members).any(|m| {
            let startup = m.probes.startup.as_ref().map(|p| &p.check);
            [
                m.hooks.post_start.as_ref(),
                m.hooks.pre_stop.as_ref(),
                startup,
            ]
            .into_iter()
            .flatten()
            .any(Check::uses_network)
        });
        match networked {
            true => NetworkRoute::for_pause(docker, &plan.pause.image, pause_id).await,
            false => NetworkRoute::PauseExec {
                pause_id: pause_id.to_string(),
            },
        }
    }
}

/// Output kept from a probe, enough for a message; the rest is dropped unread.
const MAX_OUTPUT: usize = 1024;

/// Runs `call` against the container `container_id` within `timeout`: Ok on success, Err with
/// the reason shown in `podc ps`.
pub(crate) async fn run(
    docker: &Docker,
    call: &Check,
    container_id: &str,
    route: &NetworkRoute,
    timeout: Duration,
) -> Result<(), String> {
    // The exec round-trips get a little headroom beyond the probe's own timeout.
    let limit = timeout + Duration::from_secs(2);
    let attempt = async {
        match (call, route) {
            (Check::Exec { command }, _) => {
                let (code, output) = exec(docker, container_id, command.clone()).await?;
                match code {
                    0 => Ok(()),
                    _ => Err(format!("exec probe exited {code}{}", suffix(&output))),
                }
            }
            (
                Check::Http {
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
            (Check::Sleep { seconds }, _) => {
                tokio::time::sleep(Duration::from_secs(*seconds as u64).min(timeout)).await;
                Ok(())
            }
            (Check::Unresolvable { reason }, _) => Err(reason.clone()),
            (Check::Grpc { port, service }, route) => {
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
            (Check::Tcp { host, port }, NetworkRoute::Direct { pod_ip }) => {
                connect(host.as_deref().unwrap_or(pod_ip), *port, timeout)
                    .await
                    .map(drop)
            }
            (
                Check::Http {
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
pub(crate) fn pause_command(call: &Check, timeout: Duration) -> Vec<String> {
    let millis = timeout.as_millis().to_string();
    match call {
        Check::Tcp { host, port } => vec![
            "/pause".into(),
            "probe-tcp".into(),
            host.clone().unwrap_or_else(|| "127.0.0.1".into()),
            port.to_string(),
            millis,
        ],
        Check::Http {
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
        Check::Exec { command, .. } => command.clone(),
        // Not probe modes: gRPC is spoken here, through the relay (`grpc`); the others never
        // reach the pause (`run` answers them first).
        Check::Grpc { .. } | Check::Sleep { .. } | Check::Unresolvable { .. } => Vec::new(),
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
pub(crate) fn http_request(
    host: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
) -> String {
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
pub(crate) fn status_code(head: &str) -> Option<u16> {
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
        let http = Check::Http {
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
        let tcp = Check::Tcp {
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
