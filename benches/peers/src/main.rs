//! One decision, three engines, one run: may this vulnerability information
//! be published now (Art. 9 of the 2021 Provisions)?
//!
//! - cedar-policy and regorus evaluate the small peer policies in this folder
//!   (`publish.cedar`, `publish.rego`) and answer allow or deny;
//! - Deon decides the shipped policies (`policies/`, every rule of both
//!   regulations): every finding, with its explanation steps (each
//!   condition, its outcome and the facts it read), deadlines and penalties.
//!   Its answer is "allowed" when no Art. 9 finding is violated or breached.
//!   It is timed twice more: writing the decision out as an owned report,
//!   and as JSON text.
//!
//! All of them answer the same 4,096 cases (every combination of the
//! decision's twelve facts), and the run stops if any two engines disagree on
//! any of them. The timings use the first 64 (every combination of six
//! facts), from JSON text and from already parsed input, next to serde_json
//! parsing the same text. Deon's cases carry the same facts under Deon's
//! names.
//!
//! `cargo run --release -- [decisions]` (default 20 000 per measurement);
//! add `--features mimalloc` to run every engine on mimalloc, the allocator
//! of the `deon` binary.

use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use serde_json::{Value, json};

/// The twelve facts of case `i` (bit k of `i` sets the k-th), in the peers'
/// vocabulary. Cases 0..64 vary the first six and are the ones timed; all
/// 4,096 are checked for agreement between the engines.
fn peer_case(i: u32) -> Value {
    let b = |k: u32| (i >> k) & 1 == 1;
    json!({
        "vuln": {
            "fixed": b(0),
            "joint_assessment_reported": b(1),
            "in_use_by_operator": b(2),
            "public": b(3)
        },
        "disclosure": {
            "includes_details": !b(6),
            "includes_exploit_tool": b(4),
            "includes_remedies": !b(5),
            "exaggerates_risk": b(7),
            "during_major_event": b(8),
            "mps_approved": b(9),
            "to_overseas": b(10),
            "recipient_is_provider": b(11)
        }
    })
}

/// Every combination of the twelve facts.
const ALL_CASES: u32 = 1 << 12;
/// The timed cases: every combination of the first six facts.
const TIMED_CASES: usize = 64;

/// The same case in Deon's fact schema (policies/cn/common.deon): a researcher
/// in mainland China publishes on 10 June 2025.
fn deon_case(peer: &Value) -> Value {
    let flag = |record: &str, key: &str| peer[record][key].as_bool().unwrap_or(false);
    let published = "2025-06-10";
    let reported = flag("vuln", "joint_assessment_reported");
    let early_on = if reported {
        json!("2025-06-01")
    } else {
        Value::Null
    };
    let to_overseas = flag("disclosure", "to_overseas");
    json!({
        "as_of": "2025-06-12",
        "party": {
            "roles": ["researcher"],
            "kind": "individual",
            "active_in_mainland": true
        },
        "vulnerability": {
            "aware_on": "2025-05-02",
            "provider_notified_on": "2025-05-03",
            "reported_to": ["cnvd"],
            "fix_available_on": if flag("vuln", "fixed") { json!("2025-06-05") } else { Value::Null },
            "in_use_by_operator": flag("vuln", "in_use_by_operator")
        },
        "publication": {
            "published_on": published,
            "covers_product_vulnerability": true,
            "principles_met": true,
            "includes_details": flag("disclosure", "includes_details"),
            "exaggerates_harm": flag("disclosure", "exaggerates_risk"),
            "used_for_hype_fraud_or_extortion": false,
            "includes_exploit_tool": flag("disclosure", "includes_exploit_tool"),
            "includes_remedies": flag("disclosure", "includes_remedies"),
            "during_major_event": flag("disclosure", "during_major_event"),
            "mps_consented": flag("disclosure", "mps_approved"),
            "early_release": {
                "joint_assessment_with_provider": reported,
                "reported_to_miit_on": early_on,
                "reported_to_mps_on": early_on,
                "authority_assessment_done_on": early_on
            }
        },
        "overseas": {
            "provided_on": if to_overseas { json!(published) } else { Value::Null },
            "recipient_is_provider": flag("disclosure", "recipient_is_provider"),
            "info_undisclosed": !flag("vuln", "public")
        },
        "misuse": null,
        "enforcement": {
            "ordered_to_correct": false,
            "refused_correction": false,
            "harm_caused": false,
            "serious": false,
            "constitutes_crime": false
        }
    })
}

/// Deon's answer: no Art. 9 finding is violated or breached.
fn deon_allows(decision: &deon::Decision<'_>) -> bool {
    !decision
        .verdicts()
        .any(|v| v.status().is_failure() && v.citations().iter().any(|c| c.starts_with("Art. 9")))
}

