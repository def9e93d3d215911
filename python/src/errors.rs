//! Deon's diagnostics as Python exceptions: `DeonError`, with `PolicyError`
//! and `CaseError` under it, each carrying every problem as a `Diagnostic`.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyList;

create_exception!(
    deon,
    DeonError,
    PyException,
    "Base class of the errors Deon raises. `str(e)` is every problem drawn as the command line draws it; `e.diagnostics` lists them; `code`, `message`, `help`, `file`, `line` and `column` are the first problem's."
);
create_exception!(
    deon,
    PolicyError,
    DeonError,
    "The policies could not be loaded: a syntax, name or type error, a malformed holiday calendar, or a file that cannot be read."
);
create_exception!(
    deon,
    CaseError,
    DeonError,
    "A case could not be read: its syntax, an unknown fact, a value of the wrong type, or a file that cannot be read."
);

/// One problem, as the command line reports it.
#[pyclass(frozen, get_all, module = "deon")]
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// A stable code such as `deon::case::wrong_type`.
    pub code: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, when Deon can say.
    pub help: Option<String>,
    /// The file (or the name given to text) the problem is in.
    pub file: Option<String>,
    /// The line, from 1.
    pub line: Option<usize>,
    /// The column in characters, from 1.
    pub column: Option<usize>,
    /// `"error"`, `"warning"` or `"advice"`.
    pub severity: &'static str,
    /// The problem drawn as the command line draws it (no colour).
    pub rendered: String,
}

#[pymethods]
impl Diagnostic {
    fn __str__(&self) -> &str {
        &self.rendered
    }

    fn __repr__(&self) -> String {
        let place = match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => format!(" at {file}:{line}:{column}"),
            (Some(file), _, _) => format!(" in {file}"),
            _ => String::new(),
        };
        format!(
            "<Diagnostic {} {:?}{place}>",
            self.code.as_deref().unwrap_or(self.severity),
            self.message
        )
    }
}

impl Diagnostic {
    /// Many problems, each file indexed once for their lines and columns.
    pub fn from_problems(problems: &[deon::Problem]) -> Vec<Diagnostic> {
        let mut locator = deon::diagnostic_json::Locator::default();
        problems
            .iter()
            .map(|p| Diagnostic::from_problem(&mut locator, p))
            .collect()
    }

    fn from_problem<'a>(
        locator: &mut deon::diagnostic_json::Locator<'a>,
        problem: &'a deon::Problem,
    ) -> Diagnostic {
        // The same fields as `--error-format json`.
        let json = locator.to_json(problem);
        Diagnostic {
            code: json.code,
            message: json.message,
            help: json.help,
            file: json.file,
            line: json.start.map(|p| p.line),
            column: json.start.map(|p| p.column),
            severity: json.severity,
            rendered: deon::render::diagnostic(problem, false),
        }
    }
}

/// Which exception a failure raises.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Policy,
    Case,
}

/// A failure worked out without the GIL, raised later.
#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: Kind,
    pub diagnostics: Vec<Diagnostic>,
    /// The closing line, e.g. `2 problems in the case`.
    pub summary: String,
}

impl Failure {
    pub fn new(kind: Kind, diagnostics: &deon::Diagnostics) -> Failure {
        let what = match kind {
            Kind::Policy => "the policies",
            Kind::Case => "the case",
        };
        Failure {
            kind,
            diagnostics: Diagnostic::from_problems(&diagnostics.problems),
            summary: format!("{diagnostics} in {what}"),
        }
    }

    /// A report that could not be written as JSON (never expected).
    pub fn output(reason: &str) -> Failure {
        let message = format!("the report could not be written as JSON: {reason}");
        Failure {
            kind: Kind::Case,
            diagnostics: vec![Diagnostic {
                code: Some("deon::python::output".into()),
                message: message.clone(),
                help: None,
                file: None,
                line: None,
                column: None,
                severity: "error",
                rendered: format!("{message}\n"),
            }],
            summary: "1 problem in the case".into(),
        }
    }

    /// The exception, with its attributes set.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let mut text: String = self
            .diagnostics
            .iter()
            .map(|d| d.rendered.as_str())
            .collect();
        text.push_str(&self.summary);
        let error = match self.kind {
            Kind::Policy => PolicyError::new_err(text),
            Kind::Case => CaseError::new_err(text),
        };
        if let Err(e) = self.set_attributes(py, &error) {
            return e;
        }
        error
    }

    fn set_attributes(&self, py: Python<'_>, error: &PyErr) -> PyResult<()> {
        let value = error.value(py);
        let first = self
            .diagnostics
            .iter()
            .find(|d| d.severity == "error")
            .or(self.diagnostics.first());
        let items = self
            .diagnostics
            .iter()
            .map(|d| Py::new(py, d.clone()))
            .collect::<PyResult<Vec<_>>>()?;
        value.setattr("diagnostics", PyList::new(py, items)?)?;
        value.setattr("code", first.and_then(|d| d.code.clone()))?;
        value.setattr("message", first.map(|d| d.message.clone()))?;
        value.setattr("help", first.and_then(|d| d.help.clone()))?;
        value.setattr("file", first.and_then(|d| d.file.clone()))?;
        value.setattr("line", first.and_then(|d| d.line))?;
        value.setattr("column", first.and_then(|d| d.column))?;
        Ok(())
    }
}
