//! Reloading the policy set when its files change or on SIGHUP. A reload
//! that fails keeps the set in use and says why, on standard error, in
//! `/healthz` and in `/metrics`.

use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::error::ApiError;
use super::state::{self, Shared};

/// Changes closer together than this are taken as one (an editor's save
/// is often several writes and a rename).
const SETTLE: Duration = Duration::from_millis(200);

/// Loads the policies again and swaps them in if they check.
pub async fn reload(shared: &Arc<Shared>, why: &str) {
    let _one_at_a_time = shared.reloading.lock().await;
    let paths = shared.paths.clone();
    let examples = shared.examples.clone();
    let loaded =
        tokio::task::spawn_blocking(move || state::load(&paths, examples.as_deref())).await;
    match loaded {
        Ok(Ok(loaded)) => {
            let before = shared.current().hash.clone();
            let after = loaded.hash.clone();
            shared.replace(loaded);
            shared.update_reload(|status| {
                status.succeeded += 1;
                status.last_errors.clear();
            });
            if before == after {
                eprintln!("deon serve: reloaded ({why}); the policy set is unchanged ({after})");
            } else {
                eprintln!("deon serve: reloaded ({why}); policy set {after}");
            }
        }
        Ok(Err(diagnostics)) => {
            shared.update_reload(|status| {
                status.failed += 1;
                status.last_errors = diagnostics
                    .problems
                    .iter()
                    .filter(|p| !p.is_warning())
                    .map(|p| ApiError::from_problem(p, None))
                    .collect();
            });
            super::super::print_diagnostics(&diagnostics, shared.color);
            let kept = shared.current().hash.clone();
            eprintln!(
                "deon serve: reload ({why}) refused: {diagnostics} in the policies; still serving {kept}"
            );
        }
        Err(e) => {
            eprintln!("deon serve: reload ({why}) stopped unexpectedly: {e}");
            shared.update_reload(|status| status.failed += 1);
        }
    }
}

/// Watches the policy paths (and the examples folder); returns the watcher,
/// which stops watching when dropped.
pub fn watch(shared: Arc<Shared>) -> Option<notify::RecommendedWatcher> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut watcher =
        match notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                if !event.kind.is_access() {
                    let _ = tx.send(());
                }
            }
        }) {
            Ok(watcher) => watcher,
            Err(e) => {
                eprintln!("warning: cannot watch the policy files ({e}); send SIGHUP to reload");
                return None;
            }
        };
    for path in shared.paths.iter().chain(shared.examples.iter()) {
        // A file is watched through its folder: editors often save by
        // writing a new file and renaming it over the old one.
        let (path, mode) = match path.parent() {
            Some(parent) if path.is_file() => (
                if parent.as_os_str().is_empty() {
                    std::path::Path::new(".")
                } else {
                    parent
                },
                RecursiveMode::NonRecursive,
            ),
            _ => (path.as_path(), RecursiveMode::Recursive),
        };
        if let Err(e) = watcher.watch(path, mode) {
            eprintln!(
                "warning: cannot watch {} ({e}); send SIGHUP to reload",
                path.display()
            );
        }
    }
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Let a burst of changes finish, then reload once.
            loop {
                tokio::time::sleep(SETTLE).await;
                let mut more = false;
                while rx.try_recv().is_ok() {
                    more = true;
                }
                if !more {
                    break;
                }
            }
            reload(&shared, "files changed").await;
        }
    });
    Some(watcher)
}

/// Reloads on every SIGHUP.
pub fn on_sighup(shared: Arc<Shared>) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
    else {
        eprintln!("warning: cannot listen for SIGHUP; reloads follow file changes only");
        return;
    };
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            reload(&shared, "SIGHUP").await;
        }
    });
}
