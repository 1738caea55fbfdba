//! HTTP on 127.0.0.1 without a framework: a server scripted per request, and a raw client.

mod raw;
mod scripted;

pub use raw::{get_raw, post_raw, Raw};
pub use scripted::{json, raw, with_header, Action, Recorded, TestServer};
