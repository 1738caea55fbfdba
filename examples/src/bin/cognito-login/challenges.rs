//! Answering Cognito's challenges at prompts.

use cognito_idp::auth::{AuthError, CodeChallenge, MfaType, SignInStep, Tokens};

use crate::fail::Fail;
use crate::prompt::Prompter;

/// How many times a mistyped code may be entered again.
const CODE_ATTEMPTS: usize = 3;

/// Follows the sign-in until tokens, asking the user for every answer.
pub async fn drive(mut step: SignInStep, prompter: &mut Prompter) -> Result<Tokens, Fail> {
    loop {
        step = match step {
            SignInStep::Done(tokens) => return Ok(tokens),
            SignInStep::NewPasswordRequired(c) => {
                eprintln!("Cognito requires a new password for {}.", c.username());
                let password = prompter.secret("New password")?;
                let mut attributes = Vec::new();
                for name in &c.required_attributes {
                    let value = prompter.line(&format!("Required attribute {name}"))?;
                    attributes.push((name.clone(), value));
                }
                c.complete_with_attributes(password.expose(), attributes)
                    .await?
            }
            SignInStep::SmsMfa(c)
            | SignInStep::SoftwareTokenMfa(c)
            | SignInStep::EmailOtp(c)
            | SignInStep::SmsOtp(c) => answer_code(&c, prompter).await?,
            SignInStep::SelectMfaType(c) => {
                let options: Vec<&str> = c.options.iter().map(MfaType::as_str).collect();
                eprintln!("Choose an MFA method: {}", options.join(", "));
                let choice = prompter.line("MFA method")?;
                c.select(MfaType::from(choice.as_str())).await?
            }
            SignInStep::MfaSetup(c) => {
                let totp_offered =
                    c.options.is_empty() || c.options.contains(&MfaType::SoftwareToken);
                if !totp_offered && c.options.contains(&MfaType::Email) {
                    eprintln!("Cognito requires email MFA to be set up.");
                    let email = prompter.line("Email address")?;
                    c.setup_email(&email).await?
                } else {
                    eprintln!("Cognito requires an authenticator app to be set up.");
                    let setup = c.associate_software_token().await?;
                    eprintln!(
                        "Enter this secret in your authenticator app: {}",
                        setup.secret_code().expose()
                    );
                    eprintln!(
                        "  (or as a URI: {})",
                        setup.otpauth_uri("Cognito", "cognito-login").expose()
                    );
                    let mut attempt = 0;
                    loop {
                        let code = prompter.line("Code from the app")?;
                        match setup.verify(&code, Some("cognito-login")).await {
                            Err(AuthError::CodeMismatch(_)) if attempt + 1 < CODE_ATTEMPTS => {
                                attempt += 1;
                                eprintln!("That code is wrong; try again.");
                            }
                            other => break other?,
                        }
                    }
                }
            }
            SignInStep::CustomChallenge(c) => {
                eprintln!("Custom challenge:");
                let mut params: Vec<_> = c.parameters.iter().collect();
                params.sort();
                for (k, v) in params {
                    eprintln!("  {k}: {v}");
                }
                let answer = prompter.line("Answer")?;
                c.answer(&answer).await?
            }
            SignInStep::SelectChallenge(c) => {
                eprintln!("Choose how to sign in: {}", c.available.join(", "));
                let choice = prompter.line("Challenge")?;
                match choice.as_str() {
                    "PASSWORD" => {
                        let pw = prompter.secret("Password")?;
                        c.password(pw.expose()).await?
                    }
                    "PASSWORD_SRP" => {
                        let pw = prompter.secret("Password")?;
                        c.password_srp(pw.expose()).await?
                    }
                    other => c.choose(other).await?,
                }
            }
            SignInStep::Unknown(u) => {
                let mut names: Vec<&str> = u.parameters.keys().map(String::as_str).collect();
                names.sort_unstable();
                return Err(Fail(format!(
                    "Cognito asks the challenge {} (parameters: {}), which this command cannot answer",
                    u.name,
                    names.join(", ")
                )));
            }
            other => {
                return Err(Fail(format!(
                    "Cognito asks the challenge {}, which this command cannot answer",
                    other.name()
                )))
            }
        };
    }
}

async fn answer_code(c: &CodeChallenge, prompter: &mut Prompter) -> Result<SignInStep, Fail> {
    match (&c.delivery_medium, &c.destination) {
        (Some(medium), Some(dest)) => {
            eprintln!(
                "{}: a code was sent by {medium} to {dest}.",
                c.challenge_name()
            )
        }
        _ => eprintln!("{}: enter the code.", c.challenge_name()),
    }
    let mut attempt = 0;
    loop {
        let code = prompter.line("Code")?;
        match c.answer(&code).await {
            Err(AuthError::CodeMismatch(_)) if attempt + 1 < CODE_ATTEMPTS => {
                attempt += 1;
                eprintln!("That code is wrong; try again.");
            }
            other => return Ok(other?),
        }
    }
}
