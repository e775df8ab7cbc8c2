//! Rule 8: files of several documents: Pods, ConfigMaps and Secrets, names unique per kind,
//! references inside the file, Secret values never shown.

use super::*;

#[test]
fn rule8_a_file_holds_pods_config_maps_and_secrets() {
    let pod = spec_with("  volumes:\n    - {name: conf, configMap: {name: app, items: [{key: app.ini, path: app.ini}]}}\n    - {name: creds, secret: {secretName: db}}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      envFrom: [{configMapRef: {name: app}}, {secretRef: {name: db}}]\n      env:\n        - {name: U, valueFrom: {secretKeyRef: {name: db, key: user}}}\n        - {name: M, valueFrom: {configMapKeyRef: {name: app, key: MODE}}}\n",
    );
    // Empty documents (comments, stray separators) are skipped.
    let text = format!(
        "---\n# objects first\n---\n{}",
        docs(&[CONFIG_MAP, SECRET, &pod, ""])
    );
    let m = load_manifest_str(FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (m.pods.len(), m.config_maps.len(), m.secrets.len()),
        (1, 1, 1)
    );
    assert_eq!(m.config_map("app").unwrap().data["MODE"], "fast");
    assert_eq!(
        m.secret("db").unwrap().value("password"),
        Some(b"s3cr3t".to_vec())
    );
    assert_eq!(m.secret("app"), None);
    // The single-pod API still takes one document only.
    assert_eq!(
        only_error(&docs(&[CONFIG_MAP, &spec_with("")])).0,
        "5:1: multiple documents are not supported yet; put one Pod per file"
    );
}

#[test]
fn rule8_other_kinds_say_what_to_do() {
    let text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\nkind: Ingress\n---\nkind: configmap\napiVersion: v1\nmetadata: {name: c}\n---\napiVersion: v2\nkind: Secret\nmetadata: {name: s}\n";
    let err = load_manifest_str(FILE, text).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone()))
            .collect::<Vec<_>>(),
        [
            ("2:7: kind `Service` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Service, publish the ports it exposes with `hostPort` in the containers' `ports`, and remove the Service".to_string(), None),
            ("7:7: kind `Namespace` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; remove the Namespace: podc has no namespaces".to_string(), None),
            ("10:7: kind `Ingress` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; remove this document from the file".to_string(), None),
            ("12:7: kind `configmap` is not supported: podc runs Pods and the ConfigMaps and Secrets they use".to_string(), Some("did you mean `ConfigMap`?".to_string())),
            ("16:13: apiVersion `v2` is not supported: podc runs `apiVersion: v1` with `kind: Secret`".to_string(), Some("write `apiVersion: v1`".to_string())),
        ]
    );
    // A file of ConfigMaps only has nothing to run.
    assert_eq!(
        m_only_error(CONFIG_MAP),
        (
            "1:1: pods/t.yaml has no Pod: podc runs the Pods of a file, with the ConfigMaps and Secrets they use".to_string(),
            Some("add a document with `apiVersion: v1`, `kind: Pod`, `metadata` and `spec`".to_string())
        )
    );
    assert_eq!(
        m_errors(&docs(&[
            CONFIG_MAP,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndatta: {a: b}\n",
            &spec_with("")
        ])),
        ["9:1: unknown field `datta` at the top level of the ConfigMap"]
    );
}

#[test]
fn rule8_names_are_unique_per_kind_and_host_ports_across_pods() {
    let text = docs(&[CONFIG_MAP, CONFIG_MAP, &spec_with(""), &spec_with("")]);
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [
            (
                "8:18: duplicate ConfigMap `app`: the ConfigMap at line 3 has this name too"
                    .to_string(),
                "give each one its own name, or merge their keys into one".to_string()
            ),
            (
                "23:9: duplicate pod name `t`: the Pod at line 14 has it too".to_string(),
                "podc names containers after their pod: give every Pod in the file its own name"
                    .to_string()
            ),
        ]
    );
    // A ConfigMap and a Secret may share a name.
    let secret_app = SECRET.replace("name: db", "name: app");
    assert!(load_manifest_str(FILE, &docs(&[CONFIG_MAP, &secret_app, &spec_with("")])).is_ok());
    let a = pod_with("      ports: [{containerPort: 80, hostPort: 8080}]\n");
    let b = a.replace("name: t", "name: u");
    assert_eq!(
        m_errors(&docs(&[&a, &b])),
        ["19:45: hostPort 8080/TCP of container `web` in pod `u` is already claimed by container `web` in pod `t` (line 9): the pods of a file share one Docker Engine"]
    );
}

