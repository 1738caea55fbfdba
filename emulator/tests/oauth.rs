//! The OAuth side over HTTP, without a browser (tests/hosted_ui in cognito-examples drives the
//! same pages in chromium): domains and resource servers, the authorize checks, the login
//! pages (wrong password, new password, MFA setup, TOTP, SMS), the token endpoint (code +
//! PKCE, refresh, client_credentials), userInfo, revoke, logout, discovery, Host routing,
//! and the claims Cognito puts in hosted-UI tokens (verified against the JWKS with cognito-verify).

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::Emulator;
use cognito_idp::auth::Secret;
use cognito_idp::oauth::{
    AuthorizationRequest, ClientCredentials, OAuthClient, OAuthError, OAuthErrorKind,
    PendingAuthorization,
};
use reqwest::{redirect::Policy, StatusCode};
use serde_json::{json, Value};
use test_support::emulator::in_process::call;

const CALLBACK: &str = "http://localhost:8765/callback";
const PASSWORD: &str = "Passw0rd!";

fn call_err(emu: &Emulator, op: &str, body: Value) -> (String, String) {
    let (status, out) = emu.handle_json(
        &format!("AWSCognitoIdentityProviderService.{op}"),
        body.to_string().as_bytes(),
    );
    let out: Value = serde_json::from_slice(&out).unwrap();
    assert_ne!(status, 200, "{op} should fail: {out}");
    (
        out["__type"].as_str().unwrap().to_owned(),
        out["message"].as_str().unwrap_or_default().to_owned(),
    )
}

struct Pool {
    emu: Emulator,
    pool_id: String,
    /// public client: code + implicit
    web: String,
    /// confidential client: client_credentials
    m2m: String,
    m2m_secret: String,
    domain_url: String,
}

async fn pool(mfa: &str) -> Pool {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let pool_id = call(
        &emu,
        "CreateUserPool",
        json!({"PoolName": "oauth", "MfaConfiguration": mfa}),
    )["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &emu,
        "CreateUserPoolDomain",
        json!({"Domain": "test-app", "UserPoolId": pool_id}),
    );
    call(
        &emu,
        "CreateResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "orders", "Name": "Orders API",
               "Scopes": [{"ScopeName": "read", "ScopeDescription": "read orders"},
                          {"ScopeName": "write", "ScopeDescription": "write orders"}]}),
    );
    let web = call(
        &emu,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web",
               "AllowedOAuthFlows": ["code", "implicit"], "AllowedOAuthFlowsUserPoolClient": true,
               "AllowedOAuthScopes": ["openid", "email", "profile", "orders/read"],
               "CallbackURLs": [CALLBACK, "https://app.example.com/cb"],
               "LogoutURLs": ["https://app.example.com/bye"],
               "SupportedIdentityProviders": ["COGNITO"]}),
    )["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let m2m = call(
        &emu,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "m2m", "GenerateSecret": true,
               "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthFlowsUserPoolClient": true,
               "AllowedOAuthScopes": ["orders/read"]}),
    );
    let domain_url = emu.domain_url("test-app");
    Pool {
        m2m: m2m["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned(),
        m2m_secret: m2m["UserPoolClient"]["ClientSecret"]
            .as_str()
            .unwrap()
            .to_owned(),
        emu,
        pool_id,
        web,
        domain_url,
    }
}

impl Pool {
    fn user(&self, name: &str, attributes: Value, permanent: bool) {
        call(
            &self.emu,
            "AdminCreateUser",
            json!({"UserPoolId": self.pool_id, "Username": name, "UserAttributes": attributes,
                   "MessageAction": "SUPPRESS", "TemporaryPassword": PASSWORD}),
        );
        if permanent {
            call(
                &self.emu,
                "AdminSetUserPassword",
                json!({"UserPoolId": self.pool_id, "Username": name, "Password": PASSWORD, "Permanent": true}),
            );
        }
    }

    fn web_client(&self) -> OAuthClient {
        OAuthClient::new(&self.domain_url, &self.web).unwrap()
    }

    fn m2m_client(&self, secret: &str) -> OAuthClient {
        OAuthClient::new(&self.domain_url, &self.m2m)
            .unwrap()
            .with_client_secret(secret)
    }

    fn origin(&self) -> String {
        self.emu.endpoint_url()
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A browser-like session: follows nothing by itself, keeps the managed-login cookie.
struct Browser {
    http: reqwest::Client,
    origin: String,
    cookie: Option<String>,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Page {
    fn flow(&self) -> String {
        field(&self.body, "flow")
    }
}

/// The value of a hidden input.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

impl Browser {
    fn new(origin: &str) -> Self {
        Browser {
            http: http(),
            origin: origin.to_owned(),
            cookie: None,
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.origin)
        } else {
            url.to_owned()
        }
    }

    async fn read(&mut self, r: reqwest::Response) -> Page {
        for c in r.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let pair = c.split(';').next().unwrap();
            self.cookie = match pair.split_once('=') {
                Some((_, "")) => None,
                _ => Some(pair.to_owned()),
            };
        }
        Page {
            status: r.status(),
            location: r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned()),
            body: r.text().await.unwrap(),
        }
    }

    async fn get(&mut self, url: &str) -> Page {
        let mut req = self.http.get(self.absolute(url));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        self.read(r).await
    }

    async fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Page {
        let mut req = self.http.post(self.absolute(url)).form(form);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        self.read(r).await
    }

