//! What `deon eval --batch` shows on a terminal while it runs: a progress
//! bar on standard error, and a one-line summary at the end. Nothing when
//! standard error is not a terminal, or with `--quiet`.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use deon::Status;
use deon::batch::Summary;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    /// Shown only while the records go elsewhere: records printed to the same
    /// terminal would tear the bar apart.
    bar: Option<ProgressBar>,
    /// Whether to print the summary.
    summary: bool,
    started: Instant,
}

impl Progress {
    /// `total` is the input's size in bytes, when it is a file.
    pub fn start(total: Option<u64>, quiet: bool) -> Progress {
        let on_terminal = !quiet && std::io::stderr().is_terminal();
        let bar = (on_terminal && !std::io::stdout().is_terminal()).then(|| {
            let template = match total {
                Some(_) => "{spinner} {elapsed:>4} [{bar:30}] {percent:>3}% · {msg}",
                None => "{spinner} {elapsed:>4} {msg}",
            };
            let style = ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .progress_chars("=> ");
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
                .with_style(style)
                .with_message("starting");
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            summary: on_terminal,
            started: Instant::now(),
        }
    }

    /// Called by the batch each time records are written.
    pub fn update(&self, so_far: &Summary) {
        let Some(bar) = &self.bar else { return };
        let done = so_far.reports + so_far.errors;
        let rate = per_second(done, self.started.elapsed());
        bar.set_position(so_far.bytes);
        bar.set_message(format!(
            "{} lines · {} lines/s · {} rejected",
            thousands(done),
            thousands(rate),
            thousands(so_far.errors)
        ));
    }

    /// Clears the bar; after a batch that ran to the end, prints the summary.
    pub fn finish(self, summary: Option<&Summary>) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if let (true, Some(summary)) = (self.summary, summary) {
            let line = summary_line(summary, self.started.elapsed());
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }
}

/// Lines read, evaluated and rejected, findings by status, and the time.
fn summary_line(s: &Summary, elapsed: Duration) -> String {
    let findings: Vec<String> = Status::ALL
        .iter()
        .filter(|&&status| s.findings(status) > 0)
        .map(|&status| format!("{} {}", thousands(s.findings(status)), status.label()))
        .collect();
    let findings = if findings.is_empty() {
        "no findings".to_string()
    } else {
        format!("findings: {}", findings.join(", "))
    };
    let done = s.reports + s.errors;
    format!(
        "{} lines read, {} evaluated, {} rejected; {findings}; {:.2} s ({} lines/s)",
        thousands(s.lines),
        thousands(s.reports),
        thousands(s.errors),
        elapsed.as_secs_f64(),
        thousands(per_second(done, elapsed)),
    )
}

fn per_second(count: u64, elapsed: Duration) -> u64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        (count as f64 / seconds).round() as u64
    } else {
        0
    }
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    HumanCount(n).to_string()
}
