//! "Did you mean" on the names of real field tables.

use super::super::fields::{CONTAINER, CONTAINER_PORT, POD_SPEC};
use super::super::vocabulary::ObjectType;
use super::*;

fn names(obj: &ObjectType) -> Vec<&'static str> {
    obj.fields.iter().map(|f| f.name).collect()
}

#[test]
fn edit_distance_counts_swaps_once() {
    assert_eq!(edit_distance("image", "image"), 0);
    assert_eq!(edit_distance("imagee", "image"), 1);
    assert_eq!(edit_distance("imgae", "image"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
}

#[test]
fn closest_prefers_case_insensitive_matches() {
    let port = names(&CONTAINER_PORT);
    assert_eq!(closest("ContainerPort", &port), Some("containerPort"));
    assert_eq!(closest("container_port", &port), Some("containerPort"));
    assert_eq!(closest("hostIp", &port), Some("hostIP"));
    assert_eq!(closest("prot", &port), Some("protocol"));
    let c = names(&CONTAINER);
    assert_eq!(closest("imagee", &c), Some("image"));
    assert_eq!(closest("comand", &c), Some("command"));
    assert_eq!(closest("xyz", &c), None);
    let spec = names(&POD_SPEC);
    assert_eq!(
        closest("terminationGracePeriod", &spec),
        Some("terminationGracePeriodSeconds")
    );
    assert_eq!(closest("contianers", &spec), Some("containers"));
}
