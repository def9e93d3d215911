//! Reading policy and case files from disk: size limits, UTF-8, directories.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::Source;

/// Policy files larger than this are refused rather than parsed.
pub const MAX_POLICY_BYTES: u64 = 8 * 1024 * 1024;
/// Case files larger than this are refused rather than parsed.
pub const MAX_CASE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Error, Diagnostic, Clone)]
pub enum LoadError {
    #[error("cannot read {path}: {reason}")]
    #[diagnostic(
        code(deon::io::unreadable),
        help("check that the path exists and is readable")
    )]
    Unreadable { path: String, reason: String },

    #[error("{path} is {size} bytes, more than the {limit} bytes Deon reads")]
    #[diagnostic(code(deon::io::too_large), help("split it into smaller files"))]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error("{path} is not valid UTF-8")]
    #[diagnostic(
        code(deon::io::invalid_utf8),
        help("save the file as UTF-8; the first bad byte is marked")
    )]
    InvalidUtf8 {
        path: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("invalid byte here")]
        span: SourceSpan,
    },

    #[error("no .deon files in {path}")]
    #[diagnostic(
        code(deon::io::no_policies),
        help("point at a folder of policy files, e.g. `policies`")
    )]
    NoPolicies { path: String },
}

/// Reads a text file, refusing oversized files and invalid UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<Source, LoadError> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| LoadError::Unreadable {
        path: name.clone(),
        reason: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > limit {
        return Err(LoadError::TooLarge {
            path: name,
            size,
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    text_from_bytes(&name, bytes)
}

/// Decodes bytes as UTF-8, pointing at the first invalid byte if they are not.
pub fn text_from_bytes(name: &str, bytes: Vec<u8>) -> Result<Source, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            // In the lossy text, the bad byte became U+FFFD at the same offset.
            Err(LoadError::InvalidUtf8 {
                path: name.to_string(),
                src: NamedSource::new(name, lossy),
                span: SourceSpan::new(at.into(), 1),
            })
        }
    }
}

/// Every `.deon` file under `path` (or `path` itself), in a stable order.
pub fn policy_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    if path.is_dir() {
        walk(path, &mut files, 0)?;
        if files.is_empty() {
            return Err(LoadError::NoPolicies {
                path: path.display().to_string(),
            });
        }
    } else {
        std::fs::metadata(path).map_err(|e| LoadError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        files.push(path.to_path_buf());
    }
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, depth: usize) -> Result<(), LoadError> {
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "deon") {
            files.push(path);
        }
    }
    Ok(())
}
