//! How managed login looks and what it links to: managed login brandings
//! (Create/Describe/DescribeByClient/Update/DeleteManagedLoginBranding), the classic hosted
//! UI's customization (Set/GetUICustomization: CSS and a logo, served by the emulator at the
//! ImageUrl it reports), and terms documents (Create/Describe/List/Update/DeleteTerms). The
//! branding settings document is kept as given (ReturnMergedResources returns it too: the
//! emulator has no Cognito default style to merge).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::checks::known;
use super::context::Ctx;
use super::paging::{after_token, page_token};
use super::shapes::date;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::model as m;
use crate::store::resource::{key, Branding, UiCustomization, BRANDING, TERMS, UI_CUSTOMIZATION};
use crate::store::{Pool, Resource};

/// Terms documents per app client: one terms of use, one privacy policy.
const MAX_TERMS_PER_CLIENT: usize = 2;
/// The client id of a pool-wide UI customization.
const ALL_CLIENTS: &str = "ALL";

fn brandings(pool: &Pool) -> impl Iterator<Item = &Branding> {
    pool.resources.values().filter_map(|r| match r {
        Resource::Branding(b) => Some(b),
        _ => None,
    })
}

fn branding<'p>(pool: &'p Pool, id: &str) -> ApiResult<&'p Branding> {
    match pool.resources.get(&key(BRANDING, id)) {
        Some(Resource::Branding(b)) => Ok(b),
        _ => Err(ApiError::resource_not_found(format!(
            "Managed login branding {id} does not exist."
        ))),
    }
}

fn check_assets(assets: Option<&Vec<m::AssetType>>) -> ApiResult<()> {
    for (i, a) in assets.into_iter().flatten().enumerate() {
        let at = |m: &str| format!("assets.{}.member.{m}", i + 1);
        known(&at("category"), &a.category)?;
        known(&at("colorMode"), &a.color_mode)?;
        known(&at("extension"), &a.extension)?;
    }
    Ok(())
}

fn check_settings(use_cognito: Option<bool>, settings: Option<&m::Document>) -> ApiResult<()> {
    if use_cognito == Some(true) && settings.is_some() {
        return Err(ApiError::invalid_parameter(
            "Settings cannot be given with UseCognitoProvidedValues true.",
        ));
    }
    if settings.is_some_and(|s| !s.is_object()) {
        return Err(ApiError::invalid_parameter(
            "Settings must be a JSON object.",
        ));
    }
    Ok(())
}

pub(super) fn create_managed_login_branding(
    ctx: &Ctx<'_>,
    input: m::CreateManagedLoginBrandingInput,
) -> ApiResult<m::CreateManagedLoginBrandingOutput> {
    check_settings(input.use_cognito_provided_values, input.settings.as_ref())?;
    check_assets(input.assets.as_ref())?;
    let id = ids::uuid_v4().map_err(no_randomness)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    pool.client(&input.client_id)?;
    if brandings(pool).any(|b| b.client_id == input.client_id) {
        return Err(ApiError::new(
            "ManagedLoginBrandingExistsException",
            "The app client already has a managed login branding.",
        ));
    }
    let b = m::ManagedLoginBrandingType {
        managed_login_branding_id: Some(id.clone()),
        user_pool_id: Some(pool.id.clone()),
        use_cognito_provided_values: Some(input.use_cognito_provided_values.unwrap_or(false)),
        settings: input.settings,
        assets: input.assets,
        creation_date: Some(date(now)),
        last_modified_date: Some(date(now)),
    };
    pool.resources.insert(
        key(BRANDING, &id),
        Resource::Branding(Branding {
            client_id: input.client_id,
            branding: b.clone(),
        }),
    );
    Ok(m::CreateManagedLoginBrandingOutput::builder()
        .managed_login_branding(b)
        .build()?)
}

