//! The end-to-end tests' view of the workspace's test-support crate: the in-process emulator,
//! pools and users through the generated admin operations, authenticators that record their
//! events, and the codes an authenticator app shows.
#![allow(unused_imports, dead_code)]

pub use test_support::cognito::{
    all_flows, answered_as, auth, challenges, client, create_pool, create_user, now, totp, user,
    Events, Pool, PoolSpec, PASSWORD,
};
pub use test_support::emulator::start as emulator;
