//! The tokens of a signed-in user, their expiry, and their claims decoded for convenience.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use super::secret::Secret;
use crate::types::AuthenticationResultType;

/// The device Cognito created for this sign-in (`NewDeviceMetadata`), before it is confirmed.
/// Neither value is secret: they identify the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDevice {
    /// DeviceKey (`<region>_<uuid>`).
    pub device_key: String,
    /// DeviceGroupKey.
    pub device_group_key: String,
}

/// ID, access and refresh tokens with their expiry. `Debug` shows no token.
#[derive(Clone)]
pub struct Tokens {
    access_token: Secret,
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
    token_type: Option<String>,
    expires_in: Duration,
    received_at: SystemTime,
    new_device: Option<NewDevice>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &self.access_token)
            .field("id_token", &self.id_token)
            .field("refresh_token", &self.refresh_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("received_at", &self.received_at)
            .field("new_device", &self.new_device)
            .finish()
    }
}

impl Tokens {
    /// From Cognito's `AuthenticationResult`. `previous_refresh` is kept when the result has no
    /// refresh token (a refresh normally returns none). `None` without an access token.
    pub(crate) fn from_result(
        result: AuthenticationResultType,
        previous_refresh: Option<&Secret>,
    ) -> Option<Self> {
        let access_token = Secret::new(result.access_token?);
        let received_at = SystemTime::now();
        let expires_in = match result.expires_in {
            Some(secs) => Duration::from_secs(u64::try_from(secs).unwrap_or(0)),
            // no ExpiresIn: fall back to the access token's own exp claim
            None => unverified_claims(access_token.expose())
                .and_then(|c| c.expires_at())
                .and_then(|exp| exp.duration_since(received_at).ok())
                .unwrap_or(Duration::ZERO),
        };
        Some(Tokens {
            access_token,
            id_token: result.id_token.map(Secret::new),
            refresh_token: result
                .refresh_token
                .filter(|t| !t.is_empty())
                .map(Secret::new)
                .or_else(|| previous_refresh.cloned()),
            token_type: result.token_type,
            expires_in,
            received_at,
            new_device: result.new_device_metadata.and_then(|m| {
                Some(NewDevice {
                    device_key: m.device_key?,
                    device_group_key: m.device_group_key?,
                })
            }),
        })
    }

    /// From a token endpoint response (OAuth): `expires_in` missing means the access token's
    /// own `exp` claim decides.
    pub(crate) fn from_oauth(
        access_token: Secret,
        id_token: Option<Secret>,
        refresh_token: Option<Secret>,
        token_type: Option<String>,
        expires_in: Option<u64>,
    ) -> Self {
        let received_at = SystemTime::now();
        let expires_in = match expires_in {
            Some(secs) => Duration::from_secs(secs),
            None => unverified_claims(access_token.expose())
                .and_then(|c| c.expires_at())
                .and_then(|exp| exp.duration_since(received_at).ok())
                .unwrap_or(Duration::ZERO),
        };
        Tokens {
            access_token,
            id_token,
            refresh_token,
            token_type,
            expires_in,
            received_at,
            new_device: None,
        }
    }

