//! The names of the state directory's tables (the `t` of every record; see `records.rs`). A
//! leaf: the records and the format migrations both name them.

pub const SIGNING_KEY: &str = "key";
pub const POOL: &str = "pool";
pub const CLIENT: &str = "client";
pub const USER: &str = "user";
pub const GROUP: &str = "group";
/// What a pool holds besides clients, users and groups (identity providers, terms, ...), by
/// `pool id/kind/name`.
pub const RESOURCE: &str = "resource";
pub const REFRESH_TOKEN: &str = "refresh";
pub const ACCESS_TOKEN: &str = "access";
/// A user pool domain (managed login), by domain name.
pub const DOMAIN: &str = "domain";
/// A pool's resource servers, all of them in one record by pool id.
pub const RESOURCE_SERVERS: &str = "resource_servers";
/// The scopes of an OAuth grant, by the origin_jti of its tokens (for refreshes).
pub const OAUTH_GRANT: &str = "oauth_grant";
/// An identity pool with its roles and role mappings, by identity pool id.
pub const IDENTITY_POOL: &str = "identity_pool";
/// An identity (its pool and logins), by identity id.
pub const IDENTITY: &str = "identity";
/// A refresh token rotated out by GetTokensFromRefreshToken, by its fingerprint.
pub const ROTATED_OUT: &str = "rotated_out";
/// A refresh-token family revoked for reuse of a rotated-out token, by origin_jti.
pub const REVOKED_FAMILY: &str = "revoked_family";
/// A user's failed sign-ins and lockout, by `pool id/username`.
pub const LOCKOUT: &str = "lockout";
/// A code sent and not used up (expiry, wrong tries), by `pool id/username/purpose`.
pub const CODE: &str = "code";
