//! `$formatNumber` (XPath `format-number` pictures, as jsonata-js implements
//! them, quirks included) and `$formatBase`.

use super::eval::EvalError;
use super::functions::round;
use super::value::{Object, Value};
use crate::span::Span;

type R<T> = Result<T, EvalError>;

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    per_mille: char,
    zero: char,
    digit: char,
    pattern: char,
}

fn first_char(s: &str, default: char) -> char {
    s.chars().next().unwrap_or(default)
}

struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fractional: Vec<char>,
    sub: Vec<char>,
}

struct Analysed {
    integer_grouping: Vec<usize>,
    regular: usize,
    min_int: usize,
    scaling: i32,
    prefix: String,
    fractional_grouping: Vec<usize>,
    min_frac: usize,
    max_frac: usize,
    min_exp: usize,
    suffix: String,
    picture: Vec<char>,
}

fn index_of(v: &[char], c: char, from: usize) -> Option<usize> {
    v.iter().skip(from).position(|x| *x == c).map(|p| p + from)
}

fn d(code: &'static str, msg: &str, span: Span) -> EvalError {
    EvalError::new(code, msg, span)
}

/// `$formatNumber(value, picture, options)`.
pub(crate) fn format_number(
    value: f64,
    picture: &str,
    options: Option<&Object<'_>>,
    span: Span,
) -> R<String> {
    let mut p = Props {
        decimal: '.',
        grouping: ',',
        exponent: 'e',
        minus: "-".into(),
        percent: '%',
        per_mille: '\u{2030}',
        zero: '0',
        digit: '#',
        pattern: ';',
    };
    if let Some(o) = options {
        for (k, v) in o.iter() {
            let Value::String(s) = v else { continue };
            match &**k {
                "decimal-separator" => p.decimal = first_char(s, '.'),
                "grouping-separator" => p.grouping = first_char(s, ','),
                "exponent-separator" => p.exponent = first_char(s, 'e'),
                "minus-sign" => p.minus = s.to_string(),
                "percent" => p.percent = first_char(s, '%'),
                "per-mille" => p.per_mille = first_char(s, '\u{2030}'),
                "zero-digit" => p.zero = first_char(s, '0'),
                "digit" => p.digit = first_char(s, '#'),
                "pattern-separator" => p.pattern = first_char(s, ';'),
                _ => {}
            }
        }
    }
    let family: Vec<char> = (0..10)
        .filter_map(|i| char::from_u32(p.zero as u32 + i))
        .collect();
    let is_digit = |c: char| family.contains(&c);
    let active_chars: Vec<char> = family
        .iter()
        .copied()
        .chain([p.decimal, p.exponent, p.grouping, p.digit, p.pattern])
        .collect();
    let is_active = |c: char| active_chars.contains(&c);

    let pic: Vec<char> = picture.chars().collect();
    let subs: Vec<Vec<char>> = pic.split(|c| *c == p.pattern).map(|s| s.to_vec()).collect();
    if subs.len() > 2 {
        return Err(d(
            "D3080",
            "The picture string must only contain a maximum of two sub-pictures",
            span,
        ));
    }

    let split_parts = |sub: &[char]| -> Parts {
        let prefix_len = sub
            .iter()
            .position(|c| is_active(*c) && *c != p.exponent)
            .unwrap_or(sub.len());
        let suffix_start = sub
            .iter()
            .rposition(|c| is_active(*c) && *c != p.exponent)
            .map(|i| i + 1)
            .unwrap_or(sub.len());
        let prefix = sub[..prefix_len].to_vec();
        let suffix = sub[suffix_start.max(prefix_len)..].to_vec();
        let active = sub[prefix_len..sub.len() - suffix.len()].to_vec();
        let exp_pos = index_of(sub, p.exponent, prefix_len);
        let (mantissa, exponent) = match exp_pos {
            Some(e) if e <= sub.len() - suffix.len() => (
                active[..e.min(active.len())].to_vec(),
                Some(active[(e + 1).min(active.len())..].to_vec()),
            ),
            _ => (active.clone(), None),
        };
        let (integer, fractional) = match index_of(&mantissa, p.decimal, 0) {
            None => (mantissa.clone(), suffix.clone()),
            Some(dp) => (mantissa[..dp].to_vec(), mantissa[dp + 1..].to_vec()),
        };
        Parts {
            prefix,
            suffix,
            active,
            mantissa,
            exponent,
            integer,
            fractional,
            sub: sub.to_vec(),
        }
    };
    let parts: Vec<Parts> = subs.iter().map(|s| split_parts(s)).collect();

    for parts in &parts {
        let sub = &parts.sub;
        let count = |c: char| sub.iter().filter(|x| **x == c).count();
        let mut error: Option<(&'static str, &'static str)> = None;
        if count(p.decimal) > 1 {
            error = Some(("D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"));
        }
        if count(p.percent) > 1 {
            error = Some(("D3082", "The sub-picture must not contain more than one instance of the 'percent' character"));
        }
        if count(p.per_mille) > 1 {
            error = Some(("D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"));
        }
        if count(p.percent) > 0 && count(p.per_mille) > 0 {
            error = Some((
                "D3084",
                "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
            ));
        }
        if !parts.mantissa.iter().any(|c| is_digit(*c) || *c == p.digit) {
            error = Some(("D3085", "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"));
        }
        if parts.active.iter().any(|c| !is_active(*c)) {
            error = Some(("D3086", "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"));
        }
        let decimal_pos = index_of(sub, p.decimal, 0);
        match decimal_pos {
            Some(dp) => {
                if (dp > 0 && sub[dp - 1] == p.grouping) || sub.get(dp + 1) == Some(&p.grouping) {
                    error = Some(("D3087", "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"));
                }
            }
            None => {
                if parts.integer.last() == Some(&p.grouping) {
                    error = Some(("D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"));
                }
            }
        }
        if sub
            .windows(2)
            .any(|w| w[0] == p.grouping && w[1] == p.grouping)
        {
            error = Some(("D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"));
        }
        if let Some(od) = index_of(&parts.integer, p.digit, 0) {
            if parts.integer[..od].iter().any(|c| is_digit(*c)) {
                error = Some(("D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"));
            }
        }
        if let Some(od) = parts.fractional.iter().rposition(|c| *c == p.digit) {
            if parts.fractional[od..].iter().any(|c| is_digit(*c)) {
                error = Some(("D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"));
            }
        }
        if let Some(exp) = &parts.exponent {
            if !exp.is_empty() && (count(p.percent) > 0 || count(p.per_mille) > 0) {
                error = Some(("D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"));
            }
            if exp.is_empty() || exp.iter().any(|c| !is_digit(*c)) {
                error = Some(("D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"));
            }
        }
        if let Some((code, msg)) = error {
            return Err(d(code, msg, span));
        }
    }

    let analyse = |parts: &Parts| -> Analysed {
        let grouping_positions = |part: &[char], to_left: bool| -> Vec<usize> {
            let mut positions = Vec::new();
            let mut gp = index_of(part, p.grouping, 0);
            while let Some(g) = gp {
                let slice = if to_left { &part[..g] } else { &part[g..] };
                positions.push(
                    slice
                        .iter()
                        .filter(|c| is_digit(**c) || **c == p.digit)
                        .count(),
                );
                gp = index_of(&parts.integer, p.grouping, g + 1);
            }
            positions
        };
        let integer_grouping = grouping_positions(&parts.integer, false);
        let regular = {
            if integer_grouping.is_empty() {
                0
            } else {
                fn gcd(a: usize, b: usize) -> usize {
                    if b == 0 {
                        a
                    } else {
                        gcd(b, a % b)
                    }
                }
                let factor = integer_grouping.iter().copied().reduce(gcd).unwrap_or(0);
                let mut ok = factor > 0;
                for i in 1..=integer_grouping.len() {
                    if !integer_grouping.contains(&(i * factor)) {
                        ok = false;
                    }
                }
                if ok {
                    factor
                } else {
                    0
                }
            }
        };
        let fractional_grouping = grouping_positions(&parts.fractional, true);
        let mut min_int = parts.integer.iter().filter(|c| is_digit(**c)).count();
        let scaling = min_int as i32;
        let mut min_frac = parts.fractional.iter().filter(|c| is_digit(**c)).count();
        let mut max_frac = parts
            .fractional
            .iter()
            .filter(|c| is_digit(**c) || **c == p.digit)
            .count();
        let exponent_present = parts.exponent.is_some();
        if min_int == 0 && max_frac == 0 {
            if exponent_present {
                min_frac = 1;
                max_frac = 1;
            } else {
                min_int = 1;
            }
        }
        if exponent_present && min_int == 0 && parts.integer.contains(&p.digit) {
            min_int = 1;
        }
        if min_int == 0 && min_frac == 0 {
            min_frac = 1;
        }
        let min_exp = parts
            .exponent
            .as_ref()
            .map(|e| e.iter().filter(|c| is_digit(**c)).count())
            .unwrap_or(0);
        Analysed {
            integer_grouping,
            regular,
            min_int,
            scaling,
            prefix: parts.prefix.iter().collect(),
            fractional_grouping,
            min_frac,
            max_frac,
            min_exp,
            suffix: parts.suffix.iter().collect(),
            picture: parts.sub.clone(),
        }
    };
    let mut vars: Vec<Analysed> = parts.iter().map(analyse).collect();
    if vars.len() == 1 {
        let mut neg = analyse(&parts[0]);
        neg.prefix = format!("{}{}", p.minus, neg.prefix);
        vars.push(neg);
    }
    let pic = if value >= 0.0 { &vars[0] } else { &vars[1] };
    let adjusted = if pic.picture.contains(&p.percent) {
        value * 100.0
    } else if pic.picture.contains(&p.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let (mantissa, exponent) = if pic.min_exp == 0 {
        (adjusted, None)
    } else {
        let max_m = 10f64.powi(pic.scaling);
        let min_m = 10f64.powi(pic.scaling - 1);
        let mut m = adjusted;
        let mut e = 0i32;
        if m != 0.0 && m.is_finite() {
            let mut guard = 0;
            while m.abs() < min_m && guard < 2000 {
                m *= 10.0;
                e -= 1;
                guard += 1;
            }
            while m.abs() > max_m && guard < 4000 {
                m /= 10.0;
                e += 1;
                guard += 1;
            }
        }
        (m, Some(e))
    };
    let rounded = round(mantissa, pic.max_frac as f64);
    let make_string = |v: f64, dp: usize| -> Vec<char> {
        let s = format!("{:.*}", dp.min(100), v.abs());
        s.chars()
            .map(|c| {
                if c.is_ascii_digit() && p.zero != '0' {
                    family[(c as u8 - b'0') as usize]
                } else {
                    c
                }
            })
            .collect()
    };
    let mut sv = make_string(rounded, pic.max_frac);
    match index_of(&sv, '.', 0) {
        None => sv.push(p.decimal),
        Some(i) => sv[i] = p.decimal,
    }
    while sv.first() == Some(&p.zero) {
        sv.remove(0);
    }
    while sv.last() == Some(&p.zero) {
        sv.pop();
    }
    let dp = index_of(&sv, p.decimal, 0).unwrap_or(0);
    let pad_left = pic.min_int as i64 - dp as i64;
    let pad_right = pic.min_frac as i64 - (sv.len() as i64 - dp as i64 - 1);
    if pad_left > 0 {
        let mut v = vec![p.zero; pad_left as usize];
        v.extend(sv);
        sv = v;
    }
    if pad_right > 0 {
        sv.extend(std::iter::repeat_n(p.zero, pad_right as usize));
    }
    let mut dp = index_of(&sv, p.decimal, 0).unwrap_or(0);
    if let Some(group_count) = dp.saturating_sub(1).checked_div(pic.regular) {
        for group in 1..=group_count {
            let at = dp - group * pic.regular;
            sv.insert(at, p.grouping);
        }
    } else {
        for pos in &pic.integer_grouping {
            if *pos <= dp {
                sv.insert(dp - pos, p.grouping);
                dp += 1;
            }
        }
    }
    let dp = index_of(&sv, p.decimal, 0).unwrap_or(0);
    for pos in &pic.fractional_grouping {
        let at = pos + dp + 1;
        if at <= sv.len() {
            sv.insert(at, p.grouping);
        }
    }
    let dp = index_of(&sv, p.decimal, 0);
    if !pic.picture.contains(&p.decimal) || dp == Some(sv.len().saturating_sub(1)) {
        sv.pop();
    }
    let mut out: String = sv.into_iter().collect();
    if let Some(e) = exponent {
        let mut se: Vec<char> = make_string(e as f64, 0);
        let pad = pic.min_exp as i64 - se.len() as i64;
        if pad > 0 {
            let mut v = vec![p.zero; pad as usize];
            v.extend(se);
            se = v;
        }
        out.push(p.exponent);
        if e < 0 {
            out.push_str(&p.minus);
        }
        out.extend(se);
    }
    Ok(format!("{}{}{}", pic.prefix, out, pic.suffix))
}

/// `$formatBase(value, radix)`.
pub(crate) fn format_base(value: f64, radix: Option<f64>, span: Span) -> R<String> {
    let value = round(value, 0.0);
    let radix = radix.map(|r| round(r, 0.0)).unwrap_or(10.0);
    if !(2.0..=36.0).contains(&radix) {
        return Err(EvalError::new(
            "D3100",
            format!(
                "The radix of the formatBase function must be between 2 and 36.  It was given {}",
                super::value::js_number_to_string(radix)
            ),
            span,
        ));
    }
    let radix = radix as u32;
    let neg = value < 0.0;
    let mut n = value.abs();
    if n >= 1e300 || !n.is_finite() {
        return Ok(super::value::js_number_to_string(value));
    }
    let mut digits = Vec::new();
    if n == 0.0 {
        digits.push('0');
    }
    while n >= 1.0 {
        let d = (n % radix as f64) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        n = (n / radix as f64).floor();
    }
    if neg {
        digits.push('-');
    }
    Ok(digits.into_iter().rev().collect())
}
