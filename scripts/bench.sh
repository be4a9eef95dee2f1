#!/usr/bin/env bash
# Benchmark against a plain-JS baseline (not part of the tests): builds the release package, then
# prints the table of bench/run.mjs (size, Vite-built pages and a slow link in headless Chromium,
# per-call time, decoding, cold start, memory, throughput) and writes it as JSON to
# bench/results.json (git-ignored). Pass --quick for a short smoke run, --only browser (or another
# comma-separated list of sections) for some of it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chromium too: the pages are loaded in it.
bash scripts/setup.sh --browser
bash scripts/build.sh
# The benchmark imports the package by name, as users do: the build it just made.
ln -sfn ../pkg node_modules/atlas-export-jobs
node bench/run.mjs "$@"
