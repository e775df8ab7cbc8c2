//! The Kubernetes v1 field tables, as data: for every object podc descends into, ALL the fields
//! Kubernetes defines for it (as of Kubernetes v1.34, sorted by name), each with what podc does
//! with it — the type it checks, and whether podc **applies** it (maps it onto Docker),
//! **emulates** it (does it itself) or **ignores** it (with a warning). The schema walk
//! (`schema.rs`) and `podc check` both read these tables and nothing else.

use super::report::Status::Emulated;
use super::schema::Presence::{Defaulted, Optional, Required};
use super::schema::{
    applied, emulated, header, heading, ignored, read, refused, unsupported, ObjectType, Ty,
};

/// Any integer: the range is checked by `validate.rs`, with a better message.
const ANY_INT: Ty = Ty::Int {
    min: i64::MIN,
    max: i64::MAX,
};

/// A Kubernetes `int32` field that must not be negative.
const NON_NEGATIVE_INT32: Ty = Ty::Int {
    min: 0,
    max: i32::MAX as i64,
};

/// A Linux user or group ID as Kubernetes accepts it.
const ID: Ty = Ty::Int {
    min: 0,
    max: i32::MAX as i64,
};

const PROBE_NOTE: &str = "run by podc's supervisor; a failure restarts the container";

// ---------------------------------------------------------------------------------------------
// The documents

/// A `kind: Pod` document.
pub static POD: ObjectType = ObjectType {
    name: "Pod",
    fields: &[
        header("apiVersion"),
        header("kind"),
        read(
            "metadata",
            Ty::Object(&OBJECT_META),
            Required("add `metadata:` with the pod's `name:`"),
        ),
        read(
            "spec",
            Ty::Object(&POD_SPEC),
            Required("add `spec:` with the pod's `containers:`"),
        ),
        ignored(
            "status",
            "is written by a cluster, not by you; podc ignores it",
        ),
    ],
};

/// A `kind: ConfigMap` document.
pub static CONFIG_MAP: ObjectType = ObjectType {
    name: "ConfigMap",
    fields: &[
        header("apiVersion"),
        emulated(
            "binaryData",
            Ty::StrMap,
            Defaulted,
            "base64; podc decodes it into configMap volumes (not the environment, as in Kubernetes)",
        ),
        emulated(
            "data",
            Ty::StrMap,
            Defaulted,
            "podc writes it into configMap volumes and the environment",
        ),
        // Nothing changes a ConfigMap while podc runs: there is nothing to protect.
        read("immutable", Ty::Bool, Optional),
        header("kind"),
        read(
            "metadata",
            Ty::Object(&OBJECT_META_OBJECT),
            Required("add `metadata:` with the ConfigMap's `name:`"),
        ),
    ],
};

/// A `kind: Secret` document. Its values never appear in a message.
pub static SECRET: ObjectType = ObjectType {
    name: "Secret",
    fields: &[
        header("apiVersion"),
        emulated(
            "data",
            Ty::SecretMap,
            Defaulted,
            "base64; podc decodes it into secret volumes and the environment",
        ),
        read("immutable", Ty::Bool, Optional),
        header("kind"),
        read(
            "metadata",
            Ty::Object(&OBJECT_META_OBJECT),
            Required("add `metadata:` with the Secret's `name:`"),
        ),
        emulated(
            "stringData",
            Ty::SecretMap,
            Defaulted,
            "plain text; wins over `data` for the same key",
        ),
        // Opaque, kubernetes.io/tls, ...: podc reads every type the same way.
        read("type", Ty::Str, Optional),
    ],
};

/// A Pod's `metadata` (Kubernetes `ObjectMeta`).
pub static OBJECT_META: ObjectType = ObjectType {
    name: "ObjectMeta",
    fields: &[
        emulated(
            "annotations",
            Ty::StrMap,
            Defaulted,
            "readable through `fieldRef: metadata.annotations['KEY']`",
        ),
        unsupported("creationTimestamp"),
        unsupported("deletionGracePeriodSeconds"),
        unsupported("deletionTimestamp"),
        unsupported("finalizers"),
        unsupported("generateName"),
        unsupported("generation"),
        applied(
            "labels",
            Ty::StrMap,
            Defaulted,
            "copied onto every container as Docker labels",
        ),
        unsupported("managedFields"),
        applied(
            "name",
            Ty::Str,
            Required("add `name:` under `metadata:`: podc names the pod's containers after it"),
            "names the containers: <pod>_POD, <pod>_<container>",
        ),
        ignored("namespace", "is ignored: podc has no namespaces"),
        unsupported("ownerReferences"),
        unsupported("resourceVersion"),
        unsupported("selfLink"),
        unsupported("uid"),
    ],
};

