"""Deon: policy-as-code for regulatory obligations.

Load a policy set once, then evaluate cases against it::

    import deon

    policy = deon.Policy.load("policies")
    report = policy.evaluate({"as_of": "2026-03-10", "party": {"roles": ["product_provider"]}})
    for finding in report["findings"]:
        if finding["status"] == "violated":
            print(finding["rule"], finding["summary"])

A report is plain Python data with the structure ``deon eval --format json``
prints (dates as ``"YYYY-MM-DD"`` strings). Problems with the policies raise
:class:`PolicyError`, problems with a case :class:`CaseError`; both are
:class:`DeonError`, carry the diagnostics the command line shows, and render
them as ``str(e)``.

``deon.spark`` evaluates a Spark DataFrame of cases (it needs ``pyspark``,
``pandas`` and ``pyarrow``, and is imported on its own).
"""

from ._deon import (
    Batch,
    CaseError,
    DeonError,
    Diagnostic,
    Policy,
    PolicyError,
    __version__,
)

__all__ = [
    "Batch",
    "CaseError",
    "DeonError",
    "Diagnostic",
    "Policy",
    "PolicyError",
    "__version__",
]
