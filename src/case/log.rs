//! Reading a `log` fact: a list of records, each kept from one day and
//! perhaps deleted on a later one.
//!
//! ```yaml
//! intake_log:
//!   - {kept_from: 2025-01-31, deleted_on: 2025-07-30}
//!   - {kept_from: 2025-03-02, deleted_on: null}   # still kept
//! ```

use std::sync::Arc;

use super::tree::{Node, Tree};
use super::{CaseError, Validator};
use crate::value::{LogEntry, Value};

const HELP: &str = "write one entry per record: [{kept_from: 2025-01-31, deleted_on: 2025-07-31}]; deleted_on is null while the record is kept";

impl Validator<'_> {
    pub(super) fn log(&mut self, value: &Tree, path: &str) -> Option<Value> {
        let Node::List(items) = &value.node else {
            return self.wrong_none(path, "a list of log entries", value, HELP);
        };
        let mut entries = Vec::with_capacity(items.len());
        let mut ok = true;
        for (n, item) in items.iter().enumerate() {
            let at = format!("{path}[{n}]");
            match self.log_entry(item, &at) {
                Some(entry) => entries.push(entry),
                None => ok = false,
            }
        }
        ok.then(|| Value::Log(Arc::from(entries)))
    }

    fn log_entry(&mut self, item: &Tree, at: &str) -> Option<LogEntry> {
        let Node::Map(keys) = &item.node else {
            return self.wrong_none(at, "a log entry with kept_from and deleted_on", item, HELP);
        };
        let mut kept_from = None;
        let mut deleted_on = None;
        let mut ok = true;
        for (key, key_span, v) in keys {
            match key.as_str() {
                "kept_from" => kept_from = self.date(v, &format!("{at}.kept_from")),
                "deleted_on" if v.node == Node::Null => deleted_on = Some(None),
                "deleted_on" => deleted_on = self.date(v, &format!("{at}.deleted_on")).map(Some),
                other => {
                    ok = false;
                    let error = CaseError::new(
                        "unknown_key",
                        self.source,
                        *key_span,
                        format!("a log entry has no `{other}` (in `{at}`)"),
                        "unknown key",
                    )
                    .help("a log entry has kept_from and deleted_on");
                    self.errors.push(error);
                }
            }
        }
        let (Some(kept_from), Some(deleted_on)) = (kept_from, deleted_on) else {
            if ok {
                self.wrong(
                    at,
                    "a log entry with both kept_from and deleted_on",
                    item,
                    HELP,
                );
            }
            return None;
        };
        if let Some(deleted) = deleted_on {
            if deleted < kept_from {
                let error = CaseError::new(
                    "wrong_type",
                    self.source,
                    item.span,
                    format!("`{at}` was deleted on {deleted}, before it was kept from {kept_from}"),
                    "deleted before it was kept",
                )
                .help("check the two dates: deleted_on cannot come before kept_from");
                self.errors.push(error);
                return None;
            }
        }
        ok.then_some(LogEntry {
            kept_from,
            deleted_on,
        })
    }
}
