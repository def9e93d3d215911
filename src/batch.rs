//! Batch evaluation: JSON Lines in, JSON Lines out.
//!
//! Each line of the input is one case as a JSON object. Each case line gets
//! exactly one output line, in input order:
//!
//! ```text
//! {"line":1,"report":{...}}
//! {"line":2,"error":{"code":"deon::case::syntax","message":"...","help":"...","line":2,"column":14}}
//! ```
//!
//! - `line` is the 1-based line number in the input, blank lines counted.
//! - A `report` is exactly what `deon eval --format json` prints for the case.
//! - An `error` is the first problem with the line: its stable `code`, the
//!   `message`, a `help` text (or `null`), and where it is: the input `line`
//!   and the 1-based `column` (in characters) within it. When a case has more
//!   than one problem, the rest follow in `other_errors`, in the same form.
//! - Blank lines (empty, or only spaces and tabs) are skipped: they produce no
//!   output, but they count in the numbering, so `line` always names the
//!   physical line. Everything else, including a line that is not JSON,
//!   produces a record, and the batch carries on.
//!
//! Lines are read in chunks and evaluated on every core; memory stays bounded
//! whatever the size of the input: at most a few chunks are in flight, and a
//! line longer than [`MAX_LINE_BYTES`] is skipped over (an error record)
//! rather than held.
//!
//! ```
//! let policy = deon::Policy::load(["policies"])?;
//! let input = "{\"as_of\": \"2026-03-10\"}\n\nnot json\n";
//! let mut output = Vec::new();
//! let summary = deon::batch::run(&policy, input.as_bytes(), &mut output, &Default::default())?;
//! assert_eq!((summary.reports, summary.errors, summary.blank), (1, 1, 1));
//! let text = String::from_utf8(output)?;
//! assert!(text.lines().nth(1).is_some_and(|l| l.starts_with("{\"line\":3,\"error\"")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};

use chrono::NaiveDate;
use miette::Diagnostic;
use serde::Serialize;

use crate::{Explain, Format, Policy, Status};

/// Lines longer than this (64 MiB, the limit for a case file) are not read
/// into memory; they get an error record (code `deon::batch::line_too_long`).
/// It is the default of [`crate::Limits::batch_line_bytes`], which a policy
/// set loaded with other limits applies instead.
///
/// # Examples
///
/// ```
/// assert_eq!(deon::batch::MAX_LINE_BYTES, 64 << 20);
/// ```
pub const MAX_LINE_BYTES: usize = crate::Limits::DEFAULT.batch_line_bytes;

/// At most this many lines go to a worker at once.
const CHUNK_LINES: usize = 32;
/// At most about this much input text goes to a worker at once.
const CHUNK_BYTES: usize = 1024 * 1024;

/// How to evaluate each case of a batch. The default evaluates each case on
/// its own `as_of` (else today), keeps every finding, and uses every core.
///
/// # Examples
///
/// ```
/// use deon::{batch, Status};
///
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report {
///       cite "Art. 1"
///       when report.received_on is set
///       must "file the report"
///       within 2 days of report.received_on
///       done on report.filed_on
///     }
/// "#)])?;
/// let options = batch::Options {
///     as_of: chrono::NaiveDate::from_ymd_opt(2026, 3, 10),
///     statuses: vec![Status::Violated],
///     fail_on: vec![Status::Violated],
///     threads: 2,
///     ..Default::default()
/// };
/// let input = r#"{"report": {"received_on": "2026-03-03", "filed_on": null}}"#;
/// let mut output = Vec::new();
/// let summary = batch::run(&policy, input.as_bytes(), &mut output, &options)?;
/// assert_eq!(summary.failed, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    /// The evaluation date; by default each case's `as_of`, else today.
    pub as_of: Option<NaiveDate>,
    /// Keep only findings with these statuses (all when empty).
    pub statuses: Vec<Status>,
    /// A case that leaves out facts some rule reads is an error record
    /// (code `deon::batch::unknown_facts`) instead of a report.
    pub strict: bool,
    /// Count the reports with a finding of one of these statuses
    /// ([`Summary::failed`]); the count is taken before `statuses` filters.
    pub fail_on: Vec<Status>,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// How much reasoning each report carries. The default is
    /// [`Explain::Failing`]: explanations for the findings that need
    /// attention, the records a batch is usually run for.
    pub explain: Explain,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            statuses: Vec::new(),
            strict: false,
            fail_on: Vec::new(),
            threads: 0,
            explain: Explain::Failing,
        }
    }
}

