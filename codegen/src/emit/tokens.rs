//! Small token helpers every emitter shares (identifiers, doc attributes, type paths), in a
//! leaf module so that the emitters and the module that assembles them import nothing of each
//! other in a circle.

use crate::ir::{Module, Type};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, ToTokens};
use std::cell::Cell;

/// A stream that `quote!` interpolates by moving it in. `quote!` interpolates by reference,
/// which copies every top-level token of the inner stream (and drops the original later). For
/// the long flat streams (a module's items, a struct's fields, a type path, match arms) that
/// was about 5% of Glue's expansion. Interpolate it once.
pub(crate) struct Moved(Cell<Option<TokenStream>>);

/// Wraps a stream for one interpolation by move.
pub(crate) fn moved(tokens: TokenStream) -> Moved {
    Moved(Cell::new(Some(tokens)))
}

/// Collects streams into one and wraps it for one interpolation by move.
pub(crate) fn moved_all(streams: impl Iterator<Item = TokenStream>) -> Moved {
    moved(streams.collect())
}

impl ToTokens for Moved {
    fn to_tokens(&self, dst: &mut TokenStream) {
        let tokens = self.0.take();
        debug_assert!(tokens.is_some(), "a moved stream is interpolated once");
        if let Some(tokens) = tokens {
            if dst.is_empty() {
                *dst = tokens;
            } else {
                dst.extend(std::iter::once(tokens));
            }
        }
    }
}

/// `use super::..::super as __root;` for a module `depth` levels below the expansion's root.
pub(crate) fn root_alias(depth: usize) -> TokenStream {
    let supers = std::iter::repeat(quote!(super)).take(depth);
    quote! {
        #[allow(unused_imports)]
        use #(#supers)::* as __root;
    }
}

/// An identifier from a name made legal by `names` (`r#` prefix means raw).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub(crate) fn doc(docs: &str) -> TokenStream {
    if docs.is_empty() {
        TokenStream::new()
    } else {
        let text = doc_literal(docs);
        quote!(#[doc = #text])
    }
}

pub(crate) fn deprecated(note: &Option<String>) -> TokenStream {
    match note {
        None => TokenStream::new(),
        Some(n) if n.is_empty() => quote!(#[deprecated]),
        Some(n) => quote!(#[deprecated(note = #n)]),
    }
}

/// A named type as written inside any generated module (through its `__root` alias).
pub(crate) fn named_path(name: &str, module: Module) -> TokenStream {
    let id = ident(name);
    match module {
        Module::Types => quote!(__root::types::#id),
        Module::Error => quote!(__root::types::error::#id),
    }
}

pub(crate) fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::Bool => quote!(::std::primitive::bool),
        Type::I8 => quote!(::std::primitive::i8),
        Type::I16 => quote!(::std::primitive::i16),
        Type::I32 => quote!(::std::primitive::i32),
        Type::I64 => quote!(::std::primitive::i64),
        Type::F32 => quote!(::std::primitive::f32),
        Type::F64 => quote!(::std::primitive::f64),
        Type::BigNumber => quote!(::awsjson_runtime::BigNumber),
        Type::Blob => quote!(::awsjson_runtime::Blob),
        Type::DateTime(_) => quote!(::awsjson_runtime::DateTime),
        Type::Document => quote!(::awsjson_runtime::Document),
        Type::Named { name, module } => named_path(name, *module),
        Type::List { element, sparse } => {
            let e = rust_type(element);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#e>>)
            } else {
                quote!(::std::vec::Vec<#e>)
            }
        }
        Type::Map { value, sparse } => {
            let v = rust_type(value);
            if *sparse {
                quote!(::std::collections::HashMap<::std::string::String, ::std::option::Option<#v>>)
            } else {
                quote!(::std::collections::HashMap<::std::string::String, #v>)
            }
        }
        Type::Boxed(inner) => {
            let i = rust_type(inner);
            quote!(::std::boxed::Box<#i>)
        }
    }
}

pub(crate) fn lit_str(s: &str) -> Literal {
    Literal::string(s)
}

/// The string literal of a doc text, every line starting with a space (as `///` writes it).
/// `Literal::string` escapes every character through `char::escape_debug`, a sixth of a large
/// model's expansion (its docs are megabytes). This copies runs of plain characters and
/// escapes the rest as `escape_debug` does (quotes, backslashes, control characters, and
/// non-ASCII characters that are not printable, such as the bidirectional-text controls the
/// compiler refuses in a literal), then has the lexer check the result.
fn doc_literal(text: &str) -> Literal {
    let mut repr = String::with_capacity(text.len() + 16);
    repr.push_str("\" ");
    let mut run = 0;
    for (i, ch) in text.char_indices() {
        let plain = match ch {
            '"' | '\\' | '\n' => false,
            ' '..='~' => true,
            _ => ch.escape_debug().len() == 1,
        };
        if plain {
            continue;
        }
        repr.push_str(&text[run..i]);
        if ch == '\n' {
            repr.push_str("\\n ");
        } else {
            repr.extend(ch.escape_debug());
        }
        run = i + ch.len_utf8();
    }
    repr.push_str(&text[run..]);
    repr.push('"');
    repr.parse().unwrap_or_else(|_| Literal::string(text))
}

#[cfg(all(test, feature = "print"))]
mod tests {
    use super::doc_literal;

    /// What the literal holds, read back as the compiler reads it.
    fn value(text: &str) -> String {
        let lit: syn::LitStr = syn::parse_str(&doc_literal(text).to_string()).expect("a literal");
        lit.value()
    }

    #[test]
    fn a_doc_literal_holds_its_text_with_each_line_indented() {
        for text in [
            "",
            "plain",
            "two\nlines",
            "quote \" and backslash \\ and \\n as text",
            "tab\there, carriage\r\nreturn, nul\0 bell\u{7} delete\u{7f}",
            "non-ASCII: é 漢字 \u{200b} 🦀 \u{2028}",
            "ends with a newline\n",
            "bidi \u{202e}override\u{202c}, a combining mark a\u{301}",
        ] {
            assert_eq!(
                value(text),
                format!(" {}", text.replace('\n', "\n ")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_doc_literal_escapes_what_escape_debug_escapes() {
        let text = "a\u{202e}b\u{301}c\u{7}d\u{200b}e é";
        assert_eq!(
            doc_literal(text).to_string(),
            proc_macro2::Literal::string(&format!(" {text}")).to_string()
        );
    }
}
