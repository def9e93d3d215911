//! `deon test`: run the policy tests that ship beside the policies.

use std::path::PathBuf;

use super::{Colors, EXIT_BAD_INPUT};

pub fn run(_paths: &[PathBuf], _colors: Colors) -> u8 {
    eprintln!("error: policy tests are not available in this build");
    EXIT_BAD_INPUT
}
