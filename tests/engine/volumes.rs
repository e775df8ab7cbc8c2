//! Volumes through the real binary against the real daemon: emptyDir (on disk and in memory)
//! shared by members and removed by `down`, configMap and secret files with their modes,
//! subPath, persistentVolumeClaim kept by `down` and removed by `down --volumes`, hostPath
//! checked before anything is created, fsGroup owning what the pod's volumes hold.

use crate::support::*;

const SLEEP: &str = "command: [\"sleep\", \"3600\"]";

/// A pod with `volumes` (indented under `spec:`) and two busybox members, `a` and `b`, each
/// with `mounts` (indented under the container).
fn two_members(pod: &str, volumes: &str, mounts_a: &str, mounts_b: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
{volumes}  containers:
    - name: a
      image: podc/busybox:latest
      {SLEEP}
      volumeMounts:
{mounts_a}    - name: b
      image: podc/busybox:latest
      {SLEEP}
      volumeMounts:
{mounts_b}"
    )
}

#[track_caller]
fn up_ok(dir: &tempfile::TempDir, pod: &str, yaml: &str) -> PodcRun {
    let file = write_manifest(dir.path(), &format!("{pod}.yaml"), yaml);
    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_ok();
    run
}

#[test]
fn empty_dir_is_shared_by_the_members_and_removed_by_down() {
    let _daemon = setup();
    let pod = "it-vol-empty";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let mount = "        - {name: shared, mountPath: /data}\n";
    let yaml = two_members(
        pod,
        "    - name: shared\n      emptyDir: {}\n",
        mount,
        mount,
    );
    up_ok(&dir, pod, &yaml);

    assert_eq!(volumes_of(pod), [format!("{pod}_shared")]);
    assert_eq!(
        inspect(
            &format!("{pod}_shared"),
            "{{index .Labels \"io.podc.volume\"}}"
        ),
        "shared"
    );
    exec_ok(pod, "a", &["sh", "-c", "echo from-a > /data/note"]);
    assert_eq!(exec_ok(pod, "b", &["cat", "/data/note"]).trim(), "from-a");
    assert_eq!(
        exec_ok(pod, "b", &["stat", "-c", "%a", "/data"]).trim(),
        "777",
        "an emptyDir is world-writable, as in Kubernetes"
    );

    podc(&["down", pod]).expect_ok();
    assert!(
        volumes_of(pod).is_empty(),
        "down leaves {:?}",
        volumes_of(pod)
    );
}

#[test]
fn the_clusters_api_access_volume_is_left_out_and_the_pod_runs() {
    let _daemon = setup();
    let pod = "it-vol-api-access";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    // What `kubectl get pod -o yaml` shows: the token volume a cluster adds, and its mount.
    let token = "/var/run/secrets/kubernetes.io/serviceaccount";
    let mount = format!(
        "        - {{name: shared, mountPath: /data}}\n        - {{name: kube-api-access-x7k2p, mountPath: {token}, readOnly: true}}\n"
    );
    let volumes = "    - name: shared\n      emptyDir: {}\n    - name: kube-api-access-x7k2p\n      projected:\n        sources:\n          - serviceAccountToken: {expirationSeconds: 3607, path: token}\n          - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}\n";
    let yaml = two_members(pod, volumes, &mount, &mount);
    let run = up_ok(&dir, pod, &yaml);
    run.expect_stderr_contains("projected` is left out, with its volumeMounts");

    let mounts = inspect(
        &format!("{pod}_a"),
        "{{range .Mounts}}{{.Destination}} {{end}}",
    );
    assert_eq!(mounts.trim(), "/data", "only the emptyDir is mounted");
    assert_eq!(volumes_of(pod), [format!("{pod}_shared")]);
    let listed = exec_ok(pod, "a", &["sh", "-c", &format!("ls {token} 2>&1 || true")]);
    assert!(listed.contains("No such file"), "{listed}");
}

