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
mod tokens;
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

use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::quote;
use tokens::{moved, root_alias};

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
    let (types, builders) = (moved(types), moved(builders));
    let errors = moved(errors::emit(service));
    let operations = moved(operations::emit(service));
    let client = moved(client::emit(service));
    let endpoints = moved(endpoints::emit(service));
    let waiters = moved(waiters::module(service));
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
