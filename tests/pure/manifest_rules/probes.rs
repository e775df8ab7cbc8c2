//! Rule 7: restartPolicy and probes, as Kubernetes defines and validates them.

use super::*;

fn restart_policy_pod(value: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: t}}\nspec:\n  restartPolicy: {value}\n  containers: [{{name: a, image: b}}]\n")
}

fn tcp(port: PortRef) -> ProbeHandler {
    ProbeHandler::TcpSocket { port, host: None }
}

#[test]
fn rule7_probes_fixture_yields_every_handler_with_defaults_filled() {
    let loaded = load_fixture("good/probes.yaml").unwrap_or_else(|e| panic!("{e}"));
    // Every handler, gRPC included, is run: nothing to warn about.
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}:{}: {}", w.line, w.column, w.message))
        .collect();
    assert_eq!(warnings, Vec::<String>::new());
    let web = Container {
        name: "web".into(),
        image: "podc/nginx:latest".into(),
        ports: vec![ContainerPort {
            container_port: 80,
            name: Some("http".into()),
            ..ContainerPort::default()
        }],
        startup_probe: Some(Probe {
            period_seconds: 2,
            failure_threshold: 30,
            ..Probe::new(ProbeHandler::Exec {
                command: vec!["cat".into(), "/tmp/started".into()],
            })
        }),
        liveness_probe: Some(Probe {
            handler: ProbeHandler::HttpGet {
                path: "/healthz".into(),
                port: PortRef::Name("http".into()),
                host: None,
                headers: vec![
                    ("X-Probe".into(), "liveness".into()),
                    ("X-Empty".into(), "".into()),
                ],
                scheme: Scheme::Http,
            },
            initial_delay_seconds: 5,
            period_seconds: 10,
            timeout_seconds: 2,
            success_threshold: 1,
            failure_threshold: 3,
        }),
        readiness_probe: Some(Probe {
            success_threshold: 2,
            ..Probe::new(tcp(PortRef::Number(80)))
        }),
        ..Container::default()
    };
    let api = Container {
        name: "api".into(),
        image: "podc/blog:latest".into(),
        ports: vec![ContainerPort {
            container_port: 9000,
            ..ContainerPort::default()
        }],
        // `periodSeconds: 0` is Kubernetes' "not set": the default 10.
        liveness_probe: Some(Probe::new(ProbeHandler::Grpc {
            port: 9000,
            service: Some("health".into()),
        })),
        readiness_probe: Some(Probe::new(ProbeHandler::HttpGet {
            path: "/".into(),
            port: PortRef::Number(9000),
            host: Some("127.0.0.1".into()),
            headers: vec![],
            scheme: Scheme::Http,
        })),
        ..Container::default()
    };
    let expected = Pod {
        metadata: Metadata {
            name: "probed".into(),
            ..Metadata::default()
        },
        spec: PodSpec {
            containers: vec![web, api],
            restart_policy: RestartPolicy::OnFailure,
            ..PodSpec::default()
        },
    };
    assert_eq!(loaded.pod, expected);
    let web = &loaded.pod.spec.containers[0];
    let ProbeHandler::HttpGet { port, .. } = &web.liveness_probe.as_ref().unwrap().handler else {
        panic!("httpGet");
    };
    assert_eq!(port.resolve_port(web), Some(80));
}

#[test]
fn rule7_probe_defaults_are_kubernetes_defaults() {
    let p = Probe::new(tcp(PortRef::Number(80)));
    assert_eq!(
        (
            p.initial_delay_seconds,
            p.period_seconds,
            p.timeout_seconds,
            p.success_threshold,
            p.failure_threshold
        ),
        (0, 10, 1, 1, 3)
    );
    // A 0 is "not set" in Kubernetes: it takes the default.
    let text = pod_with("      readinessProbe:\n        tcpSocket: {port: 80}\n        initialDelaySeconds: 0\n        periodSeconds: 0\n        timeoutSeconds: 0\n        successThreshold: 0\n        failureThreshold: 0\n");
    let pod = load_str(FILE, &text).unwrap().pod;
    assert_eq!(pod.spec.containers[0].readiness_probe, Some(p));
}

