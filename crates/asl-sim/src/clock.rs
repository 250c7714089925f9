//! Virtual time: epoch milliseconds on a clock only the engine moves.
//!
//! All arithmetic saturates, so hostile values (`Seconds: 1e309`, year 9999,
//! negative durations) never overflow or panic; the clock never goes back.

use chrono::{DateTime, SecondsFormat, Utc};

/// Epoch milliseconds.
pub type Millis = i64;

/// 2024-01-01T00:00:00Z, the default start of the virtual clock.
pub const DEFAULT_START: Millis = 1_704_067_200_000;

/// The latest representable instant: 9999-12-31T23:59:59.999Z (RFC 3339
/// cannot write later years; timers beyond it never fire).
pub const MAX_TIME: Millis = 253_402_300_799_999;

/// A monotonic virtual clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VirtualClock {
    now: Millis,
}

impl Default for VirtualClock {
    fn default() -> Self {
        VirtualClock::new(DEFAULT_START)
    }
}

impl VirtualClock {
    /// A clock starting at `start` (clamped to `0..=MAX_TIME`).
    pub fn new(start: Millis) -> Self {
        VirtualClock {
            now: start.clamp(0, MAX_TIME),
        }
    }

    /// A clock starting at an RFC 3339 instant.
    pub fn from_rfc3339(start: &str) -> Result<Self, String> {
        parse_rfc3339(start).map(VirtualClock::new)
    }

    /// The current virtual time.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Moves forward by `ms` (negative values are ignored); saturates at
    /// [`MAX_TIME`].
    pub fn advance(&mut self, ms: Millis) {
        self.now = add_millis(self.now, ms.max(0));
    }

    /// Moves to `t` if it is later than now (the clock never goes back).
    pub fn advance_to(&mut self, t: Millis) {
        if t > self.now {
            self.now = t.min(MAX_TIME);
        }
    }
}

/// `t + ms`, saturating into `0..=MAX_TIME`.
pub fn add_millis(t: Millis, ms: Millis) -> Millis {
    t.saturating_add(ms).clamp(0, MAX_TIME)
}

/// Whole seconds as milliseconds, saturating.
pub fn secs_to_millis(secs: i64) -> Millis {
    secs.saturating_mul(1000)
}

/// A duration in (possibly fractional, possibly hostile) seconds as
/// milliseconds: NaN and negatives are 0, huge values saturate.
pub fn f64_secs_to_millis(secs: f64) -> Millis {
    if secs.is_nan() || secs <= 0.0 {
        return 0;
    }
    let ms = (secs * 1000.0).round();
    if ms >= MAX_TIME as f64 {
        MAX_TIME
    } else {
        ms as Millis
    }
}

/// `t + secs` for a fractional number of seconds, saturating.
pub fn add_secs_f64(t: Millis, secs: f64) -> Millis {
    add_millis(t, f64_secs_to_millis(secs))
}

/// Parses an RFC 3339 timestamp to epoch milliseconds (sub-millisecond
/// digits are truncated).
pub fn parse_rfc3339(s: &str) -> Result<Millis, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp_millis())
        .map_err(|e| format!("{s:?} is not an RFC 3339 timestamp: {e}"))
}

/// Formats epoch milliseconds as RFC 3339 with milliseconds and `Z`
/// (`2024-01-01T00:00:00.000Z`).
pub fn format_rfc3339(t: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(t.clamp(0, MAX_TIME))
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_start_is_2024() {
        assert_eq!(
            format_rfc3339(VirtualClock::default().now()),
            "2024-01-01T00:00:00.000Z"
        );
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00Z"), Ok(DEFAULT_START));
        assert_eq!(
            VirtualClock::from_rfc3339("2024-01-01T00:00:01.5+00:00")
                .unwrap()
                .now(),
            DEFAULT_START + 1500
        );
        assert!(VirtualClock::from_rfc3339("yesterday").is_err());
    }

    #[test]
    fn saturating_and_monotonic() {
        let mut c = VirtualClock::default();
        c.advance(-5);
        assert_eq!(c.now(), DEFAULT_START);
        c.advance(i64::MAX);
        assert_eq!(c.now(), MAX_TIME);
        c.advance_to(0);
        assert_eq!(c.now(), MAX_TIME);
        assert_eq!(add_secs_f64(0, f64::INFINITY), MAX_TIME);
        assert_eq!(add_secs_f64(10, f64::NAN), 10);
        assert_eq!(add_secs_f64(10, -3.0), 10);
        assert_eq!(f64_secs_to_millis(0.0015), 2);
        assert_eq!(secs_to_millis(i64::MAX), i64::MAX);
        assert_eq!(add_millis(i64::MIN, -1), 0);
        assert_eq!(format_rfc3339(MAX_TIME), "9999-12-31T23:59:59.999Z");
        assert_eq!(VirtualClock::new(-1).now(), 0);
    }
}
