//! An operation's endpoint bindings as a `const` the runtime reads (`OperationMeta::endpoint`):
//! only names, paths and constants; the runtime fills them from the serialized input.

use super::tokens::lit_str;
use crate::ir::{EndpointBindings, StaticParam};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn emit(b: &EndpointBindings) -> TokenStream {
    if b.is_empty() {
        return quote!(::awsjson_runtime::endpoint::EndpointBindings::NONE);
    }
    let host_prefix = match &b.host_prefix {
        Some(p) => {
            let p = lit_str(p);
            quote!(::std::option::Option::Some(#p))
        }
        None => quote!(::std::option::Option::None),
    };
    let pairs = |list: &[(String, String)]| {
        let items = list.iter().map(|(k, v)| {
            let (k, v) = (lit_str(k), lit_str(v));
            quote!((#k, #v))
        });
        quote!(&[#(#items),*])
    };
    let context = pairs(&b.context_params);
    let operation = pairs(&b.operation_params);
    let statics = b.static_params.iter().map(|(k, v)| {
        let k = lit_str(k);
        let v = match v {
            StaticParam::Bool(b) => quote!(Bool(#b)),
            StaticParam::String(s) => {
                let s = lit_str(s);
                quote!(String(#s))
            }
            StaticParam::StringArray(items) => {
                let items = items.iter().map(|s| lit_str(s));
                quote!(StringArray(&[#(#items),*]))
            }
        };
        quote!((#k, ::awsjson_runtime::endpoint::StaticParam::#v))
    });
    quote!(::awsjson_runtime::endpoint::EndpointBindings {
        host_prefix: #host_prefix,
        context_params: #context,
        static_params: &[#(#statics),*],
        operation_params: #operation,
    })
}