    /// Opens the authorize URL and follows to the login page.
    async fn open(&mut self, url: &str) -> Page {
        let first = self.get(url).await;
        match (&first.status, &first.location) {
            (&StatusCode::FOUND, Some(l)) if l.contains("/login?") => self.get(&l.clone()).await,
            _ => first,
        }
    }
}

async fn sign_in(pool: &Pool, pending: &PendingAuthorization, user: &str) -> (Browser, String) {
    let mut b = Browser::new(&pool.origin());
    let page = b.open(pending.url()).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let done = b
        .post(
            "/domain/test-app/login",
            &[
                ("flow", &page.flow()),
                ("username", user),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    let location = done.location.unwrap();
    (b, location)
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Verifies `jwt` as a backend would (cognito-verify): RS256 against the pool's JWKS fetched
/// over HTTP, the AWS-shaped issuer, `exp`/`iat` at the emulator's time (tests move its clock),
/// and `client` as its app client.
async fn verify_token(pool: &Pool, client: &str, jwt: &str) {
    let verifier = cognito_verify::Verifier::builder(&pool.pool_id)
        .token_use(cognito_verify::TokenUse::Either)
        .client_id(client)
        .jwks_url(format!(
            "{}/{}/.well-known/jwks.json",
            pool.origin(),
            pool.pool_id
        ))
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let now = std::time::UNIX_EPOCH + Duration::from_secs(pool.emu.clock().now() as u64);
    if let Err(e) = verifier.verify_sync_at(jwt, now) {
        panic!("the token does not verify: {e}");
    }
}

fn query(url: &str) -> HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

fn kind(e: &OAuthError) -> OAuthErrorKind {
    e.kind()
        .cloned()
        .unwrap_or_else(|| panic!("no OAuth kind: {e}"))
}

#[tokio::test]
async fn domains_resource_servers_and_client_settings() {
    let p = pool("OFF").await;
    let emu = &p.emu;
    let d = call(emu, "DescribeUserPoolDomain", json!({"Domain": "test-app"}));
    assert_eq!(d["DomainDescription"]["UserPoolId"], p.pool_id.as_str());
    assert_eq!(d["DomainDescription"]["Status"], "ACTIVE");
    assert_eq!(
        call(emu, "DescribeUserPoolDomain", json!({"Domain": "nobody"})),
        json!({"DomainDescription": {}})
    );
    let pool_desc = call(emu, "DescribeUserPool", json!({"UserPoolId": p.pool_id}));
    assert_eq!(pool_desc["UserPool"]["Domain"], "test-app");
    let other = call(emu, "CreateUserPool", json!({"PoolName": "other"}))["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let taken = call_err(
        emu,
        "CreateUserPoolDomain",
        json!({"Domain": "test-app", "UserPoolId": other}),
    );
    assert_eq!(taken.0, "InvalidParameterException");
    assert!(taken.1.contains("already associated"), "{taken:?}");
    for bad in ["Upper", "-dash", "my.dot", "myawsapp"] {
        let e = call_err(
            emu,
            "CreateUserPoolDomain",
            json!({"Domain": bad, "UserPoolId": other}),
        );
        assert_eq!(e.0, "InvalidParameterException", "{bad}");
    }
    let second = call_err(
        emu,
        "CreateUserPoolDomain",
        json!({"Domain": "second", "UserPoolId": p.pool_id}),
    );
    assert!(
        second.1.contains("already has a prefix domain"),
        "{second:?}"
    );
    let custom = call(
        emu,
        "CreateUserPoolDomain",
        json!({"Domain": "auth.example.com", "UserPoolId": other,
               "CustomDomainConfig": {"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"}}),
    );
    assert!(custom["CloudFrontDomain"]
        .as_str()
        .unwrap()
        .ends_with(".cloudfront.net"));
    let wrong_pool = call_err(
        emu,
        "DeleteUserPoolDomain",
        json!({"Domain": "auth.example.com", "UserPoolId": p.pool_id}),
    );
    assert_eq!(wrong_pool.0, "InvalidParameterException");
    call(
        emu,
        "DeleteUserPoolDomain",
        json!({"Domain": "auth.example.com", "UserPoolId": other}),
    );

    // resource servers
    let rs = call(
        emu,
        "DescribeResourceServer",
        json!({"UserPoolId": p.pool_id, "Identifier": "orders"}),
    );
    assert_eq!(rs["ResourceServer"]["Scopes"][1]["ScopeName"], "write");
    let dup = call_err(
        emu,
        "CreateResourceServer",
        json!({"UserPoolId": p.pool_id, "Identifier": "orders", "Name": "x"}),
    );
    assert_eq!(dup.0, "InvalidParameterException");
    let slash = call_err(
        emu,
        "CreateResourceServer",
        json!({"UserPoolId": p.pool_id, "Identifier": "inv", "Name": "x",
               "Scopes": [{"ScopeName": "a/b", "ScopeDescription": "d"}]}),
    );
    assert!(slash.1.contains("scopeName"), "{slash:?}");
    for i in 0..3 {
        call(
            emu,
            "CreateResourceServer",
            json!({"UserPoolId": p.pool_id, "Identifier": format!("api{i}"), "Name": "n"}),
        );
    }
    let page1 = call(
        emu,
        "ListResourceServers",
        json!({"UserPoolId": p.pool_id, "MaxResults": 3}),
    );
    assert_eq!(page1["ResourceServers"].as_array().unwrap().len(), 3);
    let next = page1["NextToken"].as_str().unwrap();
    let page2 = call(
        emu,
        "ListResourceServers",
        json!({"UserPoolId": p.pool_id, "MaxResults": 3, "NextToken": next}),
    );
    assert_eq!(page2["ResourceServers"].as_array().unwrap().len(), 1);
    assert!(page2.get("NextToken").is_none());
    let updated = call(
        emu,
        "UpdateResourceServer",
        json!({"UserPoolId": p.pool_id, "Identifier": "api0", "Name": "renamed",
               "Scopes": [{"ScopeName": "x", "ScopeDescription": "y"}]}),
    );
    assert_eq!(updated["ResourceServer"]["Name"], "renamed");
    call(
        emu,
        "DeleteResourceServer",
        json!({"UserPoolId": p.pool_id, "Identifier": "api0"}),
    );
    let gone = call_err(
        emu,
        "DescribeResourceServer",
        json!({"UserPoolId": p.pool_id, "Identifier": "api0"}),
    );
    assert_eq!(gone.0, "ResourceNotFoundException");

    // app client OAuth settings
    let client = |extra: Value| {
        let mut body = json!({"UserPoolId": p.pool_id, "ClientName": "c"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let e = call_err(
        emu,
        "CreateUserPoolClient",
        client(
            json!({"AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["orders/read"]}),
        ),
    );
    assert_eq!(e.0, "InvalidOAuthFlowException", "{e:?}");
    let e = call_err(
        emu,
        "CreateUserPoolClient",
        client(
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials", "code"], "AllowedOAuthScopes": ["orders/read"]}),
        ),
    );
    assert_eq!(e.0, "InvalidOAuthFlowException", "{e:?}");
    let e = call_err(
        emu,
        "CreateUserPoolClient",
        client(
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["openid"]}),
        ),
    );
    assert_eq!(e.0, "InvalidOAuthFlowException", "{e:?}");
    let e = call_err(
        emu,
        "CreateUserPoolClient",
        client(
            json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["orders/nope"], "CallbackURLs": [CALLBACK]}),
        ),
    );
    assert_eq!(e.0, "ScopeDoesNotExistException", "{e:?}");
    let e = call_err(
        emu,
        "CreateUserPoolClient",
        client(
            json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"], "CallbackURLs": ["http://app.example.com/cb"]}),
        ),
    );
    assert_eq!(e.0, "InvalidParameterException", "{e:?}");
    let e = call_err(
        emu,
        "CreateUserPoolClient",
        client(json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"]})),
    );
    assert!(e.1.contains("CallbackURLs"), "{e:?}");
    let described = call(
        emu,
        "DescribeUserPoolClient",
        json!({"UserPoolId": p.pool_id, "ClientId": p.web}),
    );
    assert_eq!(
        described["UserPoolClient"]["AllowedOAuthFlows"],
        json!(["code", "implicit"])
    );
    assert_eq!(described["UserPoolClient"]["CallbackURLs"][0], CALLBACK);

    // deleting the pool drops its domain
    call(emu, "DeleteUserPool", json!({"UserPoolId": p.pool_id}));
    assert_eq!(
        call(emu, "DescribeUserPoolDomain", json!({"Domain": "test-app"})),
        json!({"DomainDescription": {}})
    );
}

#[tokio::test]
async fn code_grant_with_pkce_end_to_end() {
    let p = pool("OFF").await;
    p.user("alice", json!([{"Name": "email", "Value": "alice@example.com"}, {"Name": "email_verified", "Value": "true"}, {"Name": "name", "Value": "Alice"}]), true);
    let client = p.web_client();
    let pending = client
        .authorize(
            &AuthorizationRequest::new(CALLBACK)
                .scope("openid")
                .scope("email")
                .scope("orders/read"),
        )
        .unwrap();
    let (_, location) = sign_in(&p, &pending, "alice").await;
    assert!(location.starts_with(CALLBACK), "{location}");
    assert_eq!(query(&location)["state"], pending.state().expose());
    let code = pending.accept_redirect(&location).unwrap();
    let tokens = client.exchange_code(&pending, &code).await.unwrap();

    let access = claims(tokens.access_token().expose());
    assert_eq!(access["scope"], "openid email orders/read");
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["version"], 2);
    assert_eq!(access["client_id"], p.web.as_str());
    assert_eq!(access["username"], "alice");
    assert!(access["auth_time"].as_i64().unwrap() > 0);
    let id_token = tokens.id_token().expect("openid gives an ID token");
    let id = claims(id_token.expose());
    assert_eq!(id["nonce"], pending.nonce().unwrap().expose());
    assert_eq!(id["aud"], p.web.as_str());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["auth_time"], access["auth_time"]);
    assert!(
        id.get("identities").is_none(),
        "native users have no identities: {id}"
    );
    let expected_at_hash = URL_SAFE_NO_PAD.encode(
        &<sha2::Sha256 as sha2::Digest>::digest(tokens.access_token().expose().as_bytes())[..16],
    );
    assert_eq!(id["at_hash"], expected_at_hash.as_str());
    verify_token(&p, &p.web, tokens.access_token().expose()).await;
    verify_token(&p, &p.web, id_token.expose()).await;

    // userInfo: openid + email -> sub, email, email_verified, username; not name
    let info = client.user_info(tokens.access_token()).await.unwrap();
    assert_eq!(info["email"], "alice@example.com");
    assert_eq!(info["username"], "alice");
    assert!(info.get("name").is_none(), "{info:?}");

    // refresh keeps the grant's scopes, drops the nonce
    let refresh = tokens.refresh_token().expect("a refresh token").clone();
    let fresh = client.refresh(&refresh).await.unwrap();
    assert_eq!(
        claims(fresh.access_token().expose())["scope"],
        "openid email orders/read"
    );
    let fresh_id = claims(fresh.id_token().unwrap().expose());
    assert!(fresh_id.get("nonce").is_none());
    assert_eq!(fresh.refresh_token().unwrap().expose(), refresh.expose());

    // the code was used: a second exchange fails and revokes what the first one issued
    let again = client.exchange_code(&pending, &code).await.unwrap_err();
    assert_eq!(kind(&again), OAuthErrorKind::InvalidGrant, "{again}");
    let revoked = client.refresh(&refresh).await.unwrap_err();
    assert_eq!(kind(&revoked), OAuthErrorKind::InvalidGrant);
    let info = client.user_info(tokens.access_token()).await.unwrap_err();
    assert_eq!(kind(&info), OAuthErrorKind::InvalidToken, "{info}");

    // revocation endpoint
    let pending = client
        .authorize(&AuthorizationRequest::new(CALLBACK).scope("openid"))
        .unwrap();
    let (_, location) = sign_in(&p, &pending, "alice").await;
    let tokens = client
        .exchange_code(&pending, &pending.accept_redirect(&location).unwrap())
        .await
        .unwrap();
    client
        .revoke(tokens.refresh_token().unwrap())
        .await
        .unwrap();
    let e = client
        .refresh(tokens.refresh_token().unwrap())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidGrant);
    let e = client.revoke(tokens.access_token()).await.unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::UnsupportedTokenType);
    // without openid: no ID token, and userInfo refuses the access token
    let pending = client
        .authorize(&AuthorizationRequest::new(CALLBACK).scope("orders/read"))
        .unwrap();
    let (_, location) = sign_in(&p, &pending, "alice").await;
    let tokens = client
        .exchange_code(&pending, &pending.accept_redirect(&location).unwrap())
        .await
        .unwrap();
    assert!(tokens.id_token().is_none());
    assert_eq!(
        claims(tokens.access_token().expose())["scope"],
        "orders/read"
    );
    let e = client.user_info(tokens.access_token()).await.unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidToken, "{e}");
}