    /// The access token (for GetUser, ChangePassword, ConfirmDevice, your API…).
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }
    /// The ID token, if the flow issued one.
    pub fn id_token(&self) -> Option<&Secret> {
        self.id_token.as_ref()
    }
    /// The refresh token: the new one, or the one used to refresh when Cognito returned none.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }
    /// `Bearer`, normally.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }
    /// Lifetime of the access and ID tokens as issued (`ExpiresIn`).
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }
    /// When the tokens were received.
    pub fn received_at(&self) -> SystemTime {
        self.received_at
    }
    /// When the access and ID tokens expire, by the local clock.
    pub fn expires_at(&self) -> SystemTime {
        self.received_at + self.expires_in
    }
    /// True when the tokens expire within `margin` from now (or have expired): refresh then.
    pub fn needs_refresh(&self, margin: Duration) -> bool {
        SystemTime::now() + margin >= self.expires_at()
    }
    /// True once the access token has expired.
    pub fn is_expired(&self) -> bool {
        self.needs_refresh(Duration::ZERO)
    }
    /// The device Cognito created at this sign-in (device tracking on), to confirm with
    /// [`Authenticator::confirm_device`](super::Authenticator::confirm_device).
    pub fn new_device(&self) -> Option<&NewDevice> {
        self.new_device.as_ref()
    }

    /// The access token's claims, decoded **without verifying the signature**. For display and
    /// routing decisions only; a server must verify tokens against the pool's JWKS.
    pub fn access_claims_unverified(&self) -> Option<UnverifiedClaims> {
        unverified_claims(self.access_token.expose())
    }
    /// The ID token's claims, decoded **without verifying the signature**.
    pub fn id_claims_unverified(&self) -> Option<UnverifiedClaims> {
        self.id_token
            .as_ref()
            .and_then(|t| unverified_claims(t.expose()))
    }

    /// The user's internal username (`username` in the access token, else `cognito:username`
    /// in the ID token): the name SECRET_HASH must use on refresh. Taken from unverified
    /// claims.
    pub fn username(&self) -> Option<String> {
        self.access_claims_unverified()
            .and_then(|c| c.get_str("username").map(str::to_owned))
            .or_else(|| {
                self.id_claims_unverified()
                    .and_then(|c| c.get_str("cognito:username").map(str::to_owned))
            })
    }
}

/// A JWT payload decoded **without any signature check**. Anyone can forge these values; use
/// them for convenience only (showing who signed in, when the token expires).
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedClaims(serde_json::Map<String, serde_json::Value>);

impl UnverifiedClaims {
    /// A claim.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.0.get(name)
    }
    /// A string claim.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.as_str())
    }
    /// `sub`: the user's immutable id.
    pub fn subject(&self) -> Option<&str> {
        self.get_str("sub")
    }
    /// `exp` as a time.
    pub fn expires_at(&self) -> Option<SystemTime> {
        let exp = self.0.get("exp")?.as_u64()?;
        UNIX_EPOCH.checked_add(Duration::from_secs(exp))
    }
    /// Every claim.
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0
    }
}

/// Decodes the middle part of a JWT. `None` if it is not one.
pub fn unverified_claims(jwt: &str) -> Option<UnverifiedClaims> {
    let mut parts = jwt.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    let payload = payload.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
        .ok()
        .map(UnverifiedClaims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            e.encode(br#"{"alg":"RS256"}"#),
            e.encode(claims.as_bytes())
        )
    }

    #[test]
    fn tokens_from_a_result() {
        let access = jwt(r#"{"sub":"s-1","username":"u-internal","exp":4102444800}"#);
        let id = jwt(r#"{"sub":"s-1","cognito:username":"u-internal","email":"a@b.c"}"#);
        let result = AuthenticationResultType::builder()
            .access_token(access)
            .id_token(id)
            .expires_in(3600)
            .token_type("Bearer")
            .build()
            .unwrap();
        let old = Secret::new("old-refresh");
        let t = Tokens::from_result(result, Some(&old)).unwrap();
        assert_eq!(t.refresh_token().unwrap().expose(), "old-refresh");
        assert_eq!(t.expires_in(), Duration::from_secs(3600));
        assert!(!t.needs_refresh(Duration::from_secs(60)));
        assert!(t.needs_refresh(Duration::from_secs(3601)));
        assert_eq!(t.username().as_deref(), Some("u-internal"));
        assert_eq!(
            t.id_claims_unverified().unwrap().get_str("email"),
            Some("a@b.c")
        );
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("eyJ"), "{dbg}");
        assert!(!dbg.contains("old-refresh"), "{dbg}");
    }

    #[test]
    fn not_a_jwt() {
        assert!(unverified_claims("abc").is_none());
        assert!(unverified_claims("a.%%%.c").is_none());
        assert!(unverified_claims("").is_none());
    }
}
