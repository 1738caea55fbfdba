//! Editing a model makes `cargo build` expand the macro again (its output includes the model
//! with `include_bytes!`), and an untouched model does not. Runs cargo on a scratch crate under
//! the target directory, so the repository's files are never edited while other tests read them.
//! (`scripts/check-rebuild.sh` checks the same on the real `cognito-idp` crate.)

use std::path::{Path, PathBuf};
use std::process::Command;

fn cargo_build(dir: &Path, target: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CODEGEN_MANIFEST_DIR_OVERRIDE")
        .output()
        .expect("run cargo");
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success() || text.contains("error:"), "{text}");
    text
}

#[test]
fn editing_the_model_regenerates() {
    let macro_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = macro_dir.join("../..").canonicalize().unwrap();
    let scratch = root.join("target/rebuild-check");
    let krate = scratch.join("scratch");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"rebuild-scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n\
         [dependencies]\nawsjson-codegen-macro = {{ path = {:?} }}\nawsjson-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n",
        macro_dir.to_str().unwrap(),
        root.join("runtime").to_str().unwrap()
    );
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    // Same dependency versions as the workspace, no network.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    // The expansion compiles against the real runtime, as in a user's crate.
    std::fs::write(
        krate.join("src/lib.rs"),
        "#[allow(dead_code)]\nmod generated { awsjson_codegen_macro::generate!(\"model.json\"); }\n",
    )
    .unwrap();
    let fixture =
        std::fs::read_to_string(macro_dir.join("../tests/fixtures/keywords.json")).unwrap();
    let model = krate.join("model.json");
    std::fs::write(&model, &fixture).unwrap();
    let target = scratch.join("target");

    cargo_build(&krate, &target);
    let untouched = cargo_build(&krate, &target);
    assert!(
        !untouched.contains("Compiling rebuild-scratch"),
        "rebuilt without a change:\n{untouched}"
    );

    // A model the generator rejects: the build must now fail, naming the shape and member.
    std::fs::write(
        &model,
        fixture.replace("\"example.kw#Self\" }", "\"example.kw#Gone\" }"),
    )
    .unwrap();
    let broken = cargo_build(&krate, &target);
    assert!(
        broken.contains("example.kw#MatchInput$Kind: target `example.kw#Gone` does not exist"),
        "{broken}"
    );

    std::fs::write(&model, &fixture).unwrap();
    let fixed = cargo_build(&krate, &target);
    assert!(
        fixed.contains("Compiling rebuild-scratch") && !fixed.contains("error"),
        "{fixed}"
    );
}
