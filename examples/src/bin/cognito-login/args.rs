//! Command-line options.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use cognito_idp::auth::Secret;

/// Sign a user in to an Amazon Cognito user pool and print the tokens.
///
/// Without any pool option it starts a local Cognito in-process, creates a demo pool, app
/// client and user, and performs a real SRP sign-in, showing each step.
#[derive(Parser, Debug)]
#[command(name = "cognito-login", version)]
pub struct Args {
    /// AWS region (default: the part of the user pool id before `_`).
    #[arg(long)]
    pub region: Option<String>,

    /// Endpoint URL, e.g. a local emulator (default: AWS_ENDPOINT_URL, else AWS's endpoint).
    #[arg(long)]
    pub endpoint: Option<String>,

    /// User pool id, e.g. us-east-1_AbC123.
    #[arg(long)]
    pub user_pool_id: Option<String>,

    /// App client id.
    #[arg(long)]
    pub client_id: Option<String>,

    /// App client secret, for clients that have one (default: COGNITO_CLIENT_SECRET).
    #[arg(long)]
    pub client_secret: Option<String>,

    /// Username, email or phone number to sign in with.
    #[arg(long)]
    pub username: Option<String>,

    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,

    /// Sign-in flow.
    #[arg(long, value_enum, default_value_t = Flow::Srp)]
    pub flow: Flow,

    /// Refresh token for `--flow refresh` (`-` reads it from standard input).
    #[arg(long)]
    pub refresh_token: Option<String>,

    /// Confirm and remember the device Cognito creates at this sign-in (pools with device
    /// tracking), and save it to --device-file.
    #[arg(long)]
    pub remember_device: bool,

    /// A remembered device (JSON): loaded before signing in (device SRP, DEVICE_KEY on
    /// refresh), written when a device is remembered, removed if Cognito forgot it.
    #[arg(long, value_name = "PATH")]
    pub device_file: Option<PathBuf>,

    /// Verify the tokens with cognito-verify (signature against the pool's JWKS, issuer,
    /// expiry, token use, app client) and print each check; exit non-zero if they fail.
    #[arg(long)]
    pub verify: bool,

    /// JWKS URL for --verify (default: `{endpoint}/{poolId}/.well-known/jwks.json` with
    /// --endpoint, else Cognito's).
    #[arg(long, value_name = "URL", requires = "verify")]
    pub jwks_url: Option<String>,

    /// Print Cognito's AuthenticationResult fields (AccessToken, IdToken, RefreshToken,
    /// ExpiresIn, TokenType) as JSON on standard output.
    #[arg(long)]
    pub json: bool,

    /// An identity pool (`<region>:<uuid>`) that accepts this user pool's app client; with
    /// --credentials the signed-in user's AWS credentials come from it (GetId, then
    /// GetCredentialsForIdentity). Without --user-pool-id: a guest (unauthenticated) identity.
    #[arg(long, value_name = "ID")]
    pub identity_pool_id: Option<String>,

    /// Print the identity pool's AWS credentials on standard output as `credential_process`
    /// JSON (Version 1), instead of the tokens. Needs --identity-pool-id.
    #[arg(long, requires = "identity_pool_id", conflicts_with_all = ["hosted_ui", "client_credentials"])]
    pub credentials: bool,

    /// With --credentials: the role to ask for when the pool's role mapping allows several
    /// (CustomRoleArn).
    #[arg(long, value_name = "ARN", requires = "credentials")]
    pub role_arn: Option<String>,

    /// Sign in through the user pool domain's login page (managed login / hosted UI): opens the
    /// authorize URL (code grant with PKCE), waits for the redirect on 127.0.0.1 and exchanges
    /// the code. Needs --domain and --client-id; the app client must list
    /// http://localhost:PORT/callback among its callback URLs.
    #[arg(long, conflicts_with_all = ["client_credentials", "user_pool_id", "username", "flow", "password_stdin", "remember_device", "device_file"])]
    pub hosted_ui: bool,

    /// Get a machine-to-machine access token from the domain's token endpoint
    /// (client_credentials; needs --domain, --client-id and the client secret).
    #[arg(long, conflicts_with_all = ["user_pool_id", "username", "flow", "password_stdin", "remember_device", "device_file"])]
    pub client_credentials: bool,

    /// The user pool domain: `https://PREFIX.auth.REGION.amazoncognito.com`, a custom domain,
    /// or a local emulator's `http://127.0.0.1:PORT/domain/PREFIX`.
    #[arg(long, value_name = "URL")]
    pub domain: Option<String>,

    /// OAuth scope to request (repeat it, or separate scopes by spaces); default: all the app
    /// client's scopes.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,

    /// --hosted-ui: the loopback port the browser is redirected to.
    #[arg(long, value_name = "N", default_value_t = 8400)]
    pub redirect_port: u16,

    /// --hosted-ui: the path of the redirect URI (http://localhost:PORT/PATH).
    #[arg(long, value_name = "PATH", default_value = "/callback")]
    pub redirect_path: String,

    /// --hosted-ui: only print the authorize URL, do not try to open a browser.
    #[arg(long)]
    pub no_browser: bool,

    /// --hosted-ui: how long to wait for the browser's redirect, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub redirect_timeout: u64,
}

/// Which InitiateAuth flow to use.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Flow {
    /// USER_SRP_AUTH: the password never leaves this machine.
    Srp,
    /// USER_PASSWORD_AUTH: the password is sent to Cognito.
    Password,
    /// CUSTOM_AUTH (SRP first when --password-stdin is given).
    Custom,
    /// USER_AUTH, choice-based (PASSWORD_SRP preferred when --password-stdin is given).
    UserAuth,
    /// REFRESH_TOKEN_AUTH with --refresh-token.
    Refresh,
}

impl Flow {
    pub fn wire_name(self) -> &'static str {
        match self {
            Flow::Srp => "USER_SRP_AUTH",
            Flow::Password => "USER_PASSWORD_AUTH",
            Flow::Custom => "CUSTOM_AUTH",
            Flow::UserAuth => "USER_AUTH",
            Flow::Refresh => "REFRESH_TOKEN_AUTH",
        }
    }
}

impl Args {
    /// True when no pool was named: run the in-process demo.
    pub fn is_demo(&self) -> bool {
        self.user_pool_id.is_none()
            && self.client_id.is_none()
            && !self.hosted_ui
            && !self.client_credentials
            && self.identity_pool_id.is_none()
    }

    /// The requested scopes, split on spaces.
    pub fn scopes(&self) -> Vec<String> {
        self.scope
            .iter()
            .flat_map(|s| s.split(' '))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// --client-secret, else COGNITO_CLIENT_SECRET.
pub fn client_secret(args: &Args) -> Option<Secret> {
    args.client_secret
        .clone()
        .or_else(|| std::env::var("COGNITO_CLIENT_SECRET").ok())
        .filter(|s| !s.is_empty())
        .map(Secret::new)
}
