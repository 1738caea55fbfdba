//! `Client` with one fluent and one direct method per operation, the fluent builders, and the
//! `#[doc(hidden)]` glue (`SERVICE`, the runtime handle) that hand-written code beside the
//! expansion may use but users should not see.

use super::types::{setters, Setter};
use super::{deprecated, doc, facts, ident, lit_str};
use crate::ir::{Operation, Protocol, Service, Struct};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;

/// The methods `Client` has whatever the model.
pub const CLIENT_METHODS: &[&str] = &["new", "from_env", "config"];

/// The two client methods of an operation: the fluent entry and the direct call.
pub fn operation_methods(op: &Operation) -> [String; 2] {
    [op.method.clone(), call_method(op)]
}

/// `call_initiate_auth`: the direct call with a complete input.
fn call_method(op: &Operation) -> String {
    format!("call_{}", crate::names::bare(&op.method))
}

/// `InitiateAuthFluentBuilder`.
pub fn fluent_builder(op: &Operation) -> String {
    format!("{}FluentBuilder", op.type_name)
}

/// What the macro emits beside a model's errors (thiserror's fallback): `Client` with the methods
/// it has whatever the model, and the modules, so that code using them adds no errors of its
/// own and the user sees the model's. Never runs: the errors stop the build.
pub fn skeleton() -> TokenStream {
    quote! {
        /// Not generated: the model has errors (reported beside this).
        #[allow(dead_code)]
        #[derive(Clone, Debug)]
        pub struct Client { handle: ::awsjson_runtime::Handle }
        #[allow(dead_code, unused_variables)]
        impl Client {
            pub fn new(config: ::awsjson_runtime::Config) -> ::std::result::Result<Self, ::awsjson_runtime::ConfigError> {
                ::std::unreachable!("the model has errors")
            }
            pub fn from_env() -> ::std::result::Result<Self, ::awsjson_runtime::ConfigError> {
                ::std::unreachable!("the model has errors")
            }
            pub fn config(&self) -> &::awsjson_runtime::Config { self.handle.config() }
        }
        pub mod types {}
        pub mod error {}
        pub mod fluent {}
        #[doc(hidden)]
        pub mod __private {}
    }
}

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
             fluent builder. Cheap to clone; clones share the connection pool.{}",
            service.shape_name,
            service.sdk_id,
            service.api_version,
            facts::omitted_operations(&service.omitted_operations)
        ),
    ));
    let methods = service.operations.iter().map(method);
    let waiter_methods = super::waiters::client_methods(service);
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
            #waiter_methods
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
    let call = ident(&call_method(op));
    let input = ident(&op.input);
    let output = ident(&op.output);
    let err = ident(&super::errors::error_enum(op));
    let fluent = ident(&fluent_builder(op));
    let wire = lit_str(&op.wire_name);
    let auth = if op.auth_none {
        quote!(None)
    } else {
        quote!(SigV4)
    };
    let endpoint = super::bindings::emit(&op.endpoint);
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
    let compression = op.request_compression.iter().map(|e| lit_str(e));
    let discovery = match &op.endpoint_discovery {
        None => quote!(::std::option::Option::None),
        Some((operation, error)) => {
            let (operation, error) = (lit_str(operation), lit_str(error));
            quote!(::std::option::Option::Some(&::awsjson_runtime::EndpointDiscovery {
                operation: ::awsjson_runtime::OperationMeta {
                    name: #operation,
                    auth: ::awsjson_runtime::AuthRequirement::#auth,
                    request_compression: &[],
                    endpoint_discovery: ::std::option::Option::None,
                    endpoint: ::awsjson_runtime::endpoint::EndpointBindings::NONE,
                },
                invalid_endpoint_error: #error,
            }))
        }
    };
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
                request_compression: &[#(#compression),*],
                endpoint_discovery: #discovery,
                endpoint: #endpoint,
            };
            #(#tokens)*
            self.handle.invoke(&__private::SERVICE, &OP, &input).await
        }
    }
}

fn fluent(op: &Operation, input: Option<&Struct>) -> TokenStream {
    let name = ident(&fluent_builder(op));
    let builder = ident(&super::types::builder(&op.input));
    let output = ident(&op.output);
    let err = ident(&super::errors::error_enum(op));
    let call = ident(&call_method(op));
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
                    impl FnMut(super::types::#input) -> ::awsjson_runtime::private::PageFuture<super::types::#output, super::error::#err>,
                >,
                super::error::#err,
            > {
                let input = self.inner.build().map_err(::awsjson_runtime::private::build_error::<super::error::#err>)?;
                ::std::result::Result::Ok(::awsjson_runtime::private::paginator(
                    self.client,
                    input,
                    |client: super::Client, input: super::types::#input| async move { client.#call(input).await },
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
                let input = self.inner.build().map_err(::awsjson_runtime::private::build_error::<super::error::#err>)?;
                self.client.#call(input).await
            }
            #paginator
        }
    }
}
