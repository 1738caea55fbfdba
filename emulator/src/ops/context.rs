//! The context an operation runs in: the emulator's shared state, the request's region and
//! operation name, and what the operation leaves for after it (tokens to sign, codes whose
//! CustomMessage trigger runs, the managed login's completed sign-in). What happens after an
//! operation is in `run.rs`.

use std::cell::{Cell, RefCell};

use super::unsigned::Unsigned;
use crate::oauth::state::SignedIn;
use crate::shared::Shared;
use crate::store::{SentCode, Store};

pub(crate) struct Ctx<'a> {
    pub shared: &'a Shared,
    /// The region of the request's SigV4 credential scope, if it was signed.
    pub region_hint: Option<&'a str>,
    /// The operation's name (`SignUp`, ...).
    pub op: &'a str,
    /// Tokens an operation granted under the store lock, signed by `run` once the operation
    /// has returned and released the lock (RSA signing is the costliest step of a sign-in).
    pub(super) pending: RefCell<Option<Unsigned>>,
    /// Codes the operation "sent" (pool id, internal username), for the CustomMessage trigger.
    pub(super) sent: RefCell<Vec<(String, String)>>,
    /// Set for the managed login pages: a completed sign-in is recorded here instead of
    /// issuing tokens (the token endpoint issues them, with the OAuth grant's scopes).
    pub(super) hosted_sign_in: Option<RefCell<Option<SignedIn>>>,
    /// Whether `finish` made the changes durable (else dropping the context does).
    pub(super) committed: Cell<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(shared: &'a Shared, region_hint: Option<&'a str>, op: &'a str) -> Self {
        Ctx {
            shared,
            region_hint,
            op,
            pending: Default::default(),
            sent: Default::default(),
            hosted_sign_in: None,
            committed: Default::default(),
        }
    }

    /// For the managed login pages: a completed sign-in is recorded, not issued.
    pub(super) fn for_hosted_ui(shared: &'a Shared) -> Self {
        let mut ctx = Ctx::new(shared, None, "HostedUI");
        ctx.hosted_sign_in = Some(Default::default());
        ctx
    }

    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.shared.store()
    }

    /// Records a code "sent" to a user (readable by tests; CustomMessage writes its text).
    pub fn record_code(&self, store: &mut Store, pool_id: &str, username: &str, code: SentCode) {
        store.record_code(pool_id, username, code);
        self.sent
            .borrow_mut()
            .push((pool_id.to_owned(), username.to_owned()));
    }

    /// The region for calls that create a pool: the signing region, else us-east-1.
    pub fn region(&self) -> &str {
        self.region_hint.unwrap_or("us-east-1")
    }
}

/// Contexts used without `finish` (the managed login pages drive the sign-in operations
/// directly) still make their changes durable before the page answers.
impl Drop for Ctx<'_> {
    fn drop(&mut self) {
        if !self.committed.get() {
            if let Err(e) = self.shared.commit() {
                eprintln!("cognito-emulator: {}", e.message);
            }
        }
    }
}
