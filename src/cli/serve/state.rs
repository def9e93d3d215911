//! What the server holds: the policy set in use (swapped whole on reload),
//! the limits, the token and the metrics.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use deon::{Diagnostics, Policy};
use serde::Serialize;
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::metrics::Metrics;

/// A loaded policy set and what is worked out from it once, not per request.
pub struct Loaded {
    pub policy: Policy,
    /// `Policy::content_hash`, named in every response.
    pub hash: Arc<str>,
    /// The body of `GET /v1/policies`.
    pub policies_json: Bytes,
    /// Each rule's `GET /v1/rules/{id}` body, by rule name.
    pub rules_json: std::collections::HashMap<String, Bytes>,
    /// The body of `GET /v1/examples`.
    pub examples_json: Bytes,
    /// The body of `GET /openapi.json`, with this set's case schema.
    pub openapi_json: Bytes,
    pub rules: usize,
}

#[derive(Serialize)]
struct PoliciesBody<'a> {
    policy_set: &'a str,
    summary: String,
    files: Vec<String>,
    warnings: Vec<ApiError>,
    #[serde(flatten)]
    catalogue: &'a deon::declarations::Declarations,
}

#[derive(Serialize)]
struct RuleBody<'a> {
    policy_set: &'a str,
    rule: &'a deon::declarations::RuleEntry,
    regulation: Option<&'a deon::declarations::RegulationEntry>,
    penalties: Vec<&'a deon::declarations::PenaltyEntry>,
    exceptions: Vec<&'a str>,
}

#[derive(Serialize)]
struct Example {
    name: String,
    /// The comment lines at the top of the file, if any: what the case is.
    description: String,
    case: serde_json::Value,
}

#[derive(Serialize)]
struct ExamplesBody<'a> {
    policy_set: &'a str,
    examples: Vec<Example>,
    /// Example files that did not read against this policy set.
    skipped: Vec<ApiError>,
}

/// Loads and checks the policy set, and reads the example cases against it.
pub fn load(paths: &[PathBuf], examples: Option<&Path>) -> Result<Loaded, Diagnostics> {
    let policy = crate::cli::load_policies(paths)?;
    let hash: Arc<str> = policy.content_hash().into();
    let catalogue = policy.declarations();
    let summary = policy.summary();
    let policies = PoliciesBody {
        policy_set: &hash,
        summary: summary.to_string(),
        files: summary.files.clone(),
        warnings: policy
            .warnings()
            .iter()
            .map(|w| ApiError::from_problem(w, None))
            .collect(),
        catalogue: &catalogue,
    };
    let rules_json = catalogue
        .rules
        .iter()
        .map(|rule| {
            let body = RuleBody {
                policy_set: &hash,
                rule,
                regulation: catalogue
                    .regulations
                    .iter()
                    .find(|r| r.id == rule.regulation),
                penalties: catalogue
                    .penalties
                    .iter()
                    .filter(|p| rule.penalties.contains(&p.name))
                    .collect(),
                exceptions: catalogue
                    .rules
                    .iter()
                    .filter(|r| r.exception_to.as_deref() == Some(rule.id.as_str()))
                    .map(|r| r.id.as_str())
                    .collect(),
            };
            (rule.id.clone(), Bytes::from(to_json(&body)))
        })
        .collect();
    let (examples, skipped) = read_examples(&policy, examples);
    let examples_json = Bytes::from(to_json(&ExamplesBody {
        policy_set: &hash,
        examples,
        skipped,
    }));
    Ok(Loaded {
        openapi_json: Bytes::from(super::page::openapi_document(&catalogue)),
        policies_json: Bytes::from(to_json(&policies)),
        rules: catalogue.rules.len(),
        rules_json,
        examples_json,
        hash,
        policy,
    })
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

/// Example cases, in file-name order; a file that does not read against the
/// policy set is left out and reported.
fn read_examples(policy: &Policy, dir: Option<&Path>) -> (Vec<Example>, Vec<ApiError>) {
    let (mut examples, mut skipped) = (Vec::new(), Vec::new());
    let Some(dir) = dir else {
        return (examples, skipped);
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "json" | "yaml" | "yml" | "toml"
                    )
                })
            })
            .collect(),
        Err(e) => {
            skipped.push(ApiError::new(
                "deon::serve::examples",
                format!("cannot read the examples folder {}: {e}", dir.display()),
                None,
            ));
            return (examples, skipped);
        }
    };
    files.sort();
    for path in files {
        match policy.case_from_file(&path) {
            Ok(case) => {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                examples.push(Example {
                    name: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    description: leading_comment(&text),
                    case: policy.case_to_json(&case),
                });
            }
            Err(diagnostics) => skipped.extend(
                diagnostics
                    .problems
                    .iter()
                    .map(|p| ApiError::from_problem(p, None)),
            ),
        }
    }
    (examples, skipped)
}

/// The `#` comment lines a YAML or TOML case starts with, joined.
fn leading_comment(text: &str) -> String {
    text.lines()
        .map_while(|line| line.trim_start().strip_prefix('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The request limits (`deon serve --help` gives the defaults).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_body: usize,
    pub max_batch_body: usize,
    pub max_batch_lines: u64,
    pub timeout: Duration,
}

/// How the last reload went.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReloadStatus {
    /// Reloads that replaced the policy set.
    pub succeeded: u64,
    /// Reloads refused because the policies had errors; the set before stayed.
    pub failed: u64,
    /// The problems of the last reload, if it failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub last_errors: Vec<ApiError>,
}

pub struct Shared {
    current: RwLock<Arc<Loaded>>,
    pub limits: Limits,
    pub token: Option<String>,
    pub slots: Semaphore,
    pub metrics: Metrics,
    pub paths: Vec<PathBuf>,
    pub examples: Option<PathBuf>,
    pub reload: Mutex<ReloadStatus>,
    /// Colour the diagnostics a failed reload prints.
    pub color: bool,
    /// Serialises reloads, so two triggers never race to swap.
    pub reloading: tokio::sync::Mutex<()>,
}

impl Shared {
    pub fn new(
        loaded: Loaded,
        limits: Limits,
        token: Option<String>,
        max_concurrent: usize,
        paths: Vec<PathBuf>,
        examples: Option<PathBuf>,
        color: bool,
    ) -> Shared {
        Shared {
            current: RwLock::new(Arc::new(loaded)),
            limits,
            token,
            slots: Semaphore::new(max_concurrent),
            metrics: Metrics::default(),
            paths,
            examples,
            reload: Mutex::new(ReloadStatus::default()),
            color,
            reloading: tokio::sync::Mutex::new(()),
        }
    }

    /// The policy set in use. A request keeps the one it started with.
    pub fn current(&self) -> Arc<Loaded> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn replace(&self, loaded: Loaded) {
        let loaded = Arc::new(loaded);
        match self.current.write() {
            Ok(mut guard) => *guard = loaded,
            Err(poisoned) => *poisoned.into_inner() = loaded,
        }
    }

    pub fn reload_status(&self) -> ReloadStatus {
        match self.reload.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn update_reload(&self, f: impl FnOnce(&mut ReloadStatus)) {
        match self.reload.lock() {
            Ok(mut guard) => f(&mut guard),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}
