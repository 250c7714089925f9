//! Opaque, tamper-evident pagination tokens.
//!
//! A token is `base64url(scope \n offset \n issued) . checksum`, where the
//! checksum is the first 16 hex digits of SHA-256 over a per-service secret
//! and the payload. `scope` names the operation and its filter arguments, so
//! a token replayed with other arguments, edited, truncated or older than 24
//! hours of (virtual) time is `InvalidToken`.

use super::error::{ServiceError, Validator};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Tokens expire after 24 hours (ASL-REFERENCE §3).
pub const TOKEN_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// Default and largest page size.
pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: i64 = 1000;

#[derive(Debug, Clone)]
pub struct Pager {
    secret: String,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

impl Pager {
    pub fn new(secret: impl Into<String>) -> Self {
        Pager {
            secret: secret.into(),
        }
    }

    fn checksum(&self, payload: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.secret.as_bytes());
        h.update([0u8]);
        h.update(payload.as_bytes());
        h.finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn issue(&self, scope: &str, offset: usize, now: i64) -> String {
        let payload = format!("{scope}\n{offset}\n{now}");
        format!(
            "{}.{}",
            b64().encode(payload.as_bytes()),
            self.checksum(&payload)
        )
    }

    /// The offset a token stands for; `InvalidToken` when it was not issued
    /// by this service for `scope`, or expired.
    pub fn open(&self, token: &str, scope: &str, now: i64) -> Result<usize, ServiceError> {
        let bad = || ServiceError::invalid_token("Invalid token");
        let (body, sum) = token.rsplit_once('.').ok_or_else(bad)?;
        let bytes = b64().decode(body).map_err(|_| bad())?;
        let payload = String::from_utf8(bytes).map_err(|_| bad())?;
        if self.checksum(&payload) != sum {
            return Err(bad());
        }
        let mut parts = payload.rsplitn(3, '\n');
        let issued: i64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let offset: usize = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let token_scope = parts.next().ok_or_else(bad)?;
        if token_scope != scope {
            return Err(bad());
        }
        if now.saturating_sub(issued) > TOKEN_LIFETIME_MS {
            return Err(ServiceError::invalid_token("Token has expired"));
        }
        Ok(offset)
    }
}

/// Checks `maxResults` and `nextToken` of a list request.
pub fn check_page_args(
    v: &mut Validator,
    max_results: Option<i64>,
    next_token: Option<&str>,
    token_max: usize,
) {
    v.range("maxResults", max_results, 0, MAX_PAGE);
    v.length("nextToken", next_token, 1, token_max);
}

/// The page size for `maxResults` (0 or absent → 100).
pub fn page_size(max_results: Option<i64>) -> usize {
    match max_results {
        Some(n) if n > 0 => n as usize,
        _ => DEFAULT_PAGE,
    }
}

/// One page of `items` starting at the token's offset.
pub fn paginate<T: Clone>(
    pager: &Pager,
    items: &[T],
    scope: &str,
    max_results: Option<i64>,
    next_token: Option<&str>,
    now: i64,
) -> Result<(Vec<T>, Option<String>), ServiceError> {
    let start = match next_token {
        Some(t) => pager.open(t, scope, now)?,
        None => 0,
    };
    let start = start.min(items.len());
    let end = start
        .saturating_add(page_size(max_results))
        .min(items.len());
    let next = (end < items.len()).then(|| pager.issue(scope, end, now));
    Ok((items[start..end].to_vec(), next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_detect_tampering() {
        let p = Pager::new("s");
        let t = p.issue("ListActivities", 7, 1000);
        assert_eq!(p.open(&t, "ListActivities", 1000).unwrap(), 7);
        assert_eq!(
            p.open(&t, "ListStateMachines", 1000).unwrap_err().code,
            "InvalidToken"
        );
        let mut bad = t.clone();
        bad.replace_range(0..1, if t.starts_with('A') { "B" } else { "A" });
        assert!(p.open(&bad, "ListActivities", 1000).is_err());
        assert!(p.open("garbage", "ListActivities", 1000).is_err());
        assert!(p
            .open(&t, "ListActivities", 1000 + TOKEN_LIFETIME_MS + 1)
            .is_err());
        assert!(Pager::new("other")
            .open(&t, "ListActivities", 1000)
            .is_err());
    }

    #[test]
    fn pages() {
        let p = Pager::new("s");
        let items: Vec<u32> = (0..5).collect();
        let (a, t) = paginate(&p, &items, "x", Some(2), None, 0).unwrap();
        assert_eq!(a, vec![0, 1]);
        let (b, t) = paginate(&p, &items, "x", Some(2), t.as_deref(), 0).unwrap();
        assert_eq!(b, vec![2, 3]);
        let (c, t) = paginate(&p, &items, "x", Some(2), t.as_deref(), 0).unwrap();
        assert_eq!((c, t), (vec![4], None));
    }
}
