//! A crate's module tree, loaded from its root file by following `mod` declarations the way
//! rustc finds their files (`name.rs`, `name/mod.rs`, `#[path]`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::scan::{scan_module, ChildBody, PathRef, UseDecl};

/// One module of a crate.
pub struct Module {
    /// Its path below the crate root (`["endpoint", "eval"]`); empty for the root.
    pub path: Vec<String>,
    /// The file its items are written in.
    pub file: PathBuf,
    pub parent: Option<usize>,
    pub children: BTreeMap<String, usize>,
    pub defs: BTreeSet<String>,
    pub uses: Vec<UseDecl>,
    pub paths: Vec<PathRef>,
}

impl Module {
    /// `crate::a::b`, as reports name it.
    pub fn name(&self) -> String {
        if self.path.is_empty() {
            "crate".to_owned()
        } else {
            format!("crate::{}", self.path.join("::"))
        }
    }
}

/// Every module of one crate (one target: a lib, a bin, a test, ...); index 0 is the root.
pub struct Crate {
    pub root_file: PathBuf,
    pub modules: Vec<Module>,
}

/// Loads the tree below `root_file`. A file that cannot be read or lexed is an error naming it.
pub fn load_crate(root_file: &Path) -> Result<Crate, String> {
    let mut krate = Crate {
        root_file: root_file.to_owned(),
        modules: Vec::new(),
    };
    let dir = root_file.parent().unwrap_or(Path::new("")).to_owned();
    let tokens = read_tokens(root_file)?;
    add_module(&mut krate, Vec::new(), root_file, &dir, None, tokens)?;
    Ok(krate)
}

fn read_tokens(file: &Path) -> Result<proc_macro2::TokenStream, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    text.parse()
        .map_err(|e| format!("cannot lex {}: {e:?}", file.display()))
}

/// Adds a module and, recursively, its children. `child_dir` is where its `mod x;` files are.
fn add_module(
    krate: &mut Crate,
    path: Vec<String>,
    file: &Path,
    child_dir: &Path,
    parent: Option<usize>,
    tokens: proc_macro2::TokenStream,
) -> Result<usize, String> {
    let source = scan_module(tokens);
    let id = krate.modules.len();
    krate.modules.push(Module {
        path: path.clone(),
        file: file.to_owned(),
        parent,
        children: BTreeMap::new(),
        defs: source.defs,
        uses: source.uses,
        paths: source.paths,
    });
    for child in source.children {
        let mut child_path = path.clone();
        child_path.push(child.name.clone());
        let child_id = match child.body {
            ChildBody::Inline(body) => add_module(
                krate,
                child_path,
                file,
                &child_dir.join(&child.name),
                Some(id),
                body,
            )?,
            ChildBody::File { path_attr } => {
                let (child_file, grandchild_dir) = match path_attr {
                    // A `#[path]` file is relative to the declaring file's directory and, like
                    // a mod.rs file, keeps its own children beside it.
                    Some(p) => {
                        let f = file.parent().unwrap_or(Path::new("")).join(p);
                        let d = f.parent().unwrap_or(Path::new("")).to_owned();
                        (f, d)
                    }
                    None => {
                        let flat = child_dir.join(format!("{}.rs", child.name));
                        let nested = child_dir.join(&child.name).join("mod.rs");
                        if flat.is_file() {
                            (flat, child_dir.join(&child.name))
                        } else if nested.is_file() {
                            (nested, child_dir.join(&child.name))
                        } else {
                            return Err(format!(
                                "{}: `mod {};` has neither {} nor {}",
                                file.display(),
                                child.name,
                                flat.display(),
                                nested.display()
                            ));
                        }
                    }
                };
                let tokens = read_tokens(&child_file)?;
                add_module(
                    krate,
                    child_path,
                    &child_file,
                    &grandchild_dir,
                    Some(id),
                    tokens,
                )?
            }
        };
        krate.modules[id].children.insert(child.name, child_id);
    }
    Ok(id)
}
