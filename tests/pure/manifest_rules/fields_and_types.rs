//! Rules 3 and 4: unknown and unsupported fields, merge keys, duplicate keys; every value of
//! the type Kubernetes gives it.

use super::*;

#[test]
fn rule3_unknown_fields_are_errors_with_the_closest_name() {
    let (e, hint) = only_error(&pod_with("      imagee: nginx\n"));
    assert_eq!(e, "9:7: unknown field `imagee` in spec.containers[0]");
    assert_eq!(hint.as_deref(), Some("did you mean `image`?"));
    let (e, hint) = only_error(&pod_with("      ports:\n        - ContainerPort: 80\n"));
    assert_eq!(
        e,
        "10:11: unknown field `ContainerPort` in spec.containers[0].ports[0]"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `containerPort`?"));
    let (e, hint) = only_error(&format!(
        "apiVersion: v1\nkind: Pod\nmetdata: {{name: a}}\n{}",
        "spec:\n  containers: [{name: a, image: b}]\n"
    ));
    assert_eq!(
        e,
        "3:1: unknown field `metdata` at the top level of the Pod"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `metadata`?"));
    let (e, hint) = only_error(&pod_with(
        "      env:\n        - name: A\n          valu: b\n",
    ));
    assert_eq!(
        e,
        "11:11: unknown field `valu` in spec.containers[0].env[0]"
    );
    assert_eq!(hint.as_deref(), Some("did you mean `value`?"));
}

#[test]
fn rule3_without_a_close_name_the_hint_lists_the_fields() {
    let (e, hint) = only_error(&pod_with("      zzz: 1\n"));
    assert_eq!(e, "9:7: unknown field `zzz` in spec.containers[0]");
    assert_eq!(hint.as_deref(), Some("a Kubernetes Container has these fields: args, command, env, envFrom, image, imagePullPolicy, lifecycle, livenessProbe, name, ports, readinessProbe, resizePolicy, resources, restartPolicy, restartPolicyRules, securityContext, startupProbe, stdin, stdinOnce, terminationMessagePath, terminationMessagePolicy, tty, volumeDevices, volumeMounts, workingDir"));
    let (_, hint) = only_error(&pod_with(
        "      ports:\n        - port: 80\n          containerPort: 80\n",
    ));
    assert_eq!(hint.as_deref(), Some("a Kubernetes ContainerPort has these fields: containerPort, hostIP, hostPort, name, protocol"));
}

#[test]
fn rule3_unsupported_kubernetes_fields_warn() {
    let text = pod_with("      resizePolicy:\n        - {resourceName: cpu, restartPolicy: NotRequired}\n      volumeDevices: []\n  affinity:\n    nodeAffinity: {}\n");
    assert_eq!(
        warnings(&text),
        [
            "9:7: `spec.containers[0].resizePolicy` is not supported yet by podc and is ignored",
            "12:3: `spec.affinity` is not supported yet by podc and is ignored",
        ]
    );
    // Their content is not read: nothing inside is checked.
    let text = pod_with("  tolerations:\n    whatever: [1, 2]\n");
    assert_eq!(
        warnings(&text),
        ["9:3: `spec.tolerations` is not supported yet by podc and is ignored"]
    );
}

#[test]
fn rule3_namespace_is_ignored_with_a_warning() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  namespace: default\nspec:\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        warnings(text),
        ["5:3: `metadata.namespace` is ignored: podc has no namespaces"]
    );
}

#[test]
fn rule3_yaml_merge_keys_are_refused() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n  <<: {hostname: x}\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text),
        (
            "6:3: YAML merge keys (`<<`) are not supported in spec".to_string(),
            Some("write the fields out in full".to_string())
        )
    );
}

#[test]
fn rule3_duplicate_keys_are_errors() {
    let (e, _) = only_error(&pod_with("      image: httpd\n"));
    assert_eq!(e, "9:7: duplicate key `image` (first at line 8:7)");
}

// ---------------------------------------------------------------------------------------------
// Rule 4: types and required fields

#[test]
fn rule4_strings_must_be_strings() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 123\nspec:\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text),
        (
            "4:9: `metadata.name` must be a string, found integer `123`".to_string(),
            Some("quote it: `name: \"123\"`".to_string())
        )
    );
    let (e, hint) = only_error(&pod_with("      args: [--port, 8080]\n"));
    assert_eq!(
        e,
        "9:22: `spec.containers[0].args[1]` must be a string, found integer `8080`"
    );
    assert_eq!(hint.as_deref(), Some("quote it: `\"8080\"`"));
    let (e, _) = only_error(&pod_with("      workingDir: {a: b}\n"));
    assert_eq!(
        e,
        "9:19: `spec.containers[0].workingDir` must be a string, found a mapping"
    );
}

#[test]
fn rule4_env_values_must_be_quoted() {
    let (e, hint) = only_error(&pod_with(
        "      env:\n        - name: PORT\n          value: 8080\n",
    ));
    assert_eq!(
        e,
        "11:18: `spec.containers[0].env[0].value` must be a string, found integer `8080`"
    );
    assert_eq!(hint.as_deref(), Some("quote it: `value: \"8080\"`"));
    let (e, hint) = only_error(&pod_with(
        "      env:\n        - name: DEBUG\n          value: ~\n",
    ));
    assert_eq!(e, "11:18: `spec.containers[0].env[0].value` is null");
    assert_eq!(
        hint.as_deref(),
        Some("write `value: \"\"` for an empty value, or remove the line")
    );
}

