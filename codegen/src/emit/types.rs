//! Structures (with builders, Debug, Validate), enums, intEnums and unions.

use super::facts;
use super::tokens::{deprecated, doc, ident, lit_str, moved, moved_all, rust_type};
use crate::ir::{Enum, Field, IntEnum, Service, Struct, Type, TypeDef, Union};
use proc_macro2::{Delimiter, Group, Literal, TokenStream};
use quote::quote;

/// The items of `types` and of `types::builders`.
pub(super) fn emit(service: &Service) -> (TokenStream, TokenStream) {
    let (mut out, mut builders) = (TokenStream::new(), TokenStream::new());
    for t in &service.types {
        match t {
            TypeDef::Struct(s) if s.error.is_none() => {
                let (decl, builder) = structure(s);
                out.extend(decl);
                builders.extend(builder);
            }
            TypeDef::Struct(_) => {}
            TypeDef::Enum(e) => out.extend(string_enum(e)),
            TypeDef::IntEnum(e) => out.extend(int_enum(e)),
            TypeDef::Union(u) => out.extend(union(u)),
        }
    }
    (out, builders)
}

/// The methods the generated builders define beside the setters: `build` (every builder),
/// `send_with` (an input's builder), `send` and `into_paginator` (fluent builders), `wait`
/// (waiters). A member named like one gets another field name (`lower::naming::field_names`).
pub const BUILDER_METHODS: &[&str] = &["build", "send_with", "send", "into_paginator", "wait"];