/// A ConfigMap's or Secret's `metadata`: only the name matters to podc.
pub static OBJECT_META_OBJECT: ObjectType = ObjectType {
    name: "ObjectMeta",
    fields: &[
        read("annotations", Ty::StrMap, Defaulted),
        unsupported("creationTimestamp"),
        unsupported("deletionGracePeriodSeconds"),
        unsupported("deletionTimestamp"),
        unsupported("finalizers"),
        unsupported("generateName"),
        unsupported("generation"),
        read("labels", Ty::StrMap, Defaulted),
        unsupported("managedFields"),
        emulated(
            "name",
            Ty::Str,
            Required("add `name:` under `metadata:`: pods refer to it by name"),
            "the name the pods refer to",
        ),
        ignored("namespace", "is ignored: podc has no namespaces"),
        unsupported("ownerReferences"),
        unsupported("resourceVersion"),
        unsupported("selfLink"),
        unsupported("uid"),
    ],
};

// ---------------------------------------------------------------------------------------------
// The pod

/// `spec` (Kubernetes `PodSpec`).
pub static POD_SPEC: ObjectType = ObjectType {
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
pub static CONTAINER: ObjectType = ObjectType {
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
pub static CONTAINER_PORT: ObjectType = ObjectType {
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

// ---------------------------------------------------------------------------------------------
// Environment

/// `env[]` (Kubernetes `EnvVar`).
pub static ENV_VAR: ObjectType = ObjectType {
    name: "EnvVar",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the variable's name"),
        ),
        read("value", Ty::Str, Defaulted),
        emulated(
            "valueFrom",
            Ty::Object(&ENV_VAR_SOURCE),
            Optional,
            "podc resolves it when it creates the container",
        ),
    ],
};

/// `env[].valueFrom` (Kubernetes `EnvVarSource`).
pub static ENV_VAR_SOURCE: ObjectType = ObjectType {
    name: "EnvVarSource",
    fields: &[
        read(
            "configMapKeyRef",
            Ty::Object(&CONFIG_MAP_KEY_SELECTOR),
            Optional,
        ),
        read("fieldRef", Ty::Object(&OBJECT_FIELD_SELECTOR), Optional),
        ignored(
            "fileKeyRef",
            "is not supported yet by podc: the variable is left unset",
        ),
        ignored(
            "resourceFieldRef",
            "is not supported yet by podc: the variable is left unset",
        ),
        read("secretKeyRef", Ty::Object(&SECRET_KEY_SELECTOR), Optional),
    ],
};

/// `valueFrom.fieldRef` (Kubernetes `ObjectFieldSelector`).
pub static OBJECT_FIELD_SELECTOR: ObjectType = ObjectType {
    name: "ObjectFieldSelector",
    fields: &[
        read(
            "apiVersion",
            Ty::Enum {
                allowed: &["v1"],
                refused: &[],
            },
            Optional,
        ),
        read(
            "fieldPath",
            Ty::Str,
            Required("add `fieldPath:`, e.g. `fieldPath: metadata.name`"),
        ),
    ],
};

/// `valueFrom.configMapKeyRef` (Kubernetes `ConfigMapKeySelector`).
pub static CONFIG_MAP_KEY_SELECTOR: ObjectType = ObjectType {
    name: "ConfigMapKeySelector",
    fields: &[
        read(
            "key",
            Ty::Str,
            Required("add `key:` with the ConfigMap key to read"),
        ),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the ConfigMap's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `valueFrom.secretKeyRef` (Kubernetes `SecretKeySelector`).
pub static SECRET_KEY_SELECTOR: ObjectType = ObjectType {
    name: "SecretKeySelector",
    fields: &[
        read(
            "key",
            Ty::Str,
            Required("add `key:` with the Secret key to read"),
        ),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the Secret's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `envFrom[]` (Kubernetes `EnvFromSource`).
pub static ENV_FROM_SOURCE: ObjectType = ObjectType {
    name: "EnvFromSource",
    fields: &[
        read("configMapRef", Ty::Object(&CONFIG_MAP_ENV_SOURCE), Optional),
        read("prefix", Ty::Str, Optional),
        read("secretRef", Ty::Object(&SECRET_ENV_SOURCE), Optional),
    ],
};

/// `envFrom[].configMapRef` (Kubernetes `ConfigMapEnvSource`).
pub static CONFIG_MAP_ENV_SOURCE: ObjectType = ObjectType {
    name: "ConfigMapEnvSource",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the ConfigMap's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `spec.imagePullSecrets[]` (Kubernetes `LocalObjectReference`).
pub static PULL_SECRET_REF: ObjectType = ObjectType {
    name: "LocalObjectReference",
    fields: &[read(
        "name",
        Ty::Str,
        Required("add `name:` with the Secret's name"),
    )],
};

/// `envFrom[].secretRef` (Kubernetes `SecretEnvSource`).
pub static SECRET_ENV_SOURCE: ObjectType = ObjectType {
    name: "SecretEnvSource",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the Secret's name"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

// ---------------------------------------------------------------------------------------------
// Probes and hooks

/// `livenessProbe`, `readinessProbe`, `startupProbe` (Kubernetes `Probe`).
pub static PROBE: ObjectType = ObjectType {
    name: "Probe",
    fields: &[
        read("exec", Ty::Object(&EXEC_ACTION), Optional),
        read("failureThreshold", NON_NEGATIVE_INT32, Optional),
        read("grpc", Ty::Object(&GRPC_ACTION), Optional),
        read("httpGet", Ty::Object(&HTTP_GET_ACTION), Optional),
        read("initialDelaySeconds", NON_NEGATIVE_INT32, Optional),
        read("periodSeconds", NON_NEGATIVE_INT32, Optional),
        read("successThreshold", NON_NEGATIVE_INT32, Optional),
        read("tcpSocket", Ty::Object(&TCP_SOCKET_ACTION), Optional),
        unsupported("terminationGracePeriodSeconds"),
        read("timeoutSeconds", NON_NEGATIVE_INT32, Optional),
    ],
};

/// A probe's or hook's `exec` (Kubernetes `ExecAction`).
pub static EXEC_ACTION: ObjectType = ObjectType {
    name: "ExecAction",
    fields: &[read(
        "command",
        Ty::StrList,
        Required("add `command:` with the command to run, e.g. `command: [cat, /tmp/healthy]`"),
    )],
};

const HTTP_PORT_HINT: &str =
    "add `port:` with the port number or the name of one of the container's ports";

/// A probe's `httpGet` (Kubernetes `HTTPGetAction`).
pub static HTTP_GET_ACTION: ObjectType = ObjectType {
    name: "HTTPGetAction",
    fields: &[
        read("host", Ty::Str, Optional),
        read("httpHeaders", Ty::List(&HTTP_HEADER), Defaulted),
        read("path", Ty::Str, Optional),
        read("port", Ty::PortRef, Required(HTTP_PORT_HINT)),
        read(
            "scheme",
            Ty::Enum {
                allowed: &["HTTP", "HTTPS"],
                refused: &[],
            },
            Optional,
        ),
    ],
};

/// A hook's `httpGet`: the same Kubernetes `HTTPGetAction`.
pub static HOOK_HTTP_GET_ACTION: ObjectType = ObjectType {
    name: "HTTPGetAction",
    fields: &[
        read("host", Ty::Str, Optional),
        read("httpHeaders", Ty::List(&HTTP_HEADER), Defaulted),
        read("path", Ty::Str, Optional),
        read("port", Ty::PortRef, Required(HTTP_PORT_HINT)),
        read(
            "scheme",
            Ty::Enum {
                allowed: &["HTTP", "HTTPS"],
                refused: &[],
            },
            Optional,
        ),
    ],
};

/// `httpGet.httpHeaders[]` (Kubernetes `HTTPHeader`).
pub static HTTP_HEADER: ObjectType = ObjectType {
    name: "HTTPHeader",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the header's name"),
        ),
        read("value", Ty::Str, Defaulted),
    ],
};

/// A probe's `tcpSocket` (Kubernetes `TCPSocketAction`).
pub static TCP_SOCKET_ACTION: ObjectType = ObjectType {
    name: "TCPSocketAction",
    fields: &[
        read("host", Ty::Str, Optional),
        read("port", Ty::PortRef, Required(HTTP_PORT_HINT)),
    ],
};

/// A probe's `grpc` (Kubernetes `GRPCAction`).
pub static GRPC_ACTION: ObjectType = ObjectType {
    name: "GRPCAction",
    fields: &[
        read(
            "port",
            ANY_INT,
            Required("add `port:` with the port number of the gRPC health service"),
        ),
        read("service", Ty::Str, Optional),
    ],
};

/// `lifecycle` (Kubernetes `Lifecycle`).
pub static LIFECYCLE: ObjectType = ObjectType {
    name: "Lifecycle",
    fields: &[
        read("postStart", Ty::Object(&LIFECYCLE_HANDLER), Optional),
        read("preStop", Ty::Object(&LIFECYCLE_HANDLER), Optional),
        unsupported("stopSignal"),
    ],
};

/// `postStart` / `preStop` (Kubernetes `LifecycleHandler`).
pub static LIFECYCLE_HANDLER: ObjectType = ObjectType {
    name: "LifecycleHandler",
    fields: &[
        read("exec", Ty::Object(&EXEC_ACTION), Optional),
        read("httpGet", Ty::Object(&HOOK_HTTP_GET_ACTION), Optional),
        read("sleep", Ty::Object(&SLEEP_ACTION), Optional),
        refused(
            "tcpSocket",
            "`{path}` is deprecated in Kubernetes and not supported by podc",
            "use `exec`, `httpGet` or `sleep`",
        ),
    ],
};

/// A hook's `sleep` (Kubernetes `SleepAction`).
pub static SLEEP_ACTION: ObjectType = ObjectType {
    name: "SleepAction",
    fields: &[read(
        "seconds",
        Ty::Int {
            min: 0,
            max: i32::MAX as i64,
        },
        Required("add `seconds:` with how long to sleep"),
    )],
};

// ---------------------------------------------------------------------------------------------
// Resources and security

/// `resources` (Kubernetes `ResourceRequirements`).
pub static RESOURCE_REQUIREMENTS: ObjectType = ObjectType {
    name: "ResourceRequirements",
    fields: &[
        unsupported("claims"),
        read("limits", Ty::QuantityMap, Defaulted),
        read("requests", Ty::QuantityMap, Defaulted),
    ],
};

/// A container's `securityContext` (Kubernetes `SecurityContext`).
pub static SECURITY_CONTEXT: ObjectType = ObjectType {
    name: "SecurityContext",
    fields: &[
        read("allowPrivilegeEscalation", Ty::Bool, Optional),
        read("appArmorProfile", Ty::Object(&APPARMOR_PROFILE), Optional),
        read("capabilities", Ty::Object(&CAPABILITIES), Optional),
        read("privileged", Ty::Bool, Optional),
        unsupported("procMount"),
        read("readOnlyRootFilesystem", Ty::Bool, Optional),
        read("runAsGroup", ID, Optional),
        read("runAsNonRoot", Ty::Bool, Optional),
        read("runAsUser", ID, Optional),
        unsupported("seLinuxOptions"),
        read("seccompProfile", Ty::Object(&SECCOMP_PROFILE), Optional),
        unsupported("windowsOptions"),
    ],
};

/// `securityContext.seccompProfile` (Kubernetes `SeccompProfile`).
pub static SECCOMP_PROFILE: ObjectType = ObjectType {
    name: "SeccompProfile",
    fields: &[
        read("localhostProfile", Ty::Str, Optional),
        read(
            "type",
            Ty::Enum {
                allowed: &["RuntimeDefault", "Unconfined"],
                refused: &[(
                    "Localhost",
                    "seccomp profiles are not supported by podc: the profile is a file on a cluster's nodes, and Docker needs its JSON",
                )],
            },
            Required("add `type: RuntimeDefault` (Docker's default profile) or `type: Unconfined`"),
        ),
    ],
};

/// `securityContext.appArmorProfile` (Kubernetes `AppArmorProfile`): a Localhost profile is one
/// loaded into the host's kernel, named as Docker names it.
pub static APPARMOR_PROFILE: ObjectType = ObjectType {
    name: "AppArmorProfile",
    fields: &[
        read("localhostProfile", Ty::Str, Optional),
        read(
            "type",
            Ty::Enum {
                allowed: &["RuntimeDefault", "Unconfined", "Localhost"],
                refused: &[],
            },
            Required("add `type: RuntimeDefault` (Docker's default profile), `Unconfined` or `Localhost`"),
        ),
    ],
};

/// `securityContext.capabilities` (Kubernetes `Capabilities`).
pub static CAPABILITIES: ObjectType = ObjectType {
    name: "Capabilities",
    fields: &[
        read("add", Ty::StrList, Defaulted),
        read("drop", Ty::StrList, Defaulted),
    ],
};

/// The pod's `securityContext` (Kubernetes `PodSecurityContext`).
pub static POD_SECURITY_CONTEXT: ObjectType = ObjectType {
    name: "PodSecurityContext",
    fields: &[
        read("appArmorProfile", Ty::Object(&APPARMOR_PROFILE), Optional),
        read("fsGroup", ID, Optional),
        unsupported("fsGroupChangePolicy"),
        read("runAsGroup", ID, Optional),
        read("runAsNonRoot", Ty::Bool, Optional),
        read("runAsUser", ID, Optional),
        unsupported("seLinuxChangePolicy"),
        unsupported("seLinuxOptions"),
        read("seccompProfile", Ty::Object(&SECCOMP_PROFILE), Optional),
        read(
            "supplementalGroups",
            Ty::IntList {
                min: 0,
                max: i32::MAX as i64,
            },
            Defaulted,
        ),
        unsupported("supplementalGroupsPolicy"),
        read("sysctls", Ty::List(&SYSCTL), Defaulted),
        unsupported("windowsOptions"),
    ],
};

/// `securityContext.sysctls[]` (Kubernetes `Sysctl`).
pub static SYSCTL: ObjectType = ObjectType {
    name: "Sysctl",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:`, e.g. `name: net.core.somaxconn`"),
        ),
        read(
            "value",
            Ty::Str,
            Required("add `value:` as a string, e.g. `value: \"1024\"`"),
        ),
    ],
};

// ---------------------------------------------------------------------------------------------
// Host settings

/// `hostAliases[]` (Kubernetes `HostAlias`).
pub static HOST_ALIAS: ObjectType = ObjectType {
    name: "HostAlias",
    fields: &[
        read("hostnames", Ty::StrList, Defaulted),
        read(
            "ip",
            Ty::Str,
            Required("add `ip:` with the address the hostnames resolve to"),
        ),
    ],
};

/// `dnsConfig` (Kubernetes `PodDNSConfig`).
pub static POD_DNS_CONFIG: ObjectType = ObjectType {
    name: "PodDNSConfig",
    fields: &[
        read("nameservers", Ty::StrList, Defaulted),
        read("options", Ty::List(&POD_DNS_CONFIG_OPTION), Defaulted),
        read("searches", Ty::StrList, Defaulted),
    ],
};

/// `dnsConfig.options[]` (Kubernetes `PodDNSConfigOption`).
pub static POD_DNS_CONFIG_OPTION: ObjectType = ObjectType {
    name: "PodDNSConfigOption",
    fields: &[
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the resolver option, e.g. `name: ndots`"),
        ),
        read("value", Ty::Str, Optional),
    ],
};

// ---------------------------------------------------------------------------------------------
// Volumes

const VOLUME_SOURCE_REFUSED: &str = "volume source `{name}` is not supported by podc";
const VOLUME_SOURCES_HINT: &str =
    "podc supports emptyDir, hostPath, configMap, secret and persistentVolumeClaim volumes";

const fn other_source(name: &'static str) -> super::schema::Field {
    refused(name, VOLUME_SOURCE_REFUSED, VOLUME_SOURCES_HINT)
}

/// Why the cluster's API-access volume (`kube-api-access-*`) is dropped, not refused.
const PROJECTED_IGNORED: &str = "is left out, with its volumeMounts: its service account token is for a cluster's API server, and podc has none";

/// The volume sources podc supports, in the table's order.
#[cfg(test)]
pub const SUPPORTED_VOLUME_SOURCES: [&str; 5] = [
    "configMap",
    "emptyDir",
    "hostPath",
    "persistentVolumeClaim",
    "secret",
];

/// `spec.volumes[]` (Kubernetes `Volume`): a name and exactly one source.
pub static VOLUME: ObjectType = ObjectType {
    name: "Volume",
    fields: &[
        other_source("awsElasticBlockStore"),
        other_source("azureDisk"),
        other_source("azureFile"),
        other_source("cephfs"),
        other_source("cinder"),
        emulated(
            "configMap",
            Ty::Object(&CONFIG_MAP_VOLUME_SOURCE),
            Optional,
            "podc writes the ConfigMap's keys as files into a Docker volume",
        ),
        other_source("csi"),
        other_source("downwardAPI"),
        applied(
            "emptyDir",
            Ty::Object(&EMPTY_DIR_VOLUME_SOURCE),
            Optional,
            "a Docker volume removed with the pod (medium Memory: a tmpfs)",
        ),
        other_source("ephemeral"),
        other_source("fc"),
        other_source("flexVolume"),
        other_source("flocker"),
        other_source("gcePersistentDisk"),
        other_source("gitRepo"),
        other_source("glusterfs"),
        applied(
            "hostPath",
            Ty::Object(&HOST_PATH_VOLUME_SOURCE),
            Optional,
            "a bind mount of the host path",
        ),
        other_source("image"),
        other_source("iscsi"),
        read(
            "name",
            Ty::Str,
            Required("add `name:`: containers mount a volume by its name"),
        ),
        other_source("nfs"),
        applied(
            "persistentVolumeClaim",
            Ty::Object(&PVC_VOLUME_SOURCE),
            Optional,
            "a named Docker volume that outlives the pod",
        ),
        other_source("photonPersistentDisk"),
        other_source("portworxVolume"),
        // `kubectl get pod -o yaml` shows the cluster's API access as a projected volume; any
        // other projected volume is refused by validate/volumes.rs.
        ignored("projected", PROJECTED_IGNORED),
        other_source("quobyte"),
        other_source("rbd"),
        other_source("scaleIO"),
        emulated(
            "secret",
            Ty::Object(&SECRET_VOLUME_SOURCE),
            Optional,
            "podc writes the Secret's keys as files on a tmpfs",
        ),
        other_source("storageos"),
        other_source("vsphereVolume"),
    ],
};

/// `emptyDir` (Kubernetes `EmptyDirVolumeSource`).
pub static EMPTY_DIR_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "EmptyDirVolumeSource",
    fields: &[
        read(
            "medium",
            Ty::Enum {
                allowed: &["", "Memory"],
                refused: &[(
                    "HugePages",
                    "is not supported by podc: Docker has no huge-page volumes",
                )],
            },
            Optional,
        ),
        read("sizeLimit", Ty::Quantity, Optional),
    ],
};

