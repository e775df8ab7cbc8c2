//! The documents podc reads (Pod, ConfigMap, Secret) and their `metadata`.

use super::super::vocabulary::Presence::{Defaulted, Optional, Required};
use super::super::vocabulary::{
    applied, emulated, header, ignored, read, unsupported, ObjectType, Ty,
};
use super::POD_SPEC;

/// A `kind: Pod` document.
pub(crate) static POD: ObjectType = ObjectType {
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
pub(crate) static CONFIG_MAP: ObjectType = ObjectType {
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
pub(crate) static SECRET: ObjectType = ObjectType {
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
pub(crate) static OBJECT_META: ObjectType = ObjectType {
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
pub(crate) static OBJECT_META_OBJECT: ObjectType = ObjectType {
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
