//! Any bytes as a model file: parse, validate, lower, emit; a success must be valid Rust.
#![no_main]

#[path = "../../codegen/tests/fuzzing/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (flags, text) = data.split_first().unwrap_or((&0, &[]));
    let operations = (flags & 1 == 1).then(|| vec!["Op".to_owned(), "Get".to_owned()]);
    model::check_model(text, &model::options(operations, flags & 2 == 2), true);
});
