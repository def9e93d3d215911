"""One Policy shared by many threads; batches yield results in input order."""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import deon
from conftest import CASES, as_cli_writes


def test_one_policy_shared_by_threads_gives_the_same_reports(policy, cli_reports):
    cases = CASES * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(pool.map(policy.evaluate, cases))
    for case, report in zip(cases, reports):
        assert as_cli_writes(report) == cli_reports[case.name]


def ticks_during(work) -> int:
    """How often another thread ran Python code while `work` ran on this one.

    The switch interval is set far beyond the test's length, so this thread
    gives the GIL up only when something it calls releases it.
    """
    stop = threading.Event()
    ticks = [0]

    def tick():
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.0002)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(30)
    ticker = threading.Thread(target=tick)
    try:
        ticker.start()
        time.sleep(0.01)  # let the ticker start and go to sleep
        before = ticks[0]
        work()
        during = ticks[0] - before
    finally:
        stop.set()
        sys.setswitchinterval(interval)
        ticker.join()
    return during


def test_the_gil_is_released_while_evaluating(policy):
    case = CASES[0].read_text(encoding="utf-8")

    def evaluate():
        for _ in range(300):
            policy.decide(case)

    def python_only():
        deadline = time.perf_counter() + 0.2
        while time.perf_counter() < deadline:
            sum(range(1000))

    # The method of measuring can tell: pure Python holding the GIL lets no tick through.
    assert ticks_during(python_only) == 0
    assert ticks_during(evaluate) > 0


def test_batch_yields_in_order(policy, cli_reports):
    cases = CASES * 20  # enough for several chunks on several threads
    results = list(policy.batch(iter(cases), threads=2))
    assert len(results) == len(cases)
    for case, report in zip(cases, results):
        assert as_cli_writes(report) == cli_reports[case.name]


def test_batch_results_in_order_with_dates_that_differ(policy):
    days = [f"2026-03-{d:02d}" for d in range(1, 29)] * 12
    cases = ({"as_of": day} for day in days)  # a generator, read lazily
    results = list(policy.batch(cases, threads=3, result="verdicts"))
    assert [r["as_of"] for r in results] == days


def test_batch_on_one_thread_matches_many(policy):
    cases = [c.read_text(encoding="utf-8") for c in CASES] * 5
    one = list(policy.batch(cases, threads=1, result="json"))
    many = list(policy.batch(cases, threads=4, result="json"))
    assert one == many
    assert [json.loads(t) for t in one] == [policy.evaluate(c) for c in cases]


def test_batch_errors_return_in_place(policy):
    cases = [{"as_of": "2026-03-10"}, "vulnerability: {aware_on: 3}", 42, {"as_of": "2026-03-11"}]
    results = list(policy.batch(cases, errors="return", result="verdicts"))
    assert results[0]["as_of"] == "2026-03-10"
    assert isinstance(results[1], deon.CaseError)
    assert results[1].index == 1
    assert results[1].code == "deon::case::wrong_type"
    assert results[1].file == "<case 1>"
    assert isinstance(results[2], TypeError)
    assert results[2].index == 2
    assert results[3]["as_of"] == "2026-03-11"


def test_batch_errors_raise_at_their_place(policy):
    results = []
    with pytest.raises(deon.CaseError) as raised:
        for result in policy.batch([{"as_of": "2026-03-10"}, "vulnerability: {aware_on: 3}", {}], result="verdicts"):
            results.append(result)
    assert len(results) == 1
    assert raised.value.index == 1


def test_an_iterable_that_fails_stops_the_batch_after_what_came_before(policy):
    def cases():
        yield {"as_of": "2026-03-10"}
        raise RuntimeError("the source broke")

    batch = policy.batch(cases(), result="verdicts", errors="return")
    assert next(batch)["as_of"] == "2026-03-10"
    with pytest.raises(RuntimeError, match="the source broke"):
        next(batch)
    assert list(batch) == []


def test_batch_arguments_are_checked(policy):
    with pytest.raises(ValueError):
        policy.batch([], result="everything")
    with pytest.raises(ValueError):
        policy.batch([], errors="ignore")
    with pytest.raises(ValueError):
        policy.batch([], threads=0)
    assert list(policy.batch([])) == []
