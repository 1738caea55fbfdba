//! Groups: Create/Get/List/Update/DeleteGroup, AdminAddUserToGroup, AdminRemoveUserFromGroup,
//! AdminListGroupsForUser, ListUsersInGroup. Membership shows in tokens (see `issue`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use super::setup::user_json;
use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::store::{Group, Pool};

fn not_found() -> ApiError {
    ApiError::resource_not_found("Group not found.")
}

fn validation(member: &str, value: &str, rule: &str) -> ApiError {
    ApiError::invalid_parameter(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"
    ))
}

/// GroupName: 1 to 128 characters of [\p{L}\p{M}\p{S}\p{N}\p{P}] (no spaces or controls).
fn group_name<'a>(input: &Input<'a>) -> ApiResult<&'a str> {
    let name = input.str("GroupName")?;
    let len = name.chars().count();
    if !(1..=128).contains(&len) {
        return Err(validation(
            "groupName",
            name,
            "Member must have length between 1 and 128",
        ));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(validation(
            "groupName",
            name,
            "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(name)
}

struct Settings {
    description: Option<String>,
    role_arn: Option<String>,
    precedence: Option<i64>,
}

fn settings(input: &Input<'_>) -> ApiResult<Settings> {
    let description = input.opt_str("Description")?;
    if let Some(d) = description {
        if d.chars().count() > 2048 {
            return Err(validation(
                "description",
                d,
                "Member must have length less than or equal to 2048",
            ));
        }
    }
    let role_arn = input.opt_str("RoleArn")?;
    if let Some(r) = role_arn {
        let parts: Vec<&str> = r.split(':').collect();
        if !(20..=2048).contains(&r.len())
            || parts.len() < 6
            || parts[0] != "arn"
            || !parts[4].bytes().all(|b| b.is_ascii_digit())
        {
            return Err(validation(
                "roleArn",
                r,
                "Member must satisfy the pattern of an IAM role ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)",
            ));
        }
    }
    let precedence = input.opt_i64("Precedence")?;
    if let Some(p) = precedence {
        if !(0..=i64::from(i32::MAX)).contains(&p) {
            return Err(validation(
                "precedence",
                &p.to_string(),
                "Member must have value between 0 and 2147483647",
            ));
        }
    }
    Ok(Settings {
        description: description.map(str::to_owned),
        role_arn: role_arn.map(str::to_owned),
        precedence,
    })
}

pub(super) fn group_json(pool_id: &str, g: &Group) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("GroupName".into(), json!(g.name));
    m.insert("UserPoolId".into(), json!(pool_id));
    if let Some(d) = &g.description {
        m.insert("Description".into(), json!(d));
    }
    if let Some(r) = &g.role_arn {
        m.insert("RoleArn".into(), json!(r));
    }
    if let Some(p) = g.precedence {
        m.insert("Precedence".into(), json!(p));
    }
    m.insert("LastModifiedDate".into(), json!(g.modified));
    m.insert("CreationDate".into(), json!(g.created));
    Value::Object(m)
}

/// The checks CreateGroup makes on its request (for seed files too).
pub(super) fn check_group_request(input: &Input<'_>) -> ApiResult<()> {
    group_name(input)?;
    settings(input).map(|_| ())
}

pub(super) fn create_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let name = group_name(input)?;
    let s = settings(input)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    if pool.groups.contains_key(name) {
        return Err(ApiError::new(
            "GroupExistsException",
            format!("A group with the name {name} already exists."),
        ));
    }
    let group = Group {
        name: name.to_owned(),
        description: s.description,
        role_arn: s.role_arn,
        precedence: s.precedence,
        created: now,
        modified: now,
    };
    let body = group_json(pool_id, &group);
    pool.groups.insert(name.to_owned(), group);
    Ok(json!({ "Group": body }))
}

pub(super) fn get_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let name = input.str("GroupName")?;
    let store = ctx.store();
    let group = store
        .pool(pool_id)?
        .groups
        .get(name)
        .ok_or_else(not_found)?;
    Ok(json!({ "Group": group_json(pool_id, group) }))
}

pub(super) fn update_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let name = input.str("GroupName")?;
    let s = settings(input)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let group = store
        .pool_mut(pool_id)?
        .groups
        .get_mut(name)
        .ok_or_else(not_found)?;
    // Members left out are left as they are.
    if s.description.is_some() {
        group.description = s.description;
    }
    if s.role_arn.is_some() {
        group.role_arn = s.role_arn;
    }
    if s.precedence.is_some() {
        group.precedence = s.precedence;
    }
    group.modified = now;
    let body = group_json(pool_id, group);
    Ok(json!({ "Group": body }))
}

