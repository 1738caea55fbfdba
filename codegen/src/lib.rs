//! Smithy JSON AST model → typed Rust client for awsJson services.
//!
//! The pipeline reads like the file names: [`smithy`] parses (trait ids named in [`traits`]),
//! [`validate`] holds every rule that can refuse a model, [`lower`] plans (selection, naming,
//! reachability) and builds the [`ir`] from the shapes the chosen operations reach (spelling
//! names with [`names`], docs with [`docs`]), and [`emit`] writes tokens that call the
//! `awsjson_runtime` crate. Every problem is collected in [`diagnostics`] and reported together;
//! nothing here panics on a model.

pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod names;
pub mod operation_traits;
pub mod smithy;
pub mod traits;
pub mod validate;
pub mod wire_format;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use lower::Options;
use proc_macro2::TokenStream;
use std::path::Path;

/// Model text → IR, or every diagnostic.
pub fn to_ir(model_text: &str, opts: &Options) -> Result<ir::Service, Diagnostics> {
    let mut diags = Diagnostics::new();
    let model = smithy::parse(model_text, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    validate::check(&model, &mut diags);
    let Some(plan) = lower::plan(&model, opts) else {
        if diags.is_empty() {
            diags.error(None, None, "no service could be lowered from the model");
        }
        return Err(diags);
    };
    validate::check_plan(&model, &plan, opts, &mut diags);
    let service = lower::lower(&model, &plan, opts);
    validate::check_ir(&service, &mut diags);
    diags.finish(service)
}

/// Model text → the expansion.
pub fn expand(model_text: &str, opts: &Options) -> Result<TokenStream, Diagnostics> {
    to_ir(model_text, opts).map(|s| emit::emit(&s))
}

/// Read a model file (a missing or unreadable file is a diagnostic) and expand it.
pub fn expand_file(path: &Path, opts: &Options) -> Result<TokenStream, Diagnostics> {
    match std::fs::read_to_string(path) {
        Ok(text) => expand(&text, opts),
        Err(e) => {
            let mut d = Diagnostics::new();
            d.error(
                None,
                None,
                format!("cannot read model file `{}`: {e}", path.display()),
            );
            Err(d)
        }
    }
}

/// Format an expansion for reading (print command, snapshots).
#[cfg(feature = "print")]
pub fn pretty(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("expansion does not parse as a file: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
