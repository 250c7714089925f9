//! The comparer: a normalised produced history against the recording.
//!
//! Per event it compares `type`, `id`, `previousEventId` and every
//! `…EventDetails` object (key order ignored, lists in order, numbers by
//! value, recorded placeholders as consistently bound wildcards), and stops
//! at the **first difference**, reported with the event index and the JSON
//! pointer into `history.json` (or into `meta.json` for `final`).
//!
//! Soft differences (the case still passes, the note is printed):
//! `inputDetails`/`outputDetails`/`redrive…` members, the presence of
//! `ResponseMetadata`/`SdkHttpMetadata`/`SdkResponseMetadata` (whose content
//! is never compared), and JSON texts that are equal as JSON but formatted
//! differently.

use super::case::{Case, FinalRecord, Meta};
use super::load::escape_token;
use super::normalise::Normaliser;
use super::parallel;
use super::pattern::{is_date_word, is_wildcard_word, looks_like_date, match_str, Bindings};
use super::runner::Produced;
use crate::history::HistoryEvent;
use serde_json::{Map, Value};
use std::fmt;

/// Members whose differences are soft failures.
pub const SOFT_KEYS: [&str; 6] = [
    "inputDetails",
    "outputDetails",
    "redriveCount",
    "redriveStatus",
    "redriveStatusReason",
    "redriveDate",
];

/// Members whose content is never compared (SDK metadata inside service
/// outputs); a difference in presence is soft.
pub const IGNORED_KEYS: [&str; 3] = ["ResponseMetadata", "SdkHttpMetadata", "SdkResponseMetadata"];

/// The first difference between a recording and a produced run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Index of the event in the recorded history (`None` for `final`).
    pub event_index: Option<usize>,
    /// The recorded event's type (or the produced one when the recording
    /// has no event there).
    pub event_type: Option<String>,
    /// JSON pointer into `history.json` (`/3/taskScheduledEventDetails/…`)
    /// or into `meta.json` (`/final/output`).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.event_index, &self.event_type) {
            (Some(i), Some(t)) => {
                write!(f, "event {i} ({t}) at {}: {}", self.pointer, self.message)
            }
            (Some(i), None) => write!(f, "event {i} at {}: {}", self.pointer, self.message),
            _ => write!(f, "{}: {}", self.pointer, self.message),
        }
    }
}

/// The result of comparing one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Passed with soft differences (summaries such as `inputDetails ×2`).
    SoftPass(Vec<String>),
    Fail(Difference),
}

