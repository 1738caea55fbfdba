//! Rustdoc written from the model's facts (required, default, constraints, enum values,
//! sensitivity, deprecation, which operations use a type), after the model's own documentation
//! when it has any. AWS's prose is never needed: every generated item gets a true sentence.

use crate::ir::{Constraints, ErrorInfo, Field, Operation, Struct, Type};

/// How many operation names a "used by" line lists before it counts the rest.
const LISTED_OPERATIONS: usize = 6;

/// The model's docs (if any), a blank line, then the facts.
pub(super) fn join(model_docs: &str, facts: &str) -> String {
    match (model_docs.trim().is_empty(), facts.is_empty()) {
        (true, _) => facts.to_owned(),
        (false, true) => model_docs.to_owned(),
        (false, false) => format!("{model_docs}\n\n{facts}"),
    }
}

/// `` `A`, `B` and 3 more operations `` (names are the model's operation names).
fn operations(names: &[String]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(LISTED_OPERATIONS)
        .map(|n| format!("`{n}`"))
        .collect();
    let rest = names.len().saturating_sub(LISTED_OPERATIONS);
    match (shown.len(), rest) {
        (1, _) => format!("{} operation", shown[0]),
        (_, 0) => {
            let (last, init) = shown.split_last().expect("at least two names");
            format!("{} and {last} operations", init.join(", "))
        }
        _ => format!("{} and {rest} more operations", shown.join(", ")),
    }
}

/// "Used by ..." for a type, or nothing when no chosen operation reaches it.
pub(super) fn used_by(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("Used by the {}.", operations(names))
    }
}

/// An enum's values (all of them: they are the facts a caller needs) and who uses it.
pub(super) fn enumeration(kind: &str, docs: &str, values: &[String], users: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|v| code(v)).collect();
    let facts = format!(
        "{kind} enum of the model: {}, or `Unknown` for a value this version does not know. {}",
        values.join(", "),
        used_by(users)
    );
    join(docs, facts.trim_end())
}

/// A code span that survives backticks inside the text.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn bounds<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>, unit: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}{unit}"),
        (Some(a), None) => format!("at least {a}{unit}"),
        (None, Some(b)) => format!("at most {b}{unit}"),
        (None, None) => format!("any{unit}"),
    }
}

fn length_unit(ty: &Type) -> &'static str {
    match ty {
        Type::String => " characters",
        Type::Blob => " bytes",
        Type::List { .. } => " items",
        Type::Map { .. } => " entries",
        _ => "",
    }
}

fn constraints(ty: &Type, c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((min, max)) = &c.length {
        out.push(format!("Length: {}.", bounds(min, max, length_unit(ty))));
    }
    if let Some((min, max)) = &c.range {
        out.push(format!("Range: {}.", bounds(min, max, "")));
    }
    match (&c.pattern, &c.pattern_unchecked) {
        (Some(p), None) => out.push(format!("Pattern: {}.", code(p))),
        (Some(p), Some(why)) => out.push(format!(
            "Pattern: {} (not checked before sending: {why}; the service checks it).",
            code(p)
        )),
        (None, _) => {}
    }
    out
}

/// The facts about a structure member (also used for its builder and fluent setters).
pub(super) fn field(f: &Field) -> String {
    let mut out = vec![format!("`{}`:", f.wire_name)];
    let plain = crate::names::snake(&f.wire_name);
    if plain != f.name {
        out.push(format!(
            "(field `{}`: `{}` is a method of the builders)",
            crate::names::bare(&f.name),
            crate::names::bare(&plain)
        ));
    }
    out.push(if f.required {
        "required.".to_owned()
    } else if f.default {
        "always present (defaults to zero).".to_owned()
    } else {
        "optional.".to_owned()
    });
    if let Some(d) = &f.default_value {
        out.push(format!("Default: {}.", code(d)));
    }
    out.extend(constraints(&f.ty, &f.constraints));
    if f.idempotency_token {
        out.push("Filled with a fresh idempotency token when not set.".to_owned());
    }
    if f.sensitive {
        out.push("Sensitive: redacted in `Debug`.".to_owned());
    }
    if f.deprecated.is_some() {
        out.push("Deprecated in the model.".to_owned());
    }
    join(&f.docs, &out.join(" "))
}

