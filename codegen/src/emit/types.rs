//! Structures (with builders, Debug, Validate), enums, intEnums and unions.

use super::{deprecated, doc, ident, lit_str, rust_type};
use crate::ir::{Enum, Field, IntEnum, Service, Struct, Type, TypeDef, Union};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    for t in &service.types {
        match t {
            TypeDef::Struct(s) if s.error.is_none() => out.extend(structure(s)),
            TypeDef::Struct(_) => {}
            TypeDef::Enum(e) => out.extend(string_enum(e)),
            TypeDef::IntEnum(e) => out.extend(int_enum(e)),
            TypeDef::Union(u) => out.extend(union(u)),
        }
    }
    out
}

/// The struct declaration with serde attributes; shared with error structs (`extra` fields).
pub(super) fn struct_decl(s: &Struct, extra: TokenStream) -> TokenStream {
    let name = ident(&s.name);
    let docs = doc(&s.docs);
    let dep = deprecated(&s.deprecated);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = lit_str(&f.wire_name);
        let ty = field_type(f);
        let fdoc = doc(&f.docs);
        let fdep = deprecated(&f.deprecated);
        let serde = if f.optional {
            quote!(#[serde(rename = #wire, skip_serializing_if = "::std::option::Option::is_none")])
        } else if f.default {
            quote!(#[serde(rename = #wire, default)])
        } else {
            quote!(#[serde(rename = #wire)])
        };
        quote!(#fdoc #fdep #serde pub #fname: #ty,)
    });
    let needs_manual_debug = s.sensitive || s.fields.iter().any(|f| f.sensitive);
    let derive_debug = if needs_manual_debug {
        quote!()
    } else {
        quote!(Debug,)
    };
    let eq = if s.error.is_some() {
        quote!()
    } else {
        quote!(PartialEq,)
    };
    let debug = if needs_manual_debug {
        manual_debug(s)
    } else {
        quote!()
    };
    quote! {
        #docs #dep
        #[derive(Clone, #eq #derive_debug ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name { #(#fields)* #extra }
        #debug
    }
}

fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty);
    if f.optional {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

fn manual_debug(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let label = lit_str(&s.name);
    let body = if s.sensitive {
        quote!(f.write_str(::awsjson_runtime::REDACTED))
    } else {
        let fields = s.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let label = lit_str(crate::names::bare(&f.name));
            if f.sensitive {
                quote!(.field(#label, &::awsjson_runtime::REDACTED))
            } else {
                quote!(.field(#label, &self.#fname))
            }
        });
        let meta = if s.error.is_some() {
            quote!(.field("meta", &self.meta))
        } else {
            quote!()
        };
        quote!(f.debug_struct(#label) #(#fields)* #meta .finish())
    };
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { #body }
        }
    }
}

fn structure(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let decl = struct_decl(s, quote!());
    let builder = format_ident!("{}Builder", s.name);
    let builder_doc = format!(
        " Builds [`{}`]; `build()` names a missing required member.",
        s.name
    );
    let slots = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty);
        quote!(#fname: ::std::option::Option<#ty>,)
    });
    let setters = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty);
        let fdoc = doc(&f.docs);
        quote! {
            #fdoc
            pub fn #fname(mut self, value: impl ::std::convert::Into<#ty>) -> Self { self.#fname = ::std::option::Option::Some(value.into()); self }
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = lit_str(&f.wire_name);
        if f.optional {
            quote!(#fname: self.#fname,)
        } else if f.required {
            quote!(#fname: self.#fname.ok_or_else(|| ::awsjson_runtime::BuildError::missing(#wire))?,)
        } else {
            quote!(#fname: self.#fname.unwrap_or_default(),)
        }
    });
    let validate = if s.validate {
        validate_struct(s)
    } else {
        quote!()
    };
    quote! {
        #decl
        impl #name {
            #[doc = #builder_doc]
            pub fn builder() -> #builder { ::std::default::Default::default() }
        }
        #[doc = #builder_doc]
        #[derive(Clone, Default)]
        pub struct #builder { #(#slots)* }
        impl #builder {
            #(#setters)*
            /// Checks that every required member is set.
            pub fn build(self) -> ::std::result::Result<#name, ::awsjson_runtime::BuildError> {
                ::std::result::Result::Ok(#name { #(#inits)* })
            }
        }
        #validate
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let l = Literal::u64_suffixed(n);
            quote!(::std::option::Option::Some(#l))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => {
            let l = Literal::f64_suffixed(n);
            quote!(::std::option::Option::Some(#l))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn validate_struct(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let mut checks = TokenStream::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let wire = lit_str(&f.wire_name);
        let c = &f.constraints;
        let mut on_value = TokenStream::new();
        if let Some((min, max)) = c.length {
            let (min, max) = (opt_u64(min), opt_u64(max));
            let len = match &f.ty {
                Type::String => quote!(x.chars().count()),
                Type::Blob => quote!(::std::convert::AsRef::<[u8]>::as_ref(x).len()),
                _ => quote!(x.len()),
            };
            on_value.extend(quote!(v.length(#wire, #len, #min, #max);));
        }
        if let Some((min, max)) = c.range {
            let (min, max) = (opt_f64(min), opt_f64(max));
            on_value.extend(quote!(v.range(#wire, *x as f64, #min, #max);));
        }
        if let Some(p) = &c.pattern {
            let p = lit_str(p);
            on_value.extend(quote!(v.pattern(#wire, x, #p);));
        }
        if !on_value.is_empty() {
            checks.extend(if f.optional {
                quote!(if let ::std::option::Option::Some(x) = &self.#fname { #on_value })
            } else {
                quote!({ let x = &self.#fname; #on_value })
            });
        }
        if f.nested {
            checks.extend(quote!(v.nested(#wire, &self.#fname);));
        }
    }
    let param = if checks.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        impl ::awsjson_runtime::Validate for #name {
            fn validate(&self, #param: &mut ::awsjson_runtime::Validator) { #checks }
        }
    }
}

fn string_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc(&e.docs);
    let dep = deprecated(&e.deprecated);
    let variants = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vdoc = doc(&v.docs);
        let vdep = deprecated(&v.deprecated);
        quote!(#vdoc #vdep #vn,)
    });
    let as_str = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let val = lit_str(&v.value);
        quote!(Self::#vn => #val,)
    });
    let from = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let val = lit_str(&v.value);
        quote!(#val => Self::#vn,)
    });
    let values = e.variants.iter().map(|v| lit_str(&v.value));
    quote! {
        #docs #dep
        #[non_exhaustive]
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the model does not know, kept as sent.
            Unknown(::std::string::String),
        }
        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str { match self { #(#as_str)* Self::Unknown(s) => s.as_str() } }
            /// Every value the model knows.
            pub const fn values() -> &'static [&'static str] { &[#(#values),*] }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self { match s { #(#from)* other => Self::Unknown(other.to_owned()) } }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s: ::std::string::String = ::serde::Deserialize::deserialize(d)?;
                ::std::result::Result::Ok(Self::from(s.as_str()))
            }
        }
    }
}

fn int_enum(e: &IntEnum) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc(&e.docs);
    let dep = deprecated(&e.deprecated);
    let variants = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vdoc = doc(&v.docs);
        let vdep = deprecated(&v.deprecated);
        quote!(#vdoc #vdep #vn,)
    });
    let lit = |n: i64| Literal::i32_unsuffixed(i32::try_from(n).unwrap_or_default());
    let as_i32 = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let val = lit(v.value);
        quote!(Self::#vn => #val,)
    });
    let from = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let val = lit(v.value);
        quote!(#val => Self::#vn,)
    });
    let values = e.variants.iter().map(|v| lit(v.value));
    quote! {
        #docs #dep
        #[non_exhaustive]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the model does not know, kept as sent.
            Unknown(i32),
        }
        impl #name {
            /// The wire value.
            pub fn as_i32(&self) -> i32 { match self { #(#as_i32)* Self::Unknown(n) => *n } }
            /// Every value the model knows.
            pub const fn values() -> &'static [i32] { &[#(#values),*] }
        }
        impl ::std::convert::From<i32> for #name {
            fn from(n: i32) -> Self { match n { #(#from)* other => Self::Unknown(other) } }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> { s.serialize_i32(self.as_i32()) }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let n: i32 = ::serde::Deserialize::deserialize(d)?;
                ::std::result::Result::Ok(Self::from(n))
            }
        }
    }
}

fn union(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let docs = doc(&u.docs);
    let dep = deprecated(&u.deprecated);
    let variants = u.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vdoc = doc(&v.docs);
        match &v.ty {
            Some(t) => {
                let t = rust_type(t);
                quote!(#vdoc #vn(#t),)
            }
            None => quote!(#vdoc #vn,),
        }
    });
    let ser = u.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let wire = lit_str(&v.wire_name);
        match &v.ty {
            Some(_) => quote!(Self::#vn(x) => m.serialize_entry(#wire, x)?,),
            None => quote!(Self::#vn => m.serialize_entry(#wire, &::serde_json::Map::new())?,),
        }
    });
    let de = u.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let wire = lit_str(&v.wire_name);
        match &v.ty {
            Some(_) => quote!(#wire => Self::#vn(::serde_json::from_value(value).map_err(D::Error::custom)?),),
            None => quote!(#wire => Self::#vn,),
        }
    });
    let sensitive = u.sensitive || u.variants.iter().any(|v| v.sensitive);
    let derive_debug = if sensitive { quote!() } else { quote!(Debug,) };
    let debug = if sensitive {
        let arms = u.variants.iter().map(|v| {
            let vn = ident(&v.name);
            let label = lit_str(&v.name);
            match (&v.ty, v.sensitive || u.sensitive) {
                (Some(_), true) => quote!(Self::#vn(_) => f.debug_tuple(#label).field(&::awsjson_runtime::REDACTED).finish(),),
                (Some(_), false) => quote!(Self::#vn(x) => f.debug_tuple(#label).field(x).finish(),),
                (None, _) => quote!(Self::#vn => f.write_str(#label),),
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self { #(#arms)* Self::Unknown => f.write_str("Unknown") }
                }
            }
        }
    } else {
        quote!()
    };
    let validate = if u.validate {
        let arms = u.variants.iter().filter(|v| v.nested).map(|v| {
            let vn = ident(&v.name);
            let wire = lit_str(&v.wire_name);
            quote!(Self::#vn(x) => v.nested(#wire, x),)
        });
        let any = u.variants.iter().any(|v| v.nested);
        let param = if any { quote!(v) } else { quote!(_v) };
        let body = if any {
            quote!(#[allow(clippy::match_single_binding)] match self { #(#arms)* _ => {} })
        } else {
            quote!()
        };
        quote! {
            impl ::awsjson_runtime::Validate for #name {
                fn validate(&self, #param: &mut ::awsjson_runtime::Validator) { #body }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #docs #dep
        #[non_exhaustive]
        #[derive(Clone, PartialEq, #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the model does not know (it cannot be sent).
            Unknown,
        }
        #debug
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut m = s.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#ser)*
                    Self::Unknown => return ::std::result::Result::Err(::serde::ser::Error::custom("cannot send an unknown union member")),
                }
                m.end()
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let map: ::serde_json::Map<::std::string::String, ::serde_json::Value> = ::serde::Deserialize::deserialize(d)?;
                let mut set = map.into_iter().filter(|(k, v)| !v.is_null() && k != "__type");
                let (key, value) = set.next().ok_or_else(|| D::Error::custom("a union needs exactly one member set"))?;
                if set.next().is_some() {
                    return ::std::result::Result::Err(D::Error::custom("a union needs exactly one member set"));
                }
                let _ = &value;
                ::std::result::Result::Ok(match key.as_str() { #(#de)* _ => Self::Unknown })
            }
        }
        #validate
    }
}