#[test]
fn rule7_restart_policy_is_applied_and_defaults_to_always() {
    for (value, policy) in [
        ("Always", RestartPolicy::Always),
        ("OnFailure", RestartPolicy::OnFailure),
        ("Never", RestartPolicy::Never),
    ] {
        let loaded = load_str(FILE, &restart_policy_pod(value)).unwrap();
        assert_eq!(loaded.warnings, vec![], "{value}");
        assert_eq!(loaded.pod.spec.restart_policy, policy);
    }
    let pod = load_str(FILE, &fixture("good/blog.yaml")).unwrap().pod;
    assert_eq!(pod.spec.restart_policy, RestartPolicy::Always);
    assert_eq!(RestartPolicy::default(), RestartPolicy::Always);
}

#[test]
fn rule7_restart_policy_other_values_are_errors_with_the_valid_ones() {
    assert_eq!(
        only_error(&restart_policy_pod("Sometimes")),
        (
            "5:18: `spec.restartPolicy` must be one of Always, OnFailure, Never; found string \"Sometimes\"".to_string(),
            None
        )
    );
    assert_eq!(
        only_error(&restart_policy_pod("onFailure")),
        (
            "5:18: `spec.restartPolicy` must be one of Always, OnFailure, Never; found string \"onFailure\"".to_string(),
            Some("did you mean `OnFailure`?".to_string())
        )
    );
    assert_eq!(
        only_error(&restart_policy_pod("1")).0,
        "5:18: `spec.restartPolicy` must be one of Always, OnFailure, Never; found integer `1`"
    );
}

#[test]
fn rule7_probes_are_supported_without_warnings() {
    let text = pod_with("      livenessProbe:\n        exec: {command: [\"true\"]}\n      readinessProbe:\n        httpGet: {path: /ready, port: 80}\n      startupProbe:\n        tcpSocket: {port: 80}\n");
    assert_eq!(warnings(&text), Vec::<String>::new());
    // Null is "no probe", as in Kubernetes.
    let pod = load_str(FILE, &pod_with("      livenessProbe:\n"))
        .unwrap()
        .pod;
    assert_eq!(pod.spec.containers[0].liveness_probe, None);
}

#[test]
fn rule7_a_probe_needs_a_handler() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        periodSeconds: 5\n",
    ));
    assert_eq!(e, "9:7: `spec.containers[0].livenessProbe` in container `web` has no handler: a probe needs exactly one of `exec`, `httpGet`, `tcpSocket` or `grpc`");
    assert_eq!(hint.as_deref(), Some("e.g. `httpGet: {path: /, port: 80}`"));
    let (e, _) = only_error(&pod_with("      startupProbe: {}\n"));
    assert_eq!(e, "9:7: `spec.containers[0].startupProbe` in container `web` has no handler: a probe needs exactly one of `exec`, `httpGet`, `tcpSocket` or `grpc`");
}

#[test]
fn rule7_a_probe_has_exactly_one_handler() {
    let (e, hint) = only_error(&pod_with("      readinessProbe:\n        exec: {command: [\"true\"]}\n        tcpSocket: {port: 80}\n"));
    assert_eq!(e, "9:7: `spec.containers[0].readinessProbe` in container `web` has 2 handlers, `exec` and `tcpSocket`: a probe needs exactly one");
    assert_eq!(
        hint.as_deref(),
        Some("keep one of them; use another probe kind for another check")
    );
    let (e, _) = only_error(&pod_with("      readinessProbe:\n        exec: {command: [\"true\"]}\n        httpGet: {port: 80}\n        grpc: {port: 80}\n"));
    assert_eq!(e, "9:7: `spec.containers[0].readinessProbe` in container `web` has 3 handlers, `exec`, `httpGet` and `grpc`: a probe needs exactly one");
    // A handler set to null is not set.
    let text = pod_with("      readinessProbe:\n        exec:\n        tcpSocket: {port: 80}\n");
    let pod = load_str(FILE, &text).unwrap().pod;
    assert_eq!(
        pod.spec.containers[0].readiness_probe,
        Some(Probe::new(tcp(PortRef::Number(80))))
    );
}

