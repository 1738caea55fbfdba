//! `SERVICE`, `Client` with one fluent and one direct method per operation, and the fluent builders.

use super::{deprecated, doc, ident, lit_str, rust_type};
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
    let svc_doc = doc(&service.docs);
    let methods = service.operations.iter().map(method);
    let fluents = service
        .operations
        .iter()
        .map(|op| fluent(op, structs.get(op.input.as_str()).copied()));
    quote! {
        /// What the runtime needs to know about the service.
        pub static SERVICE: ::awsjson_runtime::ServiceMeta = ::awsjson_runtime::ServiceMeta {
            service_shape_name: #shape_name,
            sdk_id: #sdk_id,
            signing_name: #signing,
            protocol: ::awsjson_runtime::JsonProtocol::#protocol,
            api_version: #version,
            endpoint_rules: ::awsjson_runtime::endpoint::RuleSetSource::new(#rules),
        };

        #svc_doc
        #[derive(Clone)]
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
            /// A client sharing an existing runtime handle.
            pub fn from_handle(handle: ::awsjson_runtime::Handle) -> Self { Self { handle } }
            /// The runtime handle (configuration, connection pool).
            pub fn handle(&self) -> &::awsjson_runtime::Handle { &self.handle }
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
    let docs = if op.docs.is_empty() {
        doc(&format!("Calls `{}`.", op.wire_name))
    } else {
        doc(&op.docs)
    };
    let call_docs = doc(&format!(
        "Calls `{}` with a complete input; [`Client::{}`] builds it fluently.",
        op.wire_name,
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
            self.handle.invoke(&SERVICE, &OP, &input).await
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
        " Fluent builder for `{}`; finish with `send()`.",
        op.wire_name
    );
    let setters = input.map(|s| &s.fields[..]).unwrap_or_default().iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty);
        let fdoc = doc(&f.docs);
        quote! {
            #fdoc
            pub fn #fname(mut self, value: impl ::std::convert::Into<#ty>) -> Self { self.inner = self.inner.#fname(value); self }
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
                    <super::error::#err as ::awsjson_runtime::OperationError>::unhandled(::std::convert::From::from(e))
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
            /// Builds the input (a missing required member is an `Unhandled` validation error) and sends it.
            pub async fn send(self) -> ::std::result::Result<super::types::#output, super::error::#err> {
                let input = self.inner.build().map_err(|e| {
                    <super::error::#err as ::awsjson_runtime::OperationError>::unhandled(::std::convert::From::from(e))
                })?;
                self.client.#call(input).await
            }
            #paginator
        }
    }
}
