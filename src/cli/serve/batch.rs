//! `POST /v1/batch`: JSON Lines in, JSON Lines out, streamed. Each case
//! line gets one record, in order, exactly as `deon eval --batch` writes it
//! (`deon::batch::evaluate_line`); records leave as soon as their chunk is
//! decided, while the rest of the body is still arriving.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::Serialize;
use tokio::sync::mpsc;

use super::api::{Params, format_of, options, set_policy_header};
use super::error::{ApiError, Failure};
use super::state::{Loaded, Shared};

/// Lines decided together on a blocking thread.
const CHUNK_LINES: usize = 64;

#[derive(Serialize)]
struct ErrorRecord<'a> {
    line: u64,
    error: &'a ApiError,
}

fn error_record(line: u64, code: &str, message: String, help: &str) -> Bytes {
    let mut error = ApiError::new(code, message, Some(help));
    error.line = Some(line);
    error.column = Some(1);
    let mut bytes = serde_json::to_vec(&ErrorRecord {
        line,
        error: &error,
    })
    .unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

pub async fn batch(
    State(shared): State<Arc<Shared>>,
    params: Params,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    let loaded = shared.current();
    let options = options(params).map_err(|e| e.with_set(&loaded.hash))?;
    if format_of(&headers).map_err(|e| e.with_set(&loaded.hash))? != deon::Format::Json {
        return Err(Failure::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "deon::serve::media_type",
            "a batch is JSON Lines: one case as JSON on each line",
            "send it as application/x-ndjson or application/json",
        )
        .with_set(&loaded.hash));
    }
    let limit = shared.limits.max_batch_body;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(Failure::one(
            StatusCode::PAYLOAD_TOO_LARGE,
            "deon::serve::too_large",
            format!("the batch is larger than the server's limit of {limit} bytes"),
            "split the batch, or start the server with a larger --max-batch-body",
        )
        .with_set(&loaded.hash));
    }
    let batch_options = deon::batch::Options {
        as_of: options.as_of,
        statuses: options.statuses,
        strict: options.strict,
        fail_on: Vec::new(),
        threads: 1,
    };
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    let hash = Arc::clone(&loaded.hash);
    tokio::spawn(stream(Arc::clone(&shared), loaded, batch_options, body, tx));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|bytes| (Ok::<_, Infallible>(bytes), rx))
    });
    let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    set_policy_header(headers, &hash);
    Ok(response)
}

/// Reads the body line by line, decides chunks of lines on blocking
/// threads, and sends their records on. Stops at the end of the body, at a
/// limit (with an error record saying which), or when the client leaves.
async fn stream(
    shared: Arc<Shared>,
    loaded: Arc<Loaded>,
    options: deon::batch::Options,
    mut body: Body,
    tx: mpsc::Sender<Bytes>,
) {
    let limits = shared.limits;
    // The slot is held while the batch runs, not only until its first byte.
    let Ok(_slot) = shared.slots.acquire().await else {
        return;
    };
    let options = Arc::new(options);
    let deadline = Instant::now() + limits.timeout;
    let mut lines = Lines {
        pending: Vec::new(),
        skipping: false,
        line_no: 0,
        max_line: limits.max_body,
    };
    let mut read = 0usize;
    let mut chunk: Vec<(u64, Result<String, String>)> = Vec::new();
    let mut ended = false;
    while !ended {
        let frame = match tokio::time::timeout_at(deadline.into(), body.frame()).await {
            Err(_) => {
                let _ = tx
                    .send(error_record(
                        lines.line_no + 1,
                        "deon::serve::timeout",
                        format!(
                            "the batch took longer than the server's limit of {} ms; records up to here are complete",
                            limits.timeout.as_millis()
                        ),
                        "split the batch and send the rest again",
                    ))
                    .await;
                return;
            }
            Ok(frame) => frame,
        };
        let data = match frame {
            None => {
                ended = true;
                Bytes::new()
            }
            Some(Err(e)) => {
                let _ = tx
                    .send(error_record(
                        lines.line_no + 1,
                        "deon::serve::body",
                        format!("the request body could not be read: {e}"),
                        "send the batch again",
                    ))
                    .await;
                return;
            }
            Some(Ok(frame)) => frame.into_data().unwrap_or_default(),
        };
        read += data.len();
        if read > limits.max_batch_body {
            flush(&loaded, &options, &mut chunk, &tx).await;
            let _ = tx
                .send(error_record(
                    lines.line_no + 1,
                    "deon::serve::too_large",
                    format!(
                        "the batch is larger than the server's limit of {} bytes; it stops here",
                        limits.max_batch_body
                    ),
                    "split the batch, or start the server with a larger --max-batch-body",
                ))
                .await;
            return;
        }
        lines.feed(&data, ended, &mut chunk);
        let too_many = chunk
            .last()
            .is_some_and(|(n, _)| *n > limits.max_batch_lines);
        if too_many {
            chunk.retain(|(n, _)| *n <= limits.max_batch_lines);
        }
        // Decide when a chunk is full, at the end, or when the client sends
        // little at a time (it may be waiting for the answers so far).
        let due = chunk.len() >= CHUNK_LINES || ended || too_many || data.len() < 8192;
        if due && !flush(&loaded, &options, &mut chunk, &tx).await {
            return;
        }
        if too_many {
            let _ = tx
                .send(error_record(
                    limits.max_batch_lines + 1,
                    "deon::serve::batch_too_long",
                    format!(
                        "the batch has more than the server's limit of {} lines; it stops here",
                        limits.max_batch_lines
                    ),
                    "send the rest in another request, or start the server with a larger --max-batch-lines",
                ))
                .await;
            return;
        }
        if Instant::now() > deadline {
            let _ = tx
                .send(error_record(
                    lines.line_no + 1,
                    "deon::serve::timeout",
                    format!(
                        "the batch took longer than the server's limit of {} ms; records up to here are complete",
                        limits.timeout.as_millis()
                    ),
                    "split the batch and send the rest again",
                ))
                .await;
            return;
        }
    }
}

