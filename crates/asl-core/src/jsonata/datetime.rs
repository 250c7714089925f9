//! Dates, times and integer pictures: `$fromMillis`/`$now` (XPath
//! `format-dateTime` pictures), `$toMillis` (ISO 8601 and picture parsing),
//! `$formatInteger`/`$parseInteger` (decimal, roman, letters, words,
//! ordinals, grouping). Times are UTC, shifted by an optional `±HHMM` zone.

use super::eval::EvalError;
use crate::span::Span;

type R<T> = Result<T, EvalError>;

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];
const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn number_to_words(value: f64, ordinal: bool) -> String {
    fn lookup(num: f64, prev: bool, ord: bool) -> String {
        let mut words = String::new();
        if num <= 19.0 {
            let n = num as usize;
            words.push_str(if prev { " and " } else { "" });
            words.push_str(if ord {
                ORDINALS[n.min(19)]
            } else {
                FEW[n.min(19)]
            });
        } else if num < 100.0 {
            let tens = (num / 10.0).floor() as usize;
            let rem = num % 10.0;
            if prev {
                words.push_str(" and ");
            }
            words.push_str(DECADES[tens - 2]);
            if rem > 0.0 {
                words.push('-');
                words.push_str(&lookup(rem, false, ord));
            } else if ord {
                words.pop();
                words.push_str("ieth");
            }
        } else if num < 1000.0 {
            let hundreds = (num / 100.0).floor() as usize;
            let rem = num % 100.0;
            if prev {
                words.push_str(", ");
            }
            words.push_str(FEW[hundreds.min(19)]);
            words.push_str(" Hundred");
            if rem > 0.0 {
                words.push_str(&lookup(rem, true, ord));
            } else if ord {
                words.push_str("th");
            }
        } else {
            let mut mag = (num.log10() / 3.0).floor() as usize;
            if mag > MAGNITUDES.len() {
                mag = MAGNITUDES.len();
            }
            let factor = 10f64.powi(mag as i32 * 3);
            let mant = (num / factor).floor();
            let rem = num - mant * factor;
            if prev {
                words.push_str(", ");
            }
            words.push_str(&lookup(mant, false, false));
            words.push(' ');
            words.push_str(MAGNITUDES[mag - 1]);
            if rem > 0.0 {
                words.push_str(&lookup(rem, true, ord));
            } else if ord {
                words.push_str("th");
            }
        }
        words
    }
    lookup(value, false, ordinal)
}

fn word_value(w: &str) -> Option<f64> {
    for (i, x) in FEW.iter().enumerate() {
        if x.to_lowercase() == w {
            return Some(i as f64);
        }
    }
    for (i, x) in ORDINALS.iter().enumerate() {
        if x.to_lowercase() == w {
            return Some(i as f64);
        }
    }
    for (i, x) in DECADES.iter().enumerate() {
        let l = x.to_lowercase();
        let ieth = format!("{}ieth", &l[..l.len() - 1]);
        if l == w || ieth == w {
            return Some(((i + 2) * 10) as f64);
        }
    }
    if w == "hundredth" {
        return Some(100.0);
    }
    for (i, x) in MAGNITUDES.iter().enumerate() {
        let l = x.to_lowercase();
        if l == w || format!("{l}th") == w {
            return Some(10f64.powi((i as i32 + 1) * 3));
        }
    }
    None
}