#[test]
fn memory_empty_dir_is_one_tmpfs_shared_by_the_members() {
    let _daemon = setup();
    let pod = "it-vol-memory";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let volumes = "    - name: fast\n      emptyDir: {medium: Memory, sizeLimit: 8Mi}\n";
    let mount = "        - {name: fast, mountPath: /data}\n";
    up_ok(&dir, pod, &two_members(pod, volumes, mount, mount));

    for member in ["a", "b"] {
        let mounts = exec_ok(pod, member, &["grep", " /data ", "/proc/mounts"]);
        assert!(
            mounts.starts_with("tmpfs /data tmpfs") && mounts.contains("size=8192k"),
            "{member}: /data is not the 8 MiB tmpfs:\n{mounts}"
        );
    }
    exec_ok(pod, "a", &["sh", "-c", "echo in-memory > /data/note"]);
    assert_eq!(
        exec_ok(pod, "b", &["cat", "/data/note"]).trim(),
        "in-memory"
    );

    podc(&["down", pod]).expect_ok();
    assert!(volumes_of(pod).is_empty());
}

#[test]
fn config_map_and_secret_volumes_hold_their_files() {
    let _daemon = setup();
    let pod = "it-vol-files";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    // "s3cr3t-value" in base64.
    let yaml = format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: {pod}-conf
data:
  greeting: hello
  app.conf: |
    port=8080
binaryData:
  logo.bin: AAEC/w==
---
apiVersion: v1
kind: Secret
metadata:
  name: {pod}-creds
data:
  password: czNjcjN0LXZhbHVl
stringData:
  user: admin
---
apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
    - name: conf
      configMap:
        name: {pod}-conf
        defaultMode: 0440
        items:
          - {{key: greeting, path: greeting}}
          - {{key: app.conf, path: nested/app.conf, mode: 0600}}
          - {{key: logo.bin, path: logo.bin}}
    - name: all
      configMap: {{name: {pod}-conf}}
    - name: creds
      secret: {{secretName: {pod}-creds}}
  containers:
    - name: a
      image: podc/busybox:latest
      {SLEEP}
      volumeMounts:
        - {{name: conf, mountPath: /etc/conf}}
        - {{name: all, mountPath: /etc/app/app.conf, subPath: app.conf}}
        - {{name: creds, mountPath: /run/creds}}
"
    );
    let run = up_ok(&dir, pod, &yaml);
    assert!(
        !run.stdout.contains("s3cr3t") && !run.stderr.contains("s3cr3t"),
        "podc printed a secret:\n{run}"
    );

    assert_eq!(exec_ok(pod, "a", &["cat", "/etc/conf/greeting"]), "hello");
    assert_eq!(
        exec_ok(pod, "a", &["cat", "/etc/conf/nested/app.conf"]),
        "port=8080\n"
    );
    let modes = exec_ok(
        pod,
        "a",
        &[
            "stat",
            "-L",
            "-c",
            "%a %n",
            "/etc/conf/greeting",
            "/etc/conf/nested/app.conf",
        ],
    );
    assert_eq!(
        modes.lines().collect::<Vec<_>>(),
        ["440 /etc/conf/greeting", "600 /etc/conf/nested/app.conf"]
    );
    assert_eq!(
        exec_ok(pod, "a", &["od", "-An", "-tu1", "/etc/conf/logo.bin"]).trim(),
        "0   1   2 255",
        "binaryData is written decoded, byte for byte"
    );
    assert_eq!(
        exec_ok(pod, "a", &["cat", "/etc/app/app.conf"]),
        "port=8080\n",
        "a subPath mounts one file of the volume"
    );
    let touch = podc(&["exec", pod, "-c", "a", "--", "touch", "/etc/conf/new"]);
    assert_ne!(
        touch.code,
        Some(0),
        "a configMap volume is read-only\n{touch}"
    );

    assert_eq!(
        exec_ok(pod, "a", &["cat", "/run/creds/password"]),
        "s3cr3t-value"
    );
    assert_eq!(exec_ok(pod, "a", &["cat", "/run/creds/user"]), "admin");
    assert_eq!(
        exec_ok(pod, "a", &["stat", "-c", "%a", "/run/creds/password"]).trim(),
        "644"
    );
    let mounts = exec_ok(pod, "a", &["grep", " /run/creds ", "/proc/mounts"]);
    assert!(
        mounts.starts_with("tmpfs "),
        "secrets live in memory: {mounts}"
    );
    for volume in volumes_of(pod) {
        let labels = inspect(&volume, "{{json .Labels}}");
        assert!(!labels.contains("s3cr3t"), "{volume}: {labels}");
    }

    podc(&["down", pod]).expect_ok();
    assert!(volumes_of(pod).is_empty());
}

