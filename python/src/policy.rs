//! `deon.Policy`: a checked policy set, shared by any number of threads.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use serde::Serialize;

use crate::batch::Batch;
use crate::errors::{Diagnostic, Failure, Kind};
use crate::input::{CaseInput, case_input, parse_format};

/// What an evaluation hands back to Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// The report as plain Python data (what `deon eval --format json` prints).
    Report,
    /// The report's JSON text.
    Json,
    /// Statuses, dates and exposure only (`Policy.decide`).
    Verdicts,
    /// The verdicts, with the report's JSON text under `report`.
    VerdictsAndJson,
}

impl Output {
    pub fn parse(result: &str) -> PyResult<Output> {
        match result {
            "report" => Ok(Output::Report),
            "json" => Ok(Output::Json),
            "verdicts" => Ok(Output::Verdicts),
            "verdicts+json" => Ok(Output::VerdictsAndJson),
            _ => Err(PyValueError::new_err(format!(
                "result={result:?}: use \"report\", \"json\", \"verdicts\" or \"verdicts+json\""
            ))),
        }
    }
}

/// `explain=`: how much explanation a report carries, as `deon eval
/// --explain` takes it.
pub fn parse_explain(explain: &str) -> PyResult<deon::Explain> {
    explain.parse().map_err(|_| {
        PyValueError::new_err(format!(
            "explain={explain:?}: use \"none\", \"failing\" or \"all\""
        ))
    })
}

/// `as_of=`: a `datetime.date` or `"YYYY-MM-DD"`.
pub fn parse_as_of(as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Option<NaiveDate>> {
    let Some(as_of) = as_of else {
        return Ok(None);
    };
    if as_of.is_none() {
        return Ok(None);
    }
    let text: String = if let Ok(text) = as_of.cast::<PyString>() {
        text.to_str()?.to_string()
    } else if as_of.hasattr("isoformat")? && !as_of.hasattr("hour")? {
        as_of.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(
            "as_of is a datetime.date or a \"YYYY-MM-DD\" string",
        ));
    };
    // Exactly YYYY-MM-DD, as the command line and case files read dates.
    deon::parse_date(&text)
        .map(Some)
        .ok_or_else(|| PyValueError::new_err(format!("as_of={text:?} is not a YYYY-MM-DD date")))
}

/// One finding's verdict, as `Policy.decide` returns it: every key always
/// present, `None` where the report would leave the field out.
#[derive(Serialize)]
struct VerdictOut<'a> {
    rule: &'a str,
    citations: &'a [String],
    status: deon::Status,
    due: Option<NaiveDate>,
    days_left: Option<i64>,
    days_overdue: Option<i64>,
    exposure: deon::Exposure,
}

#[derive(Serialize)]
struct VerdictsOut<'a> {
    as_of: NaiveDate,
    verdicts: Vec<VerdictOut<'a>>,
    totals: deon::Exposure,
    unknown_facts: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<String>,
}

/// The decision's report as JSON text, written straight from the decision.
fn report_json(decision: &deon::Decision<'_>) -> Result<String, Failure> {
    let mut out = Vec::new();
    decision.write_json(&mut out);
    String::from_utf8(out).map_err(|e| Failure::output(&e.to_string()))
}

/// Reads and evaluates one case and writes the requested output as JSON
/// text. Runs without the GIL.
pub fn evaluate_one(
    policy: &deon::Policy,
    input: &CaseInput,
    as_of: Option<NaiveDate>,
    explain: deon::Explain,
    output: Output,
) -> Result<String, Failure> {
    let case = input.read(policy)?;
    let decision = policy.decide(&case, as_of).explained(explain);
    let written = match output {
        Output::Report | Output::Json => return report_json(&decision),
        Output::Verdicts | Output::VerdictsAndJson => serde_json::to_string(&VerdictsOut {
            as_of: decision.as_of(),
            verdicts: decision
                .verdicts()
                .map(|v| VerdictOut {
                    rule: v.rule(),
                    citations: v.citations(),
                    status: v.status(),
                    due: v.due(),
                    days_left: v.days_left(),
                    days_overdue: v.days_overdue(),
                    exposure: v.exposure(),
                })
                .collect(),
            totals: decision.totals(),
            unknown_facts: decision.unknown_facts().collect(),
            report: match output {
                Output::VerdictsAndJson => Some(report_json(&decision)?),
                _ => None,
            },
        }),
    };
    written.map_err(|e| Failure::output(&e.to_string()))
}