#[derive(Debug)]
struct Mismatch {
    pointer: String,
    message: String,
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn mismatch(pointer: &str, r: &Value, p: &Value) -> Mismatch {
    Mismatch {
        pointer: pointer.to_owned(),
        message: format!("expected {}, got {}", short(r), short(p)),
    }
}

fn num_eq(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn type_of(e: &Value) -> Option<String> {
    e.get("type").and_then(Value::as_str).map(str::to_owned)
}

/// Compares values, keeping the placeholder bindings of one case and the
/// soft notes.
#[derive(Debug, Default)]
pub struct Comparer {
    bindings: Bindings,
    /// `(member name, pointer)` of every soft difference.
    soft: Vec<(String, String)>,
}

impl Comparer {
    /// A comparer with no bindings.
    pub fn new() -> Self {
        Comparer::default()
    }

    /// Soft differences grouped by member, e.g. `inputDetails ×3`.
    pub fn soft_summary(&self) -> Vec<String> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (key, _) in &self.soft {
            match counts.iter_mut().find(|(k, _)| k == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key.clone(), 1)),
            }
        }
        counts
            .into_iter()
            .map(|(k, n)| if n == 1 { k } else { format!("{k} \u{d7}{n}") })
            .collect()
    }

    fn note(&mut self, key: &str, pointer: String) {
        self.soft.push((key.to_owned(), pointer));
    }

    /// Runs `f` and rolls bindings and notes back if it fails.
    fn trial<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Mismatch>,
    ) -> Result<T, Mismatch> {
        let bindings = self.bindings.clone();
        let soft = self.soft.len();
        let r = f(self);
        if r.is_err() {
            self.bindings = bindings;
            self.soft.truncate(soft);
        }
        r
    }

    fn value(&mut self, r: &Value, p: &Value, ptr: &str) -> Result<(), Mismatch> {
        if let Value::String(rs) = r {
            if is_wildcard_word(rs) {
                return Ok(());
            }
            if let Value::String(ps) = p {
                if match_str(rs, ps, &mut self.bindings) {
                    return Ok(());
                }
            }
            if is_date_word(rs) && looks_like_date(p) {
                return Ok(());
            }
            if let Value::String(ps) = p {
                // A JSON text holding one string (an `assignedVariables`
                // value): the recorder's placeholders sit inside the quotes.
                let inner = (
                    serde_json::from_str::<Value>(rs),
                    serde_json::from_str::<Value>(ps),
                );
                if let (Ok(ri @ Value::String(_)), Ok(pi @ Value::String(_))) = inner {
                    if self.trial(|c| c.value(&ri, &pi, ptr)).is_ok() {
                        return Ok(());
                    }
                }
            }
            if let Value::String(ps) = p {
                // Equal as JSON, different formatting (e.g. Python spacing).
                let parsed = (
                    serde_json::from_str::<Value>(rs),
                    serde_json::from_str::<Value>(ps),
                );
                if let (Ok(rv), Ok(pv)) = parsed {
                    if (rv.is_array() || rv.is_object())
                        && self.trial(|c| c.value(&rv, &pv, ptr)).is_ok()
                    {
                        self.note("JSON text formatting", ptr.to_owned());
                        return Ok(());
                    }
                }
            }
            return Err(mismatch(ptr, r, p));
        }
        if let Value::String(ps) = p {
            // The recorder parsed a JSON text that stays a string here
            // (e.g. an array output): compare the parsed value.
            return match serde_json::from_str::<Value>(ps) {
                Ok(pv) => self.value(r, &pv, ptr).map_err(|m| Mismatch {
                    message: format!("{} (in the produced JSON text {})", m.message, short(p)),
                    ..m
                }),
                Err(_) => Err(mismatch(ptr, r, p)),
            };
        }
        match (r, p) {
            (Value::Null, Value::Null) => Ok(()),
            (Value::Bool(a), Value::Bool(b)) if a == b => Ok(()),
            (Value::Number(a), Value::Number(b)) if num_eq(a, b) => Ok(()),
            (Value::Array(ra), Value::Array(pa)) => {
                if ra.len() != pa.len() {
                    return Err(Mismatch {
                        pointer: ptr.to_owned(),
                        message: format!(
                            "expected {} elements, got {}: expected {}, got {}",
                            ra.len(),
                            pa.len(),
                            short(r),
                            short(p)
                        ),
                    });
                }
                for (i, (rv, pv)) in ra.iter().zip(pa).enumerate() {
                    self.value(rv, pv, &format!("{ptr}/{i}"))?;
                }
                Ok(())
            }
            (Value::Object(ro), Value::Object(po)) => self.object(ro, po, ptr),
            _ => Err(mismatch(ptr, r, p)),
        }
    }

    fn object(
        &mut self,
        ro: &Map<String, Value>,
        po: &Map<String, Value>,
        ptr: &str,
    ) -> Result<(), Mismatch> {
        for (k, rv) in ro {
            let kp = format!("{ptr}/{}", escape_token(k));
            if IGNORED_KEYS.contains(&k.as_str()) {
                if !po.contains_key(k) {
                    self.note(k, kp);
                }
                continue;
            }
            let soft = SOFT_KEYS.contains(&k.as_str());
            match po.get(k) {
                None if soft => self.note(k, kp),
                None => {
                    return Err(Mismatch {
                        pointer: kp,
                        message: format!("missing member {k:?} (expected {})", short(rv)),
                    })
                }
                Some(pv) if soft => {
                    if self.trial(|c| c.value(rv, pv, &kp)).is_err() {
                        self.note(k, kp);
                    }
                }
                Some(pv) => self.value(rv, pv, &kp)?,
            }
        }
        for (k, pv) in po {
            if ro.contains_key(k) {
                continue;
            }
            let kp = format!("{ptr}/{}", escape_token(k));
            if IGNORED_KEYS.contains(&k.as_str()) || SOFT_KEYS.contains(&k.as_str()) {
                self.note(k, kp);
            } else {
                return Err(Mismatch {
                    pointer: kp,
                    message: format!("unexpected member {k:?} = {}", short(pv)),
                });
            }
        }
        Ok(())
    }

    fn event(&mut self, i: usize, r: &Value, p: &Value) -> Result<(), Difference> {
        let ty = type_of(r);
        let wrap = |m: Mismatch| Difference {
            event_index: Some(i),
            event_type: ty.clone(),
            pointer: m.pointer,
            message: m.message,
        };
        for key in ["type", "id", "previousEventId"] {
            let (rv, pv) = (r.get(key), p.get(key));
            let equal = match (rv, pv) {
                (Some(Value::Number(a)), Some(Value::Number(b))) => num_eq(a, b),
                (a, b) => a == b,
            };
            if !equal {
                let show = |v: Option<&Value>| v.map_or_else(|| "nothing".to_owned(), short);
                return Err(wrap(Mismatch {
                    pointer: format!("/{i}/{key}"),
                    message: format!("{key}: expected {}, got {}", show(rv), show(pv)),
                }));
            }
        }
        let details = |e: &Value| -> Vec<(String, Value)> {
            e.as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(k, _)| k.ends_with("EventDetails"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (rd, pd) = (details(r), details(p));
        for (k, rv) in &rd {
            let kp = format!("/{i}/{}", escape_token(k));
            match pd.iter().find(|(pk, _)| pk == k) {
                None => {
                    return Err(wrap(Mismatch {
                        pointer: kp,
                        message: format!("missing {k}"),
                    }))
                }
                Some((_, pv)) => self.value(rv, pv, &kp).map_err(wrap)?,
            }
        }
        if let Some((k, pv)) = pd.iter().find(|(k, _)| !rd.iter().any(|(rk, _)| rk == k)) {
            return Err(wrap(Mismatch {
                pointer: format!("/{i}/{}", escape_token(k)),
                message: format!("unexpected {k} = {}", short(pv)),
            }));
        }
        Ok(())
    }

    /// Compares a normalised produced history with the recording.
    pub fn history(&mut self, recorded: &[Value], produced: &[Value]) -> Result<(), Difference> {
        let n = recorded.len().max(produced.len());
        let mut i = 0;
        while i < n {
            if recorded.get(i).is_some_and(parallel::is_sorted_event) {
                let end = (i..recorded.len())
                    .find(|&j| !parallel::is_sorted_event(&recorded[j]))
                    .unwrap_or(recorded.len());
                self.sorted_block(recorded, produced, i, end)?;
                i = end;
                continue;
            }
            match (recorded.get(i), produced.get(i)) {
                (Some(r), Some(p)) => self.event(i, r, p)?,
                (Some(r), None) => {
                    return Err(Difference {
                        event_index: Some(i),
                        event_type: type_of(r),
                        pointer: format!("/{i}"),
                        message: format!(
                            "missing: the produced history ends after {} events",
                            produced.len()
                        ),
                    })
                }
                (None, Some(p)) => {
                    return Err(Difference {
                        event_index: Some(i),
                        event_type: type_of(p),
                        pointer: format!("/{i}"),
                        message: format!(
                            "unexpected extra event; the recorded history has {} events",
                            recorded.len()
                        ),
                    })
                }
                (None, None) => {}
            }
            i += 1;
        }
        Ok(())
    }

    /// A run of `[0]` events: matched as a multiset.
    fn sorted_block(
        &mut self,
        recorded: &[Value],
        produced: &[Value],
        start: usize,
        end: usize,
    ) -> Result<(), Difference> {
        let mut used = vec![false; end - start];
        for (j, rec) in recorded.iter().enumerate().take(end).skip(start) {
            let mut found = false;
            for (c, slot) in used.iter_mut().enumerate() {
                let Some(p) = produced.get(start + c) else {
                    break;
                };
                if *slot {
                    continue;
                }
                let bindings = self.bindings.clone();
                let soft = self.soft.len();
                if self.event(j, rec, p).is_ok() {
                    *slot = true;
                    found = true;
                    break;
                }
                self.bindings = bindings;
                self.soft.truncate(soft);
            }
            if !found {
                let closest = used
                    .iter()
                    .position(|u| !u)
                    .and_then(|c| produced.get(start + c));
                let detail = match closest {
                    Some(p) => match self.event(j, rec, p) {
                        Err(d) => format!(
                            "; first unmatched produced event differs at {}: {}",
                            d.pointer, d.message
                        ),
                        Ok(()) => String::new(),
                    },
                    None => "; the produced history has no event left there".to_owned(),
                };
                return Err(Difference {
                    event_index: Some(j),
                    event_type: type_of(rec),
                    pointer: format!("/{j}"),
                    message: format!(
                        "no matching event in the order-independent Parallel block (events {start}..{end}){detail}"
                    ),
                });
            }
        }
        Ok(())
    }

    /// Compares `meta.final` with the produced status/output/error/cause.
    pub fn final_state(
        &mut self,
        rec: &FinalRecord,
        prod: &Produced,
        n: &Normaliser,
    ) -> Result<(), Difference> {
        let fail = |m: Mismatch| Difference {
            event_index: None,
            event_type: None,
            pointer: m.pointer,
            message: m.message,
        };
        if rec.status != prod.status.as_str() {
            return Err(fail(Mismatch {
                pointer: "/final/status".into(),
                message: format!("expected {:?}, got {:?}", rec.status, prod.status.as_str()),
            }));
        }
        let parts: [(&str, &Option<Value>, Option<Value>); 3] = [
            (
                "output",
                &rec.output,
                prod.output.as_deref().map(|t| n.text(t)),
            ),
            (
                "error",
                &rec.error,
                prod.error.as_deref().map(|t| Value::String(n.string(t))),
            ),
            (
                "cause",
                &rec.cause,
                prod.cause.as_deref().map(|t| n.text(t)),
            ),
        ];
        for (name, r, p) in parts {
            let ptr = format!("/final/{name}");
            match (r, p) {
                (Some(r), Some(p)) => self.value(r, &p, &ptr).map_err(fail)?,
                (Some(r), None) => {
                    return Err(fail(Mismatch {
                        pointer: ptr,
                        message: format!("missing {name} (expected {})", short(r)),
                    }))
                }
                (None, Some(p)) => {
                    return Err(fail(Mismatch {
                        pointer: ptr,
                        message: format!("unexpected {name} = {}", short(&p)),
                    }))
                }
                (None, None) => {}
            }
        }
        Ok(())
    }
}

/// Normalises produced wire events for `meta` and compares them with the
/// recording (including the Parallel-sorted form).
pub fn compare_wire(meta: &Meta, recorded: &[Value], produced_wire: &[Value]) -> Verdict {
    let mut c = Comparer::new();
    match wire_history(&mut c, meta, recorded, produced_wire) {
        Err(d) => Verdict::Fail(d),
        Ok(()) => verdict(&c),
    }
}

fn wire_history(
    c: &mut Comparer,
    meta: &Meta,
    recorded: &[Value],
    produced_wire: &[Value],
) -> Result<(), Difference> {
    let n = Normaliser::for_meta(meta);
    let mut produced = n.events(produced_wire);
    if parallel::is_sorted_form(recorded) {
        parallel::apply(&mut produced);
    }
    c.history(recorded, &produced)
}

fn verdict(c: &Comparer) -> Verdict {
    let soft = c.soft_summary();
    if soft.is_empty() {
        Verdict::Pass
    } else {
        Verdict::SoftPass(soft)
    }
}

/// Compares a produced run with a case, as `meta.compare` says.
pub fn compare_case(case: &Case, produced: &Produced) -> Verdict {
    let mut c = Comparer::new();
    let meta = &case.meta;
    if meta.compares_history() {
        let wire: Vec<Value> = produced.history.iter().map(HistoryEvent::to_wire).collect();
        if let Err(d) = wire_history(&mut c, meta, &case.history, &wire) {
            return Verdict::Fail(d);
        }
    }
    if meta.compares_final() {
        if let Some(rec) = &meta.final_record {
            let n = Normaliser::for_meta(meta);
            if let Err(d) = c.final_state(rec, produced, &n) {
                return Verdict::Fail(d);
            }
        }
    }
    verdict(&c)
}

#[cfg(test)]
mod tests;