pub(super) fn delete_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let name = input.str("GroupName")?;
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    pool.groups.remove(name).ok_or_else(not_found)?;
    let members: Vec<String> = pool
        .users
        .iter()
        .filter(|(_, u)| u.groups.contains(name))
        .map(|(k, _)| k.clone())
        .collect();
    for key in members {
        if let Some(u) = pool.users.get_mut(&key) {
            u.groups.remove(name);
        }
    }
    Ok(json!({}))
}

/// Limit (1 to 60, default 60) and the name after which a page starts.
fn page(input: &Input<'_>, token_member: &str) -> ApiResult<(usize, Option<String>)> {
    let limit = input.opt_i64("Limit")?.unwrap_or(60);
    if !(0..=60).contains(&limit) {
        return Err(validation(
            "limit",
            &limit.to_string(),
            "Member must have value less than or equal to 60",
        ));
    }
    let after = match input.opt_str(token_member)? {
        Some(t) => Some(
            URL_SAFE_NO_PAD
                .decode(t)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| ApiError::invalid_parameter("Invalid pagination token"))?,
        ),
        None => None,
    };
    Ok((if limit == 0 { 60 } else { limit as usize }, after))
}

fn token(last: &str) -> String {
    URL_SAFE_NO_PAD.encode(last)
}

/// One page of `items` (name, json) in name order.
fn paged<'a>(
    items: impl Iterator<Item = (&'a str, Value)>,
    limit: usize,
    after: Option<&str>,
    list_member: &str,
    token_member: &str,
) -> Value {
    let mut out = Vec::new();
    let mut next = None;
    for (name, v) in items.filter(|(n, _)| after.map_or(true, |a| *n > a)) {
        if out.len() == limit {
            next = out.last().map(|(n, _): &(&str, Value)| token(n));
            break;
        }
        out.push((name, v));
    }
    let mut body = json!({ list_member: out.into_iter().map(|(_, v)| v).collect::<Vec<_>>() });
    if let Some(n) = next {
        body[token_member] = json!(n);
    }
    body
}

pub(super) fn list_groups(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let (limit, after) = page(input, "NextToken")?;
    let store = ctx.store();
    let pool = store.pool(pool_id)?;
    let items = pool
        .groups
        .iter()
        .map(|(n, g)| (n.as_str(), group_json(pool_id, g)));
    Ok(paged(items, limit, after.as_deref(), "Groups", "NextToken"))
}

fn membership(ctx: &Ctx<'_>, input: &Input<'_>, add: bool) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let name = input.str("GroupName")?;
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    if !pool.groups.contains_key(name) {
        return Err(not_found());
    }
    let user = pool.user_mut(username)?;
    if add {
        user.groups.insert(name.to_owned());
    } else {
        user.groups.remove(name);
    }
    Ok(json!({}))
}

pub(super) fn admin_add_user_to_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    membership(ctx, input, true)
}

pub(super) fn admin_remove_user_from_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    membership(ctx, input, false)
}

pub(super) fn admin_list_groups_for_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let (limit, after) = page(input, "NextToken")?;
    let store = ctx.store();
    let pool = store.pool(pool_id)?;
    let user = pool.user(username)?;
    let items = user
        .groups
        .iter()
        .filter_map(|n| pool.groups.get(n))
        .map(|g| (g.name.as_str(), group_json(pool_id, g)));
    Ok(paged(items, limit, after.as_deref(), "Groups", "NextToken"))
}

pub(super) fn list_users_in_group(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let name = input.str("GroupName")?;
    let (limit, after) = page(input, "NextToken")?;
    let store = ctx.store();
    let pool = store.pool(pool_id)?;
    if !pool.groups.contains_key(name) {
        return Err(not_found());
    }
    let items = pool
        .users
        .iter()
        .filter(|(_, u)| u.groups.contains(name))
        .map(|(k, u)| (k.as_str(), user_json(u, "Attributes")));
    Ok(paged(items, limit, after.as_deref(), "Users", "NextToken"))
}

/// The user's groups, in the order tokens list them.
pub(super) fn groups_of<'p>(
    pool: &'p Pool,
    names: &std::collections::BTreeSet<String>,
) -> Vec<&'p Group> {
    let mut list: Vec<&Group> = names.iter().filter_map(|n| pool.groups.get(n)).collect();
    list.sort_by(|a, b| crate::store::by_precedence(a, b));
    list
}
