//! `GET /oauth2/authorize`: checks the request (client, redirect URI, response type, PKCE,
//! scopes), then shows the login page, or, while the browser's managed-login session lasts,
//! redirects straight back with a code. A bad client or redirect URI is shown on an error page
//! and never redirected to; every later problem goes back to the redirect URI as `error=...`.
//! Also what ends a successful sign-in: the code (or implicit tokens) and the redirect.

use http::{header, StatusCode};

use super::client_settings::OAuthClientSettings;
use super::reply::Reply;
use super::request::{DomainRequest, Params};
use super::state::{
    AuthorizationCode, AuthorizeRequest, BrowserSession, LoginFlow, LoginStage, OAuthGrant,
    ResponseType, SignedIn, BROWSER_SESSION_SECS, CODE_VALIDITY_SECS,
};
use super::{pages, random_id};
use crate::shared::Shared;

/// The managed-login cookie.
pub const SESSION_COOKIE: &str = "cognito";

/// Why an authorize request is refused.
pub(crate) enum Refusal {
    /// Shown on a page: the client or redirect URI cannot be trusted with a redirect.
    Page(String),
    /// Sent back to the (registered) redirect URI.
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
}

impl Refusal {
    pub fn reply(self) -> Reply {
        match self {
            Refusal::Page(message) => {
                Reply::html(StatusCode::BAD_REQUEST, pages::error_page(&message))
            }
            Refusal::Redirect {
                redirect_uri,
                error,
                description,
                state,
            } => {
                let mut params = vec![("error", error.to_owned())];
                params.push(("error_description", description));
                if let Some(s) = state {
                    params.push(("state", s));
                }
                Reply::redirect(with_query(&redirect_uri, &params))
            }
        }
    }
}

/// `uri` with `params` added to its query.
pub(crate) fn with_query(uri: &str, params: &[(&str, String)]) -> String {
    let encoded = encode(params);
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{encoded}")
}

