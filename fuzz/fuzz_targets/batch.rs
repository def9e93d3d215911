//! The batch line reader and evaluator: any bytes in, one JSON record per
//! non-blank line out, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let policy = deon_fuzz::shipped();
    let options = deon::batch::Options {
        threads: 2,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 3, 10),
        ..Default::default()
    };
    let mut out = Vec::new();
    let Ok(summary) = deon::batch::run(policy, input, &mut out, &options) else {
        panic!("a batch over bytes in memory failed");
    };
    let mut numbers = Vec::new();
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let record: serde_json::Value = match serde_json::from_slice(line) {
            Ok(record) => record,
            Err(e) => panic!("a record is not JSON: {e}"),
        };
        numbers.push(record["line"].as_u64().unwrap_or(0));
    }
    assert_eq!(numbers.len() as u64, summary.reports + summary.errors);
    assert_eq!(numbers.len() as u64, summary.lines - summary.blank);
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "records out of order"
    );
});
