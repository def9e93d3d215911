"""Evaluate a Spark DataFrame of cases with Deon.

A column holds one case per row as text (JSON, or YAML or TOML). The driver
loads and checks the policies once, then broadcasts their text; each Python
worker on each executor checks that text once and keeps the policy for every
task it runs. Rows are evaluated with ``mapInPandas``, a batch of Arrow rows
at a time, with the GIL released while Deon works::

    from pyspark.sql import SparkSession
    import deon.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    cases = spark.read.text("cases.jsonl").withColumnRenamed("value", "case")
    results = deon.spark.evaluate(cases, "policies")
    results.write.parquet("results.parquet")

The result keeps every input column and adds:

``as_of`` (date)
    The evaluation date.
``findings`` (array of struct)
    One per rule: ``rule``, ``citations``, ``status``, ``due`` (date),
    ``days_left``, ``days_overdue`` and ``exposure`` (fine ranges in CNY per
    liable party: ``entity``, ``person_in_charge``, ``individual``, each
    ``min``, ``max``, ``certain_max``, ``possible_min`` and ``escalated``,
    0 where the JSON report leaves a part out). :func:`findings` turns them
    into one row each.
``exposure`` (struct)
    The case's totals, shaped like a finding's exposure.
``unknown_facts`` (array of string)
    Facts the case leaves out that some finding depends on.
``error`` (struct, null when the case was evaluated)
    The case's first problem: ``code``, ``message``, ``help``, ``line``,
    ``column``. The other columns are null on such rows.
``report`` (string, with ``report=True``)
    The report's JSON, as ``deon eval --format json`` writes it (compact).

It needs ``pyspark``, ``pandas`` and ``pyarrow`` (``pip install deon[spark]``),
and ``deon`` itself installed where the executors' Python runs.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Optional, Union

from ._deon import CaseError, Policy

if TYPE_CHECKING:
    import pandas
    from pyspark.sql import DataFrame

__all__ = ["evaluate", "findings", "result_schema"]

# The parts of a party's fines (docs/json-report.md, "Exposure"); the JSON
# leaves the last three out when they are 0, a column always has them.
_PARTS = ("min", "max", "certain_max", "possible_min", "escalated")
_RANGE = "struct<" + ", ".join(f"{part}: bigint" for part in _PARTS) + ">"
_EXPOSURE = f"struct<entity: {_RANGE}, person_in_charge: {_RANGE}, individual: {_RANGE}>"
_ERROR = "struct<code: string, message: string, help: string, line: int, column: int>"


def _exposure(exposure: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Every part of each party's fines, 0 where the JSON leaves it out."""
    return {party: {part: fines.get(part, 0) for part in _PARTS} for party, fines in exposure.items()}


def _finding(due: str) -> str:
    return (
        f"struct<rule: string, citations: array<string>, status: string, due: {due}, "
        f"days_left: int, days_overdue: int, exposure: {_EXPOSURE}>"
    )


def result_schema(report: bool = False) -> str:
    """The columns :func:`evaluate` adds, as a Spark DDL string."""
    columns = [
        "as_of date",
        f"findings array<{_finding('date')}>",
        f"exposure {_EXPOSURE}",
        "unknown_facts array<string>",
        f"error {_ERROR}",
    ]
    if report:
        columns.append("report string")
    return ", ".join(columns)


# The policies each Python worker process has checked, by a digest of their
# text: a worker runs many tasks, and checks the broadcast text only for the
# first.
_POLICIES: dict[str, Policy] = {}
_LOADS = 0


