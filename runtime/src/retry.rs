//! Standard-mode retries: attempts, exponential backoff with full jitter and a cap, and a retry
//! quota (token bucket) shared by all calls of one handle so an outage cannot multiply load.

use std::sync::Mutex;
use std::time::Duration;

use crate::error::ConfigError;

/// Retry settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts per call, the first included (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// Backoff base: attempt `n` (1-based) waits a random time in `[0, min(base * 2^(n-1), max)]`.
    pub initial_backoff: Duration,
    /// Backoff cap (default 20 s).
    pub max_backoff: Duration,
    /// Retry quota capacity (default 500 tokens).
    pub quota_capacity: u32,
    /// Tokens a retry costs (default 5).
    pub retry_cost: u32,
    /// Tokens a retry after a timeout costs (default 10).
    pub timeout_retry_cost: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota_capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
        }
    }
}

impl RetryConfig {
    /// Defaults with this many attempts.
    pub fn with_max_attempts(max_attempts: u32) -> Self {
        RetryConfig {
            max_attempts,
            ..RetryConfig::default()
        }
    }

    /// Retries off: one attempt.
    pub fn disabled() -> Self {
        RetryConfig::with_max_attempts(1)
    }

    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.max_attempts == 0 {
            return Err(ConfigError::InvalidRetry(
                "max_attempts must be at least 1".into(),
            ));
        }
        if self.max_attempts > 100 {
            return Err(ConfigError::InvalidRetry(
                "max_attempts above 100 is not allowed".into(),
            ));
        }
        if self.max_backoff > Duration::from_secs(3600) {
            return Err(ConfigError::InvalidRetry(
                "max_backoff above one hour is not allowed".into(),
            ));
        }
        if self.initial_backoff > self.max_backoff {
            return Err(ConfigError::InvalidRetry(
                "initial_backoff is longer than max_backoff".into(),
            ));
        }
        Ok(())
    }

    /// The jittered delay before attempt `attempt + 1`, after `attempt` failed (1-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(30);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        ceiling.mul_f64(random_unit())
    }
}

/// A uniform random number in [0, 1).
pub(crate) fn random_unit() -> f64 {
    let mut b = [0u8; 8];
    if getrandom::getrandom(&mut b).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

/// Why an attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// Throttling, 5xx, connection errors, `@retryable` errors.
    Transient,
    /// A timed-out attempt (costs more quota).
    Timeout,
}

/// The token bucket of AWS standard mode: a retry takes tokens; a successful call gives back
/// what its retries took, or one token if it needed none.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    capacity: u32,
    available: Mutex<u32>,
}

impl RetryQuota {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryQuota {
            capacity,
            available: Mutex::new(capacity),
        }
    }

    /// Take the cost of one retry; `None` if the quota is exhausted.
    pub(crate) fn acquire(&self, cost: u32) -> Option<u32> {
        let mut available = self.available.lock().ok()?;
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// A call succeeded after taking `taken` tokens for retries.
    pub(crate) fn release(&self, taken: u32) {
        if let Ok(mut available) = self.available.lock() {
            let refund = if taken == 0 { 1 } else { taken };
            *available = available.saturating_add(refund).min(self.capacity);
        }
    }

    /// Give back tokens taken for a retry that was not made.
    pub(crate) fn release_unused(&self, taken: u32) {
        if let Ok(mut available) = self.available.lock() {
            *available = available.saturating_add(taken).min(self.capacity);
        }
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.available.lock().map(|g| *g).unwrap_or(0)
    }
}

/// Error codes AWS SDKs treat as throttling.
pub(crate) const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS SDKs treat as transient.
pub(crate) const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "InternalServerError",
    "ServiceUnavailable",
];

/// Whether an error response (status and code) is retryable regardless of modeling.
pub(crate) fn is_retryable_response(status: u16, code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
        || TRANSIENT_CODES.contains(&code)
        || status == 429
        || (status >= 500 && status != 501)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped_and_jittered() {
        let cfg = RetryConfig {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            ..RetryConfig::default()
        };
        for attempt in 1..40 {
            let d = cfg.backoff(attempt);
            assert!(d <= Duration::from_millis(300));
            if attempt == 1 {
                assert!(d <= Duration::from_millis(100));
            }
        }
        let distinct: std::collections::HashSet<_> = (0..20).map(|_| cfg.backoff(3)).collect();
        assert!(distinct.len() > 1, "jitter");
    }

    #[test]
    fn quota_drains_and_refills() {
        let q = RetryQuota::new(12);
        assert_eq!(q.acquire(5), Some(5));
        assert_eq!(q.acquire(5), Some(5));
        assert_eq!(q.acquire(5), None);
        q.release(5);
        assert_eq!(q.available(), 7);
        q.release(0);
        assert_eq!(q.available(), 8);
        q.release(100);
        assert_eq!(q.available(), 12);
    }

    #[test]
    fn classification() {
        assert!(is_retryable_response(400, "ThrottlingException"));
        assert!(is_retryable_response(400, "TooManyRequestsException"));
        assert!(is_retryable_response(503, "Anything"));
        assert!(!is_retryable_response(501, "NotImplemented"));
        assert!(!is_retryable_response(400, "NotAuthorizedException"));
    }
}
