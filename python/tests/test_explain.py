"""``explain=`` gives, at each level, the bytes ``deon eval --explain LEVEL`` prints."""

import json

import pytest

from conftest import CASES, ROOT, as_cli_writes, cli_json

LEVELS = ["none", "failing", "all"]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_evaluate_at_each_level_matches_the_cli(policy, case, level):
    expected = cli_json("policies", str(case.relative_to(ROOT)), "--explain", level)
    report = policy.evaluate(case, explain=level)
    assert report == json.loads(expected)
    assert as_cli_writes(report) == expected


@pytest.mark.parametrize("level", LEVELS)
def test_batch_at_each_level_matches_the_cli(policy, level):
    expected = [
        json.loads(cli_json("policies", str(case.relative_to(ROOT)), "--explain", level))
        for case in CASES
    ]
    reports = list(policy.batch(CASES, explain=level, threads=2))
    assert reports == expected
    texts = list(policy.batch(CASES, explain=level, result="json"))
    assert [json.loads(t) for t in texts] == expected


def test_the_levels_differ_and_failing_is_the_default(policy):
    case = ROOT / "examples" / "cases" / "provider_late_filing.yaml"
    sizes = {level: len(json.dumps(policy.evaluate(case, explain=level))) for level in LEVELS}
    assert sizes["none"] < sizes["failing"] < sizes["all"]
    assert policy.evaluate(case) == policy.evaluate(case, explain="failing")
    assert list(policy.batch([case])) == [policy.evaluate(case, explain="failing")]


def test_an_unknown_level_is_refused(policy):
    with pytest.raises(ValueError, match='"none", "failing" or "all"'):
        policy.evaluate({}, explain="some")
    with pytest.raises(ValueError, match="explain"):
        policy.batch([{}], explain="ALL")
