//! Batch throughput: `deon::batch::run` over a generated JSON Lines file of
//! 100 000 cases (every core), against serde_json parsing the same lines into
//! values and doing nothing else (one core). Twice: writing every finding at
//! the batch's default level, `failing` (about 37 KB of JSON per case), and
//! writing only the failures
//! (`--status violated,breached`), the records a nightly re-evaluation acts
//! on. Prints the ratios at the end.
//!
//! `cargo bench -p deon-bench --bench batch` (set DEON_BENCH_CASES to change the count)

#[path = "../gen/mod.rs"]
mod casegen;

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use deon::Policy;

// The allocator of the `deon` binary, so that this measures what
// `deon eval --batch` does (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cases() -> usize {
    std::env::var("DEON_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// The generated file, written once per run to the temporary folder.
fn batch_file(n: usize) -> std::io::Result<(PathBuf, u64)> {
    let path = std::env::temp_dir().join(format!("deon-bench-{n}.jsonl"));
    let mut out = BufWriter::new(File::create(&path)?);
    let bytes = casegen::write_jsonl(&mut out, n, 1)?;
    std::io::Write::flush(&mut out)?;
    Ok((path, bytes))
}

fn parse_only(path: &Path) -> std::io::Result<usize> {
    let mut objects = 0;
    for line in BufReader::with_capacity(1 << 16, File::open(path)?).lines() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        objects += usize::from(value.is_object());
    }
    Ok(objects)
}

fn batch(policy: &Policy, path: &Path, options: &deon::batch::Options) -> std::io::Result<u64> {
    let input = BufReader::with_capacity(1 << 16, File::open(path)?);
    let summary = deon::batch::run(policy, input, std::io::sink(), options)?;
    Ok(summary.reports)
}

/// Only the failures, as `--status violated,breached` writes them.
fn failures_only() -> deon::batch::Options {
    deon::batch::Options {
        statuses: vec![deon::Status::Violated, deon::Status::Breached],
        ..Default::default()
    }
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn throughput(c: &mut Criterion) {
    let n = cases();
    let (Ok(policy), Ok((path, bytes))) = (Policy::load(["policies"]), batch_file(n)) else {
        eprintln!("cannot load the policies or write the batch file");
        return;
    };
    let mut group = c.benchmark_group(format!("batch of {n}"));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("serde_json parse only", |b| {
        b.iter(|| parse_only(&path).ok())
    });
    let (all, failures) = (deon::batch::Options::default(), failures_only());
    group.bench_function(
        "deon batch, every finding at level failing (all cores)",
        |b| b.iter(|| batch(&policy, &path, &all).ok()),
    );
    group.bench_function("deon batch, failures only (all cores)", |b| {
        b.iter(|| batch(&policy, &path, &failures).ok())
    });
    group.finish();

    // The same, timed side by side, for the ratios.
    let parse = best_of(3, || {
        let _ = parse_only(&path);
    });
    let mb = bytes as f64 / 1e6;
    println!(
        "\n{n} cases, {mb:.1} MB: serde_json parse only {:.0} MB/s ({:.2} s, 1 thread)",
        mb / parse.as_secs_f64(),
        parse.as_secs_f64(),
    );
    for (what, options) in [
        ("every finding at level failing", &all),
        ("failures only", &failures),
    ] {
        let run = best_of(3, || {
            let _ = batch(&policy, &path, options);
        });
        println!(
            "deon batch, {what}: {:.0} MB/s ({:.2} s, {} threads): {:.1} % of parse-only throughput",
            mb / run.as_secs_f64(),
            run.as_secs_f64(),
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            100.0 * parse.as_secs_f64() / run.as_secs_f64()
        );
    }
    println!();
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, throughput);
// Run from the repository root, where `policies/` and `examples/` are.
fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    if let Err(e) = std::env::set_current_dir(root) {
        eprintln!("cannot enter the repository root {root}: {e}");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