pub(super) fn describe_managed_login_branding(
    ctx: &Ctx<'_>,
    input: m::DescribeManagedLoginBrandingInput,
) -> ApiResult<m::DescribeManagedLoginBrandingOutput> {
    let store = ctx.store();
    let b = branding(
        store.pool(&input.user_pool_id)?,
        &input.managed_login_branding_id,
    )?;
    Ok(m::DescribeManagedLoginBrandingOutput::builder()
        .managed_login_branding(b.branding.clone())
        .build()?)
}

pub(super) fn describe_managed_login_branding_by_client(
    ctx: &Ctx<'_>,
    input: m::DescribeManagedLoginBrandingByClientInput,
) -> ApiResult<m::DescribeManagedLoginBrandingByClientOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    pool.client(&input.client_id)?;
    let b = brandings(pool)
        .find(|b| b.client_id == input.client_id)
        .ok_or_else(|| {
            ApiError::resource_not_found("The app client has no managed login branding.")
        })?;
    Ok(m::DescribeManagedLoginBrandingByClientOutput::builder()
        .managed_login_branding(b.branding.clone())
        .build()?)
}

pub(super) fn update_managed_login_branding(
    ctx: &Ctx<'_>,
    input: m::UpdateManagedLoginBrandingInput,
) -> ApiResult<m::UpdateManagedLoginBrandingOutput> {
    let pool_id = input
        .user_pool_id
        .ok_or_else(|| ApiError::missing_member("UserPoolId"))?;
    let id = input
        .managed_login_branding_id
        .ok_or_else(|| ApiError::missing_member("ManagedLoginBrandingId"))?;
    check_settings(input.use_cognito_provided_values, input.settings.as_ref())?;
    check_assets(input.assets.as_ref())?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&pool_id)?;
    let mut b = branding(pool, &id)?.clone();
    if let Some(u) = input.use_cognito_provided_values {
        b.branding.use_cognito_provided_values = Some(u);
        if u {
            b.branding.settings = None;
        }
    }
    if input.settings.is_some() {
        b.branding.settings = input.settings;
    }
    if input.assets.is_some() {
        b.branding.assets = input.assets;
    }
    b.branding.last_modified_date = Some(date(now));
    let out = b.branding.clone();
    pool.resources
        .insert(key(BRANDING, &id), Resource::Branding(b));
    Ok(m::UpdateManagedLoginBrandingOutput::builder()
        .managed_login_branding(out)
        .build()?)
}

pub(super) fn delete_managed_login_branding(
    ctx: &Ctx<'_>,
    input: m::DeleteManagedLoginBrandingInput,
) -> ApiResult<m::DeleteManagedLoginBrandingOutput> {
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    branding(pool, &input.managed_login_branding_id)?;
    pool.resources
        .remove(&key(BRANDING, &input.managed_login_branding_id));
    Ok(m::DeleteManagedLoginBrandingOutput::builder().build()?)
}

/// Where the emulator serves a customization's logo.
fn image_url(ctx: &Ctx<'_>, pool_id: &str, client: &str) -> String {
    format!(
        "{}/_emulator/ui/{pool_id}/{client}/logo",
        ctx.shared.endpoint()
    )
}

/// A logo as the HTTP layer serves it: the pool's or client's customization image.
pub(crate) fn logo(shared: &crate::shared::Shared, pool_id: &str, client: &str) -> Option<Vec<u8>> {
    let store = shared.store();
    match store
        .pool(pool_id)
        .ok()?
        .resources
        .get(&key(UI_CUSTOMIZATION, client))?
    {
        Resource::UiCustomization(u) => STANDARD.decode(u.image.as_deref()?).ok(),
        _ => None,
    }
}

/// PNG or JPEG, as Cognito takes logos.
fn check_image(bytes: &[u8]) -> ApiResult<()> {
    let png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let jpeg = bytes.starts_with(&[0xff, 0xd8, 0xff]);
    if png || jpeg {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(
            "The image must be a PNG or JPEG file.",
        ))
    }
}