#[test]
fn rule8_references_must_be_in_the_file_unless_optional() {
    let pod = spec_with("  volumes:\n    - {name: conf, configMap: {name: ap, items: [{key: app.in, path: app.ini}]}}\n    - {name: creds, secret: {secretName: app}}\n    - {name: opt, secret: {secretName: gone, optional: true}}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      envFrom: [{configMapRef: {name: other}}, {secretRef: {name: gone, optional: true}}]\n      env:\n        - {name: U, valueFrom: {secretKeyRef: {name: db, key: usr}}}\n        - {name: M, valueFrom: {configMapKeyRef: {name: app, key: zzz}}}\n        - {name: O, valueFrom: {configMapKeyRef: {name: app, key: zzz, optional: true}}}\n",
    );
    let err = load_manifest_str(FILE, &docs(&[CONFIG_MAP, SECRET, &pod])).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [
            ("18:38: `spec.volumes[0].configMap.name` refers to ConfigMap `ap`, which is not in this file".to_string(), "did you mean `app`? (the file's ConfigMaps: `app`); otherwise add a ConfigMap named `ap` to the file (a document after `---`), or set `optional: true`".to_string()),
            ("19:42: `spec.volumes[1].secret.secretName` refers to Secret `app`, which is not in this file (there is a ConfigMap with that name)".to_string(), "the file's Secrets: `db`; add a Secret named `app` to the file (a document after `---`), or set `optional: true`".to_string()),
            ("24:39: `spec.containers[0].envFrom[0].configMapRef.name` refers to ConfigMap `other`, which is not in this file".to_string(), "the file's ConfigMaps: `app`; add a ConfigMap named `other` to the file (a document after `---`), or set `optional: true`".to_string()),
            ("26:63: `spec.containers[0].env[0].valueFrom.secretKeyRef.key` names key `usr`, which Secret `db` does not have".to_string(), "did you mean `user`? Otherwise set `optional: true`".to_string()),
            ("27:67: `spec.containers[0].env[1].valueFrom.configMapKeyRef.key` names key `zzz`, which ConfigMap `app` does not have".to_string(), "its keys: `MODE` and `app.ini`; add the key, or set `optional: true`".to_string()),
        ]
    );
    // A volume's items may name binaryData keys; the environment may not (as in Kubernetes).
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\nbinaryData: {logo.png: iVBORw0KGgo=}\n";
    let pod = spec_with("  volumes:\n    - {name: conf, configMap: {name: app, items: [{key: logo.png, path: logo.png}]}}\n");
    load_manifest_str(FILE, &docs(&[cm, &pod])).unwrap_or_else(|e| panic!("{e}"));
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  containers:\n    - name: web\n      image: nginx\n      env:\n        - {name: LOGO, valueFrom: {configMapKeyRef: {name: app, key: logo.png}}}\n";
    let err = load_manifest_str(FILE, &docs(&[cm, pod])).unwrap_err();
    assert_eq!(
        err.errors.iter().map(short).collect::<Vec<_>>(),
        ["15:70: `spec.containers[0].env[0].valueFrom.configMapKeyRef.key` names key `logo.png`, which ConfigMap `app` does not have"]
    );
    assert_eq!(err.errors[0].hint.as_deref(), Some("it is in `binaryData`, which only volumes read (as in Kubernetes): move it to `data`, or set `optional: true`"));
}

#[test]
fn rule8_config_map_and_secret_documents() {
    let text = docs(&[
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s3cr3t-holder}\ndata:\n  password: not base64!\n  pin: 123456\n  bad key: eA==\nstringData: {token: 987654}\ntype: kubernetes.io/basic-auth\n",
        &spec_with(""),
    ]);
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(|d| (short(d), d.hint.clone().unwrap_or_default())).collect::<Vec<_>>(),
        [
            ("5:13: `data.password` of Secret `s3cr3t-holder` is not valid base64: it has a character outside the base64 alphabet (A-Z, a-z, 0-9, +, /)".to_string(), "encode the value with `printf %s 'VALUE' | base64 -w0`, or put the plain value under `stringData`".to_string()),
            ("6:8: `data.pin` must be a string, found an integer (Secret values are never shown)".to_string(), "quote the value".to_string()),
            ("7:3: key `bad key` of Secret `s3cr3t-holder` is not valid: it contains a space".to_string(), "keys are letters, digits, '-', '_' and '.', e.g. `app.properties`".to_string()),
            ("8:21: `stringData.token` must be a string, found an integer (Secret values are never shown)".to_string(), "quote the value".to_string()),
        ]
    );
    let text = docs(&[
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {app: x}}\ndata: {a: b}\nbinaryData: {bin: AAEC}\nimmutable: true\n",
        &spec_with(""),
    ]);
    assert_eq!(m_warnings(&text), Vec::<String>::new());
    let text = docs(&[
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\nbinaryData: {a: AAEC, img: not base64!}\n",
        &spec_with(""),
    ]);
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(|d| (short(d), d.hint.clone().unwrap_or_default())).collect::<Vec<_>>(),
        [
            ("5:14: key `a` of ConfigMap `c` is in both `data` and `binaryData`".to_string(), "keep it in one of them".to_string()),
            ("5:28: `binaryData.img` of ConfigMap `c` is not valid base64: it has a character outside the base64 alphabet (A-Z, a-z, 0-9, +, /)".to_string(), "encode the file with `base64 -w0 FILE`".to_string()),
        ]
    );
}

