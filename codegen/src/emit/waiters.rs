//! `client.wait_until_...()`: one fluent waiter per `smithy.waiters#waitable` entry. The input's
//! setters, then `wait(max_wait)`; the polling, delays and acceptor matching are the runtime's
//! (`awsjson_runtime::waiter`), fed the model's acceptors as a `static`.

use super::errors;
use super::tokens::{doc, ident, lit_str, root_alias};
use super::types::setters;
use crate::ir::{AcceptorState, Operation, Service, Waiter, WaiterMatcher};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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
                pub fn #m(&self) -> waiters::#ty {
                    waiters::#ty { client: ::std::clone::Clone::clone(self), inner: ::std::default::Default::default() }
                }
            }
        })
    });
    quote!(#(#methods)*)
}

/// The `waiters` module (empty when the model has no waiters).
pub(super) fn module(service: &Service) -> TokenStream {
    let builders: Vec<_> = service
        .operations
        .iter()
        .flat_map(|op| op.waiters.iter().map(move |w| builder(op, w)))
        .collect();
    if builders.is_empty() {
        return TokenStream::new();
    }
    let root = root_alias(1);
    quote! {
        /// One fluent builder per waiter of the model: set the input's members, then
        /// `wait(max_wait).await`.
        pub mod waiters {
            #![allow(deprecated)]
            #root
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

fn builder(op: &Operation, w: &Waiter) -> TokenStream {
    let name = builder_name(w);
    let module = ident(&op.module);
    let input_ty = ident(&op.input.name);
    let input_builder = ident(&super::types::builder(&op.input.name));
    let output = ident(&op.output.name);
    let err = ident(&errors::error_enum(op));
    let op_path = quote!(__root::operation::#module);
    let docs = format!(
        " Waiter `{}` on `{}`: set the input's members, then `wait(max_wait).await`.",
        w.name, op.wire_name
    );
    let setters = op
        .input
        .fields
        .iter()
        .flat_map(setters)
        .map(|st| st.forwarded());
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
        #[derive(::std::clone::Clone)]
        pub struct #name {
            pub(crate) client: __root::Client,
            pub(crate) inner: #op_path::builders::#input_builder,
        }
        impl #name {
            #(#setters)*
            /// Polls until an acceptor decides, or `max_wait` runs out (at least the waiter's
            /// minimum delay). The output of the call that succeeded is returned.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<#op_path::#output, ::awsjson_runtime::waiter::WaiterError<#op_path::#output, #op_path::#err>> {
                static WAITER: ::awsjson_runtime::waiter::WaiterMeta = ::awsjson_runtime::waiter::WaiterMeta {
                    name: #wname,
                    min_delay_secs: #min,
                    max_delay_secs: #max,
                    acceptors: &[#(#acceptors),*],
                };
                let input: #op_path::#input_ty = self.inner.build().map_err(|e| {
                    ::awsjson_runtime::waiter::WaiterError::Operation(<#op_path::#err as ::awsjson_runtime::OperationError>::validation(::std::convert::From::from(e)))
                })?;
                let client = self.client;
                ::awsjson_runtime::waiter::wait(&WAITER, input, max_wait, move |input: #op_path::#input_ty| {
                    let client = ::std::clone::Clone::clone(&client);
                    async move { input.send_with(&client).await }
                })
                .await
            }
        }
    }
}
