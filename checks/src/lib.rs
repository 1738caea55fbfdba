//! Structural checks of this workspace's own code, run by `cargo test -p workspace-checks`.
//!
//! The one check so far: **no import cycle between the modules of any crate.** Every target of
//! every workspace package (lib, bins, tests, examples, benches, build scripts) is loaded from
//! its root file ([`tree`]), its modules' tokens are read for declarations, `use`s and paths
//! ([`scan`]), each path is followed to the module that defines what it names ([`resolve`]), and
//! the strongly connected components of that graph are the cycles ([`cycles`]).

pub mod cycles;
pub mod resolve;
pub mod scan;
pub mod tree;

use std::path::{Path, PathBuf};

pub use cycles::Cycle;

/// The cycles of the crate whose root file is `root_file`.
pub fn crate_cycles(root_file: &Path) -> Result<Vec<Cycle>, String> {
    let krate = tree::load_crate(root_file)?;
    let edges = resolve::edges(&krate);
    Ok(cycles::find(&krate, &edges))
}

/// The root file of every target of every package of the workspace at `workspace_dir`, as
/// `cargo metadata` lists them.
pub fn workspace_targets(cargo: &Path, workspace_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(workspace_dir)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let mut roots = Vec::new();
    for package in meta["packages"].as_array().into_iter().flatten() {
        for target in package["targets"].as_array().into_iter().flatten() {
            if let Some(src) = target["src_path"].as_str() {
                roots.push(PathBuf::from(src));
            }
        }
    }
    roots.sort();
    roots.dedup();
    if roots.is_empty() {
        return Err("cargo metadata listed no targets".into());
    }
    Ok(roots)
}
