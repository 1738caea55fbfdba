//! Why a pattern does not compile, and where.

use std::fmt;

/// A pattern the matcher cannot compile: where (a character position) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    position: usize,
    kind: PatternErrorKind,
    message: &'static str,
}

/// Whether the pattern is wrong or only beyond this matcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternErrorKind {
    /// Not a regular expression: an unclosed `[` or `(`, a quantifier with nothing to repeat, a
    /// range out of order, an unknown escape.
    Invalid,
    /// A regular expression the services accept, but with syntax this linear-time matcher does
    /// not implement (lookaround, backreferences, inline flags other than `(?s)`, surrogate
    /// escapes, Unicode properties other than the major categories and `ASCII`, counts above
    /// the limit).
    Unsupported,
}

impl PatternError {
    pub(crate) fn new(position: usize, kind: PatternErrorKind, message: &'static str) -> Self {
        PatternError {
            position,
            kind,
            message,
        }
    }

    /// The position of the offending syntax, in characters from the start (0-based).
    pub fn position(&self) -> usize {
        self.position
    }

    /// Whether the pattern is invalid or only unsupported here.
    pub fn kind(&self) -> PatternErrorKind {
        self.kind
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            PatternErrorKind::Invalid => "invalid",
            PatternErrorKind::Unsupported => "unsupported",
        };
        write!(
            f,
            "{what} at character {}: {}",
            self.position + 1,
            self.message
        )
    }
}

impl std::error::Error for PatternError {}
