//! The native module of the `deon` Python package (`deon._deon`): a thin
//! shell over the `deon` library's public API. The package's `__init__.py`
//! re-exports everything here; `deon/_deon.pyi` describes it for type
//! checkers.

mod batch;
mod errors;
mod input;
mod policy;

use pyo3::prelude::*;

#[pymodule]
fn _deon(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<policy::Policy>()?;
    m.add_class::<batch::Batch>()?;
    m.add_class::<errors::Diagnostic>()?;
    m.add("DeonError", py.get_type::<errors::DeonError>())?;
    m.add("PolicyError", py.get_type::<errors::PolicyError>())?;
    m.add("CaseError", py.get_type::<errors::CaseError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
