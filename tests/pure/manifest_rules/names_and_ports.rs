//! Rule 5: names, ports, labels and paths, as Kubernetes validates them.

use super::*;

fn meta_pod(meta_lines: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n{meta_lines}spec:\n  containers: [{{name: a, image: b}}]\n")
}

#[test]
fn rule5_pod_name_is_a_dns_subdomain() {
    assert!(load_str(FILE, &meta_pod("  name: blog.example-1\n")).is_ok());
    let (e, hint) = only_error(&meta_pod("  name: My_Blog\n"));
    assert_eq!(
        e,
        "4:9: pod name `My_Blog` is not a valid DNS-1123 subdomain: it contains uppercase letters"
    );
    assert_eq!(hint.as_deref(), Some("use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. `my-blog`"));
    let (e, _) = only_error(&meta_pod("  name: blog_1\n"));
    assert_eq!(
        e,
        "4:9: pod name `blog_1` is not a valid DNS-1123 subdomain: it contains `_`"
    );
    let (e, _) = only_error(&meta_pod("  name: \"\"\n"));
    assert_eq!(
        e,
        "4:3: pod name `` is not a valid DNS-1123 subdomain: it is empty"
    );
    let long = "a".repeat(254);
    let (e, _) = only_error(&meta_pod(&format!("  name: {long}\n")));
    assert_eq!(e, format!("4:9: pod name `{}...` is not a valid DNS-1123 subdomain: it is 254 characters long, the limit is 253", &long[..60]));
}

#[test]
fn rule5_hostname_is_a_dns_label() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  hostname: web.local\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:13: `spec.hostname` `web.local` is not a valid DNS-1123 label: it contains `.`"
    );
}

#[test]
fn rule5_container_names_are_dns_labels() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: Web_Server\n      image: b\n";
    assert_eq!(
        only_error(text),
        (
            "6:13: container name `Web_Server` is not a valid DNS-1123 label: it contains uppercase letters".to_string(),
            Some("use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. `web-server`".to_string())
        )
    );
    let long = "a".repeat(64);
    let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: t}}\nspec:\n  containers:\n    - name: {long}\n      image: b\n");
    assert_eq!(
        only_error(&text).0,
        format!("6:13: container name `{}...` is not a valid DNS-1123 label: it is 64 characters long, the limit is 63", &long[..60])
    );
}

#[test]
fn rule5_duplicate_container_names() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: web\n      image: a\n    - name: web\n      image: b\n";
    assert_eq!(
        only_error(text),
        (
            "8:13: duplicate container name `web`: line 6 already uses it".to_string(),
            Some("give every container in the pod its own name".to_string())
        )
    );
}

#[test]
fn rule5_port_ranges() {
    let (e, _) = only_error(&pod_with("      ports:\n        - containerPort: 0\n"));
    assert_eq!(e, "10:26: `spec.containers[0].ports[0].containerPort` 0 in container `web` is out of range 1..65535");
    let (e, hint) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n          hostPort: 65536\n",
    ));
    assert_eq!(e, "11:21: `spec.containers[0].ports[0].hostPort` 65536 in container `web` is out of range 1..65535");
    assert_eq!(hint.as_deref(), Some("ports are 1 to 65535"));
}

#[test]
fn rule5_host_port_conflicts_name_both_containers() {
    let err = load_fixture("bad/port-conflicts.yaml").unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "19:17: port name `http` in container `admin` is already used by container `web` (line 10): port names must be unique in the pod",
            "20:26: containerPort 80/TCP is declared by both container `web` (line 11) and container `admin`: containers in a pod share one network namespace, so only one of them can listen on it",
            // 0.0.0.0 overlaps 127.0.0.1; 8080/UDP does not clash with 8080/TCP.
            "22:21: hostPort 8443/TCP of container `admin` is already claimed by container `web` (line 14)",
        ]
    );
    // hostIP unset overlaps any hostIP; the same container twice is named once.
    let (e, _) = only_error(&pod_with("      ports:\n        - containerPort: 80\n          hostPort: 8080\n        - containerPort: 81\n          hostPort: 8080\n          hostIP: 127.0.0.1\n"));
    assert_eq!(
        e,
        "13:21: hostPort 8080/TCP is claimed twice by container `web` (first at line 11)"
    );
    // Different addresses do not clash.
    assert!(load_str(FILE, &pod_with("      ports:\n        - containerPort: 80\n          hostPort: 8080\n          hostIP: 127.0.0.1\n        - containerPort: 81\n          hostPort: 8080\n          hostIP: 127.0.0.2\n")).is_ok());
}

