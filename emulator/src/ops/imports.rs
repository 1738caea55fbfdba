//! User import jobs (Create/Describe/List/Start/StopUserImportJob, GetCSVHeader's columns).
//! Cognito hands out an S3 pre-signed URL for the CSV file; the emulator's pre-signed URL is
//! its own (`PUT /_emulator/import/{poolId}/{jobId}`), so the usual upload (`requests.put`,
//! `curl -T`) works unchanged, and StartUserImportJob imports the users it holds: each row
//! becomes a user in RESET_REQUIRED (they set a password with ForgotPassword), rows that do
//! not fit the schema or name an existing user are counted as failed. CloudWatch logging of
//! the job is not simulated (the role ARN is kept).

use std::collections::BTreeMap;

use super::context::Ctx;
use super::paging::{after_token, page_token};
use super::schema::{check_write, Write};
use super::shapes::date;
use super::signup::new_user;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::model as m;
use crate::store::resource::{key, ImportJob, IMPORT_JOB};
use crate::store::{Pool, Resource, UserStatus};

/// The largest CSV the emulator takes (Cognito: 100 MB; the emulator's body cap is lower).
pub(crate) const MAX_CSV_BYTES: usize = crate::protocol::MAX_BODY_BYTES;

/// The columns of an import file: every schema attribute, then cognito:mfa_enabled and
/// cognito:username, as GetCSVHeader lists them.
pub(crate) fn csv_header(pool: &Pool) -> Vec<String> {
    let mut out: Vec<String> = super::schema::attributes(pool)
        .into_iter()
        .filter_map(|a| a.name)
        .filter(|n| n != "sub" && n != "identities")
        .collect();
    out.push("cognito:mfa_enabled".into());
    out.push("cognito:username".into());
    out
}

fn job<'p>(pool: &'p Pool, job_id: &str) -> ApiResult<&'p ImportJob> {
    match pool.resources.get(&key(IMPORT_JOB, job_id)) {
        Some(Resource::ImportJob(j)) => Ok(j),
        _ => Err(ApiError::resource_not_found(format!(
            "Import job {job_id} does not exist."
        ))),
    }
}

fn put(pool: &mut Pool, job: ImportJob) {
    let id = job.job.job_id.clone().unwrap_or_default();
    pool.resources
        .insert(key(IMPORT_JOB, &id), Resource::ImportJob(job));
}

pub(super) fn create_user_import_job(
    ctx: &Ctx<'_>,
    input: m::CreateUserImportJobInput,
) -> ApiResult<m::CreateUserImportJobOutput> {
    let job_id = format!(
        "import-{}",
        ids::opaque(10).map_err(no_randomness)?.replace('_', "-")
    );
    let url = format!(
        "{}/_emulator/import/{}/{job_id}",
        ctx.shared.endpoint(),
        input.user_pool_id
    );
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let job = m::UserImportJobType {
        job_name: Some(input.job_name),
        job_id: Some(job_id),
        user_pool_id: Some(pool.id.clone()),
        pre_signed_url: Some(url),
        creation_date: Some(date(ctx.now())),
        start_date: None,
        completion_date: None,
        status: Some(m::UserImportJobStatusType::Created),
        cloud_watch_logs_role_arn: Some(input.cloud_watch_logs_role_arn),
        imported_users: Some(0),
        skipped_users: Some(0),
        failed_users: Some(0),
        completion_message: None,
    };
    put(
        pool,
        ImportJob {
            job: job.clone(),
            csv: None,
        },
    );
    Ok(m::CreateUserImportJobOutput::builder()
        .user_import_job(job)
        .build()?)
}

/// The upload to a job's pre-signed URL (called by the HTTP layer).
pub(crate) fn upload(
    shared: &crate::shared::Shared,
    pool_id: &str,
    job_id: &str,
    csv: &[u8],
) -> ApiResult<()> {
    let text = std::str::from_utf8(csv)
        .map_err(|_| ApiError::invalid_parameter("The CSV file is not UTF-8."))?
        .to_owned();
    let ctx = Ctx::new(shared, None, "UserImportUpload");
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    let mut j = job(pool, job_id)?.clone();
    if j.job.status != Some(m::UserImportJobStatusType::Created) {
        return Err(ApiError::new(
            "PreconditionNotMetException",
            "The job has started: its file cannot be replaced.",
        ));
    }
    j.csv = Some(text);
    put(pool, j);
    Ok(())
}

