//! Page tokens of the list operations: the last id of a page, opaque to the caller.

use crate::error::{ApiError, ApiResult};

/// A page token: the last id of the page, base64url (opaque to the caller).
pub(crate) fn page_token(last: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last)
}

/// The id a page token names (None: the first page).
pub(crate) fn after_token(token: Option<&str>) -> ApiResult<Option<String>> {
    use base64::Engine;
    match token {
        None => Ok(None),
        Some(t) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter("Invalid pagination token")),
    }
}