pub(super) fn set_ui_customization(
    ctx: &Ctx<'_>,
    input: m::SetUiCustomizationInput,
) -> ApiResult<m::SetUiCustomizationOutput> {
    if let Some(image) = &input.image_file {
        check_image(image.as_bytes())?;
    }
    if let Some(css) = &input.css {
        if css.contains("</") {
            return Err(ApiError::invalid_parameter(
                "The CSS cannot contain markup.",
            ));
        }
    }
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let client = match &input.client_id {
        Some(c) if c != ALL_CLIENTS => {
            pool.client(c)?;
            c.clone()
        }
        _ => ALL_CLIENTS.to_owned(),
    };
    let k = key(UI_CUSTOMIZATION, &client);
    let created = match pool.resources.get(&k) {
        Some(Resource::UiCustomization(u)) => u.customization.creation_date,
        _ => None,
    };
    let image = input
        .image_file
        .as_ref()
        .map(|i| STANDARD.encode(i.as_bytes()));
    let customization = m::UiCustomizationType {
        user_pool_id: Some(pool.id.clone()),
        client_id: Some(client.clone()),
        image_url: image.as_ref().map(|_| image_url(ctx, &pool.id, &client)),
        css: input.css,
        css_version: Some(now.to_string()),
        last_modified_date: Some(date(now)),
        creation_date: created.or(Some(date(now))),
    };
    pool.resources.insert(
        k,
        Resource::UiCustomization(UiCustomization {
            customization: customization.clone(),
            image,
        }),
    );
    Ok(m::SetUiCustomizationOutput::builder()
        .ui_customization(customization)
        .build()?)
}

pub(super) fn get_ui_customization(
    ctx: &Ctx<'_>,
    input: m::GetUiCustomizationInput,
) -> ApiResult<m::GetUiCustomizationOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let client = input.client_id.unwrap_or_else(|| ALL_CLIENTS.to_owned());
    if client != ALL_CLIENTS {
        pool.client(&client)?;
    }
    let found = [client.as_str(), ALL_CLIENTS].iter().find_map(|c| {
        match pool.resources.get(&key(UI_CUSTOMIZATION, c)) {
            Some(Resource::UiCustomization(u)) => Some(u.customization.clone()),
            _ => None,
        }
    });
    let customization = found.unwrap_or(m::UiCustomizationType {
        user_pool_id: Some(pool.id.clone()),
        client_id: Some(client),
        image_url: None,
        css: None,
        css_version: None,
        last_modified_date: None,
        creation_date: None,
    });
    Ok(m::GetUiCustomizationOutput::builder()
        .ui_customization(customization)
        .build()?)
}

fn terms_of(pool: &Pool) -> impl Iterator<Item = &m::TermsType> {
    pool.resources.values().filter_map(|r| match r {
        Resource::Terms(t) => Some(t),
        _ => None,
    })
}

fn terms<'p>(pool: &'p Pool, id: &str) -> ApiResult<&'p m::TermsType> {
    match pool.resources.get(&key(TERMS, id)) {
        Some(Resource::Terms(t)) => Ok(t),
        _ => Err(ApiError::resource_not_found(format!(
            "Terms {id} do not exist."
        ))),
    }
}

/// Links: `cognito:default` or a language code, each to an HTTPS URL.
fn check_links(links: &std::collections::HashMap<String, String>) -> ApiResult<()> {
    for (lang, url) in links {
        let lang_ok = lang == "cognito:default"
            || (lang.len() >= 2
                && lang.len() <= 8
                && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-'));
        if !lang_ok {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid Links key {lang}: use cognito:default or a language code"
            )));
        }
        crate::oauth::client_settings::check_redirect_url("Links", url)?;
    }
    Ok(())
}

