//! A pod with a Secret whose values must never show up in podc's output, errors or labels;
//! shared by the cli tier (manifest errors) and the engine tier (a running pod).

/// A value that appears nowhere else, and its base64 as the manifest carries it.
pub(crate) const SECRET: &str = "Zq8-podc-secret-Vw3";
pub(crate) const SECRET_B64: &str = "WnE4LXBvZGMtc2VjcmV0LVZ3Mw==";
pub(crate) const STRING_SECRET: &str = "Kx5-podc-stringdata-Rt9";

/// A Secret (`data` and `stringData`) and a pod using it as env, envFrom and a volume.
pub(crate) fn secret_pod(pod: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Secret
metadata:
  name: {pod}-creds
type: Opaque
data:
  password: {SECRET_B64}
stringData:
  token: {STRING_SECRET}
---
apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: app
      image: podc/busybox:latest
      command: ["sleep", "3600"]
      env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: {pod}-creds
              key: password
      envFrom:
        - secretRef:
            name: {pod}-creds
          prefix: S_
      volumeMounts:
        - name: creds
          mountPath: /etc/creds
          readOnly: true
  volumes:
    - name: creds
      secret:
        secretName: {pod}-creds
"#
    )
}

/// Fails the test when `text` shows any of the secret values.
#[track_caller]
pub(crate) fn assert_no_secret(what: &str, text: &str) {
    for needle in [SECRET, SECRET_B64, STRING_SECRET] {
        assert!(
            !text.contains(needle),
            "{what} shows the secret value {needle:?}:\n{text}"
        );
    }
}
