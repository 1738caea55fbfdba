//! `--verify`: the tokens just obtained, verified with cognito-verify as a backend would, and
//! each check that was made (or why verification failed).

use std::time::{Duration, SystemTime};

use cognito_idp::auth::Tokens;
use cognito_verify::{Claims, TokenUse, Verifier};

use crate::fail::Fail;
use crate::output::format_time;

/// Where the keys come from: the given URL, the endpoint's (an emulator serves the JWKS at
/// `/{poolId}/.well-known/jwks.json`), or Cognito's own.
pub fn jwks_url(pool_id: &str, endpoint: Option<&str>, explicit: Option<&str>) -> Option<String> {
    explicit.map(str::to_owned).or_else(|| {
        endpoint.map(|e| {
            format!(
                "{}/{pool_id}/.well-known/jwks.json",
                e.trim_end_matches('/')
            )
        })
    })
}

/// Verifies the access token and the ID token (if any); the report, or a failure naming the
/// token and the reason.
pub async fn report(
    tokens: &Tokens,
    pool_id: &str,
    client_id: &str,
    jwks_url: Option<String>,
) -> Result<String, Fail> {
    let mut builder = Verifier::builder(pool_id)
        .token_use(TokenUse::Access)
        .client_id(client_id);
    if let Some(url) = &jwks_url {
        builder = builder.jwks_url(url.clone()).allow_http();
    }
    let access = builder
        .build()
        .map_err(|e| Fail(format!("cannot verify: {e}")))?;
    let mut out = format!(
        "Verifying with cognito-verify (keys from {}):\n",
        access.jwks_url().unwrap_or("?")
    );
    let mut checked = vec![("access token", &access, tokens.access_token().expose())];
    let id = access.for_token_use(TokenUse::Id);
    if let Some(t) = tokens.id_token() {
        checked.push(("id token", &id, t.expose()));
    }
    for (name, verifier, token) in checked {
        match verifier.verify(token).await {
            Ok(claims) => {
                out.push_str(&format!("  {name}: verified\n"));
                push_checks(&mut out, verifier, &claims, token);
            }
            Err(e) => {
                out.push_str(&format!("  {name}: NOT verified: {e}\n"));
                return Err(Fail(format!("{out}the {name} did not verify")));
            }
        }
    }
    Ok(out)
}

fn push_checks(out: &mut String, verifier: &Verifier, claims: &Claims, token: &str) {
    let kid = cognito_verify::decode_unverified(token)
        .ok()
        .and_then(|t| t.header().kid.clone())
        .unwrap_or_default();
    let now = SystemTime::now();
    let mut line = |check: &str, text: String| out.push_str(&format!("    {check:<10} {text}\n"));
    line(
        "signature",
        format!("RS256, key {kid:?} of the pool's JWKS"),
    );
    line(
        "iss",
        format!("{} (this pool's issuer)", claims.issuer().unwrap_or("?")),
    );
    if let Some(exp) = claims.expires_at() {
        let left = exp.duration_since(now).unwrap_or(Duration::ZERO);
        line(
            "exp",
            format!("{} (in {} min)", format_time(exp), left.as_secs() / 60),
        );
    }
    if let Some(iat) = claims.issued_at() {
        line("iat", format!("{} (not in the future)", format_time(iat)));
    }
    let token_use = verifier.token_use().as_str();
    line("token_use", token_use.to_owned());
    let client_claim = if token_use == "id" {
        "aud"
    } else {
        "client_id"
    };
    line(
        client_claim,
        format!("{} (this app client)", claims.client_id().unwrap_or("?")),
    );
}
