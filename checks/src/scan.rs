//! One module's tokens read as what the cycle check needs: the child modules it declares, the
//! names it defines, its `use` declarations, and the paths its code names.
//!
//! This is a token scanner, not a parser: it recognises items by their leading keywords at the
//! module's top level and finds paths (`a::b::c`) anywhere in the code, attributes and macro
//! arguments included.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Macros whose arguments are code written for another crate (the generator's output), not
/// code of the module that invokes them: their paths are not this module's references.
const OUTPUT_MACROS: &[&str] = &[
    "quote",
    "quote_spanned",
    "parse_quote",
    "parse_quote_spanned",
];

/// A `mod` item.
pub struct ChildDecl {
    pub name: String,
    pub body: ChildBody,
}

/// Where a child module's items are.
pub enum ChildBody {
    /// `mod name;`, with its `#[path = "..."]` attribute if it has one.
    File { path_attr: Option<String> },
    /// `mod name { ... }`.
    Inline(TokenStream),
}

/// One leaf of a `use` tree: `use a::b::{c, d as e, f::*};` gives three.
#[derive(Clone, Debug)]
pub struct UseDecl {
    /// The path as written (`["a", "b", "c"]`); for a glob, the path of the globbed module.
    pub path: Vec<String>,
    /// The name it brings into scope; `None` for a glob or `as _`.
    pub name: Option<String>,
    pub glob: bool,
    /// `pub use` / `pub(crate) use`: a re-export, which the module's own code does not depend on.
    pub public: bool,
}

/// A path named by code, with the text it was written as (for reports).
#[derive(Clone, Debug)]
pub struct PathRef {
    pub segments: Vec<String>,
}

impl PathRef {
    pub fn text(&self) -> String {
        self.segments.join("::")
    }
}

/// What one module's source says.
#[derive(Default)]
pub struct ModuleSource {
    pub children: Vec<ChildDecl>,
    pub defs: BTreeSet<String>,
    pub uses: Vec<UseDecl>,
    pub paths: Vec<PathRef>,
}

/// Reads a module's body (a file, or the braces of an inline module).
pub fn scan_module(tokens: TokenStream) -> ModuleSource {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = ModuleSource::default();
    let mut i = 0;
    while i < tokens.len() {
        let start = i;
        // Outer attributes of the next item (`#[path = ".."]` matters for `mod`).
        let mut path_attr = None;
        while is_punct(tokens.get(i), '#') {
            let bang = is_punct(tokens.get(i + 1), '!');
            let group_at = if bang { i + 2 } else { i + 1 };
            match tokens.get(group_at) {
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
                    path_attr = path_attr.or_else(|| path_attribute(g.stream()));
                    scan_refs(&g.stream().into_iter().collect::<Vec<_>>(), &mut out.paths);
                    i = group_at + 1;
                }
                _ => break,
            }
        }
        let public = is_ident(tokens.get(i), "pub");
        if public {
            i += 1;
            if matches!(tokens.get(i), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
            {
                i += 1;
            }
        }
        // Qualifiers before the keyword that names the item.
        while ["unsafe", "async", "default", "extern", "auto"]
            .iter()
            .any(|q| is_ident(tokens.get(i), q))
            || matches!(tokens.get(i), Some(TokenTree::Literal(_)))
        {
            i += 1;
        }
        let keyword = ident_text(tokens.get(i));
        match keyword.as_deref() {
            Some("mod") => {
                let Some(name) = ident_text(tokens.get(i + 1)) else {
                    i += 1;
                    continue;
                };
                match tokens.get(i + 2) {
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                        out.children.push(ChildDecl {
                            name,
                            body: ChildBody::Inline(g.stream()),
                        });
                        i += 3;
                    }
                    _ => {
                        out.children.push(ChildDecl {
                            name,
                            body: ChildBody::File { path_attr },
                        });
                        i += 2;
                    }
                }
                continue;
            }
            Some("use") => {
                let end = find_semicolon(&tokens, i + 1);
                let mut leaves = Vec::new();
                parse_use_tree(&tokens[i + 1..end], Vec::new(), &mut leaves);
                for (path, name, glob) in leaves {
                    out.uses.push(UseDecl {
                        path,
                        name,
                        glob,
                        public,
                    });
                }
                i = end + 1;
                continue;
            }
            Some("fn" | "struct" | "enum" | "trait" | "type" | "union") => {
                if let Some(name) = ident_text(tokens.get(i + 1)) {
                    out.defs.insert(name);
                }
            }
            Some("const" | "static") => {
                let mut j = i + 1;
                if is_ident(tokens.get(j), "mut") {
                    j += 1;
                }
                match ident_text(tokens.get(j)).as_deref() {
                    // `const fn f`, `const unsafe fn f`: the function is picked up below.
                    Some("fn" | "unsafe" | "async" | "extern") | None => {
                        let mut k = j;
                        while !is_ident(tokens.get(k), "fn") && k < j + 3 {
                            k += 1;
                        }
                        if let Some(name) = ident_text(tokens.get(k + 1)) {
                            out.defs.insert(name);
                        }
                    }
                    Some(name) => {
                        out.defs.insert(name.to_owned());
                    }
                }
            }
            Some("macro_rules") => {
                if let Some(name) = ident_text(tokens.get(i + 2)) {
                    out.defs.insert(name);
                }
            }
            _ => {}
        }
        // Whatever the item is, its tokens up to the next item are code that may name paths.
        let end = item_end(&tokens, i.max(start));
        scan_refs(&tokens[i.max(start)..end], &mut out.paths);
        i = end.max(start + 1);
    }
    out
}

