"""Shared fixtures: the repository's policies, example cases and the `deon` binary."""

import json
import os
import pathlib
import subprocess

import pytest

import deon

ROOT = pathlib.Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
CASES = sorted((ROOT / "examples" / "cases").iterdir())
CASES = [c for c in CASES if c.suffix in {".json", ".yaml", ".yml", ".toml"}]


def deon_binary() -> pathlib.Path:
    """The command line to compare with: $DEON_BIN, else the newest build under target/."""
    if os.environ.get("DEON_BIN"):
        return pathlib.Path(os.environ["DEON_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    built = [p for p in (target / "release" / "deon", target / "debug" / "deon") if p.exists()]
    if not built:
        pytest.fail("no deon binary: run `cargo build` at the repository root, or set DEON_BIN")
    return max(built, key=lambda p: p.stat().st_mtime)


def cli_json(*args: str) -> bytes:
    """What `deon eval ... --format json` writes to standard output."""
    run = subprocess.run(
        [str(deon_binary()), "eval", *args, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    return run.stdout


def as_cli_writes(report) -> bytes:
    """A report serialised the way the command line writes it (serde_json's pretty printer)."""
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode()


@pytest.fixture(scope="session")
def policy() -> deon.Policy:
    return deon.Policy.load(POLICIES)


@pytest.fixture(scope="session")
def cli_reports() -> dict:
    """The CLI's JSON for every example case at the package's default level, read once."""
    return {
        case.name: cli_json("policies", str(case.relative_to(ROOT)), "--explain", "failing")
        for case in CASES
    }
