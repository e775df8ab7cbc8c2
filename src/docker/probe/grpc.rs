//! `grpc` probes: the gRPC health checking protocol (`grpc.health.v1.Health/Check`) over
//! HTTP/2 without TLS, as the kubelet runs it, through the pause's relay to 127.0.0.1:PORT (or
//! directly to the pod's address with a foreign pause). SERVING is a success; the failure
//! messages are the kubelet's. The two protobuf messages are small enough to code by hand.

use super::relay;
use super::NetworkRoute;
use bollard::Docker;
use bytes::Bytes;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};

/// Checks `service` ("" for the whole server) on `port` within `timeout`.
pub(super) async fn check(
    docker: &Docker,
    route: &NetworkRoute,
    port: u16,
    service: &str,
    timeout: Duration,
) -> Result<(), String> {
    let attempt = async {
        match route {
            NetworkRoute::PauseExec { pause_id } => {
                let relay = relay::open(docker, pause_id, "127.0.0.1", port, timeout).await?;
                // A relay that could not connect says why, which beats HTTP/2's broken pipe.
                let complaint = relay.complaint();
                call(relay, "127.0.0.1", port, service)
                    .await
                    .map_err(|why| match complaint.reason() {
                        Some(reason) => {
                            format!("failed to connect service \"127.0.0.1:{port}\": {reason}")
                        }
                        None => why,
                    })
            }
            NetworkRoute::Direct { pod_ip } => {
                let stream = super::connect(pod_ip, port, timeout).await?;
                call(stream, pod_ip, port, service).await
            }
        }
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok(ServingStatus(1))) => Ok(()),
        Ok(Ok(status)) => Err(format!(
            "service unhealthy (responded with \"{}\")",
            status.name()
        )),
        Ok(Err(why)) => Err(why),
        Err(_) => Err(format!(
            "timeout: health rpc did not complete within {}",
            go_duration(timeout)
        )),
    }
}

/// One Check call over `io`: the HTTP/2 handshake, the request, the response and trailers.
async fn call<T: AsyncRead + AsyncWrite + Unpin + Send + 'static>(
    io: T,
    host: &str,
    port: u16,
    service: &str,
) -> Result<ServingStatus, String> {
    let failed = |e: h2::Error| format!("error: health rpc probe failed: {e}");
    let (client, connection) = h2::client::handshake(io)
        .await
        .map_err(|e| format!("failed to connect service \"{host}:{port}\": {e}"))?;
    // The connection does the I/O while the request is made; it ends when this call does.
    let driver = tokio::spawn(connection);
    let exchange = async {
        let mut client = client.ready().await.map_err(failed)?;
        let request = http::Request::builder()
            .method("POST")
            .uri(format!("http://{host}:{port}/grpc.health.v1.Health/Check"))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .header("user-agent", "kube-probe/podc")
            .body(())
            .map_err(|e| format!("error: health rpc probe failed: {e}"))?;
        let (response, mut body) = client.send_request(request, false).map_err(failed)?;
        body.send_data(Bytes::from(frame(&encode_request(service))), true)
            .map_err(failed)?;
        let response = response.await.map_err(failed)?;
        // A Trailers-Only answer (an error) puts grpc-status in the headers.
        grpc_status(response.headers())?;
        let mut body = response.into_body();
        let mut data = Vec::new();
        while let Some(chunk) = body.data().await {
            let chunk = chunk.map_err(failed)?;
            let _ = body.flow_control().release_capacity(chunk.len());
            data.extend_from_slice(&chunk);
        }
        if let Some(trailers) = body.trailers().await.map_err(failed)? {
            grpc_status(&trailers)?;
        }
        decode_response(unframe(&data)?)
    };
    let result = exchange.await;
    driver.abort();
    result
}

/// Fails with the kubelet's words when a `grpc-status` other than OK (0) is present.
fn grpc_status(headers: &http::HeaderMap) -> Result<(), String> {
    let Some(code) = headers.get("grpc-status").and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let message = headers
        .get("grpc-message")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match code.trim() {
        "0" => Ok(()),
        "12" => Err(format!(
            "this server does not implement the grpc health protocol (grpc.health.v1.Health): {message}"
        )),
        code => Err(format!(
            "error: health rpc probe failed: rpc error: code = {} desc = {message}",
            code_name(code)
        )),
    }
}

/// gRPC's name of a status code.
fn code_name(code: &str) -> String {
    const NAMES: [&str; 17] = [
        "OK",
        "Canceled",
        "Unknown",
        "InvalidArgument",
        "DeadlineExceeded",
        "NotFound",
        "AlreadyExists",
        "PermissionDenied",
        "ResourceExhausted",
        "FailedPrecondition",
        "Aborted",
        "OutOfRange",
        "Unimplemented",
        "Internal",
        "Unavailable",
        "DataLoss",
        "Unauthenticated",
    ];
    code.parse::<usize>()
        .ok()
        .and_then(|n| NAMES.get(n))
        .map_or_else(|| format!("Code({code})"), |name| name.to_string())
}

