//! Loading and checking the shipped policies, and each example case with its
//! facts already parsed: decided (every finding with its explanation steps,
//! `Policy::decide`) and written out as an owned report (`Policy::evaluate`).
//!
//! `cargo bench -p deon-bench --bench policy`

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group};
use deon::Policy;

fn example_cases() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("examples/cases")
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
}

/// Every `.deon` file under `dir`, in sorted order, as `Policy::load` reads them.
fn policy_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "deon") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}

fn load_and_check(c: &mut Criterion) {
    c.bench_function("load+check policies/", |b| {
        b.iter(|| Policy::load([black_box("policies")]).map(|p| p.warnings().len()))
    });
    // The same without the file system: the policy text already in memory.
    let sources: Vec<(String, String)> = policy_files(Path::new("policies"))
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect();
    c.bench_function("check policies (in memory)", |b| {
        b.iter(|| Policy::from_sources(black_box(&sources).iter().map(|(n, t)| (n, t))).is_ok())
    });
}

fn evaluate_examples(c: &mut Criterion) {
    let Ok(policy) = Policy::load(["policies"]) else {
        eprintln!("the shipped policies do not check");
        return;
    };
    let cases: Vec<(String, deon::Case)> = example_cases()
        .into_iter()
        .filter_map(|path| {
            let case = policy.case_from_file(&path).ok()?;
            let name = path.file_stem()?.to_string_lossy().into_owned();
            Some((name, case))
        })
        .collect();
    let mut group = c.benchmark_group("decide");
    for (name, case) in &cases {
        group.bench_function(name, |b| {
            b.iter(|| policy.decide(black_box(case), None).verdicts().count())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("evaluate");
    for path in example_cases() {
        let Ok(case) = policy.case_from_file(&path) else {
            continue;
        };
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        group.bench_function(&name, |b| {
            b.iter(|| policy.evaluate(black_box(&case), None).findings.len())
        });
    }
    group.finish();

    // Reading a case from JSON text (validation included), and the whole way
    // from JSON text to a report serialised as JSON.
    let mut group = c.benchmark_group("case");
    let json =
        std::fs::read_to_string("examples/cases/platform_warning_post.json").unwrap_or_default();
    group.bench_function("read JSON case", |b| {
        b.iter(|| {
            policy
                .case_from_str("case.json", black_box(&json), deon::Format::Json)
                .is_ok()
        })
    });
    // A case a program already holds as a `serde_json::Value`: read directly,
    // and the way it used to be read (printed, then read as text).
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    group.bench_function("read JSON value case", |b| {
        b.iter(|| policy.case_from_json(black_box(&value)).is_ok())
    });
    group.bench_function("read JSON value case by printing it", |b| {
        b.iter(|| {
            let text = serde_json::to_string_pretty(black_box(&value)).unwrap_or_default();
            policy
                .case_from_str("case.json", &text, deon::Format::Json)
                .is_ok()
        })
    });
    // The three JSON case readers on the example cases, each written as
    // pretty JSON: the quick reader, the full reader (tree with spans, then
    // validation) and a serde_json `DeserializeSeed` that knows the schema
    // (docs/reliability.md). Only the cases all three read are timed, all of
    // them per iteration: the quick and seed readers leave cases with logs
    // to the full reader.
    type Reader = fn(&Policy, &str) -> bool;
    let readers: [(&str, Reader); 3] = [
        ("quick", deon::case_readers::quick),
        ("full", deon::case_readers::full),
        ("serde seed", deon::case_readers::seed),
    ];
    let texts: Vec<String> = example_cases()
        .iter()
        .filter_map(|path| policy.case_from_file(path).ok())
        .filter_map(|case| serde_json::to_string_pretty(&policy.case_to_json(&case)).ok())
        .filter(|text| readers.iter().all(|(_, read)| read(&policy, text)))
        .collect();
    eprintln!(
        "{} example cases read by all three JSON readers, {} bytes in all",
        texts.len(),
        texts.iter().map(String::len).sum::<usize>()
    );
    for (name, read) in readers {
        group.bench_function(format!("example cases as JSON, {name} reader"), |b| {
            b.iter(|| {
                texts
                    .iter()
                    .filter(|text| read(&policy, black_box(text)))
                    .count()
            })
        });
    }
    let mut out = Vec::new();
    group.bench_function("JSON text to JSON report", |b| {
        b.iter(|| {
            let case = policy.case_from_str("case.json", black_box(&json), deon::Format::Json);
            case.ok().map(|case| {
                out.clear();
                policy.decide(&case, None).write_json(&mut out);
                out.len()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, load_and_check, evaluate_examples);
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
