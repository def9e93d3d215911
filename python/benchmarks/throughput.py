"""Cases per second for the Python package and for Spark, against `deon eval --batch`.

    cargo build --release
    cargo run --release --example gen_cases -- 20000 > /tmp/cases.jsonl
    pip install ./python pyspark "pandas<3" pyarrow     # a release build of the wheel
    python python/benchmarks/throughput.py /tmp/cases.jsonl [--deon target/release/deon] [--skip-spark]

Every runner evaluates the same file with the shipped policies and writes the
full report of every case (as `deon eval --batch` does), then throws it away:

- cli/threads=N: `deon eval policies --batch FILE --threads N --explain all > /dev/null`;
- python/...: the lines read into memory first, then `Policy.evaluate` in a
  loop (report as Python data), `Policy.batch` (report as JSON text or as
  Python data) on 1 and 2 threads, and a 2-thread `ThreadPoolExecutor` over
  `Policy.evaluate`;
- spark/local[N]: `deon.spark.evaluate(..., report=True)` on the file read by
  `spark.read.text`, forced with the `noop` writer; the session is started,
  and warmed up on a small job, before timing.

Each figure is the best of `--repeat` runs (default 3): on a shared machine
the best run is the one least disturbed. Per core is the rate divided by the
cores the runner is given (its threads, or Spark's local[N] slots).
"""

import argparse
import functools
import json
import os
import pathlib
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import deon

ROOT = pathlib.Path(__file__).resolve().parents[2]


def best(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def load() -> str:
    return os.getloadavg()[0].__format__(".2f")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=pathlib.Path)
    parser.add_argument("--deon", type=pathlib.Path, default=ROOT / "target" / "release" / "deon")
    parser.add_argument("--policies", type=pathlib.Path, default=ROOT / "policies")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures here")
    args = parser.parse_args()

    lines = [line for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = len(lines)
    policy = deon.Policy.load(args.policies)
    rows = []

    def record(name: str, cores: int, seconds: float) -> None:
        rate = n / seconds
        rows.append({"runner": name, "cores": cores, "seconds": round(seconds, 3),
                     "cases_per_s": round(rate), "per_core": round(rate / cores), "load": load()})
        print(f"{name:<34} {cores} core(s) {seconds:8.2f} s {rate:9.0f} cases/s "
              f"{rate / cores:9.0f} per core  (load {load()})", flush=True)

    print(f"{n} cases from {args.cases}; {os.cpu_count()} cores; load average {load()}", flush=True)

    for threads in (1, 2):
        command = [str(args.deon), "eval", str(args.policies), "--batch", str(args.cases),
                   "--threads", str(threads), "--explain", "all"]

        def cli():
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)

        record(f"cli --batch --threads {threads}", threads, best(args.repeat, cli))

    record("python evaluate() loop", 1,
           best(args.repeat, lambda: [policy.evaluate(line, explain="all") for line in lines]))
    for threads in (1, 2):
        record(f"python batch(json) threads={threads}", threads,
               best(args.repeat, lambda: list(policy.batch(lines, explain="all", result="json", threads=threads))))
        record(f"python batch(report) threads={threads}", threads,
               best(args.repeat, lambda: list(policy.batch(lines, explain="all", threads=threads))))

    def pool():
        with ThreadPoolExecutor(2) as executor:
            list(executor.map(functools.partial(policy.evaluate, explain="all"), lines, chunksize=64))

    record("python ThreadPoolExecutor(2)", 2, best(args.repeat, pool))

    # Right-sized reports, as `--batch` and the package write by default:
    # explanations only for findings that fail.
    command = [str(args.deon), "eval", str(args.policies), "--batch", str(args.cases),
               "--threads", "2", "--explain", "failing"]
    record("cli --batch --threads 2 (failing)", 2,
           best(args.repeat, lambda: subprocess.run(command, stdout=subprocess.DEVNULL, check=True)))
    record("python batch(json) threads=2 (failing)", 2,
           best(args.repeat, lambda: list(policy.batch(lines, explain="failing", result="json", threads=2))))
    record("python batch(report) threads=2 (failing)", 2,
           best(args.repeat, lambda: list(policy.batch(lines, explain="failing", threads=2))))

    if not args.skip_spark:
        spark_runs(args, record)

    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


def spark_runs(args, record) -> None:
    import deon.spark
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    for slots in (1, 2):
        spark = (
            SparkSession.builder.master(f"local[{slots}]")
            .appName("deon-throughput")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        try:
            policy = deon.Policy.load(args.policies)
            cases = spark.read.text(str(args.cases)).withColumnRenamed("value", "case")
            cases = cases.repartition(slots * 4).cache()
            cases.count()
            # Warm up: start the Python workers and check the policies in each.
            deon.spark.evaluate(cases.limit(50), policy).write.format("noop").mode("overwrite").save()

            def job():
                deon.spark.evaluate(cases, policy, report=True, explain="all").write.format("noop").mode("overwrite").save()

            record(f"spark local[{slots}] report=True", slots, best(args.repeat, job))

            def verdicts():
                deon.spark.evaluate(cases, policy).write.format("noop").mode("overwrite").save()

            record(f"spark local[{slots}] verdicts only", slots, best(args.repeat, verdicts))
        finally:
            spark.stop()


if __name__ == "__main__":
    sys.exit(main())
