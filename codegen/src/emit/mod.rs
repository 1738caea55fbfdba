//! IR → Rust tokens. One concern per file; shared helpers here.
//!
//! Everything behavioural is a call into `::awsjson_runtime` (see docs/runtime-contract.md);
//! the expansion is declarations plus thin glue.

mod bindings;
mod client;
mod endpoints;
mod errors;
mod facts;
mod operations;
mod types;
mod waiters;
mod wire;

/// The names the expansion defines beside the model's own, as the emitters that define them
/// spell them (lowering names members, variants and client methods around them).
pub mod defined {
    pub use super::client::CLIENT_METHODS;
    pub use super::errors::ERROR_ENUM_VARIANTS;
    pub use super::types::{whole_setter, BUILDER_METHODS};
}

pub use client::skeleton;

use crate::ir::{Module, Service, Type};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// The whole expansion for one service, laid out as aws-sdk-rust lays out a client crate:
///
/// - `Client`, `types` (the model's shapes), `types::builders` (`XBuilder` of shape `X`),
///   `types::error` (modeled errors), `operation::<op>` (`<Op>Input`, `<Op>Output`,
///   `<Op>Error`) with `operation::<op>::builders` (`<Op>InputBuilder`, `<Op>OutputBuilder`,
///   `<Op>FluentBuilder`), `waiters`, and the hidden `__private`.
///
/// Each module holds one kind of name, so no shape name can meet a generated one; every path
/// the expansion writes is absolute (`::std::..`) or goes through the module's private
/// `__root` alias of the expansion's own root (which no model name can spell).
pub fn emit(service: &Service) -> TokenStream {
    let (types, builders) = types::emit(service);
    let errors = errors::emit(service);
    let operations = operations::emit(service);
    let client = client::emit(service);
    let endpoints = endpoints::emit(service);
    let waiters = waiters::module(service);
    let root1 = root_alias(1);
    let root2 = root_alias(2);
    quote! {
        #client
        /// The model's structures, enums and unions (`builders`: their builders; `error`: the
        /// modeled errors).
        pub mod types {
            #![allow(deprecated, non_camel_case_types, clippy::large_enum_variant, clippy::too_many_arguments)]
            #root1
            #types
            /// One builder per structure of `types`: `XBuilder` builds `X`.
            pub mod builders {
                #![allow(deprecated, non_camel_case_types)]
                #root2
                #builders
            }
            /// The modeled errors, one struct each; every operation's error enum holds those it
            /// may return.
            pub mod error {
                #![allow(deprecated, non_camel_case_types, clippy::large_enum_variant)]
                #root2
                #errors
            }
        }
        /// One module per operation: its input, output and error enum, and (in `builders`) their
        /// builders and the fluent builder `client.<op>()` returns.
        pub mod operation {
            #operations
        }
        #endpoints
        #waiters
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
