"""deon.spark on a real local[2] Spark session matches the command line."""

import json
import os
import sys

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed")
pytest.importorskip("pandas", reason="pandas is not installed")
pytest.importorskip("pyarrow", reason="pyarrow is not installed")

import deon  # noqa: E402
import deon.spark  # noqa: E402
from conftest import CASES, POLICIES  # noqa: E402

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("deon-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def cases(spark):
    rows = [(case.name, case.read_text(encoding="utf-8")) for case in CASES]
    # Several partitions, so that both executor threads take tasks.
    return spark.createDataFrame(rows, "name string, case string").repartition(4)


def full(exposure):
    """An exposure from the JSON report with the parts it leaves out as 0, as the column has them."""
    parts = ("min", "max", "certain_max", "possible_min", "escalated")
    return {party: {part: fines.get(part, 0) for part in parts} for party, fines in exposure.items()}


def test_the_example_cases_match_the_cli(cases, cli_reports):
    results = deon.spark.evaluate(cases, POLICIES, report=True).collect()
    assert sorted(r["name"] for r in results) == sorted(c.name for c in CASES)
    for row in results:
        expected = json.loads(cli_reports[row["name"]])
        assert row["error"] is None
        assert json.loads(row["report"]) == expected
        assert row["as_of"].isoformat() == expected["as_of"]
        assert row["unknown_facts"] == expected["unknown_facts"]
        assert row["exposure"].asDict(recursive=True) == full(expected["totals"])
        assert len(row["findings"]) == len(expected["findings"])
        for finding, want in zip(row["findings"], expected["findings"]):
            assert finding["rule"] == want["rule"]
            assert finding["citations"] == want["citations"]
            assert finding["status"] == want["status"]
            due = finding["due"].isoformat() if finding["due"] else None
            assert due == want.get("due")
            assert finding["days_left"] == want.get("days_left")
            assert finding["days_overdue"] == want.get("days_overdue")
            assert finding["exposure"].asDict(recursive=True) == full(want["exposure"])


def test_the_report_column_is_the_clis_json(cases, cli_reports):
    from conftest import as_cli_writes

    rows = deon.spark.evaluate(cases, POLICIES, report=True).select("name", "report").collect()
    for row in rows:
        assert as_cli_writes(json.loads(row["report"])) == cli_reports[row["name"]]


def test_bad_rows_carry_their_error_and_the_rest_go_on(spark):
    rows = [
        ("good", '{"as_of": "2026-03-10"}'),
        ("wrong_type", '{"vulnerability": {"aware_on": 3}}'),
        ("empty", None),
    ]
    df = spark.createDataFrame(rows, "name string, case string")
    results = {r["name"]: r for r in deon.spark.evaluate(df, POLICIES).collect()}
    assert results["good"]["error"] is None
    assert results["good"]["as_of"].isoformat() == "2026-03-10"
    wrong = results["wrong_type"]["error"]
    assert wrong["code"] == "deon::case::wrong_type"
    assert (wrong["line"], wrong["column"]) == (1, 32)
    assert results["wrong_type"]["findings"] is None
    assert results["empty"]["error"]["code"] == "deon::python::not_a_case"


def test_as_of_and_findings_rows(spark, cases):
    results = deon.spark.evaluate(cases, deon.Policy.load(POLICIES), as_of="2026-03-04")
    rows = deon.spark.findings(results, "name").collect()
    assert {r["name"] for r in rows} == {c.name for c in CASES}
    policy = deon.Policy.load(POLICIES)
    expected = {
        (c.name, f["rule"]): f["status"]
        for c in CASES
        for f in policy.evaluate(c, as_of="2026-03-04")["findings"]
    }
    assert {(r["name"], r["rule"]): r["status"] for r in rows} == expected


def test_each_worker_checks_the_policies_once(spark):
    df = spark.range(0, 64, numPartitions=16).selectExpr("'{}' as case")
    sources = deon.Policy.load(POLICIES).sources()
    broadcast = spark.sparkContext.broadcast(sources)
    key = deon.spark._digest(sources)

    def loads(batches):
        import pandas

        for frame in batches:
            deon.spark._policy(key, broadcast)
            yield pandas.DataFrame({"pid": [os.getpid()], "loads": [deon.spark._LOADS]})

    rows = df.mapInPandas(loads, "pid long, loads long").collect()
    assert len(rows) >= 16
    by_worker: dict = {}
    for row in rows:
        by_worker.setdefault(row["pid"], set()).add(row["loads"])
    # However many tasks a worker process ran, it checked the text once.
    assert all(counts == {1} for counts in by_worker.values()), by_worker


def test_a_missing_column_is_refused(cases):
    with pytest.raises(ValueError, match="no column"):
        deon.spark.evaluate(cases, POLICIES, column="facts")