def _digest(sources: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for name, text in sources.items():
        for part in (name, text):
            data = part.encode()
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def _policy(key: str, broadcast: Any) -> Policy:
    global _LOADS
    policy = _POLICIES.get(key)
    if policy is None:
        policy = Policy.from_sources(broadcast.value)
        _POLICIES[key] = policy
        _LOADS += 1
    return policy


def _as_policy(policies: Union[Policy, str, os.PathLike, Iterable, Mapping[str, str]]) -> Policy:
    if isinstance(policies, Policy):
        return policies
    if isinstance(policies, Mapping):
        return Policy.from_sources(policies)
    return Policy.load(policies)


def evaluate(
    df: "DataFrame",
    policies: Union[Policy, str, os.PathLike, Iterable, Mapping[str, str]],
    column: str = "case",
    *,
    as_of: Optional[Union[datetime.date, str]] = None,
    report: bool = False,
    explain: str = "failing",
    threads: int = 1,
) -> "DataFrame":
    """Evaluates the case in ``column`` of every row; returns ``df`` with the result columns.

    ``policies`` is a :class:`deon.Policy`, a path or list of paths to load,
    or ``{name: text}`` sources. They are checked here, on the driver, so a
    broken policy fails before any task starts. ``as_of`` fixes the
    evaluation date (default: each case's own ``as_of``, else the day it
    runs). ``report=True`` adds the report as JSON text, with explanation
    steps as ``explain`` says (``"failing"``, ``"all"`` or ``"none"``, as for
    :meth:`deon.Policy.evaluate`). ``threads`` is
    Deon's threads per task; Spark already runs one task per core, so 1 is
    usually right.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    policy = _as_policy(policies)
    if column not in df.columns:
        raise ValueError(f"the DataFrame has no column {column!r} (it has {df.columns})")
    sources = dict(policy.sources())
    key = _digest(sources)
    broadcast = df.sparkSession.sparkContext.broadcast(sources)
    as_of_text = as_of.isoformat() if isinstance(as_of, datetime.date) else as_of
    result = "verdicts+json" if report else "verdicts"

    # Dates travel as text through Arrow and are cast on the JVM side.
    added = [
        "as_of string",
        f"findings array<{_finding('string')}>",
        f"exposure {_EXPOSURE}",
        "unknown_facts array<string>",
        f"error {_ERROR}",
    ] + (["report string"] if report else [])
    names = [c.split(" ", 1)[0] for c in added]
    clash = [n for n in names if n in df.columns]
    if clash:
        raise ValueError(f"the DataFrame already has columns named {clash}; rename them first")
    schema = StructType(df.schema.fields + StructType.fromDDL(", ".join(added)).fields)

    def evaluate_batches(batches: Iterator["pandas.DataFrame"]) -> Iterator["pandas.DataFrame"]:
        deon_policy = _policy(key, broadcast)
        for frame in batches:
            yield _evaluate_frame(
                deon_policy, frame, column, as_of_text, (result, explain), threads, names
            )

    evaluated = df.mapInPandas(evaluate_batches, schema)
    return evaluated.withColumn("as_of", F.col("as_of").cast("date")).withColumn(
        "findings", F.col("findings").cast(f"array<{_finding('date')}>")
    )


def _evaluate_frame(
    policy: Policy,
    frame: "pandas.DataFrame",
    column: str,
    as_of: Optional[str],
    output: tuple[str, str],
    threads: int,
    names: list[str],
) -> "pandas.DataFrame":
    result, explain = output
    cases = [None if c is None or c != c else c for c in frame[column].tolist()]
    columns: dict[str, list] = {name: [] for name in names}
    outcomes = policy.batch(
        cases, as_of=as_of, explain=explain, result=result, errors="return", threads=threads
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            columns["as_of"].append(None)
            columns["findings"].append(None)
            columns["exposure"].append(None)
            columns["unknown_facts"].append(None)
            columns["error"].append(_error(outcome))
            if "report" in columns:
                columns["report"].append(None)
            continue
        columns["as_of"].append(outcome["as_of"])
        columns["findings"].append(
            [{**verdict, "exposure": _exposure(verdict["exposure"])} for verdict in outcome["verdicts"]]
        )
        columns["exposure"].append(_exposure(outcome["totals"]))
        columns["unknown_facts"].append(outcome["unknown_facts"])
        columns["error"].append(None)
        if "report" in columns:
            columns["report"].append(outcome["report"])
    out = frame.copy()
    for name in names:
        out[name] = columns[name]
    return out


def _error(error: BaseException) -> dict:
    if isinstance(error, CaseError):
        return {
            "code": error.code,
            "message": error.message,
            "help": error.help,
            "line": error.line,
            "column": error.column,
        }
    # An item that is no case at all (a null cell, a number): no diagnostic.
    message = "the case is empty" if "NoneType" in str(error) else str(error)
    return {"code": "deon::python::not_a_case", "message": message, "help": None, "line": None, "column": None}


def findings(results: "DataFrame", *keep: str) -> "DataFrame":
    """One row per finding of :func:`evaluate`'s results: the columns named in
    ``keep``, then ``rule``, ``citations``, ``status``, ``due``,
    ``days_left``, ``days_overdue`` and ``exposure``. Rows whose case had an
    error have no findings and give no rows."""
    from pyspark.sql import functions as F

    return results.select(*keep, F.explode("findings").alias("finding")).select(*keep, "finding.*")
