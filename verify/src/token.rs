//! The compact JWS parser: three base64url segments (RFC 7515, no padding, canonical), a JSON
//! object header, a JSON object payload, and the signature bytes. Nothing here is verified.
//!
//! The decoding is strict on purpose: one token has exactly one accepted spelling, so caches,
//! revocation lists and rate limits keyed by the token string cannot be sidestepped by
//! re-encoding its signature (padding, other trailing bits, whitespace).

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::claims::Claims;
use crate::error::{Segment, VerifyError};

/// Longest token accepted, in bytes. Cognito's tokens are a few kilobytes; HTTP servers cap
/// header lines below this.
pub const MAX_TOKEN_BYTES: usize = 32 * 1024;

/// The header parameters verification uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `alg`, if present.
    pub alg: Option<String>,
    /// `kid`, if present.
    pub kid: Option<String>,
    /// `crit`, if present: the critical extensions the issuer insists on.
    pub crit: Option<Vec<String>>,
}

/// A token split and decoded, but not verified: claims anyone could have written. Its `Debug`
/// shows the header and claims, never the token's text or signature.
#[derive(Clone)]
pub struct UnverifiedToken<'a> {
    /// The whole token, as given.
    pub(crate) token: &'a str,
    pub(crate) signing_input: &'a str,
    pub(crate) header: Header,
    pub(crate) claims: Claims,
    pub(crate) signature: Vec<u8>,
}

impl UnverifiedToken<'_> {
    /// The header's `alg`, `kid` and `crit`.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The claims, NOT verified.
    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// The signature's length in bytes.
    pub fn signature_len(&self) -> usize {
        self.signature.len()
    }
}

impl fmt::Debug for UnverifiedToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedToken")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field("signature_len", &self.signature.len())
            .finish_non_exhaustive()
    }
}

/// Splits and decodes a token without verifying anything (for routing by `iss`, or display).
/// Errors say which segment is malformed and how.
pub fn decode_unverified(token: &str) -> Result<UnverifiedToken<'_>, VerifyError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(VerifyError::TooLarge {
            len: token.len(),
            max: MAX_TOKEN_BYTES,
        });
    }
    let malformed = |segment, reason| VerifyError::Malformed { segment, reason };
    let (signing_input, signature) = token.rsplit_once('.').ok_or(malformed(
        Segment::Token,
        "not three segments separated by dots",
    ))?;
    let (header, payload) = signing_input.split_once('.').ok_or(malformed(
        Segment::Token,
        "not three segments separated by dots",
    ))?;
    if payload.contains('.') {
        return Err(malformed(Segment::Token, "more than three segments"));
    }
    let header = parse_header(&object(decode(header, Segment::Header)?, Segment::Header)?)?;
    let claims = Claims::from_map(object(
        decode(payload, Segment::Payload)?,
        Segment::Payload,
    )?);
    // An unsecured token (`alg` `none`) has an empty signature: keep it parseable, so the
    // verifier refuses it for its `alg`, the actual reason.
    let signature = match signature {
        "" => Vec::new(),
        s => decode(s, Segment::Signature)?,
    };
    Ok(UnverifiedToken {
        token,
        signing_input,
        header,
        claims,
        signature,
    })
}

/// Strict base64url: the URL-safe alphabet only, no padding, zero trailing bits.
fn decode(segment: &str, which: Segment) -> Result<Vec<u8>, VerifyError> {
    if segment.is_empty() {
        return Err(VerifyError::Malformed {
            segment: which,
            reason: "empty",
        });
    }
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|e| VerifyError::Malformed {
            segment: which,
            reason: match e {
                base64::DecodeError::InvalidByte(_, b'=') | base64::DecodeError::InvalidPadding => {
                    "base64url must not be padded"
                }
                base64::DecodeError::InvalidByte(..) => "not base64url (A-Z a-z 0-9 - _)",
                base64::DecodeError::InvalidLength(_) => "base64url of impossible length",
                base64::DecodeError::InvalidLastSymbol(..) => {
                    "base64url not canonical (nonzero trailing bits)"
                }
            },
        })
}

fn object(bytes: Vec<u8>, which: Segment) -> Result<Map<String, Value>, VerifyError> {
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(VerifyError::Malformed {
            segment: which,
            reason: "not a JSON object",
        }),
        Err(_) => Err(VerifyError::Malformed {
            segment: which,
            reason: "not UTF-8 JSON",
        }),
    }
}

