//! The `serde(with = ...)` formats of members whose JSON form is not their Rust type's own
//! (see `awsjson_runtime::wire`): non-default `@timestampFormat`s and floats (NaN, ±Infinity as
//! strings), nested as the member's type nests them.

use crate::ir::{TimestampFormat, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime format type for `ty`, `None` when its own serde form is the wire form.
pub(super) fn format(ty: &Type) -> Option<TokenStream> {
    let w = quote!(::awsjson_runtime::wire);
    match ty {
        Type::F32 | Type::F64 => Some(quote!(#w::Float)),
        Type::DateTime(TimestampFormat::EpochSeconds) => None,
        Type::DateTime(TimestampFormat::DateTime) => Some(quote!(#w::DateTimeText)),
        Type::DateTime(TimestampFormat::HttpDate) => Some(quote!(#w::HttpDate)),
        Type::List { element, sparse } => {
            let item = item(element, *sparse)?;
            Some(quote!(#w::List<#item>))
        }
        Type::Map { value, sparse } => {
            let v = item(value, *sparse)?;
            Some(quote!(#w::Map<#v>))
        }
        _ => None,
    }
}

fn item(element: &Type, sparse: bool) -> Option<TokenStream> {
    let f = format(element)?;
    Some(if sparse {
        quote!(::awsjson_runtime::wire::Opt<#f>)
    } else {
        f
    })
}

/// The `with` path for a member of type `ty` (`Option<ty>` when `optional`).
pub(super) fn serde_with(ty: &Type, optional: bool) -> Option<String> {
    let f = format(ty)?;
    let f = if optional {
        quote!(::awsjson_runtime::wire::Opt<#f>)
    } else {
        f
    };
    Some(quote!(::awsjson_runtime::wire::As::<#f>).to_string())
}
