//! Expansion time and size of a whole model, as BENCHMARKS.md §3 records them before and after a
//! generator change: `cargo run -p awsjson-codegen --example expansion_size --features print --
//! MODEL [RUNS]` prints the median time of `expand` (all operations, endpoint tests), the token
//! count, and the line count of the formatted expansion.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: expansion_size MODEL [RUNS]");
    let runs: usize = args
        .next()
        .map_or(11, |r| r.parse().expect("RUNS is a number"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let opts = awsjson_codegen::Options {
        operations: None,
        endpoint_tests: true,
    };
    let mut times = Vec::new();
    let mut tokens = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let expansion = awsjson_codegen::expand(&text, &opts).expect("the model expands");
        tokens = expansion.clone().into_iter().count();
        times.push(start.elapsed());
        drop(expansion);
    }
    times.sort();
    let expansion = awsjson_codegen::expand(&text, &opts).expect("the model expands");
    let lines = awsjson_codegen::pretty(expansion)
        .expect("the expansion parses")
        .lines()
        .count();
    println!(
        "median {:.1} ms over {runs} runs; {tokens} top-level tokens; {lines} formatted lines",
        times[runs / 2].as_secs_f64() * 1000.0
    );
}