fn parse_header(map: &Map<String, Value>) -> Result<Header, VerifyError> {
    let malformed = |reason| VerifyError::Malformed {
        segment: Segment::Header,
        reason,
    };
    let string = |name: &str, reason| match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(reason)),
    };
    let alg = string("alg", "alg is not a string")?;
    let kid = string("kid", "kid is not a string")?;
    let crit = match map.get("crit") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or(malformed("crit is not a list of strings"))?,
        ),
        Some(_) => return Err(malformed("crit is not a list of strings")),
    };
    Ok(Header { alg, kid, crit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn reason(token: &str) -> (Segment, &'static str) {
        match decode_unverified(token) {
            Err(VerifyError::Malformed { segment, reason }) => (segment, reason),
            other => panic!("{token}: {other:?}"),
        }
    }

    #[test]
    fn splits_and_decodes() {
        let t = format!(
            "{}.{}.{}",
            enc(r#"{"alg":"RS256","kid":"k1"}"#),
            enc(r#"{"sub":"é"}"#),
            enc("sig")
        );
        let u = decode_unverified(&t).unwrap();
        assert_eq!(u.header().alg.as_deref(), Some("RS256"));
        assert_eq!(u.header().kid.as_deref(), Some("k1"));
        assert_eq!(u.claims().get("sub").unwrap(), "é");
        assert_eq!(u.signature, b"sig");
        assert_eq!(u.signing_input, t.rsplit_once('.').unwrap().0);
    }

    #[test]
    fn every_malformation_is_named() {
        let h = enc(r#"{"alg":"RS256","kid":"k"}"#);
        let p = enc(r#"{"a":1}"#);
        let s = enc("signature!");
        use Segment::*;
        assert_eq!(reason("abc").0, Token);
        assert_eq!(reason(&format!("{h}.{p}")).0, Token);
        assert_eq!(
            reason(&format!("{h}.{p}.{s}.x")).1,
            "more than three segments"
        );
        assert_eq!(reason(&format!(".{p}.{s}")), (Header, "empty"));
        assert_eq!(reason(&format!("{h}..{s}")), (Payload, "empty"));
        assert_eq!(
            decode_unverified(&format!("{h}.{p}."))
                .unwrap()
                .signature_len(),
            0
        );
        assert_eq!(
            reason(&format!("{h}.{p}.{s}=")).1,
            "base64url must not be padded"
        );
        assert_eq!(
            reason(&format!("{h}.{p}.{s}\n")).1,
            "not base64url (A-Z a-z 0-9 - _)"
        );
        assert_eq!(
            reason(&format!("{h}.{p}.a+b/")).1,
            "not base64url (A-Z a-z 0-9 - _)"
        );
        assert_eq!(
            reason(&format!("{h}.{p}.A")).1,
            "base64url of impossible length"
        );
        // "signature!" ends in one byte: 2 symbols, the second with 4 unused bits. Flip one.
        let mut odd = s.clone();
        let last = odd.pop().unwrap();
        odd.push(if last == 'Q' { 'R' } else { 'Q' });
        assert_eq!(
            reason(&format!("{h}.{p}.{odd}")).1,
            "base64url not canonical (nonzero trailing bits)"
        );
        assert_eq!(
            reason(&format!("{}.{p}.{s}", enc("[1]"))),
            (Header, "not a JSON object")
        );
        assert_eq!(
            reason(&format!("{}.{p}.{s}", enc("{"))),
            (Header, "not UTF-8 JSON")
        );
        assert_eq!(
            reason(&format!("{h}.{}.{s}", URL_SAFE_NO_PAD.encode([0xff, 0xfe]))),
            (Payload, "not UTF-8 JSON")
        );
        assert_eq!(
            reason(&format!("{}.{p}.{s}", enc(r#"{"alg":1}"#))).1,
            "alg is not a string"
        );
        assert_eq!(
            reason(&format!("{}.{p}.{s}", enc(r#"{"kid":null}"#))).1,
            "kid is not a string"
        );
        assert_eq!(
            reason(&format!("{}.{p}.{s}", enc(r#"{"crit":"b64"}"#))).1,
            "crit is not a list of strings"
        );
        let big = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(matches!(
            decode_unverified(&big),
            Err(VerifyError::TooLarge { .. })
        ));
    }

    #[test]
    fn debug_shows_neither_token_text_nor_signature() {
        let sig = enc("a signature of some length");
        let t = format!(
            "{}.{}.{sig}",
            enc(r#"{"alg":"RS256","kid":"k1"}"#),
            enc(r#"{"sub":"abc"}"#)
        );
        let debug = format!("{:?}", decode_unverified(&t).unwrap());
        for part in t.split('.') {
            assert!(!debug.contains(part), "{debug}");
        }
        assert!(debug.contains("signature_len: 26"), "{debug}");
        assert!(debug.contains("\"sub\""), "{debug}");
    }
}