/// JSON text as Python data (`json.loads`), or as a `str` for
/// [`Output::Json`].
pub fn to_python(py: Python<'_>, json: &str, output: Output) -> PyResult<Py<PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let text = PyString::new(py, json);
    if output == Output::Json {
        return Ok(text.into_any().unbind());
    }
    let loads = LOADS.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
    })?;
    Ok(loads.bind(py).call1((text,))?.unbind())
}

/// A checked set of policies, ready to evaluate cases.
///
/// Load it once with `Policy.load(paths)` or `Policy.from_sources({name: text})`;
/// it is immutable, and one instance may be shared by any number of threads.
/// Evaluation releases the GIL.
#[pyclass(frozen, module = "deon")]
pub struct Policy {
    inner: Arc<deon::Policy>,
}

#[pymethods]
impl Policy {
    /// Loads every `.deon` file under each path (a file or a folder), with
    /// the holiday calendars in `calendar/` folders beside them. `paths` is
    /// one path or a list of them (`str` or `os.PathLike`). Raises
    /// `PolicyError` with every problem found.
    #[staticmethod]
    fn load(py: Python<'_>, paths: &Bound<'_, PyAny>) -> PyResult<Policy> {
        let paths = path_list(paths)?;
        py.detach(|| deon::Policy::load(&paths).map_err(|d| Failure::new(Kind::Policy, &d)))
            .map(|policy| Policy {
                inner: Arc::new(policy),
            })
            .map_err(|f| f.into_pyerr(py))
    }

    /// Checks policies held in memory: a dict of `{name: text}` (or pairs).
    /// Names ending in `.toml` are holiday calendar files. Raises
    /// `PolicyError` with every problem found.
    #[staticmethod]
    fn from_sources(py: Python<'_>, sources: &Bound<'_, PyAny>) -> PyResult<Policy> {
        let pairs: Vec<(String, String)> = if let Ok(dict) = sources.cast::<PyDict>() {
            dict.iter()
                .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
                .collect::<PyResult<_>>()?
        } else {
            sources
                .try_iter()?
                .map(|pair| pair?.extract::<(String, String)>())
                .collect::<PyResult<_>>()
                .map_err(|_| {
                    PyTypeError::new_err("sources is a dict of {name: text}, or (name, text) pairs")
                })?
        };
        py.detach(|| deon::Policy::from_sources(pairs).map_err(|d| Failure::new(Kind::Policy, &d)))
            .map(|policy| Policy {
                inner: Arc::new(policy),
            })
            .map_err(|f| f.into_pyerr(py))
    }

    /// The warnings found while checking (e.g. a rule without a citation),
    /// as `Diagnostic`s.
    #[getter]
    fn warnings(&self) -> Vec<Diagnostic> {
        Diagnostic::from_problems(self.inner.warnings())
    }

