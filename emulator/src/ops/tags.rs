//! A pool's ARN, and its tags (TagResource, UntagResource, ListTagsForResource on that ARN).

use std::collections::HashMap;

use super::context::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::Store;

/// The account the emulator's ARNs name.
pub(crate) const ACCOUNT: &str = "123456789012";

pub(crate) fn pool_arn(pool_id: &str) -> String {
    format!(
        "arn:aws:cognito-idp:{}:{ACCOUNT}:userpool/{pool_id}",
        crate::store::region_of(pool_id)
    )
}

/// Tag keys 1 to 128 characters, values up to 256, at most 50 tags.
pub(super) fn check_tags(tags: &HashMap<String, String>) -> ApiResult<()> {
    if tags.len() > 50 {
        return Err(ApiError::invalid_parameter(
            "A user pool can have at most 50 tags.",
        ));
    }
    for (k, v) in tags {
        if k.is_empty() || k.chars().count() > 128 || k.starts_with("aws:") {
            return Err(ApiError::invalid_parameter(format!("Invalid tag key: {k}")));
        }
        if v.chars().count() > 256 {
            return Err(ApiError::invalid_parameter(format!(
                "The value of tag {k} is longer than 256 characters."
            )));
        }
    }
    Ok(())
}

/// The pool an ARN names (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`).
fn pool_of_arn(store: &Store, arn: &str) -> ApiResult<String> {
    let pool_id = arn
        .strip_prefix("arn:aws:cognito-idp:")
        .and_then(|rest| rest.split_once(":userpool/"))
        .map(|(_, id)| id)
        .ok_or_else(|| ApiError::invalid_parameter(format!("Invalid resource ARN: {arn}")))?;
    if pool_arn(pool_id) != arn {
        return Err(ApiError::resource_not_found(format!(
            "The resource {arn} does not exist."
        )));
    }
    store
        .pool(pool_id)
        .map(|p| p.id.clone())
        .map_err(|_| ApiError::resource_not_found(format!("The resource {arn} does not exist.")))
}

pub(super) fn tag_resource(
    ctx: &Ctx<'_>,
    input: m::TagResourceInput,
) -> ApiResult<m::TagResourceOutput> {
    let mut store = ctx.store();
    let pool_id = pool_of_arn(&store, &input.resource_arn)?;
    let pool = store.pool_mut(&pool_id)?;
    let mut tags = pool.config.user_pool_tags.clone().unwrap_or_default();
    tags.extend(input.tags);
    check_tags(&tags)?;
    pool.config.user_pool_tags = Some(tags);
    Ok(m::TagResourceOutput::builder().build()?)
}

pub(super) fn untag_resource(
    ctx: &Ctx<'_>,
    input: m::UntagResourceInput,
) -> ApiResult<m::UntagResourceOutput> {
    let mut store = ctx.store();
    let pool_id = pool_of_arn(&store, &input.resource_arn)?;
    let pool = store.pool_mut(&pool_id)?;
    if let Some(tags) = &mut pool.config.user_pool_tags {
        for k in &input.tag_keys {
            tags.remove(k);
        }
    }
    Ok(m::UntagResourceOutput::builder().build()?)
}

pub(super) fn list_tags_for_resource(
    ctx: &Ctx<'_>,
    input: m::ListTagsForResourceInput,
) -> ApiResult<m::ListTagsForResourceOutput> {
    let store = ctx.store();
    let pool_id = pool_of_arn(&store, &input.resource_arn)?;
    let tags = store
        .pool(&pool_id)?
        .config
        .user_pool_tags
        .clone()
        .unwrap_or_default();
    Ok(m::ListTagsForResourceOutput::builder()
        .set_tags(Some(tags))
        .build()?)
}
