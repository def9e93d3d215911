"""Evaluate a JSON Lines file of cases on Spark and write the results as Parquet.

    python python/examples/spark_jsonl.py policies cases.jsonl results.parquet [--master local[2]] [--report]

Each line of the input is one case as JSON (as for `deon eval --batch`);
`cargo run --release --example gen_cases -- 1000 > cases.jsonl` writes some.
The output has one row per line: the line's text, an id, and the
columns deon.spark adds (as_of, findings, exposure, unknown_facts, error and,
with --report, the report's JSON).
"""

import argparse
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import deon
import deon.spark


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("policies", help="a policy file or folder")
    parser.add_argument("cases", help="a JSON Lines file of cases")
    parser.add_argument("output", help="where to write the Parquet results")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--report", action="store_true", help="add the full report as JSON text")
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master(args.master).appName("deon").getOrCreate()
    try:
        # Checked here, on the driver: a broken policy stops the job before it starts.
        policy = deon.Policy.load(args.policies)
        lines = (
            spark.read.text(args.cases)
            .withColumnRenamed("value", "case")
            .withColumn("row_id", F.monotonically_increasing_id())
            .filter(F.trim("case") != "")
        )
        results = deon.spark.evaluate(lines, policy, report=args.report)
        results.write.mode("overwrite").parquet(args.output)
        written = spark.read.parquet(args.output)
        failed = written.filter(F.exists("findings", lambda f: f.status.isin("violated", "breached")))
        print(
            f"{written.count()} cases, {written.filter('error is not null').count()} rejected, "
            f"{failed.count()} with a violated or breached duty; written to {args.output}"
        )
    except deon.DeonError as error:
        print(error, file=sys.stderr)
        return 2
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
