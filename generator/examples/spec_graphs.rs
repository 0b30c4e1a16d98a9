//! The property test of `tests/random_specs.rs` at length:
//! `cargo run --release -p sdkgen --example spec_graphs -- [CASES] [FIRST]` checks cases
//! `FIRST..FIRST + CASES` (default: a million from 0) and prints progress, the rate, and how
//! the cases ended (generated, or refused with which error). The first failure stops it with
//! the case number and its spec (make that a fixture in tests/broken or tests/fixtures).

#[path = "../tests/spec_graphs/mod.rs"]
mod spec_graphs;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let cases = args.first().copied().unwrap_or(1_000_000);
    let first = args.get(1).copied().unwrap_or(0);
    if cases == 1 {
        println!("{}", spec_graphs::spec(first));
    }
    let start = Instant::now();
    let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
    let result = spec_graphs::run(
        first..first + cases,
        Duration::from_secs(10),
        |seed, outcome| {
            *outcomes.entry(outcome.to_owned()).or_default() += 1;
            let done = seed - first + 1;
            if done % 10_000 == 0 {
                let rate = done as f64 / start.elapsed().as_secs_f64();
                eprintln!("{done} cases, {rate:.0}/s");
            }
        },
    );
    let elapsed = start.elapsed().as_secs_f64();
    println!("{cases} cases from {first} in {elapsed:.1} s");
    let mut by_count: Vec<_> = outcomes.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (outcome, count) in by_count {
        println!("{count:>9}  {outcome}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("{problem}");
            ExitCode::FAILURE
        }
    }
}