/// The facts about a structure: what it is for and who uses it.
pub(super) fn structure(s: &Struct) -> String {
    let mut out = Vec::new();
    if !s.input_of.is_empty() {
        out.push(format!("The input of the {}.", operations(&s.input_of)));
    }
    if !s.output_of.is_empty() {
        out.push(format!(
            "The output of the {}; `request_id()` gives the call's request id.",
            operations(&s.output_of)
        ));
    }
    if s.input_of.is_empty() && s.output_of.is_empty() {
        out.push(format!("The model's structure `{}`.", short(&s.shape_id)));
        out.push(used_by(&s.used_by));
    }
    if s.sensitive {
        out.push("Sensitive: `Debug` prints only a redaction marker.".to_owned());
    }
    if s.deprecated.is_some() {
        out.push("Deprecated in the model.".to_owned());
    }
    join(&s.docs, out.join(" ").trim())
}

/// The facts about a modeled error.
pub(super) fn error(s: &Struct, info: &ErrorInfo) -> String {
    let who = if info.fault == "client" {
        "a client error (the request was wrong)"
    } else {
        "a server error"
    };
    let mut out = vec![format!("The modeled error `{}`: {who}", info.code)];
    if let Some(status) = info.http_status {
        out[0].push_str(&format!(", HTTP {status}"));
    }
    out[0].push('.');
    if info.retryable {
        out.push("Retryable: the client retries it.".to_owned());
    }
    let ops = used_by(&s.used_by).replacen("Used by", "Returned by", 1);
    out.push(ops);
    join(&s.docs, out.join(" ").trim())
}

/// The facts about an operation's client method.
pub(super) fn operation(op: &Operation) -> String {
    let mut out = vec![format!(
        "Calls `{}`: set the input's members on the returned builder, then `send().await`.",
        op.wire_name
    )];
    out.push(if op.auth_none {
        "Sent without AWS credentials (the model marks it unsigned).".to_owned()
    } else {
        "Signed with SigV4 (needs AWS credentials).".to_owned()
    });
    if op.paginated.is_some() {
        out.push(
            "Paginated: `into_paginator()` on the builder pages through the results.".to_owned(),
        );
    }
    out.push(format!(
        "Input, output and errors: `operation::{}::{{{t}Input, {t}Output, {t}Error}}` ({} modeled \
         errors).",
        op.module,
        op.errors.len(),
        t = op.type_name,
    ));
    if op.deprecated.is_some() {
        out.push("Deprecated in the model.".to_owned());
    }
    join(&op.docs, &out.join(" "))
}

fn short(shape_id: &str) -> &str {
    shape_id.rsplit_once('#').map_or(shape_id, |(_, n)| n)
}

/// For the client's docs: the operations left out of "all operations", each with why.
pub(super) fn omitted_operations(omitted: &[(String, String)]) -> String {
    if omitted.is_empty() {
        return String::new();
    }
    let items: Vec<String> = omitted
        .iter()
        .map(|(name, why)| format!("- `{name}`: {why}"))
        .collect();
    format!(
        "\n\nNot generated (naming one in `operations = [..]` is a compile error):\n\n{}",
        items.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_lists_are_counted_past_six() {
        let names = |n: usize| (0..n).map(|i| format!("Op{i}")).collect::<Vec<_>>();
        assert_eq!(used_by(&names(1)), "Used by the `Op0` operation.");
        assert_eq!(
            used_by(&names(2)),
            "Used by the `Op0` and `Op1` operations."
        );
        assert_eq!(
            used_by(&names(8)),
            "Used by the `Op0`, `Op1`, `Op2`, `Op3`, `Op4`, `Op5` and 2 more operations."
        );
        assert_eq!(used_by(&[]), "");
    }

    #[test]
    fn bounds_and_code_spans() {
        let c = Constraints {
            length: Some((Some(1), Some(128))),
            range: Some((None, Some(60.0))),
            pattern: Some("[a`b]+".into()),
            pattern_unchecked: None,
        };
        assert_eq!(
            constraints(&Type::String, &c),
            [
                "Length: 1 to 128 characters.",
                "Range: at most 60.",
                "Pattern: `` [a`b]+ ``."
            ]
        );
        let lookahead = Constraints {
            pattern: Some("^(?!aws:).*$".into()),
            pattern_unchecked: Some("lookahead".into()),
            ..Constraints::default()
        };
        assert_eq!(
            constraints(&Type::String, &lookahead),
            ["Pattern: `^(?!aws:).*$` (not checked before sending: lookahead; the service checks it)."]
        );
    }
}