#[tokio::test]
async fn token_endpoint_refusals() {
    let p = pool("OFF").await;
    p.user("bob", json!([]), true);
    let client = p.web_client();
    let authorize = || {
        client
            .authorize(&AuthorizationRequest::new(CALLBACK).scope("openid"))
            .unwrap()
    };

    // wrong code_verifier: refused, and the code is gone after that one try
    let pending = authorize();
    let (_, location) = sign_in(&p, &pending, "bob").await;
    let code = pending.accept_redirect(&location).unwrap();
    let other = authorize();
    let e = client.exchange_code(&other, &code).await.unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidGrant, "{e}");
    assert!(e.description().unwrap().contains("code_verifier"), "{e}");
    let e = client.exchange_code(&pending, &code).await.unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidGrant);

    // raw requests for the remaining rules
    let token_url = format!("{}/oauth2/token", p.domain_url);
    let post = |form: Vec<(&'static str, String)>| {
        let url = token_url.clone();
        async move {
            let r = http().post(url).form(&form).send().await.unwrap();
            let status = r.status();
            (status, json_of(r).await)
        }
    };
    let pending = authorize();
    let (_, location) = sign_in(&p, &pending, "bob").await;
    let code = query(&location)["code"].clone();
    let verifier = pending.pkce().verifier().expose().to_owned();
    let (s, e) = post(vec![
        ("grant_type", "authorization_code".into()),
        ("client_id", p.web.clone()),
        ("code", code.clone()),
        ("redirect_uri", CALLBACK.into()),
    ])
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "{e}"
    );
    let (_, e) = post(vec![
        ("grant_type", "authorization_code".into()),
        ("client_id", p.web.clone()),
        ("code", code),
        ("redirect_uri", "https://app.example.com/cb".into()),
        ("code_verifier", verifier),
    ])
    .await;
    assert_eq!(e["error"], "invalid_grant", "{e}");
    let (_, e) = post(vec![
        ("grant_type", "password".into()),
        ("client_id", p.web.clone()),
    ])
    .await;
    assert_eq!(e["error"], "unsupported_grant_type");
    let (_, e) = post(vec![("client_id", p.web.clone())]).await;
    assert_eq!(e["error"], "invalid_request");
    let (_, e) = post(vec![
        ("grant_type", "refresh_token".into()),
        ("client_id", "nope".into()),
        ("refresh_token", "x".into()),
    ])
    .await;
    assert_eq!(e["error"], "invalid_client");
    let (_, e) = post(vec![
        ("grant_type", "refresh_token".into()),
        ("client_id", p.web.clone()),
        ("client_id", p.web.clone()),
        ("refresh_token", "x".into()),
    ])
    .await;
    assert_eq!(e["error"], "invalid_request", "{e}");
    let (_, e) = post(vec![
        ("grant_type", "refresh_token".into()),
        ("client_id", p.web.clone()),
        ("refresh_token", "not-a-token".into()),
    ])
    .await;
    assert_eq!(e["error"], "invalid_grant");
    let r = http()
        .post(&token_url)
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r).await["error"], "invalid_request");
    // a public client authenticating with Basic and an empty secret is a public client
    let r = http()
        .post(&token_url)
        .basic_auth(&p.web, Some(""))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r).await["error"], "invalid_grant");
    // the public client may not use client_credentials
    let (_, e) = post(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", p.web.clone()),
    ])
    .await;
    assert_eq!(e["error"], "unauthorized_client");
    // a code issued to the web client cannot be redeemed by the m2m client
    let pending = authorize();
    let (_, location) = sign_in(&p, &pending, "bob").await;
    let e = p
        .m2m_client(&p.m2m_secret)
        .exchange_code(&pending, &pending.accept_redirect(&location).unwrap())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidGrant);
    // expired code
    let pending = authorize();
    let (_, location) = sign_in(&p, &pending, "bob").await;
    p.emu.clock().advance(301);
    let e = client
        .exchange_code(&pending, &pending.accept_redirect(&location).unwrap())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidGrant);
}