/// A duration as Go prints it (`1s`, `1.5s`), as the kubelet's messages show it.
fn go_duration(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

/// `HealthCheckResponse.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ServingStatus(pub u64);

impl ServingStatus {
    /// The enum's name in grpc.health.v1.
    pub(super) fn name(self) -> String {
        match self.0 {
            0 => "UNKNOWN".into(),
            1 => "SERVING".into(),
            2 => "NOT_SERVING".into(),
            3 => "SERVICE_UNKNOWN".into(),
            n => n.to_string(),
        }
    }
}

/// `HealthCheckRequest { string service = 1; }`; the empty string is left out, as proto3 does.
pub(super) fn encode_request(service: &str) -> Vec<u8> {
    let mut out = Vec::new();
    if !service.is_empty() {
        out.push(0x0a); // field 1, length-delimited
        put_varint(&mut out, service.len() as u64);
        out.extend_from_slice(service.as_bytes());
    }
    out
}

/// `HealthCheckResponse { ServingStatus status = 1; }`: other fields are skipped, a missing
/// status is UNKNOWN (0), as proto3 does.
pub(super) fn decode_response(mut msg: &[u8]) -> Result<ServingStatus, String> {
    let bad =
        || "error: health rpc probe failed: the response is not a HealthCheckResponse".to_string();
    let mut status = 0;
    while !msg.is_empty() {
        let key = take_varint(&mut msg).ok_or_else(bad)?;
        match (key >> 3, key & 7) {
            (1, 0) => status = take_varint(&mut msg).ok_or_else(bad)?,
            (_, 0) => {
                take_varint(&mut msg).ok_or_else(bad)?;
            }
            (_, 1) => msg = msg.get(8..).ok_or_else(bad)?,
            (_, 2) => {
                let len = take_varint(&mut msg).ok_or_else(bad)? as usize;
                msg = msg.get(len..).ok_or_else(bad)?;
            }
            (_, 5) => msg = msg.get(4..).ok_or_else(bad)?,
            _ => return Err(bad()),
        }
    }
    Ok(ServingStatus(status))
}

/// A gRPC message on the wire: not compressed (0), its length (big-endian u32), itself.
pub(super) fn frame(msg: &[u8]) -> Vec<u8> {
    let mut out = vec![0];
    out.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    out.extend_from_slice(msg);
    out
}

/// The message of the first frame in `data`.
pub(super) fn unframe(data: &[u8]) -> Result<&[u8], String> {
    let bad = |why: &str| format!("error: health rpc probe failed: {why}");
    match data {
        [] => Err(bad("the response has no message")),
        [1, ..] => Err(bad(
            "the response is compressed, which the probe did not ask for",
        )),
        [0, a, b, c, d, rest @ ..] => {
            let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
            rest.get(..len)
                .ok_or_else(|| bad("the response is cut short"))
        }
        _ => Err(bad("the response is cut short")),
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn take_varint(msg: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for (i, &byte) in msg.iter().enumerate().take(10) {
        n |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            *msg = &msg[i + 1..];
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_encode_the_service_name_and_leave_an_empty_one_out() {
        assert_eq!(encode_request(""), Vec::<u8>::new());
        assert_eq!(encode_request("db"), [0x0a, 2, b'd', b'b']);
        let long = "s".repeat(200);
        assert_eq!(&encode_request(&long)[..3], [0x0a, 0xc8, 0x01]);
        assert_eq!(frame(&[7, 8]), [0, 0, 0, 0, 2, 7, 8]);
    }

    #[test]
    fn responses_decode_to_their_status() {
        assert_eq!(decode_response(&[0x08, 0x01]), Ok(ServingStatus(1)));
        assert_eq!(
            decode_response(&[0x08, 0x02]).map(|s| s.name()),
            Ok("NOT_SERVING".into())
        );
        // proto3 leaves a zero status out: UNKNOWN.
        assert_eq!(decode_response(&[]), Ok(ServingStatus(0)));
        // An unknown field (2, length-delimited) before the status is skipped.
        assert_eq!(
            decode_response(&[0x12, 1, 0xff, 0x08, 0x01]),
            Ok(ServingStatus(1))
        );
        assert!(decode_response(&[0x08]).is_err());
        assert!(decode_response(&[0x12, 5, 1]).is_err());
    }

    #[test]
    fn frames_are_read_back_and_bad_ones_refused() {
        assert_eq!(
            unframe(&[0, 0, 0, 0, 2, 0x08, 0x01, 9]),
            Ok(&[0x08, 0x01][..])
        );
        assert!(unframe(&[]).unwrap_err().contains("no message"));
        assert!(unframe(&[0, 0, 0, 0, 3, 1])
            .unwrap_err()
            .contains("cut short"));
        assert!(unframe(&[1, 0, 0, 0, 0])
            .unwrap_err()
            .contains("compressed"));
    }

    #[test]
    fn statuses_read_as_the_kubelet_words_them() {
        let mut h = http::HeaderMap::new();
        assert_eq!(grpc_status(&h), Ok(()));
        h.insert("grpc-status", "0".parse().unwrap());
        assert_eq!(grpc_status(&h), Ok(()));
        h.insert("grpc-status", "5".parse().unwrap());
        h.insert("grpc-message", "unknown service".parse().unwrap());
        assert_eq!(
            grpc_status(&h),
            Err(
                "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"
                    .into()
            )
        );
        h.insert("grpc-status", "12".parse().unwrap());
        assert!(grpc_status(&h)
            .unwrap_err()
            .starts_with("this server does not implement the grpc health protocol"));
        assert_eq!(code_name("99"), "Code(99)");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
    }
}
