#!/usr/bin/env bash
# Benchmark of iterateExportJobs (not part of the tests): builds the package, then times a 10,000-job
# listing against the mock with 50 ms of latency, sequential and concurrent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
ln -sfn ../pkg node_modules/atlas-export-jobs
node bench/paging.mjs
