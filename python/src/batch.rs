//! `Policy.batch`: an iterator that evaluates a chunk of cases at a time on
//! several threads, with the GIL released, and yields results in order.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::NaiveDate;
use pyo3::prelude::*;
use pyo3::types::PyIterator;

use crate::errors::Failure;
use crate::input::{CaseInput, case_input};
use crate::policy::{Output, evaluate_one, to_python};

/// Cases taken from the iterable per thread before evaluating them.
const CASES_PER_THREAD: usize = 32;

/// One case's outcome, waiting to be yielded.
enum Ready {
    Done(usize, Result<String, Failure>),
    /// An item that is not a case (a `TypeError`, …).
    Bad(usize, PyErr),
    /// The iterable itself raised: the batch ends with its error.
    Stop(PyErr),
}

/// The iterator `Policy.batch` returns: one result per case, in order.
#[pyclass(module = "deon")]
pub struct Batch {
    policy: Arc<deon::Policy>,
    /// `None` once the iterable is exhausted (or raised).
    cases: Option<Py<PyIterator>>,
    as_of: Option<NaiveDate>,
    explain: deon::Explain,
    output: Output,
    return_errors: bool,
    threads: usize,
    ready: VecDeque<Ready>,
    taken: usize,
}

impl Batch {
    pub fn new(
        policy: Arc<deon::Policy>,
        cases: Py<PyIterator>,
        as_of: Option<NaiveDate>,
        explain: deon::Explain,
        output: Output,
        return_errors: bool,
        threads: usize,
    ) -> Batch {
        Batch {
            policy,
            cases: Some(cases),
            as_of,
            explain,
            output,
            return_errors,
            threads,
            ready: VecDeque::new(),
            taken: 0,
        }
    }

    /// Takes the next chunk of cases and evaluates them without the GIL.
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        let Some(cases) = &self.cases else {
            return Ok(());
        };
        let mut cases = cases.bind(py).clone();
        let mut inputs: Vec<(usize, CaseInput)> = Vec::new();
        let mut bad: Vec<(usize, PyErr)> = Vec::new();
        let mut stop = None;
        let mut exhausted = false;
        while inputs.len() + bad.len() < self.threads * CASES_PER_THREAD {
            let Some(item) = cases.next() else {
                exhausted = true;
                break;
            };
            let item = match item {
                Ok(item) => item,
                // The iterable itself failed: stop here, after what came before.
                Err(error) => {
                    stop = Some(error);
                    exhausted = true;
                    break;
                }
            };
            let index = self.taken;
            self.taken += 1;
            match case_input(&item, None, &format!("<case {index}>")) {
                Ok(input) => inputs.push((index, input)),
                Err(error) => bad.push((index, error)),
            }
        }
        if exhausted {
            self.cases = None;
        }
        let policy = Arc::clone(&self.policy);
        let (as_of, explain, output, threads) =
            (self.as_of, self.explain, self.output, self.threads);
        let done =
            py.detach(move || evaluate_all(&policy, inputs, (as_of, explain, output), threads));
        let mut done = done.into_iter().peekable();
        let mut bad = bad.into_iter().peekable();
        loop {
            let take_bad = match (done.peek(), bad.peek()) {
                (Some((d, _)), Some((b, _))) => b < d,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => break,
            };
            if take_bad {
                if let Some((index, error)) = bad.next() {
                    self.ready.push_back(Ready::Bad(index, error));
                }
            } else if let Some((index, result)) = done.next() {
                self.ready.push_back(Ready::Done(index, result));
            }
        }
        if let Some(error) = stop {
            self.ready.push_back(Ready::Stop(error));
        }
        Ok(())
    }
}

/// Evaluates the inputs on up to `threads` threads, each taking a
/// contiguous share, and returns the results in input order.
fn evaluate_all(
    policy: &deon::Policy,
    inputs: Vec<(usize, CaseInput)>,
    (as_of, explain, output): (Option<NaiveDate>, deon::Explain, Output),
    threads: usize,
) -> Vec<(usize, Result<String, Failure>)> {
    let one = |(index, input): &(usize, CaseInput)| {
        (*index, evaluate_one(policy, input, as_of, explain, output))
    };
    if threads <= 1 || inputs.len() < 2 {
        return inputs.iter().map(one).collect();
    }
    let share = inputs.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = inputs
            .chunks(share)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut results = Vec::with_capacity(inputs.len());
        for (worker, part) in workers.into_iter().zip(inputs.chunks(share)) {
            match worker.join() {
                Ok(done) => results.extend(done),
                // A worker that panicked: evaluate its share again here, so
                // that the panic surfaces on this thread rather than a case
                // silently going missing.
                Err(_) => results.extend(part.iter().map(one)),
            }
        }
        results
    })
}

#[pymethods]
impl Batch {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> PyResult<Option<Py<PyAny>>> {
        let py = slf.py();
        loop {
            if let Some(ready) = slf.ready.pop_front() {
                let (index, error) = match ready {
                    Ready::Done(_, Ok(json)) => return to_python(py, &json, slf.output).map(Some),
                    Ready::Done(index, Err(failure)) => (index, failure.into_pyerr(py)),
                    Ready::Bad(index, error) => (index, error),
                    Ready::Stop(error) => {
                        slf.ready.clear();
                        return Err(error);
                    }
                };
                error.value(py).setattr("index", index)?;
                if slf.return_errors {
                    return Ok(Some(error.into_value(py).into_any()));
                }
                slf.ready.clear();
                slf.cases = None;
                return Err(error);
            }
            if slf.cases.is_none() {
                return Ok(None);
            }
            slf.fill(py)?;
        }
    }
}
