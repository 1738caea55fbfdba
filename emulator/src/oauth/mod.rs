//! The OAuth 2.0 / OpenID Connect side of a user pool, as Cognito's managed login serves it on a
//! user pool domain: the admin operations (domains, resource servers), app clients' OAuth
//! settings, and the endpoints — `/oauth2/authorize`, the `/login` pages, `/oauth2/token`,
//! `/oauth2/userInfo`, `/oauth2/revoke`, `/logout` — and the discovery document.
//!
//! Layout: `state` (what is kept), `admin` (operations), `client_settings`, `http` (routing,
//! reading requests) over the endpoints — `authorize`, `login`, `pages` (HTML), `token`,
//! `userinfo`, `logout`, `discovery` — which get a `request::DomainRequest` and answer a
//! `reply::Reply`.
//! The sign-in itself runs through the same state machine as InitiateAuth
//! (`crate::ops::hosted`).

pub(crate) mod admin;
mod authorize;
pub(crate) mod client_settings;
pub(crate) mod discovery;
pub(crate) mod http;
mod login;
mod logout;
mod pages;
mod reply;
pub(crate) mod request;
pub(crate) mod state;
mod token;
mod userinfo;

/// An opaque, unguessable id for codes, login flows and cookies.
fn random_id() -> Option<String> {
    crate::ids::opaque(32).ok()
}
