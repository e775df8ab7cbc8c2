//! Decoding a Secret's `data` values: standard base64 (RFC 4648, `+/`, `=` padding), as the
//! Kubernetes API stores them. Whitespace (a folded YAML scalar) is skipped.

/// The bytes `text` encodes, or None when it is not valid base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if symbols.len() % 4 != 0 {
        return None;
    }
    let padding = symbols.iter().rev().take_while(|b| **b == b'=').count();
    if padding > 2 {
        return None;
    }
    let data = &symbols[..symbols.len() - padding];
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &symbol in data {
        acc = (acc << 6) | value(symbol)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero, or the text was not produced by an encoder.
    (acc == 0).then_some(out)
}

fn value(symbol: u8) -> Option<u8> {
    Some(match symbol {
        b'A'..=b'Z' => symbol - b'A',
        b'a'..=b'z' => symbol - b'a' + 26,
        b'0'..=b'9' => symbol - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_with_and_without_padding() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("Zg==").unwrap(), b"f");
        assert_eq!(decode("Zm8=").unwrap(), b"fo");
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        assert_eq!(decode("c2VjcmV0LXZhbHVl").unwrap(), b"secret-value");
        assert_eq!(decode("c2Vj\n  cmV0").unwrap(), b"secret");
        assert_eq!(decode("/+8=").unwrap(), [0xff, 0xef]);
    }

    #[test]
    fn refuses_what_is_not_base64() {
        assert_eq!(decode("Zm9"), None, "length");
        assert_eq!(decode("Zm9v!A=="), None, "alphabet");
        assert_eq!(decode("Z==="), None, "padding");
        assert_eq!(decode("Zh=="), None, "non-zero trailing bits");
        assert_eq!(decode("Zg=a"), None, "padding in the middle");
    }
}