/// `hostPath` (Kubernetes `HostPathVolumeSource`).
pub static HOST_PATH_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "HostPathVolumeSource",
    fields: &[
        read(
            "path",
            Ty::Str,
            Required("add `path:` with the absolute path on the host"),
        ),
        read(
            "type",
            Ty::Enum {
                allowed: &[
                    "",
                    "DirectoryOrCreate",
                    "Directory",
                    "FileOrCreate",
                    "File",
                    "Socket",
                    "CharDevice",
                    "BlockDevice",
                ],
                refused: &[],
            },
            Optional,
        ),
    ],
};

/// `configMap` (Kubernetes `ConfigMapVolumeSource`).
pub static CONFIG_MAP_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "ConfigMapVolumeSource",
    fields: &[
        read("defaultMode", Ty::Mode, Optional),
        read("items", Ty::List(&KEY_TO_PATH), Defaulted),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the name of a ConfigMap in this file"),
        ),
        read("optional", Ty::Bool, Optional),
    ],
};

/// `secret` (Kubernetes `SecretVolumeSource`).
pub static SECRET_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "SecretVolumeSource",
    fields: &[
        read("defaultMode", Ty::Mode, Optional),
        read("items", Ty::List(&KEY_TO_PATH), Defaulted),
        read("optional", Ty::Bool, Optional),
        read(
            "secretName",
            Ty::Str,
            Required("add `secretName:` with the name of a Secret in this file"),
        ),
    ],
};

