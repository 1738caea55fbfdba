//! The JWKS cache: keys by `kid`, read without waiting by every verification, and refetched on
//! an unknown `kid` at most once per interval, by one fetch that concurrent verifications share.
//!
//! Single flight: callers that miss queue on one async mutex. The first fetches; the others, on
//! getting the mutex, see that an attempt finished while they waited and take its outcome
//! instead of fetching again. An attempt counts from its start, so a fetch cancelled halfway
//! (its caller's request went away) still spends the interval: nobody can turn cancellations
//! into a stream of fetches.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::error::{JwksError, KeyLookup, VerifyError};
use crate::fetch::Fetcher;
use crate::jwk::{Key, KeySet};
use crate::signature_cache::SignatureCache;

pub(crate) struct KeyCache {
    keys: RwLock<Arc<KeySet>>,
    /// Signatures verified under these keys; follows every change of the key set.
    signatures: SignatureCache,
    fetcher: Option<Fetcher>,
    refetch_interval: Duration,
    flight: Mutex<Flight>,
    /// Finished fetch attempts, successful or not.
    attempts: AtomicU64,
    /// Fetches started (for tests and metrics).
    started: AtomicU64,
}

#[derive(Default)]
struct Flight {
    last_start: Option<Instant>,
    last_error: Option<JwksError>,
}

impl KeyCache {
    pub fn new(
        initial: KeySet,
        fetcher: Option<Fetcher>,
        refetch_interval: Duration,
        signature_cache_size: usize,
    ) -> Self {
        KeyCache {
            signatures: SignatureCache::new(signature_cache_size, &initial),
            keys: RwLock::new(Arc::new(initial)),
            fetcher,
            refetch_interval,
            flight: Mutex::new(Flight::default()),
            attempts: AtomicU64::new(0),
            started: AtomicU64::new(0),
        }
    }

    pub fn cached(&self, kid: &str) -> Option<Arc<Key>> {
        self.keys.read().unwrap_or_else(|p| p.into_inner()).get(kid)
    }

    pub fn signatures(&self) -> &SignatureCache {
        &self.signatures
    }

    pub fn kids(&self) -> Vec<String> {
        self.keys.read().unwrap_or_else(|p| p.into_inner()).kids()
    }

    pub fn url(&self) -> Option<&str> {
        self.fetcher.as_ref().map(Fetcher::url)
    }

    pub fn fetches_started(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }

    /// The key for `kid`: cached, or after a (shared, rate-limited) refetch.
    pub async fn key(&self, kid: &str) -> Result<Arc<Key>, VerifyError> {
        if let Some(k) = self.cached(kid) {
            return Ok(k);
        }
        let Some(fetcher) = &self.fetcher else {
            return Err(unknown(kid, KeyLookup::Offline));
        };
        let seen = self.attempts.load(Ordering::Acquire);
        let mut flight = self.flight.lock().await;
        if let Some(k) = self.cached(kid) {
            return Ok(k);
        }
        if self.attempts.load(Ordering::Acquire) != seen {
            // Someone else's fetch finished while we queued: its outcome is ours.
            return Err(match &flight.last_error {
                Some(e) => VerifyError::Jwks(e.clone()),
                None => unknown(kid, KeyLookup::Refetched),
            });
        }
        if let Some(wait) = self.wait_before_fetch(&flight) {
            return Err(match &flight.last_error {
                Some(e) => VerifyError::Jwks(JwksError::Backoff {
                    last: Box::new(e.clone()),
                    retry_in: wait,
                }),
                None => unknown(kid, KeyLookup::RateLimited { retry_in: wait }),
            });
        }
        self.fetch_locked(fetcher, &mut flight).await?;
        self.cached(kid)
            .ok_or_else(|| unknown(kid, KeyLookup::Refetched))
    }

    /// Fetches now, whatever the interval (an explicit request); unless a fetch finished while
    /// this call waited for the one in flight.
    pub async fn hydrate(&self) -> Result<(), JwksError> {
        let Some(fetcher) = &self.fetcher else {
            return Ok(());
        };
        let seen = self.attempts.load(Ordering::Acquire);
        let mut flight = self.flight.lock().await;
        if self.attempts.load(Ordering::Acquire) != seen {
            return match &flight.last_error {
                Some(e) => Err(e.clone()),
                None => Ok(()),
            };
        }
        self.fetch_locked(fetcher, &mut flight).await
    }

    fn wait_before_fetch(&self, flight: &Flight) -> Option<Duration> {
        let since = flight.last_start?.elapsed();
        (since < self.refetch_interval).then(|| self.refetch_interval - since)
    }

    async fn fetch_locked(&self, fetcher: &Fetcher, flight: &mut Flight) -> Result<(), JwksError> {
        flight.last_start = Some(Instant::now());
        self.started.fetch_add(1, Ordering::Relaxed);
        let result = fetcher.fetch().await;
        let outcome = match result {
            Ok(set) => {
                let set = Arc::new(set);
                *self.keys.write().unwrap_or_else(|p| p.into_inner()) = set.clone();
                // After the swap: a verification still holding a removed key can then no
                // longer add an entry for it (see signature_cache).
                self.signatures.keep_only(&set);
                flight.last_error = None;
                Ok(())
            }
            Err(e) => {
                flight.last_error = Some(e.clone());
                Err(e)
            }
        };
        self.attempts.fetch_add(1, Ordering::Release);
        outcome
    }
}

fn unknown(kid: &str, lookup: KeyLookup) -> VerifyError {
    VerifyError::UnknownKid {
        kid: kid.to_owned(),
        lookup,
    }
}
