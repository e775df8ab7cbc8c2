//! Rule 8: volumes and their mounts, risky host paths, file modes.

use super::*;

#[test]
fn rule8_volumes() {
    let text = spec_with("  volumes:\n    - name: Data\n      emptyDir: {}\n    - name: cache\n      emptyDir: {}\n    - name: cache\n      emptyDir: {}\n    - name: none\n    - name: two\n      emptyDir: {}\n      hostPath: {path: /tmp}\n    - name: nfs\n      nfs: {server: x, path: /}\n");
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors.iter().map(short).collect::<Vec<_>>(),
        [
            "7:13: volume name `Data` is not a valid DNS-1123 label: it contains uppercase letters",
            "11:13: duplicate volume name `cache`: line 9 already uses it",
            "13:7: volume `none` has no source: a volume needs exactly one",
            "14:7: volume `two` has 2 sources, `emptyDir` and `hostPath`: a volume needs exactly one",
            "18:7: volume source `nfs` is not supported by podc",
        ]
    );
    assert_eq!(
        err.errors[4].hint.as_deref(),
        Some(
            "podc supports emptyDir, hostPath, configMap, secret and persistentVolumeClaim volumes"
        )
    );
    let text = spec_with("  volumes:\n    - name: a\n      emptyDir: {medium: HugePages, sizeLimit: 1XB}\n    - name: b\n      emptyDir: {medium: memory}\n    - name: c\n      hostPath: {path: data, type: Dir}\n    - name: f\n      hostPath: {path: /tmp/../etc}\n    - {name: g, persistentVolumeClaim: {claimName: My_Claim}}\n");
    assert_eq!(
        m_errors(&text),
        [
            "8:26: `spec.volumes[0].emptyDir.medium`: HugePages is not supported by podc: Docker has no huge-page volumes",
            "8:48: `spec.volumes[0].emptyDir.sizeLimit` `1XB` is not a Kubernetes quantity: unknown suffix `XB` (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)",
            "10:26: `spec.volumes[1].emptyDir.medium` must be one of \"\", Memory; found string \"memory\"",
            "12:24: `spec.volumes[2].hostPath.path` `data` must be an absolute path",
            "12:36: `spec.volumes[2].hostPath.type` must be one of \"\", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice; found string \"Dir\"",
            "14:24: `spec.volumes[3].hostPath.path` `/tmp/../etc` must not contain `..`",
            "15:52: `spec.volumes[4].persistentVolumeClaim.claimName` `My_Claim` is not a valid claim name: it contains uppercase letters",
        ]
    );
    let text = docs(&[CONFIG_MAP, &spec_with("  volumes:\n    - {name: conf, configMap: {name: app, items: [{key: MODE, path: /abs}, {key: app.ini, path: ../up, mode: 0999}], defaultMode: 1000}}\n")]);
    assert_eq!(
        m_errors(&text),
        [
            "12:69: `spec.volumes[0].configMap.items[0].path` `/abs` must be a relative path",
            "12:97: `spec.volumes[0].configMap.items[1].path` `../up` must not contain `..`",
            "12:110: `spec.volumes[0].configMap.items[1].mode` must be a file mode from 0 to 0777, found string \"0999\"",
            "12:131: `spec.volumes[0].configMap.defaultMode` 1000 is not a file mode: it must be from 0 to 0777 (511)",
        ]
    );
}

#[test]
fn rule8_the_clusters_api_access_volume_is_left_out_with_its_mounts() {
    // As `kubectl get pod -o yaml` shows it, on an app container and an init container.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  initContainers:\n    - name: setup\n      image: busybox\n      volumeMounts:\n        - {name: kube-api-access-x7k2p, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}\n  containers:\n    - name: web\n      image: nginx\n      volumeMounts:\n        - {name: data, mountPath: /data}\n        - {name: kube-api-access-x7k2p, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}\n  volumes:\n    - name: data\n      emptyDir: {}\n    - name: kube-api-access-x7k2p\n      projected:\n        defaultMode: 420\n        sources:\n          - serviceAccountToken: {expirationSeconds: 3607, path: token}\n          - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}\n          - downwardAPI: {items: [{path: namespace, fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}}]}\n";
    let loaded = load_manifest_str(FILE, text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.warnings.iter().map(short).collect::<Vec<_>>(),
        ["21:7: `spec.volumes[1].projected` is left out, with its volumeMounts: its service account token is for a cluster's API server, and podc has none"]
    );
    let spec = &loaded.pods[0].spec;
    let volumes: Vec<&str> = spec.volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(volumes, ["data"]);
    let mounts: Vec<&str> = spec.containers[0]
        .volume_mounts
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(mounts, ["data"]);
    assert!(spec.init_containers[0].volume_mounts.is_empty());

    // Anything else projected would be missing from the pod: refused.
    let text = spec_with("  volumes:\n    - name: bundle\n      projected:\n        sources:\n          - configMap: {name: app}\n");
    let (error, hint) = only_error(&text);
    assert_eq!(
        error,
        "8:7: `spec.volumes[0].projected` without a serviceAccountToken source is not supported by podc"
    );
    assert_eq!(
        hint.as_deref(),
        Some("write its ConfigMap and Secret sources as configMap and secret volumes")
    );
}