#[test]
fn rule5_same_container_port_twice_in_one_container() {
    let (e, hint) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n        - containerPort: 80\n",
    ));
    assert_eq!(
        e,
        "11:26: containerPort 80/TCP is declared twice by container `web` (first at line 10)"
    );
    assert_eq!(hint.as_deref(), Some("remove the duplicate entry"));
    // Publishing one port on two host ports is fine; TCP and UDP are different ports.
    assert!(load_str(FILE, &pod_with("      ports:\n        - {containerPort: 80, hostPort: 8080}\n        - {containerPort: 80, hostPort: 8081}\n        - {containerPort: 80, protocol: UDP}\n")).is_ok());
}

#[test]
fn rule5_host_ip_is_an_address() {
    let (e, hint) = only_error(&pod_with("      ports:\n        - containerPort: 80\n          hostPort: 8080\n          hostIP: localhost\n"));
    assert_eq!(
        e,
        "12:19: `spec.containers[0].ports[0].hostIP` `localhost` is not an IP address"
    );
    assert_eq!(
        hint.as_deref(),
        Some("write an address such as `127.0.0.1`, `0.0.0.0` or `::1` (names are not resolved)")
    );
    assert_eq!(
        warnings(&pod_with("      ports:\n        - containerPort: 80\n          hostIP: 127.0.0.1\n")),
        ["11:11: `spec.containers[0].ports[0].hostIP` has no effect without a `hostPort` and is ignored"]
    );
}

#[test]
fn rule5_duplicate_env_names_warn() {
    let text = pod_with("      env:\n        - name: MODE\n          value: a\n        - name: MODE\n          value: b\n");
    assert_eq!(
        warnings(&text),
        ["12:17: environment variable `MODE` is set twice in container `web` (first at line 10); the last one wins"]
    );
    let env = &load_str(FILE, &text).unwrap().pod.spec.containers[0].env;
    assert_eq!(env.len(), 2);
}

#[test]
fn rule5_port_names() {
    let (e, _) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n          name: Http_Port\n",
    ));
    assert_eq!(e, "11:17: port name `Http_Port` in container `web` is not a valid IANA service name: it contains uppercase letters");
    let (e, _) = only_error(&pod_with(
        "      ports:\n        - containerPort: 80\n          name: a-very-long-port-name\n",
    ));
    assert_eq!(e, "11:17: port name `a-very-long-port-name` in container `web` is not a valid IANA service name: it is 21 characters long, the limit is 15");
    let (e, _) = only_error(&pod_with("      ports:\n        - {containerPort: 80, name: web}\n        - {containerPort: 81, name: web}\n"));
    assert_eq!(e, "11:37: port name `web` in container `web` is already used by container `web` (line 10): port names must be unique in the pod");
}

#[test]
fn rule5_label_syntax() {
    let text = meta_pod(
        "  name: t\n  labels:\n    \"bad key\": x\n    app: \"has spaces\"\n    Example.com/x: y\n",
    );
    assert_eq!(
        errors(&text),
        [
            "6:5: label key `bad key` is not valid: its name part contains a space",
            "7:10: label `app` value `has spaces` contains a space",
            "8:5: label key `Example.com/x` is not valid: its prefix `Example.com` is not a DNS subdomain: it contains uppercase letters",
        ]
    );
}

#[test]
fn rule5_podc_label_keys_are_reserved() {
    let text =
        meta_pod("  name: t\n  labels:\n    io.podc.pod: x\n  annotations:\n    io.podc.hash: y\n");
    assert_eq!(
        errors(&text),
        [
            "6:5: label key `io.podc.pod` is reserved: podc uses `io.podc.*` keys to track the containers it creates",
            "8:5: annotation key `io.podc.hash` is reserved: podc uses `io.podc.*` keys to track the containers it creates",
        ]
    );
}

#[test]
fn rule5_working_dir_is_absolute() {
    let (e, hint) = only_error(&pod_with("      workingDir: app\n"));
    assert_eq!(e, "9:19: `spec.containers[0].workingDir` `app` must be an absolute path (Docker refuses others)");
    assert_eq!(hint.as_deref(), Some("e.g. `workingDir: /app`"));
}
