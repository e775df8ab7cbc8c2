//! `httpGet` with `scheme: HTTPS`: TLS (`tls`) over the pause's relay, or over a direct
//! connection to the pod's address when the pause is not podc's.

use super::relay::{self, Complaint};
use super::{absolute, connect, exchange, http_request, judge, NetworkRoute};
use bollard::Docker;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};

/// GETs `path` over TLS within `timeout`; Ok for a status from 200 to 399.
pub(super) async fn get(
    docker: &Docker,
    route: &NetworkRoute,
    host: Option<&str>,
    port: u16,
    path: &str,
    headers: &[(String, String)],
    timeout: Duration,
) -> Result<(), String> {
    let attempt = async {
        match route {
            NetworkRoute::PauseExec { pause_id } => {
                let host = host.unwrap_or("127.0.0.1");
                let relay = relay::open(docker, pause_id, host, port, timeout).await?;
                let complaint = relay.complaint();
                over(relay, Some(complaint), host, port, path, headers).await
            }
            NetworkRoute::Direct { pod_ip } => {
                let host = host.unwrap_or(pod_ip);
                let stream = connect(host, port, timeout).await?;
                over(stream, None, host, port, path, headers).await
            }
        }
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "https://{}:{port}{}: timed out after {} ms",
            host.unwrap_or("127.0.0.1"),
            absolute(path),
            timeout.as_millis()
        )),
    }
}

/// The TLS handshake over `transport`, then the request. A relay that could not connect says
/// why in its `complaint`, which beats the TLS error it causes.
async fn over<T: AsyncRead + AsyncWrite + Unpin>(
    transport: T,
    complaint: Option<Complaint>,
    host: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
) -> Result<(), String> {
    let url = format!("https://{host}:{port}{}", absolute(path));
    let connector = super::tls::connector()?;
    let name = super::tls::server_name(host)?;
    let mut stream = match connector.connect(name, transport).await {
        Ok(stream) => stream,
        Err(e) => {
            return Err(match complaint.and_then(|c| c.reason()) {
                Some(reason) => format!("{url}: {reason}"),
                None => format!("{url}: TLS handshake failed: {e}"),
            })
        }
    };
    let request = http_request(host, port, path, headers);
    match exchange(&mut stream, &request).await {
        Ok(head) => judge(&url, &head),
        Err(e) => Err(format!("{url}: {e}")),
    }
}
