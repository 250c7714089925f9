//! JavaScript regular expressions on top of `fancy-regex`: the pattern is
//! translated from JavaScript syntax (`\d` ASCII digits, `.` excluding line
//! terminators, `[^]`, literal `{`, `\uXXXX`, `(?<name>…)`, identity escapes)
//! and matched from byte offsets; indexes reported to expressions are
//! converted to UTF-16 code units as JavaScript reports them.

use fancy_regex::Regex;

/// A compiled regex literal.
pub(crate) struct JsRegex {
    re: Regex,
}

/// One match: byte offsets into the subject and the capture groups.
pub(crate) struct RegexMatch {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<String>>,
}

impl JsRegex {
    /// Compiles `/pattern/flags`; the error is a message in JavaScript's
    /// `SyntaxError` style.
    pub fn new(pattern: &str, flags: &str) -> Result<JsRegex, String> {
        let translated = translate(pattern, flags);
        match fancy_regex::RegexBuilder::new(&translated)
            .backtrack_limit(1_000_000)
            .build()
        {
            Ok(re) => Ok(JsRegex { re }),
            Err(e) => Err(format!("Invalid regular expression: /{pattern}/: {e}")),
        }
    }

    /// The first match at or after byte offset `from`.
    pub fn exec(&self, text: &str, from: usize) -> Result<Option<RegexMatch>, String> {
        if from > text.len() || !text.is_char_boundary(from) {
            return Ok(None);
        }
        match self.re.captures_from_pos(text, from) {
            Ok(Some(caps)) => {
                let Some(m) = caps.get(0) else {
                    return Ok(None);
                };
                let groups = (1..caps.len())
                    .map(|i| caps.get(i).map(|g| g.as_str().to_string()))
                    .collect();
                Ok(Some(RegexMatch {
                    start: m.start(),
                    end: m.end(),
                    groups,
                }))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// UTF-16 length of `s` (JavaScript string length).
pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Converts a UTF-16 offset into a byte offset (clamped to the string).
pub(crate) fn utf16_to_byte(s: &str, units: usize) -> usize {
    let mut count = 0;
    for (i, c) in s.char_indices() {
        if count >= units {
            return i;
        }
        count += c.len_utf16();
    }
    s.len()
}

fn push_literal(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
        out.push(c);
    } else if c.is_whitespace() || c.is_control() {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// Is `chars[i..]` (just after `{`) a valid quantifier body `n}`, `n,}` or `n,m}`?
fn is_quantifier(chars: &[char], i: usize) -> bool {
    let mut j = i;
    let digits_start = j;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    if j == digits_start {
        return false;
    }
    if j < chars.len() && chars[j] == ',' {
        j += 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
    }
    j < chars.len() && chars[j] == '}'
}

fn hex_digits(chars: &[char], i: usize, n: usize) -> Option<u32> {
    if i + n > chars.len() {
        return None;
    }
    let s: String = chars[i..i + n].iter().collect();
    if s.chars().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(&s, 16).ok()
    } else {
        None
    }
}

/// Translates JavaScript regex syntax into fancy-regex syntax.
fn translate(pattern: &str, flags: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    if flags.contains('i') {
        out.push_str("(?i)");
    }
    if flags.contains('m') {
        out.push_str("(?m)");
    }
    let mut in_class = false;
    let mut class_start = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at_class_start = class_start;
        class_start = false;
        match c {
            '\\' => {
                i += 1;
                let Some(&e) = chars.get(i) else {
                    out.push_str("\\\\");
                    break;
                };
                match e {
                    'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                    'D' => out.push_str(if in_class { "\\D" } else { "[^0-9]" }),
                    'w' => out.push_str(if in_class {
                        "A-Za-z0-9_"
                    } else {
                        "[A-Za-z0-9_]"
                    }),
                    'W' => out.push_str(if in_class { "\\W" } else { "[^A-Za-z0-9_]" }),
                    's' | 'S' | 'n' | 'r' | 't' => {
                        out.push('\\');
                        out.push(e);
                    }
                    'b' | 'B' => {
                        if in_class && e == 'b' {
                            out.push_str("\\x{8}");
                        } else {
                            out.push('\\');
                            out.push(e);
                        }
                    }
                    'f' => out.push_str("\\x{C}"),
                    'v' => out.push_str("\\x{B}"),
                    '0' if !chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) => {
                        out.push_str("\\x{0}")
                    }
                    '1'..='9' if !in_class => {
                        out.push('\\');
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            out.push(chars[i]);
                            i += 1;
                        }
                        continue;
                    }
                    'u' => {
                        if let Some(v) = hex_digits(&chars, i + 1, 4) {
                            out.push_str(&format!("\\x{{{v:X}}}"));
                            i += 4;
                        } else {
                            out.push('u');
                        }
                    }
                    'x' => {
                        if let Some(v) = hex_digits(&chars, i + 1, 2) {
                            out.push_str(&format!("\\x{{{v:X}}}"));
                            i += 2;
                        } else {
                            out.push('x');
                        }
                    }
                    'c' => {
                        if let Some(l) = chars.get(i + 1).filter(|l| l.is_ascii_alphabetic()) {
                            out.push_str(&format!("\\x{{{:X}}}", (*l as u32) % 32));
                            i += 1;
                        } else {
                            out.push_str("\\\\c");
                        }
                    }
                    'k' if chars.get(i + 1) == Some(&'<') => out.push_str("\\k"),
                    other => push_literal(&mut out, other),
                }
                i += 1;
                continue;
            }
            '[' if !in_class => {
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("[^\\x{0}-\\x{10FFFF}]");
                    i += 2;
                    continue;
                }
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    out.push_str("[\\x{0}-\\x{10FFFF}]");
                    i += 3;
                    continue;
                }
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            '[' | '&' | '~' | ']' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '.' if !in_class => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            '{' if !in_class => {
                if is_quantifier(&chars, i + 1) && i > 0 {
                    out.push('{');
                } else {
                    out.push_str("\\{");
                }
            }
            '}' if !in_class => {
                // Closing a quantifier we passed through?
                let mut j = out.len();
                let bytes = out.as_bytes();
                while j > 0 && (bytes[j - 1].is_ascii_digit() || bytes[j - 1] == b',') {
                    j -= 1;
                }
                if j > 0 && bytes[j - 1] == b'{' && (j < 2 || bytes[j - 2] != b'\\') {
                    out.push('}');
                } else {
                    out.push_str("\\}");
                }
            }
            '(' if !in_class
                && chars.get(i + 1) == Some(&'?')
                && chars.get(i + 2) == Some(&'<')
                && !matches!(chars.get(i + 3), Some('=') | Some('!')) =>
            {
                out.push_str("(?P<");
                i += 3;
                continue;
            }
            c if in_class => {
                if c == '-' || c == '^' {
                    out.push(c);
                } else {
                    push_literal_in_class(&mut out, c);
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        out.push(']');
    }
    out
}

fn push_literal_in_class(out: &mut String, c: char) {
    if "\\[]&~".contains(c) {
        out.push('\\');
        out.push(c);
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, f: &str, s: &str) -> Option<(usize, usize)> {
        JsRegex::new(p, f)
            .unwrap()
            .exec(s, 0)
            .unwrap()
            .map(|m| (m.start, m.end))
    }

    #[test]
    fn translation() {
        assert_eq!(m("^hello\\$", "", "hello$world"), Some((0, 6)));
        assert_eq!(m("^hello\\ ", "", "hello$world"), None);
        assert_eq!(m("a{", "", "xa{"), Some((1, 3)));
        assert_eq!(m("a{2}", "", "aaa"), Some((0, 2)));
        assert_eq!(m("[[]", "", "x["), Some((1, 2)));
        assert_eq!(m("\\d+", "", "ab12"), Some((2, 4)));
        assert_eq!(m("(?<y>\\d{4})", "", "in 2024"), Some((3, 7)));
        assert_eq!(m("AB", "i", "xab"), Some((1, 3)));
        assert_eq!(m("\\u0041", "", "A"), Some((0, 1)));
        assert_eq!(m("a.c", "", "a\nc"), None);
        assert_eq!(m("(a)\\1", "", "aa"), Some((0, 2)));
        assert_eq!(m("(?<=a)b", "", "ab"), Some((1, 2)));
        assert!(JsRegex::new("(", "").is_err());
    }
}