#[test]
fn rule7_exec_needs_a_command() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        exec: {command: []}\n",
    ));
    assert_eq!(e, "10:25: `spec.containers[0].livenessProbe.exec.command` is empty: an exec probe needs a command to run");
    assert_eq!(hint.as_deref(), Some("e.g. `command: [cat, /tmp/healthy]`"));
    let (e, _) = only_error(&pod_with("      livenessProbe:\n        exec: {}\n"));
    assert_eq!(
        e,
        "10:15: missing required field `spec.containers[0].livenessProbe.exec.command`"
    );
}

#[test]
fn rule7_probe_schemes_are_http_or_https_in_capitals() {
    let text = pod_with("      livenessProbe:\n        httpGet: {port: 80, scheme: HTTPS}\n");
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let probe = pod.spec.containers[0].liveness_probe.clone().unwrap();
    assert!(
        matches!(
            probe.handler,
            ProbeHandler::HttpGet {
                scheme: Scheme::Https,
                ..
            }
        ),
        "{probe:?}"
    );
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: 80, scheme: http}\n",
    ));
    assert_eq!(e, "10:37: `spec.containers[0].livenessProbe.httpGet.scheme` must be one of HTTP, HTTPS; found string \"http\"");
    assert_eq!(hint.as_deref(), Some("did you mean `HTTP`?"));
}

#[test]
fn rule7_a_named_port_must_be_a_port_of_the_same_container() {
    let (e, hint) = only_error(&pod_with("      ports:\n        - {name: http, containerPort: 80}\n        - {name: admin, containerPort: 81}\n      livenessProbe:\n        httpGet: {port: metrics}\n"));
    assert_eq!(e, "13:25: `spec.containers[0].livenessProbe.httpGet.port` names the port `metrics`, but container `web` has no port with that name");
    assert_eq!(
        hint.as_deref(),
        Some("the ports of container `web` are named `http` and `admin`")
    );
    // Another container's port name does not count.
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: a\n      image: b\n      ports: [{name: http, containerPort: 80}]\n    - name: c\n      image: d\n      readinessProbe:\n        tcpSocket: {port: http}\n";
    let (e, hint) = only_error(text);
    assert_eq!(e, "12:27: `spec.containers[1].readinessProbe.tcpSocket.port` names the port `http`, but container `c` has no port with that name");
    assert_eq!(hint.as_deref(), Some("container `c` has no named ports: add `name: http` to one of its `ports`, or write the port number"));
}

#[test]
fn rule7_probe_ports_are_numbers_in_range_or_valid_names() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {port: 70000}\n",
    ));
    assert_eq!(e, "10:27: `spec.containers[0].livenessProbe.tcpSocket.port` 70000 in container `web` is out of range 1..65535");
    assert_eq!(hint.as_deref(), Some("ports are 1 to 65535"));
    let (e, _) = only_error(&pod_with("      livenessProbe:\n        grpc: {port: 0}\n"));
    assert_eq!(e, "10:22: `spec.containers[0].livenessProbe.grpc.port` 0 in container `web` is out of range 1..65535");
    let (e, _) = only_error(&pod_with(
        "      livenessProbe:\n        grpc: {port: grpc}\n",
    ));
    assert_eq!(e, "10:22: `spec.containers[0].livenessProbe.grpc.port` must be an integer, found string \"grpc\"");
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {port: \"8080\"}\n",
    ));
    assert_eq!(e, "10:27: `spec.containers[0].livenessProbe.tcpSocket.port` `8080` in container `web` is neither a port number nor a valid port name: it must contain at least one letter");
    assert_eq!(hint.as_deref(), Some("remove the quotes: `port: 8080`"));
    let (e, _) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: Http_Port}\n",
    ));
    assert_eq!(e, "10:25: `spec.containers[0].livenessProbe.httpGet.port` `Http_Port` in container `web` is neither a port number nor a valid port name: it contains uppercase letters");
    let (e, _) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {port: true}\n",
    ));
    assert_eq!(e, "10:25: `spec.containers[0].livenessProbe.httpGet.port` must be a port number or a port name, found boolean `true`");
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        httpGet: {path: /}\n",
    ));
    assert_eq!(
        e,
        "10:18: missing required field `spec.containers[0].livenessProbe.httpGet.port`"
    );
    assert_eq!(
        hint.as_deref(),
        Some("add `port:` with the port number or the name of one of the container's ports")
    );
}

