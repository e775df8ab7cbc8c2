//! The tables' own rules: sorted and complete, and a note on every field podc reads.

use super::super::vocabulary::{ObjectType, Report, Support};
use super::*;

/// Every object type the tables define.
const ALL: &[&ObjectType] = &[
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

fn names(obj: &ObjectType) -> Vec<&'static str> {
    obj.fields.iter().map(|f| f.name).collect()
}

#[test]
fn field_tables_are_sorted_and_complete() {
    for obj in ALL {
        let n = names(obj);
        let mut sorted = n.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(n, sorted, "{} fields sorted and unique", obj.name);
    }
    // Kubernetes v1.34's field counts.
    assert_eq!(POD_SPEC.fields.len(), 41);
    assert_eq!(CONTAINER.fields.len(), 25);
    assert_eq!(OBJECT_META.fields.len(), 15);
    assert_eq!(OBJECT_META_OBJECT.fields.len(), 15);
    assert_eq!(PROBE.fields.len(), 10);
    assert_eq!(HTTP_GET_ACTION.fields.len(), 5);
    assert_eq!(VOLUME.fields.len(), 31);
    assert_eq!(SECURITY_CONTEXT.fields.len(), 12);
    assert_eq!(POD_SECURITY_CONTEXT.fields.len(), 13);
    assert_eq!(ENV_VAR_SOURCE.fields.len(), 5);
    assert_eq!(VOLUME_MOUNT.fields.len(), 7);
    assert_eq!(LIFECYCLE.fields.len(), 3);
    assert_eq!(LIFECYCLE_HANDLER.fields.len(), 4);
}

#[test]
fn every_field_podc_reads_says_what_podc_does_with_it() {
    // A line in `podc check` needs a note; headings only where their fields have lines.
    for obj in ALL {
        for field in obj.fields {
            if let Support::Read {
                report: Report::Whole(_, note) | Report::Heading(_, note),
                ..
            } = &field.support
            {
                assert!(!note.is_empty(), "{}.{}", obj.name, field.name);
            }
        }
    }
    let sources: Vec<&str> = VOLUME
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.support,
                Support::Read {
                    report: Report::Whole(..),
                    ..
                }
            )
        })
        .map(|f| f.name)
        .collect();
    assert_eq!(sources, SUPPORTED_VOLUME_SOURCES);
}