    /// The text the policy set was checked from, `{name: text}`: every
    /// policy file, then every holiday calendar. `Policy.from_sources` on it
    /// rebuilds the same policy set in another process.
    fn sources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, text) in self.inner.sources() {
            dict.set_item(name, text)?;
        }
        Ok(dict)
    }

    /// What the policy set declares: `files`, `regulations`, `rules`,
    /// `penalties`, `roles`, `definitions`, `facts` and `records` (names, in
    /// declaration order), and `fact_schema`: each fact's `path`, `type` (as a
    /// policy writes it, e.g. `"date?"`), allowed `values` and `description`.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let summary = self.inner.summary();
        let dict = PyDict::new(py);
        dict.set_item("files", summary.files)?;
        dict.set_item("regulations", summary.regulations)?;
        dict.set_item("rules", summary.rules)?;
        dict.set_item("penalties", summary.penalties)?;
        dict.set_item("roles", summary.roles)?;
        dict.set_item("definitions", summary.definitions)?;
        dict.set_item("facts", summary.facts)?;
        dict.set_item("records", summary.records)?;
        let schema = self
            .inner
            .fact_schema()
            .into_iter()
            .map(|fact| {
                let item = PyDict::new(py);
                item.set_item("path", fact.path)?;
                item.set_item("type", fact.ty)?;
                item.set_item("values", fact.values)?;
                item.set_item("description", fact.description)?;
                Ok(item)
            })
            .collect::<PyResult<Vec<_>>>()?;
        dict.set_item("fact_schema", schema)?;
        Ok(dict)
    }

    /// Evaluates one case and returns its report as plain Python data: the
    /// same structure as `deon eval --format json` (dates as `"YYYY-MM-DD"`).
    ///
    /// `case` is a dict, a `str` (or `bytes`) of JSON, YAML or TOML (see
    /// `format`), or a path (`pathlib.Path`, format by extension).
    /// `as_of` is a `datetime.date` or `"YYYY-MM-DD"`; by default the case's
    /// own `as_of`, else today. Raises `CaseError` for a case that cannot be
    /// read.
    /// `explain` is `"failing"` (the default: steps only for findings that
    /// fail or need review), `"all"` or `"none"`, as `deon eval --explain`.
    #[pyo3(signature = (case, as_of=None, explain="failing", format=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        case: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        explain: &str,
        format: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let explain = parse_explain(explain)?;
        self.run(py, case, as_of, explain, format, Output::Report)
    }

    /// Decides one case without writing its report: `as_of`, `verdicts` (per
    /// rule: `rule`, `citations`, `status`, `due`, `days_left`,
    /// `days_overdue`, `exposure`; `None` where not applicable), `totals` and
    /// `unknown_facts`. Takes the same arguments as `evaluate`.
    #[pyo3(signature = (case, as_of=None, format=None))]
    fn decide(
        &self,
        py: Python<'_>,
        case: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        format: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        // Verdicts carry no explanation.
        self.run(
            py,
            case,
            as_of,
            deon::Explain::None,
            format,
            Output::Verdicts,
        )
    }

    /// Evaluates many cases and yields one result per case, in order.
    ///
    /// Cases are taken from `cases` (any iterable) a chunk at a time and
    /// evaluated on `threads` threads (default: one per core) with the GIL
    /// released. `result` is `"report"` (as `evaluate` returns), `"json"`
    /// (the report as JSON text), `"verdicts"` (as `decide` returns) or
    /// `"verdicts+json"` (the verdicts, with the report's JSON text under
    /// `"report"`).
    /// With `errors="raise"` a bad case raises `CaseError` at its place and
    /// ends the batch; with `errors="return"` the exception is yielded in the
    /// case's place and the batch goes on. Each such error has an `index`:
    /// the case's position, from 0. `explain` is as for `evaluate`.
    #[pyo3(signature = (cases, *, as_of=None, explain="failing", result="report", errors="raise", threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn batch(
        &self,
        cases: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        explain: &str,
        result: &str,
        errors: &str,
        threads: Option<usize>,
    ) -> PyResult<Batch> {
        let explain = parse_explain(explain)?;
        let output = Output::parse(result)?;
        let return_errors = match errors {
            "raise" => false,
            "return" => true,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "errors={errors:?}: use \"raise\" or \"return\""
                )));
            }
        };
        let threads = match threads {
            Some(0) => return Err(PyValueError::new_err("threads is at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(Batch::new(
            Arc::clone(&self.inner),
            cases.try_iter()?.unbind(),
            parse_as_of(as_of)?,
            explain,
            output,
            return_errors,
            threads,
        ))
    }

    fn __repr__(&self) -> String {
        format!("<deon.Policy {}>", self.inner.summary())
    }
}

impl Policy {
    fn run(
        &self,
        py: Python<'_>,
        case: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        explain: deon::Explain,
        format: Option<&str>,
        output: Output,
    ) -> PyResult<Py<PyAny>> {
        let as_of = parse_as_of(as_of)?;
        let input = case_input(case, parse_format(format)?, "<case>")?;
        let policy = Arc::clone(&self.inner);
        let json = py
            .detach(move || evaluate_one(&policy, &input, as_of, explain, output))
            .map_err(|f| f.into_pyerr(py))?;
        to_python(py, &json, output)
    }
}

/// One path or a list of paths.
fn path_list(paths: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    let fspath = paths.py().import("os")?.getattr("fspath")?;
    let one = |path: &Bound<'_, PyAny>| -> PyResult<PathBuf> { fspath.call1((path,))?.extract() };
    if paths.cast::<PyString>().is_ok() || paths.hasattr("__fspath__")? {
        return Ok(vec![one(paths)?]);
    }
    paths
        .try_iter()?
        .map(|path| one(&path?))
        .collect::<PyResult<_>>()
        .map_err(|_| PyTypeError::new_err("paths is a path (str or os.PathLike) or a list of them"))
}
