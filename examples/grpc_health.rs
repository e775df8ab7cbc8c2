//! A gRPC health server for podc's tests and examples (image `podc/grpc`, built by
//! images/build.sh):
//!
//!     grpc_health PORT [SERVICE=SERVING|NOT_SERVING]...
//!
//! serves `grpc.health.v1.Health/Check` on 0.0.0.0:PORT over HTTP/2 without TLS. The whole
//! server (service "") is SERVING unless an argument `=STATUS` says otherwise; a service it was
//! not told about gets NOT_FOUND, as grpc-go's health server answers. Every call is logged on
//! stdout with the service asked for and the caller's User-Agent; errors go to stderr.

use bytes::Bytes;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

const CHECK: &str = "/grpc.health.v1.Health/Check";

type Statuses = Arc<HashMap<String, u8>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(port) = args.first().and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("usage: grpc_health PORT [SERVICE=SERVING|NOT_SERVING]...");
        return ExitCode::from(2);
    };
    let mut statuses = HashMap::from([(String::new(), 1)]);
    for arg in &args[1..] {
        let status = match arg.split_once('=') {
            Some((service, "SERVING")) => (service, 1),
            Some((service, "NOT_SERVING")) => (service, 2),
            _ => {
                eprintln!("grpc_health: bad argument {arg:?}: want SERVICE=SERVING|NOT_SERVING");
                return ExitCode::from(2);
            }
        };
        statuses.insert(status.0.to_string(), status.1);
    }
    let listener = match TcpListener::bind(("0.0.0.0", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("grpc_health: cannot listen on port {port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("grpc_health: listening on port {port}");
    let statuses: Statuses = Arc::new(statuses);
    loop {
        match listener.accept().await {
            Ok((socket, _)) => {
                tokio::spawn(serve(socket, statuses.clone()));
            }
            Err(e) => eprintln!("grpc_health: accept: {e}"),
        }
    }
}

async fn serve(socket: TcpStream, statuses: Statuses) {
    let mut connection = match h2::server::handshake(socket).await {
        Ok(connection) => connection,
        Err(e) => return eprintln!("grpc_health: not an HTTP/2 client: {e}"),
    };
    while let Some(Ok((request, respond))) = connection.accept().await {
        tokio::spawn(answer(request, respond, statuses.clone()));
    }
}

async fn answer(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    statuses: Statuses,
) {
    let path = request.uri().path().to_string();
    let agent = request
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    let mut body = request.into_body();
    let mut data = Vec::new();
    while let Some(Ok(chunk)) = body.data().await {
        let _ = body.flow_control().release_capacity(chunk.len());
        data.extend_from_slice(&chunk);
    }
    let service = requested_service(&data);
    println!("grpc_health: {path} service={service:?} user-agent={agent}");
    let status = statuses.get(&service).copied();
    let (grpc_status, message) = match (path.as_str(), status) {
        (CHECK, Some(_)) => ("0", ""),
        (CHECK, None) => ("5", "unknown service"),
        _ => ("12", "unknown method"),
    };
    let head = http::Response::builder()
        .header("content-type", "application/grpc")
        .body(())
        .expect("a static response head");
    let Some(status) = status.filter(|_| grpc_status == "0") else {
        // Trailers-Only: the status in the headers, no body.
        let mut head = head;
        head.headers_mut()
            .insert("grpc-status", http::HeaderValue::from_static(grpc_status));
        head.headers_mut()
            .insert("grpc-message", http::HeaderValue::from_static(message));
        let _ = respond.send_response(head, true);
        return;
    };
    let Ok(mut stream) = respond.send_response(head, false) else {
        return;
    };
    // HealthCheckResponse { status = 1 }, framed: not compressed, length 2.
    let reply = Bytes::from(vec![0, 0, 0, 0, 2, 0x08, status]);
    let _ = stream.send_data(reply, false);
    let mut trailers = http::HeaderMap::new();
    trailers.insert("grpc-status", http::HeaderValue::from_static("0"));
    let _ = stream.send_trailers(trailers);
}

/// The `service` of a framed HealthCheckRequest (field 1; names under 128 bytes).
fn requested_service(data: &[u8]) -> String {
    match data.get(5..) {
        Some([0x0a, len, rest @ ..]) => {
            String::from_utf8_lossy(rest.get(..*len as usize).unwrap_or(rest)).into_owned()
        }
        _ => String::new(),
    }
}
