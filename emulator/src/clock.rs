//! The emulator's notion of "now": the system clock plus an offset that tests can move, so that
//! TOTP steps, TIMESTAMP skew and token expiry can be tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Shared, cheap to clone; every clone moves together.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    /// Seconds since the Unix epoch, offset applied.
    pub fn now(&self) -> i64 {
        system_now() + self.offset_secs.load(Ordering::Relaxed)
    }

    /// Moves the clock forward (or back, with a negative value).
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }

    /// Sets the clock to a given Unix time (it keeps ticking from there).
    pub fn set(&self, unix_secs: i64) {
        self.offset_secs
            .store(unix_secs - system_now(), Ordering::Relaxed);
    }

    /// Back to the system clock.
    pub fn reset(&self) {
        self.offset_secs.store(0, Ordering::Relaxed);
    }
}

fn system_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn moves_together() {
        let c = super::Clock::default();
        let d = c.clone();
        c.set(1_000);
        assert!((d.now() - 1_000).abs() <= 1);
        d.advance(30);
        assert!((c.now() - 1_030).abs() <= 1);
    }
}