fn words_to_number(text: &str) -> f64 {
    let normalized = text
        .replace(", ", " ")
        .replace(" and ", " ")
        .replace('-', " ");
    let mut segs: Vec<f64> = vec![0.0];
    for part in normalized.split(|c: char| c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let value = word_value(part).unwrap_or(f64::NAN);
        if value < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    segs.iter().sum()
}

const ROMAN: [(u64, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

fn decimal_to_roman(mut value: u64) -> String {
    let mut out = String::new();
    'outer: while value > 0 {
        for (n, s) in ROMAN {
            if value >= n {
                out.push_str(s);
                value -= n;
                continue 'outer;
            }
        }
        break;
    }
    out
}

fn roman_to_decimal(roman: &str) -> f64 {
    let mut decimal = 0.0;
    let mut max = 1.0;
    for c in roman.chars().rev() {
        let v = match c {
            'M' => 1000.0,
            'D' => 500.0,
            'C' => 100.0,
            'L' => 50.0,
            'X' => 10.0,
            'V' => 5.0,
            'I' => 1.0,
            _ => f64::NAN,
        };
        if v < max {
            decimal -= v;
        } else {
            max = v;
            decimal += v;
        }
    }
    decimal
}

fn decimal_to_letters(mut value: u64, a: char) -> String {
    let mut letters = Vec::new();
    while value > 0 {
        letters.push(char::from_u32((value - 1) as u32 % 26 + a as u32).unwrap_or('?'));
        value = (value - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn letters_to_decimal(letters: &str, a: char) -> f64 {
    let mut decimal = 0.0;
    for (i, c) in letters.chars().rev().enumerate() {
        decimal += (c as i64 - a as i64 + 1) as f64 * 26f64.powi(i as i32);
    }
    decimal
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    Upper,
    Lower,
    Title,
}

#[derive(Clone, Debug)]
struct IntFormat {
    primary: Primary,
    case: Case,
    ordinal: bool,
    zero_code: u32,
    mandatory_digits: usize,
    optional_digits: usize,
    /// Regular grouping: (interval, separator).
    regular: Option<(usize, char)>,
    /// Irregular grouping: (position from the right, separator).
    grouping: Vec<(usize, char)>,
    token: String,
}

const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

fn analyse_integer_picture(picture: &str, span: Span) -> R<IntFormat> {
    let mut f = IntFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero_code: 0x30,
        mandatory_digits: 0,
        optional_digits: 0,
        regular: None,
        grouping: Vec::new(),
        token: String::new(),
    };
    let primary = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            if picture[i + 1..].starts_with('o') {
                f.ordinal = true;
            }
            &picture[..i]
        }
    };
    match primary {
        "A" => {
            f.case = Case::Upper;
            f.primary = Primary::Letters;
        }
        "a" => f.primary = Primary::Letters,
        "I" => {
            f.case = Case::Upper;
            f.primary = Primary::Roman;
        }
        "i" => f.primary = Primary::Roman,
        "W" => {
            f.case = Case::Upper;
            f.primary = Primary::Words;
        }
        "Ww" => {
            f.case = Case::Title;
            f.primary = Primary::Words;
        }
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut separators: Vec<(usize, char)> = Vec::new();
            let mut position = 0usize;
            for c in primary.chars().rev() {
                let cp = c as u32;
                let group = DECIMAL_GROUPS.iter().find(|g| cp >= **g && cp <= **g + 9);
                if let Some(g) = group {
                    f.mandatory_digits += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(*g),
                        Some(z) if z != *g => {
                            return Err(EvalError::new(
                                "D3131",
                                "In a decimal digit pattern, all digits must be from the same decimal group",
                                span,
                            ))
                        }
                        _ => {}
                    }
                } else if c == '#' {
                    position += 1;
                    f.optional_digits += 1;
                } else {
                    separators.push((position, c));
                }
            }
            if f.mandatory_digits > 0 {
                f.primary = Primary::Decimal;
                f.zero_code = zero.unwrap_or(0x30);
                let regular = (|| {
                    let first = separators.first()?;
                    if separators.iter().any(|s| s.1 != first.1) {
                        return None;
                    }
                    fn gcd(a: usize, b: usize) -> usize {
                        if b == 0 {
                            a
                        } else {
                            gcd(b, a % b)
                        }
                    }
                    let factor = separators.iter().map(|s| s.0).reduce(gcd)?;
                    if factor == 0 {
                        return None;
                    }
                    for i in 1..=separators.len() {
                        if !separators.iter().any(|s| s.0 == i * factor) {
                            return None;
                        }
                    }
                    Some((factor, first.1))
                })();
                f.regular = regular;
                if regular.is_none() {
                    f.grouping = separators;
                }
            } else {
                f.primary = Primary::Sequence;
                f.token = primary.to_string();
            }
        }
    }
    Ok(f)
}

