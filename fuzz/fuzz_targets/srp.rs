//! srp-core's parsing of challenge parameters, decided by the fuzzer's bytes; the full claim
//! (3072-bit exponentiations) for one input in 256.
#![no_main]

#[path = "../../srp-core/tests/fuzzing/srp.rs"]
mod srp;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let claim = data.first() == Some(&0xA5);
    srp::run(&mut test_support::fuzz::Bytes(data), claim);
});
