//! `smithy.waiters#waitable`: poll an operation until the model's acceptors say success or
//! failure, with the spec's jittered exponential delay between `minDelay` and `maxDelay`, never
//! past the caller's maximum wait.
//!
//! Acceptor paths are a JMESPath subset: fields (`a.b`, `"quoted"`), list projections (`a[].b`,
//! `a[*].b`), indexes (`a[0]`, `a[-1]`). The generator only emits waiters whose paths parse
//! ([`Path::parse`] is the same grammar).

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use crate::error::OperationError;

/// One waiter of the model, as a `static`.
#[derive(Debug)]
pub struct WaiterMeta {
    /// The waiter's name in the model (`StreamExists`).
    pub name: &'static str,
    /// `minDelay` in seconds (default 2).
    pub min_delay_secs: u64,
    /// `maxDelay` in seconds (default 120).
    pub max_delay_secs: u64,
    /// The acceptors, in the model's order (the first that matches decides).
    pub acceptors: &'static [Acceptor],
}

/// What an acceptor decides when it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The waiter is done: return the output.
    Success,
    /// The resource will never reach the state: stop with an error.
    Failure,
    /// Poll again.
    Retry,
}

/// An acceptor: a matcher and what a match means.
#[derive(Debug)]
pub struct Acceptor {
    /// What a match decides.
    pub state: AcceptorState,
    /// When it matches.
    pub matcher: Matcher,
}

/// When an acceptor matches.
#[derive(Debug)]
pub enum Matcher {
    /// The path, over the output of a successful call, compares to `expected`.
    Output {
        /// JMESPath over the output.
        path: &'static str,
        /// The expected value (a string, or `true`/`false` for `booleanEquals`).
        expected: &'static str,
        /// How to compare.
        comparator: Comparator,
    },
    /// The path, over `{"input": .., "output": ..}` of a successful call, compares to `expected`.
    InputOutput {
        /// JMESPath over `{"input", "output"}`.
        path: &'static str,
        /// The expected value.
        expected: &'static str,
        /// How to compare.
        comparator: Comparator,
    },
    /// `true`: the call succeeded; `false`: it failed with any error.
    Success(bool),
    /// The call failed with this error (shape name, or absolute shape id).
    ErrorType(&'static str),
}

/// `PathMatcher` comparators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// The result is a string equal to the expected one.
    StringEquals,
    /// The result is a boolean equal to the expected one.
    BooleanEquals,
    /// The result is a non-empty list whose items all equal the expected string.
    AllStringEquals,
    /// The result is a list with at least one item equal to the expected string.
    AnyStringEquals,
}

/// Why a waiter stopped without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The maximum wait is shorter than the waiter's minimum delay (nothing was sent).
    InvalidMaxWait {
        /// What was asked.
        max_wait: Duration,
        /// The waiter's `minDelay`.
        min_delay: Duration,
    },
    /// A `failure` acceptor matched: the resource will not reach the wanted state.
    FailureState {
        /// The waiter.
        waiter: &'static str,
        /// The response that matched it.
        last: Result<O, E>,
    },
    /// The call failed with an error no acceptor matched.
    Operation(E),
    /// The maximum wait ran out.
    Timeout {
        /// The waiter.
        waiter: &'static str,
        /// Calls made.
        attempts: u32,
        /// How long it waited.
        elapsed: Duration,
    },
    /// An acceptor's path could not be evaluated (a generator bug; names the waiter and path).
    Path {
        /// The waiter.
        waiter: &'static str,
        /// The problem.
        detail: String,
    },
}