fn format_integer_with(value: f64, f: &IntFormat, span: Span) -> R<String> {
    let negative = value < 0.0;
    let value = value.abs();
    let mut s = match f.primary {
        Primary::Letters => {
            decimal_to_letters(value as u64, if f.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => {
            let r = decimal_to_roman(value.min(1e7) as u64);
            if f.case == Case::Upper {
                r.to_uppercase()
            } else {
                r
            }
        }
        Primary::Words => {
            let w = number_to_words(value, f.ordinal);
            match f.case {
                Case::Upper => w.to_uppercase(),
                Case::Lower => w.to_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut s = super::value::js_number_to_string(value);
            let chars = s.chars().count();
            if f.mandatory_digits > chars {
                s = format!("{}{}", "0".repeat(f.mandatory_digits - chars), s);
            }
            if f.zero_code != 0x30 {
                s = s
                    .chars()
                    .map(|c| {
                        char::from_u32(c as u32 + f.zero_code - 0x30).unwrap_or(c)
                    })
                    .collect();
            }
            let mut chars: Vec<char> = s.chars().collect();
            if let Some((interval, sep)) = f.regular {
                let n = (chars.len().saturating_sub(1)) / interval;
                for ii in (1..=n).rev() {
                    let pos = chars.len() - ii * interval;
                    chars.insert(pos, sep);
                }
            } else {
                for (position, sep) in f.grouping.iter().rev() {
                    if *position <= chars.len() {
                        let pos = chars.len() - position;
                        chars.insert(pos, *sep);
                    }
                }
            }
            let mut s: String = chars.into_iter().collect();
            if f.ordinal {
                let cs: Vec<char> = s.chars().collect();
                let last = cs.last().copied();
                let mut suffix = match last {
                    Some('1') => "st",
                    Some('2') => "nd",
                    Some('3') => "rd",
                    _ => "th",
                };
                if cs.len() > 1 && cs[cs.len() - 2] == '1' {
                    suffix = "th";
                }
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence => {
            return Err(EvalError::new(
                "D3130",
                format!(
                    "Formatting or parsing an integer as a sequence starting with {} is not supported by this implementation",
                    super::eval::q(&f.token)
                ),
                span,
            ))
        }
    };
    if negative {
        s.insert(0, '-');
    }
    Ok(s)
}

/// `$formatInteger(value, picture)`.
pub(crate) fn format_integer(value: f64, picture: &str, span: Span) -> R<String> {
    let f = analyse_integer_picture(picture, span)?;
    format_integer_with(value.floor(), &f, span)
}

fn parse_int_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let n: f64 = digits.parse().unwrap_or(f64::NAN);
    if neg {
        -n
    } else {
        n
    }
}

fn parse_with(value: &str, f: &IntFormat, span: Span) -> R<f64> {
    Ok(match f.primary {
        Primary::Letters => {
            letters_to_decimal(value, if f.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => roman_to_decimal(&if f.case == Case::Upper {
            value.to_string()
        } else {
            value.to_uppercase()
        }),
        Primary::Words => words_to_number(&value.to_lowercase()),
        Primary::Decimal => {
            let mut digits = value.to_string();
            if f.ordinal && digits.chars().count() >= 2 {
                let n = digits.chars().count();
                digits = digits.chars().take(n - 2).collect();
            }
            if f.regular.is_some() {
                digits = digits.replace(',', "");
            } else {
                for (_, sep) in &f.grouping {
                    digits = digits.replace(*sep, "");
                }
            }
            if f.zero_code != 0x30 {
                digits = digits
                    .chars()
                    .map(|c| {
                        char::from_u32((c as u32).wrapping_sub(f.zero_code) + 0x30).unwrap_or(c)
                    })
                    .collect();
            }
            parse_int_prefix(&digits)
        }
        Primary::Sequence => {
            format_integer_with(0.0, f, span)?;
            f64::NAN
        }
    })
}

/// `$parseInteger(value, picture)`.
pub(crate) fn parse_integer(value: &str, picture: &str, span: Span) -> R<Option<f64>> {
    let f = analyse_integer_picture(picture, span)?;
    Ok(Some(parse_with(value, &f, span)?))
}

// ---------------------------------------------------------------------------
// Date/time pictures

#[derive(Clone, Debug)]
enum Part {
    Literal(String),
    Marker(Marker),
}

#[derive(Clone, Debug)]
struct Marker {
    component: char,
    presentation1: String,
    presentation2: Option<char>,
    names: Option<Case>,
    width_min: Option<usize>,
    width_max: Option<usize>,
    integer: Option<IntFormat>,
    /// Year digits to keep (`-1`: all).
    n: i64,
}

fn parse_width(w: &str) -> Option<usize> {
    if w == "*" {
        return None;
    }
    let p = parse_int_prefix(w);
    if p.is_nan() {
        None
    } else {
        Some(p.max(0.0) as usize)
    }
}

fn default_presentation(c: char) -> Option<&'static str> {
    Some(match c {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

fn analyse_datetime_picture(picture: &str, span: Span) -> R<Vec<Part>> {
    let chars: Vec<char> = picture.chars().collect();
    let mut parts = Vec::new();
    let add_literal = |parts: &mut Vec<Part>, s: &[char]| {
        if !s.is_empty() {
            let lit: String = s.iter().collect();
            parts.push(Part::Literal(lit.replace("]]", "]")));
        }
    };
    let mut start = 0;
    let mut pos = 0;
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut parts, &chars[start..pos]);
                parts.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut parts, &chars[start..pos]);
            start = pos;
            let Some(close) = chars[start..].iter().position(|c| *c == ']') else {
                return Err(EvalError::new(
                    "D3135",
                    "No matching closing bracket ']' in date/time picture string",
                    span,
                ));
            };
            pos = start + close;
            let marker: String = chars[start + 1..pos]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mchars: Vec<char> = marker.chars().collect();
            let component = mchars.first().copied().unwrap_or(' ');
            let mut m = Marker {
                component,
                presentation1: String::new(),
                presentation2: None,
                names: None,
                width_min: None,
                width_max: None,
                integer: None,
                n: -1,
            };
            let pres_mod: String;
            if let Some(comma) = mchars.iter().rposition(|c| *c == ',') {
                let width: String = mchars[comma + 1..].iter().collect();
                let (min, max) = match width.find('-') {
                    None => (width.as_str(), None),
                    Some(d) => (&width[..d], Some(&width[d + 1..])),
                };
                m.width_min = parse_width(min);
                m.width_max = max.and_then(parse_width);
                pres_mod = mchars[1.min(comma)..comma].iter().collect();
            } else {
                pres_mod = mchars.iter().skip(1).collect();
            }
            let pm: Vec<char> = pres_mod.chars().collect();
            if pm.len() == 1 {
                m.presentation1 = pres_mod.clone();
            } else if pm.len() > 1 {
                let last = pm[pm.len() - 1];
                if "atco".contains(last) {
                    m.presentation2 = Some(last);
                    m.presentation1 = pm[..pm.len() - 1].iter().collect();
                } else {
                    m.presentation1 = pres_mod.clone();
                }
            } else {
                match default_presentation(component) {
                    Some(p) => m.presentation1 = p.to_string(),
                    None => {
                        return Err(EvalError::new(
                            "D3132",
                            format!(
                                "Unknown component specifier {} in date/time picture string",
                                super::eval::q(&component.to_string())
                            ),
                            span,
                        ))
                    }
                }
            }
            let p1: Vec<char> = m.presentation1.chars().collect();
            if p1.first() == Some(&'n') {
                m.names = Some(Case::Lower);
            } else if p1.first() == Some(&'N') {
                m.names = Some(if p1.get(1) == Some(&'n') {
                    Case::Title
                } else {
                    Case::Upper
                });
            } else if "YMDdFWwXxHhmsf".contains(component) {
                let mut pattern = m.presentation1.clone();
                if let Some(p2) = m.presentation2 {
                    pattern.push(';');
                    pattern.push(p2);
                }
                let mut f = analyse_integer_picture(&pattern, span)?;
                if let Some(min) = m.width_min {
                    if f.mandatory_digits < min {
                        f.mandatory_digits = min;
                    }
                }
                if "YMD".contains(component) {
                    m.n = -1;
                    if let Some(max) = m.width_max {
                        m.n = max as i64;
                        f.mandatory_digits = max;
                    } else {
                        let w = f.mandatory_digits + f.optional_digits;
                        if w >= 2 {
                            m.n = w as i64;
                        }
                    }
                }
                m.integer = Some(f);
            }
            if component == 'Z' || component == 'z' {
                m.integer = Some(analyse_integer_picture(&m.presentation1, span)?);
            }
            parts.push(Part::Marker(m));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut parts, &chars[start.min(chars.len())..]);
    Ok(parts)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (month 1-based,
/// out-of-range months and days roll over as in JavaScript's `MakeDay`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = y + (m - 1).div_euclid(12);
    let m = (m - 1).rem_euclid(12) + 1;
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468 + (d - 1)
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const DAY_MS: i64 = 86_400_000;

/// `Date.UTC(y, m0, d, h, mi, s, ms)` with 0-based month.
fn date_utc(y: i64, m0: i64, d: i64, h: i64, mi: i64, s: i64, ms: i64) -> i64 {
    days_from_civil(y, m0 + 1, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + s * 1000 + ms
}

#[derive(Clone, Copy)]
struct Civil {
    millis: i64,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    weekday: i64,
}

fn civil(millis: i64) -> Civil {
    let days = millis.div_euclid(DAY_MS);
    let rem = millis.rem_euclid(DAY_MS);
    let (year, month, day) = civil_from_days(days);
    Civil {
        millis,
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        milli: rem % 1000,
        weekday: (days + 4).rem_euclid(7),
    }
}

fn start_of_first_week(year: i64, month0: i64) -> i64 {
    let jan1 = date_utc(year, month0, 1, 0, 0, 0, 0);
    let mut dow = civil(jan1).weekday;
    if dow == 0 {
        dow = 7;
    }
    if dow > 4 {
        jan1 + (8 - dow) * DAY_MS
    } else {
        jan1 - (dow - 1) * DAY_MS
    }
}

fn delta_weeks(start: i64, end: i64) -> f64 {
    (end - start) as f64 / (DAY_MS * 7) as f64 + 1.0
}

fn next_month(y: i64, m0: i64) -> (i64, i64) {
    if m0 == 11 {
        (y + 1, 0)
    } else {
        (y, m0 + 1)
    }
}

fn prev_month(y: i64, m0: i64) -> (i64, i64) {
    if m0 == 0 {
        (y - 1, 11)
    } else {
        (y, m0 - 1)
    }
}

/// A component's numeric value (`P` is 0 am / 1 pm).
fn fragment(c: &Civil, component: char) -> i64 {
    match component {
        'Y' => c.year,
        'M' => c.month,
        'D' => c.day,
        'd' => {
            let today = date_utc(c.year, c.month - 1, c.day, 0, 0, 0, 0);
            let jan1 = date_utc(c.year, 0, 1, 0, 0, 0, 0);
            (today - jan1) / DAY_MS + 1
        }
        'F' => {
            if c.weekday == 0 {
                7
            } else {
                c.weekday
            }
        }
        'W' => {
            let start = start_of_first_week(c.year, 0);
            let today = date_utc(c.year, c.month - 1, c.day, 0, 0, 0, 0);
            let mut week = delta_weeks(start, today);
            if week > 52.0 {
                if today >= start_of_first_week(c.year + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(c.year - 1, 0), today);
            }
            week.floor() as i64
        }
        'w' => {
            let start = start_of_first_week(c.year, c.month - 1);
            let today = date_utc(c.year, c.month - 1, c.day, 0, 0, 0, 0);
            let mut week = delta_weeks(start, today);
            if week > 4.0 {
                let (ny, nm) = next_month(c.year, c.month - 1);
                if today >= start_of_first_week(ny, nm) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                let (py, pm) = prev_month(c.year, c.month - 1);
                week = delta_weeks(start_of_first_week(py, pm), today);
            }
            week.floor() as i64
        }
        'X' => {
            let start = start_of_first_week(c.year, 0);
            let end = start_of_first_week(c.year + 1, 0);
            if c.millis < start {
                c.year - 1
            } else if c.millis >= end {
                c.year + 1
            } else {
                c.year
            }
        }
        'x' => {
            let start = start_of_first_week(c.year, c.month - 1);
            let (ny, nm) = next_month(c.year, c.month - 1);
            let end = start_of_first_week(ny, nm);
            if c.millis < start {
                prev_month(c.year, c.month - 1).1 + 1
            } else if c.millis >= end {
                nm + 1
            } else {
                c.month
            }
        }
        'H' => c.hour,
        'h' => {
            let h = c.hour % 12;
            if h == 0 {
                12
            } else {
                h
            }
        }
        'P' => i64::from(c.hour >= 12),
        'm' => c.minute,
        's' => c.second,
        'f' => c.milli,
        _ => 0,
    }
}

fn apply_case(s: &str, case: Option<Case>) -> String {
    match case {
        Some(Case::Upper) => s.to_uppercase(),
        Some(Case::Lower) => s.to_lowercase(),
        _ => s.to_string(),
    }
}

/// Valid JavaScript `Date` range (±8.64e15 ms).
const MAX_DATE_MS: f64 = 8.64e15;

/// `$fromMillis(millis, picture, timezone)` (also `$now`).
pub(crate) fn from_millis(
    millis: f64,
    picture: Option<&str>,
    timezone: Option<&str>,
    span: Span,
) -> R<String> {
    let (mut offset_hours, mut offset_minutes) = (0i64, 0i64);
    if let Some(tz) = timezone {
        let offset = parse_int_prefix(tz);
        if !offset.is_nan() {
            let offset = offset as i64;
            offset_hours = offset.div_euclid(100);
            offset_minutes = offset % 100;
        }
    }
    let parts = analyse_datetime_picture(
        picture.unwrap_or("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"),
        span,
    )?;
    let offset_millis = (60 * offset_hours + offset_minutes) * 60_000;
    let shifted = millis.trunc() + offset_millis as f64;
    if !shifted.is_finite() || shifted.abs() > MAX_DATE_MS {
        return Err(EvalError::new("D3137", "Invalid time value", span));
    }
    let c = civil(shifted as i64);
    let mut out = String::new();
    for part in &parts {
        match part {
            Part::Literal(l) => out.push_str(l),
            Part::Marker(m) => out.push_str(&format_component(
                &c,
                m,
                offset_hours,
                offset_minutes,
                span,
            )?),
        }
    }
    Ok(out)
}

fn format_component(c: &Civil, m: &Marker, oh: i64, om: i64, span: Span) -> R<String> {
    let comp = m.component;
    if "YMDdFWwXxHhms".contains(comp) {
        let mut v = fragment(c, comp);
        if comp == 'Y' && m.n != -1 {
            v %= 10i64.pow(m.n.clamp(0, 18) as u32);
        }
        if let Some(names) = m.names {
            let name = if comp == 'M' || comp == 'x' {
                MONTHS[((v - 1).clamp(0, 11)) as usize]
            } else if comp == 'F' {
                DAYS[v.clamp(0, 7) as usize]
            } else {
                return Err(EvalError::new(
                    "D3133",
                    format!(
                        "The 'name' modifier can only be applied to months and days in the date/time picture string, not {}",
                        super::eval::q(&comp.to_string())
                    ),
                    span,
                ));
            };
            let mut s = apply_case(name, Some(names));
            if let Some(max) = m.width_max {
                if s.chars().count() > max {
                    s = s.chars().take(max).collect();
                }
            }
            return Ok(s);
        }
        let f = m.integer.clone().unwrap_or_else(|| IntFormat {
            primary: Primary::Decimal,
            case: Case::Lower,
            ordinal: false,
            zero_code: 0x30,
            mandatory_digits: 1,
            optional_digits: 0,
            regular: None,
            grouping: vec![],
            token: String::new(),
        });
        return format_integer_with(v as f64, &f, span);
    }
    match comp {
        'f' => {
            let f = m.integer.clone().ok_or_else(|| {
                EvalError::new(
                    "D3132",
                    "Unknown component specifier in date/time picture string",
                    span,
                )
            })?;
            format_integer_with(c.milli as f64, &f, span)
        }
        'Z' | 'z' => {
            let offset = oh * 100 + om;
            let f = m.integer.clone().ok_or_else(|| {
                EvalError::new(
                    "D3132",
                    "Unknown component specifier in date/time picture string",
                    span,
                )
            })?;
            let mut s = if f.regular.is_some() {
                format_integer_with(offset as f64, &f, span)?
            } else {
                match f.mandatory_digits {
                    1 | 2 => {
                        let mut s = format_integer_with(oh as f64, &f, span)?;
                        if om != 0 {
                            s.push(':');
                            s.push_str(&format!("{:02}", om));
                        }
                        s
                    }
                    3 | 4 => format_integer_with(offset as f64, &f, span)?,
                    _ => return Err(EvalError::new(
                        "D3134",
                        "The timezone integer format specifier cannot have more than four digits",
                        span,
                    )),
                }
            };
            if offset >= 0 {
                s.insert(0, '+');
            }
            if comp == 'z' {
                s.insert_str(0, "GMT");
            }
            if offset == 0 && m.presentation2 == Some('t') {
                s = "Z".into();
            }
            Ok(s)
        }
        'P' => {
            let s = if c.hour >= 12 { "pm" } else { "am" };
            Ok(if m.names == Some(Case::Upper) {
                s.to_uppercase()
            } else {
                s.to_string()
            })
        }
        'C' | 'E' => Ok("ISO".into()),
        _ => Err(EvalError::new(
            "D3132",
            format!(
                "Unknown component specifier {} in date/time picture string",
                super::eval::q(&comp.to_string())
            ),
            span,
        )),
    }
}

// ---------------------------------------------------------------------------
// Parsing

/// `$toMillis(timestamp, picture)`; `Ok(None)` when a picture parse
/// matched no components.
pub(crate) fn to_millis(s: &str, picture: Option<&str>, now: i64, span: Span) -> R<Option<f64>> {
    match picture {
        None => {
            if !iso8601_shape(s) {
                return Err(EvalError::new(
                    "D3110",
                    format!(
                        "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {}",
                        super::eval::q(s)
                    ),
                    span,
                ));
            }
            Ok(Some(parse_iso(s).map(|v| v as f64).unwrap_or(f64::NAN)))
        }
        Some(p) => parse_datetime(s, p, now, span),
    }
}

/// `^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`
fn iso8601_shape(s: &str) -> bool {
    static RE: std::sync::OnceLock<Option<fancy_regex::Regex>> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        fancy_regex::Regex::new(
            r"^[0-9]{4}(-[01][0-9])*(-[0-3][0-9])*(T[0-2][0-9]:[0-5][0-9]:[0-5][0-9])*(\.[0-9]+)?([+-][0-2][0-9]:?[0-5][0-9]|Z)?$",
        )
        .ok()
    });
    re.as_ref().is_some_and(|r| r.is_match(s).unwrap_or(false))
}

/// `Date.parse` for the ISO shapes (times without a zone are UTC).
fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let t = s.get(from..from + len)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let year = num(0, 4)?;
    let mut pos = 4;
    let (mut month, mut day) = (1, 1);
    if b.get(pos) == Some(&b'-') {
        month = num(pos + 1, 2)?;
        pos += 3;
        if b.get(pos) == Some(&b'-') {
            day = num(pos + 1, 2)?;
            pos += 3;
        }
    }
    let (mut h, mut mi, mut sec, mut ms) = (0, 0, 0, 0);
    if b.get(pos) == Some(&b'T') {
        h = num(pos + 1, 2)?;
        mi = num(pos + 4, 2)?;
        sec = num(pos + 7, 2)?;
        pos += 9;
        if b.get(pos) == Some(&b'.') {
            pos += 1;
            let start = pos;
            while pos < b.len() && b[pos].is_ascii_digit() {
                pos += 1;
            }
            let frac = &s[start..pos];
            let f3: String = frac.chars().chain("000".chars()).take(3).collect();
            ms = f3.parse().ok()?;
        }
    } else if pos != b.len()
        && b.get(pos) != Some(&b'Z')
        && b.get(pos) != Some(&b'+')
        && b.get(pos) != Some(&b'-')
    {
        return None;
    }
    let mut offset = 0;
    match b.get(pos) {
        None => {}
        Some(b'Z') if pos + 1 == b.len() => {}
        Some(&c) if c == b'+' || c == b'-' => {
            let oh = num(pos + 1, 2)?;
            let om = if b.get(pos + 3) == Some(&b':') {
                num(pos + 4, 2)?
            } else {
                num(pos + 3, 2)?
            };
            offset = (oh * 60 + om) * if c == b'-' { -1 } else { 1 };
        }
        _ => return None,
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 24 || mi > 59 || sec > 59 {
        return None;
    }
    if h == 24 && (mi != 0 || sec != 0 || ms != 0) {
        return None;
    }
    Some(date_utc(year, month - 1, day, h, mi, sec, ms) - offset * 60_000)
}

fn int_regex(f: &IntFormat, n: i64) -> String {
    let occurrences = if n > 0 {
        if f.optional_digits == 0 {
            format!("{{{n}}}")
        } else {
            format!("{{{},{}}}", (n - f.optional_digits as i64).max(0), n)
        }
    } else {
        "+".into()
    };
    match f.primary {
        Primary::Letters => if f.case == Case::Upper {
            "[A-Z]+"
        } else {
            "[a-z]+"
        }
        .into(),
        Primary::Roman => if f.case == Case::Upper {
            "[MDCLXVI]+"
        } else {
            "[mdclxvi]+"
        }
        .into(),
        Primary::Words => {
            let mut words: Vec<String> = Vec::new();
            for w in FEW.iter().chain(ORDINALS.iter()) {
                words.push(w.to_lowercase());
            }
            for d in DECADES {
                let l = d.to_lowercase();
                words.push(format!("{}ieth", &l[..l.len() - 1]));
                words.push(l);
            }
            words.push("hundredth".into());
            for m in MAGNITUDES {
                let l = m.to_lowercase();
                words.push(format!("{l}th"));
                words.push(l);
            }
            words.push("and".into());
            words.push("[\\-, ]".into());
            format!("(?:{})+", words.join("|"))
        }
        Primary::Decimal => {
            let mut r = format!("[0-9]{occurrences}");
            if f.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            r
        }
        Primary::Sequence => "(?!)".into(),
    }
}

fn parse_datetime(s: &str, picture: &str, now: i64, span: Span) -> R<Option<f64>> {
    let parts = analyse_datetime_picture(picture, span)?;
    let mut regex = String::from("^");
    enum P {
        None,
        Int(IntFormat),
        Tz(char, Option<char>),
        Names(Vec<(String, i64)>),
    }
    let mut parsers: Vec<(char, P)> = Vec::new();
    for part in &parts {
        match part {
            Part::Literal(l) => {
                regex.push('(');
                regex.push_str(&fancy_regex::escape(l));
                regex.push(')');
                parsers.push((' ', P::None));
            }
            Part::Marker(m) if m.component == 'Z' || m.component == 'z' => {
                let sep = m.integer.as_ref().and_then(|f| f.regular.map(|r| r.1));
                regex.push('(');
                if m.component == 'z' {
                    regex.push_str("GMT");
                }
                regex.push_str("[-+][0-9]+");
                if let Some(sep) = sep {
                    regex.push_str(&fancy_regex::escape(&sep.to_string()));
                    regex.push_str("[0-9]+");
                }
                regex.push(')');
                parsers.push((m.component, P::Tz(m.component, sep)));
            }
            Part::Marker(m) => {
                if let Some(f) = &m.integer {
                    if f.primary == Primary::Sequence {
                        format_integer_with(0.0, f, span)?;
                    }
                    regex.push('(');
                    regex.push_str(&int_regex(f, m.n));
                    regex.push(')');
                    parsers.push((m.component, P::Int(f.clone())));
                } else {
                    let mut lookup = Vec::new();
                    match m.component {
                        'M' | 'x' => {
                            for (i, name) in MONTHS.iter().enumerate() {
                                let key: String = match m.width_max {
                                    Some(w) if w > 0 => name.chars().take(w).collect(),
                                    _ => name.to_string(),
                                };
                                lookup.push((key, i as i64 + 1));
                            }
                        }
                        'F' => {
                            for (i, name) in DAYS.iter().enumerate().skip(1) {
                                let key: String = match m.width_max {
                                    Some(w) if w > 0 => name.chars().take(w).collect(),
                                    _ => name.to_string(),
                                };
                                lookup.push((key, i as i64));
                            }
                        }
                        'P' => {
                            for (k, v) in [("am", 0), ("AM", 0), ("pm", 1), ("PM", 1)] {
                                lookup.push((k.to_string(), v));
                            }
                        }
                        other => {
                            return Err(EvalError::new(
                                "D3133",
                                format!(
                                    "The 'name' modifier can only be applied to months and days in the date/time picture string, not {}",
                                    super::eval::q(&other.to_string())
                                ),
                                span,
                            ))
                        }
                    }
                    regex.push_str("([a-zA-Z]+)");
                    parsers.push((m.component, P::Names(lookup)));
                }
            }
        }
    }
    regex.push('$');
    let re = fancy_regex::RegexBuilder::new(&format!("(?i){regex}"))
        .build()
        .map_err(|e| EvalError::new("D3136", format!("Invalid date/time picture: {e}"), span))?;
    let caps = match re.captures(s) {
        Ok(Some(c)) => c,
        _ => return Ok(None),
    };
    let mut comps: std::collections::HashMap<char, f64> = std::collections::HashMap::new();
    for (i, (comp, parser)) in parsers.iter().enumerate() {
        let Some(text) = caps.get(i + 1).map(|m| m.as_str()) else {
            continue;
        };
        let value = match parser {
            P::None => continue,
            P::Int(f) => parse_with(text, f, span)?,
            P::Tz(c, sep) => {
                let t = if *c == 'z' {
                    text.get(3..).unwrap_or("")
                } else {
                    text
                };
                let (h, m) = match sep {
                    Some(sep) => match t.find(*sep) {
                        Some(i) => (
                            parse_int_prefix(&t[..i]),
                            parse_int_prefix(&t[i + sep.len_utf8()..]),
                        ),
                        None => (parse_int_prefix(t), 0.0),
                    },
                    None => {
                        if t.len() <= 3 {
                            (parse_int_prefix(t), 0.0)
                        } else {
                            (parse_int_prefix(&t[..3]), parse_int_prefix(&t[3..]))
                        }
                    }
                };
                h * 60.0 + m
            }
            P::Names(lookup) => match lookup.iter().find(|(k, _)| k == text) {
                Some((_, v)) => *v as f64,
                None => f64::NAN,
            },
        };
        comps.insert(*comp, value);
    }
    if comps.is_empty() {
        return Ok(None);
    }
    let mut mask = 0u32;
    for c in "YXMxWwdD".chars() {
        mask = (mask << 1) | u32::from(comps.contains_key(&c));
    }
    let is_type = |ty: u32, mask: u32| (!ty & mask) == 0 && (ty & mask) != 0;
    let date_a = is_type(161, mask);
    let date_b = !date_a && is_type(130, mask);
    let date_c = is_type(84, mask);
    let date_d = !date_c && is_type(72, mask);
    let mut tmask = 0u32;
    for c in "PHhmsf".chars() {
        tmask = (tmask << 1) | u32::from(comps.contains_key(&c));
    }
    let time_a = is_type(23, tmask);
    let time_b = !time_a && is_type(47, tmask);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now_c = civil(now);
    let mut start_specified = false;
    let mut end_specified = false;
    for part in date_comps.chars().chain(time_comps.chars()) {
        if let std::collections::hash_map::Entry::Vacant(slot) = comps.entry(part) {
            if start_specified {
                slot.insert(if "MDd".contains(part) { 1.0 } else { 0.0 });
                end_specified = true;
            } else {
                slot.insert(fragment(&now_c, part) as f64);
            }
        } else {
            start_specified = true;
            if end_specified {
                return Err(EvalError::new(
                    "D3136",
                    "The date/time picture string is missing specifiers required to parse the timestamp",
                    span,
                ));
            }
        }
    }
    let get = |c: char| comps.get(&c).copied().unwrap_or(0.0);
    let mut month0 = if get('M') > 0.0 { get('M') - 1.0 } else { 0.0 };
    let mut day = get('D');
    if date_b {
        let first_jan = date_utc(get('Y') as i64, 0, 1, 0, 0, 0, 0);
        let derived = civil(first_jan + (get('d') as i64 - 1) * DAY_MS);
        month0 = (derived.month - 1) as f64;
        day = derived.day as f64;
    }
    if date_c || date_d {
        return Err(EvalError::new(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp",
            span,
        ));
    }
    let mut hour = get('H');
    if time_b {
        hour = if get('h') == 12.0 { 0.0 } else { get('h') };
        if get('P') == 1.0 {
            hour += 12.0;
        }
    }
    let vals = [get('Y'), month0, day, hour, get('m'), get('s'), get('f')];
    if vals.iter().any(|v| !v.is_finite()) {
        return Ok(Some(f64::NAN));
    }
    let mut millis = date_utc(
        vals[0] as i64,
        vals[1] as i64,
        vals[2] as i64,
        vals[3] as i64,
        vals[4] as i64,
        vals[5] as i64,
        vals[6] as i64,
    ) as f64;
    let tz = comps.get(&'Z').or(comps.get(&'z')).copied().unwrap_or(0.0);
    if tz != 0.0 {
        millis -= tz * 60_000.0;
    }
    Ok(Some(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_roundtrip() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(parse_iso("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            parse_iso("2018-02-01T09:42:13.123+01:00"),
            Some(1517474533123)
        );
    }
}
