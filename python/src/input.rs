//! What Python hands in as a case — a dict, text, bytes or a path — turned
//! into something the library reads without the GIL.

use std::path::PathBuf;

use deon::{Format, Policy};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::{Failure, Kind};

/// Nesting deeper than this in a dict case is refused (a case is a few
/// levels deep; a dict that contains itself would recurse forever).
const MAX_DEPTH: usize = 64;

/// A case, ready to read on any thread.
pub enum CaseInput {
    Text {
        name: String,
        text: String,
        format: Format,
    },
    File(PathBuf),
}

impl CaseInput {
    /// Reads the case against the policy's schema. Needs no GIL.
    pub fn read(&self, policy: &Policy) -> Result<deon::Case, Failure> {
        let read = match self {
            CaseInput::Text { name, text, format } => policy.case_from_str(name, text, *format),
            CaseInput::File(path) => policy.case_from_file(path),
        };
        read.map_err(|d| Failure::new(Kind::Case, &d))
    }
}

/// Parses `format=` (`"json"`, `"yaml"` or `"toml"`, any case).
pub fn parse_format(format: Option<&str>) -> PyResult<Option<Format>> {
    let Some(format) = format else {
        return Ok(None);
    };
    match format.to_ascii_lowercase().as_str() {
        "json" => Ok(Some(Format::Json)),
        "yaml" | "yml" => Ok(Some(Format::Yaml)),
        "toml" => Ok(Some(Format::Toml)),
        _ => Err(PyValueError::new_err(format!(
            "format={format:?}: use \"json\", \"yaml\" or \"toml\""
        ))),
    }
}

/// Turns a Python object into a case input. `name` names text in
/// diagnostics.
pub fn case_input(
    case: &Bound<'_, PyAny>,
    format: Option<Format>,
    name: &str,
) -> PyResult<CaseInput> {
    let py = case.py();
    if let Ok(text) = case.cast::<PyString>() {
        let text = text.to_str()?.to_string();
        let format = format.unwrap_or_else(|| sniff(&text));
        return Ok(CaseInput::Text {
            name: name.to_string(),
            text,
            format,
        });
    }
    if let Ok(bytes) = case.cast::<PyBytes>() {
        let text = std::str::from_utf8(bytes.as_bytes())
            .map_err(|e| PyValueError::new_err(format!("the case is not UTF-8: {e}")))?
            .to_string();
        let format = format.unwrap_or_else(|| sniff(&text));
        return Ok(CaseInput::Text {
            name: name.to_string(),
            text,
            format,
        });
    }
    if let Ok(dict) = case.cast::<PyDict>() {
        let value = to_json(dict.as_any(), 0)?;
        let text = serde_json::to_string(&value).map_err(|e| {
            PyValueError::new_err(format!("the case cannot be written as JSON: {e}"))
        })?;
        return Ok(CaseInput::Text {
            name: name.to_string(),
            text,
            format: Format::Json,
        });
    }
    if case.is_instance(path_like(py)?)? {
        let path: PathBuf = py
            .import("os")?
            .call_method1("fspath", (case,))?
            .extract()?;
        return Ok(CaseInput::File(path));
    }
    Err(PyTypeError::new_err(format!(
        "a case is a dict, a str or bytes of JSON, YAML or TOML, or a path (pathlib.Path), not {}",
        case.get_type().name()?
    )))
}

/// Picks the format of case text: JSON when it starts with `{`, TOML when
/// its first line that says anything is a `[table]` header or a
/// `key = value` pair, YAML otherwise.
pub fn sniff(text: &str) -> Format {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return Format::Json;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'));
    let Some(line) = first else {
        return Format::Yaml;
    };
    let toml_pair = match (line.find('='), line.find(':')) {
        (Some(equals), Some(colon)) => equals < colon,
        (Some(_), None) => true,
        _ => false,
    };
    if line.starts_with('[') || toml_pair {
        Format::Toml
    } else {
        Format::Yaml
    }
}

fn path_like(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static PATH_LIKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    PATH_LIKE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("os")?.getattr("PathLike")?.unbind())
        })
        .map(|t| t.bind(py))
}

fn date_types(py: Python<'_>) -> PyResult<&(Py<PyAny>, Py<PyAny>)> {
    static DATES: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    DATES.get_or_try_init(py, || {
        let datetime = py.import("datetime")?;
        Ok::<_, PyErr>((
            datetime.getattr("date")?.unbind(),
            datetime.getattr("datetime")?.unbind(),
        ))
    })
}

/// A dict case as JSON: dicts with text keys, lists and tuples, text,
/// whole numbers, floats, booleans, `None`, and `datetime.date` (as
/// `YYYY-MM-DD`).
fn to_json(value: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "the case nests deeper than {MAX_DEPTH} levels"
        )));
    }
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_string()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        if let Ok(n) = value.extract::<u64>() {
            return Ok(Value::Number(n.into()));
        }
        return Err(PyValueError::new_err(format!(
            "the number {value} is too large for a case"
        )));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err(format!("{f} is not a number a case can hold")));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, item) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "a case's keys are text, not {}",
                    key.get_type().name()?
                )));
            };
            map.insert(key.to_str()?.to_string(), to_json(&item, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = value.cast::<PyList>() {
        return list
            .iter()
            .map(|item| to_json(&item, depth + 1))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return tuple
            .iter()
            .map(|item| to_json(&item, depth + 1))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    let (date, datetime) = date_types(py)?;
    if value.is_instance(datetime.bind(py))? {
        return Err(PyTypeError::new_err(format!(
            "{value} is a datetime; a case's dates are days: pass .date()"
        )));
    }
    if value.is_instance(date.bind(py))? {
        return Ok(Value::String(value.call_method0("isoformat")?.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "a case holds dicts, lists, text, numbers, booleans, None and dates, not {}",
        value.get_type().name()?
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_three_formats() {
        assert_eq!(sniff("  {\"as_of\": \"2026-03-10\"}"), Format::Json);
        assert_eq!(sniff("# a case\nas_of: 2026-03-10\n"), Format::Yaml);
        assert_eq!(sniff("as_of = 2026-03-10\n"), Format::Toml);
        assert_eq!(
            sniff("\n[vulnerability]\naware_on = 2026-03-03\n"),
            Format::Toml
        );
        assert_eq!(sniff("note: \"a = b\"\n"), Format::Yaml);
        assert_eq!(sniff(""), Format::Yaml);
    }
}