fn encode(params: &[(&str, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

/// RFC 7636: 43 to 128 characters of `[A-Za-z0-9-._~]`.
pub(crate) fn pkce_value_ok(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Checks an authorize request (the query of `/oauth2/authorize` or `/login`) against the
/// domain's pool and the app client's OAuth settings.
pub(crate) fn validate(
    shared: &Shared,
    domain: &str,
    q: &Params,
) -> Result<AuthorizeRequest, Refusal> {
    let store = shared.store();
    let pool_id = store
        .oauth
        .domains
        .get(domain)
        .map(|d| d.pool_id.clone())
        .ok_or_else(|| Refusal::Page(format!("Unknown domain {domain:?}.")))?;
    if let Some(name) = q.repeated(&[
        "client_id",
        "redirect_uri",
        "response_type",
        "state",
        "scope",
    ]) {
        return Err(Refusal::Page(format!(
            "The parameter {name} appears more than once."
        )));
    }
    let client_id = q
        .get("client_id")
        .ok_or_else(|| Refusal::Page("client_id is required.".into()))?;
    let client = store
        .pool(&pool_id)
        .ok()
        .and_then(|p| p.clients.get(client_id))
        .ok_or_else(|| {
            Refusal::Page("Invalid client_id: no such app client in this user pool.".into())
        })?;
    let settings = OAuthClientSettings::of(&client.config);
    let redirect_uri = q
        .get("redirect_uri")
        .ok_or_else(|| Refusal::Page("redirect_uri is required.".into()))?;
    if !settings.callback_urls.iter().any(|c| c == redirect_uri) {
        return Err(Refusal::Page(format!(
            "redirect_mismatch: {redirect_uri:?} is not one of the app client's callback URLs."
        )));
    }
    let state = q.get("state").map(str::to_owned);
    let refuse = |error: &'static str, description: String| Refusal::Redirect {
        redirect_uri: redirect_uri.to_owned(),
        error,
        description,
        state: state.clone(),
    };
    let response_type = match q.get("response_type") {
        None => {
            return Err(refuse(
                "invalid_request",
                "response_type is required".into(),
            ))
        }
        Some("code") => ResponseType::Code,
        Some("token") => ResponseType::Token,
        Some(other) => {
            return Err(refuse(
                "unsupported_response_type",
                format!("response_type {other:?} is not supported; use code or token"),
            ))
        }
    };
    let flow = match response_type {
        ResponseType::Code => "code",
        ResponseType::Token => "implicit",
    };
    if !settings.allows_flow(flow) {
        return Err(refuse(
            "unauthorized_client",
            format!("the app client does not allow the {flow} grant"),
        ));
    }
    if !settings.identity_providers.iter().any(|p| p == "COGNITO") {
        return Err(refuse(
            "unauthorized_client",
            "the app client does not support sign-in with the user pool (COGNITO)".into(),
        ));
    }
    match q.get("identity_provider") {
        None | Some("COGNITO") => {}
        Some(other) => {
            return Err(refuse(
                "invalid_request",
                format!("identity provider {other:?} is not configured for this app client"),
            ))
        }
    }
    let code_challenge = match (q.get("code_challenge"), q.get("code_challenge_method")) {
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge and code_challenge_method go together".into(),
            ))
        }
        (Some(_), Some(m)) if m != "S256" => {
            return Err(refuse(
                "invalid_request",
                format!("code_challenge_method {m:?} is not supported; use S256"),
            ))
        }
        (Some(c), Some(_)) if !pkce_value_ok(c) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge must be 43 to 128 characters of base64url".into(),
            ))
        }
        (Some(c), Some(_)) => Some(c.to_owned()),
    };
    let requested: Vec<String> = match q.get("scope") {
        Some(s) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        None => settings.scopes.clone(),
    };
    for s in &requested {
        if !settings.allows_scope(s) {
            return Err(refuse(
                "invalid_scope",
                format!("scope {s:?} is not allowed for this app client"),
            ));
        }
    }
    let openid = requested.iter().any(|s| s == "openid");
    if let Some(s) = requested
        .iter()
        .find(|s| matches!(s.as_str(), "email" | "phone" | "profile"))
    {
        if !openid {
            return Err(refuse(
                "invalid_scope",
                format!("scope {s:?} can only be requested together with openid"),
            ));
        }
    }
    // A custom scope whose resource server (or scope) was deleted is dropped, as Cognito does.
    let mut scopes = Vec::new();
    for s in requested {
        let keep = super::client_settings::STANDARD_SCOPES.contains(&s.as_str())
            || store.oauth.custom_scope_exists(&pool_id, &s);
        if keep && !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    Ok(AuthorizeRequest {
        domain: domain.to_owned(),
        pool_id,
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        response_type,
        state,
        scopes,
        nonce: q.get("nonce").map(str::to_owned),
        code_challenge,
    })
}

pub(super) fn get(shared: &Shared, req: &DomainRequest) -> Reply {
    let request = match validate(shared, &req.route.domain, &req.query) {
        Ok(r) => r,
        Err(refusal) => return refusal.reply(),
    };
    // `prompt=login` asks for the login page even with a session; `prompt=none` never shows it.
    let prompt = req.query.get("prompt").unwrap_or_default();
    let session = match prompt {
        "login" => None,
        _ => browser_session(shared, req, &request),
    };
    if let Some(signed_in) = session {
        return complete(shared, req, &request, signed_in);
    }
    if prompt == "none" {
        return Refusal::Redirect {
            redirect_uri: request.redirect_uri.clone(),
            error: "login_required",
            description: "prompt=none and no managed-login session".into(),
            state: request.state.clone(),
        }
        .reply();
    }
    match start_flow(shared, request) {
        Ok(id) => Reply::redirect(with_query(&req.link("/login"), &[("flow", id)])),
        Err(reply) => reply,
    }
}

/// Registers a login flow for a validated request; returns its id.
pub(crate) fn start_flow(shared: &Shared, request: AuthorizeRequest) -> Result<String, Reply> {
    let id = random_id().ok_or_else(server_error)?;
    let now = shared.now();
    let mut store = shared.store();
    if store.oauth.logins.len() % 256 == 255 {
        store.oauth.sweep(now);
    }
    store.oauth.logins.insert(
        id.clone(),
        LoginFlow {
            request,
            stage: LoginStage::Password,
            username: None,
            session: None,
            created: now,
        },
    );
    Ok(id)
}

pub(crate) fn server_error() -> Reply {
    Reply::html(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::error_page("Something went wrong on the server. Try again."),
    )
}