#[test]
fn rule7_resolve_port_looks_names_up_in_the_container() {
    let c = Container {
        ports: vec![
            ContainerPort {
                container_port: 8080,
                name: Some("http".into()),
                ..ContainerPort::default()
            },
            ContainerPort {
                container_port: 9090,
                ..ContainerPort::default()
            },
        ],
        ..Container::default()
    };
    assert_eq!(PortRef::Number(81).resolve_port(&c), Some(81));
    assert_eq!(PortRef::Name("http".into()).resolve_port(&c), Some(8080));
    assert_eq!(PortRef::Name("admin".into()).resolve_port(&c), None);
}

#[test]
fn rule7_liveness_and_startup_success_threshold_must_be_1() {
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {port: 80}\n        successThreshold: 2\n",
    ));
    assert_eq!(e, "11:27: `spec.containers[0].livenessProbe.successThreshold` must be 1 for a liveness probe, found 2");
    assert_eq!(
        hint.as_deref(),
        Some("remove it: a liveness probe passes on one success")
    );
    let (e, _) = only_error(&pod_with(
        "      startupProbe:\n        tcpSocket: {port: 80}\n        successThreshold: 3\n",
    ));
    assert_eq!(e, "11:27: `spec.containers[0].startupProbe.successThreshold` must be 1 for a startup probe, found 3");
    let text = pod_with(
        "      readinessProbe:\n        tcpSocket: {port: 80}\n        successThreshold: 3\n",
    );
    let probe = load_str(FILE, &text).unwrap().pod.spec.containers[0]
        .readiness_probe
        .clone();
    assert_eq!(probe.map(|p| p.success_threshold), Some(3));
}

#[test]
fn rule7_negative_probe_numbers_are_errors() {
    let text = pod_with("      readinessProbe:\n        tcpSocket: {port: 80}\n        initialDelaySeconds: -1\n        periodSeconds: -10\n        timeoutSeconds: -1\n        successThreshold: -1\n        failureThreshold: -3\n");
    assert_eq!(
        errors(&text),
        [
            "11:30: `spec.containers[0].readinessProbe.initialDelaySeconds` must be 0 or more, found -1",
            "12:24: `spec.containers[0].readinessProbe.periodSeconds` must be 0 or more, found -10",
            "13:25: `spec.containers[0].readinessProbe.timeoutSeconds` must be 0 or more, found -1",
            "14:27: `spec.containers[0].readinessProbe.successThreshold` must be 0 or more, found -1",
            "15:27: `spec.containers[0].readinessProbe.failureThreshold` must be 0 or more, found -3",
        ]
    );
    let (e, _) = only_error(&pod_with(
        "      readinessProbe:\n        tcpSocket: {port: 80}\n        periodSeconds: 2147483648\n",
    ));
    assert_eq!(e, "11:24: `spec.containers[0].readinessProbe.periodSeconds` must be 2147483647 or less, found 2147483648");
}

