#!/usr/bin/env bash
# Runs the measurement benchmark with DuckDB beside it. Not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x bench/measure/.venv/bin/python ]; then
  python3 -m venv bench/measure/.venv
  bench/measure/.venv/bin/pip install -q duckdb==2.0.0
fi
cargo build --release -p samsyn-bench-measure
SAMSYN_BENCH_PYTHON=bench/measure/.venv/bin/python target/release/samsyn-bench-measure "$@"
