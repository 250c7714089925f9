//! RFC 3339 / ISO-8601 timestamps as Step Functions applies them.
//!
//! Two parsers, because AWS checks timestamps in two places with two
//! different engines:
//!
//! * **Definition time** ([`parse_definition_timestamp`]): a literal Wait
//!   `Timestamp` in a JSONPath state is checked by the schema validator, which
//!   answers `SCHEMA_VALIDATION_FAILED` "String does not match RFC3339
//!   timestamp" ([`DEFINITION_MESSAGE`]). Rejected on AWS: missing `T`
//!   (`2016-12-05 21:29:29Z`), missing `Z`/offset, month 13, hour 25,
//!   `DD-MM-YYYY` order, and a `{% … %}` string (not an expression in a JSONPath
//!   state) — ASL-REFERENCE §1.3 Wait, [C: lint
//!   invalid/localstack__scenarios__wait_timestamp_invalid_*.json].
//!   Nanosecond fractions are accepted
//!   [C: scenarios/TestBaseScenarios__test_wait_timestamp_NANOSECONDS].
//!   Seconds are required (RFC 3339 `partial-time`).
//! * **Run time** ([`parse_runtime_timestamp`]): `TimestampPath` values, a
//!   JSONata `Timestamp` result and the Choice `Timestamp*` / `IsTimestamp`
//!   operators. The recorded causes name "a valid ISO-8601 extended offset
//!   date-time format string", the Javadoc wording of Java's
//!   `ISO_OFFSET_DATE_TIME`, so the run-time grammar follows that formatter:
//!   seconds optional (`2016-03-14T01:59Z`), fraction of 1–9 digits, offset
//!   `Z` or `±HH:MM[:SS]` of at most 18 hours (the seconds-optional and
//!   `:SS` offset parts are inferred from the formatter, unverified on AWS).
//!   Recorded: no `Z` (`…T21:29:29` and `….000000`) rejected; `.000000Z`,
//!   `.00Z`, `Z` and nanoseconds accepted
//!   [C: wait/TestSfnWait__test_wait_timestamppath_*],
//!   [C: scenarios/TestBaseScenarios__test_wait_timestamp_path_NO_Z],
//!   [C: scenarios/TestBaseScenarios__test_wait_timestamp_jsonata_*].
//!
//! **Upper case `T` and `Z`.** RFC 3339 allows `t`/`z`, Java's ISO formatter
//! parses case-insensitively, but the AWS documentation of both Wait and
//! Choice says "an uppercase T must separate the date and time portions, and
//! an uppercase Z must denote that a numeric time zone offset is not present"
//! (ASL-REFERENCE §7). No recording decides it; we follow the documentation in
//! both parsers ([`TimestampErrorReason::LowercaseT`] / `LowercaseZ`), which
//! is the conservative choice for a linter. Change [`ALLOW_LOWERCASE`] to flip
//! it.
//!
//! Both parsers cap the fraction at 9 digits (nanoseconds, Java's limit), reject
//! leap second `60`, and validate the calendar (Feb 30 is rejected: Java's ISO
//! formatters resolve strictly). Years are exactly four digits (0000–9999);
//! year 9999 is fine and every value converts to UTC milliseconds without
//! overflow ([`to_utc_millis`]). Delays use saturating arithmetic
//! ([`saturating_add_seconds`], [`wait_delay_millis`]); a Wait more than
//! [`MAX_WAIT_DELAY_SECONDS`] ahead fails with "Wait state delay is too
//! long." — 24 855 days accepted, 24 856 rejected
//! [C: wait/TestSfnWait__test_timestamp_too_far_in_future_boundary_24856],
//! which brackets `i32::MAX` seconds (the exact boundary in between is
//! inferred).
//!
//! The context object and history form is [`format_millis`]:
//! `2019-03-26T20:14:13.192Z` — UTC, always three fraction digits, `Z`
//! (ASL-REFERENCE §4.5).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use std::fmt;

/// Whether lower-case `t` / `z` are accepted (see the module documentation).
pub const ALLOW_LOWERCASE: bool = false;

