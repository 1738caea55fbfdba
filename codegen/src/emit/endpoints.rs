//! One `#[test]` per `smithy.rules#endpointTests` case, when asked for (`endpoint_tests = true`).
//! The module is `#[cfg(test)]`: users of the generated crate never compile it.

use super::lit_str;
use crate::ir::{EndpointExpect, Service};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn emit(service: &Service) -> TokenStream {
    if service.endpoint_tests.is_empty() {
        return TokenStream::new();
    }
    let width = service.endpoint_tests.len().to_string().len();
    let cases = service.endpoint_tests.iter().enumerate().map(|(i, case)| {
        let name = format_ident!("{}", format!("case_{:0width$}", i, width = width));
        let params = lit_str(&case.params);
        let expect = match &case.expect {
            EndpointExpect::Url(u) => {
                let u = lit_str(u);
                quote!(::std::result::Result::Ok(#u))
            }
            EndpointExpect::Error(e) => {
                let e = lit_str(e);
                quote!(::std::result::Result::Err(#e))
            }
        };
        quote!(#[test] fn #name() { check(#params, #expect); })
    });
    quote! {
        /// The model's endpoint rule set tests, one per case.
        #[cfg(test)]
        mod endpoint_tests {
            fn check(params: &str, expect: ::std::result::Result<&str, &str>) {
                let values: ::serde_json::Map<::std::string::String, ::serde_json::Value> =
                    ::serde_json::from_str(params).expect("endpoint test params are a JSON object");
                let mut p = ::awsjson_runtime::endpoint::Params::new();
                for (name, value) in values {
                    p.set(&name, value);
                }
                match (::awsjson_runtime::endpoint::resolve(&super::__private::SERVICE.endpoint_rules, &p), expect) {
                    (::std::result::Result::Ok(e), ::std::result::Result::Ok(url)) => assert_eq!(e.url(), url),
                    (::std::result::Result::Err(e), ::std::result::Result::Err(msg)) => assert_eq!(e.to_string(), msg),
                    (got, want) => panic!("endpoint resolution gave {:?}, the model expects {:?}", got, want),
                }
            }
            #(#cases)*
        }
    }
}
