//! The Amazon States Language, as data: everything both the linter and the
//! simulator need to read a state machine definition.
//!
//! * [`json`] — a strict JSON parser that keeps the byte span of every value
//!   and reports duplicate keys; [`lines`] converts offsets to line/column.
//! * [`model`] — the typed definition (eight state types, both query languages).
//! * [`jsonpath`], [`intrinsic`], [`jsonata`] — the three expression languages.
//! * [`names`], [`arn`], [`integrations`], [`timestamp`] — naming rules, ARN
//!   forms, the service-integration catalogue and RFC 3339 timestamps.

pub mod arn;
pub mod integrations;
pub mod intrinsic;
pub mod json;
pub mod jsonata;
pub mod jsonpath;
pub mod lines;
pub mod model;
pub mod names;
pub mod span;
pub mod timestamp;
pub mod yaml;