pub(super) fn create_terms(
    ctx: &Ctx<'_>,
    input: m::CreateTermsInput,
) -> ApiResult<m::CreateTermsOutput> {
    known("termsSource", &input.terms_source)?;
    known("enforcement", &input.enforcement)?;
    let links = input
        .links
        .ok_or_else(|| ApiError::missing_member("Links"))?;
    check_links(&links)?;
    let id = ids::uuid_v4().map_err(no_randomness)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    pool.client(&input.client_id)?;
    let of_client: Vec<&m::TermsType> = terms_of(pool)
        .filter(|t| t.client_id == input.client_id)
        .collect();
    if of_client.iter().any(|t| t.terms_name == input.terms_name) {
        return Err(ApiError::new(
            "TermsExistsException",
            format!("The app client already has {}.", input.terms_name),
        ));
    }
    if of_client.len() >= MAX_TERMS_PER_CLIENT {
        return Err(ApiError::new(
            "LimitExceededException",
            "An app client can have at most two terms documents.",
        ));
    }
    let t = m::TermsType {
        terms_id: id.clone(),
        user_pool_id: pool.id.clone(),
        client_id: input.client_id,
        terms_name: input.terms_name,
        terms_source: input.terms_source,
        enforcement: input.enforcement,
        links,
        creation_date: date(now),
        last_modified_date: date(now),
    };
    pool.resources
        .insert(key(TERMS, &id), Resource::Terms(t.clone()));
    Ok(m::CreateTermsOutput::builder().terms(t).build()?)
}

pub(super) fn describe_terms(
    ctx: &Ctx<'_>,
    input: m::DescribeTermsInput,
) -> ApiResult<m::DescribeTermsOutput> {
    let store = ctx.store();
    let t = terms(store.pool(&input.user_pool_id)?, &input.terms_id)?.clone();
    Ok(m::DescribeTermsOutput::builder().terms(t).build()?)
}

pub(super) fn update_terms(
    ctx: &Ctx<'_>,
    input: m::UpdateTermsInput,
) -> ApiResult<m::UpdateTermsOutput> {
    if let Some(s) = &input.terms_source {
        known("termsSource", s)?;
    }
    if let Some(e) = &input.enforcement {
        known("enforcement", e)?;
    }
    if let Some(l) = &input.links {
        check_links(l)?;
    }
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let mut t = terms(pool, &input.terms_id)?.clone();
    if let Some(name) = input.terms_name {
        if name != t.terms_name
            && terms_of(pool).any(|o| o.client_id == t.client_id && o.terms_name == name)
        {
            return Err(ApiError::new(
                "TermsExistsException",
                format!("The app client already has {name}."),
            ));
        }
        t.terms_name = name;
    }
    if let Some(s) = input.terms_source {
        t.terms_source = s;
    }
    if let Some(e) = input.enforcement {
        t.enforcement = e;
    }
    if let Some(l) = input.links {
        t.links = l;
    }
    t.last_modified_date = date(now);
    pool.resources
        .insert(key(TERMS, &input.terms_id), Resource::Terms(t.clone()));
    Ok(m::UpdateTermsOutput::builder().terms(t).build()?)
}

pub(super) fn delete_terms(
    ctx: &Ctx<'_>,
    input: m::DeleteTermsInput,
) -> ApiResult<m::DeleteTermsOutput> {
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    terms(pool, &input.terms_id)?;
    pool.resources.remove(&key(TERMS, &input.terms_id));
    Ok(m::DeleteTermsOutput::builder().build()?)
}

pub(super) fn list_terms(ctx: &Ctx<'_>, input: m::ListTermsInput) -> ApiResult<m::ListTermsOutput> {
    let max = input.max_results.unwrap_or(60).clamp(1, 60) as usize;
    let after = match input.next_token.as_deref() {
        Some("") | None => None,
        Some(t) => after_token(Some(t))?,
    };
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let mut page: Vec<&m::TermsType> = terms_of(pool)
        .filter(|t| after.as_deref().map_or(true, |a| t.terms_id.as_str() > a))
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let list: Vec<m::TermsDescriptionType> = page
        .iter()
        .map(|t| m::TermsDescriptionType {
            terms_id: t.terms_id.clone(),
            terms_name: t.terms_name.clone(),
            enforcement: t.enforcement.clone(),
            creation_date: t.creation_date,
            last_modified_date: t.last_modified_date,
        })
        .collect();
    let mut out = m::ListTermsOutput::builder().set_terms(Some(list));
    if more {
        if let Some(last) = page.last() {
            out = out.next_token(page_token(&last.terms_id));
        }
    }
    Ok(out.build()?)
}
