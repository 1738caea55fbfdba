//! Valgrind client requests, for the constant-time check (the "ctgrind" technique): a harness
//! marks secret inputs as undefined memory, memcheck then reports every branch and every memory
//! address computed from them, and this crate marks as defined the few values the protocol makes
//! public (A, B, the claim signature, the verdict of a claim check, encoded lengths).
//!
//! A client request is a fixed sequence of register rotations that add up to nothing, then a
//! no-op exchange: outside valgrind it does nothing and costs a few cycles; valgrind recognizes
//! it and acts. Only x86_64 is wired up; elsewhere every request is a no-op.
//!
//! Not part of the API: the harness (`examples/ct_check.rs`) uses it.
#![allow(unsafe_code)]

/// memcheck's requests are numbered from ('M' << 24 | 'C' << 16).
const MAKE_MEM_UNDEFINED: u64 = 0x4d43_0001;
const MAKE_MEM_DEFINED: u64 = 0x4d43_0002;
/// Core requests.
const RUNNING_ON_VALGRIND: u64 = 0x1001;
const COUNT_ERRORS: u64 = 0x1201;

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn client_request(default: u64, request: u64, arg1: u64, arg2: u64) -> u64 {
    let args: [u64; 6] = [request, arg1, arg2, 0, 0, 0];
    let mut result = default;
    // SAFETY: natively the four rotations of rdi total 128 bits (rdi is unchanged) and
    // `xchg rbx, rbx` is a no-op; the asm only reads `args`, which lives across the call.
    // Under valgrind the sequence is replaced by the request, which reads `args` and writes rdx.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") result,
            in("rax") args.as_ptr(),
            out("rdi") _,
            options(nostack),
        );
    }
    result
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn client_request(default: u64, _request: u64, _arg1: u64, _arg2: u64) -> u64 {
    default
}

/// Tells memcheck that `bytes` hold a secret: any branch or address computed from them is
/// reported as a use of uninitialised memory.
pub fn mark_secret(bytes: &[u8]) {
    client_request(
        0,
        MAKE_MEM_UNDEFINED,
        bytes.as_ptr() as u64,
        bytes.len() as u64,
    );
}

/// Tells memcheck that `bytes` are public from now on (declassification).
pub fn mark_defined(bytes: &[u8]) {
    client_request(
        0,
        MAKE_MEM_DEFINED,
        bytes.as_ptr() as u64,
        bytes.len() as u64,
    );
}

/// The same for limbs.
pub(crate) fn mark_limbs_defined(limbs: &[u64]) {
    client_request(
        0,
        MAKE_MEM_DEFINED,
        limbs.as_ptr() as u64,
        std::mem::size_of_val(limbs) as u64,
    );
}

/// Whether the program runs under valgrind.
pub fn running_on_valgrind() -> bool {
    client_request(0, RUNNING_ON_VALGRIND, 0, 0) != 0
}

/// How many errors valgrind has reported so far (0 outside valgrind).
pub fn error_count() -> u64 {
    client_request(0, COUNT_ERRORS, 0, 0)
}
