//! `GET`/`POST /oauth2/userInfo`: the user's attributes for an access token from the token
//! endpoint with the `openid` scope, limited by its other scopes (`profile`, `email`, `phone`).
//! Errors carry a `WWW-Authenticate: Bearer` challenge (RFC 6750).

use http::{header, StatusCode};
use serde_json::{json, Map, Value};

use super::reply::Reply;
use super::request::DomainRequest;
use crate::ops::hosted;
use crate::shared::Shared;
use crate::tokens;

/// The attributes the `profile` scope covers (plus every `custom:` attribute).
const PROFILE: [&str; 14] = [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

fn refuse(status: StatusCode, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        json!({ "error": error, "error_description": description }),
    )
    .with_header(
        header::WWW_AUTHENTICATE,
        format!("Bearer error=\"{error}\", error_description=\"{description}\""),
    )
}

pub(super) fn get(shared: &Shared, req: &DomainRequest) -> Reply {
    let token = match req.authorization.as_deref() {
        Some(h) if h.len() > 7 && h[..7].eq_ignore_ascii_case("bearer ") => h[7..].trim(),
        _ => return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Bad OAuth2 request at UserInfo Endpoint: send Authorization: Bearer <access token>",
        ),
    };
    let invalid =
        "Access token is expired, disabled, or deleted, or the user has globally signed out.";
    let Ok((pool_id, username)) = hosted::access_token_user(shared, token) else {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_token", invalid);
    };
    // The token is one this emulator issued (checked above), so its claims can be read as is.
    let scopes: Vec<String> = tokens::claims(token)
        .and_then(|c| c.get("scope").and_then(Value::as_str).map(str::to_owned))
        .map(|s| s.split(' ').map(str::to_owned).collect())
        .unwrap_or_default();
    let has = |s: &str| scopes.iter().any(|x| x == s);
    if !has("openid") {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "The access token has no openid scope (tokens from the user pool API have none).",
        );
    }
    let store = shared.store();
    let Ok(user) = store.pool(&pool_id).and_then(|p| p.user(&username)) else {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_token", invalid);
    };
    let limited = has("profile") || has("email") || has("phone");
    let wanted = |name: &str| {
        !limited
            || (has("profile") && (PROFILE.contains(&name) || name.starts_with("custom:")))
            || (has("email") && (name == "email" || name == "email_verified"))
            || (has("phone") && (name == "phone_number" || name == "phone_number_verified"))
    };
    let mut out = Map::new();
    out.insert("sub".into(), json!(user.sub));
    for (k, v) in user.attributes.iter().filter(|(k, _)| wanted(k)) {
        out.insert(k.clone(), json!(v));
    }
    out.insert("username".into(), json!(user.username));
    Reply::json(StatusCode::OK, Value::Object(out))
}
