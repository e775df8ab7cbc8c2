//! The vocabulary the field tables are written in: object types, fields, what podc does with
//! each field (`Support`), the type it checks (`Ty`), how it may be left out (`Presence`), its
//! line in `podc check` (`Report`), and the constructors the tables use.

/// The status of a field's line in `podc check`: part of the vocabulary the tables use.
pub(crate) use super::super::report::Status;

/// One object type of the Kubernetes API.
pub(crate) struct ObjectType {
    /// The Kubernetes type name, for messages (`Container`, `PodSpec`, ...).
    pub name: &'static str,
    /// Every field Kubernetes defines for it, sorted by name.
    pub fields: &'static [Field],
}

/// One field of an object type.
pub(crate) struct Field {
    pub name: &'static str,
    pub support: Support,
}

/// What podc does with a field.
pub(crate) enum Support {
    /// podc reads it: its value is type-checked; `report` is its line in `podc check`.
    Read {
        ty: Ty,
        presence: Presence,
        report: Report,
    },
    /// Kubernetes defines it but podc does not apply it yet: a warning, the value is not read.
    Unsupported,
    /// Kubernetes defines it and podc ignores it on purpose: a warning with this reason.
    Ignored(&'static str),
    /// Kubernetes defines it and podc cannot run it: an error. `{path}` and `{name}` in the
    /// message are replaced by the field's path and name.
    Refused {
        message: &'static str,
        hint: &'static str,
    },
    /// `apiVersion` and `kind`: checked by [`super::check`] itself.
    Header,
}

/// A read field's line in the `podc check` report.
pub(crate) enum Report {
    /// No line of its own (`metadata`, `spec`, a volume's name): the fields inside have theirs.
    Silent,
    /// One line for the field and everything inside it that has the same status.
    Whole(Status, &'static str),
    /// One line for the field, and one for each field inside it (`initContainers`).
    Heading(Status, &'static str),
}

/// The type podc expects for a field it reads.
pub(crate) enum Ty {
    Str,
    /// An integer from `min` to `max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A Kubernetes `IntOrString` port: a number or a port name (checked by `validate.rs`).
    PortRef,
    Bool,
    /// One of `allowed`; the `refused` ones are Kubernetes values podc cannot run, with why.
    Enum {
        allowed: &'static [&'static str],
        refused: &'static [(&'static str, &'static str)],
    },
    /// A mapping of string to string (labels, annotations, a ConfigMap's data).
    StrMap,
    /// A Secret's `data` / `stringData`: a mapping of string to string whose values are never
    /// shown in a message.
    SecretMap,
    /// A list of strings (command, args).
    StrList,
    /// A list of integers from `min` to `max` (supplementalGroups).
    IntList {
        min: i64,
        max: i64,
    },
    /// A Kubernetes quantity (`500m`, `64Mi`, `1`): a string or a number, parsed by
    /// `validate.rs` with `quantity.rs`.
    Quantity,
    /// A mapping of resource names to quantities (`limits`, `requests`).
    QuantityMap,
    /// A file mode from 0 to 0777: a number, or octal digits with a leading zero (`0644`).
    Mode,
    Object(&'static ObjectType),
    List(&'static ObjectType),
}

/// How a field may be left out, which follows the typed model's serde shape.
#[derive(Clone, Copy)]
pub(crate) enum Presence {
    /// Must be there with a value; the text is the hint when it is not.
    Required(&'static str),
    /// An `Option` in the model: absent and null are both "not set".
    Optional,
    /// A defaulted `Vec`/`Map`/`String` in the model: may be absent or written empty, but an
    /// explicit `~`/`null` is refused (serde_yaml would read it as the text "~" or fail).
    Defaulted,
}

/// A field podc reads and maps onto Docker.
pub(crate) const fn applied(
    name: &'static str,
    ty: Ty,
    presence: Presence,
    note: &'static str,
) -> Field {
    let report = Report::Whole(Status::Applied, note);
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report,
        },
    }
}

/// A field podc reads and does itself.
pub(crate) const fn emulated(
    name: &'static str,
    ty: Ty,
    presence: Presence,
    note: &'static str,
) -> Field {
    let report = Report::Whole(Status::Emulated, note);
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report,
        },
    }
}

/// A field podc reads that has no line of its own in the report.
pub(crate) const fn read(name: &'static str, ty: Ty, presence: Presence) -> Field {
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report: Report::Silent,
        },
    }
}

/// A field with a line of its own and a line for each field inside it.
pub(crate) const fn heading(
    name: &'static str,
    ty: Ty,
    presence: Presence,
    status: Status,
    note: &'static str,
) -> Field {
    Field {
        name,
        support: Support::Read {
            ty,
            presence,
            report: Report::Heading(status, note),
        },
    }
}

pub(crate) const fn unsupported(name: &'static str) -> Field {
    Field {
        name,
        support: Support::Unsupported,
    }
}

pub(crate) const fn ignored(name: &'static str, why: &'static str) -> Field {
    Field {
        name,
        support: Support::Ignored(why),
    }
}

pub(crate) const fn refused(
    name: &'static str,
    message: &'static str,
    hint: &'static str,
) -> Field {
    Field {
        name,
        support: Support::Refused { message, hint },
    }
}

pub(crate) const fn header(name: &'static str) -> Field {
    Field {
        name,
        support: Support::Header,
    }
}

/// What `podc check` says about a field Kubernetes defines and podc does not apply yet.
pub(crate) const UNSUPPORTED_NOTE: &str = "is not supported yet by podc and is ignored";
