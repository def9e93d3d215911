//! Writes synthetic cases for the shipped policies as JSON Lines, for
//! `deon eval policies --batch`:
//!
//! ```sh
//! cargo run --release --example gen_cases -- 100000 > /tmp/cases.jsonl
//! cargo run --release --example gen_cases -- 100000 7   # another seed
//! ```

#[path = "../benches/gen/mod.rs"]
mod casegen;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let mut out = BufWriter::new(std::io::stdout().lock());
    casegen::write_jsonl(&mut out, count, seed)?;
    out.flush()
}