#[test]
fn rule8_secret_values_never_appear_in_a_message() {
    let values = ["hunter2", "123456", "987654", "not base64!", "czNjcjN0"];
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: hunter2\n  b: 123456\n  c: [not base64!]\n  d: czNjcjN0\nstringData: {e: 987654, f: {x: hunter2}}\n";
    for text in [
        docs(&[secret, &spec_with("")]),
        docs(&[
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: hunter2\n",
            &spec_with(""),
        ]),
        docs(&[
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: 123456\n",
            &spec_with(""),
        ]),
    ] {
        let err = load_manifest_str(FILE, &text).unwrap_err();
        let report = check_str(FILE, &text);
        let shown = format!(
            "{err}\n{}\n{}",
            report.plain_lines().join("\n"),
            report.to_json()
        );
        for v in values {
            assert!(!shown.contains(v), "{v} shown in:\n{shown}");
        }
    }
    // The model's Debug output hides them too.
    let m = load_manifest_str(FILE, &docs(&[SECRET, &spec_with("")])).unwrap();
    let shown = format!("{m:?}");
    assert!(
        !shown.contains("czNjcjN0") && !shown.contains("admin"),
        "{shown}"
    );
}

#[test]
fn rule8_never_panics_on_mutated_multi_document_files() {
    let src = fixture("good/shop.yaml");
    let chars: Vec<char> = src.chars().collect();
    let mut rng = Rng(0x5eed_0000_beef_0042);
    for _ in 0..600 {
        let mut text = chars.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 => {
                    let piece =
                        ["---\n", ":", "- ", "{", "]", "\n  ", "~", "0x", "'", "*a"][rng.below(10)];
                    for (k, c) in piece.chars().enumerate() {
                        text.insert(at + k, c);
                    }
                }
                1 if at < text.len() => {
                    let end = (at + 1 + rng.below(8)).min(text.len());
                    text.drain(at..end);
                }
                _ if at < text.len() => text[at] = ' ',
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        let _ = load_manifest_str(FILE, &text);
        let _ = check_str(FILE, &text);
    }
}

#[test]
fn rule8_a_bad_multi_document_file_reports_everything_at_once() {
    let rel = "bad/multi-doc.yaml";
    let err = load_manifest_str(rel, &fixture(rel)).unwrap_err();
    let got: Vec<String> = err
        .errors
        .iter()
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "bad/multi-doc.yaml:3:7: kind `Deployment` is not supported: podc runs Pods and the ConfigMaps and Secrets they use; for a Deployment, run its spec.template as a Pod",
            "bad/multi-doc.yaml:16:13: `data.password` of Secret `db` is not valid base64: its length (line breaks aside) is not a multiple of 4",
            "bad/multi-doc.yaml:26:7: `spec.initContainers[0].ports`: init container `migrate` may not declare ports: Kubernetes allows ports only on sidecars (`restartPolicy: Always`), which keep running",
            "bad/multi-doc.yaml:33:43: `spec.containers[0].env[0].valueFrom.secretKeyRef.key` names key `pasword`, which Secret `db` does not have",
            "bad/multi-doc.yaml:38:25: `spec.volumes[0].configMap.name` refers to ConfigMap `web-config`, which is not in this file",
            "bad/multi-doc.yaml:43:9: duplicate pod name `web`: the Pod at line 21 has it too",
            "bad/multi-doc.yaml:50:11: `spec.containers[0].lifecycle.preStop.tcpSocket` is deprecated in Kubernetes and not supported by podc",
        ]
    );
    assert_eq!(
        err.errors[3].hint.as_deref(),
        Some("did you mean `password`? Otherwise set `optional: true`")
    );
    assert!(err
        .to_string()
        .ends_with("\n7 errors in bad/multi-doc.yaml"));
    assert!(!err.to_string().contains("s3cr3t"));
    assert_eq!(
        err.errors[4].hint.as_deref(),
        Some("the file has no ConfigMaps; add a ConfigMap named `web-config` to the file (a document after `---`), or set `optional: true`")
    );
}
