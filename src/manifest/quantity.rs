//! Kubernetes resource quantities (`500m`, `1.5`, `64Mi`, `1G`, `1e3`), parsed exactly.
//!
//! The grammar is Kubernetes': a signed decimal number (`1`, `1.5`, `.5`, `5.`) followed by
//! nothing, a decimal SI suffix (`m` `k` `M` `G` `T` `P` `E`), a binary SI suffix (`Ki` `Mi`
//! `Gi` `Ti` `Pi` `Ei`) or a decimal exponent (`e3`, `E-2`). The value is computed without
//! floating point and, like Kubernetes' `Quantity.Value()`, rounded up (away from zero) to the
//! unit asked for.

/// The CPU amount in nanocores (Docker's `NanoCpus`): `"500m"` is 500 000 000, `"1.5"` is
/// 1 500 000 000.
pub fn cpu_nanos(text: &str) -> Result<i64, String> {
    parse(text, 9)
}

/// The amount in bytes: `"64Mi"` is 67 108 864, `"1G"` is 1 000 000 000, `"1e3"` is 1000.
pub fn bytes(text: &str) -> Result<i64, String> {
    parse(text, 0)
}

/// A quantity as a number times `2^(10 * binary) * 10^decimal`.
struct Parsed {
    negative: bool,
    /// The digits without the decimal point, leading and trailing zeros removed.
    mantissa: u128,
    /// Power of ten applied to `mantissa` (the fraction digits and trailing zeros included).
    decimal: i64,
    /// Power of 1024 from a binary suffix.
    binary: u32,
}

const SUFFIXES: &str = "m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3";

/// Significant digits kept exactly; more would not fit the arithmetic (and mean nothing).
const MAX_DIGITS: usize = 30;

fn split_number(text: &str) -> Result<(bool, &str, &str, &str), String> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (int_part, after) = rest.split_at(int_len);
    let (frac_part, suffix) = match after.strip_prefix('.') {
        Some(f) => {
            let n = f.bytes().take_while(u8::is_ascii_digit).count();
            f.split_at(n)
        }
        None => ("", after),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err("it does not start with a number".to_string());
    }
    Ok((negative, int_part, frac_part, suffix))
}

/// A decimal exponent after `e`/`E`: an optionally signed integer.
fn exponent(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Anything this large is out of range anyway; keep the arithmetic small.
    let n: i64 = if digits.len() > 6 {
        999_999
    } else {
        digits.parse().ok()?
    };
    Some(if text.starts_with('-') { -n } else { n })
}

fn parse_parts(text: &str) -> Result<Parsed, String> {
    if text.is_empty() {
        return Err("it is empty".to_string());
    }
    if text.trim() != text {
        return Err("it has spaces around it".to_string());
    }
    let (negative, int_part, frac_part, suffix) = split_number(text)?;
    let (decimal_suffix, binary) = match suffix {
        "" => (0, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 1),
        "Mi" => (0, 2),
        "Gi" => (0, 3),
        "Ti" => (0, 4),
        "Pi" => (0, 5),
        "Ei" => (0, 6),
        s if s.starts_with(['e', 'E']) => match exponent(&s[1..]) {
            Some(e) => (e, 0),
            None => return Err(format!("unknown suffix `{s}` (use {SUFFIXES})")),
        },
        s => return Err(format!("unknown suffix `{s}` (use {SUFFIXES})")),
    };
    let all = format!("{int_part}{frac_part}");
    let significant = all.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    let trailing_zeros = (significant.len() - trimmed.len()) as i64;
    if trimmed.len() > MAX_DIGITS {
        return Err(format!("it has more than {MAX_DIGITS} significant digits"));
    }
    let mantissa = if trimmed.is_empty() {
        0
    } else {
        trimmed
            .parse::<u128>()
            .map_err(|_| "it is not a number".to_string())?
    };
    Ok(Parsed {
        negative,
        mantissa,
        decimal: decimal_suffix - frac_part.len() as i64 + trailing_zeros,
        binary,
    })
}