/// `items[]` (Kubernetes `KeyToPath`).
pub static KEY_TO_PATH: ObjectType = ObjectType {
    name: "KeyToPath",
    fields: &[
        read("key", Ty::Str, Required("add `key:` with the key to write")),
        read("mode", Ty::Mode, Optional),
        read(
            "path",
            Ty::Str,
            Required("add `path:` with the file's path inside the volume"),
        ),
    ],
};

/// `persistentVolumeClaim` (Kubernetes `PersistentVolumeClaimVolumeSource`).
pub static PVC_VOLUME_SOURCE: ObjectType = ObjectType {
    name: "PersistentVolumeClaimVolumeSource",
    fields: &[
        read(
            "claimName",
            Ty::Str,
            Required("add `claimName:`: podc keeps the data in a Docker volume of that name"),
        ),
        read("readOnly", Ty::Bool, Optional),
    ],
};

/// `volumeMounts[]` (Kubernetes `VolumeMount`).
pub static VOLUME_MOUNT: ObjectType = ObjectType {
    name: "VolumeMount",
    fields: &[
        read(
            "mountPath",
            Ty::Str,
            Required("add `mountPath:` with the absolute path inside the container"),
        ),
        unsupported("mountPropagation"),
        read(
            "name",
            Ty::Str,
            Required("add `name:` with the name of one of `spec.volumes`"),
        ),
        read("readOnly", Ty::Bool, Optional),
        unsupported("recursiveReadOnly"),
        read("subPath", Ty::Str, Optional),
        unsupported("subPathExpr"),
    ],
};

