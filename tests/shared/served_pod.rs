//! A small served pod (faults, races, an unreachable daemon): shared by the cli and engine
//! tiers.

/// A pod serving a page from an emptyDir on `port` (127.0.0.1), next to an idle member.
pub(crate) fn served_pod(pod: &str, port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  volumes:\n    - name: www\n      emptyDir: {{}}\n  containers:\n    - name: web\n      image: podc/busybox:latest\n      command: [\"sh\", \"-c\", \"echo hello-{pod} > /www/index.html; exec httpd -f -p {port} -h /www\"]\n      ports:\n        - containerPort: {port}\n          hostPort: {port}\n          hostIP: 127.0.0.1\n      volumeMounts:\n        - {{name: www, mountPath: /www}}\n    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n"
    )
}
