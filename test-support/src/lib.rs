//! What the workspace's tests share, in one crate instead of a harness per crate and test
//! files included across crates by `#[path]` (`publish = false`; a dev-dependency only).
//!
//! - [`http`]: a scripted HTTP/1.1 server on 127.0.0.1 and a raw client.
//! - [`fuzz`]: the stable fuzz driver and the source of a case's decisions.
//! - [`peers`]: the real peers (moto, boto3, pycognito, node packages) under `.peers/`, a
//!   shared moto_server, free ports, temporary folders.
//! - `cognito` (feature `cognito`): the generated client pointed at a local server, pools and
//!   users set up through it, the project's own SRP sign-in, TOTP codes.
//! - `emulator` (feature `emulator`): the emulator in-process or as a child process, and
//!   setup through its wire API.

#[cfg(feature = "cognito")]
pub mod cognito;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod fuzz;
pub mod http;
pub mod peers;
