//! The pool's OpenID discovery document (`/{poolId}/.well-known/openid-configuration`): Cognito's
//! issuer, the JWKS on this emulator, and, once the pool has a domain, its endpoints as this
//! emulator serves them (under `/domain/{domain}`).

use serde_json::{json, Value};

use super::request::DOMAIN_PATH_PREFIX;
use crate::store::Store;
use crate::tokens;

pub(crate) fn document(store: &Store, pool_id: &str, host: &str) -> Value {
    let mut doc = json!({
        "issuer": tokens::issuer(pool_id),
        "jwks_uri": format!("http://{host}/{pool_id}/.well-known/jwks.json"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials", "implicit"],
    });
    if let Some(d) = store.oauth.pool_domain(pool_id) {
        let base = format!("http://{host}{DOMAIN_PATH_PREFIX}{}", d.domain);
        doc["authorization_endpoint"] = json!(format!("{base}/oauth2/authorize"));
        doc["token_endpoint"] = json!(format!("{base}/oauth2/token"));
        doc["userinfo_endpoint"] = json!(format!("{base}/oauth2/userInfo"));
        doc["end_session_endpoint"] = json!(format!("{base}/logout"));
        doc["revocation_endpoint"] = json!(format!("{base}/oauth2/revoke"));
    }
    doc
}
