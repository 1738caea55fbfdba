//! IR → Rust tokens. One concern per file; shared helpers here.
//!
//! Everything behavioural is a call into `::awsjson_runtime` (see docs/runtime-contract.md);
//! the expansion is declarations plus thin glue.

mod bindings;
mod client;
mod endpoints;
mod errors;
mod facts;
mod types;
mod waiters;
mod wire;

/// The names the expansion defines beside the model's own, as the emitters that define them
/// spell them (the check pass refuses a model whose names would clash with them).
pub mod defined {
    pub use super::client::{fluent_builder, operation_methods, CLIENT_METHODS};
    pub use super::errors::{error_enum, ERROR_ENUM_VARIANTS, ERROR_META_FIELD};
    pub use super::types::{builder, whole_setter};
}

pub use client::skeleton;

use crate::ir::{Module, Service, Struct, Type, TypeDef};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use std::collections::HashMap;

/// The whole expansion for one service.
pub fn emit(service: &Service) -> TokenStream {
    let structs: HashMap<&str, &Struct> = service
        .types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((s.name.as_str(), s)),
            _ => None,
        })
        .collect();
    let types = types::emit(service);
    let errors = errors::emit(service);
    let client = client::emit(service, &structs);
    let endpoints = endpoints::emit(service);
    let waiters = waiters::module(service, &structs);
    quote! {
        #client
        /// Structures, enums and unions of the model, with their builders.
        pub mod types {
            #![allow(deprecated, non_camel_case_types, clippy::large_enum_variant, clippy::too_many_arguments)]
            #types
        }
        /// Modeled errors and one error enum per operation.
        pub mod error {
            #![allow(deprecated, non_camel_case_types, clippy::large_enum_variant)]
            #errors
        }
        #endpoints
        #waiters
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

/// A named type as written inside one of the generated modules (they are siblings).
pub(crate) fn named_path(name: &str, module: Module) -> TokenStream {
    let id = ident(name);
    match module {
        Module::Types => quote!(super::types::#id),
        Module::Error => quote!(super::error::#id),
    }
}

pub(crate) fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::Bool => quote!(bool),
        Type::I8 => quote!(i8),
        Type::I16 => quote!(i16),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
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
