//! Small token helpers every emitter shares (identifiers, doc attributes, type paths), in a
//! leaf module so that the emitters and the module that assembles them import nothing of each
//! other in a circle.

use crate::ir::{Module, Type};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

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
        let text = format!(" {}", docs.replace('\n', "\n "));
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
