//! `client.wait_until_...()`: one fluent waiter per `smithy.waiters#waitable` entry. The input's
//! setters, then `wait(max_wait)`; the polling, delays and acceptor matching are the runtime's
//! (`awsjson_runtime::waiter`), fed the model's acceptors as a `static`.

use super::types::{setters, Setter};
use super::{doc, ident, lit_str};
use crate::ir::{AcceptorState, Operation, Service, Struct, Waiter, WaiterMatcher};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::HashMap;

/// The `Client` methods that start a waiter.
pub(super) fn client_methods(service: &Service) -> TokenStream {
    let methods = service.operations.iter().flat_map(|op| {
        op.waiters.iter().map(move |w| {
            let m = ident(&w.method);
            let ty = builder_name(w);
            let docs = doc(&format!(
                "Waits for `{}`: polls `{}` until the model's acceptors say it succeeded or \
                 failed, or the maximum wait given to `wait()` runs out.",
                w.name, op.wire_name
            ));
            let dep = w.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #docs #dep
                pub fn #m(&self) -> waiters::#ty { waiters::#ty::new(self.clone()) }
            }
        })
    });
    quote!(#(#methods)*)
}

/// The `waiters` module (empty when the model has no waiters).
pub(super) fn module(service: &Service, structs: &HashMap<&str, &Struct>) -> TokenStream {
    let builders: Vec<_> = service
        .operations
        .iter()
        .flat_map(|op| {
            let input = structs.get(op.input.as_str()).copied();
            op.waiters.iter().map(move |w| builder(op, w, input))
        })
        .collect();
    if builders.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// One fluent builder per waiter of the model: set the input's members, then
        /// `wait(max_wait).await`.
        pub mod waiters {
            #![allow(deprecated)]
            #(#builders)*
        }
    }
}

fn builder_name(w: &Waiter) -> proc_macro2::Ident {
    format_ident!(
        "{}Waiter",
        heck::ToUpperCamelCase::to_upper_camel_case(w.name.as_str())
    )
}

fn builder(op: &Operation, w: &Waiter, input: Option<&Struct>) -> TokenStream {
    let name = builder_name(w);
    let input_ty = ident(&op.input);
    let input_builder = format_ident!("{}Builder", op.input);
    let output = ident(&op.output);
    let err = format_ident!("{}Error", op.type_name);
    let call = format_ident!("call_{}", crate::names::bare(&op.method));
    let docs = format!(
        " Waiter `{}` on `{}`: set the input's members, then `wait(max_wait).await`.",
        w.name, op.wire_name
    );
    let setters = input
        .map(|s| &s.fields[..])
        .unwrap_or_default()
        .iter()
        .flat_map(setters)
        .map(|st| {
            let Setter {
                name,
                params,
                args,
                docs,
                ..
            } = st;
            quote! {
                #docs
                pub fn #name(mut self, #params) -> Self { self.inner = self.inner.#name(#args); self }
            }
        });
    let wname = lit_str(&w.name);
    let (min, max) = (w.min_delay, w.max_delay);
    let acceptors = w.acceptors.iter().map(|a| {
        let state = match a.state {
            AcceptorState::Success => quote!(Success),
            AcceptorState::Failure => quote!(Failure),
            AcceptorState::Retry => quote!(Retry),
        };
        let matcher = match &a.matcher {
            WaiterMatcher::Success(b) => quote!(Success(#b)),
            WaiterMatcher::ErrorType(e) => {
                let e = lit_str(e);
                quote!(ErrorType(#e))
            }
            WaiterMatcher::Path {
                input_output,
                path,
                expected,
                comparator,
            } => {
                let kind = if *input_output {
                    quote!(InputOutput)
                } else {
                    quote!(Output)
                };
                let comparator = format_ident!(
                    "{}",
                    heck::ToUpperCamelCase::to_upper_camel_case(comparator.as_str())
                );
                let (path, expected) = (lit_str(path), lit_str(expected));
                quote!(#kind { path: #path, expected: #expected, comparator: ::awsjson_runtime::waiter::Comparator::#comparator })
            }
        };
        quote! {
            ::awsjson_runtime::waiter::Acceptor {
                state: ::awsjson_runtime::waiter::AcceptorState::#state,
                matcher: ::awsjson_runtime::waiter::Matcher::#matcher,
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Clone)]
        pub struct #name { client: super::Client, inner: super::types::#input_builder }
        impl #name {
            pub(crate) fn new(client: super::Client) -> Self { Self { client, inner: ::std::default::Default::default() } }
            #(#setters)*
            /// Polls until an acceptor decides, or `max_wait` runs out (at least the waiter's
            /// minimum delay). The output of the call that succeeded is returned.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<super::types::#output, ::awsjson_runtime::waiter::WaiterError<super::types::#output, super::error::#err>> {
                static WAITER: ::awsjson_runtime::waiter::WaiterMeta = ::awsjson_runtime::waiter::WaiterMeta {
                    name: #wname,
                    min_delay_secs: #min,
                    max_delay_secs: #max,
                    acceptors: &[#(#acceptors),*],
                };
                let input: super::types::#input_ty = self.inner.build().map_err(|e| {
                    ::awsjson_runtime::waiter::WaiterError::Operation(<super::error::#err as ::awsjson_runtime::OperationError>::validation(::std::convert::From::from(e)))
                })?;
                let client = self.client;
                ::awsjson_runtime::waiter::wait(&WAITER, input, max_wait, move |input| {
                    let client = client.clone();
                    async move { client.#call(input).await }
                })
                .await
            }
        }
    }
}
