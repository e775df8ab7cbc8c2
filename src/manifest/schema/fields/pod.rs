//! The pod: `spec` (`PodSpec`), its containers (`Container`), their `ports`, and its
//! `imagePullSecrets`.

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::Status::Emulated;
use super::super::vocabulary::{applied, emulated, heading, read, unsupported, ObjectType, Ty};
use super::{
    ANY_INT, ENV_FROM_SOURCE, ENV_VAR, HOST_ALIAS, LIFECYCLE, POD_DNS_CONFIG, POD_SECURITY_CONTEXT,
    PROBE, RESOURCE_REQUIREMENTS, SECURITY_CONTEXT, VOLUME, VOLUME_MOUNT,
};

const PROBE_NOTE: &str = "run by podc's supervisor; a failure restarts the container";

/// `spec` (Kubernetes `PodSpec`).
pub(crate) static POD_SPEC: ObjectType = ObjectType {
    name: "PodSpec",
    fields: &[
        unsupported("activeDeadlineSeconds"),
        unsupported("affinity"),
        unsupported("automountServiceAccountToken"),
        read(
            "containers",
            Ty::List(&CONTAINER),
            Required("add `containers:` with at least one `- name: ...` and `image: ...`"),
        ),
        applied(
            "dnsConfig",
            Ty::Object(&POD_DNS_CONFIG),
            Optional,
            "the pod's /etc/resolv.conf (set on the pause)",
        ),
        unsupported("dnsPolicy"),
        unsupported("enableServiceLinks"),
        unsupported("ephemeralContainers"),
        applied(
            "hostAliases",
            Ty::List(&HOST_ALIAS),
            Defaulted,
            "extra /etc/hosts lines (on the pause)",
        ),
        applied(
            "hostIPC",
            Ty::Bool,
            Optional,
            "the pause joins the host's IPC namespace",
        ),
        applied(
            "hostNetwork",
            Ty::Bool,
            Optional,
            "the pause uses Docker's host network",
        ),
        applied(
            "hostPID",
            Ty::Bool,
            Optional,
            "the pause joins the host's PID namespace",
        ),
        unsupported("hostUsers"),
        applied("hostname", Ty::Str, Optional, "the pause's hostname"),
        unsupported("hostnameOverride"),
        applied(
            "imagePullSecrets",
            Ty::List(&PULL_SECRET_REF),
            Defaulted,
            "podc pulls the pod's images with the `.dockerconfigjson` of these Secrets (from the same file), then with the Docker config's credentials",
        ),
        heading(
            "initContainers",
            Ty::List(&CONTAINER),
            Defaulted,
            Emulated,
            "podc runs them one at a time, in order, each to success, before the app containers",
        ),
        emulated(
            "nodeName",
            Ty::Str,
            Optional,
            "only the value of `fieldRef: spec.nodeName`: podc has no nodes",
        ),
        unsupported("nodeSelector"),
        unsupported("os"),
        unsupported("overhead"),
        unsupported("preemptionPolicy"),
        unsupported("priority"),
        unsupported("priorityClassName"),
        unsupported("readinessGates"),
        unsupported("resourceClaims"),
        unsupported("resources"),
        emulated(
            "restartPolicy",
            Ty::Enum {
                allowed: &["Always", "OnFailure", "Never"],
                refused: &[],
            },
            Defaulted,
            "podc's supervisor restarts the containers, with Kubernetes' backoff",
        ),
        unsupported("runtimeClassName"),
        unsupported("schedulerName"),
        unsupported("schedulingGates"),
        applied(
            "securityContext",
            Ty::Object(&POD_SECURITY_CONTEXT),
            Optional,
            "every container's default user, group and seccomp/AppArmor profile; fsGroup and supplementalGroups as GroupAdd, fsGroup also owns the pod's volumes; sysctls on the pause",
        ),
        unsupported("serviceAccount"),
        unsupported("serviceAccountName"),
        unsupported("setHostnameAsFQDN"),
        applied(
            "shareProcessNamespace",
            Ty::Bool,
            Optional,
            "members join the pause's PID namespace unless it is false",
        ),
        unsupported("subdomain"),
        applied(
            "terminationGracePeriodSeconds",
            Ty::Int {
                min: 0,
                max: i64::MAX,
            },
            Optional,
            "the stop timeout before SIGKILL",
        ),
        unsupported("tolerations"),
        unsupported("topologySpreadConstraints"),
        read("volumes", Ty::List(&VOLUME), Defaulted),
    ],
};

