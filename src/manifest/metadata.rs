//! `metadata` of a document: the name, labels and annotations every kind podc reads shares.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `metadata`: the pod's name and the labels/annotations podc copies onto every container.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}
