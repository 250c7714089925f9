//! Virtual durations written as `<number><ms|s|m|h|d>` (`500ms`, `10s`,
//! `1.5m`, `36h`, `2d`), in milliseconds.

/// The largest duration accepted: 100 years, far beyond any Step Functions
/// limit (an execution lasts at most one year), so arithmetic never overflows.
pub const MAX_MILLIS: u64 = 100 * 365 * 86_400_000;

/// Parses a duration into milliseconds. The error says what is expected.
pub fn parse(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: f64 = match unit {
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        "" => return Err(format!("{text:?} has no unit; write e.g. `{t}s` (units: ms, s, m, h, d)")),
        other => {
            return Err(format!(
                "{text:?} has the unknown unit {other:?}; units are ms, s, m, h, d (e.g. `500ms`, `10s`, `36h`)"
            ))
        }
    };
    if number.is_empty()
        || number.starts_with('.')
        || number.ends_with('.')
        || number.matches('.').count() > 1
    {
        return Err(format!("{text:?} is not a duration; write a number and a unit, e.g. `500ms`, `10s`, `5m`, `36h`, `2d`"));
    }
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; e.g. `10s`"))?;
    let ms = value * factor;
    if ms.fract() != 0.0 {
        return Err(format!("{text:?} is not a whole number of milliseconds"));
    }
    if ms > MAX_MILLIS as f64 {
        return Err(format!("{text:?} is longer than 100 years"));
    }
    Ok(ms as u64)
}

/// Writes milliseconds back in the shortest exact unit (`90s` → `90s`,
/// `120000` → `2m`).
pub fn format(ms: u64) -> String {
    for (unit, f) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if ms != 0 && ms.is_multiple_of(f) {
            return format!("{}{unit}", ms / f);
        }
    }
    format!("{ms}ms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse("500ms"), Ok(500));
        assert_eq!(parse("10s"), Ok(10_000));
        assert_eq!(parse("5m"), Ok(300_000));
        assert_eq!(parse("36h"), Ok(129_600_000));
        assert_eq!(parse("2d"), Ok(172_800_000));
        assert_eq!(parse("1.5s"), Ok(1_500));
        assert_eq!(parse("0s"), Ok(0));
    }

    #[test]
    fn errors() {
        for bad in [
            "",
            "10",
            "s",
            "10x",
            "1.2.3s",
            ".5s",
            "5.s",
            "-1s",
            "1e9d",
            "0.5ms",
            "99999999999d",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("10").unwrap_err().contains("no unit"));
        assert!(parse("10sec").unwrap_err().contains("unknown unit"));
    }

    #[test]
    fn round_trip() {
        for ms in [0, 1, 500, 1_000, 90_000, 3_600_000, 86_400_000, 129_600_000] {
            assert_eq!(parse(&format(ms)), Ok(ms));
        }
    }
}