/// What a batch did: [`run`] returns it.
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// #     regulation example { title "An example" status in force effective from 2021-09-01 }
/// #     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// #     rule file_report {
/// #       cite "Art. 1"
/// #       when report.received_on is set
/// #       must "file the report"
/// #       within 2 days of report.received_on
/// #       done on report.filed_on
/// #     }
/// # "#)])?;
/// let input = "{}\n\n{\"report\": {\"filed_on\": 3}}\n";
/// let summary = deon::batch::run(&policy, input.as_bytes(), std::io::sink(), &Default::default())?;
/// assert_eq!(summary.lines, 3);
/// assert_eq!(summary.blank, 1);
/// assert_eq!((summary.reports, summary.errors), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read, blank ones included.
    pub lines: u64,
    /// Blank lines skipped.
    pub blank: u64,
    /// Report records written.
    pub reports: u64,
    /// Error records written.
    pub errors: u64,
    /// Reports with a finding whose status is in [`Options::fail_on`].
    pub failed: u64,
    /// Bytes of input read, line ends and blank lines included.
    pub bytes: u64,
    /// Findings of the reports by status, in [`Status::ALL`]'s order,
    /// counted before [`Options::statuses`] filters them.
    findings: [u64; Status::ALL.len()],
}

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.lines += other.lines;
        self.blank += other.blank;
        self.reports += other.reports;
        self.errors += other.errors;
        self.failed += other.failed;
        self.bytes += other.bytes;
        for (total, n) in self.findings.iter_mut().zip(other.findings) {
            *total += n;
        }
    }

    /// How many findings of the batch's reports have `status`, counted
    /// before [`Options::statuses`] filters them.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::Status;
    ///
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    ///     rule file_report {
    ///       cite "Art. 1"
    ///       when report.received_on is set
    ///       must "file the report"
    ///       within 2 days of report.received_on
    ///       done on report.filed_on
    ///     }
    /// "#)])?;
    /// let input = r#"{"as_of": "2026-03-10", "report": {"received_on": "2026-03-03", "filed_on": null}}
    /// {"as_of": "2026-03-10", "report": {"received_on": "2026-03-03", "filed_on": "2026-03-04"}}
    /// "#;
    /// let summary = deon::batch::run(&policy, input.as_bytes(), std::io::sink(), &Default::default())?;
    /// assert_eq!(summary.findings(Status::Violated), 1);
    /// assert_eq!(summary.findings(Status::Satisfied), 1);
    /// assert_eq!(summary.findings(Status::Pending), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn findings(&self, status: Status) -> u64 {
        status_index(status).map_or(0, |i| self.findings[i])
    }
}

fn status_index(status: Status) -> Option<usize> {
    Status::ALL.iter().position(|&s| s == status)
}

/// One problem with a line, as it appears in an error record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct LineError {
    /// A stable code such as `deon::case::wrong_type`.
    code: String,
    message: String,
    help: Option<String>,
    /// The input line (1-based).
    line: u64,
    /// The column in characters (1-based) within the line.
    column: u64,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    line: u64,
    error: &'a LineError,
    #[serde(skip_serializing_if = "<[LineError]>::is_empty")]
    other_errors: &'a [LineError],
}

/// What a line holds after reading.
enum Line {
    /// The line's text: a range of the chunk's text.
    Text(std::ops::Range<usize>),
    /// Not UTF-8: the byte offset of the first bad byte, and the valid prefix
    /// (a range of the chunk's text).
    NotUtf8(usize, std::ops::Range<usize>),
    TooLong(usize),
}

/// Lines read together; their text is one string, reused from chunk to chunk.
#[derive(Default)]
struct Chunk {
    seq: u64,
    text: String,
    lines: Vec<(u64, Line)>,
    /// Lines (blank ones too) and bytes read for this chunk.
    read: (u64, u64),
    /// Tokens of room the chunk holds, given back when it is written.
    tokens: usize,
}

