//! `deon calendar`: a jurisdiction's holidays and adjusted working days for a year.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, print_diagnostics};

pub fn run(jurisdiction: &str, year: i32, policies: &Path, colors: Colors) -> u8 {
    let mut calendars = BTreeMap::new();
    let problems = deon::calendar::load_dir(policies, &mut calendars);
    if !problems.is_empty() {
        print_diagnostics(&deon::Diagnostics { problems }, colors.stderr);
        return EXIT_BAD_INPUT;
    }
    let key = jurisdiction.to_uppercase();
    let Some(calendar) = calendars.get(&key) else {
        let known: Vec<&str> = calendars.keys().map(String::as_str).collect();
        eprintln!(
            "error: no calendar for `{}` under {}",
            deon::report::escape_controls(jurisdiction),
            policies.display()
        );
        if !known.is_empty() {
            eprintln!(
                "help: the calendars there are: {}",
                known.join(", ").to_lowercase()
            );
        }
        return EXIT_BAD_INPUT;
    };
    match calendar.year_view(year) {
        Ok(view) => {
            // Holiday names come from the calendar files.
            print!("{}", deon::report::escape_controls(&view.to_string()));
            EXIT_OK
        }
        Err(missing) => {
            let years: Vec<String> = calendar.years.keys().map(i32::to_string).collect();
            eprintln!("error: the {key} calendar has no data for {}", missing.0);
            eprintln!(
                "help: it covers {}; add calendar/{}.toml from that year's State Council holiday notice",
                years.join(", "),
                missing.0
            );
            EXIT_BAD_INPUT
        }
    }
}