/// The `SCHEMA_VALIDATION_FAILED` message for a literal Wait `Timestamp` that
/// is not an RFC 3339 timestamp (location `/States/<s>/Timestamp`).
pub const DEFINITION_MESSAGE: &str = "String does not match RFC3339 timestamp";

/// The `States.Runtime` cause suffix when a Wait target is too far ahead.
pub const WAIT_TOO_LONG_MESSAGE: &str = "Wait state delay is too long.";

/// Longest accepted Wait delay, in seconds (`i32::MAX`; see module docs).
pub const MAX_WAIT_DELAY_SECONDS: i64 = i32::MAX as i64;

/// Which grammar a timestamp is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampContext {
    /// A literal Wait `Timestamp` checked when the definition is validated.
    Definition,
    /// `TimestampPath`, JSONata `Timestamp`, Choice timestamp operators.
    Runtime,
}

/// Why a string is not an accepted timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampErrorReason {
    /// The string is empty.
    Empty,
    /// The date part is not `YYYY-MM-DD` (e.g. `05-12-2016`).
    DateFormat,
    /// Month outside 01–12.
    MonthOutOfRange,
    /// Day outside the month (e.g. `2016-02-30`).
    DayOutOfRange,
    /// No `T` between date and time (e.g. a space).
    MissingT,
    /// A lower-case `t` separator.
    LowercaseT,
    /// The time part is not `HH:MM:SS` (or `HH:MM` at run time).
    TimeFormat,
    /// Hour outside 00–23.
    HourOutOfRange,
    /// Minute outside 00–59.
    MinuteOutOfRange,
    /// Second outside 00–59 (leap second 60 included).
    SecondOutOfRange,
    /// A `.` with no digits after it.
    EmptyFraction,
    /// More than nine fraction digits.
    FractionTooLong,
    /// Neither `Z` nor a numeric offset.
    MissingOffset,
    /// A lower-case `z`.
    LowercaseZ,
    /// A malformed or out-of-range numeric offset.
    OffsetFormat,
    /// Characters after the offset.
    TrailingCharacters,
}

impl TimestampErrorReason {
    /// A short human explanation.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Empty => "the timestamp is empty",
            Self::DateFormat => "the date must be written YYYY-MM-DD",
            Self::MonthOutOfRange => "the month must be between 01 and 12",
            Self::DayOutOfRange => "the day does not exist in that month",
            Self::MissingT => "an upper-case 'T' must separate the date and the time",
            Self::LowercaseT => "the date/time separator must be an upper-case 'T'",
            Self::TimeFormat => "the time must be written HH:MM:SS",
            Self::HourOutOfRange => "the hour must be between 00 and 23",
            Self::MinuteOutOfRange => "the minute must be between 00 and 59",
            Self::SecondOutOfRange => "the second must be between 00 and 59",
            Self::EmptyFraction => "a '.' must be followed by fraction digits",
            Self::FractionTooLong => "at most nine fraction digits (nanoseconds) are allowed",
            Self::MissingOffset => "a 'Z' or a numeric offset such as +01:00 is required",
            Self::LowercaseZ => "UTC must be written with an upper-case 'Z'",
            Self::OffsetFormat => "the offset must be 'Z' or ±HH:MM",
            Self::TrailingCharacters => "unexpected characters after the timestamp",
        }
    }
}

/// A rejected timestamp: the input, why, and the byte offset where parsing
/// stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    /// The rejected string.
    pub input: String,
    /// The rule it breaks.
    pub reason: TimestampErrorReason,
    /// Byte offset into `input` of the offending part.
    pub offset: usize,
    /// Grammar it was checked against.
    pub context: TimestampContext,
}

