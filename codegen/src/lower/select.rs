//! Operation selection: every operation of the service (directly or through its resources), the
//! ones the user asked for, and a suggestion for each name that matches none. Event-stream
//! operations are never chosen: left out of "all operations" (and listed), refused when named.

use crate::diagnostics::did_you_mean;
use crate::smithy::{short_name, Model, Shape, ShapeKind};
use crate::traits;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The operations to generate.
#[derive(Debug, Default)]
pub struct Selection {
    /// Every operation of the service, by shape id (names are decided on all of them).
    pub all: BTreeSet<String>,
    /// The chosen operations' shape ids, sorted.
    pub chosen: Vec<String>,
    /// Requested names that match no operation, each with the closest real name if one is close.
    pub unknown: Vec<(String, Option<String>)>,
    /// Event-stream operations left out of "all operations": (name, why).
    pub omitted: Vec<(String, String)>,
    /// Event-stream operations the user named: (name, which member is the stream).
    pub refused_streams: Vec<(String, String)>,
}

/// Select `requested` (model names or shape ids; `None`: all) among the service's operations.
pub fn select(model: &Model, service: &Shape, requested: Option<&[String]>) -> Selection {
    let mut all = BTreeSet::new();
    collect_operations(model, service, &mut all, &mut HashSet::new());
    let by_name: BTreeMap<&str, &String> = all.iter().map(|id| (short_name(id), id)).collect();
    let mut unknown = Vec::new();
    let mut omitted = Vec::new();
    let mut refused_streams = Vec::new();
    let chosen = match requested {
        None => all
            .iter()
            .filter(|id| match event_stream_member(model, id) {
                Some(member) => {
                    omitted.push((
                        short_name(id).to_owned(),
                        format!("its {member} is an event stream, which is not supported yet"),
                    ));
                    false
                }
                None => true,
            })
            .cloned()
            .collect(),
        Some(list) => {
            let mut chosen = BTreeSet::new();
            for name in list {
                match by_name
                    .get(name.as_str())
                    .copied()
                    .or_else(|| all.get(name))
                {
                    Some(id) => match event_stream_member(model, id) {
                        Some(member) => refused_streams.push((name.clone(), member)),
                        None => {
                            chosen.insert(id.clone());
                        }
                    },
                    None => {
                        let hint = did_you_mean(name, by_name.keys().copied()).map(str::to_owned);
                        unknown.push((name.clone(), hint));
                    }
                }
            }
            chosen.into_iter().collect()
        }
    };
    Selection {
        all,
        chosen,
        unknown,
        omitted,
        refused_streams,
    }
}

/// "input member `X`" / "output member `X`" if the operation's input or output has a member
/// targeting a `@streaming` union (an event stream).
fn event_stream_member(model: &Model, op_id: &str) -> Option<String> {
    let op = model.shapes.get(op_id)?;
    [("input", &op.input), ("output", &op.output)]
        .into_iter()
        .find_map(|(side, t)| {
            let io = model.shapes.get(&t.as_ref()?.target)?;
            io.members.iter().find_map(|(name, m)| {
                let target = model.shapes.get(&m.target)?;
                (target.kind == ShapeKind::Union && target.has_trait(traits::STREAMING))
                    .then(|| format!("{side} member `{name}`"))
            })
        })
}

/// The operations bound to a service or resource, and those of its resources, recursively.
fn collect_operations(
    model: &Model,
    container: &Shape,
    out: &mut BTreeSet<String>,
    seen: &mut HashSet<String>,
) {
    let lifecycle = [
        &container.create,
        &container.put,
        &container.read,
        &container.update,
        &container.delete,
        &container.list,
    ];
    for t in container
        .operations
        .iter()
        .chain(&container.collection_operations)
        .chain(lifecycle.into_iter().flatten())
    {
        if model.kind_of(&t.target) == Some(ShapeKind::Operation) {
            out.insert(t.target.clone());
        }
    }
    for r in &container.resources {
        if seen.insert(r.target.clone()) {
            if let Some(resource) = model.shapes.get(&r.target) {
                collect_operations(model, resource, out, seen);
            }
        }
    }
}
