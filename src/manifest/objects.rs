//! The other documents a file may hold next to its Pods, and what env takes from them.

use super::metadata::Metadata;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A `kind: ConfigMap` document.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    pub metadata: Metadata,
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    /// base64, as written; only volumes read it (Kubernetes keeps it out of the environment).
    #[serde(default)]
    pub binary_data: BTreeMap<String, String>,
}

impl ConfigMap {
    /// What a configMap volume holds: `data` as text and `binaryData` decoded (validation
    /// refused bad base64 and a key in both).
    pub fn file_contents(&self) -> BTreeMap<String, Vec<u8>> {
        let text = self
            .data
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into_bytes()));
        let binary = self
            .binary_data
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), decode_base64(v).ok()?)));
        text.chain(binary).collect()
    }
}

/// A `kind: Secret` document; `data` is base64 as written, `stringData` plain. Its `Debug`
/// shows the keys only: a Secret's values never reach a message.
#[derive(Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    pub metadata: Metadata,
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    #[serde(default)]
    pub string_data: BTreeMap<String, String>,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |m: &BTreeMap<String, String>| {
            m.keys()
                .map(|k| (k.clone(), "<hidden>"))
                .collect::<BTreeMap<_, _>>()
        };
        f.debug_struct("Secret")
            .field("metadata", &self.metadata)
            .field("data", &hidden(&self.data))
            .field("string_data", &hidden(&self.string_data))
            .finish()
    }
}

impl Secret {
    /// Every key, from `data` and `stringData`, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .data
            .keys()
            .chain(self.string_data.keys())
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The decoded value of `key`: `stringData` wins over `data`, as in Kubernetes.
    pub fn value(&self, key: &str) -> Option<Vec<u8>> {
        if let Some(v) = self.string_data.get(key) {
            return Some(v.clone().into_bytes());
        }
        decode_base64(self.data.get(key)?).ok()
    }
}

/// Decode standard base64 as the Kubernetes API does (`A-Z a-z 0-9 + /`, `=` padding; line
/// breaks are skipped). The error says nothing about the text: it may be a secret.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    fn sextet(b: u8) -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let symbols: Vec<(usize, u8)> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b != b'\n' && *b != b'\r')
        .collect();
    let padding = symbols.iter().rev().take_while(|(_, b)| *b == b'=').count();
    let body = &symbols[..symbols.len() - padding];
    if let Some((i, _)) = body.iter().find(|(_, b)| sextet(*b).is_none()) {
        return Err(if text.as_bytes()[*i] == b'=' {
            "it has `=` padding before its end".to_string()
        } else {
            "it has a character outside the base64 alphabet (A-Z, a-z, 0-9, +, /)".to_string()
        });
    }
    if padding > 2 || !symbols.len().is_multiple_of(4) {
        return Err("its length (line breaks aside) is not a multiple of 4".to_string());
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut acc: u32 = 0;
        for (_, b) in chunk {
            acc = (acc << 6) | sextet(*b).unwrap_or(0);
        }
        let bits = chunk.len() * 6;
        acc <<= 24 - bits;
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..1 + bits / 8]);
    }
    Ok(out)
}

/// `env[].valueFrom`: exactly one source.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    pub field_ref: Option<FieldRef>,
    pub config_map_key_ref: Option<KeyRef>,
    pub secret_key_ref: Option<KeyRef>,
}

/// `fieldRef.fieldPath`: metadata.name, metadata.namespace, metadata.labels['k'],
/// metadata.annotations['k'], status.podIP, spec.nodeName.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRef {
    pub field_path: String,
}

/// `configMapKeyRef` / `secretKeyRef`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct KeyRef {
    pub name: String,
    pub key: String,
    pub optional: Option<bool>,
}

/// `envFrom[]`: every key of a ConfigMap or Secret, with an optional prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvFromSource {
    pub prefix: Option<String>,
    pub config_map_ref: Option<NameRef>,
    pub secret_ref: Option<NameRef>,
}

/// `configMapRef` / `secretRef`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct NameRef {
    pub name: String,
    pub optional: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_as_kubernetes_does() {
        assert_eq!(decode_base64("aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVsbG8h"), Ok(b"hello!".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8h\r\n"), Ok(b"hello!".to_vec()));
        assert_eq!(decode_base64("YQ=="), Ok(b"a".to_vec()));
        assert_eq!(decode_base64(""), Ok(vec![]));
        assert_eq!(
            decode_base64("aGVsbG8"),
            Err("its length (line breaks aside) is not a multiple of 4".into())
        );
        assert_eq!(
            decode_base64("aGV sbG8="),
            Err("it has a character outside the base64 alphabet (A-Z, a-z, 0-9, +, /)".into())
        );
        assert_eq!(
            decode_base64("YQ==YQ=="),
            Err("it has `=` padding before its end".into())
        );
        assert!(decode_base64("Y===").is_err());
        assert!(decode_base64("aGVsbG8_").is_err());
    }

    #[test]
    fn secret_debug_hides_values_and_string_data_wins() {
        let s = Secret {
            data: BTreeMap::from([("a".into(), "c2VjcmV0".into()), ("b".into(), "eA==".into())]),
            string_data: BTreeMap::from([("b".into(), "plain".into())]),
            ..Secret::default()
        };
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("c2VjcmV0") && !shown.contains("plain"),
            "{shown}"
        );
        assert_eq!(s.keys(), ["a", "b"]);
        assert_eq!(s.value("a"), Some(b"secret".to_vec()));
        assert_eq!(s.value("b"), Some(b"plain".to_vec()));
        assert_eq!(s.value("c"), None);
    }
}
