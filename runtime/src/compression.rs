//! `smithy.api#requestCompression`: gzip the body of the operations the model marks, when it is
//! at least the configured size, unless the user turned compression off. Without the cargo
//! feature `compression` (default on) every body is sent as it is, which Smithy allows: the
//! trait says a client may compress, and services accept the plain body.

use crate::error::ConfigError;

/// Largest allowed minimum size (10 MiB), as the AWS SDKs' shared configuration defines it.
const MAX_MIN_SIZE: u32 = 10_485_760;

/// Compression settings of a [`crate::Config`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CompressionConfig {
    pub(crate) disabled: bool,
    pub(crate) min_size_bytes: u32,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        CompressionConfig {
            disabled: false,
            min_size_bytes: 10_240,
        }
    }
}

impl CompressionConfig {
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.min_size_bytes > MAX_MIN_SIZE {
            return Err(ConfigError::InvalidCompression(format!(
                "request_min_compression_size_bytes must be at most {MAX_MIN_SIZE}"
            )));
        }
        Ok(())
    }

    /// The body to send and its `Content-Encoding`, for an operation whose model lists
    /// `encodings` (in order of preference; the first one supported wins).
    pub(crate) fn apply(
        &self,
        encodings: &[&str],
        body: Vec<u8>,
    ) -> std::io::Result<(Vec<u8>, Option<&'static str>)> {
        let wants_gzip = encodings.iter().any(|e| e.eq_ignore_ascii_case("gzip"));
        if !cfg!(feature = "compression")
            || self.disabled
            || !wants_gzip
            || body.len() < self.min_size_bytes as usize
        {
            return Ok((body, None));
        }
        Ok((gzip(&body)?, Some("gzip")))
    }
}

/// gzip (RFC 1952) at the default level.
#[cfg(feature = "compression")]
fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2),
        flate2::Compression::default(),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

#[cfg(not(feature = "compression"))]
fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    Ok(body.to_vec())
}

#[cfg(all(test, feature = "compression"))]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn only_marked_operations_above_the_minimum() {
        let cfg = CompressionConfig {
            disabled: false,
            min_size_bytes: 8,
        };
        let (small, enc) = cfg.apply(&["gzip"], b"1234567".to_vec()).unwrap();
        assert_eq!((small.as_slice(), enc), (&b"1234567"[..], None));
        let (plain, enc) = cfg.apply(&[], b"12345678".to_vec()).unwrap();
        assert_eq!((plain.len(), enc), (8, None));
        let (zipped, enc) = cfg.apply(&["br", "gzip"], b"12345678".to_vec()).unwrap();
        assert_eq!(enc, Some("gzip"));
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"12345678");
        let off = CompressionConfig {
            disabled: true,
            ..cfg
        };
        assert_eq!(off.apply(&["gzip"], vec![0; 100]).unwrap().1, None);
        let too_big = CompressionConfig {
            disabled: false,
            min_size_bytes: MAX_MIN_SIZE + 1,
        };
        assert!(too_big.check().is_err());
    }
}
