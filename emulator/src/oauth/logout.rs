//! `GET /logout`: ends the browser's managed-login session, then redirects to a registered
//! sign-out URL (`logout_uri`) or, with authorize parameters, back to the login page.

use http::{header, StatusCode};

use super::authorize::{with_query, SESSION_COOKIE};
use super::client_settings::OAuthClientSettings;
use super::pages;
use super::reply::Reply;
use super::request::DomainRequest;
use crate::shared::Shared;

pub(super) fn get(shared: &Shared, req: &DomainRequest) -> Reply {
    let page = |m: &str| Reply::html(StatusCode::BAD_REQUEST, pages::error_page(m));
    let q = &req.query;
    let Some(client_id) = q.get("client_id") else {
        return page("client_id is required.");
    };
    let settings = {
        let store = shared.store();
        let pool = store
            .oauth
            .domains
            .get(&req.route.domain)
            .and_then(|d| store.pool(&d.pool_id).ok());
        match pool.and_then(|p| p.clients.get(client_id)) {
            Some(c) => OAuthClientSettings::of(&c.config),
            None => return page("Invalid client_id: no such app client in this user pool."),
        }
    };
    let location = match (q.get("logout_uri"), q.get("redirect_uri")) {
        (Some(uri), _) if settings.logout_urls.iter().any(|u| u == uri) => uri.to_owned(),
        (Some(uri), _) => {
            return page(&format!(
                "redirect_mismatch: {uri:?} is not one of the app client's sign-out URLs."
            ))
        }
        (None, Some(_)) => {
            let params: Vec<(&str, String)> = q
                .pairs()
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            with_query(&req.link("/oauth2/authorize"), &params)
        }
        (None, None) => {
            return page("logout_uri (or redirect_uri with response_type) is required.")
        }
    };
    if let Some(id) = req.cookie(SESSION_COOKIE) {
        shared.store().oauth.browser_sessions.remove(id);
    }
    Reply::redirect(location).with_header(
        header::SET_COOKIE,
        format!(
            "{SESSION_COOKIE}=; Path={}; Max-Age=0; HttpOnly; SameSite=Lax",
            req.cookie_path()
        ),
    )
}