impl<O: fmt::Debug, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::InvalidMaxWait {
                max_wait,
                min_delay,
            } => write!(
                f,
                "the maximum wait {max_wait:?} is shorter than the waiter's minimum delay {min_delay:?}"
            ),
            WaiterError::FailureState { waiter, last } => match last {
                Ok(_) => write!(f, "waiter {waiter}: the output reached a failure state"),
                Err(e) => write!(f, "waiter {waiter}: failure state on error: {e}"),
            },
            WaiterError::Operation(e) => fmt::Display::fmt(e, f),
            WaiterError::Timeout {
                waiter,
                attempts,
                elapsed,
            } => write!(
                f,
                "waiter {waiter} timed out after {attempts} attempts in {elapsed:?}"
            ),
            WaiterError::Path { waiter, detail } => write!(f, "waiter {waiter}: {detail}"),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Operation(e) => Some(e),
            WaiterError::FailureState { last: Err(e), .. } => Some(e),
            _ => None,
        }
    }
}

/// Poll `call` with clones of `input` until an acceptor decides, or `max_wait` runs out.
pub async fn wait<I, O, E, F, Fut>(
    waiter: &'static WaiterMeta,
    input: I,
    max_wait: Duration,
    mut call: F,
) -> Result<O, WaiterError<O, E>>
where
    I: Serialize + Clone,
    O: Serialize,
    E: OperationError,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let min_delay = Duration::from_secs(waiter.min_delay_secs);
    let max_delay = Duration::from_secs(waiter.max_delay_secs.max(waiter.min_delay_secs));
    if max_wait < min_delay {
        return Err(WaiterError::InvalidMaxWait {
            max_wait,
            min_delay,
        });
    }
    let started = Instant::now();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let result = call(input.clone()).await;
        let state = decide(waiter, &input, &result).map_err(|detail| WaiterError::Path {
            waiter: waiter.name,
            detail,
        })?;
        match state {
            Some(AcceptorState::Success) => {
                return result.map_err(|e| WaiterError::FailureState {
                    waiter: waiter.name,
                    last: Err(e),
                })
            }
            Some(AcceptorState::Failure) => {
                return Err(WaiterError::FailureState {
                    waiter: waiter.name,
                    last: result,
                })
            }
            Some(AcceptorState::Retry) => {}
            None => {
                if let Err(e) = result {
                    return Err(WaiterError::Operation(e));
                }
            }
        }
        let elapsed = started.elapsed();
        let remaining = max_wait.saturating_sub(elapsed);
        let Some(delay) = next_delay(attempt, min_delay, max_delay, remaining) else {
            return Err(WaiterError::Timeout {
                waiter: waiter.name,
                attempts: attempt,
                elapsed,
            });
        };
        tracing::debug!(
            waiter = waiter.name,
            attempt,
            delay_ms = delay.as_millis() as u64,
            "waiting"
        );
        tokio::time::sleep(delay).await;
    }
}

/// The Smithy waiter delay before attempt `attempt + 1`; `None` once less than `min_delay` is
/// left.
fn next_delay(
    attempt: u32,
    min_delay: Duration,
    max_delay: Duration,
    remaining: Duration,
) -> Option<Duration> {
    if remaining < min_delay || remaining.is_zero() {
        return None;
    }
    let ceiling = min_delay
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(30))
        .min(max_delay);
    let span = ceiling.saturating_sub(min_delay);
    let mut delay = min_delay + span.mul_f64(crate::retry::random_unit());
    if remaining.saturating_sub(delay) <= min_delay {
        delay = remaining.saturating_sub(min_delay);
    }
    Some(delay)
}

