//! Cognito fixtures through the generated client, against moto or the emulator alike: the
//! client pointed at a local server, pools and users, the project's own SRP sign-in, and the
//! codes an authenticator app shows.

mod setup;
mod sign_in;
mod totp;

pub use setup::{all_flows, create_pool, create_user, user, Pool, PoolSpec, PASSWORD};
pub use sign_in::{answered_as, auth, challenges, map, srp_login, Events, Login};
pub use totp::{now, totp};

use std::process::Command;

use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::Client;

/// The region every fixture uses.
pub const REGION: &str = "us-east-1";

/// The generated client for a local endpoint, with test credentials for the SigV4 (Admin*)
/// operations and no retries (a test sees the first answer).
pub fn client(url: &str) -> Client {
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(url)
        .credentials(Credentials::new("AKIDTEST", "testing", None))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

/// Runs a boto3 snippet against `url` with the peers' Python (`cognito` is a boto3 client);
/// panics with its stderr if it fails.
pub fn boto3(url: &str, snippet: &str) {
    let script = format!(
        "import boto3\ncognito = boto3.client('cognito-idp', region_name='{REGION}', \
         endpoint_url='{url}', aws_access_key_id='testing', aws_secret_access_key='testing')\n{snippet}\n"
    );
    let out = Command::new(crate::peers::peers_python())
        .arg("-c")
        .arg(script)
        .output()
        .expect("run the peers' python");
    assert!(
        out.status.success(),
        "boto3 snippet failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