/// The same answer, read from an owned report.
fn report_allows(report: &deon::Report) -> bool {
    !report
        .findings
        .iter()
        .any(|f| f.status.is_failure() && f.citations.iter().any(|c| c.starts_with("Art. 9")))
}

/// Times `f` over `n` decisions after a warm-up; returns nanoseconds per decision.
fn time<F: FnMut(usize) -> bool>(name: &str, n: usize, mut f: F) -> f64 {
    for i in 0..(n / 10).max(64) {
        black_box(f(i));
    }
    let mut allowed = 0usize;
    let start = Instant::now();
    for i in 0..n {
        allowed += usize::from(f(i));
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!(
        "{name:<40} {:>9.2} µs/decision   (allowed {allowed} of {n})",
        ns / 1000.0
    );
    ns
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let peers: Vec<String> = (0..ALL_CASES).map(|i| peer_case(i).to_string()).collect();
    let deons: Vec<String> = (0..ALL_CASES)
        .map(|i| deon_case(&peer_case(i)).to_string())
        .collect();

    // Cedar
    let start = Instant::now();
    let policies = PolicySet::from_str(&std::fs::read_to_string(here.join("publish.cedar"))?)?;
    println!(
        "cedar: parse policies {:>10} µs",
        start.elapsed().as_micros()
    );
    let authorizer = Authorizer::new();
    let principal = EntityUid::from_str(r#"Discloser::"d""#)?;
    let action = EntityUid::from_str(r#"Action::"publish""#)?;
    let resource = EntityUid::from_str(r#"Vulnerability::"v""#)?;
    let entities = Entities::empty();
    let contexts: Vec<Context> = peers
        .iter()
        .map(|c| Context::from_json_str(c, None))
        .collect::<Result<_, _>>()?;
    let cedar = |context: Context| {
        Request::new(
            principal.clone(),
            action.clone(),
            resource.clone(),
            context,
            None,
        )
        .map(|request| {
            authorizer
                .is_authorized(&request, &policies, &entities)
                .decision()
                == Decision::Allow
        })
        .unwrap_or(false)
    };
    let cedar_answers: Vec<bool> = contexts.iter().map(|c| cedar(c.clone())).collect();

    // Rego (regorus)
    let start = Instant::now();
    let mut engine = regorus::Engine::new();
    engine.add_policy(
        "publish.rego".into(),
        std::fs::read_to_string(here.join("publish.rego"))?,
    )?;
    println!(
        "regorus: parse policies {:>8} µs",
        start.elapsed().as_micros()
    );
    let inputs: Vec<regorus::Value> = peers
        .iter()
        .map(|c| regorus::Value::from_json_str(c))
        .collect::<Result<_, _>>()?;
    let mut rego = |input: regorus::Value| {
        engine.set_input(input);
        engine
            .eval_rule("data.provisions.publish.allow".into())
            .map(|v| v == regorus::Value::from(true))
            .unwrap_or(false)
    };
    let rego_answers: Vec<bool> = inputs.iter().map(|i| rego(i.clone())).collect();

    // Deon
    let start = Instant::now();
    let policy = deon::Policy::load([here.join("../../policies")])
        .map_err(|d| format!("the shipped policies do not load: {d}"))?;
    println!(
        "deon: load + check policies/ {:>4} µs ({} rules)",
        start.elapsed().as_micros(),
        policy.summary().rules.len()
    );
    let cases: Vec<deon::Case> = deons
        .iter()
        .map(|t| policy.case_from_str("case.json", t, deon::Format::Json))
        .collect::<Result<_, _>>()
        .map_err(|d| format!("a mapped case does not validate: {d}"))?;
    let deon_answers: Vec<bool> = cases
        .iter()
        .map(|c| deon_allows(&policy.decide(c, None)))
        .collect();
    let report_answers: Vec<bool> = cases
        .iter()
        .map(|c| report_allows(&policy.evaluate(c, None)))
        .collect();
    assert_eq!(
        deon_answers, report_answers,
        "the decision and its report disagree"
    );
    for (name, other) in [("cedar", &cedar_answers), ("regorus", &rego_answers)] {
        if let Some(i) = (0..deon_answers.len()).find(|&i| deon_answers[i] != other[i]) {
            return Err(format!(
                "deon and {name} disagree on case {i} (deon allows: {}): {}",
                deon_answers[i], peers[i]
            )
            .into());
        }
    }
    println!(
        "all three engines agree on all {} cases ({} allowed)\n",
        deon_answers.len(),
        deon_answers.iter().filter(|a| **a).count()
    );

    let cedar_parsed = time("cedar: parsed context", n, |i| {
        cedar(black_box(&contexts[i % TIMED_CASES]).clone())
    });
    let cedar_json = time("cedar: from JSON text", n, |i| {
        Context::from_json_str(black_box(&peers[i % TIMED_CASES]), None)
            .map(&cedar)
            .unwrap_or(false)
    });
    let rego_parsed = time("regorus: parsed input", n / 4, |i| {
        rego(black_box(&inputs[i % TIMED_CASES]).clone())
    });
    let rego_json = time("regorus: from JSON text", n / 4, |i| {
        regorus::Value::from_json_str(black_box(&peers[i % TIMED_CASES]))
            .map(&mut rego)
            .unwrap_or(false)
    });
    let serde_only = time("serde_json: parse only", n, |i| {
        serde_json::from_str::<Value>(black_box(&deons[i % TIMED_CASES]))
            .is_ok_and(|v| v.is_object())
    });
    let deon_parsed = time("deon: parsed facts, all findings", n, |i| {
        deon_allows(&policy.decide(black_box(&cases[i % TIMED_CASES]), None))
    });
    let deon_json = time("deon: from JSON text, all findings", n, |i| {
        policy
            .case_from_str(
                "case.json",
                black_box(&deons[i % TIMED_CASES]),
                deon::Format::Json,
            )
            .map(|case| deon_allows(&policy.decide(&case, None)))
            .unwrap_or(false)
    });
    let deon_report = time("deon: from JSON text, owned report", n / 4, |i| {
        policy
            .case_from_str(
                "case.json",
                black_box(&deons[i % TIMED_CASES]),
                deon::Format::Json,
            )
            .map(|case| report_allows(&policy.evaluate(&case, None)))
            .unwrap_or(false)
    });
    // The report as JSON text at each explanation level, into one reused
    // buffer, as the batch and the server write it.
    let mut json = Vec::new();
    let deon_text = deon::Explain::ALL.map(|level| {
        time(
            &format!("deon: from JSON text, JSON report ({level})"),
            n / 4,
            |i| {
                policy
                    .case_from_str(
                        "case.json",
                        black_box(&deons[i % TIMED_CASES]),
                        deon::Format::Json,
                    )
                    .map(|case| {
                        let decision = policy.decide(&case, None).explained(level);
                        json.clear();
                        decision.write_json(&mut json);
                        !json.is_empty() && deon_allows(&decision)
                    })
                    .unwrap_or(false)
            },
        )
    });
    // The batch, on every core: the timed cases as JSON Lines, repeated.
    let lines: String = (0..n)
        .map(|i| format!("{}\n", deons[i % TIMED_CASES]))
        .collect();
    let batch = |level: deon::Explain| {
        let options = deon::batch::Options {
            explain: level,
            ..Default::default()
        };
        let start = Instant::now();
        let out = std::io::sink();
        let summary = deon::batch::run(&policy, lines.as_bytes(), out, &options);
        let ns = start.elapsed().as_nanos() as f64 / n as f64;
        let reports = summary.map(|s| s.reports).unwrap_or(0);
        println!(
            "{:<40} {:>9.2} µs/decision   ({reports} reports, every core)",
            format!("deon: batch ({level})"),
            ns / 1000.0
        );
        ns
    };
    let batch_failing = batch(deon::Explain::Failing);
    let batch_all = batch(deon::Explain::All);

    println!("\nspeed-up of Deon (>1: Deon faster)");
    println!(
        "  from JSON text:  vs cedar {:.2}x, vs regorus {:.2}x",
        cedar_json / deon_json,
        rego_json / deon_json
    );
    println!(
        "  parsed input:    vs cedar {:.2}x, vs regorus {:.2}x",
        cedar_parsed / deon_parsed,
        rego_parsed / deon_parsed
    );
    println!(
        "  owned report:    vs cedar {:.2}x, vs regorus {:.2}x",
        cedar_json / deon_report,
        rego_json / deon_report
    );
    for (level, ns) in deon::Explain::ALL.iter().zip(deon_text) {
        println!(
            "  JSON report, {:<8} vs cedar {:.2}x, vs regorus {:.2}x",
            format!("{level}:"),
            cedar_json / ns,
            rego_json / ns
        );
    }
    for (level, ns) in [("failing", batch_failing), ("all", batch_all)] {
        println!(
            "  batch, {:<14} vs cedar {:.2}x, vs regorus {:.2}x (every core against one)",
            format!("{level}:"),
            cedar_json / ns,
            rego_json / ns
        );
    }
    println!(
        "  serde_json parse only takes {:.1} % of Deon's JSON-to-findings time",
        100.0 * serde_only / deon_json
    );
    Ok(())
}
