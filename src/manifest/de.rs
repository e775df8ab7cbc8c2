//! serde helpers for the Kubernetes values YAML may write in more than one way. The checks in
//! `schema.rs` already accepted the value, so these only convert.
//!
//! - A quantity (`cpu: 1`, `cpu: 0.5`, `memory: 64Mi`) may be a YAML number or a string; the
//!   model keeps it as text for `quantity.rs`.
//! - A file mode may be a number (`420`, `0o644`) or, as kubectl's YAML 1.1 reads it, digits
//!   with a leading zero (`0644`, octal), which YAML 1.2 reads as a string.

use serde::de::{self, Deserializer, Visitor};
use std::collections::BTreeMap;
use std::fmt;

struct QuantityText;

impl Visitor<'_> for QuantityText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a quantity such as 500m or 64Mi")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // Rust prints the shortest text that reads back as the same number (0.5, 1000).
        Ok(v.to_string())
    }
}

struct QuantityValue(String);

impl<'de> de::Deserialize<'de> for QuantityValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(QuantityText).map(QuantityValue)
    }
}

/// `limits` / `requests`: a map of resource names to quantities.
pub(super) fn quantity_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: Option<BTreeMap<String, QuantityValue>> = de::Deserialize::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.0))
        .collect())
}

/// An optional quantity (`sizeLimit`).
pub(super) fn opt_quantity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<QuantityValue> = de::Deserialize::deserialize(d)?;
    Ok(raw.map(|q| q.0))
}

/// Digits with a leading zero read as octal (`0644` -> 420), as kubectl reads them.
pub(super) fn octal_mode(text: &str) -> Option<u32> {
    let digits = text.strip_prefix('0')?;
    if digits.is_empty() || digits.len() > 11 || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return None;
    }
    u32::from_str_radix(digits, 8).ok()
}

struct ModeVisitor;

impl<'de> Visitor<'de> for ModeVisitor {
    type Value = Option<u32>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file mode such as 0644 or 420")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u32>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<u32>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<u32>, D::Error> {
        d.deserialize_any(ModeVisitor)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<u32>, E> {
        u32::try_from(v)
            .map(Some)
            .map_err(|_| E::custom("file mode out of range"))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<u32>, E> {
        u32::try_from(v)
            .map(Some)
            .map_err(|_| E::custom("file mode out of range"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<u32>, E> {
        octal_mode(v)
            .map(Some)
            .ok_or_else(|| E::custom("not a file mode"))
    }
}

/// `defaultMode` / `mode`.
pub(super) fn opt_mode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    d.deserialize_any(ModeVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_modes() {
        assert_eq!(octal_mode("0644"), Some(420));
        assert_eq!(octal_mode("0400"), Some(256));
        assert_eq!(octal_mode("00"), Some(0));
        assert_eq!(octal_mode("644"), None);
        assert_eq!(octal_mode("0"), None);
        assert_eq!(octal_mode("0689"), None);
    }
}
