"""Bad policies and bad cases raise exceptions carrying the command line's diagnostics."""

import pathlib
import subprocess

import pytest

import deon
from conftest import ROOT, deon_binary


def test_a_wrong_type_is_a_case_error_with_its_place(policy):
    with pytest.raises(deon.CaseError) as raised:
        policy.evaluate('{"vulnerability": {"aware_on": 3}}')
    error = raised.value
    assert isinstance(error, deon.DeonError)
    assert error.code == "deon::case::wrong_type"
    assert error.message == "`vulnerability.aware_on` should be a date, but this is the number 3"
    assert error.help and "YYYY-MM-DD" in error.help
    assert (error.file, error.line, error.column) == ("<case>", 1, 32)
    assert "deon::case::wrong_type" in str(error)
    assert "<case>:1:32" in str(error)
    assert str(error).endswith("1 problem in the case")


def test_every_problem_is_listed(policy):
    text = "vulnerability:\n  aware_on: 3\n  colour: red\n"
    with pytest.raises(deon.CaseError) as raised:
        policy.evaluate(text)
    codes = [d.code for d in raised.value.diagnostics]
    assert len(codes) == 2
    assert "deon::case::wrong_type" in codes
    assert all(d.severity == "error" for d in raised.value.diagnostics)
    assert [d.line for d in raised.value.diagnostics] == sorted(d.line for d in raised.value.diagnostics)
    assert str(raised.value).endswith("2 problems in the case")


def test_case_errors_render_as_the_cli_renders_them(policy, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("as_of: 2026-03-10\nvulnerability:\n  aware_on: [1]\n  filed_with_miit_on: soon\n")
    run = subprocess.run(
        [str(deon_binary()), "eval", "policies", str(bad)], cwd=ROOT, capture_output=True, check=False
    )
    assert run.returncode == 2
    with pytest.raises(deon.CaseError) as raised:
        policy.evaluate(bad)
    rendered = "".join(d.rendered for d in raised.value.diagnostics)
    # The CLI prints the same diagnostics, then its own closing line.
    assert run.stderr.decode().startswith(rendered)
    assert str(raised.value).startswith(rendered)
    assert raised.value.file == str(bad)
    assert raised.value.line == 3


def test_a_missing_case_file_is_a_case_error(policy, tmp_path):
    with pytest.raises(deon.CaseError) as raised:
        policy.evaluate(tmp_path / "missing.json")
    assert raised.value.code and raised.value.code.startswith("deon::")
    assert raised.value.line is None


def test_broken_policies_are_a_policy_error():
    with pytest.raises(deon.PolicyError) as raised:
        deon.Policy.from_sources({"broken.deon": "rule {"})
    error = raised.value
    assert isinstance(error, deon.DeonError)
    assert error.code == "deon::syntax::unexpected"
    assert (error.file, error.line, error.column) == ("broken.deon", 1, 6)
    assert "broken.deon:1:6" in str(error)


def test_a_missing_policy_folder_is_a_policy_error(tmp_path):
    with pytest.raises(deon.PolicyError) as raised:
        deon.Policy.load(tmp_path / "nowhere")
    assert raised.value.diagnostics
    assert not isinstance(raised.value, deon.CaseError)


def test_warnings_do_not_stop_a_load():
    policy = deon.Policy.from_sources(
        {
            "rule.deon": """
            regulation example { title "An example" status in force effective from 2021-09-01 }
            facts { records "The records." { kept: bool "Records are kept." } }
            rule keep_records { must "keep records" done when records.kept }
            """
        }
    )
    assert [w.code for w in policy.warnings] == ["deon::check::missing_citation"]
    assert policy.warnings[0].severity == "warning"


def test_arguments_are_checked(policy):
    with pytest.raises(TypeError):
        policy.evaluate(3)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        policy.evaluate({}, as_of="10 March")
    # Dates are read exactly as the command line reads them: no lenient forms.
    for lenient in ("2026-3-1", "+2026-03-01", " 2026-03-01"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            policy.evaluate({}, as_of=lenient)
    with pytest.raises(ValueError, match="format"):
        policy.evaluate("{}", format="xml")
    with pytest.raises(ValueError, match="explain"):
        policy.evaluate({}, explain="some")
    with pytest.raises(TypeError, match="datetime"):
        import datetime

        policy.evaluate({"vulnerability": {"aware_on": datetime.datetime(2026, 3, 3, 12, 0)}})


def test_a_dict_case_may_hold_dates(policy):
    import datetime

    with_dates = policy.evaluate({"as_of": datetime.date(2026, 3, 10), "vulnerability": {"aware_on": datetime.date(2026, 3, 3)}})
    with_text = policy.evaluate({"as_of": "2026-03-10", "vulnerability": {"aware_on": "2026-03-03"}})
    assert with_dates == with_text


def test_a_dict_that_contains_itself_is_refused(policy):
    case: dict = {"party": {}}
    case["party"]["self"] = case
    with pytest.raises(ValueError, match="nests deeper"):
        policy.evaluate(case)


def test_text_formats_are_recognised(policy):
    json_case = '{"as_of": "2026-03-10"}'
    yaml_case = "# a comment\nas_of: 2026-03-10\n"
    toml_case = "as_of = 2026-03-10\n"
    reports = [policy.evaluate(c) for c in (json_case, yaml_case, toml_case)]
    assert reports[0] == reports[1] == reports[2]
    assert policy.evaluate(b'{"as_of": "2026-03-10"}') == reports[0]
    assert policy.evaluate(yaml_case, format="yaml") == reports[0]
    with pytest.raises(deon.CaseError):
        policy.evaluate(yaml_case, format="toml")
