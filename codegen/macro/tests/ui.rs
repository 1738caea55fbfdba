//! Compile-fail cases: every model problem is a compile error naming the shape and member.

#[test]
fn ui() {
    // trybuild builds the cases in its own directory; point the macro back at this crate.
    std::env::set_var("CODEGEN_MANIFEST_DIR_OVERRIDE", env!("CARGO_MANIFEST_DIR"));
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
