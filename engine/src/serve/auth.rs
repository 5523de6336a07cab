//! 口令 — who may do what on `drill serve`: the trainer's token (导调, printed at the
//! start), and the tokens handed out at `/join` to participants (参演人员, bound to one
//! role or team) and evaluators (评估组). Tokens are 128 random bits from the
//! operating system's source, compared as whole strings; requests are rate-limited
//! per token (and joins per address), so a phone stuck in a loop cannot starve the
//! others.

use crate::model::Actor;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// What a token lets its holder do.
#[derive(Debug, Clone, PartialEq)]
pub enum Grant {
    /// 导调 — the trainer: acts for any role, fires and skips injects, runs the clock.
    Trainer,
    /// 参演人员 — a participant acting as one role or team, by its name.
    Participant { actor: Actor, name: String },
    /// 评估组 — an evaluator, observing and recording, acting for no one.
    Evaluator { name: String },
}

impl Grant {
    /// The name shown beside what its holder did.
    pub fn label(&self) -> String {
        match self {
            Grant::Trainer => "导调".to_string(),
            Grant::Participant { name, .. } => name.clone(),
            Grant::Evaluator { name } => format!("评估组 {name}"),
        }
    }
}

/// 128 random bits from the operating system, as 32 hex digits.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random source for tokens: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// At most this many tokens are handed out (a room of phones holds far fewer).
pub const MAX_TOKENS: usize = 2_000;

/// The tokens handed out so far.
pub struct Tokens {
    map: Mutex<HashMap<String, Grant>>,
}

impl Tokens {
    pub fn new(trainer: &str) -> Tokens {
        let mut map = HashMap::new();
        map.insert(trainer.to_string(), Grant::Trainer);
        Tokens {
            map: Mutex::new(map),
        }
    }

    pub fn grant(&self, token: &str) -> Option<Grant> {
        self.map.lock().ok()?.get(token).cloned()
    }

    /// A new token for `grant`, or `None` when [`MAX_TOKENS`] are out.
    pub fn issue(&self, grant: Grant) -> Result<Option<String>, String> {
        let token = new_token()?;
        let mut map = self
            .map
            .lock()
            .map_err(|_| "token table poisoned".to_string())?;
        if map.len() >= MAX_TOKENS {
            return Ok(None);
        }
        map.insert(token.clone(), grant);
        Ok(Some(token))
    }
}

/// A token bucket: `burst` requests at once, refilled at `per_s` a second.
struct Bucket {
    level: f64,
    at: Instant,
}

/// Rate limits by key (a token, or an address for joins).
pub struct Limiter {
    burst: f64,
    per_s: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    pub fn new(burst: f64, per_s: f64) -> Limiter {
        Limiter {
            burst,
            per_s,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether one more request under `key` is allowed now.
    pub fn allow(&self, key: &str) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return false;
        };
        let now = Instant::now();
        if buckets.len() > 4 * MAX_TOKENS {
            // Addresses that joined long ago: forget the full buckets.
            let (burst, per_s) = (self.burst, self.per_s);
            buckets.retain(|_, b| b.level + now.duration_since(b.at).as_secs_f64() * per_s < burst);
        }
        let b = buckets.entry(key.to_string()).or_insert(Bucket {
            level: self.burst,
            at: now,
        });
        b.level = (b.level + now.duration_since(b.at).as_secs_f64() * self.per_s).min(self.burst);
        b.at = now;
        if b.level >= 1.0 {
            b.level -= 1.0;
            true
        } else {
            false
        }
    }

    /// [`Limiter::allow`] for an address.
    pub fn allow_ip(&self, ip: IpAddr) -> bool {
        self.allow(&ip.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bits_and_differ() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn a_bucket_refuses_past_its_burst() {
        let l = Limiter::new(3.0, 0.001);
        assert!(l.allow("x") && l.allow("x") && l.allow("x"));
        assert!(!l.allow("x"));
        assert!(l.allow("y"));
    }
}
