//! The cost of one `@pattern` check in a request's validation: the generated code's way (one
//! `static` per member, compiled on first use behind a `OnceLock`) against the runtime's former
//! way (one process-wide `Mutex<HashMap<String, Arc<Pattern>>>` looked up by the pattern text),
//! both on a ClientId-like value with the Cognito model's `[\w+]+` and a 26-character value, and
//! the lookup alone. Same run, same machine: compare the ratios.

use awsjson_pattern::Pattern;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

const SOURCE: &str = r"[\w+]+";
const VALUE: &str = "4pq2ffmdd9r8p8svvo0n2sh0mk";

fn per_member_static() -> &'static Pattern {
    static COMPILED: OnceLock<Pattern> = OnceLock::new();
    COMPILED.get_or_init(|| Pattern::compile(SOURCE).expect("compiles"))
}

fn shared_cache(source: &str) -> Arc<Pattern> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Pattern>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut guard = cache.lock().expect("not poisoned");
    if let Some(hit) = guard.get(source) {
        return hit.clone();
    }
    let compiled = Arc::new(Pattern::compile(source).expect("compiles"));
    guard.insert(source.to_owned(), compiled.clone());
    compiled
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("pattern_check");
    g.bench_function("static_once_lock", |b| {
        b.iter(|| per_member_static().is_match(black_box(VALUE)))
    });
    g.bench_function("mutex_hash_map", |b| {
        b.iter(|| shared_cache(black_box(SOURCE)).is_match(black_box(VALUE)))
    });
    g.bench_function("lookup_only_static", |b| {
        b.iter(|| black_box(per_member_static()) as *const Pattern)
    });
    g.bench_function("lookup_only_mutex", |b| {
        b.iter(|| Arc::as_ptr(&shared_cache(black_box(SOURCE))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