/// The signed-in user of the browser's managed-login cookie, if it is still good for this pool.
fn browser_session(
    shared: &Shared,
    req: &DomainRequest,
    request: &AuthorizeRequest,
) -> Option<SignedIn> {
    let id = req.cookie(SESSION_COOKIE)?;
    let now = shared.now();
    let store = shared.store();
    let session = store.oauth.browser_sessions.get(id)?;
    if session.expires <= now || session.domain != request.domain {
        return None;
    }
    let user = store
        .pool(&session.pool_id)
        .ok()?
        .user(&session.username)
        .ok()?;
    if !user.enabled {
        return None;
    }
    Some(SignedIn {
        pool_id: session.pool_id.clone(),
        client_id: request.client_id.clone(),
        username: session.username.clone(),
        auth_time: session.auth_time,
    })
}

/// A finished sign-in: the authorization code (or, for the implicit grant, the tokens) goes
/// back to the redirect URI, and the browser keeps a managed-login session.
pub(crate) fn complete(
    shared: &Shared,
    req: &DomainRequest,
    request: &AuthorizeRequest,
    signed_in: SignedIn,
) -> Reply {
    let grant = OAuthGrant {
        scopes: request.scopes.clone(),
        nonce: request.nonce.clone(),
    };
    let (Some(cookie), Some(code)) = (random_id(), random_id()) else {
        return server_error();
    };
    let now = shared.now();
    let location = match request.response_type {
        ResponseType::Code => {
            shared.store().oauth.codes.insert(
                code.clone(),
                AuthorizationCode {
                    signed_in: signed_in.clone(),
                    redirect_uri: request.redirect_uri.clone(),
                    grant,
                    code_challenge: request.code_challenge.clone(),
                    expires: now + CODE_VALIDITY_SECS,
                },
            );
            let mut params = vec![("code", code)];
            if let Some(s) = &request.state {
                params.push(("state", s.clone()));
            }
            with_query(&request.redirect_uri, &params)
        }
        ResponseType::Token => match implicit_fragment(shared, request, &signed_in, grant) {
            Ok(fragment) => format!("{}#{fragment}", request.redirect_uri),
            Err(e) => {
                return Refusal::Redirect {
                    redirect_uri: request.redirect_uri.clone(),
                    error: "server_error",
                    description: e.message,
                    state: request.state.clone(),
                }
                .reply()
            }
        },
    };
    shared.store().oauth.browser_sessions.insert(
        cookie.clone(),
        BrowserSession {
            domain: request.domain.clone(),
            pool_id: signed_in.pool_id.clone(),
            username: signed_in.username.clone(),
            auth_time: signed_in.auth_time,
            expires: now + BROWSER_SESSION_SECS,
        },
    );
    Reply::redirect(location).with_header(
        header::SET_COOKIE,
        format!(
            "{SESSION_COOKIE}={cookie}; Path={}; Max-Age={BROWSER_SESSION_SECS}; HttpOnly; SameSite=Lax",
            req.cookie_path()
        ),
    )
}

/// The implicit grant's tokens, as the redirect's fragment; it never gets a refresh token.
fn implicit_fragment(
    shared: &Shared,
    request: &AuthorizeRequest,
    signed_in: &SignedIn,
    grant: OAuthGrant,
) -> Result<String, crate::error::ApiError> {
    let out = crate::ops::hosted::issue_tokens(shared, signed_in, grant)?;
    let result = &out["AuthenticationResult"];
    if let Some(refresh) = result["RefreshToken"].as_str() {
        let mut store = shared.store();
        if let Some(record) = store
            .refresh_tokens
            .remove(&crate::tokens::fingerprint(refresh))
        {
            store.oauth.grants.remove(&record.origin_jti);
        }
    }
    let mut params = Vec::new();
    if let Some(t) = result["IdToken"].as_str() {
        params.push(("id_token", t.to_owned()));
    }
    if let Some(t) = result["AccessToken"].as_str() {
        params.push(("access_token", t.to_owned()));
    }
    params.push(("token_type", "Bearer".to_owned()));
    params.push(("expires_in", result["ExpiresIn"].to_string()));
    if let Some(s) = &request.state {
        params.push(("state", s.clone()));
    }
    Ok(encode(&params))
}
