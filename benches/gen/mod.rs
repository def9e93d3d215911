//! Synthetic cases for the shipped policies (`policies/`): deterministic,
//! varied, and shaped like the example cases — a party with one or two
//! roles, the facts its rules read, some of them left out (unknown) or null.
//!
//! Shared by the benchmarks, the batch tests and `cargo run --example
//! gen_cases`; each includes this file with `#[path]`.

#![allow(dead_code)] // each includer uses a part

use std::io::{self, Write};

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value, json};

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same cases on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent` in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn bool(&mut self) -> bool {
        self.chance(50)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn day(date: NaiveDate) -> Value {
    Value::String(date.format("%Y-%m-%d").to_string())
}

/// The case's clock: when things happened, relative to the first awareness.
struct Clock {
    start: NaiveDate,
}

impl Clock {
    /// `days` after the start, or null (it has not happened) with the given chance.
    fn after(&self, rng: &mut Rng, max_days: u64, null_percent: u64) -> Value {
        if rng.chance(null_percent) {
            Value::Null
        } else {
            day(self.start + Duration::days(rng.below(max_days + 1) as i64))
        }
    }
}

/// A record builder that leaves a fact out (unknown) with a small chance.
struct Record<'r> {
    map: Map<String, Value>,
    rng: &'r mut Rng,
    unknown_percent: u64,
}

impl Record<'_> {
    fn set(&mut self, key: &str, value: Value) -> &mut Self {
        if !self.rng.chance(self.unknown_percent) {
            self.map.insert(key.to_string(), value);
        }
        self
    }

    fn done(self) -> Value {
        Value::Object(self.map)
    }
}

fn record(rng: &mut Rng, unknown_percent: u64) -> Record<'_> {
    Record {
        map: Map::new(),
        rng,
        unknown_percent,
    }
}

const ROLE_SETS: &[&[&str]] = &[
    &["product_provider"],
    &["product_provider"],
    &["product_provider", "network_operator"],
    &["network_operator"],
    &["ciio"],
    &["researcher"],
    &["researcher", "publisher"],
    &["discoverer_org"],
    &["discoverer_org", "publisher"],
    &["collection_platform"],
    &["collection_platform", "discoverer_org"],
    &["publisher"],
    &["publication_platform_operator"],
    &[],
];

const PLATFORMS: &[&str] = &["miit_nvdb", "nsinc", "cnvd", "cnnvd"];
const SECTORS: &[&str] = &[
    "public_communications",
    "energy",
    "transport",
    "water",
    "finance",
    "public_services",
    "e_government",
    "defence_science",
    "other_important",
];
const SCOPES: &[&str] = &[
    "single_region",
    "cross_regional",
    "nationwide",
    "outside_china",
];

/// One synthetic case as a JSON value.
pub fn case(rng: &mut Rng) -> Value {
    let roles: Vec<&str> = rng.pick(ROLE_SETS).to_vec();
    let has = |r: &str| roles.contains(&r);
    let individual = has("researcher") || (roles.is_empty() && rng.bool());
    // Whole years since the Provisions took effect, and a little before.
    let start = NaiveDate::from_ymd_opt(2021, 6, 1).unwrap_or_default()
        + Duration::days(rng.below(1600) as i64);
    let clock = Clock { start };
    // Some cases ask what is due now (days after learning of it), most look back.
    let as_of = if rng.chance(30) {
        start + Duration::days(rng.below(10) as i64)
    } else {
        start + Duration::days(rng.below(400) as i64)
    };
    // Most facts are given; a few are left out, so some findings are conditional.
    let unknown = *rng.pick(&[0, 0, 2, 5, 10]);

    let mut case = Map::new();
    case.insert("as_of".into(), day(as_of));
    let party = {
        let mut r = record(rng, 0);
        r.set("roles", json!(roles));
        r.set(
            "kind",
            json!(if individual {
                "individual"
            } else {
                "organisation"
            }),
        );
        let mainland = r.rng.chance(95);
        r.set("active_in_mainland", json!(mainland));
        r.done()
    };
    case.insert("party".into(), party);

    if has("product_provider") || has("network_operator") || has("ciio") || rng.chance(30) {
        let mut r = record(rng, unknown);
        let (open, retention, reward, leak) = (
            r.rng.chance(85),
            format!("{} months", r.rng.pick(&[3, 6, 12, 24])),
            r.rng.bool(),
            r.rng.chance(80),
        );
        r.set("intake_channel_open", json!(open))
            .set("intake_log_retention", json!(retention))
            .set("reward_scheme", json!(reward))
            .set("leak_controls", json!(leak));
        case.insert("programme".into(), r.done());
    }

    // Almost every case is about a vulnerability.
    if rng.chance(92) {
        let mut r = record(rng, unknown);
        let aware = day(start);
        let verified = clock.after(r.rng, 5, 10);
        let upstream = r.rng.chance(20);
        let upstream_on = if upstream {
            clock.after(r.rng, 6, 30)
        } else {
            Value::Null
        };
        let filed = clock.after(r.rng, 4, 15);
        let complete = r.rng.chance(85);
        let reported: Vec<&str> = PLATFORMS
            .iter()
            .copied()
            .filter(|_| r.rng.chance(30))
            .collect();
        let fix = clock.after(r.rng, 120, 25);
        let need = r.rng.chance(70);
        let notified = clock.after(r.rng, 130, 30);
        let supported = r.rng.chance(80);
        let patched = clock.after(r.rng, 60, 40);
        let in_use = r.rng.chance(25);
        let provider_notified = clock.after(r.rng, 10, 20);
        r.set("aware_on", aware)
            .set("verified_on", verified)
            .set("in_upstream_component", json!(upstream))
            .set("upstream_notified_on", upstream_on)
            .set("provider_notified_on", provider_notified)
            .set("filed_with_miit_on", filed)
            .set("filing_complete", json!(complete))
            .set("reported_to", json!(reported))
            .set("fix_available_on", fix)
            .set("users_need_to_act", json!(need))
            .set("users_notified_on", notified)
            .set("users_supported", json!(supported))
            .set("patched_on", patched)
            .set("in_use_by_operator", json!(in_use));
        case.insert("vulnerability".into(), r.done());
    } else {
        case.insert("vulnerability".into(), Value::Null);
    }

    let publishes = has("researcher") || has("discoverer_org") || has("publisher");
    if publishes && rng.chance(85) {
        case.insert("publication".into(), publication(rng, &clock, unknown));
    } else {
        case.insert("publication".into(), Value::Null);
    }

    if publishes && rng.chance(40) {
        let mut r = record(rng, unknown);
        let on = clock.after(r.rng, 60, 10);
        let provider = r.rng.bool();
        let undisclosed = r.rng.chance(60);
        r.set("provided_on", on)
            .set("recipient_is_provider", json!(provider))
            .set("info_undisclosed", json!(undisclosed));
        case.insert("overseas".into(), r.done());
    } else {
        case.insert("overseas".into(), Value::Null);
    }

    if rng.chance(15) {
        let mut r = record(rng, unknown);
        let event = |r: &mut Record<'_>, key: &str| {
            let v = clock.after(r.rng, 90, 75);
            r.set(key, v);
        };
        event(&mut r, "exploited_on");
        event(&mut r, "unlawfully_collected_on");
        event(&mut r, "unlawfully_sold_on");
        event(&mut r, "unlawfully_published_on");
        event(&mut r, "assisted_on");
        let knew = r.rng.bool();
        r.set("knew_of_exploitation", json!(knew));
        case.insert("misuse".into(), r.done());
    } else {
        case.insert("misuse".into(), Value::Null);
    }

    if has("collection_platform") {
        let mut r = record(rng, unknown);
        let since = clock.after(r.rng, 30, 5);
        let filed = clock.after(r.rng, 60, 40);
        r.set("operating_since", since)
            .set("filed_with_miit_on", filed);
        case.insert("collection".into(), r.done());
    }

    if has("publication_platform_operator") {
        let mut r = record(rng, unknown);
        let breaches = r.rng.chance(60);
        let known = clock.after(r.rng, 20, 20);
        let stopped = clock.after(r.rng, 25, 30);
        let (contained, kept) = (r.rng.chance(70), r.rng.chance(70));
        let cac = clock.after(r.rng, 30, 40);
        let psb = clock.after(r.rng, 30, 50);
        r.set("item_breaches_measures", json!(breaches))
            .set("breach_known_on", known)
            .set("stopped_on", stopped)
            .set("spread_contained", json!(contained))
            .set("records_kept", json!(kept))
            .set("reported_to_cac_on", cac)
            .set("reported_to_psb_on", psb);
        case.insert("hosting".into(), r.done());
    }

    {
        let mut r = record(rng, unknown);
        let ordered = r.rng.chance(30);
        let refused = ordered && r.rng.chance(20);
        let harm = r.rng.chance(15);
        let serious = harm && r.rng.chance(40);
        let crime = serious && r.rng.chance(20);
        r.set("ordered_to_correct", json!(ordered))
            .set("refused_correction", json!(refused))
            .set("harm_caused", json!(harm))
            .set("serious", json!(serious))
            .set("constitutes_crime", json!(crime));
        case.insert("enforcement".into(), r.done());
    }
    Value::Object(case)
}

fn publication(rng: &mut Rng, clock: &Clock, unknown: u64) -> Value {
    let mut r = record(rng, unknown);
    let on = clock.after(r.rng, 90, 5);
    r.set("published_on", on);
    for (key, percent) in [
        ("covers_product_vulnerability", 85),
        ("principles_met", 80),
        ("includes_details", 50),
        ("exaggerates_harm", 10),
        ("used_for_hype_fraud_or_extortion", 3),
        ("includes_exploit_tool", 10),
        ("includes_remedies", 70),
        ("during_major_event", 8),
        ("mps_consented", 30),
        ("legitimate_purpose", 90),
        ("endangers_security_or_rights", 5),
        ("objective_and_prudent", 85),
        ("hype_gain_or_unfair_competition", 5),
        ("title_contains_warning", 15),
        ("warning_authorised", 20),
    ] {
        let b = r.rng.chance(percent);
        r.set(key, json!(b));
    }
    let kinds: Vec<&str> = ["threatening_conduct", "network_weakness"]
        .into_iter()
        .filter(|_| r.rng.chance(50))
        .collect();
    r.set("content_kinds", json!(kinds));
    if r.rng.chance(30) {
        let mut e = record(r.rng, unknown);
        let joint = e.rng.bool();
        let miit = clock.after(e.rng, 30, 50);
        let mps = clock.after(e.rng, 30, 50);
        let done = clock.after(e.rng, 40, 60);
        e.set("joint_assessment_with_provider", json!(joint))
            .set("reported_to_miit_on", miit)
            .set("reported_to_mps_on", mps)
            .set("authority_assessment_done_on", done);
        let early = e.done();
        r.set("early_release", early);
    } else {
        r.set("early_release", Value::Null);
    }
    let mut f = record(r.rng, unknown);
    for key in [
        "malware_code_or_methods",
        "intrusion_tools",
        "full_reproduction_details",
        "leaked_breach_data",
        "specific_network_architecture",
        "specific_system_assessments",
        "other_directly_harmful",
    ] {
        let b = f.rng.chance(6);
        f.set(key, json!(b));
    }
    let forbidden = f.done();
    r.set("forbidden", forbidden);
    let mut i = record(r.rng, unknown);
    let concerns = i.rng.chance(20);
    let psb = clock.after(i.rng, 10, 50);
    i.set("concerns_incident", json!(concerns))
        .set("psb_reported_on", psb);
    let incident = i.done();
    r.set("incident", incident);
    let mut a = record(r.rng, unknown);
    let comprehensive = a.rng.chance(20);
    a.set("comprehensive_report", json!(comprehensive));
    if comprehensive {
        let scope = *a.rng.pick(SCOPES);
        let cross = a.rng.bool();
        let sectors: Vec<&str> = SECTORS
            .iter()
            .copied()
            .filter(|_| a.rng.chance(15))
            .collect();
        a.set("scope", json!(scope))
            .set("cross_industry", json!(cross))
            .set("sectors", json!(sectors));
        for key in [
            "local_cac_reported_on",
            "local_psb_reported_on",
            "sector_regulators_reported_on",
            "national_cac_reported_on",
            "mps_reported_on",
        ] {
            let v = clock.after(a.rng, 30, 50);
            a.set(key, v);
        }
    }
    let analysis = a.done();
    r.set("analysis", analysis);
    let mut s = record(r.rng, unknown);
    let identifies = s.rng.chance(15);
    s.set("identifies_specific_system", json!(identifies));
    if identifies {
        let own = s.rng.chance(30);
        let consent = clock.after(s.rng, 30, 50);
        let fixed = s.rng.bool();
        let reported = clock.after(s.rng, 30, 50);
        s.set("about_own_network", json!(own))
            .set("operator_consent_on", consent)
            .set("fixed_before_publication", json!(fixed))
            .set("authority_reported_on", reported);
    }
    let specific = s.done();
    r.set("specific_system", specific);
    r.done()
}

/// `n` cases as JSON Lines, from `seed`.
pub fn write_jsonl<W: Write>(out: &mut W, n: usize, seed: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let mut bytes = 0u64;
    let mut line = Vec::with_capacity(4096);
    for _ in 0..n {
        line.clear();
        serde_json::to_writer(&mut line, &case(&mut rng))?;
        line.push(b'\n');
        out.write_all(&line)?;
        bytes += line.len() as u64;
    }
    Ok(bytes)
}

/// `n` cases as JSON Lines in memory.
pub fn jsonl(n: usize, seed: u64) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_jsonl(&mut out, n, seed);
    String::from_utf8(out).unwrap_or_default()
}
