#!/usr/bin/env bash
# Fuzzes the core natively (not part of the tests): every entry point that takes a server's bytes
# or a caller's values gets mutations of core/tests/fixtures, random bytes and deep nesting, on a
# small stack with overflow checks on. Prints executions and panics per target; exits non-zero on
# any panic. Pass a count of executions per target (default 1000000) and, optionally, one target.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --profile fuzz -p atlas-export-jobs-core --example fuzz -- "$@"
