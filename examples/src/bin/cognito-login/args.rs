//! Command-line options.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

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
        self.user_pool_id.is_none() && self.client_id.is_none()
    }
}
