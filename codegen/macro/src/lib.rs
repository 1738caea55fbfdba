//! `generate!`: expand a Smithy JSON AST model into a typed awsJson client at build time.
//!
//! ```text
//! awsjson_codegen_macro::generate!(
//!     "../model/cognito-identity-provider.json",   // relative to the crate's Cargo.toml
//!     operations = [InitiateAuth, RespondToAuthChallenge], // optional; absent = every operation
//!     endpoint_tests = true,                        // optional; #[cfg(test)] endpoint rule tests
//! );
//! ```
//!
//! All the work is in the `awsjson-codegen` library; this crate reads the file, turns diagnostics into
//! `compile_error!`s spanned on the macro input (beside a minimal `Client`, so they do not
//! cascade), and appends an `include_bytes!` of the model so that cargo rebuilds the invoking
//! crate when the model changes.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, Ident, LitBool, LitStr, Token};

struct Input {
    path: LitStr,
    operations: Option<Vec<(String, Span)>>,
    endpoint_tests: bool,
}

/// An operation name, written as an identifier or a string.
struct OpName(String, Span);

impl Parse for OpName {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let s: LitStr = input.parse()?;
            Ok(OpName(s.value(), s.span()))
        } else {
            let i: Ident = input.parse()?;
            Ok(OpName(i.to_string(), i.span()))
        }
    }
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut out = Input {
            path,
            operations: None,
            endpoint_tests: false,
        };
        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "operations" => {
                    let content;
                    bracketed!(content in input);
                    let names = Punctuated::<OpName, Token![,]>::parse_terminated(&content)?;
                    out.operations = Some(names.into_iter().map(|n| (n.0, n.1)).collect());
                }
                "endpoint_tests" => out.endpoint_tests = input.parse::<LitBool>()?.value,
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown option `{other}`; expected `operations = [..]` or `endpoint_tests = true`"),
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// See the crate documentation.
#[proc_macro]
pub fn generate(tokens: TokenStream) -> TokenStream {
    let input = match syn::parse::<Input>(tokens) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error().into(),
    };
    // Tests run the macro from elsewhere (trybuild); they point it back at the real crate.
    let base = std::env::var_os("CODEGEN_MANIFEST_DIR_OVERRIDE")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let rel = input.path.value();
    let path = base.join(&rel);
    let opts = awsjson_codegen::Options {
        operations: input
            .operations
            .as_ref()
            .map(|ops| ops.iter().map(|(n, _)| n.clone()).collect()),
        endpoint_tests: input.endpoint_tests,
    };
    let result = match std::fs::read_to_string(&path) {
        Ok(text) => awsjson_codegen::expand(&text, &opts),
        Err(e) => {
            let mut d = awsjson_codegen::Diagnostics::new();
            d.error(None, None, format!("cannot read model file `{rel}` (relative to the crate's manifest directory): {e}"));
            Err(d)
        }
    };
    match result {
        Ok(expansion) => {
            let abs = path.to_string_lossy().into_owned();
            quote! {
                #expansion
                const _: &[u8] = include_bytes!(#abs);
            }
            .into()
        }
        Err(diags) => {
            let errors = diags.iter().map(|d| {
                // An unknown operation points at its own name; everything else at the model path.
                let span = match &d.location {
                    awsjson_codegen::diagnostics::Location::Operation { name, .. } => input
                        .operations
                        .iter()
                        .flatten()
                        .find(|(n, _)| n == name)
                        .map_or(input.path.span(), |(_, s)| *s),
                    _ => input.path.span(),
                };
                syn::Error::new(span, d.to_string()).to_compile_error()
            });
            // thiserror's fallback: a minimal `Client` beside the errors, so that code using it
            // shows the model's errors alone, not a cascade of "no `Client` here". A model that
            // was read is still included, so that fixing it rebuilds the crate.
            let skeleton = awsjson_codegen::emit::skeleton();
            let rebuild = path.is_file().then(|| {
                let abs = path.to_string_lossy().into_owned();
                quote!(
                    const _: &[u8] = include_bytes!(#abs);
                )
            });
            quote!(#(#errors)* #skeleton #rebuild).into()
        }
    }
}
