//! `Client` with one fluent and one direct method per operation, the fluent builders, and the
//! `#[doc(hidden)]` glue (`SERVICE`, the runtime handle) that hand-written code beside the
//! expansion may use but users should not see.

use super::types::{setters, Setter};
use super::{deprecated, doc, facts, ident, lit_str};
use crate::ir::{Operation, Protocol, Service, Struct};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::HashMap;

pub(super) fn emit(service: &Service, structs: &HashMap<&str, &Struct>) -> TokenStream {
    let shape_name = lit_str(&service.shape_name);
    let sdk_id = lit_str(&service.sdk_id);
    let signing = lit_str(&service.signing_name);
    let version = lit_str(&service.api_version);
    let rules = lit_str(&service.endpoint_rules);
    let protocol = match service.protocol {
        Protocol::AwsJson1_0 => quote!(AwsJson1_0),
        Protocol::AwsJson1_1 => quote!(AwsJson1_1),
    };
    let svc_doc = doc(&facts::join(
        &service.docs,
        &format!(
            "A client of `{}` ({}, API version {}): one method per operation, each returning a \
             fluent builder. Cheap to clone; clones share the connection pool.",
            service.shape_name, service.sdk_id, service.api_version
        ),
    ));
    let methods = service.operations.iter().map(method);
    let fluents = service
        .operations
        .iter()
        .map(|op| fluent(op, structs.get(op.input.as_str()).copied()));
    quote! {
        /// Not part of the public API: the service's metadata and the client's runtime handle,
        /// for hand-written code beside the expansion (e.g. sign-in flows) and its tests.
        #[doc(hidden)]
        pub mod __private {
            /// What the runtime needs to know about the service.
            pub static SERVICE: ::awsjson_runtime::ServiceMeta = ::awsjson_runtime::ServiceMeta {
                service_shape_name: #shape_name,
                sdk_id: #sdk_id,
                signing_name: #signing,
                protocol: ::awsjson_runtime::JsonProtocol::#protocol,
                api_version: #version,
                endpoint_rules: ::awsjson_runtime::endpoint::RuleSetSource::new(#rules),
            };
            /// The runtime handle of a client (configuration, connection pool).
            pub fn handle(client: &super::Client) -> &::awsjson_runtime::Handle { &client.handle }
            /// A client over an existing runtime handle (sharing its connection pool).
            pub fn client_from_handle(handle: ::awsjson_runtime::Handle) -> super::Client { super::Client { handle } }
        }

        #svc_doc
        #[derive(Clone, Debug)]
        pub struct Client { handle: ::awsjson_runtime::Handle }

        impl Client {
            /// A client for this configuration.
            pub fn new(config: ::awsjson_runtime::Config) -> ::std::result::Result<Self, ::awsjson_runtime::ConfigError> {
                ::std::result::Result::Ok(Self { handle: ::awsjson_runtime::Handle::new(config)? })
            }
            /// A client configured from the environment (region, credentials, endpoint override).
            pub fn from_env() -> ::std::result::Result<Self, ::awsjson_runtime::ConfigError> {
                Self::new(::awsjson_runtime::Config::from_env()?)
            }
            /// The configuration this client was built with.
            pub fn config(&self) -> &::awsjson_runtime::Config { self.handle.config() }
            #(#methods)*
        }

        /// One fluent builder per operation: set members, then `send()`.
        pub mod fluent {
            #![allow(deprecated)]
            #(#fluents)*
        }
    }
}

fn method(op: &Operation) -> TokenStream {
    let m = ident(&op.method);
    let call = format_ident!("call_{}", crate::names::bare(&op.method));
    let input = ident(&op.input);
    let output = ident(&op.output);
    let err = format_ident!("{}Error", op.type_name);
    let fluent = format_ident!("{}FluentBuilder", op.type_name);
    let wire = lit_str(&op.wire_name);
    let auth = if op.auth_none {
        quote!(None)
    } else {
        quote!(SigV4)
    };
    let docs = doc(&facts::operation(op));
    let call_docs = doc(&format!(
        "Calls `{}` with a complete input built elsewhere (e.g. deserialized, or from \
         `types::{}::builder()`); [`Client::{}`] is the usual way in. The input is validated \
         against the model's constraints before anything is sent.",
        op.wire_name,
        op.input,
        crate::names::bare(&op.method)
    ));
    let dep = deprecated(&op.deprecated);
    let tokens = op.idempotency_fields.iter().map(|f| {
        let f = ident(f);
        quote! {
            if input.#f.is_none() { input.#f = ::std::option::Option::Some(::awsjson_runtime::idempotency_token()); }
        }
    });
    let mutable = if op.idempotency_fields.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        #docs #dep
        pub fn #m(&self) -> fluent::#fluent { fluent::#fluent::new(self.clone()) }
        #call_docs #dep
        pub async fn #call(&self, #mutable input: types::#input) -> ::std::result::Result<types::#output, error::#err> {
            static OP: ::awsjson_runtime::OperationMeta = ::awsjson_runtime::OperationMeta {
                name: #wire,
                auth: ::awsjson_runtime::AuthRequirement::#auth,
            };
            #(#tokens)*
            self.handle.invoke(&__private::SERVICE, &OP, &input).await
        }
    }
}

fn fluent(op: &Operation, input: Option<&Struct>) -> TokenStream {
    let name = format_ident!("{}FluentBuilder", op.type_name);
    let builder = format_ident!("{}Builder", op.input);
    let output = ident(&op.output);
    let err = format_ident!("{}Error", op.type_name);
    let call = format_ident!("call_{}", crate::names::bare(&op.method));
    let docs = format!(
        " Fluent builder for `{}`: set the input's members, then `send().await`.",
        op.wire_name
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
    let paginator = op.paginated.as_ref().map(|p| {
        let input = ident(&op.input);
        let (it, ot) = (ident(&p.input_token), ident(&p.output_token));
        quote! {
            /// Pages through the results: each page's token is fed into the next request
            /// (`next_page().await`, or `collect_all().await`).
            pub fn into_paginator(
                self,
            ) -> ::std::result::Result<
                ::awsjson_runtime::paginate::Paginator<
                    super::types::#input,
                    super::types::#output,
                    impl FnMut(super::types::#input) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::result::Result<super::types::#output, super::error::#err>> + Send>>,
                >,
                super::error::#err,
            > {
                let input = self.inner.build().map_err(|e| {
                    <super::error::#err as ::awsjson_runtime::OperationError>::validation(::std::convert::From::from(e))
                })?;
                let client = self.client;
                ::std::result::Result::Ok(::awsjson_runtime::paginate::Paginator::new(
                    input,
                    move |input: super::types::#input| {
                        let client = client.clone();
                        ::std::boxed::Box::pin(async move { client.#call(input).await }) as ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = _> + Send>>
                    },
                    |input: &mut super::types::#input, token| input.#it = token,
                    |output: &super::types::#output| output.#ot.clone(),
                ))
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Clone)]
        pub struct #name { client: super::Client, inner: super::types::#builder }
        impl #name {
            pub(crate) fn new(client: super::Client) -> Self { Self { client, inner: ::std::default::Default::default() } }
            #(#setters)*
            /// Builds the input and sends it. A missing required member, or one that breaks the
            /// model's constraints, is the `Validation` error variant (nothing is sent).
            pub async fn send(self) -> ::std::result::Result<super::types::#output, super::error::#err> {
                let input = self.inner.build().map_err(|e| {
                    <super::error::#err as ::awsjson_runtime::OperationError>::validation(::std::convert::From::from(e))
                })?;
                self.client.#call(input).await
            }
            #paginator
        }
    }
}
