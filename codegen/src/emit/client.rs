//! `Client` with one fluent method per operation (and one per waiter), and the
//! `#[doc(hidden)]` glue (`SERVICE`, the runtime handle) that hand-written code beside the
//! expansion may use but users should not see.

use super::facts;
use super::operations::fluent_builder;
use super::tokens::{deprecated, doc, ident, lit_str};
use crate::ir::{Operation, Protocol, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// The methods `Client` has whatever the model (an operation named like one takes
/// `_operation` on its method: `lower::naming::client_method`).
pub const CLIENT_METHODS: &[&str] = &["new", "from_env", "config"];

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
        pub mod types {
            pub mod builders {}
            pub mod error {}
        }
        pub mod operation {}
        #[doc(hidden)]
        pub mod __private {}
    }
}

pub(super) fn emit(service: &Service) -> TokenStream {
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
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
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
    }
}

fn method(op: &Operation) -> TokenStream {
    let m = ident(&op.method);
    let module = ident(&op.module);
    let fluent = ident(&fluent_builder(op));
    let renamed = if crate::names::bare(&op.method) != crate::names::bare(&op.module) {
        format!(
            "\n\nNamed `{}`: the client has a method `{}` of its own, so the operation's takes \
             `_operation`.",
            crate::names::bare(&op.method),
            crate::names::bare(&op.module)
        )
    } else {
        String::new()
    };
    let docs = doc(&format!("{}{renamed}", facts::operation(op)));
    let dep = deprecated(&op.deprecated);
    quote! {
        #docs #dep
        pub fn #m(&self) -> operation::#module::builders::#fluent {
            operation::#module::builders::#fluent { client: ::std::clone::Clone::clone(self), inner: ::std::default::Default::default() }
        }
    }
}
