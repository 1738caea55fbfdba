//! Groups: Create/Get/List/Update/DeleteGroup, AdminAddUserToGroup, AdminRemoveUserFromGroup,
//! AdminListGroupsForUser, ListUsersInGroup. Membership shows in tokens (see `issue`).

use super::context::Ctx;
use super::paging::{after_token, page_token};
use super::shapes::{group_type, user_type};
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::{Group, Pool};

fn not_found() -> ApiError {
    ApiError::resource_not_found("Group not found.")
}

/// Limit (0 or absent: 60) and the name after which a page starts.
fn page(limit: Option<i32>, token: Option<&str>) -> ApiResult<(usize, Option<String>)> {
    let limit = match limit {
        None | Some(0) => 60,
        Some(n) => n.clamp(1, 60) as usize,
    };
    Ok((limit, after_token(token)?))
}

/// One page of `items` (name, item) in name order, and the token of the next page.
fn paged<'a, T>(
    items: impl Iterator<Item = (&'a str, T)>,
    limit: usize,
    after: Option<&str>,
) -> (Vec<T>, Option<String>) {
    let mut out: Vec<(&str, T)> = Vec::new();
    let mut next = None;
    for (name, v) in items.filter(|(n, _)| after.map_or(true, |a| *n > a)) {
        if out.len() == limit {
            next = out.last().map(|(n, _)| page_token(n));
            break;
        }
        out.push((name, v));
    }
    (out.into_iter().map(|(_, v)| v).collect(), next)
}

pub(super) fn create_group(
    ctx: &Ctx<'_>,
    input: m::CreateGroupInput,
) -> ApiResult<m::CreateGroupOutput> {
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let name = input.group_name;
    if pool.groups.contains_key(&name) {
        return Err(ApiError::new(
            "GroupExistsException",
            format!("A group with the name {name} already exists."),
        ));
    }
    let group = Group {
        name: name.clone(),
        description: input.description,
        role_arn: input.role_arn,
        precedence: input.precedence.map(i64::from),
        created: now,
        modified: now,
    };
    let body = group_type(&input.user_pool_id, &group);
    pool.groups.insert(name, group);
    Ok(m::CreateGroupOutput::builder().group(body).build()?)
}

pub(super) fn get_group(ctx: &Ctx<'_>, input: m::GetGroupInput) -> ApiResult<m::GetGroupOutput> {
    let store = ctx.store();
    let group = store
        .pool(&input.user_pool_id)?
        .groups
        .get(&input.group_name)
        .ok_or_else(not_found)?;
    Ok(m::GetGroupOutput::builder()
        .group(group_type(&input.user_pool_id, group))
        .build()?)
}

pub(super) fn update_group(
    ctx: &Ctx<'_>,
    input: m::UpdateGroupInput,
) -> ApiResult<m::UpdateGroupOutput> {
    let now = ctx.now();
    let mut store = ctx.store();
    let group = store
        .pool_mut(&input.user_pool_id)?
        .groups
        .get_mut(&input.group_name)
        .ok_or_else(not_found)?;
    // Members left out are left as they are.
    if input.description.is_some() {
        group.description = input.description;
    }
    if input.role_arn.is_some() {
        group.role_arn = input.role_arn;
    }
    if let Some(p) = input.precedence {
        group.precedence = Some(i64::from(p));
    }
    group.modified = now;
    let body = group_type(&input.user_pool_id, group);
    Ok(m::UpdateGroupOutput::builder().group(body).build()?)
}

pub(super) fn delete_group(
    ctx: &Ctx<'_>,
    input: m::DeleteGroupInput,
) -> ApiResult<m::DeleteGroupOutput> {
    let name = input.group_name.as_str();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
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
    Ok(m::DeleteGroupOutput::builder().build()?)
}

pub(super) fn list_groups(
    ctx: &Ctx<'_>,
    input: m::ListGroupsInput,
) -> ApiResult<m::ListGroupsOutput> {
    let (limit, after) = page(input.limit, input.next_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let items = pool
        .groups
        .iter()
        .map(|(n, g)| (n.as_str(), group_type(&pool.id, g)));
    let (groups, next) = paged(items, limit, after.as_deref());
    let mut out = m::ListGroupsOutput::builder().set_groups(Some(groups));
    if let Some(n) = next {
        out = out.next_token(n);
    }
    Ok(out.build()?)
}

fn membership(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    group: &str,
    add: bool,
) -> ApiResult<()> {
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    if !pool.groups.contains_key(group) {
        return Err(not_found());
    }
    let user = pool.user_mut(username)?;
    if add {
        user.groups.insert(group.to_owned());
    } else {
        user.groups.remove(group);
    }
    Ok(())
}

pub(super) fn admin_add_user_to_group(
    ctx: &Ctx<'_>,
    input: m::AdminAddUserToGroupInput,
) -> ApiResult<m::AdminAddUserToGroupOutput> {
    membership(
        ctx,
        &input.user_pool_id,
        &input.username,
        &input.group_name,
        true,
    )?;
    Ok(m::AdminAddUserToGroupOutput::builder().build()?)
}

pub(super) fn admin_remove_user_from_group(
    ctx: &Ctx<'_>,
    input: m::AdminRemoveUserFromGroupInput,
) -> ApiResult<m::AdminRemoveUserFromGroupOutput> {
    membership(
        ctx,
        &input.user_pool_id,
        &input.username,
        &input.group_name,
        false,
    )?;
    Ok(m::AdminRemoveUserFromGroupOutput::builder().build()?)
}

pub(super) fn admin_list_groups_for_user(
    ctx: &Ctx<'_>,
    input: m::AdminListGroupsForUserInput,
) -> ApiResult<m::AdminListGroupsForUserOutput> {
    let (limit, after) = page(input.limit, input.next_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let user = pool.user(&input.username)?;
    let items = user
        .groups
        .iter()
        .filter_map(|n| pool.groups.get(n))
        .map(|g| (g.name.as_str(), group_type(&pool.id, g)));
    let (groups, next) = paged(items, limit, after.as_deref());
    let mut out = m::AdminListGroupsForUserOutput::builder().set_groups(Some(groups));
    if let Some(n) = next {
        out = out.next_token(n);
    }
    Ok(out.build()?)
}

pub(super) fn list_users_in_group(
    ctx: &Ctx<'_>,
    input: m::ListUsersInGroupInput,
) -> ApiResult<m::ListUsersInGroupOutput> {
    let (limit, after) = page(input.limit, input.next_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let name = input.group_name.as_str();
    if !pool.groups.contains_key(name) {
        return Err(not_found());
    }
    let items = pool
        .users
        .iter()
        .filter(|(_, u)| u.groups.contains(name))
        .map(|(k, u)| (k.as_str(), user_type(u)));
    let (users, next) = paged(items, limit, after.as_deref());
    let mut out = m::ListUsersInGroupOutput::builder().set_users(Some(users));
    if let Some(n) = next {
        out = out.next_token(n);
    }
    Ok(out.build()?)
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
