//! The emulator's notion of "now": the system clock plus an offset that tests can move, so that
//! TOTP steps, TIMESTAMP skew and token expiry can be tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Shared, cheap to clone; every clone moves together.
#[derive(Clone, Debug)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
    /// `NOT_STOPPED`, or the time the clock was stopped at (it then moves only by `advance`).
    stopped_at: Arc<AtomicI64>,
}

const NOT_STOPPED: i64 = i64::MIN;

impl Default for Clock {
    fn default() -> Self {
        Clock {
            offset_secs: Arc::default(),
            stopped_at: Arc::new(AtomicI64::new(NOT_STOPPED)),
        }
    }
}

impl Clock {
    /// Seconds since the Unix epoch, offset applied.
    pub fn now(&self) -> i64 {
        let base = match self.stopped_at.load(Ordering::Relaxed) {
            NOT_STOPPED => system_now(),
            stopped => stopped,
        };
        base + self.offset_secs.load(Ordering::Relaxed)
    }

    /// Stops the clock at a given Unix time: from then on it moves only by `advance`, so that
    /// tests of lockouts and expiry do not depend on how long the test takes.
    pub fn stop_at(&self, unix_secs: i64) {
        self.offset_secs.store(0, Ordering::Relaxed);
        self.stopped_at.store(unix_secs, Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, with a negative value).
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }

    /// Sets the clock to a given Unix time (it keeps ticking from there, unless stopped).
    pub fn set(&self, unix_secs: i64) {
        let base = match self.stopped_at.load(Ordering::Relaxed) {
            NOT_STOPPED => system_now(),
            stopped => stopped,
        };
        self.offset_secs.store(unix_secs - base, Ordering::Relaxed);
    }

    /// Back to the system clock (running again if it was stopped).
    pub fn reset(&self) {
        self.offset_secs.store(0, Ordering::Relaxed);
        self.stopped_at.store(NOT_STOPPED, Ordering::Relaxed);
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
        c.stop_at(5_000);
        d.advance(7);
        assert_eq!(c.now(), 5_007);
        c.set(6_000);
        assert_eq!(d.now(), 6_000);
        c.reset();
        assert!(d.now() > 1_700_000_000);
    }
}