#[tokio::test]
async fn authorize_refusals() {
    let p = pool("OFF").await;
    let base = format!("{}/oauth2/authorize", p.domain_url);
    let get = |params: Vec<(&str, &str)>| {
        let url = reqwest::Url::parse_with_params(&base, params).unwrap();
        async move { http().get(url).send().await.unwrap() }
    };
    // unregistered redirect URI: an error page, never a redirect
    let r = get(vec![
        ("response_type", "code"),
        ("client_id", &p.web),
        ("redirect_uri", "https://evil.example.com/cb"),
    ])
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().get("location").is_none());
    let body = r.text().await.unwrap();
    assert!(body.contains("redirect_mismatch"), "{body}");
    assert!(!body.contains("<form"), "no login form: {body}");
    let r = get(vec![
        ("response_type", "code"),
        ("client_id", "unknown"),
        ("redirect_uri", CALLBACK),
    ])
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().get("location").is_none());
    // later problems go back to the redirect URI
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("redirect_uri", CALLBACK), ("state", "s1")],
            "invalid_request",
        ),
        (
            vec![("redirect_uri", CALLBACK), ("response_type", "id_token")],
            "unsupported_response_type",
        ),
        (
            vec![
                ("redirect_uri", CALLBACK),
                ("response_type", "code"),
                ("code_challenge", "x"),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("redirect_uri", CALLBACK),
                ("response_type", "code"),
                ("code_challenge_method", "plain"),
                (
                    "code_challenge",
                    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                ),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("redirect_uri", CALLBACK),
                ("response_type", "code"),
                ("scope", "openid orders/write"),
            ],
            "invalid_scope",
        ),
        (
            vec![
                ("redirect_uri", CALLBACK),
                ("response_type", "code"),
                ("scope", "email"),
            ],
            "invalid_scope",
        ),
    ];
    for (mut params, error) in cases {
        params.push(("client_id", &p.web));
        let r = get(params.clone()).await;
        assert_eq!(r.status(), StatusCode::FOUND, "{params:?}");
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with(CALLBACK), "{location}");
        assert_eq!(query(&location)["error"], error, "{params:?}: {location}");
        if params.iter().any(|(k, _)| *k == "state") {
            assert_eq!(query(&location)["state"], "s1");
        }
    }
    // a client without the code grant
    let m2m = get(vec![
        ("response_type", "code"),
        ("client_id", &p.m2m),
        ("redirect_uri", CALLBACK),
    ])
    .await;
    assert_eq!(
        m2m.status(),
        StatusCode::BAD_REQUEST,
        "m2m has no callback URLs"
    );
    // unknown domain
    let r = http()
        .get(format!("{}/domain/nope/oauth2/authorize", p.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = http().post(&base).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn login_pages_wrong_password_new_password_and_mfa_setup() {
    let p = pool("ON").await;
    p.user(
        "carol",
        json!([{"Name": "email", "Value": "carol@example.com"}]),
        false,
    );
    let client = p.web_client();
    let pending = client
        .authorize(&AuthorizationRequest::new(CALLBACK).scope("openid"))
        .unwrap();
    let mut b = Browser::new(&p.origin());
    let page = b.open(pending.url()).await;
    assert!(
        page.body
            .contains("<label for=\"username\">Username</label>"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("<label for=\"password\">Password</label>"));
    assert!(!page.body.contains("<script"));
    let flow = page.flow();
    let login = "/domain/test-app/login";
    for user in ["carol", "nobody"] {
        let wrong = b
            .post(
                login,
                &[
                    ("flow", &flow),
                    ("username", user),
                    ("password", "Wr0ng-pass!"),
                ],
            )
            .await;
        assert_eq!(wrong.status, 200);
        assert!(
            wrong
                .body
                .contains("role=\"alert\">Incorrect username or password.</p>"),
            "{}",
            wrong.body
        );
        assert!(wrong.body.contains("aria-invalid=\"true\""));
    }
    // temporary password -> new password page
    let np = b
        .post(
            login,
            &[
                ("flow", &flow),
                ("username", "carol"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(np.body.contains("Change your password"), "{}", np.body);
    let mismatch = b
        .post(
            login,
            &[
                ("flow", &flow),
                ("new_password", "N3w-passw0rd"),
                ("confirm_password", "other"),
            ],
        )
        .await;
    assert!(mismatch.body.contains("do not match"));
    let weak = b
        .post(
            login,
            &[
                ("flow", &flow),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert!(
        weak.body.contains("Password did not conform with policy"),
        "{}",
        weak.body
    );
    // MFA is ON and carol has none: authenticator setup
    let setup = b
        .post(
            login,
            &[
                ("flow", &flow),
                ("new_password", "N3w-passw0rd!"),
                ("confirm_password", "N3w-passw0rd!"),
            ],
        )
        .await;
    assert!(
        setup.body.contains("Set up your authenticator app"),
        "{}",
        setup.body
    );
    let secret = {
        let start = setup.body.find("<code id=\"secret\">").unwrap() + 18;
        setup.body[start..start + setup.body[start..].find('<').unwrap()].to_owned()
    };
    let bad = b.post(login, &[("flow", &flow), ("code", "000000")]).await;
    assert!(bad.body.contains("role=\"alert\""), "{}", bad.body);
    let code = p.emu.totp_for_secret(&secret);
    let done = b.post(login, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    let location = done.location.unwrap();
    let tokens = client
        .exchange_code(&pending, &pending.accept_redirect(&location).unwrap())
        .await
        .unwrap();
    assert_eq!(claims(tokens.access_token().expose())["username"], "carol");

    // next sign-in (fresh browser): password, then the TOTP code page
    p.emu.clock().advance(30);
    let pending = client
        .authorize(&AuthorizationRequest::new(CALLBACK).scope("openid"))
        .unwrap();
    let mut b = Browser::new(&p.origin());
    let flow = b.open(pending.url()).await.flow();
    let totp = b
        .post(
            login,
            &[
                ("flow", &flow),
                ("username", "carol"),
                ("password", "N3w-passw0rd!"),
            ],
        )
        .await;
    assert!(
        totp.body.contains("Code from your authenticator app"),
        "{}",
        totp.body
    );
    let wrong = b.post(login, &[("flow", &flow), ("code", "123456")]).await;
    assert!(wrong.body.contains("role=\"alert\""));
    let code = p.emu.totp_code(&p.pool_id, "carol").unwrap();
    let done = b.post(login, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    // a used flow is gone
    let stale = b.post(login, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    assert!(stale.body.contains("expired"));
}

#[tokio::test]
async fn sms_mfa_page() {
    let p = pool("OPTIONAL").await;
    p.user(
        "dave",
        json!([{"Name": "phone_number", "Value": "+15555550100"}]),
        true,
    );
    call(
        &p.emu,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": p.pool_id, "Username": "dave", "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    let pending = p
        .web_client()
        .authorize(&AuthorizationRequest::new(CALLBACK))
        .unwrap();
    let mut b = Browser::new(&p.origin());
    let flow = b.open(pending.url()).await.flow();
    let sms = b
        .post(
            "/domain/test-app/login",
            &[
                ("flow", &flow),
                ("username", "dave"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(
        sms.body.contains("Code sent to +*******0100"),
        "{}",
        sms.body
    );
    let code = p.emu.last_code(&p.pool_id, "dave").unwrap();
    let done = b
        .post(
            "/domain/test-app/login",
            &[("flow", &flow), ("code", &code)],
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert!(done.location.unwrap().contains("code="));
}

#[tokio::test]
async fn email_mfa_and_mfa_choice_pages() {
    let p = pool("OPTIONAL").await;
    p.user(
        "fay",
        json!([{"Name": "email", "Value": "fay@example.com"}, {"Name": "phone_number", "Value": "+15555550111"}]),
        true,
    );
    call(
        &p.emu,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": p.pool_id, "Username": "fay",
               "SMSMfaSettings": {"Enabled": true}, "EmailMfaSettings": {"Enabled": true}}),
    );
    let login = "/domain/test-app/login";
    let pending = p
        .web_client()
        .authorize(&AuthorizationRequest::new(CALLBACK))
        .unwrap();
    let mut b = Browser::new(&p.origin());
    let flow = b.open(pending.url()).await.flow();
    // two methods and no preference: the choice page, then the email code page
    let choose = b
        .post(
            login,
            &[("flow", &flow), ("username", "fay"), ("password", PASSWORD)],
        )
        .await;
    assert!(
        choose
            .body
            .contains("<legend>How do you want to verify it is you?</legend>"),
        "{}",
        choose.body
    );
    assert!(
        choose.body.contains("value=\"EMAIL_OTP\""),
        "{}",
        choose.body
    );
    let bogus = b
        .post(login, &[("flow", &flow), ("mfa", "SOFTWARE_TOKEN_MFA")])
        .await;
    assert!(bogus.body.contains("Choose one of the methods."));
    let email = b
        .post(login, &[("flow", &flow), ("mfa", "EMAIL_OTP")])
        .await;
    assert!(
        email.body.contains("Enter the code we emailed you"),
        "{}",
        email.body
    );
    let code = p.emu.last_code(&p.pool_id, "fay").unwrap();
    let done = b.post(login, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert!(done.location.unwrap().contains("code="));
}

#[tokio::test]
async fn client_credentials_scopes_secret_and_cache() {
    let p = pool("OFF").await;
    let client = p.m2m_client(&p.m2m_secret);
    let t = client.client_credentials(&[]).await.unwrap();
    let c = claims(t.access_token().expose());
    assert_eq!(c["scope"], "orders/read");
    assert_eq!(c["sub"], p.m2m.as_str());
    assert_eq!(c["client_id"], p.m2m.as_str());
    assert_eq!(c["token_use"], "access");
    assert_eq!(c["version"], 2);
    assert!(c.get("username").is_none());
    assert!(t.id_token().is_none() && t.refresh_token().is_none());
    verify_token(&p, &p.m2m, t.access_token().expose()).await;
    let t = client
        .client_credentials(&["orders/read".into()])
        .await
        .unwrap();
    assert_eq!(claims(t.access_token().expose())["scope"], "orders/read");
    for scope in ["orders/write", "openid", "other/read"] {
        let e = client
            .client_credentials(&[scope.into()])
            .await
            .unwrap_err();
        assert_eq!(kind(&e), OAuthErrorKind::InvalidScope, "{scope}: {e}");
    }
    let e = p
        .m2m_client("wrong-secret")
        .client_credentials(&[])
        .await
        .unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidClient);
    assert!(matches!(e, OAuthError::Endpoint { status: 401, .. }), "{e}");
    assert!(!format!("{e} {e:?}").contains(&p.m2m_secret));
    // the secret in the body (client_secret_post) works too
    let r = http()
        .post(format!("{}/oauth2/token", p.domain_url))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &p.m2m),
            ("client_secret", &p.m2m_secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // cached until shortly before expiry
    let cached = ClientCredentials::new(client.clone(), ["orders/read"]);
    let a = cached.access_token().await.unwrap();
    let b = cached.access_token().await.unwrap();
    assert_eq!(a.expose(), b.expose());
    assert_eq!(cached.fetch_count(), 1);
    let shared = std::sync::Arc::new(ClientCredentials::new(client.clone(), ["orders/read"]));
    let joined = futures_join(shared.clone()).await;
    assert!(joined.iter().all(|t| t.expose() == joined[0].expose()));
    assert_eq!(shared.fetch_count(), 1, "one fetch for concurrent callers");
    // a margin longer than the token's life renews on every call
    let eager = ClientCredentials::new(client, ["orders/read"])
        .with_refresh_margin(Duration::from_secs(7200));
    eager.access_token().await.unwrap();
    eager.access_token().await.unwrap();
    assert_eq!(eager.fetch_count(), 2);
}

async fn futures_join(c: std::sync::Arc<ClientCredentials>) -> Vec<Secret> {
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.access_token().await.unwrap() })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn browser_session_logout_implicit_discovery_and_host_routing() {
    let p = pool("OFF").await;
    p.user("erin", json!([]), true);
    let client = p.web_client();
    let pending = client
        .authorize(&AuthorizationRequest::new(CALLBACK))
        .unwrap();
    let (mut b, _) = sign_in(&p, &pending, "erin").await;
    assert!(b.cookie.is_some());
    // the managed-login session skips the login page
    let again = client
        .authorize(&AuthorizationRequest::new(CALLBACK))
        .unwrap();
    let r = b.get(again.url()).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let location = r.location.unwrap();
    assert!(
        location.starts_with(CALLBACK) && location.contains("code="),
        "{location}"
    );
    client
        .exchange_code(&again, &again.accept_redirect(&location).unwrap())
        .await
        .unwrap();
    // logout: unregistered sign-out URL refused, registered one ends the session
    let bad = b
        .get(&format!(
            "{}/logout?client_id={}&logout_uri=https://evil.example.com/",
            p.domain_url, p.web
        ))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let out = b
        .get(&client.logout_url("https://app.example.com/bye"))
        .await;
    assert_eq!(out.status, StatusCode::FOUND);
    assert_eq!(out.location.as_deref(), Some("https://app.example.com/bye"));
    assert!(b.cookie.is_none());
    let third = client
        .authorize(&AuthorizationRequest::new(CALLBACK))
        .unwrap();
    let r = b.get(third.url()).await;
    assert!(r.location.unwrap().contains("/login?flow="));

    // prompt=none without a session: login_required at the redirect URI
    let r = b.get(&format!("{}&prompt=none", third.url())).await;
    let location = r.location.unwrap();
    assert_eq!(query(&location)["error"], "login_required", "{location}");
    // prompt=login shows the login page even with a session
    let (mut b, _) = sign_in(&p, &third, "erin").await;
    let again = client
        .authorize(&AuthorizationRequest::new(CALLBACK))
        .unwrap();
    let r = b.get(&format!("{}&prompt=login", again.url())).await;
    assert!(r.location.unwrap().contains("/login?flow="));
    // the JSON endpoints allow any origin (browser apps redeem codes with PKCE)
    let r = http()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/oauth2/token", p.domain_url),
        )
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");

    // implicit grant: tokens in the fragment, no refresh token
    let url = reqwest::Url::parse_with_params(
        &format!("{}/oauth2/authorize", p.domain_url),
        [
            ("response_type", "token"),
            ("client_id", p.web.as_str()),
            ("redirect_uri", CALLBACK),
            ("scope", "openid"),
            ("state", "st"),
        ],
    )
    .unwrap();
    let mut fresh = Browser::new(&p.origin());
    let page = fresh.open(url.as_str()).await;
    let done = fresh
        .post(
            "/domain/test-app/login",
            &[
                ("flow", &page.flow()),
                ("username", "erin"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let location = done.location.unwrap();
    let fragment: HashMap<String, String> =
        form_urlencoded_pairs(location.split_once('#').unwrap().1);
    assert!(fragment.contains_key("access_token") && fragment.contains_key("id_token"));
    assert!(!fragment.contains_key("refresh_token"));
    assert_eq!(fragment["state"], "st");
    assert_eq!(fragment["token_type"], "Bearer");

    // discovery lists the endpoints, and they answer
    let doc: Value = http()
        .get(format!(
            "{}/{}/.well-known/openid-configuration",
            p.origin(),
            p.pool_id
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "end_session_endpoint",
        "revocation_endpoint",
        "jwks_uri",
    ] {
        assert!(
            doc[key].as_str().unwrap().starts_with("http://127.0.0.1:"),
            "{key}: {doc}"
        );
    }
    assert_eq!(
        doc["issuer"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{}", p.pool_id)
    );
    let r = http()
        .post(doc["token_endpoint"].as_str().unwrap())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &p.m2m),
            ("client_secret", &p.m2m_secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Host routing: the domain's Cognito host name, served at the root
    let r = http()
        .post(format!("{}/oauth2/token", p.origin()))
        .header("host", "test-app.auth.us-east-1.amazoncognito.com")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &p.m2m),
            ("client_secret", &p.m2m_secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
}

async fn json_of(r: reqwest::Response) -> Value {
    serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
}

fn form_urlencoded_pairs(text: &str) -> HashMap<String, String> {
    query(&format!("http://x/?{text}"))
}

/// Damaged requests to every domain endpoint (parameters dropped, repeated, replaced by odd or
/// huge values; random Basic and Bearer credentials): never a server error, never a hang.
/// `OAUTH_FUZZ_CASES` sets how many (default 600).
#[tokio::test]
async fn damaged_requests_never_break_the_endpoints() {
    let p = pool("OPTIONAL").await;
    p.user(
        "zed",
        json!([{"Name": "email", "Value": "zed@example.com"}]),
        true,
    );
    let client = p.web_client();
    let pending = client
        .authorize(&AuthorizationRequest::new(CALLBACK).scope("openid"))
        .unwrap();
    let mut b = Browser::new(&p.origin());
    let flow = b.open(pending.url()).await.flow();
    let authorize: Vec<(String, String)> = query(pending.url()).into_iter().collect();
    let cases: usize = std::env::var("OAUTH_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let weird = [
        "",
        " ",
        "%",
        "%zz",
        "\u{0}",
        "é",
        "\u{202e}",
        "null",
        "code",
        "token",
        "S256",
        "plain",
        "openid",
        "openid openid",
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "http://localhost",
        CALLBACK,
        "https://evil.example.com/cb",
        "COGNITO",
        "zed",
        PASSWORD,
        "000000",
        "-1",
        "🦀",
    ];
    let long = "x".repeat(5000);
    let mut seed: u64 = 0x5eed_0a0a;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let http = http();
    for case in 0..cases {
        let (method, endpoint, mut params) = match next(7) {
            0 => ("GET", "/oauth2/authorize", authorize.clone()),
            1 => ("GET", "/login", authorize.clone()),
            2 => (
                "POST",
                "/login",
                vec![
                    ("flow".into(), flow.clone()),
                    ("username".into(), "zed".into()),
                    ("password".into(), "wrong".into()),
                ],
            ),
            3 => (
                "POST",
                "/oauth2/token",
                vec![
                    ("grant_type".into(), "authorization_code".into()),
                    ("client_id".into(), p.web.clone()),
                    ("code".into(), "abc".into()),
                    ("redirect_uri".into(), CALLBACK.into()),
                    (
                        "code_verifier".into(),
                        pending.pkce().verifier().expose().to_owned(),
                    ),
                ],
            ),
            4 => (
                "POST",
                "/oauth2/revoke",
                vec![
                    ("token".into(), "t".into()),
                    ("client_id".into(), p.web.clone()),
                ],
            ),
            5 => ("GET", "/oauth2/userInfo", vec![]),
            _ => (
                "GET",
                "/logout",
                vec![
                    ("client_id".into(), p.web.clone()),
                    ("logout_uri".into(), "https://app.example.com/bye".into()),
                ],
            ),
        };
        for _ in 0..=next(3) {
            match next(4) {
                0 if !params.is_empty() => {
                    let i = next(params.len());
                    params.remove(i);
                }
                1 if !params.is_empty() => {
                    let i = next(params.len());
                    params.push(params[i].clone());
                }
                2 if !params.is_empty() => {
                    let i = next(params.len());
                    params[i].1 = if next(10) == 0 {
                        long.clone()
                    } else {
                        weird[next(weird.len())].to_owned()
                    };
                }
                _ => params.push((
                    weird[next(weird.len())].to_owned(),
                    weird[next(weird.len())].to_owned(),
                )),
            }
        }
        let url = format!("{}{endpoint}", p.domain_url);
        let mut req = if method == "GET" {
            http.get(reqwest::Url::parse_with_params(&url, &params).unwrap())
        } else {
            http.post(&url).form(&params)
        };
        match next(4) {
            0 => {
                req = req.header(
                    "authorization",
                    format!("Basic {}", weird[next(weird.len())]),
                )
            }
            1 => {
                req = req.header(
                    "authorization",
                    format!("Bearer {}", weird[next(weird.len())]),
                )
            }
            2 => req = req.basic_auth(&p.m2m, Some(weird[next(weird.len())])),
            _ => {}
        }
        let Ok(req) = req.build() else {
            continue; // a header value HTTP cannot carry
        };
        let r = tokio::time::timeout(Duration::from_secs(10), http.execute(req))
            .await
            .unwrap_or_else(|_| panic!("case {case}: {method} {endpoint} {params:?} hung"))
            .unwrap();
        assert!(
            r.status().as_u16() < 500,
            "case {case}: {method} {endpoint} {params:?} -> {}",
            r.status()
        );
    }
}