/// The struct declaration with serde attributes; shared with error structs (`extra` fields, and
/// `docs` written for an error).
pub(super) fn struct_decl(s: &Struct, docs: &str, extra: TokenStream) -> TokenStream {
    let name = ident(&s.name);
    let docs = doc(docs);
    let dep = deprecated(&s.deprecated);
    let fields: TokenStream = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = lit_str(&f.wire_name);
        let ty = moved(field_type(f));
        let fdoc = doc(&facts::field(f));
        let fdep = deprecated(&f.deprecated);
        // `with` takes over the field's (de)serialization: an absent optional member still
        // reads as `None` through `default`.
        let default = (f.optional || f.default).then(|| quote!(, default));
        let with = super::wire::serde_with(&f.ty, f.optional).map(|w| {
            quote!(, with = #w #default)
        });
        // What a client decodes reads its maps of strings leniently (a type holding one has no
        // wire format of its own, so this never meets a `with`).
        let with = with.or_else(|| {
            (s.decoded && f.ty.holds_string_map()).then(|| {
                quote!(, deserialize_with = "::awsjson_runtime::private::lenient" #default)
            })
        });
        let serde = if f.optional {
            quote!(#[serde(rename = #wire, skip_serializing_if = "::std::option::Option::is_none" #with)])
        } else if f.default && with.is_none() {
            quote!(#[serde(rename = #wire, default)])
        } else {
            quote!(#[serde(rename = #wire #with)])
        };
        quote!(#fdoc #fdep #serde pub #fname: #ty,)
    }).collect();
    let fields = moved(fields);
    let needs_manual_debug = s.sensitive || s.fields.iter().any(|f| f.sensitive);
    let derive_debug = if needs_manual_debug {
        quote!()
    } else {
        quote!(::std::fmt::Debug,)
    };
    let eq = if s.error.is_some() {
        quote!()
    } else {
        quote!(::std::cmp::PartialEq,)
    };
    let debug = if needs_manual_debug {
        manual_debug(s)
    } else {
        quote!()
    };
    quote! {
        #docs #dep
        #[derive(::std::clone::Clone, #eq #derive_debug ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name { #fields #extra }
        #debug
    }
}

fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty);
    if f.optional {
        let ty = moved(ty);
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
            quote!(.field("meta", &self._meta))
        } else if is_output(s) {
            quote!(.field("_request_id", &self._request_id))
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

/// Operation outputs carry the call's request id in a private field.
pub(super) fn is_output(s: &Struct) -> bool {
    !s.output_of.is_empty() && s.error.is_none()
}

/// `XBuilder`: the builder of struct `X`.
pub fn builder(struct_name: &str) -> String {
    format!("{struct_name}Builder")
}

/// `set_x`: the builder method that sets (or clears) field `x` as a whole.
pub fn whole_setter(field_name: &str) -> String {
    // `_1st_choice` (a digit-leading member) gets `set_1st_choice`, not a non-snake `set__1st..`.
    format!(
        "set_{}",
        crate::names::bare(field_name).trim_start_matches('_')
    )
}

/// One setter of a builder: what it is called, what it takes, and its doc. The parameter
/// and argument lists are groups, so the builder and the fluent builder share them instead of
/// copying their tokens.
pub(super) struct Setter {
    pub name: proc_macro2::Ident,
    /// `(mut self, <params>)`.
    pub params: Group,
    /// `(<args>)`: the arguments as passed on (the fluent builder forwards them to the input
    /// builder).
    pub args: Group,
    /// The statement that stores the arguments in the builder's `Option` slot `self.<field>`.
    pub store: TokenStream,
    pub docs: TokenStream,
}

impl Setter {
    fn new(
        name: proc_macro2::Ident,
        params: TokenStream,
        args: TokenStream,
        store: TokenStream,
        docs: TokenStream,
    ) -> Setter {
        let params = moved(params);
        Setter {
            name,
            params: Group::new(Delimiter::Parenthesis, quote!(mut self, #params)),
            args: Group::new(Delimiter::Parenthesis, args),
            store,
            docs,
        }
    }

    /// The same setter on a wrapper that holds the input builder in `self.inner` (the fluent
    /// builder, a waiter's builder): it passes its arguments on.
    pub(super) fn forwarded(&self) -> TokenStream {
        let Setter {
            name,
            params,
            args,
            docs,
            ..
        } = self;
        quote! {
            #docs
            pub fn #name #params -> Self { self.inner = self.inner.#name #args; self }
        }
    }
}

/// The setters of one member, aws-sdk-rust style: a list member gets a per-item appender and a
/// map member a per-entry setter, every member gets `set_x(Option<..>)` for the whole value.
pub(super) fn setters(f: &Field) -> Vec<Setter> {
    let fname = ident(&f.name);
    let set_name = ident(&whole_setter(&f.name));
    let whole = rust_type(&f.ty);
    let facts = facts::field(f);
    let primary = match &f.ty {
        Type::List { element, sparse } => {
            let item = moved(item_type(element, *sparse));
            Setter::new(
                fname.clone(),
                quote!(item: impl ::std::convert::Into<#item>),
                quote!(item),
                quote!(::awsjson_runtime::private::push_item(&mut self.#fname, ::std::convert::Into::into(item));),
                doc(&format!(
                    "Appends one item to `{}` (call again for more; `{set_name}` sets the whole list).\n\n{facts}",
                    f.wire_name
                )),
            )
        }
        Type::Map { value, sparse } => {
            let v = moved(item_type(value, *sparse));
            Setter::new(
                fname.clone(),
                quote!(key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#v>),
                quote!(key, value),
                quote!(::awsjson_runtime::private::insert_entry(&mut self.#fname, ::std::convert::Into::into(key), ::std::convert::Into::into(value));),
                doc(&format!(
                    "Adds one entry to `{}` (call again for more; `{set_name}` sets the whole map).\n\n{facts}",
                    f.wire_name
                )),
            )
        }
        _ => Setter::new(
            fname.clone(),
            quote!(value: impl ::std::convert::Into<#whole>),
            quote!(value),
            quote!(self.#fname = ::std::option::Option::Some(::std::convert::Into::into(value));),
            doc(&format!("Sets {facts}")),
        ),
    };
    let whole = moved(whole);
    let set = Setter::new(
        set_name,
        quote!(value: ::std::option::Option<#whole>),
        quote!(value),
        quote!(self.#fname = value;),
        doc(&format!(
            "Sets or clears `{}` as a whole (`None` leaves it unset).",
            f.wire_name
        )),
    );
    vec![primary, set]
}

fn item_type(element: &Type, sparse: bool) -> TokenStream {
    let e = rust_type(element);
    if sparse {
        quote!(::std::option::Option<#e>)
    } else {
        e
    }
}

/// A structure: its declaration (with `builder()`, and `request_id()` on an operation output)
/// for its own module, and its builder `XBuilder` for the `builders` module beside it.
pub(super) fn structure(s: &Struct) -> (TokenStream, TokenStream) {
    let setters: Vec<Setter> = s.fields.iter().flat_map(setters).collect();
    structure_with_setters(s, &setters)
}

/// [`structure`] with the setters of its members made by the caller, who also hands them to
/// the fluent builder (making them is much of the expansion's time on a large model).
pub(super) fn structure_with_setters(
    s: &Struct,
    member_setters: &[Setter],
) -> (TokenStream, TokenStream) {
    let name = ident(&s.name);
    let output = is_output(s);
    let request_id_slot = if output {
        quote! {
            #[serde(skip)]
            _request_id: ::std::option::Option<::std::string::String>,
        }
    } else {
        quote!()
    };
    let decl = struct_decl(s, &facts::structure(s), request_id_slot);
    let builder = ident(&builder(&s.name));
    let builder_doc = format!(
        " Builds [`{}`](super::{}); `build()` names a missing required member.",
        s.name,
        crate::names::bare(&s.name)
    );
    let new_doc = format!(
        " A builder of [`{}`]; `build()` names a missing required member.",
        s.name
    );
    let slots: TokenStream = s
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let ty = moved(rust_type(&f.ty));
            quote!(#fname: ::std::option::Option<#ty>,)
        })
        .collect();
    let slots = moved(slots);
    let setters: TokenStream = member_setters
        .iter()
        .map(|st| {
            let Setter {
                name,
                params,
                store,
                docs,
                ..
            } = st;
            quote! {
                #docs
                pub fn #name #params -> Self { #store self }
            }
        })
        .collect();
    let setters = moved(setters);
    let request_id_init = if output {
        quote!(_request_id: ::std::option::Option::None,)
    } else {
        quote!()
    };
    let output_impls = if output {
        quote! {
            impl #name {
                /// The request id (`x-amzn-RequestId`) of the response this output came from;
                /// `None` for an output built or deserialized by hand.
                pub fn request_id(&self) -> ::std::option::Option<&str> { self._request_id.as_deref() }
            }
            impl ::awsjson_runtime::OperationOutput for #name {
                fn set_request_id(&mut self, request_id: ::std::option::Option<::std::string::String>) { self._request_id = request_id; }
            }
        }
    } else {
        quote!()
    };
    let inits: TokenStream = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = lit_str(&f.wire_name);
        if f.optional {
            quote!(#fname: self.#fname,)
        } else if f.required {
            quote!(#fname: self.#fname.ok_or_else(|| ::awsjson_runtime::BuildError::missing(#wire))?,)
        } else {
            quote!(#fname: self.#fname.unwrap_or_default(),)
        }
    }).collect();
    let inits = moved(inits);
    let validate = if s.validate {
        validate_struct(s)
    } else {
        quote!()
    };
    let decl = quote! {
        #decl
        impl #name {
            #[doc = #new_doc]
            pub fn builder() -> builders::#builder { ::std::default::Default::default() }
        }
        #output_impls
        #validate
    };
    let builder = quote! {
        #[doc = #builder_doc]
        #[derive(::std::clone::Clone, ::std::default::Default)]
        pub struct #builder { #slots }
        impl #builder {
            #setters
            /// Checks that every required member is set.
            pub fn build(self) -> ::std::result::Result<super::#name, ::awsjson_runtime::BuildError> {
                ::std::result::Result::Ok(super::#name { #inits #request_id_init })
            }
        }
    };
    (decl, builder)
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
                Type::String => quote!(::std::iter::Iterator::count(x.chars())),
                Type::Blob => quote!(::std::convert::AsRef::<[u8]>::as_ref(x).len()),
                _ => quote!(x.len()),
            };
            on_value.extend(quote!(v.length(#wire, #len, #min, #max);));
        }
        if let Some((min, max)) = c.range {
            let (min, max) = (opt_f64(min), opt_f64(max));
            on_value.extend(quote!(v.range(#wire, *x as f64, #min, #max);));
        }
        if let (Some(p), None) = (&c.pattern, &c.pattern_unchecked) {
            // One static per member: compiled on first use, no lock shared between patterns.
            let p = lit_str(p);
            on_value.extend(quote! {
                static PATTERN: ::awsjson_runtime::StaticPattern = ::awsjson_runtime::StaticPattern::new(#p);
                v.pattern(#wire, x, &PATTERN);
            });
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
    let values: Vec<String> = e.variants.iter().map(|v| v.value.clone()).collect();
    let docs = doc(&facts::enumeration(
        "A string", &e.docs, &values, &e.used_by,
    ));
    let dep = deprecated(&e.deprecated);
    let variants = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vdoc = doc(&facts::join(&v.docs, &format!("The value `{}`.", v.value)));
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
    let (variants, as_str, from) = (moved_all(variants), moved_all(as_str), moved_all(from));
    quote! {
        #docs #dep
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::fmt::Debug)]
        pub enum #name {
            #variants
            /// A value this version of the model does not know, kept as sent.
            Unknown(::std::string::String),
        }
        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str { match self { #as_str Self::Unknown(s) => s.as_str() } }
            /// Every value the model knows.
            pub const fn values() -> &'static [&'static str] { &[#(#values),*] }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self { match s { #from other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)) } }
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
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(s.as_str()))
            }
        }
    }
}

fn int_enum(e: &IntEnum) -> TokenStream {
    let name = ident(&e.name);
    let values: Vec<String> = e.variants.iter().map(|v| v.value.to_string()).collect();
    let docs = doc(&facts::enumeration(
        "An integer",
        &e.docs,
        &values,
        &e.used_by,
    ));
    let dep = deprecated(&e.deprecated);
    let variants = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vdoc = doc(&facts::join(&v.docs, &format!("The value `{}`.", v.value)));
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
    let (variants, as_i32, from) = (moved_all(variants), moved_all(as_i32), moved_all(from));
    quote! {
        #docs #dep
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::fmt::Debug)]
        pub enum #name {
            #variants
            /// A value this version of the model does not know, kept as sent.
            Unknown(i32),
        }
        impl #name {
            /// The wire value.
            pub fn as_i32(&self) -> i32 { match self { #as_i32 Self::Unknown(n) => *n } }
            /// Every value the model knows.
            pub const fn values() -> &'static [i32] { &[#(#values),*] }
        }
        impl ::std::convert::From<i32> for #name {
            fn from(n: i32) -> Self { match n { #from other => Self::Unknown(other) } }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> { s.serialize_i32(self.as_i32()) }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let n: i32 = ::serde::Deserialize::deserialize(d)?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<i32>>::from(n))
            }
        }
    }
}

fn union(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let docs = doc(&facts::join(
        &u.docs,
        &format!(
            "A union of the model: exactly one member is set.{} {}",
            if u.sensitive {
                " Sensitive: redacted in `Debug`."
            } else {
                ""
            },
            facts::used_by(&u.used_by)
        ),
    ));
    let dep = deprecated(&u.deprecated);
    let variants = u.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let mut fact = format!("The member `{}` is set.", v.wire_name);
        if v.sensitive {
            fact.push_str(" Sensitive: redacted in `Debug`.");
        }
        if v.deprecated.is_some() {
            fact.push_str(" Deprecated in the model.");
        }
        let vdoc = doc(&facts::join(&v.docs, &fact));
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
            Some(t) => match super::wire::format(t) {
                Some(f) => quote!(Self::#vn(x) => ::awsjson_runtime::private::serialize_union(s, #wire, &::awsjson_runtime::wire::written::<#f, _>(x)),),
                None => quote!(Self::#vn(x) => ::awsjson_runtime::private::serialize_union(s, #wire, x),),
            },
            None => {
                quote!(Self::#vn => ::awsjson_runtime::private::serialize_unit_union(s, #wire),)
            }
        }
    });
    let de = u.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let wire = lit_str(&v.wire_name);
        match &v.ty {
            Some(t) if u.decoded && t.holds_string_map() => {
                quote!(#wire => Self::#vn(::awsjson_runtime::private::lenient(value).map_err(<D::Error as ::serde::de::Error>::custom)?),)
            }
            Some(t) => match super::wire::format(t) {
                Some(f) => quote!(#wire => Self::#vn(::awsjson_runtime::wire::from_value::<#f, _>(value).map_err(<D::Error as ::serde::de::Error>::custom)?),),
                None => quote!(#wire => Self::#vn(::awsjson_runtime::private::union_value::<_, D::Error>(value)?),),
            },
            None => quote!(#wire => Self::#vn,),
        }
    });
    let (variants, ser, de) = (moved_all(variants), moved_all(ser), moved_all(de));
    let sensitive = u.sensitive || u.variants.iter().any(|v| v.sensitive);
    let derive_debug = if sensitive {
        quote!()
    } else {
        quote!(::std::fmt::Debug,)
    };
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
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #derive_debug)]
        pub enum #name {
            #variants
            /// A member this version of the model does not know (it cannot be sent).
            Unknown,
        }
        #debug
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #ser
                    Self::Unknown => ::awsjson_runtime::private::serialize_unknown_union(s),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let (key, value) = ::awsjson_runtime::private::union_member(d)?;
                let _ = &value;
                ::std::result::Result::Ok(match key.as_str() { #de _ => Self::Unknown })
            }
        }
        #validate
    }
}