/// Buffers handed back for reuse, so that a long batch does not ask the
/// allocator for fresh pages chunk after chunk. Holds at most as many as
/// there are chunks in flight.
struct Pool<T> {
    items: Mutex<Vec<T>>,
    limit: usize,
}

impl<T: Default> Pool<T> {
    fn new(limit: usize) -> Self {
        Pool {
            items: Mutex::new(Vec::new()),
            limit,
        }
    }

    fn take(&self) -> T {
        self.items
            .lock()
            .ok()
            .and_then(|mut items| items.pop())
            .unwrap_or_default()
    }

    fn give(&self, item: T) {
        if let Ok(mut items) = self.items.lock() {
            if items.len() < self.limit {
                items.push(item);
            }
        }
    }
}

/// Buffers larger than this are not kept for reuse.
const KEEP_BUFFER_BYTES: usize = 8 << 20;

struct Done {
    seq: u64,
    bytes: Vec<u8>,
    summary: Summary,
    tokens: usize,
}

/// Evaluates every line of `input` and writes one record per case line to
/// `output`, in input order, using `options.threads` workers.
///
/// Returns when the input is exhausted and every record is written (and
/// `output` flushed). An error reading the input or writing the output stops
/// the batch; records already written stay written.
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// #     regulation example { title "An example" status in force effective from 2021-09-01 }
/// #     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// #     rule file_report {
/// #       cite "Art. 1"
/// #       when report.received_on is set
/// #       must "file the report"
/// #       within 2 days of report.received_on
/// #       done on report.filed_on
/// #     }
/// # "#)])?;
/// let input = r#"{"as_of": "2026-03-10", "report": {"received_on": "2026-03-03", "filed_on": null}}
/// {"report": {"recieved_on": "2026-03-03"}}
/// "#;
/// let mut output = Vec::new();
/// let summary = deon::batch::run(&policy, input.as_bytes(), &mut output, &Default::default())?;
/// assert_eq!((summary.reports, summary.errors), (1, 1));
///
/// let records: Vec<serde_json::Value> = output
///     .split(|&b| b == b'\n')
///     .filter(|line| !line.is_empty())
///     .map(serde_json::from_slice)
///     .collect::<Result<_, _>>()?;
/// assert_eq!(records[0]["report"]["findings"][0]["status"], "violated");
/// assert_eq!(records[1]["line"], 2);
/// assert_eq!(records[1]["error"]["code"], "deon::case::unknown_key");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run<R, W>(policy: &Policy, input: R, output: W, options: &Options) -> io::Result<Summary>
where
    R: BufRead + Send,
    W: Write,
{
    run_watched(policy, input, output, options, |_| {})
}

/// [`run`], calling `watch` with the totals so far each time records are
/// written (every few lines), so that a caller can show progress. `watch`
/// runs on the caller's thread, between writes: keep it quick.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::load(["policies"])?;
/// let input = "{\"as_of\": \"2026-03-10\"}\n".repeat(100);
/// let mut seen = Vec::new();
/// let summary = deon::batch::run_watched(&policy, input.as_bytes(), std::io::sink(), &Default::default(), |so_far| {
///     seen.push(so_far.reports);
/// })?;
/// assert_eq!(summary.reports, 100);
/// assert!(seen.windows(2).all(|w| w[0] <= w[1]));
/// assert_eq!(seen.last(), Some(&100));
/// assert_eq!(summary.bytes, input.len() as u64);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run_watched<R, W>(
    policy: &Policy,
    input: R,
    mut output: W,
    options: &Options,
    mut watch: impl FnMut(&Summary),
) -> io::Result<Summary>
where
    R: BufRead + Send,
    W: Write,
{
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    // Tokens of room for chunks in flight (read, queued, evaluating, or
    // waiting to be written): one per chunk, and one per CHUNK_BYTES of text
    // a chunk of long lines holds, so the text in flight stays near
    // `in_flight` × CHUNK_BYTES, or one long line alone.
    let in_flight = 2 * threads + 2;
    let queued = AtomicUsize::new(0);
    let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(in_flight);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // The channel holds exactly `in_flight` tokens, so this cannot block.
        let _ = token_tx.try_send(());
    }

    let (chunks, outputs) = (Pool::new(in_flight), Pool::new(in_flight));

    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let max_line = policy.limits().batch_line_bytes;
            read_chunks(
                input,
                max_line,
                work_tx,
                (token_rx, in_flight),
                &queued,
                &chunks,
            )
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let done_tx = done_tx.clone();
                let pools = (&chunks, &outputs);
                let (work_rx, queued) = (&work_rx, &queued);
                scope.spawn(move || work(policy, options, work_rx, queued, done_tx, pools))
            })
            .collect();
        drop(done_tx);

        let written = write_in_order(&mut output, done_rx, token_tx, &outputs, &mut watch);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the batch reader stopped unexpectedly")));
        for worker in workers {
            if worker.join().is_err() {
                return Err(io::Error::other("a batch worker stopped unexpectedly"));
            }
        }
        let mut summary = written?;
        let (lines, blank, bytes) = read?;
        summary.lines = lines;
        summary.blank = blank;
        summary.bytes = bytes;
        Ok(summary)
    })
}

