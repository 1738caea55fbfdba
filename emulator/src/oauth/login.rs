//! `/login`: the sign-in pages. `GET` shows the page a login flow is on (or starts a flow from
//! authorize parameters, as Cognito's login URL allows); `POST` takes the page's form (password,
//! new password, MFA code, MFA choice, authenticator setup), runs it through the sign-in state
//! machine and shows the next page, the same page with the error, or redirects back with a code.

use std::collections::BTreeMap;

use http::StatusCode;

use super::authorize::{complete, server_error, start_flow, validate};
use super::pages::{self, FormTarget};
use super::reply::Reply;
use super::request::DomainRequest;
use super::state::{LoginFlow, LoginStage, LOGIN_FLOW_SECS};
use crate::error::ApiError;
use crate::ops::hosted::{self, HostedStep};
use crate::shared::Shared;

const EXPIRED: &str =
    "This sign-in has expired or was already used. Go back to the application and sign in again.";

fn expired() -> Reply {
    Reply::html(StatusCode::BAD_REQUEST, pages::error_page(EXPIRED))
}

fn flow(shared: &Shared, id: &str) -> Option<LoginFlow> {
    let now = shared.now();
    let store = shared.store();
    store
        .oauth
        .logins
        .get(id)
        .filter(|f| now - f.created <= LOGIN_FLOW_SECS)
        .cloned()
}

fn save(shared: &Shared, id: &str, flow: LoginFlow) {
    shared.store().oauth.logins.insert(id.to_owned(), flow);
}

fn render(
    req: &DomainRequest,
    id: &str,
    flow: &LoginFlow,
    error: Option<&str>,
    username: &str,
) -> Reply {
    let action = req.link("/login");
    let target = FormTarget {
        action: &action,
        flow: id,
    };
    let html = match &flow.stage {
        LoginStage::Password => pages::login_page(&target, username, error),
        LoginStage::NewPassword {
            required_attributes,
        } => pages::new_password_page(&target, required_attributes, error),
        LoginStage::Code {
            challenge,
            destination,
        } => pages::code_page(&target, challenge, destination.as_deref(), error),
        LoginStage::SelectMfa { options } => pages::select_mfa_page(&target, options, error),
        LoginStage::TotpSetup { secret } => pages::totp_setup_page(
            &target,
            secret,
            flow.username.as_deref().unwrap_or_default(),
            error,
        ),
    };
    Reply::html(StatusCode::OK, html)
}

pub(super) fn show(shared: &Shared, req: &DomainRequest) -> Reply {
    if let Some(id) = req.query.get("flow") {
        return match flow(shared, id) {
            Some(f) => render(req, id, &f, None, ""),
            None => expired(),
        };
    }
    // `/login?client_id=...&redirect_uri=...&response_type=...`, as with /oauth2/authorize.
    let request = match validate(shared, &req.route.domain, &req.query) {
        Ok(r) => r,
        Err(refusal) => return refusal.reply(),
    };
    match start_flow(shared, request) {
        Ok(id) => match flow(shared, &id) {
            Some(f) => render(req, &id, &f, None, ""),
            None => server_error(),
        },
        Err(reply) => reply,
    }
}

/// The text a sign-in error shows on the page. Messages never carry secrets; an unknown user
/// reads like a wrong password.
fn message(e: &ApiError) -> String {
    match e.code {
        "UserNotFoundException" => crate::error::INCORRECT_CREDENTIALS.to_owned(),
        "InternalErrorException" => "Something went wrong on the server. Try again.".to_owned(),
        _ => e.message.clone(),
    }
}

/// A refusal that ends the Cognito session (it was taken and not put back).
fn ends_session(e: &ApiError) -> bool {
    e.code == "NotAuthorizedException" && e.message.starts_with("Invalid session")
}

