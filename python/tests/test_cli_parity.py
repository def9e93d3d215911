"""The Python package gives the command line's answers, byte for byte.

Each report is serialised with ``json.dumps(indent=2, ensure_ascii=False)``,
which writes exactly what serde_json's pretty printer writes for the same
data (two-space indent, ``": "``, raw UTF-8, ``[]`` for empty lists), and
compared with the bytes ``deon eval --format json`` printed. The parsed
structures are compared too, so a difference is shown field by field.
"""

import json
import pathlib

import pytest

import deon
from conftest import CASES, ROOT, as_cli_writes, cli_json


def test_the_example_cases_are_there():
    assert len(CASES) >= 10
    assert {c.suffix for c in CASES} >= {".json", ".yaml", ".toml"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_evaluate_a_path_matches_the_cli(policy, cli_reports, case):
    report = policy.evaluate(case)
    expected = cli_reports[case.name]
    assert report == json.loads(expected)
    assert as_cli_writes(report) == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_evaluate_text_matches_the_cli(policy, cli_reports, case):
    report = policy.evaluate(case.read_text(encoding="utf-8"))
    assert as_cli_writes(report) == cli_reports[case.name]


@pytest.mark.parametrize("case", [c for c in CASES if c.suffix == ".json"], ids=lambda c: c.name)
def test_evaluate_a_dict_matches_the_cli(policy, cli_reports, case):
    report = policy.evaluate(json.loads(case.read_text(encoding="utf-8")))
    assert as_cli_writes(report) == cli_reports[case.name]


def test_as_of_matches_the_cli_flag(policy):
    case = ROOT / "examples" / "cases" / "provider_late_filing.yaml"
    expected = cli_json("policies", str(case), "--as-of", "2026-03-04", "--explain", "failing")
    assert as_cli_writes(policy.evaluate(case, as_of="2026-03-04")) == expected
    import datetime

    assert policy.evaluate(case, as_of=datetime.date(2026, 3, 4)) == json.loads(expected)


def test_json_result_is_the_reports_text(policy, cli_reports):
    case = ROOT / "examples" / "cases" / "platform_warning_post.json"
    (text,) = policy.batch([case], result="json")
    assert isinstance(text, str)
    assert json.loads(text) == json.loads(cli_reports[case.name])


def test_decide_agrees_with_the_report(policy):
    for case in CASES:
        report = policy.evaluate(case)
        decision = policy.decide(case)
        assert decision["as_of"] == report["as_of"]
        assert decision["totals"] == report["totals"]
        assert decision["unknown_facts"] == report["unknown_facts"]
        assert len(decision["verdicts"]) == len(report["findings"])
        for verdict, finding in zip(decision["verdicts"], report["findings"]):
            assert verdict["rule"] == finding["rule"]
            assert verdict["citations"] == finding["citations"]
            assert verdict["status"] == finding["status"]
            assert verdict["exposure"] == finding["exposure"]
            for key in ("due", "days_left", "days_overdue"):
                assert verdict[key] == finding.get(key)


def test_a_policy_rebuilt_from_its_sources_answers_the_same(policy, cli_reports):
    sources = policy.sources()
    assert any(name.endswith(".toml") for name in sources), "the holiday calendars travel too"
    again = deon.Policy.from_sources(sources)
    case = ROOT / "examples" / "cases" / "provider_late_filing.yaml"
    assert as_cli_writes(again.evaluate(case)) == cli_reports[case.name]


def test_summary_lists_rules_and_the_fact_schema(policy):
    summary = policy.summary()
    assert "provider_file_with_miit" in summary["rules"]
    assert len(summary["files"]) == len(list(pathlib.Path(ROOT / "policies").rglob("*.deon")))
    paths = [f["path"] for f in summary["fact_schema"]]
    assert paths == summary["facts"]
    aware = next(f for f in summary["fact_schema"] if f["path"] == "vulnerability.aware_on")
    assert aware["type"].startswith("date")
    roles = next(f for f in summary["fact_schema"] if f["path"] == "party.roles")
    assert "product_provider" in roles["values"]
