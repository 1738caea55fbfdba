//! `--seed FILE`: pools, app clients (with pinned ids and secrets), groups, users (with
//! passwords, attributes, groups, MFA), domains and resource servers, identity pools (pinned
//! ids, with their roles), and trigger endpoints, from a YAML or JSON file. Applying a seed makes the state match it: what is missing is
//! created, what differs is set, what is equal is left alone, so applying it twice changes
//! nothing (and a `--state` directory seeded once is not disturbed by the next start). A bad
//! seed is refused before anything is changed by it where the file itself is wrong, with the
//! path of the bad member.

mod file;

pub use file::{read, Seed, SeedIdentityPool, SeedPool, SeedStatus, SeedUser};
