//! Rendering diagnostics for terminals and snapshots (needs the `render`
//! feature, which `cli` includes).
//!
//! ```
//! match deon::Policy::load(["no/such/folder"]) {
//!     Ok(_) => unreachable!("there is no such folder"),
//!     Err(diagnostics) => {
//!         for problem in &diagnostics.problems {
//!             eprint!("{}", deon::render::diagnostic(problem, false));
//!         }
//!     }
//! }
//! ```

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// A diagnostic as miette draws it for a terminal, 100 columns wide, with
/// or without colour: its code, message, the source lines it points at and
/// its help. This is how the command line prints problems.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { filed_on: date? "When it was filed." } }
/// "#)])?;
/// let Err(diagnostics) = policy.case_from_str("case.json", r#"{"report": {"filed_on": 3}}"#, deon::Format::Json) else {
///     panic!("a number is not a date");
/// };
/// let text = deon::render::diagnostic(&diagnostics.problems[0], false);
/// assert!(text.contains("deon::case::wrong_type"));
/// assert!(text.contains("case.json:1:"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn diagnostic(diagnostic: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = format!("{diagnostic}\n");
    }
    out
}
