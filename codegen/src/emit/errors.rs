//! Modeled error structs (`types::error`), and each operation's error enum (`operation::<op>`).

use super::tokens::{doc, ident, lit_str, moved_all, named_path};
use super::{facts, types::struct_decl};
use crate::ir::{Module, Operation, Service, Struct, Type, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

/// The variants every operation error enum has beside the modeled errors.
pub const ERROR_ENUM_VARIANTS: &[&str] = &["Unhandled", "Validation"];

/// `InitiateAuthError`: the error enum of an operation.
pub fn error_enum(op: &Operation) -> String {
    format!("{}Error", op.type_name)
}

/// The items of `types::error`: one struct per modeled error.
pub(super) fn emit(service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    for t in &service.types {
        if let TypeDef::Struct(s) = t {
            if s.error.is_some() {
                out.extend(error_struct(s));
            }
        }
    }
    out
}

fn error_struct(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let code = s.error.as_ref().map(|e| e.code.clone()).unwrap_or_default();
    let code = lit_str(&code);
    let docs = s
        .error
        .as_ref()
        .map(|e| facts::error(s, e))
        .unwrap_or_default();
    let decl = struct_decl(
        s,
        &docs,
        quote! {
            /// Status, code, message and request id of the response (no member can be named
            /// `_meta`: member names lose leading underscores).
            #[serde(skip)]
            _meta: ::awsjson_runtime::ErrorMeta,
        },
    );
    let has_message = s
        .fields
        .iter()
        .any(|f| f.name == "message" && f.optional && f.ty == Type::String);
    let message = if has_message {
        quote!(self.message.as_deref().or_else(|| self._meta.message()))
    } else {
        quote!(self._meta.message())
    };
    quote! {
        #decl
        impl #name {
            /// The error code on the wire.
            pub const CODE: &'static str = #code;
            /// Status, code, message and request id of the response.
            pub fn meta(&self) -> &::awsjson_runtime::ErrorMeta { &self._meta }
            /// The request id (`x-amzn-RequestId`) of the response.
            pub fn request_id(&self) -> ::std::option::Option<&str> { self._meta.request_id() }
            /// Decode the error body (the runtime passes `{}` when the response had none);
            /// `None` if it does not fit.
            pub fn from_body(meta: &::awsjson_runtime::ErrorMeta, body: &[u8]) -> ::std::option::Option<Self> {
                ::awsjson_runtime::private::decode_error(meta, body)
            }
        }
        impl ::awsjson_runtime::private::ModeledError for #name {
            fn set_meta(&mut self, meta: ::awsjson_runtime::ErrorMeta) { self._meta = meta; }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::awsjson_runtime::private::fmt_error(f, Self::CODE, #message)
            }
        }
        impl ::std::error::Error for #name {}
    }
}

/// The error enum of an operation, for the operation's module.
pub(super) fn op_error(op: &Operation) -> TokenStream {
    let name = ident(&error_enum(op));
    let renamed: Vec<String> = op
        .errors
        .iter()
        .filter(|e| e.variant != e.type_name)
        .map(|e| format!("`{}` is the variant `{}`", e.type_name, e.variant))
        .collect();
    let renamed = if renamed.is_empty() {
        String::new()
    } else {
        format!(
            " A modeled error named like a variant the enum always has takes `Error` on its \
             variant: {}.",
            renamed.join(", ")
        )
    };
    let docs = doc(&format!(
        "Errors of `{}`: every modeled error, `Validation` for an input that breaks the model's \
         constraints (nothing was sent), and `Unhandled` for the rest. `request_id()` gives the \
         call's request id when a response was received.{renamed}",
        op.wire_name
    ));
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let ty = named_path(&e.type_name, Module::Error);
        let vdoc = doc(&format!(
            "The service answered with the modeled error `{}`.",
            e.code
        ));
        quote!(#vdoc #v(#ty),)
    });
    let display = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => ::std::fmt::Display::fmt(e, f),)
    });
    let modeled = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let ty = named_path(&e.type_name, Module::Error);
        let code = lit_str(&e.code);
        quote!(#code => #ty::from_body(meta, body).map(Self::#v),)
    });
    let retryable: Vec<_> = op
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.variant))
        .collect();
    let is_retryable = if retryable.is_empty() {
        quote!()
    } else {
        quote!(
            fn is_retryable(&self) -> bool {
                ::std::matches!(self, #(Self::#retryable(_))|*)
            }
        )
    };
    // Modeled errors are their own source-less leaves; an operation without any has no other arm.
    let modeled_sources = if op.errors.is_empty() {
        quote!()
    } else {
        quote!(_ => ::std::option::Option::None)
    };
    let metas = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => ::std::option::Option::Some(e.meta()),)
    });
    let request_ids = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Self::#v(e) => e.request_id(),)
    });
    let (variants, display, modeled) =
        (moved_all(variants), moved_all(display), moved_all(modeled));
    let (metas, request_ids) = (moved_all(metas), moved_all(request_ids));
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum #name {
            #variants
            /// The input broke the model's constraints or missed a required member; nothing was
            /// sent. Each problem names the member (wire name path) and the rule.
            Validation(::awsjson_runtime::ValidationError),
            /// Anything else: transport, timeout, an unmodeled error code, a bad body.
            Unhandled(::awsjson_runtime::Error),
        }
        impl #name {
            /// The response metadata of a modeled error.
            pub fn meta(&self) -> ::std::option::Option<&::awsjson_runtime::ErrorMeta> {
                match self { #metas _ => ::std::option::Option::None }
            }
            /// The request id (`x-amzn-RequestId`) of the response, if one was received.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                match self { #request_ids Self::Validation(_) => ::std::option::Option::None, Self::Unhandled(e) => e.request_id() }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self { #display Self::Validation(e) => ::awsjson_runtime::private::fmt_validation(f, e), Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f) }
            }
        }
        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self { Self::Validation(e) => ::std::option::Option::Some(e), Self::Unhandled(e) => ::std::option::Option::Some(e), #modeled_sources }
            }
        }
        impl ::awsjson_runtime::OperationError for #name {
            fn from_modeled(meta: &::awsjson_runtime::ErrorMeta, body: &[u8]) -> ::std::option::Option<Self> {
                match meta.error_type() { #modeled _ => { let _ = body; ::std::option::Option::None } }
            }
            fn unhandled(err: ::awsjson_runtime::Error) -> Self { Self::Unhandled(err) }
            fn validation(err: ::awsjson_runtime::ValidationError) -> Self { Self::Validation(err) }
            fn error_meta(&self) -> ::std::option::Option<&::awsjson_runtime::ErrorMeta> {
                match self { Self::Unhandled(e) => e.meta(), _ => self.meta() }
            }
            #is_retryable
        }
    }
}
