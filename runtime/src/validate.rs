//! Validation of inputs against the model's constraint traits, before anything is sent.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use awsjson_pattern::Pattern;

#[cfg(test)]
mod against_regex;

/// Implemented by generated input types: call the [`Validator`] for each constrained member.
pub trait Validate {
    /// Report every constraint problem of `self` to `v`.
    fn validate(&self, v: &mut Validator);
}

/// Which of the model's constraints a member broke, with the model's numbers (never the value).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ValidationRule {
    /// `@required`: the member is not set.
    Required,
    /// `@length`: characters for strings, bytes for blobs, entries for lists and maps.
    Length {
        /// The length found.
        actual: usize,
        /// The model's minimum, if any.
        min: Option<u64>,
        /// The model's maximum, if any.
        max: Option<u64>,
    },
    /// `@range`: the number is outside the bounds (or NaN).
    Range {
        /// The model's minimum, if any.
        min: Option<f64>,
        /// The model's maximum, if any.
        max: Option<f64>,
    },
    /// `@pattern`: the string does not match the model's ECMA-262 regular expression.
    Pattern {
        /// The pattern as the model writes it.
        pattern: String,
    },
    /// `@hostLabel`: the value goes into the endpoint's host name and is not a host label (1 to 63
    /// letters, digits and hyphens, starting with a letter or digit).
    HostLabel,
}

impl fmt::Display for ValidationRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationRule::Required => f.write_str("required member is missing"),
            ValidationRule::Length { actual, min, max } => {
                write!(f, "length {actual} is outside {}", bounds(*min, *max))
            }
            ValidationRule::Range { min, max } => {
                write!(f, "value is outside the range {}", bounds(*min, *max))
            }
            ValidationRule::Pattern { pattern } => {
                write!(f, "value does not match the pattern {pattern}")
            }
            ValidationRule::HostLabel => f.write_str(
                "value is not a host label (1-63 letters, digits or hyphens, not starting with a hyphen)",
            ),
        }
    }
}

/// One broken constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationProblem {
    /// The member's path of wire names (`UserContextData.EncodedData`, `Attributes[0].Name`).
    pub member: String,
    /// The rule and what was expected (never the value itself).
    pub rule: ValidationRule,
}

/// Every problem found in one input, before anything was sent. `Display` names each member and
/// rule.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationError {
    problems: Vec<ValidationProblem>,
}

impl ValidationError {
    /// The problems, in member order.
    pub fn problems(&self) -> &[ValidationProblem] {
        &self.problems
    }

    /// The first problem's member path (there is always at least one problem).
    pub fn member(&self) -> &str {
        self.problems.first().map_or("", |p| p.member.as_str())
    }

    /// The first problem's rule.
    pub fn rule(&self) -> &ValidationRule {
        static REQUIRED: ValidationRule = ValidationRule::Required;
        self.problems.first().map_or(&REQUIRED, |p| &p.rule)
    }

    pub(crate) fn from_problems(problems: Vec<ValidationProblem>) -> Self {
        debug_assert!(!problems.is_empty());
        ValidationError { problems }
    }

    pub(crate) fn missing_member(member: &str) -> Self {
        ValidationError {
            problems: vec![ValidationProblem {
                member: member.to_string(),
                rule: ValidationRule::Required,
            }],
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} validation problem(s): ", self.problems.len())?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", p.member, p.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects constraint problems. Generated `Validate` impls call it with wire names and the
/// model's numbers; it never records member values.
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<String>,
    problems: Vec<ValidationProblem>,
}

impl Validator {
    /// An empty validator.
    pub fn new() -> Self {
        Validator::default()
    }

    /// Validate `value` and return the collected problems, if any.
    pub fn check<T: Validate + ?Sized>(value: &T) -> Result<(), ValidationError> {
        let mut v = Validator::new();
        value.validate(&mut v);
        v.finish()
    }