impl TimestampError {
    /// A suggested fix, when one is obvious (e.g. `2016-12-05T21:29:29Z` for
    /// `2016-12-05 21:29:29Z` or `2016-12-05T21:29:29`).
    pub fn suggestion(&self) -> Option<String> {
        let s = &self.input;
        let fixed = match self.reason {
            TimestampErrorReason::MissingT | TimestampErrorReason::LowercaseT
                if s.len() > 10 && s.is_char_boundary(10) && s.is_char_boundary(11) =>
            {
                format!("{}T{}", &s[..10], &s[11..])
            }
            TimestampErrorReason::MissingOffset => format!("{s}Z"),
            TimestampErrorReason::LowercaseZ => s.replace('z', "Z"),
            _ => return None,
        };
        parse_timestamp(&fixed, self.context).ok().map(|_| fixed)
    }
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.context {
            TimestampContext::Definition => {
                write!(f, "{DEFINITION_MESSAGE} ({})", self.reason.describe())
            }
            TimestampContext::Runtime => write!(
                f,
                "'{}' is not an ISO-8601 extended offset date-time ({})",
                self.input,
                self.reason.describe()
            ),
        }
    }
}

impl std::error::Error for TimestampError {}

/// Parses a literal Wait `Timestamp` as the definition validator does.
pub fn parse_definition_timestamp(s: &str) -> Result<DateTime<FixedOffset>, TimestampError> {
    parse_timestamp(s, TimestampContext::Definition)
}

/// Parses a timestamp as the run-time engine does (`TimestampPath`, JSONata
/// `Timestamp`, Choice comparisons).
pub fn parse_runtime_timestamp(s: &str) -> Result<DateTime<FixedOffset>, TimestampError> {
    parse_timestamp(s, TimestampContext::Runtime)
}

/// Choice `IsTimestamp`: whether `s` is accepted by the run-time parser.
pub fn is_timestamp(s: &str) -> bool {
    parse_runtime_timestamp(s).is_ok()
}

/// Parses `s` under the rules of `context`.
pub fn parse_timestamp(
    s: &str,
    context: TimestampContext,
) -> Result<DateTime<FixedOffset>, TimestampError> {
    Parser {
        s: s.as_bytes(),
        input: s,
        pos: 0,
        context,
    }
    .parse()
}

struct Parser<'a> {
    s: &'a [u8],
    input: &'a str,
    pos: usize,
    context: TimestampContext,
}

