//! `POST /oauth2/token` (authorization_code with PKCE, refresh_token, client_credentials) and
//! `POST /oauth2/revoke`, with client authentication by HTTP Basic or body parameters and
//! errors as OAuth 2.0 JSON (`{"error", "error_description"}`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::{header, StatusCode};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::authorize::pkce_value_ok;
use super::client_settings::OAuthClientSettings;
use super::reply::Reply;
use super::request::DomainRequest;
use crate::error::ApiError;
use crate::guard::constant_time_eq;
use crate::ops::hosted;
use crate::shared::Shared;
use crate::{ids, tokens};

/// An OAuth 2.0 error response.
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    /// Client authentication by Basic failed: answer 401 with a challenge.
    basic_challenge: bool,
}

pub(crate) fn oauth_error(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        status: StatusCode::BAD_REQUEST,
        error,
        description: description.into(),
        basic_challenge: false,
    }
}

impl OAuthError {
    fn reply(self) -> Reply {
        let reply = Reply::json(
            self.status,
            json!({ "error": self.error, "error_description": self.description }),
        );
        if self.basic_challenge {
            reply.with_header(header::WWW_AUTHENTICATE, "Basic realm=\"cognito\"".into())
        } else {
            reply
        }
    }
}

/// An authenticated app client of the domain's pool.
struct Client {
    id: String,
    pool_id: String,
    has_secret: bool,
    settings: OAuthClientSettings,
    access_validity_secs: i64,
}