#[test]
fn rule4_label_values_must_be_strings() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  labels:\n    enabled: true\n  annotations:\n    example.com/replicas: 3\nspec:\n  containers: [{name: a, image: b}]\n";
    let err = load_str(FILE, text).unwrap_err();
    let got: Vec<(String, Option<String>)> = err
        .errors
        .iter()
        .map(|d| (short(d), d.hint.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "6:14: `metadata.labels.enabled` must be a string, found boolean `true`".to_string(),
                Some("quote it: `enabled: \"true\"`".to_string())
            ),
            (
                "8:27: `metadata.annotations[\"example.com/replicas\"]` must be a string, found integer `3`".to_string(),
                Some("quote it: `\"3\"`".to_string())
            ),
        ]
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  labels: [app]\nspec:\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:11: `metadata.labels` must be a mapping of names to strings, found a list"
    );
}

#[test]
fn rule4_integers() {
    let (e, hint) = only_error(&pod_with("      ports:\n        - containerPort: \"80\"\n"));
    assert_eq!(e, "10:26: `spec.containers[0].ports[0].containerPort` must be an integer, found string \"80\"");
    assert_eq!(
        hint.as_deref(),
        Some("remove the quotes: `containerPort: 80`")
    );
    let (e, _) = only_error(&pod_with("      ports:\n        - containerPort: 80.5\n"));
    assert_eq!(e, "10:26: `spec.containers[0].ports[0].containerPort` must be an integer, found number `80.5`");
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  terminationGracePeriodSeconds: -5\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:34: `spec.terminationGracePeriodSeconds` must be 0 or more, found -5"
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  terminationGracePeriodSeconds: 99999999999999999999\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text).0,
        "5:34: `spec.terminationGracePeriodSeconds` is too large: 99999999999999999999"
    );
}

#[test]
fn rule4_booleans() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  shareProcessNamespace: yes\n  containers: [{name: a, image: b}]\n";
    assert_eq!(
        only_error(text),
        (
            "5:26: `spec.shareProcessNamespace` must be true or false, found string \"yes\""
                .to_string(),
            Some("write `true` or `false`".to_string())
        )
    );
}

#[test]
fn rule4_lists_and_maps() {
    let (e, hint) = only_error(&pod_with("      command: nginx -g 'daemon off;'\n"));
    assert_eq!(e, "9:16: `spec.containers[0].command` must be a list of strings, found string \"nginx -g 'daemon off;'\"");
    assert_eq!(
        hint.as_deref(),
        Some("write it as a list: `command: [\"...\", \"...\"]`")
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    name: a\n    image: b\n";
    assert_eq!(
        only_error(text),
        (
            "6:5: `spec.containers` must be a list, found a mapping".to_string(),
            Some("start each item with `- `".to_string())
        )
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: [containers]\n";
    assert_eq!(
        only_error(text).0,
        "4:7: `spec` must be a mapping, found a list"
    );
    let (e, _) = only_error(&pod_with("      ports: [80]\n"));
    assert_eq!(e, "9:15: `spec.containers[0].ports[0]` must be a mapping (a Kubernetes ContainerPort), found integer `80`");
}

#[test]
fn rule4_enums() {
    let (e, hint) = only_error(&pod_with("      imagePullPolicy: always\n"));
    assert_eq!(e, "9:24: `spec.containers[0].imagePullPolicy` must be one of Always, IfNotPresent, Never; found string \"always\"");
    assert_eq!(hint.as_deref(), Some("did you mean `Always`?"));
    let (e, hint) = only_error(&pod_with(
        "      ports:\n        - containerPort: 5000\n          protocol: SCTP\n",
    ));
    assert_eq!(e, "11:21: `spec.containers[0].ports[0].protocol`: SCTP is not supported by podc: Docker publishes only TCP and UDP ports");
    assert_eq!(hint.as_deref(), Some("use TCP or UDP"));
    let (e, _) = only_error(&pod_with(
        "      ports:\n        - containerPort: 5000\n          protocol: tcp\n",
    ));
    assert_eq!(e, "11:21: `spec.containers[0].ports[0].protocol` must be one of TCP, UDP; found string \"tcp\"");
}

#[test]
fn rule4_required_fields() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\nspec:\n  containers:\n    - image: nginx\n      ports:\n        - hostPort: 80\n      env:\n        - value: x\n    - name: b\n";
    let err = load_str(FILE, text).unwrap_err();
    let got: Vec<String> = err.errors.iter().map(short).collect();
    assert_eq!(
        got,
        [
            "4:3: missing required field `metadata.name`",
            "7:7: missing required field `spec.containers[0].name`",
            "9:11: missing required field `spec.containers[0].ports[0].containerPort`",
            "11:11: missing required field `spec.containers[0].env[0].name`",
            "12:7: missing required field `spec.containers[1].image`",
        ]
    );
    assert_eq!(
        err.errors[4].hint.as_deref(),
        Some("add `image:` with the image to run, e.g. `image: nginx:1.27`")
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\n";
    assert_eq!(only_error(text).0, "1:1: missing required field `spec`");
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: {}\n";
    assert_eq!(
        only_error(text).0,
        "4:7: missing required field `spec.containers`"
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: {containers: []}\n";
    assert_eq!(
        only_error(text),
        (
            "4:20: `spec.containers` is empty: a pod needs at least one container".to_string(),
            Some("add `- name: ...` and `image: ...` under `containers:`".to_string())
        )
    );
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name:\nspec: {containers: [{name: a, image: b}]}\n";
    assert_eq!(only_error(text).0, "4:3: `metadata.name` has no value");
}
