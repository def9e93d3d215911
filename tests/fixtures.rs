//! Fixture-driven snapshots: each file under tests/fixtures/{parse,check,eval}
//! is an input; its snapshot shows the input above Deon's colourless output.
//! Adding a case is adding a file.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::path::Path;

use deon::{Diagnostics, Policy};

fn render_all(diagnostics: &Diagnostics) -> String {
    diagnostics
        .problems
        .iter()
        .map(|p| deon::render::diagnostic(p, false))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn snapshot(kind: &str, path: &Path, input: &str, output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_input_file(path);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!(
            kind.to_string(),
            format!("{input}\n──────── output ────────\n{output}")
        );
    });
}

#[test]
fn parse_fixtures() {
    insta::glob!("fixtures/parse/*.deon", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let output = match deon::parse_policy_file(&file_name(path), &text) {
            Ok(file) => format!("{file:#?}"),
            Err(errors) => errors
                .iter()
                .map(|e| deon::render::diagnostic(e, false))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        snapshot("parse", path, &text, &output);
    });
}

#[test]
fn check_fixtures() {
    insta::glob!("fixtures/check/*.deon", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let output = match Policy::from_sources([(file_name(path), text.as_str())]) {
            Ok(policy) => {
                let summary = policy.summary();
                let mut out = format!(
                    "ok: {} rules, {} penalties, {} facts\n",
                    summary.rules.len(),
                    summary.penalties.len(),
                    summary.facts.len()
                );
                for warning in policy.warnings() {
                    out.push_str(&deon::render::diagnostic(warning, false));
                }
                out
            }
            Err(diagnostics) => render_all(&diagnostics),
        };
        snapshot("check", path, &text, &output);
    });
}

/// Penalties: tiers, options, review notes and breach dates, on a policy of
/// their own.
#[test]
fn penalty_fixtures() {
    let policy = match Policy::load(["tests/fixtures/penalties/policy"]) {
        Ok(policy) => policy,
        Err(diagnostics) => panic!(
            "the fixture policy does not check:\n{}",
            render_all(&diagnostics)
        ),
    };
    insta::glob!("fixtures/penalties/*.yaml", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let case = policy
            .case_from_str(&file_name(path), &text, deon::Format::Yaml)
            .unwrap_or_else(|d| panic!("{}", render_all(&d)));
        let report = policy.evaluate(&case, None);
        let text_report = deon::report::human::render(
            &report,
            deon::report::human::Options {
                color: false,
                verbose: true,
                width: None,
            },
        );
        // The JSON of what the penalties add: the findings that expose
        // something or carry notes, without their explanations, and the totals.
        let mut value = serde_json::to_value(&report).expect("the report serialises");
        let findings: Vec<serde_json::Value> = value["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f.get("penalties").is_some() || f.get("review_notes").is_some())
            .map(|mut f| {
                if let Some(f) = f.as_object_mut() {
                    for key in ["explanation", "action", "citations", "regulation_status"] {
                        f.remove(key);
                    }
                }
                f
            })
            .collect();
        value = serde_json::json!({ "findings": findings, "totals": value["totals"] });
        let json = serde_json::to_string_pretty(&value).expect("JSON prints");
        snapshot(
            "penalties",
            path,
            &text,
            &format!("{text_report}\n──────── json ────────\n{json}"),
        );
    });
}

#[test]
fn eval_fixtures() {
    let policy = match Policy::load(["tests/fixtures/eval/policy"]) {
        Ok(policy) => policy,
        Err(diagnostics) => panic!(
            "the fixture policy does not check:\n{}",
            render_all(&diagnostics)
        ),
    };
    insta::glob!("fixtures/eval/*.{yaml,json,toml}", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let format = deon::Format::from_path(&path.to_string_lossy());
        let output = match policy.case_from_str(&file_name(path), &text, format) {
            Ok(case) => {
                let report = policy.evaluate(&case, None);
                deon::report::human::render(
                    &report,
                    deon::report::human::Options {
                        color: false,
                        verbose: true,
                        width: None,
                    },
                )
            }
            Err(diagnostics) => render_all(&diagnostics),
        };
        snapshot("eval", path, &text, &output);
    });
}