impl Parser<'_> {
    fn err(&self, reason: TimestampErrorReason, offset: usize) -> TimestampError {
        TimestampError {
            input: self.input.to_owned(),
            reason,
            offset,
            context: self.context,
        }
    }

    /// Exactly `n` ASCII digits at the cursor.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let end = self.pos.checked_add(n)?;
        let part = self.s.get(self.pos..end)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos = end;
        Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }

    fn byte(&mut self, b: u8) -> bool {
        if self.s.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn parse(mut self) -> Result<DateTime<FixedOffset>, TimestampError> {
        use TimestampErrorReason as R;
        if self.s.is_empty() {
            return Err(self.err(R::Empty, 0));
        }
        // Date: YYYY-MM-DD.
        let year = self.digits(4);
        let date_ok = year.is_some() && self.byte(b'-');
        let month_at = self.pos;
        let month = if date_ok { self.digits(2) } else { None };
        let day_at = self.pos + 1;
        let day = if month.is_some() && self.byte(b'-') {
            self.digits(2)
        } else {
            None
        };
        let (Some(year), Some(month), Some(day)) = (year, month, day) else {
            return Err(self.err(R::DateFormat, 0));
        };
        if !(1..=12).contains(&month) {
            return Err(self.err(R::MonthOutOfRange, month_at));
        }
        let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day) else {
            return Err(self.err(R::DayOutOfRange, day_at));
        };
        // Separator.
        match self.s.get(self.pos) {
            Some(b'T') => self.pos += 1,
            Some(b't') if ALLOW_LOWERCASE => self.pos += 1,
            Some(b't') => return Err(self.err(R::LowercaseT, self.pos)),
            _ => return Err(self.err(R::MissingT, self.pos)),
        }
        // Time: HH:MM[:SS[.fff]].
        let time_at = self.pos;
        let hour = self.digits(2);
        let minute = if hour.is_some() && self.byte(b':') {
            self.digits(2)
        } else {
            None
        };
        let (Some(hour), Some(minute)) = (hour, minute) else {
            return Err(self.err(R::TimeFormat, time_at));
        };
        let second_at = self.pos + 1;
        let second = if self.byte(b':') {
            match self.digits(2) {
                Some(sec) => Some(sec),
                None => return Err(self.err(R::TimeFormat, second_at)),
            }
        } else {
            None
        };
        let had_seconds = second.is_some();
        if hour > 23 {
            return Err(self.err(R::HourOutOfRange, time_at));
        }
        if minute > 59 {
            return Err(self.err(R::MinuteOutOfRange, time_at + 3));
        }
        let second = match (second, self.context) {
            (Some(sec), _) if sec > 59 => return Err(self.err(R::SecondOutOfRange, second_at)),
            (Some(sec), _) => sec,
            (None, TimestampContext::Runtime) => 0,
            (None, TimestampContext::Definition) => {
                return Err(self.err(R::TimeFormat, self.pos));
            }
        };
        let mut nanos = 0u32;
        if had_seconds && self.s.get(self.pos) == Some(&b'.') {
            let dot = self.pos;
            self.pos += 1;
            let start = self.pos;
            while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
                self.pos += 1;
            }
            let n = self.pos - start;
            if n == 0 {
                return Err(self.err(R::EmptyFraction, dot));
            }
            if n > 9 {
                return Err(self.err(R::FractionTooLong, start + 9));
            }
            let frac = &self.s[start..self.pos];
            nanos = frac
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
                * 10u32.pow((9 - n) as u32);
        }
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
            .ok_or_else(|| self.err(R::TimeFormat, time_at))?;
        // Offset.
        let offset_at = self.pos;
        let offset_secs: i32 = match self.s.get(self.pos) {
            Some(b'Z') => {
                self.pos += 1;
                0
            }
            Some(b'z') if ALLOW_LOWERCASE => {
                self.pos += 1;
                0
            }
            Some(b'z') => return Err(self.err(R::LowercaseZ, self.pos)),
            Some(&sign @ (b'+' | b'-')) => {
                self.pos += 1;
                let oh = self.digits(2);
                let om = if oh.is_some() && self.byte(b':') {
                    self.digits(2)
                } else {
                    None
                };
                let (Some(oh), Some(om)) = (oh, om) else {
                    return Err(self.err(R::OffsetFormat, offset_at));
                };
                let os = if self.context == TimestampContext::Runtime && self.byte(b':') {
                    match self.digits(2) {
                        Some(v) => v,
                        None => return Err(self.err(R::OffsetFormat, offset_at)),
                    }
                } else {
                    0
                };
                let max_hour = match self.context {
                    TimestampContext::Definition => 23,
                    TimestampContext::Runtime => 18,
                };
                let total = oh * 3600 + om * 60 + os;
                let too_big = match self.context {
                    TimestampContext::Definition => oh > max_hour,
                    TimestampContext::Runtime => total > max_hour * 3600,
                };
                if om > 59 || os > 59 || too_big {
                    return Err(self.err(R::OffsetFormat, offset_at));
                }
                let total = total as i32;
                if sign == b'-' {
                    -total
                } else {
                    total
                }
            }
            None => return Err(self.err(R::MissingOffset, self.pos)),
            Some(_) => return Err(self.err(R::MissingOffset, self.pos)),
        };
        if self.pos != self.s.len() {
            return Err(self.err(R::TrailingCharacters, self.pos));
        }
        let offset = FixedOffset::east_opt(offset_secs)
            .ok_or_else(|| self.err(R::OffsetFormat, offset_at))?;
        offset
            .from_local_datetime(&NaiveDateTime::new(date, time))
            .single()
            .ok_or_else(|| self.err(R::OffsetFormat, offset_at))
    }
}

/// Milliseconds since the Unix epoch, in UTC (sub-millisecond digits are
/// truncated towards the past). Never overflows for any parsed value.
pub fn to_utc_millis(dt: &DateTime<FixedOffset>) -> i64 {
    dt.timestamp_millis()
}

/// Formats epoch milliseconds in the context-object / history form
/// `2019-03-26T20:14:13.192Z`. Values outside chrono's range saturate to its
/// minimum / maximum instant.
pub fn format_millis(ms: i64) -> String {
    let dt = Utc.timestamp_millis_opt(ms).single().unwrap_or(if ms < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    });
    format_utc(&dt)
}