/// Every object type, for the table tests.
#[cfg(test)]
pub const ALL: &[&ObjectType] = &[
    &POD,
    &CONFIG_MAP,
    &SECRET,
    &OBJECT_META,
    &OBJECT_META_OBJECT,
    &POD_SPEC,
    &CONTAINER,
    &CONTAINER_PORT,
    &ENV_VAR,
    &ENV_VAR_SOURCE,
    &OBJECT_FIELD_SELECTOR,
    &CONFIG_MAP_KEY_SELECTOR,
    &SECRET_KEY_SELECTOR,
    &ENV_FROM_SOURCE,
    &CONFIG_MAP_ENV_SOURCE,
    &SECRET_ENV_SOURCE,
    &PULL_SECRET_REF,
    &PROBE,
    &EXEC_ACTION,
    &HTTP_GET_ACTION,
    &HOOK_HTTP_GET_ACTION,
    &HTTP_HEADER,
    &TCP_SOCKET_ACTION,
    &GRPC_ACTION,
    &LIFECYCLE,
    &LIFECYCLE_HANDLER,
    &SLEEP_ACTION,
    &RESOURCE_REQUIREMENTS,
    &SECURITY_CONTEXT,
    &CAPABILITIES,
    &POD_SECURITY_CONTEXT,
    &SYSCTL,
    &HOST_ALIAS,
    &POD_DNS_CONFIG,
    &POD_DNS_CONFIG_OPTION,
    &VOLUME,
    &EMPTY_DIR_VOLUME_SOURCE,
    &HOST_PATH_VOLUME_SOURCE,
    &CONFIG_MAP_VOLUME_SOURCE,
    &SECRET_VOLUME_SOURCE,
    &KEY_TO_PATH,
    &PVC_VOLUME_SOURCE,
    &VOLUME_MOUNT,
];
