//! A request to a domain endpoint, read in full: which domain and endpoint it is for, its query
//! and form parameters, cookies and Authorization (read from HTTP by `http.rs`).

use http::Method;

/// Path prefix of the domains served under a path.
pub const DOMAIN_PATH_PREFIX: &str = "/domain/";

/// Which domain a request is for, and the path within it.
pub(crate) struct Route {
    pub domain: String,
    /// `/domain/{domain}` for path routing, empty for Host routing: links and cookies use it.
    pub base_path: String,
    /// The endpoint path within the domain (`/oauth2/token`).
    pub endpoint: String,
}

/// URL parameters or form fields. Duplicates are kept so they can be refused.
#[derive(Clone, Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(text: &[u8]) -> Self {
        Params(form_urlencoded::parse(text).into_owned().collect())
    }

    /// The first value of a parameter; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that appears more than once (OAuth allows each parameter once).
    pub fn repeated<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names
            .iter()
            .copied()
            .find(|n| self.0.iter().filter(|(k, _)| k == n).count() > 1)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// A request to a domain endpoint, read in full.
pub(crate) struct DomainRequest {
    pub method: Method,
    pub route: Route,
    pub query: Params,
    pub form: Params,
    /// Whether the body was `application/x-www-form-urlencoded`.
    pub form_encoded: bool,
    pub authorization: Option<String>,
    pub cookies: Vec<(String, String)>,
}

impl DomainRequest {
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path the managed-login cookie is scoped to.
    pub fn cookie_path(&self) -> &str {
        if self.route.base_path.is_empty() {
            "/"
        } else {
            &self.route.base_path
        }
    }

    /// A path within the domain, as the browser should request it.
    pub fn link(&self, endpoint: &str) -> String {
        format!("{}{endpoint}", self.route.base_path)
    }
}