/// Decides the lines gathered so far and sends their records. False when
/// the client has gone.
async fn flush(
    loaded: &Arc<Loaded>,
    options: &Arc<deon::batch::Options>,
    chunk: &mut Vec<(u64, Result<String, String>)>,
    tx: &mpsc::Sender<Bytes>,
) -> bool {
    if chunk.is_empty() {
        return true;
    }
    let lines = std::mem::take(chunk);
    let (loaded, options) = (Arc::clone(loaded), Arc::clone(options));
    let decided = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for (line_no, line) in &lines {
            match line {
                Ok(text) => {
                    deon::batch::evaluate_line(&loaded.policy, *line_no, text, &options, &mut out);
                }
                Err(record) => out.extend_from_slice(record.as_bytes()),
            }
        }
        out
    })
    .await;
    match decided {
        Ok(bytes) => tx.send(Bytes::from(bytes)).await.is_ok(),
        Err(_) => false,
    }
}

/// Cuts the body into lines as it arrives. A line is kept whole up to
/// `max_line` bytes; a longer one becomes an error record, skipped rather
/// than held.
struct Lines {
    pending: Vec<u8>,
    skipping: bool,
    line_no: u64,
    max_line: usize,
}

impl Lines {
    fn feed(&mut self, data: &[u8], end: bool, out: &mut Vec<(u64, Result<String, String>)>) {
        let mut rest = data;
        loop {
            match rest.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.take(&rest[..i], out);
                    rest = &rest[i + 1..];
                }
                None => {
                    if !self.skipping {
                        self.pending.extend_from_slice(rest);
                        if self.pending.len() > self.max_line {
                            self.pending = Vec::new();
                            self.skipping = true;
                        }
                    }
                    break;
                }
            }
        }
        if end && (!self.pending.is_empty() || self.skipping) {
            self.take(&[], out);
        }
    }

    /// The line ends with `tail`.
    fn take(&mut self, tail: &[u8], out: &mut Vec<(u64, Result<String, String>)>) {
        self.line_no += 1;
        let line_no = self.line_no;
        if self.skipping || self.pending.len() + tail.len() > self.max_line {
            self.skipping = false;
            self.pending.clear();
            let record = error_record(
                line_no,
                "deon::serve::line_too_long",
                format!(
                    "line {line_no} is longer than the server's limit of {} bytes for one case",
                    self.max_line
                ),
                "a case is one JSON object on one line; make it smaller, or start the server with a larger --max-body",
            );
            out.push((line_no, Err(String::from_utf8_lossy(&record).into_owned())));
            return;
        }
        self.pending.extend_from_slice(tail);
        let mut bytes = std::mem::take(&mut self.pending);
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if line_no == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        if bytes.iter().all(|b| matches!(b, b' ' | b'\t')) {
            return;
        }
        match String::from_utf8(bytes) {
            Ok(text) => out.push((line_no, Ok(text))),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let record = error_record(
                    line_no,
                    "deon::batch::invalid_utf8",
                    format!("line {line_no} is not valid UTF-8 (byte {})", at + 1),
                    "write the batch as UTF-8",
                );
                out.push((line_no, Err(String::from_utf8_lossy(&record).into_owned())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(parts: &[&[u8]], max_line: usize) -> Vec<(u64, Result<String, String>)> {
        let mut lines = Lines {
            pending: Vec::new(),
            skipping: false,
            line_no: 0,
            max_line,
        };
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            lines.feed(part, i + 1 == parts.len(), &mut out);
        }
        out
    }

    #[test]
    fn lines_are_cut_across_frames() {
        let out = cut(&[b"{\"a\"", b":1}\n\n  \n{}\r\n", b"{\"b\":2}"], 100);
        let texts: Vec<(u64, String)> = out
            .into_iter()
            .map(|(n, l)| (n, l.unwrap_or_default()))
            .collect();
        assert_eq!(
            texts,
            [
                (1, "{\"a\":1}".to_string()),
                (4, "{}".to_string()),
                (5, "{\"b\":2}".to_string())
            ]
        );
    }

    #[test]
    fn long_lines_become_records_and_are_not_kept() {
        let out = cut(
            &[b"{\"a\":\"xxxxxxxx", b"xxxxxxxxxxxxxxxx\"}\n{}\n", b""],
            10,
        );
        assert_eq!(out.len(), 2);
        assert!(
            out[0]
                .1
                .as_ref()
                .is_err_and(|r| r.contains("deon::serve::line_too_long"))
        );
        assert_eq!(out[1], (2, Ok("{}".to_string())));
    }

    #[test]
    fn bad_utf8_is_a_record() {
        let out = cut(&[b"{\"a\":\"\xff\"}\n"], 100);
        assert!(
            out[0]
                .1
                .as_ref()
                .is_err_and(|r| r.contains("deon::batch::invalid_utf8"))
        );
    }
}
