//! Running an operation of either service: the handler in a fresh context, then what comes
//! after it (the triggers that run after the operation, the tokens it granted signed into its
//! output, its changes made durable).

use serde_json::Value;

use super::context::Ctx;
use super::issue;
use crate::error::ApiResult;
use crate::shared::Shared;

/// Runs operation `op` of either service through `handler` in a fresh context, then finishes
/// it (triggers, signing, durability).
pub(crate) fn run_with(
    shared: &Shared,
    region_hint: Option<&str>,
    op: &str,
    handler: impl FnOnce(&Ctx<'_>) -> ApiResult<Value>,
) -> ApiResult<Value> {
    let ctx = Ctx::new(shared, region_hint, op);
    let out = handler(&ctx);
    finish_result(ctx, out)
}

/// After an operation that succeeded with `out`: see `finish_result`.
pub(super) fn finish(ctx: Ctx<'_>, out: Value) -> ApiResult<Value> {
    finish_result(ctx, Ok(out))
}

/// The operation's triggers that run after it (CustomMessage, PostAuthentication,
/// PreTokenGeneration), the tokens it granted signed into its output, and its changes made
/// durable.
fn finish_result(ctx: Ctx<'_>, out: ApiResult<Value>) -> ApiResult<Value> {
    let out = out
        .and_then(|out| issue::write_messages(&ctx).map(|()| out))
        .and_then(|out| match ctx.pending.take() {
            Some(unsigned) => issue::before_signing(&ctx, unsigned)
                .and_then(|unsigned| issue::sign_and_record(ctx.shared, unsigned, out)),
            None => Ok(out),
        });
    // Also after an error: what the operation changed before failing is state too.
    ctx.committed.set(true);
    ctx.shared.commit()?;
    out
}