/// Formats any timestamp in the context-object / history form (converted to
/// UTC, truncated to milliseconds).
pub fn format_datetime(dt: &DateTime<FixedOffset>) -> String {
    format_utc(&dt.with_timezone(&Utc))
}

fn format_utc(dt: &DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let year = dt.year();
    let year = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else if year < 0 {
        format!("-{:06}", -(year as i64))
    } else {
        format!("+{year:06}")
    };
    format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.nanosecond().min(999_999_999) / 1_000_000
    )
}

/// Epoch seconds with a millisecond fraction, as the JSON wire protocol
/// writes timestamps (`1700000000.123`).
pub fn epoch_seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// `ms + secs * 1000`, saturating at `i64::MIN` / `i64::MAX`.
pub fn saturating_add_seconds(ms: i64, secs: i64) -> i64 {
    ms.saturating_add(secs.saturating_mul(1000))
}

/// `ms + secs * 1000` for a fractional or hostile number of seconds
/// (`1e309`, NaN): NaN counts as 0, infinities and overflow saturate.
pub fn saturating_add_seconds_f64(ms: i64, secs: f64) -> i64 {
    if secs.is_nan() {
        return ms;
    }
    let delta = secs * 1000.0;
    if delta >= i64::MAX as f64 {
        i64::MAX
    } else if delta <= i64::MIN as f64 {
        i64::MIN
    } else {
        ms.saturating_add(delta as i64)
    }
}

/// The Wait delay until `target`, seen from `now_ms`: `Ok(0)` for a time in
/// the past, `Err` with [`WAIT_TOO_LONG_MESSAGE`] semantics beyond
/// [`MAX_WAIT_DELAY_SECONDS`].
pub fn wait_delay_millis(now_ms: i64, target: &DateTime<FixedOffset>) -> Result<i64, WaitTooLong> {
    let delay = to_utc_millis(target).saturating_sub(now_ms).max(0);
    if delay > MAX_WAIT_DELAY_SECONDS * 1000 {
        Err(WaitTooLong)
    } else {
        Ok(delay)
    }
}

/// A Wait target further ahead than [`MAX_WAIT_DELAY_SECONDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTooLong;

impl fmt::Display for WaitTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(WAIT_TOO_LONG_MESSAGE)
    }
}

impl std::error::Error for WaitTooLong {}

/// The `States.Runtime` cause suffix for a bad `TimestampPath` value:
/// `The TimestampPath parameter does not reference a valid ISO-8601 extended
/// offset date-time format string: $.x == 2016-13-05T21:29:29Z` (strings
/// unquoted, other values as compact JSON) — ASL-REFERENCE §4.3.
pub fn timestamp_path_cause(path: &str, value: &serde_json::Value) -> String {
    let shown = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    format!(
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {shown}"
    )
}

/// The `States.QueryEvaluationError` cause suffix for a JSONata Wait
/// `Timestamp` that does not parse — ASL-REFERENCE §6.4,
/// [C: scenarios/TestBaseScenarios__test_wait_timestamp_jsonata_NO_Z].
pub fn jsonata_timestamp_cause(value: &str) -> String {
    format!(
        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {value}"
    )
}

#[cfg(test)]
mod tests {
    use super::TimestampErrorReason as R;
    use super::*;

    fn def_err(s: &str) -> R {
        parse_definition_timestamp(s).unwrap_err().reason
    }
    fn rt_err(s: &str) -> R {
        parse_runtime_timestamp(s).unwrap_err().reason
    }

    #[test]
    fn recorded_definition_rejections() {
        assert_eq!(def_err("2016-13-05T21:29:29Z"), R::MonthOutOfRange);
        assert_eq!(def_err("05-12-2016T21:29:29Z"), R::DateFormat);
        assert_eq!(def_err("2016-12-05T25:29:29Z"), R::HourOutOfRange);
        assert_eq!(def_err("2016-12-05 21:29:29Z"), R::MissingT);
        assert_eq!(def_err("2016-12-05T21:29:29"), R::MissingOffset);
        assert_eq!(def_err("{% '2016-03-14T01:59:00Z' %}"), R::DateFormat);
        assert_eq!(def_err(""), R::Empty);
    }

