//! Probes and lifecycle hooks, and their handlers (`exec`, `httpGet`, `tcpSocket`, `grpc`,
//! `sleep`).

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::{read, refused, unsupported, ObjectType, Ty};
use super::ANY_INT;

/// A Kubernetes `int32` field that must not be negative.
const NON_NEGATIVE_INT32: Ty = Ty::Int {
    min: 0,
    max: i32::MAX as i64,
};

/// `livenessProbe`, `readinessProbe`, `startupProbe` (Kubernetes `Probe`).
pub(crate) static PROBE: ObjectType = ObjectType {
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
pub(crate) static EXEC_ACTION: ObjectType = ObjectType {
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
pub(crate) static HTTP_GET_ACTION: ObjectType = ObjectType {
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
pub(crate) static HOOK_HTTP_GET_ACTION: ObjectType = ObjectType {
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
pub(crate) static HTTP_HEADER: ObjectType = ObjectType {
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
pub(crate) static TCP_SOCKET_ACTION: ObjectType = ObjectType {
    name: "TCPSocketAction",
    fields: &[
        read("host", Ty::Str, Optional),
        read("port", Ty::PortRef, Required(HTTP_PORT_HINT)),
    ],
};

/// A probe's `grpc` (Kubernetes `GRPCAction`).
pub(crate) static GRPC_ACTION: ObjectType = ObjectType {
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
pub(crate) static LIFECYCLE: ObjectType = ObjectType {
    name: "Lifecycle",
    fields: &[
        read("postStart", Ty::Object(&LIFECYCLE_HANDLER), Optional),
        read("preStop", Ty::Object(&LIFECYCLE_HANDLER), Optional),
        unsupported("stopSignal"),
    ],
};

/// `postStart` / `preStop` (Kubernetes `LifecycleHandler`).
pub(crate) static LIFECYCLE_HANDLER: ObjectType = ObjectType {
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
pub(crate) static SLEEP_ACTION: ObjectType = ObjectType {
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
