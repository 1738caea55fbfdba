//! `operation::<op>`: per operation its input (`<Op>Input`, with `send_with(&client)`), output
//! and error enum, and in `operation::<op>::builders` the input's and output's builders and the
//! fluent builder `client.<op>()` returns.

use super::errors;
use super::tokens::{doc, ident, lit_str, moved_all, root_alias};
use super::types::{setters, structure, structure_with_setters, Setter};
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// `InitiateAuthFluentBuilder`.
pub fn fluent_builder(op: &Operation) -> String {
    format!("{}FluentBuilder", op.type_name)
}

/// The module of every operation (the items of `operation`).
pub(super) fn emit(service: &Service) -> TokenStream {
    service.operations.iter().map(module).collect()
}

fn module(op: &Operation) -> TokenStream {
    let module = ident(&op.module);
    let input_setters: Vec<Setter> = op.input.fields.iter().flat_map(setters).collect();
    let (input_decl, input_builder) = structure_with_setters(&op.input, &input_setters);
    let (output_decl, output_builder) = structure(&op.output);
    let send_with = send_with(op);
    let error = errors::op_error(op);
    let fluent = fluent(op, &input_setters);
    let input_builder_send = input_builder_send(op);
    let (root2, root3) = (root_alias(2), root_alias(3));
    let docs = doc(&format!(
        "The operation `{}`: its input, output and error enum; `builders` has their builders.",
        op.wire_name
    ));
    quote! {
        #docs
        pub mod #module {
            #![allow(deprecated, non_camel_case_types, clippy::large_enum_variant, clippy::too_many_arguments)]
            #root2
            #input_decl
            #send_with
            #output_decl
            #error
            /// The builders of the operation's input and output, and its fluent builder.
            pub mod builders {
                #![allow(deprecated, non_camel_case_types)]
                #root3
                #input_builder
                #input_builder_send
                #output_builder
                #fluent
            }
        }
    }
}

/// `<Op>Input::send_with(&client)`: the call itself, for an input built or deserialized
/// elsewhere; the fluent builder, the paginator and the waiters end here.
fn send_with(op: &Operation) -> TokenStream {
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let err = ident(&errors::error_enum(op));
    let wire = lit_str(&op.wire_name);
    let auth = if op.auth_none {
        quote!(None)
    } else {
        quote!(SigV4)
    };
    let endpoint = super::bindings::emit(&op.endpoint);
    let docs = doc(&format!(
        "Sends `{}` with this input (`client.{}()` is the fluent way in). The input is \
         validated against the model's constraints before anything is sent.",
        op.wire_name,
        crate::names::bare(&op.method)
    ));
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
        impl #input {
            #docs
            pub async fn send_with(self, client: &__root::Client) -> ::std::result::Result<#output, #err> {
                static OP: ::awsjson_runtime::OperationMeta = ::awsjson_runtime::OperationMeta {
                    name: #wire,
                    auth: ::awsjson_runtime::AuthRequirement::#auth,
                    request_compression: &[#(#compression),*],
                    endpoint_discovery: #discovery,
                    endpoint: #endpoint,
                };
                let #mutable input = self;
                #(#tokens)*
                client.handle.invoke(&__root::__private::SERVICE, &OP, &input).await
            }
        }
    }
}

/// `<Op>InputBuilder::send_with(&client)`: build, then send (as aws-sdk-rust's).
fn input_builder_send(op: &Operation) -> TokenStream {
    let builder = ident(&super::types::builder(&op.input.name));
    let output = ident(&op.output.name);
    let err = ident(&errors::error_enum(op));
    quote! {
        impl #builder {
            /// Builds the input and sends it with `client`; a missing required member is the
            /// `Validation` error variant (nothing is sent).
            pub async fn send_with(self, client: &__root::Client) -> ::std::result::Result<super::#output, super::#err> {
                let input = self.build().map_err(::awsjson_runtime::private::build_error::<super::#err>)?;
                input.send_with(client).await
            }
        }
    }
}

/// The fluent builder: the input's setters, `send()`, and `into_paginator()` where paginated.
fn fluent(op: &Operation, input_setters: &[Setter]) -> TokenStream {
    let name = ident(&fluent_builder(op));
    let builder = ident(&super::types::builder(&op.input.name));
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let err = ident(&errors::error_enum(op));
    let docs = format!(
        " Fluent builder for `{}`: set the input's members, then `send().await`.",
        op.wire_name
    );
    let setters = moved_all(input_setters.iter().map(Setter::forwarded));
    let paginator = op.paginated.as_ref().map(|p| {
        let (it, ot) = (ident(&p.input_token), ident(&p.output_token));
        quote! {
            /// Pages through the results: each page's token is fed into the next request
            /// (`next_page().await`, or `collect_all().await`).
            pub fn into_paginator(
                self,
            ) -> ::std::result::Result<
                ::awsjson_runtime::paginate::Paginator<
                    super::#input,
                    super::#output,
                    impl ::std::ops::FnMut(super::#input) -> ::awsjson_runtime::private::PageFuture<super::#output, super::#err>,
                >,
                super::#err,
            > {
                let input = self.inner.build().map_err(::awsjson_runtime::private::build_error::<super::#err>)?;
                ::std::result::Result::Ok(::awsjson_runtime::private::paginator(
                    self.client,
                    input,
                    |client: __root::Client, input: super::#input| async move { input.send_with(&client).await },
                    |input: &mut super::#input, token| input.#it = token,
                    |output: &super::#output| ::std::clone::Clone::clone(&output.#ot),
                ))
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(::std::clone::Clone)]
        pub struct #name {
            pub(crate) client: __root::Client,
            pub(crate) inner: #builder,
        }
        impl #name {
            #setters
            /// Builds the input and sends it. A missing required member, or one that breaks the
            /// model's constraints, is the `Validation` error variant (nothing is sent).
            pub async fn send(self) -> ::std::result::Result<super::#output, super::#err> {
                let input = self.inner.build().map_err(::awsjson_runtime::private::build_error::<super::#err>)?;
                input.send_with(&self.client).await
            }
            #paginator
        }
    }
}