/// The quantity in units of `10^-unit_exp10` (9: nanos, 0: ones), rounded away from zero.
fn parse(text: &str, unit_exp10: i64) -> Result<i64, String> {
    let p = parse_parts(text)?;
    let too_large = || "it is too large".to_string();
    if p.mantissa == 0 {
        return Ok(0);
    }
    let mut value: u128 = p.mantissa;
    for _ in 0..p.binary {
        value = value.checked_mul(1024).ok_or_else(too_large)?;
    }
    let decimal = p.decimal + unit_exp10;
    if decimal >= 0 {
        for _ in 0..decimal {
            value = value.checked_mul(10).ok_or_else(too_large)?;
            if value > i64::MAX as u128 {
                return Err(too_large());
            }
        }
    } else {
        // ceil(ceil(x / 10) / 10) == ceil(x / 100): divide step by step, rounding up.
        for _ in 0..-decimal {
            value = value.div_ceil(10);
            if value <= 1 {
                break;
            }
        }
    }
    let magnitude = i64::try_from(value).map_err(|_| too_large())?;
    Ok(if p.negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu() {
        assert_eq!(cpu_nanos("500m"), Ok(500_000_000));
        assert_eq!(cpu_nanos("1.5"), Ok(1_500_000_000));
        assert_eq!(cpu_nanos("2"), Ok(2_000_000_000));
        assert_eq!(cpu_nanos("0.1"), Ok(100_000_000));
        assert_eq!(cpu_nanos(".5"), Ok(500_000_000));
        assert_eq!(cpu_nanos("5."), Ok(5_000_000_000));
        assert_eq!(cpu_nanos("1m"), Ok(1_000_000));
        assert_eq!(cpu_nanos("0"), Ok(0));
        assert_eq!(cpu_nanos("0.0000000001"), Ok(1));
        assert_eq!(cpu_nanos("-1"), Ok(-1_000_000_000));
        assert_eq!(cpu_nanos("+250m"), Ok(250_000_000));
    }

    #[test]
    fn memory() {
        assert_eq!(bytes("64Mi"), Ok(67_108_864));
        assert_eq!(bytes("1G"), Ok(1_000_000_000));
        assert_eq!(bytes("1e3"), Ok(1000));
        assert_eq!(bytes("1E3"), Ok(1000));
        assert_eq!(bytes("128974848"), Ok(128_974_848));
        assert_eq!(bytes("129M"), Ok(129_000_000));
        assert_eq!(bytes("123Mi"), Ok(128_974_848));
        assert_eq!(bytes("1Gi"), Ok(1_073_741_824));
        assert_eq!(bytes("0.5Gi"), Ok(536_870_912));
        assert_eq!(bytes("1k"), Ok(1000));
        assert_eq!(bytes("1Ki"), Ok(1024));
        assert_eq!(bytes("1E"), Ok(1_000_000_000_000_000_000));
        assert_eq!(bytes("2Ei"), Ok(2_305_843_009_213_693_952));
        assert_eq!(bytes("12e-1"), Ok(2), "1.2 bytes round up");
        assert_eq!(bytes("1500m"), Ok(2));
        assert_eq!(bytes("100000000000000000000e-20"), Ok(1));
        assert_eq!(bytes("0.000"), Ok(0));
    }

    #[test]
    fn errors() {
        assert_eq!(bytes(""), Err("it is empty".to_string()));
        assert_eq!(
            bytes("Mi"),
            Err("it does not start with a number".to_string())
        );
        assert_eq!(
            bytes("."),
            Err("it does not start with a number".to_string())
        );
        assert_eq!(
            bytes("64MB"),
            Err(format!("unknown suffix `MB` (use {SUFFIXES})"))
        );
        assert_eq!(
            bytes("1e"),
            Err(format!("unknown suffix `e` (use {SUFFIXES})"))
        );
        assert_eq!(
            bytes("1mi"),
            Err(format!("unknown suffix `mi` (use {SUFFIXES})"))
        );
        assert!(bytes("1 Gi").is_err());
        assert!(bytes(" 1").is_err());
        assert!(bytes("1.2.3").is_err());
        assert!(bytes("--1").is_err());
        assert_eq!(bytes("8Ei"), Err("it is too large".to_string()));
        assert_eq!(bytes("1e19"), Err("it is too large".to_string()));
        assert_eq!(bytes("1e999999999"), Err("it is too large".to_string()));
        assert_eq!(cpu_nanos("10E"), Err("it is too large".to_string()));
        assert_eq!(bytes("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(
            bytes("9223372036854775808"),
            Err("it is too large".to_string())
        );
        assert!(bytes(&"1".repeat(31)).is_err());
    }
}
