//! `deon repl`: the interactive shell (front end over `deon::repl`).

use std::path::Path;

use super::EXIT_BAD_INPUT;

pub fn run(_policies: Option<&Path>, _case: Option<&Path>, _color: bool) -> u8 {
    eprintln!("error: the REPL is not available in this build");
    EXIT_BAD_INPUT
}
