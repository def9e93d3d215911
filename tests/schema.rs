//! docs/report.schema.json is the contract of `deon eval --format json`:
//! the real output of every example case must validate against it.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

#[path = "../benches/gen/mod.rs"]
mod casegen;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn schema() -> Value {
    let text = std::fs::read_to_string("docs/report.schema.json").expect("the schema is readable");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/report.schema.json:\n{}",
        errors.join("\n")
    );
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the folder exists")
        .map(|e| e.expect("the entry is readable").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml" | "toml")
            )
        })
        .collect();
    paths.sort();
    paths
}

fn eval_json(policies: &str, case: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(["eval", policies])
        .arg(case)
        .args(["--format", "json"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}: {}",
        case.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the output is JSON")
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("docs/report.schema.json is not a valid schema: {error}");
    }
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn every_example_case_report_matches_the_schema() {
    let validator = validator();
    let examples = cases("examples/cases");
    assert!(examples.len() >= 10, "the example cases are found");
    for case in examples {
        let report = eval_json("policies", &case);
        assert_valid(&validator, &report, &case.display().to_string());
    }
}

#[test]
fn fixture_reports_match_the_schema() {
    let validator = validator();
    let policy = deon::Policy::load(["tests/fixtures/eval/policy"]).unwrap();
    for case in cases("tests/fixtures/eval") {
        // Fixtures named error_* are cases with mistakes; they have no report.
        if let Ok(case) = policy.case_from_file(&case) {
            let report = serde_json::to_value(policy.evaluate(&case, None)).unwrap();
            assert_valid(&validator, &report, "a fixture report");
        }
    }
}

#[test]
fn synthetic_reports_match_the_schema() {
    // Many varied cases reach the rarer shapes: penalties of every kind,
    // exemptions, conditional findings, days left and overdue.
    let validator = validator();
    let policy = deon::Policy::load(["policies"]).unwrap();
    let mut rng = casegen::Rng::new(5);
    let mut seen = std::collections::BTreeSet::new();
    for n in 0..400 {
        let case = policy.case_from_json(&casegen::case(&mut rng)).unwrap();
        // The smaller explanation levels, on some of the cases.
        if n % 8 == 0 {
            for level in [deon::Explain::None, deon::Explain::Failing] {
                let decision = policy.decide(&case, None).explained(level);
                let mut json = Vec::new();
                decision.write_json(&mut json);
                let instance: serde_json::Value = serde_json::from_slice(&json).unwrap();
                assert_valid(
                    &validator,
                    &instance,
                    &format!("case {n} at explain {level}"),
                );
            }
        }
        let report = serde_json::to_value(policy.evaluate(&case, None)).unwrap();
        for finding in report["findings"].as_array().unwrap() {
            seen.insert(finding["status"].as_str().unwrap_or("").to_string());
            for penalty in finding["penalties"].as_array().into_iter().flatten() {
                for sanction in penalty["sanctions"].as_array().unwrap() {
                    seen.insert(
                        sanction["sanction"]["kind"]
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                    );
                }
            }
        }
        assert_valid(&validator, &report, "a synthetic report");
    }
    for expected in [
        "violated",
        "pending",
        "conditional",
        "exempt",
        "fine",
        "detention",
    ] {
        assert!(
            seen.contains(expected),
            "no synthetic case reached {expected}"
        );
    }
}

#[test]
fn the_schema_refuses_what_the_report_never_holds() {
    let validator = validator();
    let report = eval_json(
        "policies",
        Path::new("examples/cases/provider_late_filing.yaml"),
    );
    assert!(validator.is_valid(&report));

    let mut extra = report.clone();
    extra["findings"][0]["extra"] = json!(1);
    assert!(!validator.is_valid(&extra), "unknown fields are refused");

    let mut status = report.clone();
    status["findings"][0]["status"] = json!("Violated");
    assert!(!validator.is_valid(&status), "statuses are snake_case");

    let mut empty = report.clone();
    empty["findings"][0]["depends_on"] = json!([]);
    assert!(
        !validator.is_valid(&empty),
        "empty lists are left out, not written"
    );

    let mut fine = report;
    let sanction = json!({"kind": "fine", "min": 1, "max": 2});
    fine["findings"][0]["penalties"] = json!([{
        "penalty": "p", "citations": [], "breach_date": "2026-01-01",
        "sanctions": [{"sanction": sanction, "description": "d", "likelihood": "applies"}]
    }]);
    assert!(!validator.is_valid(&fine), "a fine names who pays it");
}
