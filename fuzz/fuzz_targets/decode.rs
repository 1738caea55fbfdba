//! Response decoding for every generated operation, decided by the fuzzer's bytes.
#![no_main]

#[path = "../../generated/tests/fuzzing/decode.rs"]
mod decode;
#[path = "../../generated/tests/fuzzing/shapes.rs"]
mod shapes;

use std::sync::OnceLock;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static HARNESS: OnceLock<decode::Harness> = OnceLock::new();
    let harness = HARNESS.get_or_init(decode::Harness::new);
    harness.run(&mut test_support::fuzz::Bytes(data));
});
