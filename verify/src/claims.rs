//! The claims of a token, with typed accessors for the ones Cognito sets.

use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::requirements::TokenUse;

/// A token's claims. From [`Verifier`](crate::Verifier) they are verified; from
/// [`decode_unverified`](crate::decode_unverified) they are not.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    map: Map<String, Value>,
}

impl Claims {
    pub(crate) fn from_map(map: Map<String, Value>) -> Self {
        Claims { map }
    }

    /// A claim by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }

    /// A string claim by name (`None` if absent or not a string).
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.map.get(name).and_then(Value::as_str)
    }

    /// All claims.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    /// All claims, owned.
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// The claims as your own type (custom attributes, PreTokenGeneration claims).
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&Value::Object(self.map.clone()))
    }

    /// `sub`: the user's stable id in the pool.
    pub fn sub(&self) -> Option<&str> {
        self.get_str("sub")
    }

    /// `iss`.
    pub fn issuer(&self) -> Option<&str> {
        self.get_str("iss")
    }

    /// `token_use`: [`TokenUse::Access`] or [`TokenUse::Id`].
    pub fn token_use(&self) -> Option<TokenUse> {
        match self.get_str("token_use")? {
            "access" => Some(TokenUse::Access),
            "id" => Some(TokenUse::Id),
            _ => None,
        }
    }

    /// The app client: `client_id` on access tokens, `aud` on ID tokens.
    pub fn client_id(&self) -> Option<&str> {
        match self.token_use()? {
            TokenUse::Id => self.get_str("aud"),
            _ => self.get_str("client_id"),
        }
    }

    /// The username: `username` on access tokens, `cognito:username` on ID tokens.
    pub fn username(&self) -> Option<&str> {
        self.get_str("username")
            .or_else(|| self.get_str("cognito:username"))
    }

    /// `cognito:groups` (empty when absent).
    pub fn groups(&self) -> Vec<&str> {
        match self.get("cognito:groups") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The space-separated `scope` claim, split.
    pub fn scopes(&self) -> Vec<&str> {
        self.get_str("scope")
            .map(|s| s.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }

    /// `exp` as a time.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.time("exp")
    }

    /// `iat` as a time.
    pub fn issued_at(&self) -> Option<SystemTime> {
        self.time("iat")
    }

    /// `auth_time` as a time.
    pub fn auth_time(&self) -> Option<SystemTime> {
        self.time("auth_time")
    }

    fn time(&self, name: &str) -> Option<SystemTime> {
        let secs = self.get(name)?.as_f64()?;
        if !(0.0..=1e13).contains(&secs) {
            return None;
        }
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Claims {
        match v {
            Value::Object(m) => Claims::from_map(m),
            _ => unreachable!(),
        }
    }

    #[test]
    fn typed_accessors() {
        let access = claims(json!({
            "sub": "s", "token_use": "access", "client_id": "c", "aud": "ignored",
            "username": "alice", "cognito:groups": ["a", 1, "b"], "scope": "x  y",
            "exp": 1700000000, "iat": 1.5, "iss": "i"
        }));
        assert_eq!(access.token_use(), Some(TokenUse::Access));
        assert_eq!(access.client_id(), Some("c"));
        assert_eq!(access.username(), Some("alice"));
        assert_eq!(access.groups(), ["a", "b"]);
        assert_eq!(access.scopes(), ["x", "y"]);
        assert_eq!(
            access.expires_at(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(
            access.issued_at(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1500))
        );
        let id =
            claims(json!({"token_use": "id", "aud": "c", "cognito:username": "bob", "exp": -1}));
        assert_eq!(id.client_id(), Some("c"));
        assert_eq!(id.username(), Some("bob"));
        assert_eq!(id.expires_at(), None);
        assert!(id.groups().is_empty() && id.scopes().is_empty());

        #[derive(serde::Deserialize)]
        struct Mine {
            #[serde(rename = "cognito:username")]
            name: String,
        }
        assert_eq!(id.deserialize::<Mine>().unwrap().name, "bob");
    }
}
