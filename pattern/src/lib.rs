//! Smithy `@pattern` matching without a regex engine: the ECMA-262 subset AWS models write,
//! compiled to a small NFA and run as a Pike VM (linear in the input, no backtracking).
//!
//! One parser for both sides: the code generator (`awsjson-codegen`) compiles every pattern a
//! model's inputs reach while it expands the model, so an invalid pattern is a compile error
//! naming the member and the character; the runtime (`awsjson-runtime`) compiles the same
//! pattern once, on first use, and matches request members against it. Neither side depends on
//! the other, and this crate depends on nothing.
//!
//! Supported: literals and escapes (`\.`, `\xHH`, `\uHHHH`, `\u{H..}`, `\cX`, `\t`...), `.`,
//! classes `[...]` / `[^...]` with ranges, `\w \W \d \D \s \S` (ASCII `\w`/`\d`, ECMA-262
//! `\s`), `\p{X}` / `\P{X}` for the major general categories L, M, N, P, S, Z (Unicode 15.0
//! tables in `unicode_tables.rs`) and `ASCII`, groups `(...)`, `(?:...)`, `(?<name>...)`, `|`,
//! `? * + {n} {n,} {n,m}` (lazy forms too, counts up to 1000), `^`, `$`, `(?s)`, and a final
//! `(?<!c)$`. Search semantics: the pattern may match anywhere unless anchored.
//!
//! Refused with [`PatternErrorKind::Unsupported`]: valid syntax that needs more than an NFA or
//! reads UTF-16 (lookaround, backreferences, `\b`, other inline flags, lone surrogates, other
//! Unicode properties). Refused with [`PatternErrorKind::Invalid`]: what is no regular
//! expression at all.

mod error;
mod parse;
mod program;
mod unicode_tables;

pub use error::{PatternError, PatternErrorKind};

/// A compiled pattern.
pub struct Pattern {
    program: Vec<program::Inst>,
    must_not_end_with: Option<char>,
}

impl Pattern {
    /// Compile `pattern` (ECMA-262 syntax, the subset in the crate docs).
    pub fn compile(pattern: &str) -> Result<Pattern, PatternError> {
        let parsed = parse::parse(pattern)?;
        Ok(Pattern {
            program: program::compile(&parsed.node),
            must_not_end_with: parsed.must_not_end_with,
        })
    }

    /// Whether `value` contains a match.
    pub fn is_match(&self, value: &str) -> bool {
        if self.must_not_end_with.is_some_and(|c| value.ends_with(c)) {
            return false;
        }
        program::search(&self.program, value)
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pattern")
            .field("instructions", &self.program.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(p: &str) -> Pattern {
        Pattern::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn ecma_translation() {
        let p = compiled(r"^[\w+]+$");
        assert!(p.is_match("abc_1+"));
        assert!(!p.is_match("é"), "\\w is ASCII in ECMA-262");
        let p = compiled(r"^[0-9A-Za-z\.\-_]*(?<!\.)$");
        assert!(p.is_match("a.b"));
        assert!(!p.is_match("ab."));
        let p = compiled(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$");
        assert!(p.is_match("Jürgen"));
        assert!(!p.is_match("a b"));
        let p = compiled(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+$");
        assert!(p.is_match("a b\tc"));
        let p = compiled(r"^[\w-z]+$");
        assert!(p.is_match("a-z_"));
        assert!(!p.is_match("~"));
        let p = compiled(r"^[\S]+$");
        assert!(!p.is_match("a b"));
        let p = compiled(r"^[\x21\x23-\x5B\x5D-\x7E]+$");
        assert!(p.is_match("abc"));
        assert!(!p.is_match("a\"b"));
    }

    #[test]
    fn further_syntax() {
        let p = compiled(r"^\p{ASCII}*$");
        assert!(p.is_match("plain text ~"));
        assert!(!p.is_match("naïve"));
        let p = compiled(r"^[^\P{ASCII}]+$");
        assert!(p.is_match("abc") && !p.is_match("é"));
        let p = compiled(r"^(?<year>\d{4})-\u{1F600}\cJ$");
        assert!(p.is_match("2024-\u{1F600}\n"));
        assert!(!p.is_match("24-\u{1F600}\n"));
        let p = compiled(r"^(?s).+$");
        assert!(p.is_match("a\nb"));
        let p = compiled(r"a{2,3}?b|x{,}");
        assert!(p.is_match("zaab") && p.is_match("x{,}") && !p.is_match("ab"));
    }

    /// Every refusal: the kind, the position (0-based character) and the message.
    #[test]
    fn refusals_name_kind_and_position() {
        use PatternErrorKind::{Invalid, Unsupported};
        let cases: &[(&str, PatternErrorKind, usize, &str)] = &[
            ("^[a-z", Invalid, 1, "`[` without a closing `]`"),
            ("ab(cd", Invalid, 2, "`(` without a closing `)`"),
            ("ab)", Invalid, 2, "`)` without an opening `(`"),
            ("*a", Invalid, 0, "a quantifier with nothing to repeat"),
            ("a|+", Invalid, 2, "a quantifier with nothing to repeat"),
            ("^*", Invalid, 1, "a quantifier after `^` or `$`"),
            ("a{3,1}", Invalid, 1, "a count `{n,m}` with m below n"),
            ("[z-a]", Invalid, 1, "a range `a-b` with b before a"),
            ("ab\\", Invalid, 2, "`\\` at the end of the pattern"),
            ("\\q", Invalid, 0, "an unknown escape"),
            ("x\\xZZ", Invalid, 1, "an escape needs hex digits"),
            ("\\p{L", Invalid, 0, "`\\p{` without a closing `}`"),
            ("\\pL", Invalid, 0, "`\\p` needs a property name in braces"),
            (
                "(?<1",
                Invalid,
                0,
                "a group name must be letters, digits or `_` closed by `>`",
            ),
            ("(?%)", Invalid, 0, "unknown group syntax after `(?`"),
            ("^(?!aws:).*$", Unsupported, 1, "lookahead"),
            (
                "a(?<=b)c",
                Unsupported,
                1,
                "lookbehind (other than one character before a final `$`)",
            ),
            (
                "(a)\\1",
                Unsupported,
                3,
                "a backreference (or octal escape)",
            ),
            ("\\bword", Unsupported, 0, "a word boundary"),
            (
                "^(?i)all$",
                Unsupported,
                1,
                "an inline flag other than `(?s)`",
            ),
            (
                "[\\uD800-\\uDBFF]",
                Unsupported,
                1,
                "a UTF-16 surrogate or a value beyond Unicode (the matcher reads characters)",
            ),
            (
                "\\p{Lu}",
                Unsupported,
                0,
                "a Unicode property other than L, M, N, P, S, Z and ASCII",
            ),
            ("a{1001}", Unsupported, 1, "a count above 1000"),
            (
                "[a-\\d]",
                Unsupported,
                3,
                "a class escape as the end of a range",
            ),
        ];
        for &(pattern, kind, position, message) in cases {
            let e = Pattern::compile(pattern).expect_err(pattern);
            assert_eq!(
                (e.kind(), e.position(), e.message()),
                (kind, position, message),
                "{pattern}"
            );
        }
        let e = Pattern::compile("^[a-z").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid at character 2: `[` without a closing `]`"
        );
    }

    #[test]
    fn literal_braces_follow_annex_b() {
        let p = compiled(r"^\{##[a]*##\}$");
        assert!(p.is_match("{##aa##}"));
        let p = compiled(r"^a{b}$");
        assert!(p.is_match("a{b}"));
    }
}
