#!/usr/bin/env bash
# Load run (not part of the tests): builds the release package, then runs bench/load.mjs against
# the mock Atlas on 127.0.0.1: 10,000 calls with 50 in flight, an abort storm of 2,000 calls and
# 1,000 normal calls after it, and 100 service-account clients with 10 calls in flight each. It
# prints each run's calls, failures by kind, token requests, wasm memory, RSS, heap and time, and
# exits non-zero if a run that must not fail had a failure. Pass --seed N to repeat a storm.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# The driver imports the package by name, as users do: the build it just made.
ln -sfn ../pkg node_modules/atlas-export-jobs
node --expose-gc bench/load.mjs "$@"