fn percent_decoded(text: &str) -> String {
    form_urlencoded::parse(format!("v={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `client_secret_basic` (Authorization: Basic) or `client_secret_post` (body), never both.
fn authenticate(shared: &Shared, req: &DomainRequest) -> Result<Client, OAuthError> {
    let basic = match req.authorization.as_deref() {
        Some(h) if h.len() > 6 && h[..6].eq_ignore_ascii_case("basic ") => {
            let decoded = STANDARD
                .decode(h[6..].trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| oauth_error("invalid_request", "malformed Basic authorization"))?;
            let (id, secret) = decoded
                .split_once(':')
                .ok_or_else(|| oauth_error("invalid_request", "malformed Basic authorization"))?;
            Some((percent_decoded(id), percent_decoded(secret)))
        }
        _ => None,
    };
    let body_id = req.form.get("client_id");
    let body_secret = req.form.get("client_secret");
    let basic_used = basic.is_some();
    let (client_id, secret) = match (&basic, body_secret) {
        (Some(_), Some(_)) => {
            return Err(oauth_error(
                "invalid_request",
                "use one client authentication method: Basic or client_secret, not both",
            ))
        }
        (Some((id, secret)), None) => {
            if body_id.is_some_and(|b| b != id) {
                return Err(invalid_client(
                    "client_id differs from the Basic credentials",
                    true,
                ));
            }
            // Some libraries send `client_id:` (empty secret) for public clients.
            (id.clone(), Some(secret.clone()).filter(|s| !s.is_empty()))
        }
        (None, secret) => (
            body_id
                .ok_or_else(|| oauth_error("invalid_request", "client_id is required"))?
                .to_owned(),
            secret.map(str::to_owned),
        ),
    };
    let store = shared.store();
    let domain_pool = store
        .oauth
        .domains
        .get(&req.route.domain)
        .map(|d| d.pool_id.clone())
        .unwrap_or_default();
    let client = store
        .pool(&domain_pool)
        .ok()
        .and_then(|p| p.clients.get(&client_id))
        .ok_or_else(|| invalid_client("no such app client in this user pool", basic_used))?;
    match (client.has_secret(), &secret) {
        (true, Some(given)) if client.secret_matches(given) => {}
        (true, Some(_)) => return Err(invalid_client("wrong client secret", basic_used)),
        (true, None) => {
            return Err(invalid_client(
                "the app client has a secret: authenticate with it",
                basic_used,
            ))
        }
        (false, Some(_)) => {
            return Err(invalid_client(
                "the app client has no secret; send only client_id",
                basic_used,
            ))
        }
        (false, None) => {}
    }
    Ok(Client {
        id: client.id.clone(),
        pool_id: domain_pool,
        has_secret: client.has_secret(),
        settings: OAuthClientSettings::of(&client.config),
        access_validity_secs: client.access_validity_secs,
    })
}

fn invalid_client(description: &str, basic: bool) -> OAuthError {
    OAuthError {
        status: if basic {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        },
        error: "invalid_client",
        description: description.to_owned(),
        basic_challenge: basic,
    }
}

pub(super) fn post(shared: &Shared, req: &DomainRequest) -> Reply {
    match token(shared, req) {
        Ok(body) => Reply::json(StatusCode::OK, body),
        Err(e) => e.reply(),
    }
}

fn token(shared: &Shared, req: &DomainRequest) -> Result<Value, OAuthError> {
    if !req.form_encoded {
        return Err(oauth_error(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    let names = [
        "grant_type",
        "client_id",
        "client_secret",
        "code",
        "redirect_uri",
        "code_verifier",
        "refresh_token",
        "scope",
    ];
    if let Some(name) = req.form.repeated(&names) {
        return Err(oauth_error(
            "invalid_request",
            format!("{name} appears more than once"),
        ));
    }
    let grant_type = req
        .form
        .get("grant_type")
        .ok_or_else(|| oauth_error("invalid_request", "grant_type is required"))?;
    if !matches!(
        grant_type,
        "authorization_code" | "refresh_token" | "client_credentials"
    ) {
        return Err(oauth_error(
            "unsupported_grant_type",
            format!("grant_type {grant_type:?} is not supported"),
        ));
    }
    let client = authenticate(shared, req)?;
    match grant_type {
        "authorization_code" => authorization_code(shared, req, &client),
        "refresh_token" => refresh(shared, req, &client),
        _ => client_credentials(shared, req, &client),
    }
}

fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorization_code(
    shared: &Shared,
    req: &DomainRequest,
    client: &Client,
) -> Result<Value, OAuthError> {
    let code = req
        .form
        .get("code")
        .ok_or_else(|| oauth_error("invalid_request", "code is required"))?;
    let redirect_uri = req
        .form
        .get("redirect_uri")
        .ok_or_else(|| oauth_error("invalid_request", "redirect_uri is required"))?;
    let fingerprint: [u8; 32] = Sha256::digest(code.as_bytes()).into();
    let now = shared.now();
    // Taken out at the first attempt, right or wrong: a code is good for one try.
    let record = {
        let mut store = shared.store();
        match store.oauth.codes.remove(code) {
            Some(r) => r,
            None => {
                if let Some((origin, _)) = store.oauth.redeemed.remove(&fingerprint) {
                    // A replayed code: what its first redemption issued is revoked (RFC 6749 4.1.2).
                    store.refresh_tokens.retain(|_, r| r.origin_jti != origin);
                    store.access_tokens.retain(|_, r| r.origin_jti != origin);
                    store.oauth.grants.remove(&origin);
                    return Err(oauth_error(
                        "invalid_grant",
                        "the authorization code was already used; the tokens issued for it are revoked",
                    ));
                }
                return Err(oauth_error(
                    "invalid_grant",
                    "the authorization code is invalid, expired or already used",
                ));
            }
        }
    };
    if record.signed_in.client_id != client.id {
        return Err(oauth_error(
            "invalid_grant",
            "the authorization code was issued to another client",
        ));
    }
    if record.expires <= now {
        return Err(oauth_error(
            "invalid_grant",
            "the authorization code has expired",
        ));
    }
    if record.redirect_uri != redirect_uri {
        return Err(oauth_error(
            "invalid_grant",
            "redirect_uri differs from the one of the authorize request",
        ));
    }
    if let Some(challenge) = &record.code_challenge {
        let verifier = req
            .form
            .get("code_verifier")
            .ok_or_else(|| oauth_error("invalid_request", "code_verifier is required"))?;
        if !pkce_value_ok(verifier) {
            return Err(oauth_error(
                "invalid_request",
                "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]",
            ));
        }
        if !constant_time_eq(s256(verifier).as_bytes(), challenge.as_bytes()) {
            return Err(oauth_error(
                "invalid_grant",
                "code_verifier does not match the code_challenge",
            ));
        }
    }
    if !client.settings.allows_flow("code") {
        return Err(oauth_error(
            "unauthorized_client",
            "the app client does not allow the code grant",
        ));
    }
    check_user(
        shared,
        &record.signed_in.pool_id,
        &record.signed_in.username,
    )?;
    let out = hosted::issue_tokens(shared, &record.signed_in, record.grant)
        .map_err(|e| oauth_error("invalid_grant", e.message))?;
    let body = token_body(&out["AuthenticationResult"]);
    if let Some(origin) = body["access_token"]
        .as_str()
        .and_then(tokens::claims)
        .and_then(|c| {
            c.get("origin_jti")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
    {
        shared
            .store()
            .oauth
            .redeemed
            .insert(fingerprint, (origin, record.expires));
    }
    Ok(body)
}

fn check_user(shared: &Shared, pool_id: &str, username: &str) -> Result<(), OAuthError> {
    let store = shared.store();
    let user = store
        .pool(pool_id)
        .and_then(|p| p.user(username))
        .map_err(|_| oauth_error("invalid_grant", "the user no longer exists"))?;
    if !user.enabled {
        return Err(oauth_error("invalid_grant", "User is disabled."));
    }
    Ok(())
}

/// Cognito's AuthenticationResult as the token endpoint's JSON.
fn token_body(result: &Value) -> Value {
    let mut m = Map::new();
    for (from, to) in [
        ("IdToken", "id_token"),
        ("AccessToken", "access_token"),
        ("RefreshToken", "refresh_token"),
    ] {
        if let Some(t) = result[from].as_str() {
            m.insert(to.into(), json!(t));
        }
    }
    m.insert("expires_in".into(), result["ExpiresIn"].clone());
    m.insert("token_type".into(), json!("Bearer"));
    Value::Object(m)
}

fn refresh(shared: &Shared, req: &DomainRequest, client: &Client) -> Result<Value, OAuthError> {
    let token = req
        .form
        .get("refresh_token")
        .ok_or_else(|| oauth_error("invalid_request", "refresh_token is required"))?;
    let out = hosted::refresh(shared, &client.id, token).map_err(|e| match e.code {
        "InvalidParameterException" => oauth_error("unauthorized_client", e.message),
        _ => oauth_error("invalid_grant", e.message),
    })?;
    Ok(token_body(&out["AuthenticationResult"]))
}

fn client_credentials(
    shared: &Shared,
    req: &DomainRequest,
    client: &Client,
) -> Result<Value, OAuthError> {
    if !client.has_secret || !client.settings.allows_flow("client_credentials") {
        return Err(oauth_error(
            "unauthorized_client",
            "the app client does not allow the client_credentials grant",
        ));
    }
    let granted: Vec<String> = {
        let store = shared.store();
        let exists = |s: &str| store.oauth.custom_scope_exists(&client.pool_id, s);
        match req.form.get("scope") {
            Some(requested) => {
                let mut out: Vec<String> = Vec::new();
                for s in requested.split(' ').filter(|s| !s.is_empty()) {
                    if !client.settings.allows_scope(s) || !exists(s) {
                        return Err(oauth_error(
                            "invalid_scope",
                            format!(
                                "scope {s:?} is not a custom scope allowed for this app client"
                            ),
                        ));
                    }
                    if !out.iter().any(|o| o == s) {
                        out.push(s.to_owned());
                    }
                }
                out
            }
            None => client
                .settings
                .scopes
                .iter()
                .filter(|s| exists(s))
                .cloned()
                .collect(),
        }
    };
    if granted.is_empty() {
        return Err(oauth_error(
            "invalid_scope",
            "no scope: request one of the app client's custom scopes",
        ));
    }
    let now = shared.now();
    let internal = |_| oauth_error("server_error", "the random number generator failed");
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(client.id));
    claims.insert("token_use".into(), json!("access"));
    claims.insert("scope".into(), json!(granted.join(" ")));
    claims.insert("auth_time".into(), json!(now));
    claims.insert("iss".into(), json!(tokens::issuer(&client.pool_id)));
    claims.insert("exp".into(), json!(now + client.access_validity_secs));
    claims.insert("iat".into(), json!(now));
    claims.insert("version".into(), json!(2));
    claims.insert("jti".into(), json!(ids::uuid_v4().map_err(internal)?));
    claims.insert("client_id".into(), json!(client.id));
    let token = shared
        .keys
        .sign(&claims)
        .map_err(|e: ApiError| oauth_error("server_error", e.message))?;
    Ok(json!({
        "access_token": token,
        "expires_in": client.access_validity_secs,
        "token_type": "Bearer",
    }))
}

pub(super) fn revoke(shared: &Shared, req: &DomainRequest) -> Reply {
    let result = (|| {
        if !req.form_encoded {
            return Err(oauth_error(
                "invalid_request",
                "Content-Type must be application/x-www-form-urlencoded",
            ));
        }
        let token = req
            .form
            .get("token")
            .ok_or_else(|| oauth_error("invalid_request", "token is required"))?;
        let client = authenticate(shared, req)?;
        if !client.settings.token_revocation {
            return Err(oauth_error(
                "invalid_request",
                "token revocation is disabled for this app client",
            ));
        }
        hosted::revoke(shared, &client.id, token).map_err(|e| match e.code {
            "UnsupportedTokenTypeException" => oauth_error(
                "unsupported_token_type",
                "only refresh tokens can be revoked",
            ),
            _ => oauth_error("invalid_request", e.message),
        })
    })();
    match result {
        Ok(()) => Reply::empty(StatusCode::OK),
        Err(e) => e.reply(),
    }
}
