//! Rust names for Smithy names, spelled as aws-sdk-rust spells them (heck), made legal.
//!
//! - snake_case for fields and methods: `AdminSetUserMFAPreference` → `admin_set_user_mfa_preference`
//! - UpperCamelCase for types and variants: `ADMIN_NO_SRP_AUTH` → `AdminNoSrpAuth`
//! - keywords become raw identifiers (`r#type`); `self`, `Self`, `crate`, `super` (which cannot be raw)
//!   take a trailing `_`; a leading digit gets a leading `_`.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Make `name` a legal identifier (as text; `r#` prefix for raw identifiers).
fn legal(name: String) -> String {
    let name = if name.is_empty() {
        "_unnamed".to_owned()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Keep only characters that may appear in an identifier; others separate words.
fn words(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// Field, method and module names.
pub fn snake(name: &str) -> String {
    legal(words(name).to_snake_case())
}

/// Type and variant names.
pub fn camel(name: &str) -> String {
    legal(words(name).to_upper_camel_case())
}

/// The name without any `r#` prefix (for messages and derived names).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str, &str)] = &[
            // (smithy name, snake, camel)
            (
                "AdminSetUserMFAPreference",
                "admin_set_user_mfa_preference",
                "AdminSetUserMfaPreference",
            ),
            ("ADMIN_NO_SRP_AUTH", "admin_no_srp_auth", "AdminNoSrpAuth"),
            ("InitiateAuth", "initiate_auth", "InitiateAuth"),
            ("SMSMfaSettings", "sms_mfa_settings", "SmsMfaSettings"),
            ("Type", "r#type", "Type"),
            ("Match", "r#match", "Match"),
            ("Self", "self_", "Self_"),
            ("self", "self_", "Self_"),
            ("crate", "crate_", "Crate"),
            ("Super", "super_", "Super"),
            ("1stChoice", "_1st_choice", "_1stChoice"),
            ("2FA", "_2fa", "_2fa"),
            ("email_verified", "email_verified", "EmailVerified"),
            ("phone-number", "phone_number", "PhoneNumber"),
            ("Async", "r#async", "Async"),
            ("", "_unnamed", "_unnamed"),
            // Leading underscores go: `_meta` and `_request_id` stay free for generated fields.
            ("_meta", "meta", "Meta"),
            ("__request_id", "request_id", "RequestId"),
        ];
        for (input, s, c) in cases {
            assert_eq!(snake(input), *s, "snake({input})");
            assert_eq!(camel(input), *c, "camel({input})");
        }
    }
}