#[test]
fn rule7_probe_typos_get_the_closest_field() {
    let text = pod_with("      livenessProbe:\n        initialDelaySecond: 5\n        httpGet: {paht: /, port: 80, httpHeaders: [{nme: X, value: y}]}\n      readinessProbe:\n        exec: {commnd: [x], command: [y]}\n      startupProbe:\n        grpc: {port: 80, servce: x}\n");
    let err = load_str(FILE, &text).unwrap_err();
    let got: Vec<(String, Option<String>)> = err
        .errors
        .iter()
        .map(|d| (short(d), d.hint.clone()))
        .collect();
    let did_you_mean = |s: &str| Some(format!("did you mean `{s}`?"));
    assert_eq!(
        got,
        [
            (
                "10:9: unknown field `initialDelaySecond` in spec.containers[0].livenessProbe"
                    .to_string(),
                did_you_mean("initialDelaySeconds")
            ),
            (
                "11:19: unknown field `paht` in spec.containers[0].livenessProbe.httpGet"
                    .to_string(),
                did_you_mean("path")
            ),
            (
                "11:53: unknown field `nme` in spec.containers[0].livenessProbe.httpGet.httpHeaders[0]"
                    .to_string(),
                did_you_mean("name")
            ),
            (
                "13:16: unknown field `commnd` in spec.containers[0].readinessProbe.exec"
                    .to_string(),
                did_you_mean("command")
            ),
            (
                "15:26: unknown field `servce` in spec.containers[0].startupProbe.grpc"
                    .to_string(),
                did_you_mean("service")
            ),
        ]
    );
    let (e, hint) = only_error(&pod_with(
        "      livenessProbe:\n        tcpSocket: {prot: 80, port: 80}\n",
    ));
    assert_eq!(
        e,
        "10:21: unknown field `prot` in spec.containers[0].livenessProbe.tcpSocket"
    );
    assert_eq!(hint, did_you_mean("port"));
    let (e, hint) = only_error(&pod_with(
        "      livenesProbe:\n        tcpSocket: {port: 80}\n",
    ));
    assert_eq!(e, "9:7: unknown field `livenesProbe` in spec.containers[0]");
    assert_eq!(hint, did_you_mean("livenessProbe"));
}

#[test]
fn rule7_probe_termination_grace_period_warns_and_is_refused_for_readiness() {
    let text = pod_with("      livenessProbe:\n        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 5\n");
    assert_eq!(
        warnings(&text),
        ["11:9: `spec.containers[0].livenessProbe.terminationGracePeriodSeconds` is not supported yet by podc and is ignored"]
    );
    let (e, hint) = only_error(&pod_with("      readinessProbe:\n        tcpSocket: {port: 80}\n        terminationGracePeriodSeconds: 5\n"));
    assert_eq!(e, "11:9: `spec.containers[0].readinessProbe.terminationGracePeriodSeconds` must not be set for a readiness probe: a failing readiness probe never kills the container");
    assert_eq!(hint.as_deref(), Some("remove it"));
}

#[test]
fn rule7_http_header_names_are_checked() {
    let text = pod_with("      livenessProbe:\n        httpGet:\n          port: 80\n          httpHeaders:\n            - name: X Probe\n              value: a\n            - name: \"\"\n");
    assert_eq!(
        errors(&text),
        [
            "13:21: `spec.containers[0].livenessProbe.httpGet.httpHeaders[0].name` `X Probe` is not a valid HTTP header name: it contains a space",
            "15:15: `spec.containers[0].livenessProbe.httpGet.httpHeaders[1].name` `` is not a valid HTTP header name: it is empty",
        ]
    );
}

#[test]
fn rule7_a_pod_survives_a_json_round_trip() {
    for rel in ["good/probes.yaml", "good/full.yaml", "good/blog.yaml"] {
        let pod = load_fixture(rel).unwrap().pod;
        let json = serde_json::to_string(&pod).unwrap();
        let back: Pod =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{rel}: {e}\n{json}"));
        assert_eq!(back, pod, "{rel}");
    }
}