/// One CSV line's fields (RFC 4180 quoting).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Imports the rows of `csv` into `pool`: (imported, failed).
fn import_rows(ctx: &Ctx<'_>, pool: &mut Pool, csv: &str) -> ApiResult<(i64, i64)> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .map(fields)
        .ok_or_else(|| ApiError::invalid_parameter("The CSV file is empty."))?;
    let known = csv_header(pool);
    if let Some(bad) = header.iter().find(|h| !known.contains(h)) {
        return Err(ApiError::invalid_parameter(format!(
            "The CSV header has a column the pool does not have: {bad}"
        )));
    }
    if !header.iter().any(|h| h == "cognito:username") {
        return Err(ApiError::invalid_parameter(
            "The CSV header must have cognito:username.",
        ));
    }
    let (mut imported, mut failed) = (0, 0);
    for line in lines {
        let row = fields(line);
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        for (h, v) in header.iter().zip(row) {
            if !v.is_empty() {
                values.insert(h.as_str(), v);
            }
        }
        let made = (|| {
            let username = values
                .get("cognito:username")
                .cloned()
                .ok_or_else(|| ApiError::invalid_parameter("no cognito:username"))?;
            let attrs: Vec<(String, String)> = values
                .iter()
                .filter(|(k, _)| !k.starts_with("cognito:"))
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            check_write(pool, &attrs, Write::Create)?;
            for r in &pool.required_attributes {
                if !attrs.iter().any(|(k, _)| k == r) {
                    return Err(ApiError::invalid_parameter(
                        "a required attribute is missing",
                    ));
                }
            }
            let mut user = new_user(ctx, pool, &username, attrs, false)?;
            user.status = UserStatus::ResetRequired;
            if values.get("cognito:mfa_enabled").map(String::as_str) == Some("true")
                && user.attribute("phone_number").is_some()
            {
                user.mfa.sms_option = true;
                user.mfa.enabled.push(crate::store::MfaKind::Sms);
            }
            Ok(user)
        })();
        match made {
            Ok(user) => {
                let k = pool.user_key(&user.username);
                pool.users.insert(k, user);
                imported += 1;
            }
            Err(_) => failed += 1,
        }
    }
    Ok((imported, failed))
}

pub(super) fn start_user_import_job(
    ctx: &Ctx<'_>,
    input: m::StartUserImportJobInput,
) -> ApiResult<m::StartUserImportJobOutput> {
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let mut j = job(pool, &input.job_id)?.clone();
    if j.job.status != Some(m::UserImportJobStatusType::Created) {
        return Err(ApiError::new(
            "PreconditionNotMetException",
            "Only a job in status Created can be started.",
        ));
    }
    let csv = j.csv.take().ok_or_else(|| {
        ApiError::new(
            "PreconditionNotMetException",
            "No CSV file has been uploaded to the job's pre-signed URL.",
        )
    })?;
    j.job.start_date = Some(date(now));
    match import_rows(ctx, pool, &csv) {
        Ok((imported, failed)) => {
            j.job.status = Some(m::UserImportJobStatusType::Succeeded);
            j.job.imported_users = Some(imported);
            j.job.failed_users = Some(failed);
            j.job.completion_message = Some("Completed".into());
        }
        Err(e) => {
            j.job.status = Some(m::UserImportJobStatusType::Failed);
            j.job.completion_message = Some(
                e.message
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .take(128)
                    .collect(),
            );
        }
    }
    j.job.completion_date = Some(date(now));
    let out = j.job.clone();
    put(pool, j);
    Ok(m::StartUserImportJobOutput::builder()
        .user_import_job(out)
        .build()?)
}

pub(super) fn stop_user_import_job(
    ctx: &Ctx<'_>,
    input: m::StopUserImportJobInput,
) -> ApiResult<m::StopUserImportJobOutput> {
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let mut j = job(pool, &input.job_id)?.clone();
    match j.job.status {
        Some(m::UserImportJobStatusType::Created)
        | Some(m::UserImportJobStatusType::Pending)
        | Some(m::UserImportJobStatusType::InProgress) => {}
        _ => {
            return Err(ApiError::new(
                "PreconditionNotMetException",
                "Only a job that has not finished can be stopped.",
            ))
        }
    }
    j.job.status = Some(m::UserImportJobStatusType::Stopped);
    j.job.completion_date = Some(date(now));
    j.csv = None;
    let out = j.job.clone();
    put(pool, j);
    Ok(m::StopUserImportJobOutput::builder()
        .user_import_job(out)
        .build()?)
}

pub(super) fn describe_user_import_job(
    ctx: &Ctx<'_>,
    input: m::DescribeUserImportJobInput,
) -> ApiResult<m::DescribeUserImportJobOutput> {
    let store = ctx.store();
    let j = job(store.pool(&input.user_pool_id)?, &input.job_id)?;
    Ok(m::DescribeUserImportJobOutput::builder()
        .user_import_job(j.job.clone())
        .build()?)
}

pub(super) fn list_user_import_jobs(
    ctx: &Ctx<'_>,
    input: m::ListUserImportJobsInput,
) -> ApiResult<m::ListUserImportJobsOutput> {
    let max = input.max_results.clamp(1, 60) as usize;
    let after = after_token(input.pagination_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let mut page: Vec<&m::UserImportJobType> = pool
        .resources
        .values()
        .filter_map(|r| match r {
            Resource::ImportJob(j) => Some(&j.job),
            _ => None,
        })
        .filter(|j| {
            after
                .as_deref()
                .map_or(true, |a| j.job_id.as_deref().unwrap_or_default() > a)
        })
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let next = if more {
        page.last()
            .and_then(|j| j.job_id.as_deref())
            .map(page_token)
    } else {
        None
    };
    let mut out = m::ListUserImportJobsOutput::builder()
        .set_user_import_jobs(Some(page.into_iter().cloned().collect::<Vec<_>>()));
    if let Some(n) = next {
        out = out.pagination_token(n);
    }
    Ok(out.build()?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_with_quotes() {
        assert_eq!(
            super::fields(r#"a,"b,c","d""e",,"#),
            ["a", "b,c", "d\"e", "", ""]
        );
    }
}