/// The state the first matching acceptor decides, `None` if none matches.
fn decide<I: Serialize, O: Serialize, E: OperationError>(
    waiter: &WaiterMeta,
    input: &I,
    result: &Result<O, E>,
) -> Result<Option<AcceptorState>, String> {
    let mut output_json: Option<Value> = None;
    let mut to_json = |v: &O| -> Result<Value, String> {
        if output_json.is_none() {
            output_json = Some(serde_json::to_value(v).map_err(|e| e.to_string())?);
        }
        Ok(output_json.clone().unwrap_or(Value::Null))
    };
    for acceptor in waiter.acceptors {
        let matched = match (&acceptor.matcher, result) {
            (Matcher::Success(want), r) => r.is_ok() == *want,
            (Matcher::ErrorType(name), Err(e)) => e.error_meta().is_some_and(|m| {
                let short = name.rsplit('#').next().unwrap_or(name);
                m.error_type() == short
            }),
            (Matcher::ErrorType(_), Ok(_)) => false,
            (
                Matcher::Output {
                    path,
                    expected,
                    comparator,
                },
                Ok(o),
            ) => compare(
                &Path::parse(path)?.eval(&to_json(o)?),
                expected,
                *comparator,
            ),
            (
                Matcher::InputOutput {
                    path,
                    expected,
                    comparator,
                },
                Ok(o),
            ) => {
                let both = serde_json::json!({
                    "input": serde_json::to_value(input).map_err(|e| e.to_string())?,
                    "output": to_json(o)?,
                });
                compare(&Path::parse(path)?.eval(&both), expected, *comparator)
            }
            (Matcher::Output { .. } | Matcher::InputOutput { .. }, Err(_)) => false,
        };
        if matched {
            return Ok(Some(acceptor.state));
        }
    }
    Ok(None)
}

fn compare(value: &Value, expected: &str, comparator: Comparator) -> bool {
    match comparator {
        Comparator::StringEquals => value.as_str() == Some(expected),
        Comparator::BooleanEquals => {
            value.as_bool().map(|b| b.to_string()).as_deref() == Some(expected)
        }
        Comparator::AllStringEquals => value.as_array().is_some_and(|items| {
            !items.is_empty() && items.iter().all(|v| v.as_str() == Some(expected))
        }),
        Comparator::AnyStringEquals => value
            .as_array()
            .is_some_and(|items| items.iter().any(|v| v.as_str() == Some(expected))),
    }
}

/// A parsed acceptor path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path(Vec<Step>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(i64),
    /// `[]` flattens one level, `[*]` does not; both project the rest of the path over items.
    Project {
        flatten: bool,
    },
}

impl Path {
    /// Parse the supported JMESPath subset; the error names what is not supported.
    pub fn parse(text: &str) -> Result<Path, String> {
        let bad = |why: &str| Err(format!("unsupported waiter path `{text}`: {why}"));
        let b = text.as_bytes();
        let mut i = 0;
        let mut steps = Vec::new();
        let mut expect_field = true;
        while i < b.len() {
            match b[i] {
                b'[' => {
                    let close = match text[i..].find(']') {
                        Some(c) => i + c,
                        None => return bad("`[` without `]`"),
                    };
                    let inner = text[i + 1..close].trim();
                    steps.push(match inner {
                        "" => Step::Project { flatten: true },
                        "*" => Step::Project { flatten: false },
                        n => match n.parse::<i64>() {
                            Ok(n) => Step::Index(n),
                            Err(_) => return bad("only `[]`, `[*]` and `[N]` are supported"),
                        },
                    });
                    i = close + 1;
                    expect_field = false;
                }
                b'.' if !expect_field => {
                    i += 1;
                    expect_field = true;
                }
                b'"' if expect_field => {
                    let end = match text[i + 1..].find('"') {
                        Some(e) => i + 1 + e,
                        None => return bad("unterminated quoted field"),
                    };
                    steps.push(Step::Field(text[i + 1..end].to_string()));
                    i = end + 1;
                    expect_field = false;
                }
                c if expect_field && (c.is_ascii_alphabetic() || c == b'_') => {
                    let start = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    steps.push(Step::Field(text[start..i].to_string()));
                    expect_field = false;
                }
                _ => return bad("only fields, `.`, `[]`, `[*]` and `[N]` are supported"),
            }
        }
        if steps.is_empty() || expect_field {
            return bad("the path is empty or ends with `.`");
        }
        Ok(Path(steps))
    }

