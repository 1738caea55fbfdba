//! `cognito-login`: sign a user in to a Cognito user pool with any flow, answer challenges at
//! prompts, remember the device, and print the tokens (a summary, or Cognito's JSON).
//! Without pool options it runs a self-contained demo against an in-process emulator.

mod args;
mod challenges;
mod config;
mod credentials;
#[cfg(feature = "demo")]
mod demo;
mod device_file;
mod fail;
mod hosted_ui;
mod output;
mod prompt;
mod verify;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use cognito_idp::auth::{
    AuthConfig, Authenticator, DeviceOptions, PreferredChallenge, Secret, Tokens,
};
use cognito_idp::Client;

use args::{client_secret, Args, Flow};
use config::client_config;
use fail::Fail;
use prompt::Prompter;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let result = if args.is_demo() {
        demo(args.verify).await
    } else if args.hosted_ui || args.client_credentials {
        hosted_ui::run(&args).await
    } else {
        run(args).await
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(message)) => {
            eprintln!("cognito-login: error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "demo")]
async fn demo(verify: bool) -> Result<(), Fail> {
    demo::run(verify).await
}

#[cfg(not(feature = "demo"))]
async fn demo(_verify: bool) -> Result<(), Fail> {
    Err(
        "this cognito-login was built without the in-process demo (cargo feature `demo`); \
         name a pool: --user-pool-id <id> --client-id <id> --username <name>"
            .into(),
    )
}

async fn run(args: Args) -> Result<(), Fail> {
    if args.identity_pool_id.is_some() && !args.credentials {
        return Err("--identity-pool-id is used with --credentials".into());
    }
    if args.credentials && args.user_pool_id.is_none() && args.client_id.is_none() {
        return credentials::print_guest(&args).await;
    }
    let (Some(pool_id), Some(client_id)) = (args.user_pool_id.clone(), args.client_id.clone())
    else {
        return Err(
            "--user-pool-id and --client-id are both needed (run without either for the demo)"
                .into(),
        );
    };
    let region = match &args.region {
        Some(r) => r.clone(),
        None => pool_id
            .split_once('_')
            .map(|(region, _)| region.to_owned())
            .ok_or("the user pool id must look like <region>_<name>, e.g. us-east-1_AbC123")?,
    };
    let client = Client::new(client_config(&args, region)?)
        .map_err(|e| format!("invalid configuration: {e}"))?;

    let secret = client_secret(&args);
    let loaded_device = match &args.device_file {
        Some(path) => device_file::load(path)?,
        None => None,
    };
    let auth_config = AuthConfig::new(pool_id.clone(), client_id.clone())
        .with_optional_client_secret(secret)
        .with_device(loaded_device.clone())
        .with_observer(|event| eprintln!("{}", output::describe(event)));
    let auth = Authenticator::new(client, auth_config)?;

    let mut prompter = Prompter::new();
    let tokens = sign_in(&args, &auth, &mut prompter).await;
    // a device Cognito no longer knows was dropped: don't offer it again
    if let (Some(path), Some(_), None) =
        (&args.device_file, &loaded_device, auth.remembered_device())
    {
        device_file::remove(path)?;
        eprintln!("removed the forgotten device from {}", path.display());
    }
    let tokens = tokens?;

    if args.remember_device && args.flow != Flow::Refresh {
        remember(&args, &auth, &tokens).await?;
    }
    if args.credentials {
        credentials::print_for(&args, auth, &tokens).await?;
    } else if args.json {
        println!("{}", output::tokens_json(&tokens));
    } else {
        print!("{}", output::summary(&tokens, args.flow.wire_name()));
    }
    if args.verify {
        let url = verify::jwks_url(&pool_id, args.endpoint.as_deref(), args.jwks_url.as_deref());
        let report = verify::report(&tokens, &pool_id, &client_id, url).await?;
        // stdout stays Cognito's JSON with --json, and credential_process JSON with --credentials
        if args.json || args.credentials {
            eprint!("{report}");
        } else {
            print!("{report}");
        }
    }
    Ok(())
}

async fn sign_in(
    args: &Args,
    auth: &Authenticator,
    prompter: &mut Prompter,
) -> Result<Tokens, Fail> {
    if args.flow == Flow::Refresh {
        let token = match args.refresh_token.as_deref() {
            Some("-") => prompter.read_stdin_line("refresh token")?,
            Some(t) => t.to_owned(),
            None => return Err("--flow refresh needs --refresh-token".into()),
        };
        return Ok(auth
            .refresh(&Secret::new(token), args.username.as_deref())
            .await?);
    }
    let username = match &args.username {
        Some(u) => u.clone(),
        None => prompter.line("Username")?,
    };
    let password = match args.flow {
        Flow::Srp | Flow::Password => Some(read_password(args, prompter)?),
        // optional: SRP first (custom) / PASSWORD_SRP preferred (user-auth)
        _ if args.password_stdin => Some(read_password(args, prompter)?),
        _ => None,
    };
    let step = match (args.flow, &password) {
        (Flow::Srp, Some(pw)) => auth.sign_in_srp(&username, pw.expose()).await?,
        (Flow::Password, Some(pw)) => auth.sign_in_password(&username, pw.expose()).await?,
        (Flow::Custom, pw) => {
            auth.sign_in_custom(&username, pw.as_ref().map(Secret::expose))
                .await?
        }
        (Flow::UserAuth, pw) => {
            let preferred = pw
                .as_ref()
                .map(|p| PreferredChallenge::password_srp(p.expose()));
            auth.sign_in_user_auth(&username, preferred).await?
        }
        _ => return Err("no password".into()),
    };
    challenges::drive(step, prompter).await
}

fn read_password(args: &Args, prompter: &mut Prompter) -> Result<Secret, Fail> {
    if args.password_stdin {
        let line = prompter.read_stdin_line("password")?;
        if line.is_empty() {
            return Err("the password read from standard input is empty".into());
        }
        return Ok(Secret::new(line));
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            "standard input is not a terminal: pass the password with --password-stdin".into(),
        );
    }
    Ok(prompter.secret("Password")?)
}

async fn remember(args: &Args, auth: &Authenticator, tokens: &Tokens) -> Result<(), Fail> {
    if tokens.new_device().is_none() {
        eprintln!(
            "note: Cognito created no new device (device tracking is off for this pool, or the \
             sign-in used a remembered device)"
        );
        return Ok(());
    }
    let confirmed = auth
        .confirm_device(tokens, DeviceOptions::remember("cognito-login"))
        .await?;
    match &args.device_file {
        Some(path) => {
            device_file::save(path, &confirmed.device)?;
            eprintln!(
                "device {} remembered and saved to {}",
                confirmed.device.device_key,
                path.display()
            );
        }
        None => eprintln!(
            "device {} remembered; pass --device-file to keep it for the next sign-in",
            confirmed.device.device_key
        ),
    }
    Ok(())
}
