//! Reading policy and case files from disk: size limits, UTF-8, directories.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::Source;

/// Policy files larger than this are refused rather than parsed (the
/// default of [`crate::Limits::policy_file_bytes`]).
pub const MAX_POLICY_BYTES: u64 = crate::Limits::DEFAULT.policy_file_bytes;

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

    #[error("{path} is {kind}, not a file Deon can read")]
    #[diagnostic(
        code(deon::io::not_a_file),
        help("give the path of an ordinary file; devices, pipes and sockets are refused")
    )]
    NotAFile { path: String, kind: &'static str },

    #[error("no .deon files in {path}")]
    #[diagnostic(
        code(deon::io::no_policies),
        help("point at a folder of policy files, e.g. `policies`")
    )]
    NoPolicies { path: String },
}

/// Reads a text file, refusing oversized files, special files and invalid
/// UTF-8.
///
/// The size limit is enforced on the bytes actually read, not on what the
/// file system reports (a device reports 0). Anything but a regular file is
/// refused before it is opened, so a FIFO cannot block the reader.
pub fn read_text(path: &Path, limit: u64) -> Result<Source, LoadError> {
    use std::io::Read;
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| LoadError::Unreadable {
        path: name.clone(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(LoadError::NotAFile {
            path: name,
            kind: file_kind(&meta.file_type()),
        });
    }
    if meta.len() > limit {
        return Err(LoadError::TooLarge {
            path: name,
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file that grew since `metadata` apart.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(LoadError::TooLarge {
            path: name,
            size: bytes.len() as u64,
            limit,
        });
    }
    text_from_bytes(&name, bytes)
}

fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
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
    if path.is_dir() {
        let files =
            files_under(path, 32, |p| p.extension().is_some_and(|e| e == "deon")).map_err(|e| {
                LoadError::Unreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                }
            })?;
        if files.is_empty() {
            return Err(LoadError::NoPolicies {
                path: path.display().to_string(),
            });
        }
        Ok(files)
    } else {
        std::fs::metadata(path).map_err(|e| LoadError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(vec![path.to_path_buf()])
    }
}

/// Files under the folder `root` that `wanted` accepts, at most `max_depth`
/// folders down, sorted, skipping hidden entries.
///
/// Each folder is entered once and each file listed once, however many
/// symbolic links lead to it, so a link back up the tree (`self -> .`)
/// neither repeats files nor makes the walk exponential. Only reading
/// `root` itself can fail; unreadable folders below it are skipped.
pub fn files_under(
    root: &Path,
    max_depth: usize,
    wanted: impl Fn(&Path) -> bool,
) -> std::io::Result<Vec<PathBuf>> {
    let mut seen_dirs = HashSet::new();
    let mut seen_files = HashSet::new();
    let mut files = Vec::new();
    seen_dirs.insert(std::fs::canonicalize(root)?);
    // Breadth first over sorted entries, so which of two links to one
    // folder is followed does not depend on the order the system lists them.
    let mut pending = std::collections::VecDeque::from([(root.to_path_buf(), 0)]);
    let mut first = true;
    while let Some((dir, depth)) = pending.pop_front() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if first => return Err(e),
            Err(_) => continue,
        };
        first = false;
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            // A dangling or looping link has no canonical path; listing it
            // lets the reader report it.
            let canonical = std::fs::canonicalize(&path).ok();
            if path.is_dir() {
                if depth < max_depth && canonical.is_some_and(|c| seen_dirs.insert(c)) {
                    pending.push_back((path, depth + 1));
                }
            } else if wanted(&path) && canonical.is_none_or(|c| seen_files.insert(c)) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Removes later paths that name a file already listed (the same file given
/// twice, or through a link), keeping the first.
pub fn dedup_files(files: &mut Vec<PathBuf>) {
    let mut seen = HashSet::new();
    files.retain(|f| match std::fs::canonicalize(f) {
        Ok(c) => seen.insert(c),
        Err(_) => true,
    });
}