/// The index just past the item starting at `i`: its `;`, or its last brace group.
fn item_end(tokens: &[TokenTree], i: usize) -> usize {
    let mut j = i;
    while j < tokens.len() {
        match &tokens[j] {
            TokenTree::Punct(p) if p.as_char() == ';' => return j + 1,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                // `struct S { .. }`, `fn f() { .. }`, `impl X { .. }`, but not `S { .. };`
                // inside a `const` (which ends at its `;`).
                let is_const_like = ["const", "static"]
                    .iter()
                    .any(|k| tokens[i..j].iter().any(|t| is_ident(Some(t), k)))
                    && !tokens[i..j].iter().any(|t| is_ident(Some(t), "fn"));
                if !is_const_like {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    tokens.len()
}

fn find_semicolon(tokens: &[TokenTree], from: usize) -> usize {
    (from..tokens.len())
        .find(|&j| is_punct(tokens.get(j), ';'))
        .unwrap_or(tokens.len())
}

/// `use` tree leaves as (path, name, glob).
fn parse_use_tree(
    tokens: &[TokenTree],
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, bool)>,
) {
    let mut path = prefix;
    let mut i = 0;
    // A leading `::` names an external crate: not a path into this crate.
    if is_path_sep(tokens, 0) {
        return;
    }
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(id) => {
                let seg = unraw(&id.to_string());
                if is_path_sep(tokens, i + 1) {
                    path.push(seg);
                    i += 3;
                    continue;
                }
                if is_ident(tokens.get(i + 1), "as") {
                    let alias = ident_text(tokens.get(i + 2)).filter(|a| a != "_");
                    let leaf = extend(&path, &seg);
                    out.push((leaf, alias, false));
                } else if seg == "self" {
                    let name = path.last().cloned();
                    out.push((path.clone(), name, false));
                } else {
                    out.push((extend(&path, &seg), Some(seg), false));
                }
                return;
            }
            TokenTree::Punct(p) if p.as_char() == '*' => {
                out.push((path, None, true));
                return;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                for part in inner.split(|t| is_punct(Some(t), ',')) {
                    if !part.is_empty() {
                        parse_use_tree(part, path.clone(), out);
                    }
                }
                return;
            }
            _ => return,
        }
    }
}

fn extend(path: &[String], seg: &str) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(seg.to_owned());
    p
}

