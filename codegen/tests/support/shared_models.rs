//! The 21 shared models beside the repository (../shared/models/): Cognito's and the 20 AWS
//! models of ../shared/models/aws/, in a fixed order. A missing directory fails loudly.

use std::path::{Path, PathBuf};

pub fn shared_models() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models");
    let mut paths = vec![dir.join("cognito-identity-provider.json")];
    let aws = dir.join("aws");
    let entries = std::fs::read_dir(&aws)
        .unwrap_or_else(|e| panic!("cannot list the shared models in {}: {e}", aws.display()));
    let mut more: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    more.sort();
    paths.extend(more);
    assert_eq!(paths.len(), 21, "expected 21 shared models: {paths:?}");
    paths
}
