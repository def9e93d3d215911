//! The `deon` command: a thin shell over the library.

mod cli;

// A report is thousands of small strings; mimalloc allocates them about
// twice as fast as the system allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
