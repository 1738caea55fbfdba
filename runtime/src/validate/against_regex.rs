//! The pattern matcher against the regex crate (the engine the runtime used before, kept as
//! a dev-dependency only): every pattern of the project's model, on a few thousand generated
//! strings each, must give the same answer under both.
//!
//! Known, deliberate differences are kept out of the generated strings: `\s` is ECMA-262's
//! (U+FEFF yes, U+0085 no) where the regex crate's is Unicode White_Space, and the category
//! tables are Unicode 15.0 where the regex crate has a newer version (characters assigned
//! since are not generated).

use regex::Regex;

use crate::xorshift::XorShift;
use awsjson_pattern::Pattern;

/// The runtime's former translation of the ECMA-262 subset into the regex crate's syntax: `\w` and `\d`
/// are ASCII in ECMA-262 (Unicode in the regex crate), and a trailing `(?<!c)$` lookbehind
/// becomes a separate check.
fn reference(pattern: &str) -> Option<(Regex, Option<char>)> {
    let mut source = pattern;
    let mut must_not_end_with = None;
    if let Some(before) = source.strip_suffix("$") {
        if let Some(i) = before.rfind("(?<!") {
            let inner = &before[i + 4..];
            if let Some(inner) = inner.strip_suffix(')') {
                let c = match inner.strip_prefix('\\') {
                    Some(esc) if esc.chars().count() == 1 => esc.chars().next(),
                    None if inner.chars().count() == 1 => inner.chars().next(),
                    _ => None,
                };
                if let Some(c) = c {
                    must_not_end_with = Some(c);
                    source = &pattern[..i];
                }
            }
        }
    }
    let mut out = String::with_capacity(source.len() + 16);
    let mut in_class = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                match (next, in_class) {
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                    ('D', false) => out.push_str("[^0-9]"),
                    _ => {
                        out.push('\\');
                        out.push(next);
                        continue;
                    }
                }
                // `[\w-z]` is `\w`, `-`, `z` in ECMA-262, not a range after the expansion.
                if in_class && chars.peek() == Some(&'-') {
                    chars.next();
                    out.push_str("\\-");
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            '[' if in_class => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    if must_not_end_with.is_some() {
        out.push('$');
    }
    Some((Regex::new(&out).ok()?, must_not_end_with))
}

fn reference_match((regex, must_not_end_with): &(Regex, Option<char>), value: &str) -> bool {
    !must_not_end_with.is_some_and(|c| value.ends_with(c)) && regex.is_match(value)
}

/// Every `@pattern` of the project's model, shapes and members.
fn model_patterns() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../model/cognito-identity-provider.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the project's model {path}: {e}"));
    let model: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut patterns = Vec::new();
    for shape in model["shapes"].as_object().unwrap().values() {
        let members = shape["members"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values());
        for traits in std::iter::once(&shape["traits"]).chain(members.map(|m| &m["traits"])) {
            if let Some(p) = traits["smithy.api#pattern"].as_str() {
                if !patterns.iter().any(|q| q == p) {
                    patterns.push(p.to_string());
                }
            }
        }
    }
    patterns
}

/// Pieces the generated strings are made of: ASCII, whitespace, letters, marks, numbers,
/// punctuation, symbols and separators beyond ASCII, and the tokens the model's patterns name.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "_",
    "-",
    ".",
    "+",
    "=",
    "/",
    ",",
    "@",
    ":",
    "!",
    "\"",
    "#",
    "\\",
    "]",
    "[",
    "~",
    "*",
    "{",
    "}",
    " ",
    "\t",
    "\n",
    "\r",
    "\u{b}",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}",
    "é",
    "ß",
    "中",
    "ア",
    "\u{301}",
    "٣",
    "Ⅻ",
    "½",
    "«",
    "¿",
    "、",
    "€",
    "©",
    "✓",
    "😀",
    "\u{2029}",
    "\u{200b}",
    "\u{7f}",
    "\u{1}",
    "{####}",
    "{##",
    "##}",
    "arn:",
    "aws",
    "cognito:",
    "english",
    "chinese-",
    "simplified",
    "terms-of-use",
    "import-",
    "us-east-1_",
    "4",
    "8",
    "b",
    "f",
    "A",
    "privacy-policy",
];

