//! One `#[test]` per `smithy.rules#endpointTests` case, when asked for (`endpoint_tests = true`).
//! The module is `#[cfg(test)]`: users of the generated crate never compile it.

use super::tokens::lit_str;
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
        quote! {
            #[test]
            fn #name() {
                ::awsjson_runtime::private::check_endpoint_case(&super::__private::SERVICE.endpoint_rules, #params, #expect);
            }
        }
    });
    quote! {
        /// The model's endpoint rule set tests, one per case.
        #[cfg(test)]
        mod endpoint_tests {
            #(#cases)*
        }
    }
}
