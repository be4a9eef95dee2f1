#!/usr/bin/env bash
# Benchmark against a plain-JS baseline (not part of the tests): builds the release package, then
# prints the table of bench/run.mjs (size, per-call time, decoding, cold start, memory, throughput)
# and writes it as JSON to bench/results.json (git-ignored). Pass --quick for a short smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# The benchmark imports the package by name, as users do: the build it just made.
ln -sfn ../pkg node_modules/atlas-export-jobs
node bench/run.mjs "$@"
