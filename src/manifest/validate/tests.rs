//! Unit tests of the name syntax and the small message helpers.

use super::and_list;
use super::names::*;
use super::ports::ips_overlap;
use std::net::IpAddr;

#[test]
fn dns_labels() {
    assert!(dns_label("web").is_ok());
    assert!(dns_label("web-1").is_ok());
    assert!(dns_label("1web").is_ok());
    assert_eq!(
        dns_label("Web").unwrap_err(),
        "it contains uppercase letters"
    );
    assert_eq!(dns_label("web_1").unwrap_err(), "it contains `_`");
    assert_eq!(
        dns_label("-web").unwrap_err(),
        "it must start and end with a lowercase letter or digit"
    );
    assert!(dns_label(&"a".repeat(63)).is_ok());
    assert!(dns_label(&"a".repeat(64)).is_err());
    assert!(dns_label("a.b").is_err());
}

#[test]
fn dns_subdomains() {
    assert!(dns_subdomain("blog").is_ok());
    assert!(dns_subdomain("blog.example-1.com").is_ok());
    assert!(dns_subdomain("blog..x").is_err());
    assert!(dns_subdomain("blog.").is_err());
    assert!(dns_subdomain(&"a".repeat(253)).is_ok());
    assert!(dns_subdomain(&"a".repeat(254)).is_err());
}

#[test]
fn label_syntax() {
    assert!(qualified_name("app").is_ok());
    assert!(qualified_name("app.kubernetes.io/name").is_ok());
    assert!(qualified_name("App_Name.x").is_ok());
    assert!(qualified_name("/x").is_err());
    assert!(qualified_name("a/b/c").is_err());
    assert!(qualified_name("Example.com/x").is_err());
    assert!(qualified_name("x-").is_err());
    assert!(label_value("").is_ok());
    assert!(label_value("v1.2_3-x").is_ok());
    assert!(label_value("has space").is_err());
    assert!(label_value(&"a".repeat(64)).is_err());
}

#[test]
fn iana_names() {
    assert!(iana_svc_name("http").is_ok());
    assert!(iana_svc_name("http-alt2").is_ok());
    assert!(iana_svc_name("8080").is_err());
    assert!(iana_svc_name("http--x").is_err());
    assert!(iana_svc_name("a-very-long-port-name").is_err());
    assert!(iana_svc_name("HTTP").is_err());
}

#[test]
fn http_header_names() {
    assert!(http_header_name("X-Probe-1").is_ok());
    assert_eq!(http_header_name("").unwrap_err(), "it is empty");
    assert_eq!(
        http_header_name("X Probe").unwrap_err(),
        "it contains a space"
    );
    assert_eq!(http_header_name("X:Y").unwrap_err(), "it contains `:`");
}

#[test]
fn and_lists() {
    let s = |v: &[&str]| and_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    assert_eq!(s(&[]), "");
    assert_eq!(s(&["a"]), "a");
    assert_eq!(s(&["a", "b"]), "a and b");
    assert_eq!(s(&["a", "b", "c"]), "a, b and c");
}

#[test]
fn sanitized_suggestions() {
    assert_eq!(sanitize("My_Web App", 63), "my-web-app");
    assert_eq!(sanitize("--x--", 63), "x");
    assert_eq!(label_hint("Web_1"), "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. `web-1`");
}

#[test]
fn ip_overlap() {
    let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
    assert!(ips_overlap(None, ip("127.0.0.1")));
    assert!(ips_overlap(ip("0.0.0.0"), ip("127.0.0.1")));
    assert!(!ips_overlap(ip("127.0.0.1"), ip("127.0.0.2")));
    assert!(!ips_overlap(ip("0.0.0.0"), ip("::")));
    assert!(ips_overlap(ip("::"), ip("::1")));
}
