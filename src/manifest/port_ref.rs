//! Where a probe's or hook's `httpGet` / `tcpSocket` connects: the port (a number or a
//! container port's name) and the scheme.

use serde::{Deserialize, Serialize};

/// `httpGet.scheme` of a probe or hook. HTTPS speaks TLS and, as the kubelet does, does not
/// verify the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Scheme {
    #[default]
    Http,
    Https,
}

impl Scheme {
    /// The default, left out when a spec is written (so an HTTP probe's spec, and the pod's
    /// config hash, stay what they were before HTTPS existed).
    pub fn is_http(&self) -> bool {
        *self == Scheme::Http
    }
}

/// A probe's `port`: a number, or the `name` of one of the same container's `ports`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum PortRef {
    Number(u16),
    Name(String),
}
