#!/usr/bin/env bash
# Runs the package's own Node test suite (tests/node) once on each Node LTS line, with the node
# binaries npm installs from this folder's package.json: 20.19 (the oldest the package supports),
# and the newest 22 and 24. Each binary's folder goes first on PATH, so the node processes the
# tests start (the CLI, child scripts) are the same version. Every line runs even when one fails;
# the exit status is non-zero if any did. Test files given as arguments (paths from the repository's
# root) run instead of the whole suite.
#
# It needs what scripts/test.sh sets up before its Node tests: the packed package installed in
# ATLAS_CONSUMER_DIR and linked at node_modules/atlas-export-jobs, and ATLAS_MOCK_URL and
# ATLAS_CLOSED_URL.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
: "${ATLAS_CONSUMER_DIR:?is not set: run this through scripts/test.sh}"

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

cd "$repo"
if [ "$#" -gt 0 ]; then files=("$@"); else files=(tests/node/*.test.mjs tests/node/*.test.cjs); fi
failed=()
for line in node20 node22 node24; do
  bin="$here/node_modules/$line/bin"
  version=$("$bin/node" --version)
  echo "== the package's Node tests on Node $version"
  PATH="$bin:$PATH" node --test "${files[@]}" || failed+=("$version")
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "the package's Node tests failed on Node ${failed[*]}" >&2
  exit 1
fi