/// `spec.containers[]` and `spec.initContainers[]` (Kubernetes `Container`).
pub(crate) static CONTAINER: ObjectType = ObjectType {
    name: "Container",
    fields: &[
        applied(
            "args",
            Ty::StrList,
            Defaulted,
            "Docker Cmd, $(VAR) expanded",
        ),
        applied(
            "command",
            Ty::StrList,
            Defaulted,
            "Docker Entrypoint, $(VAR) expanded",
        ),
        applied(
            "env",
            Ty::List(&ENV_VAR),
            Defaulted,
            "the container's environment",
        ),
        emulated(
            "envFrom",
            Ty::List(&ENV_FROM_SOURCE),
            Defaulted,
            "podc reads every key of the ConfigMap or Secret into the environment",
        ),
        applied(
            "image",
            Ty::Str,
            Required("add `image:` with the image to run, e.g. `image: nginx:1.27`"),
            "the container's image",
        ),
        applied(
            "imagePullPolicy",
            Ty::Enum {
                allowed: &["Always", "IfNotPresent", "Never"],
                refused: &[],
            },
            Optional,
            "when podc pulls the image (default IfNotPresent)",
        ),
        emulated(
            "lifecycle",
            Ty::Object(&LIFECYCLE),
            Optional,
            "podc runs the hooks: postStart after the start, preStop before the stop",
        ),
        emulated("livenessProbe", Ty::Object(&PROBE), Optional, PROBE_NOTE),
        applied(
            "name",
            Ty::Str,
            Required("add `name:`: every container needs a name unique in the pod"),
            "the Docker name <pod>_<name>",
        ),
        applied(
            "ports",
            Ty::List(&CONTAINER_PORT),
            Defaulted,
            "published on the pause where a hostPort is set",
        ),
        emulated(
            "readinessProbe",
            Ty::Object(&PROBE),
            Optional,
            "run by podc's supervisor; shown by `podc ps`, awaited by `up --wait`",
        ),
        unsupported("resizePolicy"),
        applied(
            "resources",
            Ty::Object(&RESOURCE_REQUIREMENTS),
            Optional,
            "cpu and memory: Docker limits and reservations",
        ),
        emulated(
            "restartPolicy",
            Ty::Str,
            Optional,
            "a native sidecar: started in init order, kept running beside the app containers",
        ),
        unsupported("restartPolicyRules"),
        applied(
            "securityContext",
            Ty::Object(&SECURITY_CONTEXT),
            Optional,
            "Docker User, CapAdd/CapDrop, Privileged, ReadonlyRootfs, SecurityOpt (no-new-privileges, seccomp, apparmor)",
        ),
        emulated(
            "startupProbe",
            Ty::Object(&PROBE),
            Optional,
            "run by podc's supervisor; holds the other probes off until it passes",
        ),
        applied("stdin", Ty::Bool, Optional, "Docker OpenStdin"),
        unsupported("stdinOnce"),
        unsupported("terminationMessagePath"),
        unsupported("terminationMessagePolicy"),
        applied("tty", Ty::Bool, Optional, "Docker Tty"),
        unsupported("volumeDevices"),
        applied(
            "volumeMounts",
            Ty::List(&VOLUME_MOUNT),
            Defaulted,
            "Docker mounts",
        ),
        applied("workingDir", Ty::Str, Optional, "Docker WorkingDir"),
    ],
};

/// `ports[]` (Kubernetes `ContainerPort`).
pub(crate) static CONTAINER_PORT: ObjectType = ObjectType {
    name: "ContainerPort",
    fields: &[
        read(
            "containerPort",
            ANY_INT,
            Required("add `containerPort:` with the port the container listens on"),
        ),
        read("hostIP", Ty::Str, Optional),
        read("hostPort", ANY_INT, Optional),
        read("name", Ty::Str, Optional),
        read(
            "protocol",
            Ty::Enum {
                allowed: &["TCP", "UDP"],
                refused: &[(
                    "SCTP",
                    "is not supported by podc: Docker publishes only TCP and UDP ports",
                )],
            },
            Defaulted,
        ),
    ],
};

/// `spec.imagePullSecrets[]` (Kubernetes `LocalObjectReference`).
pub(crate) static PULL_SECRET_REF: ObjectType = ObjectType {
    name: "LocalObjectReference",
    fields: &[read(
        "name",
        Ty::Str,
        Required("add `name:` with the Secret's name"),
    )],
};