pub(super) fn submit(shared: &Shared, req: &DomainRequest) -> Reply {
    let Some(id) = req.form.get("flow").map(str::to_owned) else {
        return expired();
    };
    let Some(mut flow) = flow(shared, &id) else {
        return expired();
    };
    let f = &req.form;
    let client_id = flow.request.client_id.clone();
    let result = match flow.stage.clone() {
        LoginStage::Password => {
            let username = f.get("username").unwrap_or_default().to_owned();
            let password = f.get("password").unwrap_or_default();
            if username.is_empty() || password.is_empty() {
                return render(
                    req,
                    &id,
                    &flow,
                    Some("Enter your username and password."),
                    &username,
                );
            }
            match hosted::sign_in(shared, &client_id, &username, password) {
                Ok(step) => Ok(step),
                Err(e) => return render(req, &id, &flow, Some(&message(&e)), &username),
            }
        }
        LoginStage::NewPassword {
            required_attributes,
        } => {
            let new_password = f.get("new_password").unwrap_or_default();
            if new_password != f.get("confirm_password").unwrap_or_default() {
                return render(req, &id, &flow, Some("The passwords do not match."), "");
            }
            let mut responses = BTreeMap::new();
            responses.insert("NEW_PASSWORD".to_owned(), new_password.to_owned());
            for a in &required_attributes {
                if let Some(v) = f.get(&format!("attr_{a}")) {
                    responses.insert(format!("userAttributes.{a}"), v.to_owned());
                }
            }
            answer(shared, &mut flow, "NEW_PASSWORD_REQUIRED", responses)
        }
        LoginStage::Code { challenge, .. } => {
            let member = match challenge.as_str() {
                "SMS_MFA" => "SMS_MFA_CODE",
                "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
                _ => "EMAIL_OTP_CODE",
            };
            let code = f.get("code").unwrap_or_default().trim().to_owned();
            let responses = BTreeMap::from([(member.to_owned(), code)]);
            answer(shared, &mut flow, &challenge, responses)
        }
        LoginStage::SelectMfa { options } => {
            let choice = f.get("mfa").unwrap_or_default();
            if !options.iter().any(|o| o == choice) {
                return render(req, &id, &flow, Some("Choose one of the methods."), "");
            }
            let responses = BTreeMap::from([("ANSWER".to_owned(), choice.to_owned())]);
            answer(shared, &mut flow, "SELECT_MFA_TYPE", responses)
        }
        LoginStage::TotpSetup { .. } => {
            let code = f.get("code").unwrap_or_default().trim();
            let session = flow.session.clone().unwrap_or_default();
            match hosted::verify_totp(shared, &session, code) {
                Ok(session) => {
                    flow.session = Some(session);
                    answer(shared, &mut flow, "MFA_SETUP", BTreeMap::new())
                }
                Err(e) => Err(e),
            }
        }
    };
    let step = match result {
        Ok(step) => step,
        Err(e) if ends_session(&e) => {
            shared.store().oauth.logins.remove(&id);
            return expired();
        }
        Err(e) => return render(req, &id, &flow, Some(&message(&e)), ""),
    };
    next(shared, req, &id, flow, step)
}

fn answer(
    shared: &Shared,
    flow: &mut LoginFlow,
    challenge: &str,
    responses: BTreeMap<String, String>,
) -> Result<HostedStep, ApiError> {
    let session = flow.session.clone().unwrap_or_default();
    let username = flow.username.clone().unwrap_or_default();
    hosted::respond(
        shared,
        &flow.request.client_id,
        &session,
        challenge,
        &username,
        responses,
    )
}

/// After a step: finish (code and redirect), or move the flow to the challenge's page.
fn next(
    shared: &Shared,
    req: &DomainRequest,
    id: &str,
    mut flow: LoginFlow,
    step: HostedStep,
) -> Reply {
    let (name, session, parameters) = match step {
        HostedStep::SignedIn(signed_in) => {
            shared.store().oauth.logins.remove(id);
            return complete(shared, req, &flow.request, signed_in);
        }
        HostedStep::Challenge {
            name,
            session,
            parameters,
        } => (name, session, parameters),
    };
    if let Some(u) = parameters
        .get("USERNAME")
        .or_else(|| parameters.get("USER_ID_FOR_SRP"))
    {
        flow.username = Some(u.clone());
    }
    flow.session = Some(session.clone());
    let list = |key: &str| -> Vec<String> {
        parameters
            .get(key)
            .and_then(|v| serde_json::from_str::<Vec<String>>(v).ok())
            .unwrap_or_default()
    };
    flow.stage = match name.as_str() {
        "NEW_PASSWORD_REQUIRED" => LoginStage::NewPassword {
            required_attributes: list("requiredAttributes")
                .iter()
                .map(|a| a.trim_start_matches("userAttributes.").to_owned())
                .collect(),
        },
        "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" => LoginStage::Code {
            challenge: name.clone(),
            destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
        },
        "SELECT_MFA_TYPE" => LoginStage::SelectMfa {
            options: list("MFAS_CAN_CHOOSE"),
        },
        "MFA_SETUP"
            if list("MFAS_CAN_SETUP")
                .iter()
                .any(|m| m == "SOFTWARE_TOKEN_MFA") =>
        {
            match hosted::associate_totp(shared, &session) {
                Ok((secret, session)) => {
                    flow.session = Some(session);
                    LoginStage::TotpSetup { secret }
                }
                Err(e) => {
                    return Reply::html(StatusCode::BAD_REQUEST, pages::error_page(&message(&e)))
                }
            }
        }
        other => {
            shared.store().oauth.logins.remove(id);
            return Reply::html(
                StatusCode::BAD_REQUEST,
                pages::error_page(&format!(
                    "The sign-in needs the {other} challenge, which managed login does not support."
                )),
            );
        }
    };
    save(shared, id, flow.clone());
    render(req, id, &flow, None, "")
}
