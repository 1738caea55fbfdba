//! Which module a path names: `crate::`, `super::`, `self::`, child modules and `use`d names are
//! followed (re-exports included) to the module that defines the item.
//!
//! An edge A → B means code in A depends on an item defined in B: a path in A's code, or a
//! private `use` in A. A `pub use` is a re-export, which A's own code does not depend on, and a
//! `mod` declaration is not a dependency either.

use crate::scan::UseDecl;
use crate::tree::Crate;

/// Re-exports chained deeper than this are not followed (a `use` cycle, which rustc refuses).
const MAX_DEPTH: usize = 16;

/// One dependency between two modules of a crate, with the path that makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub via: String,
}

/// Where a path ends: at a module itself, or at an item defined in a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Module(usize),
    Item(usize),
}

impl Target {
    fn module(self) -> usize {
        match self {
            Target::Module(m) | Target::Item(m) => m,
        }
    }
}

/// Every edge between two different modules of the crate.
pub fn edges(krate: &Crate) -> Vec<Edge> {
    let r = Resolver { krate };
    let mut out = Vec::new();
    for (id, module) in krate.modules.iter().enumerate() {
        for u in module.uses.iter().filter(|u| !u.public) {
            if let Some(t) = r.use_target(id, u, 0) {
                out.push(Edge {
                    from: id,
                    to: t.module(),
                    via: format!(
                        "use {}{}",
                        u.path.join("::"),
                        if u.glob { "::*" } else { "" }
                    ),
                });
            }
        }
        for p in &module.paths {
            if let Some(t) = r.path(id, &p.segments, 0) {
                out.push(Edge {
                    from: id,
                    to: t.module(),
                    via: p.text(),
                });
            }
        }
    }
    out.retain(|e| e.from != e.to);
    out
}

struct Resolver<'a> {
    krate: &'a Crate,
}

impl Resolver<'_> {
    /// A path written in module `at`; `None` when it leaves the crate (or is not a path into
    /// it, like `Type::method`).
    fn path(&self, at: usize, segments: &[String], depth: usize) -> Option<Target> {
        let (first, rest) = segments.split_first()?;
        let module = &self.krate.modules[at];
        let start = match first.as_str() {
            "crate" => Target::Module(0),
            "super" => Target::Module(module.parent?),
            "self" => Target::Module(at),
            name => {
                if let Some(&child) = module.children.get(name) {
                    Target::Module(child)
                } else {
                    let u = module
                        .uses
                        .iter()
                        .find(|u| !u.glob && u.name.as_deref() == Some(name))?;
                    self.use_target(at, u, depth + 1)?
                }
            }
        };
        match start {
            Target::Module(m) => self.walk(m, rest, depth),
            item => Some(item),
        }
    }

    /// The module a `use` leaf of module `at` brings in (a glob: the globbed module).
    fn use_target(&self, at: usize, u: &UseDecl, depth: usize) -> Option<Target> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (first, _) = u.path.split_first()?;
        let module = &self.krate.modules[at];
        // In a `use`, a first segment that is neither a keyword nor a child module names an
        // external crate (or another import, which this follows).
        let internal = matches!(first.as_str(), "crate" | "super" | "self")
            || module.children.contains_key(first)
            || module
                .uses
                .iter()
                .any(|o| !o.glob && o.name.as_deref() == Some(first.as_str()) && o.path != u.path);
        if !internal {
            return None;
        }
        let t = self.path(at, &u.path, depth + 1)?;
        Some(if u.glob {
            Target::Module(t.module())
        } else {
            t
        })
    }

    /// Follows `segments` down from module `from`.
    fn walk(&self, from: usize, segments: &[String], depth: usize) -> Option<Target> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut cur = from;
        for (i, seg) in segments.iter().enumerate() {
            let module = &self.krate.modules[cur];
            match seg.as_str() {
                "super" => {
                    cur = module.parent?;
                    continue;
                }
                "self" => continue,
                _ => {}
            }
            if let Some(&child) = module.children.get(seg) {
                cur = child;
                continue;
            }
            if module.defs.contains(seg) {
                return Some(Target::Item(cur));
            }
            if let Some(u) = module
                .uses
                .iter()
                .find(|u| !u.glob && u.name.as_deref() == Some(seg.as_str()))
            {
                match self.use_target(cur, u, depth + 1) {
                    Some(Target::Module(m)) => {
                        cur = m;
                        continue;
                    }
                    Some(item) => return Some(item),
                    // A re-export of another crate's item: the dependency is on this module.
                    None => return Some(Target::Item(cur)),
                }
            }
            for g in module.uses.iter().filter(|u| u.glob) {
                if let Some(Target::Module(gm)) = self.use_target(cur, g, depth + 1) {
                    let globbed = &self.krate.modules[gm];
                    let has = globbed.children.contains_key(seg)
                        || globbed.defs.contains(seg)
                        || globbed
                            .uses
                            .iter()
                            .any(|u| u.name.as_deref() == Some(seg.as_str()));
                    if has {
                        return self.walk(gm, &segments[i..], depth + 1);
                    }
                }
            }
            // Not a name this check sees (an enum variant, an associated item, a macro's
            // output): the path ends in this module.
            return Some(Target::Item(cur));
        }
        Some(Target::Module(cur))
    }
}