    /// Evaluate over a JSON value (`null` where a field is missing, as JMESPath does).
    pub fn eval(&self, root: &Value) -> Value {
        eval_steps(&self.0, root)
    }
}

fn eval_steps(steps: &[Step], value: &Value) -> Value {
    let Some((step, rest)) = steps.split_first() else {
        return value.clone();
    };
    match step {
        Step::Field(name) => match value.get(name) {
            Some(v) => eval_steps(rest, v),
            None => Value::Null,
        },
        Step::Index(n) => {
            let Some(items) = value.as_array() else {
                return Value::Null;
            };
            let idx = if *n < 0 { items.len() as i64 + n } else { *n };
            match usize::try_from(idx).ok().and_then(|i| items.get(i)) {
                Some(v) => eval_steps(rest, v),
                None => Value::Null,
            }
        }
        Step::Project { flatten } => {
            let Some(items) = value.as_array() else {
                return Value::Null;
            };
            let mut out = Vec::new();
            for item in items {
                match (flatten, item) {
                    (true, Value::Array(inner)) => out.extend(inner.iter().cloned()),
                    _ => out.push(item.clone()),
                }
            }
            let projected = out
                .iter()
                .map(|v| eval_steps(rest, v))
                .filter(|v| !v.is_null())
                .collect();
            Value::Array(projected)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_of_the_shared_models() {
        let doc = json!({
            "Fleets": [{"State": "RUNNING"}, {"State": "STARTING"}, {}],
            "Certificate": {"DomainValidationOptions": [{"ValidationStatus": "SUCCESS"}], "Status": "ISSUED"},
            "StreamDescription": {"StreamStatus": "ACTIVE"},
            "nested": [[1, 2], [3]],
        });
        let eval = |p: &str| Path::parse(p).unwrap().eval(&doc);
        assert_eq!(eval("Fleets[].State"), json!(["RUNNING", "STARTING"]));
        assert_eq!(eval("Fleets[*].State"), json!(["RUNNING", "STARTING"]));
        assert_eq!(
            eval("Certificate.DomainValidationOptions[].ValidationStatus"),
            json!(["SUCCESS"])
        );
        assert_eq!(eval("StreamDescription.StreamStatus"), json!("ACTIVE"));
        assert_eq!(eval("\"Certificate\".Status"), json!("ISSUED"));
        assert_eq!(eval("Fleets[-2].State"), json!("STARTING"));
        assert_eq!(eval("nested[]"), json!([1, 2, 3]));
        assert_eq!(eval("Missing.Field"), Value::Null);
        for bad in ["", "a.", "length(a)", "a[?b=='c']", "a == `1`", ".a"] {
            assert!(Path::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn comparators() {
        let list = json!(["A", "A"]);
        assert!(compare(&list, "A", Comparator::AllStringEquals));
        assert!(!compare(&json!([]), "A", Comparator::AllStringEquals));
        assert!(compare(
            &json!(["B", "A"]),
            "A",
            Comparator::AnyStringEquals
        ));
        assert!(compare(&json!("A"), "A", Comparator::StringEquals));
        assert!(compare(&json!(true), "true", Comparator::BooleanEquals));
        assert!(!compare(&json!("true"), "true", Comparator::BooleanEquals));
    }

    #[test]
    fn delays_stay_between_min_and_max_and_inside_the_deadline() {
        let (min, max) = (Duration::from_secs(2), Duration::from_secs(120));
        for attempt in 1..40 {
            let d = next_delay(attempt, min, max, Duration::from_secs(10_000)).unwrap();
            assert!(d >= min && d <= max, "{attempt}: {d:?}");
        }
        let d = next_delay(5, min, max, Duration::from_secs(5)).unwrap();
        assert!(d <= Duration::from_secs(3), "{d:?}");
        assert_eq!(next_delay(1, min, max, Duration::from_secs(1)), None);
    }
}
