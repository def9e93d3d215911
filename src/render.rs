//! Rendering diagnostics for terminals and snapshots (needs the `cli` feature).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// A diagnostic as miette draws it, with or without colour.
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
