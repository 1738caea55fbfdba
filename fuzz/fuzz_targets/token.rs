//! The token parser and the whole verification on damaged tokens, decided by the fuzzer's bytes.
#![no_main]

#[path = "../../verify/tests/fuzzing/token.rs"]
mod token;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    token::harness().run(&mut test_support::fuzz::Bytes(data));
});