/// The main thread's part: put finished chunks back in order and write them.
/// Dropping `done_rx` and `tokens` on return (also on error) lets the reader
/// and the workers stop.
fn write_in_order<W: Write>(
    output: &mut W,
    done_rx: Receiver<Done>,
    tokens: SyncSender<()>,
    outputs: &Pool<Vec<u8>>,
    watch: &mut dyn FnMut(&Summary),
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    loop {
        let done = match done_rx.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => {
                // Nothing ready: let what is written so far reach the reader.
                output.flush()?;
                match done_rx.recv() {
                    Ok(done) => done,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        waiting.insert(done.seq, done);
        while let Some(mut done) = waiting.remove(&next) {
            output.write_all(&done.bytes)?;
            summary.add(&done.summary);
            if done.bytes.capacity() <= KEEP_BUFFER_BYTES {
                done.bytes.clear();
                outputs.give(done.bytes);
            }
            next += 1;
            // The reader may have stopped (end of input); a lost token is fine.
            for _ in 0..done.tokens.max(1) {
                let _ = tokens.try_send(());
            }
        }
        watch(&summary);
    }
    output.flush()?;
    Ok(summary)
}

/// The reader thread: lines into chunks. A chunk is sent when full, or
/// earlier when no worker has anything queued, so that a slow producer
/// (a pipe fed one case at a time) gets each answer without waiting for
/// more input. Returns the number of lines and of blank lines.
fn read_chunks<R: BufRead>(
    input: R,
    max_line: usize,
    work: SyncSender<Chunk>,
    (tokens, all_tokens): (Receiver<()>, usize),
    queued: &AtomicUsize,
    chunks: &Pool<Chunk>,
) -> io::Result<(u64, u64, u64)> {
    let mut input = Counted {
        inner: input,
        bytes: 0,
    };
    let mut line_no = 0u64;
    let mut blank = 0u64;
    let mut seq = 0u64;
    let mut buf = Vec::new();
    loop {
        // Wait for room before reading more: this bounds memory.
        if tokens.recv().is_err() {
            return Ok((line_no, blank, input.bytes));
        }
        let mut chunk = chunks.take();
        chunk.text.clear();
        chunk.lines.clear();
        let started = (line_no, input.bytes);
        let mut bytes = 0usize;
        let mut eof = false;
        while chunk.lines.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
            buf.clear();
            let Some(length) = read_line(&mut input, &mut buf, max_line)? else {
                eof = true;
                break;
            };
            line_no += 1;
            let line = if length > max_line {
                Line::TooLong(length)
            } else {
                let mut text = buf.as_slice();
                if line_no == 1 {
                    text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
                }
                if text.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                    blank += 1;
                    continue;
                }
                bytes += text.len();
                let start = chunk.text.len();
                let whole = text.len() == buf.len();
                if start == 0
                    && whole
                    && buf.len() > CHUNK_BYTES
                    && std::str::from_utf8(text).is_ok()
                {
                    // A long line first in its chunk becomes the chunk's text
                    // as it is, rather than a second copy of it (it is UTF-8,
                    // checked just above).
                    chunk.text = String::from_utf8(std::mem::take(&mut buf)).unwrap_or_default();
                    chunk.lines.push((line_no, Line::Text(0..chunk.text.len())));
                    break;
                }
                match std::str::from_utf8(text) {
                    Ok(s) => {
                        chunk.text.push_str(s);
                        Line::Text(start..chunk.text.len())
                    }
                    Err(e) => {
                        let valid = text.get(..e.valid_up_to()).unwrap_or_default();
                        chunk.text.push_str(&String::from_utf8_lossy(valid));
                        Line::NotUtf8(e.valid_up_to(), start..chunk.text.len())
                    }
                }
            };
            chunk.lines.push((line_no, line));
            // A long line leaves a buffer as long behind: give it back.
            if buf.capacity() > CHUNK_BYTES {
                buf = Vec::new();
            }
            if queued.load(Ordering::Acquire) == 0 {
                break;
            }
        }
        if !chunk.lines.is_empty() {
            // Room for a chunk of long lines: a token per CHUNK_BYTES of text,
            // waited for before the chunk is handed on. At most every token,
            // so a line longer than all of them waits to be alone in flight.
            chunk.tokens = 1;
            let wanted = (chunk.text.len() / CHUNK_BYTES).clamp(1, all_tokens.max(1));
            while chunk.tokens < wanted {
                if tokens.recv().is_err() {
                    return Ok((line_no, blank, input.bytes));
                }
                chunk.tokens += 1;
            }
            queued.fetch_add(1, Ordering::AcqRel);
            chunk.seq = seq;
            chunk.read = (line_no - started.0, input.bytes - started.1);
            if work.send(chunk).is_err() {
                return Ok((line_no, blank, input.bytes));
            }
            seq += 1;
        }
        if eof {
            return Ok((line_no, blank, input.bytes));
        }
    }
}

