//! Embedding Deon in a program: load policies (from a folder and from text
//! held in memory), build cases from JSON, YAML, TOML and a serde_json value,
//! evaluate them at a date, print JSON, and share one loaded policy between
//! threads.
//!
//! `cargo run --example embed` (from the repository root)

use std::sync::Arc;

use chrono::NaiveDate;
use deon::{Diagnostics, Format, Policy, Status};

/// A small policy written in the program itself.
const FILING: &str = r#"
regulation example {
  title "An example filing rule"
  status in force
  effective from 2021-09-01
}

facts {
  report "The report." {
    received_on: date? "When the report arrived."
    filed_on: date? "When it was filed."
  }
}

rule file_report "File each report within two days." {
  cite "Art. 1"
  when report.received_on is set
  must "file the report"
  within 2 days of report.received_on
  done on report.filed_on
}
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Policies from a folder: every .deon file under it.
    let shipped = Policy::load(["policies"]).map_err(explain)?;
    let summary = shipped.summary();
    println!(
        "policies/: {} rules, {} facts, {} warnings",
        summary.rules.len(),
        summary.facts.len(),
        shipped.warnings().len()
    );

    // 2. Policies from memory, as (name, text) pairs.
    let filing = Policy::from_sources([("filing.deon", FILING)]).map_err(explain)?;

    // 3. The same facts in each format a case can take.
    let json = r#"{"report": {"received_on": "2026-03-03", "filed_on": null}}"#;
    let yaml = "report:\n  received_on: 2026-03-03\n  filed_on: null\n";
    let toml = "[report]\nreceived_on = 2026-03-03\n";
    let value = serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}});
    let cases = [
        (
            "JSON text",
            filing.case_from_str("case.json", json, Format::Json),
        ),
        (
            "YAML",
            filing.case_from_str("case.yaml", yaml, Format::Yaml),
        ),
        // TOML has no null: leaving `filed_on` out makes it unknown.
        (
            "TOML",
            filing.case_from_str("case.toml", toml, Format::Toml),
        ),
        ("serde_json::Value", filing.case_from_json(&value)),
    ];

    // 4. Evaluate each at a date; the report is serde-serialisable.
    let on = NaiveDate::from_ymd_opt(2026, 3, 4);
    for (what, case) in cases {
        let case = case.map_err(explain)?;
        let report = filing.evaluate(&case, on);
        let finding = &report.findings[0];
        println!("{what:>18}: {} — {}", finding.status.key(), finding.summary);
    }
    let case = filing
        .case_from_str("case.json", json, Format::Json)
        .map_err(explain)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&filing.evaluate(&case, on))?
    );

    // 5. A bad case is a list of diagnostics, each with a code and a place.
    if let Err(diagnostics) =
        filing.case_from_str("bad.json", r#"{"report": {"filed_on": 3}}"#, Format::Json)
    {
        for problem in &diagnostics.problems {
            println!("rejected: {problem}");
        }
    }

    // 6. Policy is Send + Sync: load once, evaluate on many threads. Where
    //    only statuses and dates matter, `decide` skips writing the report.
    let shipped = Arc::new(shipped);
    let example = std::fs::read_to_string("examples/cases/provider_late_filing.yaml")?;
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let policy = Arc::clone(&shipped);
            let text = example.clone();
            std::thread::spawn(move || -> Result<usize, Diagnostics> {
                let case = policy.case_from_str("late.yaml", &text, Format::Yaml)?;
                let date = NaiveDate::from_ymd_opt(2026, 3, 10 + i);
                let decision = policy.decide(&case, date);
                Ok(decision
                    .verdicts()
                    .filter(|v| v.status() == Status::Violated)
                    .count())
            })
        })
        .collect();
    for (i, thread) in threads.into_iter().enumerate() {
        match thread.join() {
            Ok(Ok(violated)) => println!("thread {i}: {violated} violated findings"),
            Ok(Err(diagnostics)) => return Err(explain(diagnostics).into()),
            Err(_) => return Err("a thread stopped".into()),
        }
    }

    // 7. Many cases at once: JSON Lines in, one JSON record per line out.
    let batch = "{\"as_of\": \"2026-03-10\"}\nnot json\n";
    let mut out = Vec::new();
    let summary = deon::batch::run(&shipped, batch.as_bytes(), &mut out, &Default::default())?;
    println!(
        "batch: {} reports, {} errors; second record: {}",
        summary.reports,
        summary.errors,
        String::from_utf8_lossy(&out).lines().nth(1).unwrap_or("")
    );
    Ok(())
}

/// Diagnostics as one line each, for a program without a terminal renderer.
fn explain(diagnostics: Diagnostics) -> String {
    diagnostics
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_runs() {
        if let Err(error) = super::main() {
            panic!("examples/embed.rs failed: {error}");
        }
    }
}
