//! Requests per minute for each caller: an API token, a JWT subject, or (anonymous callers and
//! refused credentials) an IP address. GCRA buckets from `governor`, kept in memory per
//! instance; with `MOSAIC_REDIS_URL`, the same buckets live in Redis (`shared.rs`), so a
//! caller has one budget however many instances serve it.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::{AuthMethod, Caller};
use crate::config::Limits;

pub struct RateLimits {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    clock: DefaultClock,
    /// The buckets in Redis, when configured; the local ones answer while it is away.
    shared: Option<super::shared::SharedBuckets>,
}

impl RateLimits {
    /// Off when `rate_limit_per_minute` is 0.
    pub fn new(limits: &Limits) -> Self {
        let limiter = NonZeroU32::new(limits.rate_limit_per_minute).map(|per_minute| {
            let burst = NonZeroU32::new(limits.rate_limit_burst).unwrap_or(NonZeroU32::MIN);
            RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst))
        });
        Self {
            limiter,
            clock: DefaultClock::default(),
            shared: None,
        }
    }

    /// The same limits, kept in Redis for every instance (`MOSAIC_REDIS_URL`).
    pub fn shared_through(mut self, redis: &super::shared::Redis, limits: &Limits) -> Self {
        if self.limiter.is_some() {
            self.shared = Some(super::shared::SharedBuckets::new(
                redis,
                limits.rate_limit_per_minute,
                limits.rate_limit_burst,
            ));
        }
        self
    }

    /// `Err` with how long to wait when `key` has used up its requests.
    pub async fn check(&self, key: &str) -> Result<(), Duration> {
        if let Some(shared) = &self.shared
            && let Some(verdict) = shared.check(key).await
        {
            return verdict;
        }
        self.check_here(key)
    }

    /// The verdict of this instance's own bucket.
    fn check_here(&self, key: &str) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets callers whose buckets are full again, so memory follows the active callers.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// The bucket a caller draws from.
pub fn key(caller: &Caller, peer: Option<IpAddr>) -> String {
    match (caller.method(), caller.subject()) {
        (AuthMethod::Jwt, Some(subject)) => format!("jwt:{subject}"),
        (AuthMethod::ApiToken, Some(subject)) => subject,
        _ => ip_key(peer),
    }
}

pub fn ip_key(peer: Option<IpAddr>) -> String {
    peer.map_or_else(|| "ip:unknown".to_owned(), |ip| format!("ip:{ip}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_after_its_burst_and_others_are_not() {
        let limits = Limits {
            rate_limit_per_minute: 60,
            rate_limit_burst: 2,
            ..Limits::default()
        };
        let rates = RateLimits::new(&limits);
        assert!(rates.check_here("a").is_ok());
        assert!(rates.check_here("a").is_ok());
        let wait = rates.check_here("a").err();
        assert!(
            wait.is_some_and(|w| w <= Duration::from_secs(1)),
            "{wait:?}"
        );
        assert!(rates.check_here("b").is_ok());
    }
}
