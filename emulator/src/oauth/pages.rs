//! The managed login pages: small, plain HTML forms that work without JavaScript, with labels,
//! error text tied to the fields it is about (`aria-describedby`, `aria-invalid`,
//! `role="alert"`), and no third-party assets.

/// Where a page's form posts, and the flow it belongs to.
pub(crate) struct FormTarget<'a> {
    pub action: &'a str,
    pub flow: &'a str,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111}\
label{display:block;margin-top:1rem;font-weight:600}\
input[type=text],input[type=password]{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem}\
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}\
.error{color:#a00;font-weight:600}code{word-break:break-all}fieldset{margin-top:1rem}";

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n{body}</main>\n</body>\n</html>\n",
        title = escape(title),
    )
}

fn error_block(error: Option<&str>) -> String {
    match error {
        Some(e) => format!(
            "<p id=\"error\" class=\"error\" role=\"alert\">{}</p>\n",
            escape(e)
        ),
        None => String::new(),
    }
}

/// `aria-invalid` and `aria-describedby` for a field when the page shows an error.
fn invalid(error: Option<&str>) -> &'static str {
    if error.is_some() {
        " aria-invalid=\"true\" aria-describedby=\"error\""
    } else {
        ""
    }
}

fn form(target: &FormTarget<'_>, fields: &str, button: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{action}\">\n\
         <input type=\"hidden\" name=\"flow\" value=\"{flow}\">\n{fields}\
         <button type=\"submit\">{button}</button>\n</form>\n",
        action = escape(target.action),
        flow = escape(target.flow),
        button = escape(button),
    )
}

pub(crate) fn error_page(message: &str) -> String {
    page(
        "Sign-in error",
        &format!(
            "<p id=\"error\" class=\"error\" role=\"alert\">{}</p>\n",
            escape(message)
        ),
    )
}

pub(crate) fn login_page(target: &FormTarget<'_>, username: &str, error: Option<&str>) -> String {
    let fields = format!(
        "<label for=\"username\">Username</label>\n\
         <input type=\"text\" id=\"username\" name=\"username\" value=\"{user}\" autocomplete=\"username\" autocapitalize=\"none\" required{inv}>\n\
         <label for=\"password\">Password</label>\n\
         <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required{inv}>\n",
        user = escape(username),
        inv = invalid(error),
    );
    page(
        "Sign in",
        &format!("{}{}", error_block(error), form(target, &fields, "Sign in")),
    )
}

pub(crate) fn new_password_page(
    target: &FormTarget<'_>,
    required_attributes: &[String],
    error: Option<&str>,
) -> String {
    let mut fields = format!(
        "<p>Your password must be changed before you continue.</p>\n\
         <label for=\"new_password\">New password</label>\n\
         <input type=\"password\" id=\"new_password\" name=\"new_password\" autocomplete=\"new-password\" required{inv}>\n\
         <label for=\"confirm_password\">Confirm new password</label>\n\
         <input type=\"password\" id=\"confirm_password\" name=\"confirm_password\" autocomplete=\"new-password\" required{inv}>\n",
        inv = invalid(error),
    );
    for attr in required_attributes {
        fields.push_str(&format!(
            "<label for=\"attr_{a}\">{a}</label>\n\
             <input type=\"text\" id=\"attr_{a}\" name=\"attr_{a}\" required>\n",
            a = escape(attr),
        ));
    }
    page(
        "Change your password",
        &format!(
            "{}{}",
            error_block(error),
            form(target, &fields, "Change password")
        ),
    )
}

pub(crate) fn code_page(
    target: &FormTarget<'_>,
    challenge: &str,
    destination: Option<&str>,
    error: Option<&str>,
) -> String {
    let (title, label) = match challenge {
        "SOFTWARE_TOKEN_MFA" => (
            "Enter your authenticator code",
            "Code from your authenticator app".to_owned(),
        ),
        "SMS_MFA" => (
            "Enter the code we texted you",
            format!("Code sent to {}", destination.unwrap_or("your phone")),
        ),
        _ => (
            "Enter the code we emailed you",
            format!(
                "Code sent to {}",
                destination.unwrap_or("your email address")
            ),
        ),
    };
    let fields = format!(
        "<label for=\"code\">{label}</label>\n\
         <input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]*\" required{inv}>\n",
        label = escape(&label),
        inv = invalid(error),
    );
    page(
        title,
        &format!("{}{}", error_block(error), form(target, &fields, "Verify")),
    )
}

fn mfa_label(challenge: &str) -> &str {
    match challenge {
        "SOFTWARE_TOKEN_MFA" => "Authenticator app",
        "SMS_MFA" => "Text message (SMS)",
        "EMAIL_OTP" => "Email",
        other => other,
    }
}

pub(crate) fn select_mfa_page(
    target: &FormTarget<'_>,
    options: &[String],
    error: Option<&str>,
) -> String {
    let mut radios = String::new();
    for (i, o) in options.iter().enumerate() {
        radios.push_str(&format!(
            "<div><input type=\"radio\" id=\"mfa_{i}\" name=\"mfa\" value=\"{v}\"{checked}>\n\
             <label for=\"mfa_{i}\" style=\"display:inline;font-weight:normal\">{l}</label></div>\n",
            v = escape(o),
            l = escape(mfa_label(o)),
            checked = if i == 0 { " checked" } else { "" },
        ));
    }
    let fields = format!(
        "<fieldset>\n<legend>How do you want to verify it is you?</legend>\n{radios}</fieldset>\n"
    );
    page(
        "Choose a verification method",
        &format!(
            "{}{}",
            error_block(error),
            form(target, &fields, "Continue")
        ),
    )
}

pub(crate) fn totp_setup_page(
    target: &FormTarget<'_>,
    secret: &str,
    account: &str,
    error: Option<&str>,
) -> String {
    let uri = format!(
        "otpauth://totp/{}?secret={secret}&issuer=Cognito",
        form_urlencoded::byte_serialize(account.as_bytes()).collect::<String>()
    );
    let fields = format!(
        "<p>This account needs an authenticator app. Add this secret key to it:</p>\n\
         <p><code id=\"secret\">{s}</code></p>\n<p>or this setup URI: <code>{u}</code></p>\n\
         <label for=\"code\">Code from your authenticator app</label>\n\
         <input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]*\" required{inv}>\n",
        s = escape(secret),
        u = escape(&uri),
        inv = invalid(error),
    );
    page(
        "Set up your authenticator app",
        &format!("{}{}", error_block(error), form(target, &fields, "Verify")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_labels() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let t = FormTarget {
            action: "/login",
            flow: "f\"1",
        };
        let html = login_page(&t, "<bob>", Some("Incorrect username or password."));
        assert!(html.contains("<label for=\"username\">"));
        assert!(html.contains("value=\"&lt;bob&gt;\""));
        assert!(html.contains("value=\"f&quot;1\""));
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("aria-describedby=\"error\""));
        assert!(!html.contains("<script"));
    }
}
