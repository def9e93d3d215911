//! `deon serve`: Deon's answers over HTTP, and a web page for people.
//!
//! A thin shell over the library's public API: the policy set is loaded with
//! `Policy::load`, cases are read with `Policy::case_from_str` and decided
//! with `Policy::decide`. Everything here is transport: routes, limits,
//! the bearer token, metrics, reloading and shutdown.

mod api;
mod batch;
mod error;
mod metrics;
mod page;
mod reload;
mod state;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, print_diagnostics};
use state::{Limits, Shared};

#[derive(Args)]
pub struct ServeArgs {
    /// Policy files or folders of .deon files.
    #[arg(required = true)]
    pub policies: Vec<PathBuf>,
    /// The address to listen on. Loopback by default; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8181")]
    pub addr: SocketAddr,
    /// Require `Authorization: Bearer <token>` on the API, the token read from this file.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// A folder of example cases (.json, .yaml, .toml) offered on the web page.
    #[arg(long, value_name = "DIR")]
    pub examples: Option<PathBuf>,
    /// Largest request body, in bytes, for one case.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_body: usize,
    /// Largest request body, in bytes, for /v1/batch.
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    pub max_batch_body: usize,
    /// Most case lines in one /v1/batch request.
    #[arg(long, default_value_t = 10_000, value_name = "LINES")]
    pub max_batch_lines: u64,
    /// Longest time a request may take, reading its body included, in milliseconds.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub timeout_ms: u64,
    /// Most requests handled at once; more wait for a slot until their time runs out.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_concurrent: usize,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Do not watch the policy files for changes (SIGHUP still reloads).
    #[arg(long)]
    pub no_watch: bool,
}

pub fn run(args: &ServeArgs, colors: Colors) -> u8 {
    let loaded = match state::load(&args.policies, args.examples.as_deref()) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            eprintln!("{diagnostics} in the policies; not serving");
            return EXIT_BAD_INPUT;
        }
    };
    let token = match &args.token_file {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            Ok(_) => {
                eprintln!("error: the token file {} is empty", path.display());
                return EXIT_BAD_INPUT;
            }
            Err(e) => {
                eprintln!("error: cannot read the token file {}: {e}", path.display());
                return EXIT_BAD_INPUT;
            }
        },
    };
    if args.max_concurrent == 0 || args.timeout_ms == 0 || args.max_body == 0 {
        eprintln!("error: --max-concurrent, --timeout-ms and --max-body must be above 0");
        return EXIT_BAD_INPUT;
    }
    let limits = Limits {
        max_body: args.max_body,
        max_batch_body: args.max_batch_body,
        max_batch_lines: args.max_batch_lines,
        timeout: Duration::from_millis(args.timeout_ms),
    };
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(threads) = args.threads.filter(|&n| n > 0) {
        runtime.worker_threads(threads);
    }
    let runtime = match runtime.build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the server's runtime: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let shared = Arc::new(Shared::new(
        loaded,
        limits,
        token,
        args.max_concurrent,
        args.policies.clone(),
        args.examples.clone(),
        colors.stderr,
    ));
    runtime.block_on(serve(shared, args.addr, !args.no_watch))
}

async fn serve(shared: Arc<Shared>, addr: SocketAddr, watch: bool) -> u8 {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    if !local.ip().is_loopback() && shared.token.is_none() {
        eprintln!(
            "warning: listening on {local}, beyond this machine, without --token-file: anyone who can reach it can use it"
        );
    }
    let _watcher = if watch {
        reload::watch(Arc::clone(&shared))
    } else {
        None
    };
    reload::on_sighup(Arc::clone(&shared));
    // One write, so that a program waiting for this line never reads half
    // an address (`eprintln!` writes each piece of its format on its own).
    let line = format!(
        "deon serve: listening on http://{local} (policy set {})\n",
        shared.current().hash
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    let app = api::router(Arc::clone(&shared));
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match served {
        Ok(()) => {
            eprintln!("deon serve: stopped");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            EXIT_BAD_INPUT
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("deon serve: shutting down; finishing requests in flight");
}