#[test]
fn an_fs_group_lets_a_non_root_member_write_and_read_the_pods_volumes() {
    let _daemon = setup();
    let pod = "it-vol-fsgroup";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    // User 1000 is in no group of the image; fsGroup 2000 makes it a member of the volumes'.
    let yaml = format!(
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {pod}-conf
data:
  app.ini: "mode=fast"
---
apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 1
  securityContext:
    runAsUser: 1000
    fsGroup: 2000
  volumes:
    - name: data
      emptyDir: {{}}
    - name: conf
      configMap:
        name: {pod}-conf
        defaultMode: 0600
  containers:
    - name: app
      image: podc/busybox:latest
      {SLEEP}
      volumeMounts:
        - {{name: data, mountPath: /data}}
        - {{name: conf, mountPath: /conf}}
"#
    );
    up_ok(&dir, pod, &yaml);

    assert!(
        exec_ok(pod, "app", &["id", "-G"])
            .split_whitespace()
            .any(|g| g == "2000"),
        "user 1000 is not in the fsGroup 2000"
    );
    // The emptyDir's root: group 2000, set-group-ID; a new file there inherits the group.
    assert_eq!(
        exec_ok(pod, "app", &["stat", "-c", "%g %a", "/data"]).trim(),
        "2000 2777"
    );
    exec_ok(pod, "app", &["touch", "/data/made-by-app"]);
    assert_eq!(
        exec_ok(pod, "app", &["stat", "-c", "%u %g", "/data/made-by-app"]).trim(),
        "1000 2000"
    );
    // The configMap's 0600 file is root's, readable by the group: user 1000 reads it.
    let file = exec_ok(
        pod,
        "app",
        &["stat", "-L", "-c", "%u %g %a", "/conf/app.ini"],
    );
    assert_eq!(file.trim(), "0 2000 640");
    assert_eq!(exec_ok(pod, "app", &["cat", "/conf/app.ini"]), "mode=fast");
}

#[test]
fn sub_path_of_an_empty_dir_is_created_and_shared() {
    let _daemon = setup();
    let pod = "it-vol-subpath";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let volumes = "    - name: shared\n      emptyDir: {}\n";
    let mount_a = "        - {name: shared, mountPath: /sub, subPath: one/two}\n";
    let mount_b = "        - {name: shared, mountPath: /whole}\n";
    up_ok(&dir, pod, &two_members(pod, volumes, mount_a, mount_b));

    exec_ok(pod, "a", &["sh", "-c", "echo deep > /sub/file"]);
    assert_eq!(
        exec_ok(pod, "b", &["cat", "/whole/one/two/file"]).trim(),
        "deep"
    );
}

