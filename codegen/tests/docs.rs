//! Every public item and member of an expansion carries rustdoc (the generated crate holds
//! `#![warn(missing_docs)]`), and the crate root exposes only the client and its modules: the
//! runtime glue (`SERVICE`, the handle) sits in a `#[doc(hidden)]` module.

use awsjson_codegen::Options;
use std::path::Path;
use syn::{Attribute, ImplItem, Item, Visibility};

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Walks `items`, pushing the path of every public item or member without docs.
fn undocumented(items: &[Item], path: &str, checked: &mut usize, missing: &mut Vec<String>) {
    let mut found = Vec::new();
    for item in items {
        let mut need = |attrs: &[Attribute], what: String| {
            *checked += 1;
            if !has_doc(attrs) {
                found.push(what);
            }
        };
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                need(&s.attrs, format!("{path}::{}", s.ident));
                for f in s.fields.iter().filter(|f| is_pub(&f.vis)) {
                    let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                    need(&f.attrs, format!("{path}::{}.{name}", s.ident));
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                need(&e.attrs, format!("{path}::{}", e.ident));
                for v in &e.variants {
                    need(&v.attrs, format!("{path}::{}::{}", e.ident, v.ident));
                }
            }
            Item::Static(s) if is_pub(&s.vis) => need(&s.attrs, format!("{path}::{}", s.ident)),
            Item::Const(c) if is_pub(&c.vis) => need(&c.attrs, format!("{path}::{}", c.ident)),
            Item::Fn(f) if is_pub(&f.vis) => need(&f.attrs, format!("{path}::{}", f.sig.ident)),
            Item::Impl(i) if i.trait_.is_none() => {
                let ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                for member in &i.items {
                    match member {
                        ImplItem::Fn(f) if is_pub(&f.vis) => {
                            need(&f.attrs, format!("{path}::{ty}::{}", f.sig.ident))
                        }
                        ImplItem::Const(c) if is_pub(&c.vis) => {
                            need(&c.attrs, format!("{path}::{ty}::{}", c.ident))
                        }
                        _ => {}
                    }
                }
            }
            Item::Mod(m) if is_pub(&m.vis) => {
                need(&m.attrs, format!("{path}::{}", m.ident));
                if let Some((_, inner)) = &m.content {
                    undocumented(inner, &format!("{path}::{}", m.ident), checked, &mut found);
                }
            }
            _ => {}
        }
    }
    missing.extend(found);
}

fn expansion(model: &str) -> syn::File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(model);
    let opts = Options {
        operations: None,
        endpoint_tests: false,
    };
    let tokens = awsjson_codegen::expand_file(&path, &opts).unwrap_or_else(|d| panic!("{d}"));
    syn::parse2(tokens).expect("the expansion is a Rust file")
}

#[test]
fn every_public_item_and_member_is_documented() {
    for (model, at_least) in [
        ("../model/cognito-identity-provider.json", 8_000),
        ("tests/fixtures/all_shapes.json", 100),
        ("tests/fixtures/keywords.json", 20),
        ("tests/fixtures/sensitive.json", 20),
    ] {
        let file = expansion(model);
        let (mut checked, mut missing) = (0, Vec::new());
        undocumented(&file.items, "crate", &mut checked, &mut missing);
        assert!(missing.is_empty(), "{model}: undocumented: {missing:#?}");
        assert!(checked >= at_least, "{model}: only {checked} items checked");
    }
}

#[test]
fn the_root_exposes_the_client_and_its_modules_only() {
    let file = expansion("../model/cognito-identity-provider.json");
    let mut public = Vec::new();
    for item in &file.items {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => public.push(s.ident.to_string()),
            Item::Mod(m) if is_pub(&m.vis) => {
                let hidden = m.attrs.iter().any(|a| {
                    a.path().is_ident("doc")
                        && quote::ToTokens::to_token_stream(&a.meta)
                            .to_string()
                            .contains("hidden")
                });
                public.push(format!(
                    "mod {}{}",
                    m.ident,
                    if hidden { " (hidden)" } else { "" }
                ));
            }
            Item::Static(s) if is_pub(&s.vis) => public.push(format!("static {}", s.ident)),
            Item::Fn(f) if is_pub(&f.vis) => public.push(format!("fn {}", f.sig.ident)),
            Item::Impl(i) if i.trait_.is_none() => {
                for member in &i.items {
                    if let ImplItem::Fn(f) = member {
                        let name = f.sig.ident.to_string();
                        assert!(
                            !matches!(name.as_str(), "handle" | "from_handle"),
                            "Client::{name} is runtime glue, not API"
                        );
                    }
                }
            }
            _ => {}
        }
    }
    public.sort();
    assert_eq!(
        public,
        [
            "Client",
            "mod __private (hidden)",
            "mod operation",
            "mod types"
        ]
    );
}