/// A reader that counts the bytes consumed from it, for progress.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: BufRead> io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.bytes += amount as u64;
        self.inner.consume(amount);
    }
}

/// Reads one line (without its `\n`, and without a final `\r`) into `buf`,
/// keeping at most `max` bytes of it. Returns the line's full length, or
/// `None` at the end of the input.
fn read_line<R: BufRead>(
    input: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<usize>> {
    let mut length = 0usize;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (part, used, ends) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        length += part.len();
        if length <= max {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        input.consume(used);
        if ends {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if length <= max && buf.last() == Some(&b'\r') {
        buf.pop();
        length -= 1;
    }
    Ok(Some(length))
}

/// A worker thread: evaluate chunks until the reader is done.
fn work(
    policy: &Policy,
    options: &Options,
    work_rx: &Mutex<Receiver<Chunk>>,
    queued: &AtomicUsize,
    done_tx: mpsc::Sender<Done>,
    (chunks, outputs): (&Pool<Chunk>, &Pool<Vec<u8>>),
) {
    // Output bytes per line so far: sizing the buffer up front saves
    // copying it as it grows (a report is tens of kilobytes).
    let mut per_line = 4096usize;
    loop {
        let chunk = {
            let Ok(receiver) = work_rx.lock() else {
                return;
            };
            match receiver.recv() {
                Ok(chunk) => chunk,
                Err(_) => return,
            }
        };
        queued.fetch_sub(1, Ordering::AcqRel);
        let mut bytes = outputs.take();
        bytes.reserve(chunk.lines.len() * per_line);
        let mut summary = Summary {
            lines: chunk.read.0,
            bytes: chunk.read.1,
            ..Summary::default()
        };
        for (line_no, line) in &chunk.lines {
            let text =
                |range: &std::ops::Range<usize>| chunk.text.get(range.clone()).unwrap_or_default();
            let outcome = match line {
                Line::Text(range) => evaluate_counting(
                    policy,
                    *line_no,
                    text(range),
                    options,
                    &mut bytes,
                    &mut summary.findings,
                ),
                Line::NotUtf8(at, range) => {
                    let prefix = text(range);
                    let error = LineError {
                        code: "deon::batch::invalid_utf8".into(),
                        message: format!("line {line_no} is not valid UTF-8 (byte {})", at + 1),
                        help: Some("write the batch file as UTF-8".into()),
                        line: *line_no,
                        column: prefix.chars().count() as u64 + 1,
                    };
                    write_errors(*line_no, &[error], &mut bytes)
                }
                Line::TooLong(length) => {
                    let error = LineError {
                        code: "deon::batch::line_too_long".into(),
                        message: format!(
                            "line {line_no} is {length} bytes, more than the {} bytes Deon reads",
                            policy.limits().batch_line_bytes
                        ),
                        help: Some("a case is one JSON object on one line; split the line".into()),
                        line: *line_no,
                        column: 1,
                    };
                    write_errors(*line_no, &[error], &mut bytes)
                }
            };
            match outcome {
                Outcome::Report { failed } => {
                    summary.reports += 1;
                    summary.failed += u64::from(failed);
                }
                Outcome::Error => summary.errors += 1,
            }
        }
        if let Some(average) = bytes.len().checked_div(chunk.lines.len()) {
            per_line = (average + average / 8).clamp(256, 1 << 20);
        }
        let (seq, tokens) = (chunk.seq, chunk.tokens);
        // A chunk that held a long line is not kept: it would hold its memory.
        if chunk.text.capacity() <= 2 * CHUNK_BYTES {
            chunks.give(chunk);
        }
        if done_tx
            .send(Done {
                seq,
                bytes,
                summary,
                tokens,
            })
            .is_err()
        {
            return;
        }
    }
}

/// What became of one line: [`evaluate_line`] returns it.
///
/// # Examples
///
/// ```
/// use deon::batch::{evaluate_line, Outcome};
///
/// let policy = deon::Policy::from_sources([("empty.deon", "")])?;
/// let mut out = Vec::new();
/// let outcome = evaluate_line(&policy, 1, "[1, 2]", &Default::default(), &mut out);
/// assert_eq!(outcome, Outcome::Error);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A report record.
    Report {
        /// A finding has a status in [`Options::fail_on`].
        failed: bool,
    },
    /// An error record.
    Error,
}

/// Evaluates one case line (JSON text) and appends its record, ending in
/// `\n`, to `out`. This is what [`run`] does for each line; use it to embed
/// batch evaluation in a pipeline of your own. `line_no` is the number the
/// record gives the line.
///
/// # Examples
///
/// ```
/// use deon::batch::{evaluate_line, Options, Outcome};
/// use deon::Status;
///
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report {
///       cite "Art. 1"
///       when report.received_on is set
///       must "file the report"
///       within 2 days of report.received_on
///       done on report.filed_on
///     }
/// "#)])?;
/// let options = Options { as_of: chrono::NaiveDate::from_ymd_opt(2026, 3, 10), fail_on: vec![Status::Violated], ..Default::default() };
/// let mut out = Vec::new();
/// let line = r#"{"report": {"received_on": "2026-03-03", "filed_on": null}}"#;
/// assert_eq!(evaluate_line(&policy, 7, line, &options, &mut out), Outcome::Report { failed: true });
/// assert!(out.starts_with(br#"{"line":7,"report":{"as_of":"2026-03-10""#));
/// assert!(out.ends_with(b"\n"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn evaluate_line(
    policy: &Policy,
    line_no: u64,
    text: &str,
    options: &Options,
    out: &mut Vec<u8>,
) -> Outcome {
    let mut findings = [0; Status::ALL.len()];
    evaluate_counting(policy, line_no, text, options, out, &mut findings)
}

/// [`evaluate_line`], adding the report's findings by status to `findings`.
fn evaluate_counting(
    policy: &Policy,
    line_no: u64,
    text: &str,
    options: &Options,
    out: &mut Vec<u8>,
    findings: &mut [u64; Status::ALL.len()],
) -> Outcome {
    let case = match policy.case_from_str("line", text, Format::Json) {
        Ok(case) => case,
        Err(diagnostics) => {
            let errors: Vec<LineError> = diagnostics
                .problems
                .iter()
                .map(|p| line_error(p, line_no, text))
                .collect();
            return write_errors(line_no, &errors, out);
        }
    };
    let mut decision = policy
        .decide(&case, options.as_of)
        .explained(options.explain);
    if options.strict && decision.unknown_facts().next().is_some() {
        let error = LineError {
            code: "deon::batch::unknown_facts".into(),
            message: format!(
                "--strict: the case leaves out facts that rules read: {}",
                decision.unknown_facts().collect::<Vec<_>>().join(", ")
            ),
            help: Some("give each of them a value, or null if the event has not happened".into()),
            line: line_no,
            column: 1,
        };
        return write_errors(line_no, &[error], out);
    }
    let mut failed = false;
    for verdict in decision.verdicts() {
        let status = verdict.status();
        failed |= options.fail_on.contains(&status);
        if let Some(count) = status_index(status).and_then(|i| findings.get_mut(i)) {
            *count += 1;
        }
    }
    if !options.statuses.is_empty() {
        decision.retain(|status| options.statuses.contains(&status));
    }
    // `{"line":…,"report":…}`, the decision written as its report would be.
    out.extend_from_slice(br#"{"line":"#);
    out.extend_from_slice(itoa::Buffer::new().format(line_no).as_bytes());
    out.extend_from_slice(br#","report":"#);
    decision.write_json(out);
    out.extend_from_slice(b"}\n");
    Outcome::Report { failed }
}

fn write_errors(line_no: u64, errors: &[LineError], out: &mut Vec<u8>) -> Outcome {
    let (first, rest) = match errors.split_first() {
        Some(split) => split,
        None => return Outcome::Error,
    };
    let record = ErrorRecord {
        line: line_no,
        error: first,
        other_errors: rest,
    };
    // Serialising plain strings and numbers into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &record);
    out.push(b'\n');
    Outcome::Error
}

/// A problem as an error record, located by its first label.
fn line_error(problem: &dyn Diagnostic, line_no: u64, text: &str) -> LineError {
    let offset = problem
        .labels()
        .and_then(|mut labels| labels.next())
        .map_or(0, |label| label.offset());
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    LineError {
        code: problem
            .code()
            .map_or_else(|| "deon::case".to_string(), |c| c.to_string()),
        message: problem.to_string(),
        help: problem.help().map(|h| h.to_string()),
        line: line_no,
        column: before.chars().count() as u64 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk of long lines holds room in proportion to its text, so long
    /// lines cannot fill every slot in flight at once.
    #[test]
    fn long_lines_wait_for_room_in_proportion_to_their_size() {
        let line = format!("{{\"s\": \"{}\"}}\n", "x".repeat(3 * CHUNK_BYTES));
        let input = line.repeat(3);
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(8);
        let (token_tx, token_rx) = mpsc::sync_channel::<()>(4);
        for _ in 0..4 {
            assert!(token_tx.try_send(()).is_ok());
        }
        let queued = AtomicUsize::new(0);
        let chunks = Pool::new(4);
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                read_chunks(
                    input.as_bytes(),
                    1 << 30,
                    work_tx,
                    (token_rx, 4),
                    &queued,
                    &chunks,
                )
            });
            let give = |n: usize| (0..n).all(|_| token_tx.send(()).is_ok());
            let first = work_rx.recv().ok();
            assert_eq!(
                first.as_ref().map(|c| (c.lines.len(), c.tokens)),
                Some((1, 3))
            );
            // The next long line is read, then held until room comes back.
            std::thread::sleep(std::time::Duration::from_millis(300));
            assert!(work_rx.try_recv().is_err());
            assert!(give(3));
            let second = work_rx.recv().ok();
            assert_eq!(second.map(|c| c.tokens), Some(3));
            assert!(give(3));
            let third = work_rx.recv().ok();
            assert_eq!(third.map(|c| c.text.len()), Some(line.len() - 1));
            drop(token_tx);
            let read = reader.join().ok().and_then(Result::ok);
            assert_eq!(read.map(|r| r.0), Some(3));
        });
    }

    #[test]
    fn long_lines_are_measured_not_kept() {
        let input = b"abcdef\r\nxy\nlast";
        let mut reader = &input[..];
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 4).ok(), Some(Some(7)));
        assert!(buf.is_empty());
        buf.clear();
        assert_eq!(read_line(&mut reader, &mut buf, 4).ok(), Some(Some(2)));
        assert_eq!(buf, b"xy");
        buf.clear();
        assert_eq!(read_line(&mut reader, &mut buf, 4).ok(), Some(Some(4)));
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(read_line(&mut reader, &mut buf, 4).ok(), Some(None));
    }
}