#[test]
fn claim_survives_down_and_goes_with_down_volumes() {
    let _daemon = setup();
    let pod = "it-vol-pvc";
    let claim_volume = "podc-pvc-it-vol-pvc-data";
    let dir = temp_dir();
    let _guard = PodVolumesGuard(pod.to_string());
    let volumes = "    - name: data\n      persistentVolumeClaim: {claimName: it-vol-pvc-data}\n";
    let mount = "        - {name: data, mountPath: /data}\n";
    let yaml = two_members(pod, volumes, mount, mount);
    up_ok(&dir, pod, &yaml);
    assert_eq!(
        inspect(claim_volume, "{{index .Labels \"io.podc.pvc\"}}"),
        "it-vol-pvc-data"
    );
    exec_ok(pod, "a", &["sh", "-c", "echo kept > /data/note"]);

    podc(&["down", pod]).expect_ok();
    assert!(volume_exists(claim_volume), "down removed the claim");
    assert_nothing_left(pod, &"after down");

    up_ok(&dir, pod, &yaml);
    assert_eq!(exec_ok(pod, "b", &["cat", "/data/note"]).trim(), "kept");

    podc(&["down", "--volumes", pod]).expect_ok();
    assert!(
        !volume_exists(claim_volume),
        "down --volumes kept the claim"
    );
    assert!(volumes_of(pod).is_empty());
}

#[test]
fn host_path_binds_and_creates_what_its_type_asks_for() {
    let _daemon = setup();
    let pod = "it-vol-hostpath";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let made = dir.path().join("made/here");
    let file = dir.path().join("state.txt");
    let volumes = format!(
        "    - name: made\n      hostPath: {{path: {}, type: DirectoryOrCreate}}\n    - name: file\n      hostPath: {{path: {}, type: FileOrCreate}}\n",
        made.display(),
        file.display()
    );
    let mounts = "        - {name: made, mountPath: /made}\n        - {name: file, mountPath: /state.txt}\n        - {name: made, mountPath: /logs, subPath: logs}\n";
    up_ok(&dir, pod, &two_members(pod, &volumes, mounts, mounts));

    assert!(made.is_dir() && file.is_file());
    assert!(
        dir.path().join("made/here/logs").is_dir(),
        "subPath created"
    );
    exec_ok(
        pod,
        "a",
        &["sh", "-c", "echo on-host > /made/x; echo s > /state.txt"],
    );
    assert_eq!(
        std::fs::read_to_string(made.join("x")).unwrap(),
        "on-host\n"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "s\n");
    exec_ok(pod, "b", &["sh", "-c", "echo log > /logs/l"]);
    assert_eq!(
        std::fs::read_to_string(made.join("logs/l")).unwrap(),
        "log\n"
    );
    // A hostPath is the host's: down leaves it.
    podc(&["down", pod]).expect_ok();
    assert!(made.join("x").is_file());
}

#[test]
fn a_bad_host_path_fails_clearly_and_leaves_nothing() {
    let _daemon = setup();
    let pod = "it-vol-badhost";
    let dir = temp_dir();
    let _guard = PodGuard::new(pod);
    let missing = dir.path().join("not-there");
    let would_be_made = dir.path().join("would-be-made");
    let volumes = format!(
        "    - name: cache\n      emptyDir: {{}}\n    - name: made\n      hostPath: {{path: {}, type: DirectoryOrCreate}}\n    - name: host\n      hostPath: {{path: {}, type: Directory}}\n",
        would_be_made.display(),
        missing.display()
    );
    let mounts =
        "        - {name: cache, mountPath: /cache}\n        - {name: host, mountPath: /host}\n";
    let file = write_manifest(
        dir.path(),
        "bad.yaml",
        &two_members(pod, &volumes, mounts, mounts),
    );
    let run = podc(&["up", "-d", arg(&file)]);
    run.expect_code(1)
        .expect_stderr_contains("hostPath volume host")
        .expect_stderr_contains(&format!("{} does not exist", missing.display()));
    assert_nothing_left(pod, &run);
    assert!(volumes_of(pod).is_empty(), "{:?}", volumes_of(pod));
    assert!(!missing.exists(), "type Directory must not create it");
    assert!(
        !would_be_made.exists(),
        "nothing is created on the host when another hostPath fails"
    );
}