    /// `Ok` if no problem was found.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                problems: self.problems,
            })
        }
    }

    fn push(&mut self, member: &str, rule: ValidationRule) {
        let mut path = String::new();
        for part in &self.path {
            if !path.is_empty() && !part.starts_with('[') {
                path.push('.');
            }
            path.push_str(part);
        }
        if !member.is_empty() {
            if !path.is_empty() && !member.starts_with('[') {
                path.push('.');
            }
            path.push_str(member);
        }
        self.problems.push(ValidationProblem { member: path, rule });
    }

    /// `@required`: `present` is whether the member is set.
    pub fn required(&mut self, member: &str, present: bool) {
        if !present {
            self.push(member, ValidationRule::Required);
        }
    }

    /// `@length`: `len` is characters for strings (Unicode scalar values, `s.chars().count()`),
    /// bytes for blobs, entries for lists and maps.
    pub fn length(&mut self, member: &str, len: usize, min: Option<u64>, max: Option<u64>) {
        let len64 = len as u64;
        if min.is_some_and(|m| len64 < m) || max.is_some_and(|m| len64 > m) {
            self.push(
                member,
                ValidationRule::Length {
                    actual: len,
                    min,
                    max,
                },
            );
        }
    }

    /// `@range` on any number (as `f64`).
    pub fn range(&mut self, member: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        if value.is_nan() || min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            self.push(member, ValidationRule::Range { min, max });
        }
    }

    /// `@pattern` (ECMA-262 regular expression, search semantics), the model's pattern held in
    /// a `static` (compiled once, on first use).
    pub fn pattern(&mut self, member: &str, value: &str, pattern: &StaticPattern) {
        let Some(compiled) = pattern.compiled() else {
            return;
        };
        if !compiled.is_match(value) {
            self.push(
                member,
                ValidationRule::Pattern {
                    pattern: pattern.source.to_string(),
                },
            );
        }
    }

    /// Validate a nested structure, list, map or option under `member`.
    pub fn nested<T: Validate + ?Sized>(&mut self, member: &str, value: &T) {
        self.path.push(member.to_string());
        value.validate(self);
        self.path.pop();
    }
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("[{a}, {b}]"),
        (Some(a), None) => format!("[{a}, ..]"),
        (None, Some(b)) => format!("[.., {b}]"),
        (None, None) => "[.., ..]".into(),
    }
}

/// A model's `@pattern` as generated code declares it: one `static` per constrained member,
/// compiled on first use without a lock shared with other patterns (`awsjson-pattern`, the
/// parser the generator already compiled it with while expanding the model, so it compiles).
/// A pattern written by hand that does not compile is not checked; the service still checks it.
pub struct StaticPattern {
    source: &'static str,
    compiled: OnceLock<Option<Pattern>>,
}

impl StaticPattern {
    /// The pattern as the model writes it (ECMA-262 syntax).
    pub const fn new(source: &'static str) -> Self {
        StaticPattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the model writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn compiled(&self) -> Option<&Pattern> {
        self.compiled
            .get_or_init(|| Pattern::compile(self.source).ok())
            .as_ref()
    }
}

impl fmt::Debug for StaticPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticPattern").field(&self.source).finish()
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, v: &mut Validator) {
        if let Some(inner) = self {
            inner.validate(v);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, v: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            v.nested(&format!("[{i}]"), item);
        }
    }
}

impl<K: fmt::Display, T: Validate, S> Validate for HashMap<K, T, S> {
    fn validate(&self, v: &mut Validator) {
        for (k, item) in self {
            v.nested(&format!("[{k}]"), item);
        }
    }
}

impl<K: fmt::Display, T: Validate> Validate for BTreeMap<K, T> {
    fn validate(&self, v: &mut Validator) {
        for (k, item) in self {
            v.nested(&format!("[{k}]"), item);
        }
    }
}

macro_rules! no_constraints {
    ($($t:ty),*) => {
        $(impl Validate for $t {
            fn validate(&self, _v: &mut Validator) {}
        })*
    };
}

no_constraints!(
    String,
    str,
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    (),
    serde_json::Value,
    crate::types::Blob,
    crate::types::DateTime,
    crate::types::BigNumber
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_pattern_checks_every_call_with_one_compilation() {
        static NAME: StaticPattern = StaticPattern::new(r"^[\w+]+$");
        for (value, ok) in [("abc_1+", true), ("é", false), ("a b", false), ("x", true)] {
            let mut v = Validator::new();
            v.pattern("Name", value, &NAME);
            let problems = v.finish().err().map(|e| e.problems().to_vec());
            let want = (!ok).then(|| {
                vec![ValidationProblem {
                    member: "Name".into(),
                    rule: ValidationRule::Pattern {
                        pattern: r"^[\w+]+$".into(),
                    },
                }]
            });
            assert_eq!(problems, want, "{value:?}");
        }
        assert_eq!(NAME.source(), r"^[\w+]+$");
        assert!(NAME.compiled.get().is_some_and(Option::is_some));
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_left_to_the_service() {
        static BROKEN: StaticPattern = StaticPattern::new("^[a-z");
        let mut v = Validator::new();
        v.pattern("Name", "anything", &BROKEN);
        assert!(v.finish().is_ok());
    }
}