    #[test]
    fn recorded_acceptances() {
        let dt = parse_definition_timestamp("2016-03-05T21:29:29.243167252Z").unwrap();
        assert_eq!(dt.timestamp_subsec_nanos(), 243_167_252);
        assert!(parse_definition_timestamp("2016-03-14T01:59:00Z").is_ok());
        for s in [
            "2016-03-14T01:59:00.000000Z",
            "2016-03-14T01:59:00.00Z",
            "2016-03-14T01:59:00Z",
        ] {
            assert!(parse_runtime_timestamp(s).is_ok(), "{s}");
        }
        assert_eq!(rt_err("2016-03-14T01:59:00.000000"), R::MissingOffset);
        assert_eq!(rt_err("2016-12-05T21:29:29"), R::MissingOffset);
        assert_eq!(rt_err("2016-12-05 21:29:29Z"), R::MissingT);
    }

    #[test]
    fn case_of_t_and_z() {
        assert_eq!(def_err("2016-12-05t21:29:29Z"), R::LowercaseT);
        assert_eq!(def_err("2016-12-05T21:29:29z"), R::LowercaseZ);
        assert_eq!(rt_err("2016-12-05t21:29:29Z"), R::LowercaseT);
        assert_eq!(rt_err("2016-12-05T21:29:29z"), R::LowercaseZ);
    }

    #[test]
    fn offsets() {
        let dt = parse_definition_timestamp("2016-12-05T21:29:29+01:00").unwrap();
        assert_eq!(format_datetime(&dt), "2016-12-05T20:29:29.000Z");
        let dt = parse_runtime_timestamp("2016-12-05T21:29:29-05:30").unwrap();
        assert_eq!(format_datetime(&dt), "2016-12-06T02:59:29.000Z");
        assert_eq!(def_err("2016-12-05T21:29:29+0100"), R::OffsetFormat);
        assert_eq!(def_err("2016-12-05T21:29:29+01"), R::OffsetFormat);
        assert_eq!(rt_err("2016-12-05T21:29:29+19:00"), R::OffsetFormat);
        assert!(parse_runtime_timestamp("2016-12-05T21:29:29+01:00:30").is_ok());
        assert_eq!(
            def_err("2016-12-05T21:29:29+01:00:30"),
            R::TrailingCharacters
        );
        assert_eq!(def_err("2016-12-05T21:29:29ZZ"), R::TrailingCharacters);
    }

    #[test]
    fn fields_and_calendar() {
        assert_eq!(def_err("2016-02-30T00:00:00Z"), R::DayOutOfRange);
        assert!(parse_definition_timestamp("2016-02-29T00:00:00Z").is_ok());
        assert_eq!(def_err("2015-02-29T00:00:00Z"), R::DayOutOfRange);
        assert_eq!(def_err("2016-00-10T00:00:00Z"), R::MonthOutOfRange);
        assert_eq!(def_err("2016-12-05T21:60:29Z"), R::MinuteOutOfRange);
        assert_eq!(def_err("2016-12-05T21:29:60Z"), R::SecondOutOfRange);
        assert_eq!(def_err("2016-12-05T21:29Z"), R::TimeFormat);
        assert!(parse_runtime_timestamp("2016-12-05T21:29Z").is_ok());
        assert_eq!(def_err("2016-12-05T21:29:29.Z"), R::EmptyFraction);
        assert_eq!(
            def_err("2016-12-05T21:29:29.1234567890Z"),
            R::FractionTooLong
        );
        assert_eq!(def_err("16-12-05T21:29:29Z"), R::DateFormat);
        assert_eq!(def_err("2016-1-05T21:29:29Z"), R::DateFormat);
        assert_eq!(def_err("2016-12-05T1:29:29Z"), R::TimeFormat);
        assert_eq!(def_err("２016-12-05T21:29:29Z"), R::DateFormat);
    }