/// Every `a::b` path in the tokens (recursing into groups), skipping generator-output macros.
fn scan_refs(tokens: &[TokenTree], out: &mut Vec<PathRef>) {
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(id) => {
                let first = unraw(&id.to_string());
                if OUTPUT_MACROS.contains(&first.as_str())
                    && is_punct(tokens.get(i + 1), '!')
                    && matches!(tokens.get(i + 2), Some(TokenTree::Group(_)))
                {
                    i += 3;
                    continue;
                }
                let mut segments = vec![first];
                let mut j = i + 1;
                while is_path_sep(tokens, j) {
                    match tokens.get(j + 2) {
                        Some(TokenTree::Ident(next)) => {
                            segments.push(unraw(&next.to_string()));
                            j += 3;
                        }
                        _ => break,
                    }
                }
                if segments.len() > 1 {
                    out.push(PathRef { segments });
                }
                i = j;
            }
            // `::std::x`: an absolute path to another crate; skip it whole.
            TokenTree::Punct(_) if is_path_sep(tokens, i) => {
                let mut j = i;
                while is_path_sep(tokens, j)
                    && matches!(tokens.get(j + 2), Some(TokenTree::Ident(_)))
                {
                    j += 3;
                }
                i = j.max(i + 1);
            }
            TokenTree::Group(g) => {
                scan_refs(&g.stream().into_iter().collect::<Vec<_>>(), out);
                i += 1;
            }
            // `#[serde(with = "crate::x")]`, `deserialize_with = "super::f"`: paths in strings.
            TokenTree::Literal(l) => {
                let text = l.to_string();
                if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                    let is_path = ["crate::", "super::", "self::"]
                        .iter()
                        .any(|p| inner.starts_with(p))
                        && inner.split("::").all(|s| {
                            !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
                        });
                    if is_path {
                        out.push(PathRef {
                            segments: inner.split("::").map(str::to_owned).collect(),
                        });
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// `#[path = "x.rs"]`'s value.
fn path_attribute(attr: TokenStream) -> Option<String> {
    let t: Vec<TokenTree> = attr.into_iter().collect();
    if t.len() == 3 && is_ident(t.first(), "path") && is_punct(t.get(1), '=') {
        if let TokenTree::Literal(l) = &t[2] {
            let s = l.to_string();
            return s
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}

/// `::` at `i` (two `:` puncts, the first joint).
fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_ident(t: Option<&TokenTree>, text: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i == text)
}

fn ident_text(t: Option<&TokenTree>) -> Option<String> {
    match t {
        Some(TokenTree::Ident(i)) => Some(unraw(&i.to_string())),
        _ => None,
    }
}

fn unraw(s: &str) -> String {
    s.strip_prefix("r#").unwrap_or(s).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(src: &str) -> ModuleSource {
        scan_module(src.parse().expect("tokens"))
    }

    #[test]
    fn items_uses_and_paths() {
        let m = scan(
            r#"
            //! docs
            #[path = "other.rs"] mod renamed;
            pub mod child;
            mod inline { fn hidden() {} }
            pub use child::{Thing, deep::*};
            use crate::a::{self, B as C, D as _};
            pub(crate) const LIMIT: usize = 3;
            static mut COUNTER: u32 = 0;
            pub const fn make() -> u8 { 1 }
            struct S { f: super::x::T }
            impl S { fn go(&self) { crate::b::run(); let _ = quote!(super::ignored::X); } }
            #[serde(with = "crate::c::codec")] struct W;
            fn f() { ::std::mem::drop(1); }
            "#,
        );
        let children: Vec<_> = m.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(children, ["renamed", "child", "inline"]);
        assert!(matches!(
            &m.children[0].body,
            ChildBody::File { path_attr: Some(p) } if p == "other.rs"
        ));
        for d in ["LIMIT", "COUNTER", "make", "S", "W", "f"] {
            assert!(m.defs.contains(d), "{d} defined");
        }
        assert!(
            !m.defs.contains("hidden"),
            "an inline module's items are its own"
        );
        let uses: Vec<(String, Option<String>, bool, bool)> = m
            .uses
            .iter()
            .map(|u| (u.path.join("::"), u.name.clone(), u.glob, u.public))
            .collect();
        assert_eq!(
            uses,
            [
                ("child::Thing".into(), Some("Thing".into()), false, true),
                ("child::deep".into(), None, true, true),
                ("crate::a".into(), Some("a".into()), false, false),
                ("crate::a::B".into(), Some("C".into()), false, false),
                ("crate::a::D".into(), None, false, false),
            ]
        );
        let paths: Vec<String> = m.paths.iter().map(PathRef::text).collect();
        assert!(paths.contains(&"super::x::T".to_owned()));
        assert!(paths.contains(&"crate::b::run".to_owned()));
        assert!(paths.contains(&"crate::c::codec".to_owned()));
        assert!(!paths.iter().any(|p| p.contains("ignored")), "{paths:?}");
        assert!(!paths.iter().any(|p| p.contains("mem")), "{paths:?}");
    }
}