struct Strings(XorShift);

impl Strings {
    fn string(&mut self) -> String {
        let len = self.0.below(14);
        // Some strings draw from a few pieces only, so that the stricter patterns match too.
        let pool = 1 + self.0.below(PIECES.len());
        let offset = self.0.below(PIECES.len());
        (0..len)
            .map(|_| PIECES[(offset + self.0.below(pool)) % PIECES.len()])
            .collect()
    }
}

#[test]
fn same_answers_as_the_regex_crate_on_every_model_pattern() {
    let patterns = model_patterns();
    assert!(
        patterns.len() > 30,
        "the model's patterns: {}",
        patterns.len()
    );
    let mut strings = Strings(XorShift(0x2545_f491_4f6c_dd1d));
    for pattern in &patterns {
        let ours = Pattern::compile(pattern)
            .unwrap_or_else(|e| panic!("the model's pattern {pattern} does not compile: {e}"));
        let theirs = reference(pattern).expect("the regex crate compiles it");
        let mut matched = 0;
        for _ in 0..4000 {
            let value = strings.string();
            let want = reference_match(&theirs, &value);
            assert_eq!(
                ours.is_match(&value),
                want,
                "pattern {pattern} on {value:?}"
            );
            matched += usize::from(want);
        }
        // Patterns random pieces rarely satisfy get a hand-written matching value.
        let samples = [
            ("^cognito:", "cognito:chinese-simplified"),
            (
                "^arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:::",
                "arn:aws:s3:::bucket/key",
            ),
            ("^arn:", "arn:aws:lambda:us-east-1:123456789012:function:f"),
            ("^[0-9a-fA-F]{8}-", "01234567-89ab-4def-8abc-0123456789ab"),
        ];
        match samples
            .iter()
            .find(|(prefix, _)| pattern.starts_with(prefix))
        {
            Some((_, sample)) => {
                assert!(reference_match(&theirs, sample), "{pattern} on {sample}");
                assert!(ours.is_match(sample), "{pattern} on {sample}");
            }
            None => assert!(matched > 0, "no generated string matches {pattern}"),
        }
    }
}

#[test]
fn syntax_beyond_the_model() {
    let cases: &[(&str, &[(&str, bool)])] = &[
        (
            "^(ab|cd)+e?$",
            &[("abcd", true), ("abe", true), ("abc", false), ("", false)],
        ),
        ("x{2,3}", &[("axxb", true), ("x", false)]),
        ("^x{2,}$", &[("xx", true), ("xxxxx", true), ("x", false)]),
        ("^a.c$", &[("abc", true), ("a\nc", false), ("ac", false)]),
        ("^(?s)a.c$", &[("a\nc", true)]),
        ("^a+?b*?$", &[("aab", true), ("b", false)]),
        ("^a{x}$", &[("a{x}", true)]),
        ("^[^a-c]$", &[("d", true), ("b", false)]),
        ("^[]$", &[("", false), ("a", false)]),
        ("^[a-]$", &[("-", true), ("a", true)]),
        ("^\\u00e9\\x41$", &[("éA", true)]),
        ("^[\\P{L}]+$", &[("12", true), ("a1", false)]),
        ("b", &[("abc", true), ("ac", false)]),
    ];
    for (pattern, values) in cases {
        let ours = Pattern::compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for (value, want) in *values {
            assert_eq!(ours.is_match(value), *want, "{pattern} on {value:?}");
        }
    }
    for unsupported in [
        "(a)\\1", "a(?=b)", "\\bword", "(?i)a", "\\p{Lu}", "a{3,1}", "(ab", "*a",
    ] {
        assert!(
            Pattern::compile(unsupported).is_err(),
            "{unsupported} must not compile"
        );
    }
}
