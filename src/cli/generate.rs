//! `deon completions` and `deon man`: both generated from the clap
//! definition, so every subcommand and option is in them.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory};

use super::{Cli, EXIT_BAD_INPUT, EXIT_OK};

#[derive(Args)]
pub struct ManArgs {
    /// The command whose page to print (e.g. eval); the main page if left out.
    #[arg(value_name = "COMMAND", conflicts_with = "out_dir")]
    command: Option<String>,
    /// Write every page (deon.1, deon-eval.1, …) into this folder instead.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut command = Cli::command();
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, "deon", &mut stdout);
    EXIT_OK
}

pub fn man(args: &ManArgs) -> u8 {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.out_dir {
        return match write_pages(&command, dir) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!(
                    "error: cannot write the manual pages to {}: {e}",
                    dir.display()
                );
                EXIT_BAD_INPUT
            }
        };
    }
    let page = match &args.command {
        None => &command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub,
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!("error: there is no command `{name}`");
                eprintln!("help: the commands are {}", names.join(", "));
                return EXIT_BAD_INPUT;
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error.
    let _ = render(page, &mut stdout);
    EXIT_OK
}

fn write_pages(command: &clap::Command, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let pages = std::iter::once(command).chain(command.get_subcommands());
    for page in pages.filter(|c| !c.is_hide_set()) {
        let name = page.get_display_name().unwrap_or_else(|| page.get_name());
        let mut file =
            std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{name}.1")))?);
        render(page, &mut file)?;
        file.flush()?;
    }
    Ok(())
}

/// One page: clap_mangen's sections, with the help's "Examples:" text as an
/// EXAMPLES section.
fn render(command: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let mut page = Vec::new();
    render_sections(command, &mut page)?;
    // Each section comes with roff's definition of the apostrophe; once is enough.
    let page = String::from_utf8_lossy(&page);
    let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut sections = page.split(preamble);
    let first = sections.next().unwrap_or_default();
    out.write_all(first.as_bytes())?;
    out.write_all(preamble.as_bytes())?;
    for section in sections {
        out.write_all(section.as_bytes())?;
    }
    Ok(())
}

fn render_sections(command: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(command.clone().after_help(None::<&str>))
        .source(format!("deon {}", env!("CARGO_PKG_VERSION")))
        .manual("Deon Manual");
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    if command.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    let after = command.get_after_help().map(|h| h.to_string());
    if let Some(examples) = after.as_deref().and_then(|h| h.strip_prefix("Examples:\n")) {
        writeln!(out, ".SH EXAMPLES\n.nf")?;
        for line in examples.lines() {
            writeln!(out, "{}", roff_text(line))?;
        }
        writeln!(out, ".fi")?;
    }
    if command.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// Text safe inside a roff line: backslashes escaped, and no line starting
/// with a control character.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
