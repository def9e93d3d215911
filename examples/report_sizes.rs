//! Bytes of compact JSON per report at each explanation level, for every
//! example case (the figures in docs/performance.md):
//!
//! ```sh
//! cargo run --release --example report_sizes
//! ```

use deon::{Explain, Policy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policy = Policy::load(["policies"]).map_err(|d| format!("policies: {d}"))?;
    let mut paths: Vec<_> = std::fs::read_dir("examples/cases")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    println!("{:<40} {:>8} {:>8} {:>8}", "case", "none", "failing", "all");
    let mut totals = [0usize; 3];
    for path in &paths {
        let case = policy
            .case_from_file(path)
            .map_err(|d| format!("{}: {d}", path.display()))?;
        let mut sizes = [0usize; 3];
        for (size, level) in sizes.iter_mut().zip(Explain::ALL) {
            let decision = policy.decide(&case, None).explained(level);
            let mut json = Vec::new();
            decision.write_json(&mut json);
            *size = json.len();
        }
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("{name:<40} {:>8} {:>8} {:>8}", sizes[0], sizes[1], sizes[2]);
    }
    let n = paths.len().max(1);
    println!(
        "{:<40} {:>8} {:>8} {:>8}",
        "mean",
        totals[0] / n,
        totals[1] / n,
        totals[2] / n
    );
    Ok(())
}
