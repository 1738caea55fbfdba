//! The generated clients' configuration from the command line.

use cognito_idp::runtime::Config;

use crate::args::Args;
use crate::fail::Fail;

/// The client configuration: the environment, the region, `--endpoint` (for both services).
pub(crate) fn client_config(args: &Args, region: String) -> Result<Config, Fail> {
    let mut config = Config::builder()
        .load_env()
        .region(region)
        .app_name("cognito-login");
    if let Some(endpoint) = &args.endpoint {
        config = config.endpoint_url(endpoint.clone());
    }
    config
        .build()
        .map_err(|e| Fail(format!("invalid configuration: {e}")))
}
