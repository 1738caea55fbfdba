//! What every request of one emulator shares: the store (behind one lock), the clock, the
//! signing keys, the state directory, the triggers and the CUSTOM_AUTH hook. It depends only
//! on the modules below it (store, persist, tokens, triggers), never on the operations.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::clock::Clock;
use crate::error::ApiError;
use crate::hooks::CustomAuthHook;
use crate::options::Options;
use crate::persist::{self, LoadReport};
use crate::store::{self, SentCode};
use crate::{request_log, tokens, triggers};

pub(crate) struct Shared {
    store: Mutex<store::Store>,
    pub(crate) clock: Clock,
    pub(crate) custom_auth: RwLock<Option<Arc<dyn CustomAuthHook>>>,
    pub(crate) keys: Arc<tokens::Keys>,
    /// The state directory, with `--state`.
    pub(crate) state: Option<persist::State>,
    pub(crate) request_log: Option<request_log::RequestLog>,
    pub(crate) triggers: triggers::Registry,
    /// `http://ADDR:PORT` once the listener is bound (import jobs hand out URLs on it).
    pub(crate) endpoint: std::sync::OnceLock<String>,
}

impl Shared {
    pub(crate) fn new(options: &Options) -> io::Result<(Self, Option<LoadReport>)> {
        let clock = Clock::default();
        let (store, keys, state, report) = match &options.state_dir {
            Some(dir) => {
                let compact = options
                    .compact_above_bytes
                    .unwrap_or(persist::COMPACT_ABOVE_BYTES);
                let opened =
                    persist::State::open(dir, clock.now(), compact).map_err(io::Error::other)?;
                (
                    opened.store,
                    opened.keys,
                    Some(opened.state),
                    Some(opened.report),
                )
            }
            None => (
                store::Store::default(),
                tokens::Keys::for_process().map_err(|e| io::Error::other(e.to_string()))?,
                None,
                None,
            ),
        };
        let shared = Shared {
            store: Mutex::new(store),
            clock,
            custom_auth: RwLock::new(None),
            keys,
            state,
            request_log: options.request_log.then(request_log::RequestLog::default),
            triggers: triggers::Registry::default(),
            endpoint: std::sync::OnceLock::new(),
        };
        for (arn, url) in &options.triggers {
            shared.triggers.set_url(arn, url);
        }
        Ok((shared, report))
    }

    /// Makes what the calling operation changed durable (with a state directory), after it
    /// has finished with the store: the answer goes out only once its changes are on disk.
    pub(crate) fn commit(&self) -> Result<(), ApiError> {
        let ticket = {
            let mut store = self.store();
            match &self.state {
                Some(state) => state.stage(&mut store),
                None => {
                    store.forget_changes();
                    return Ok(());
                }
            }
        };
        let durable = ticket.and_then(|t| match &self.state {
            Some(state) => state.wait(t),
            None => Ok(()),
        });
        durable.map_err(|e| ApiError::internal(format!("The state could not be saved: {e}")))
    }

    /// The store. A panic while it was held (none is expected) must not take the whole
    /// emulator down: the data is still consistent per operation, so the poison is cleared.
    pub(crate) fn store(&self) -> MutexGuard<'_, store::Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The URL this emulator serves on (the default port's before it is bound).
    pub(crate) fn endpoint(&self) -> String {
        self.endpoint
            .get()
            .cloned()
            .unwrap_or_else(|| "http://127.0.0.1:9229".to_owned())
    }

    pub(crate) fn custom_auth(&self) -> Option<Arc<dyn CustomAuthHook>> {
        self.custom_auth
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every code "sent" to a user, oldest first (`username` may be a sign-in alias).
    pub(crate) fn sent_codes(&self, user_pool_id: &str, username: &str) -> Vec<SentCode> {
        let store = self.store();
        let Ok(pool) = store.pool(user_pool_id) else {
            return Vec::new();
        };
        let Ok(user) = pool.user(username) else {
            return Vec::new();
        };
        store
            .outbox
            .get(&(user_pool_id.to_owned(), user.username.clone()))
            .cloned()
            .unwrap_or_default()
    }
}