#[test]
fn rule8_volume_mounts() {
    let text = spec_with("  volumes:\n    - {name: data, emptyDir: {}}\n    - {name: conf, emptyDir: {}}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      volumeMounts:\n        - {name: dta, mountPath: /data}\n        - {name: data, mountPath: data}\n        - {name: data, mountPath: /srv/}\n        - {name: data, mountPath: /srv, subPath: ../x}\n        - {name: nope, mountPath: /x}\n",
    );
    let err = load_manifest_str(FILE, &text).unwrap_err();
    assert_eq!(
        err.errors
            .iter()
            .map(|d| (short(d), d.hint.clone().unwrap_or_default()))
            .collect::<Vec<_>>(),
        [
            ("13:18: `spec.containers[0].volumeMounts[0].name` `dta` in container `web` is not a volume of the pod".to_string(), "did you mean `data`?".to_string()),
            ("14:35: `spec.containers[0].volumeMounts[1].mountPath` `data` must be an absolute path".to_string(), "e.g. `mountPath: /data`".to_string()),
            ("16:35: `spec.containers[0].volumeMounts[3].mountPath` `/srv` is already used by volumeMounts[2] of container `web`".to_string(), "mount each path once".to_string()),
            ("16:50: `spec.containers[0].volumeMounts[3].subPath` `../x` must not contain `..`".to_string(), "write a path inside the volume, e.g. `conf/app.ini`".to_string()),
            ("17:18: `spec.containers[0].volumeMounts[4].name` `nope` in container `web` is not a volume of the pod".to_string(), "the pod's volumes are `data` and `conf`".to_string()),
        ]
    );
    assert_eq!(
        m_only_error(&pod_with("      volumeMounts:\n        - {name: data, mountPath: /data}\n")),
        (
            "10:18: `spec.containers[0].volumeMounts[0].name` `data` in container `web` is not a volume of the pod".to_string(),
            Some("the pod declares no volumes: add one named `data` under `spec.volumes`".to_string())
        )
    );
}

#[test]
fn rule8_risky_host_paths_and_mount_options_warn() {
    let text = spec_with("  volumes:\n    - name: root\n      hostPath: {path: /}\n    - name: sock\n      hostPath: {path: /var/run//docker.sock/, type: Socket}\n    - name: sock2\n      hostPath: {path: /run/docker.sock}\n").replace(
        "      image: nginx\n",
        "      image: nginx\n      volumeMounts:\n        - {name: root, mountPath: /host, mountPropagation: HostToContainer}\n        - {name: sock, mountPath: /var/run/docker.sock, subPathExpr: $(X)}\n",
    );
    assert_eq!(
        m_warnings(&text),
        [
            "8:24: `spec.volumes[0].hostPath.path` `/` mounts the host's whole filesystem: the pod's containers can read and change everything on the host",
            "10:24: `spec.volumes[1].hostPath.path` `/var/run//docker.sock/` mounts the Docker socket: the pod's containers control the Docker daemon, and so the host",
            "12:24: `spec.volumes[2].hostPath.path` `/run/docker.sock` mounts the Docker socket: the pod's containers control the Docker daemon, and so the host",
            "17:42: `spec.containers[0].volumeMounts[0].mountPropagation` is not supported yet by podc and is ignored",
            "18:57: `spec.containers[0].volumeMounts[1].subPathExpr` is not supported yet by podc and is ignored",
        ]
    );
}

#[test]
fn rule8_file_modes_read_octal_as_kubectl_does() {
    let text = docs(&[
        SECRET,
        &spec_with("  volumes:\n    - {name: a, secret: {secretName: db, defaultMode: 0400, items: [{key: user, path: u, mode: 0o600}]}}\n    - {name: b, secret: {secretName: db, defaultMode: 420}}\n"),
    ]);
    let pod = load_manifest_str(FILE, &text).unwrap().pods.remove(0);
    let modes: Vec<(Option<u32>, Vec<Option<u32>>)> = pod
        .spec
        .volumes
        .iter()
        .map(|v| {
            let s = v.secret.as_ref().unwrap();
            (s.default_mode, s.items.iter().map(|i| i.mode).collect())
        })
        .collect();
    assert_eq!(
        modes,
        [(Some(0o400), vec![Some(0o600)]), (Some(0o644), vec![])]
    );
}