    #[test]
    fn suggestions() {
        let e = parse_definition_timestamp("2016-12-05 21:29:29Z").unwrap_err();
        assert_eq!(e.suggestion().as_deref(), Some("2016-12-05T21:29:29Z"));
        let e = parse_definition_timestamp("2016-12-05T21:29:29").unwrap_err();
        assert_eq!(e.suggestion().as_deref(), Some("2016-12-05T21:29:29Z"));
        let e = parse_definition_timestamp("2016-12-05T21:29:29z").unwrap_err();
        assert_eq!(e.suggestion().as_deref(), Some("2016-12-05T21:29:29Z"));
        let e = parse_definition_timestamp("2016-13-05T21:29:29Z").unwrap_err();
        assert_eq!(e.suggestion(), None);
        assert!(e.to_string().starts_with(DEFINITION_MESSAGE));
    }

    #[test]
    fn year_9999_and_saturation() {
        let dt = parse_definition_timestamp("9999-12-31T23:59:59.999999999Z").unwrap();
        let ms = to_utc_millis(&dt);
        assert_eq!(ms, 253_402_300_799_999);
        assert_eq!(format_millis(ms), "9999-12-31T23:59:59.999Z");
        let dt = parse_definition_timestamp("0000-01-01T00:00:00+01:00").unwrap();
        assert!(format_datetime(&dt).starts_with("-000001-12-31T23:00:00.000Z"));
        assert_eq!(saturating_add_seconds(i64::MAX - 5, 10), i64::MAX);
        assert_eq!(saturating_add_seconds(0, i64::MAX), i64::MAX);
        assert_eq!(saturating_add_seconds_f64(0, f64::INFINITY), i64::MAX);
        assert_eq!(saturating_add_seconds_f64(0, -1e300), i64::MIN);
        assert_eq!(saturating_add_seconds_f64(5, f64::NAN), 5);
        assert_eq!(saturating_add_seconds_f64(0, 1.5), 1500);
        // Formatting never panics, even far outside chrono's range.
        assert!(format_millis(i64::MAX).ends_with('Z'));
        assert!(format_millis(i64::MIN).ends_with('Z'));
    }

    #[test]
    fn wait_delay_boundary() {
        let now = 1_700_000_000_000i64;
        let day = 86_400i64;
        let at = |days: i64| {
            let ms = saturating_add_seconds(now, days * day);
            Utc.timestamp_millis_opt(ms).unwrap().fixed_offset()
        };
        assert!(wait_delay_millis(now, &at(24_855)).is_ok());
        assert_eq!(wait_delay_millis(now, &at(24_856)), Err(WaitTooLong));
        assert_eq!(wait_delay_millis(now, &at(-3)), Ok(0));
        let far = parse_definition_timestamp("9999-12-31T23:59:59Z").unwrap();
        assert_eq!(wait_delay_millis(i64::MIN, &far), Err(WaitTooLong));
        assert_eq!(WaitTooLong.to_string(), "Wait state delay is too long.");
    }

    #[test]
    fn formatting() {
        assert_eq!(format_millis(1_553_631_253_192), "2019-03-26T20:14:13.192Z");
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
        let dt = parse_runtime_timestamp("2019-03-26T20:14:13.1929Z").unwrap();
        assert_eq!(format_datetime(&dt), "2019-03-26T20:14:13.192Z");
        assert_eq!(epoch_seconds(1_700_000_000_123), 1_700_000_000.123);
    }

    #[test]
    fn comparisons_use_instants() {
        let a = parse_runtime_timestamp("2016-12-05T21:29:29+01:00").unwrap();
        let b = parse_runtime_timestamp("2016-12-05T20:29:29Z").unwrap();
        assert_eq!(a, b);
        let c = parse_runtime_timestamp("2016-12-05T20:29:29.000000001Z").unwrap();
        assert!(c > b);
        assert!(is_timestamp("2016-12-05T20:29:29Z"));
        assert!(!is_timestamp("2016-12-05"));
    }

    #[test]
    fn messages() {
        assert_eq!(
            timestamp_path_cause("$.TimestampValue", &serde_json::json!("2016-13-05T21:29:29Z")),
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-13-05T21:29:29Z"
        );
        assert_eq!(
            timestamp_path_cause("$.x", &serde_json::json!(5)),
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.x == 5"
        );
        assert_eq!(
            jsonata_timestamp_cause("2016-12-05T21:29:29"),
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29"
        );
    }
}
