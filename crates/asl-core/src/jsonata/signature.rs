//! Function signatures (`<s-nn?:s>`): parsing and argument validation with
//! jsonata-js's rules (context arguments, optional/variadic parameters,
//! array wrapping of single values, T0410/T0411/T0412 errors).

use super::value::{Array, Value};
use std::rc::Rc;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Quant {
    One,
    Optional,
    Plus,
}

#[derive(Clone, Debug)]
struct Param {
    /// The type letter, or `(` for a choice.
    ty: char,
    /// Symbols this parameter accepts (including `m` where undefined is ok).
    allowed: String,
    subtype: Option<String>,
    context: bool,
    quant: Quant,
}

/// A parsed signature.
#[derive(Clone, Debug)]
pub(crate) struct Sig {
    params: Vec<Param>,
}

/// A signature validation failure: code, 1-based argument index, offending value.
pub(crate) struct SigError<'a> {
    pub code: &'static str,
    pub index: usize,
    /// The offending value (unused in messages, kept for diagnostics).
    #[allow(dead_code)]
    pub value: Value<'a>,
    /// For T0412: the plural type name.
    pub type_name: Option<&'static str>,
}

impl Sig {
    /// Parses signature text such as `<a<n>:n>`. Unknown characters are
    /// ignored (as jsonata-js does).
    pub fn parse(text: &str) -> Sig {
        let chars: Vec<char> = text.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut pos = 1;
        while pos < chars.len() {
            let c = chars[pos];
            if c == ':' {
                break;
            }
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(Param {
                    ty: c,
                    allowed: format!("{c}m"),
                    subtype: None,
                    context: false,
                    quant: Quant::One,
                }),
                'a' | 'x' => params.push(Param {
                    ty: c,
                    allowed: "asnblfom".into(),
                    subtype: None,
                    context: false,
                    quant: Quant::One,
                }),
                'f' => params.push(Param {
                    ty: c,
                    allowed: "f".into(),
                    subtype: None,
                    context: false,
                    quant: Quant::One,
                }),
                'j' => params.push(Param {
                    ty: c,
                    allowed: "asnblom".into(),
                    subtype: None,
                    context: false,
                    quant: Quant::One,
                }),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.quant = Quant::Optional;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        if p.quant == Quant::One {
                            p.quant = Quant::Optional;
                        }
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::Plus;
                    }
                }
                '(' => {
                    let end = find_close(&chars, pos, '(', ')');
                    let choice: String = chars[pos + 1..end.min(chars.len())].iter().collect();
                    params.push(Param {
                        ty: '(',
                        allowed: format!("{choice}m"),
                        subtype: None,
                        context: false,
                        quant: Quant::One,
                    });
                    pos = end;
                }
                '<' => {
                    let end = find_close(&chars, pos, '<', '>');
                    if let Some(p) = params.last_mut() {
                        if p.ty == 'a' || p.ty == 'f' {
                            p.subtype = Some(chars[pos + 1..end.min(chars.len())].iter().collect());
                        }
                    }
                    pos = end;
                }
                _ => {}
            }
            pos += 1;
        }
        Sig { params }
    }

    /// Validates `args` (and supplies the context value for `-` parameters),
    /// returning the arguments to pass.
    pub fn validate<'a>(
        &self,
        args: &[Value<'a>],
        context: &Value<'a>,
    ) -> Result<Vec<Value<'a>>, SigError<'a>> {
        let symbols: Vec<char> = args.iter().map(|a| a.sig_symbol()).collect();
        let Some(lens) = self.match_syms(&self.params, &symbols, true) else {
            return Err(self.mismatch(args, &symbols));
        };
        let mut out = Vec::with_capacity(self.params.len());
        let mut arg_index = 0usize;
        let mut sym_pos = 0usize;
        for (param, &len) in self.params.iter().zip(lens.iter()) {
            let matched = &symbols[sym_pos..sym_pos + len];
            sym_pos += len;
            if len == 0 {
                if param.context {
                    let sym = context.sig_symbol();
                    let base_ok = param.allowed.contains(sym);
                    if base_ok {
                        out.push(context.clone());
                    } else {
                        return Err(SigError {
                            code: "T0411",
                            index: arg_index + 1,
                            value: context.clone(),
                            type_name: None,
                        });
                    }
                } else {
                    out.push(args.get(arg_index).cloned().unwrap_or(Value::Undefined));
                    arg_index += 1;
                }
                continue;
            }
            for &single in matched {
                let arg = args.get(arg_index).cloned().unwrap_or(Value::Undefined);
                if param.ty == 'a' {
                    if single == 'm' {
                        out.push(Value::Undefined);
                    } else {
                        let mut ok = true;
                        if let Some(sub) = &param.subtype {
                            let matched_str: String = matched.iter().collect();
                            if single != 'a' && &matched_str != sub {
                                ok = false;
                            } else if single == 'a' {
                                let items = arg.to_items();
                                if let Some(first) = items.first() {
                                    let t = first.sig_symbol();
                                    if !sub.starts_with(t) {
                                        ok = false;
                                    } else {
                                        ok = items.iter().all(|v| v.sig_symbol() == t);
                                    }
                                }
                            }
                        }
                        if !ok {
                            let sub = param.subtype.as_deref().unwrap_or("");
                            return Err(SigError {
                                code: "T0412",
                                index: arg_index + 1,
                                value: arg,
                                type_name: Some(plural(sub)),
                            });
                        }
                        if single != 'a' {
                            out.push(Value::Array(Rc::new(Array::plain(vec![arg]))));
                        } else {
                            out.push(arg);
                        }
                    }
                } else {
                    out.push(arg);
                }
                arg_index += 1;
            }
        }
        Ok(out)
    }

    fn mismatch<'a>(&self, args: &[Value<'a>], symbols: &[char]) -> SigError<'a> {
        let mut good_to = 0;
        for i in 1..=self.params.len() {
            match self.match_syms(&self.params[..i], symbols, false) {
                Some(lens) => good_to = lens.iter().sum(),
                None => break,
            }
        }
        SigError {
            code: "T0410",
            index: good_to + 1,
            value: args.get(good_to).cloned().unwrap_or(Value::Undefined),
            type_name: None,
        }
    }

    /// Backtracking match of `params` against `syms` (greedy, like the
    /// JavaScript regex jsonata-js builds). Returns the symbol count each
    /// parameter consumed.
    fn match_syms(&self, params: &[Param], syms: &[char], anchored: bool) -> Option<Vec<usize>> {
        fn go(
            params: &[Param],
            syms: &[char],
            pos: usize,
            anchored: bool,
            acc: &mut Vec<usize>,
        ) -> bool {
            let Some(p) = params.first() else {
                return !anchored || pos == syms.len();
            };
            let mut max = 0;
            while pos + max < syms.len() && p.allowed.contains(syms[pos + max]) {
                max += 1;
                if p.quant != Quant::Plus {
                    break;
                }
            }
            let min = if p.quant == Quant::Optional { 0 } else { 1 };
            let mut n = max;
            loop {
                if n < min {
                    return false;
                }
                acc.push(n);
                if go(&params[1..], syms, pos + n, anchored, acc) {
                    return true;
                }
                acc.pop();
                if n == 0 {
                    return false;
                }
                n -= 1;
            }
        }
        let mut acc = Vec::new();
        if go(params, syms, 0, anchored, &mut acc) {
            Some(acc)
        } else {
            None
        }
    }
}

fn find_close(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut pos = start;
    while pos < chars.len() {
        pos += 1;
        match chars.get(pos) {
            Some(c) if *c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(c) if *c == open => depth += 1,
            _ => {}
        }
    }
    pos
}

fn plural(sub: &str) -> &'static str {
    match sub {
        "a" => "arrays",
        "b" => "booleans",
        "f" => "functions",
        "n" => "numbers",
        "o" => "objects",
        "s" => "strings",
        _ => "undefined",
    }
}
