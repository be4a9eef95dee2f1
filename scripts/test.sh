#!/usr/bin/env bash
# Runs every test: native core tests, the wasm end-to-end tests in Node and in headless Chromium,
# the package's Node tests on each Node LTS line, and the packed package every way it is used
# (ESM, CJS, TypeScript, pages, the demo, and the stacks of tests/stacks/), against the mock Atlas
# on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser

echo "== clippy, native and wasm32, with and without the secret schemes"
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --workspace --all-targets --no-default-features -- -D warnings
cargo clippy --quiet -p atlas-export-jobs --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
cargo clippy --quiet -p atlas-export-jobs --target wasm32-unknown-unknown --all-targets --features std -- -D warnings

echo "== native tests: the core's rules and machines, and the declared types"
cargo test --quiet --workspace
cargo test --quiet -p atlas-export-jobs-core --no-default-features

echo "== build pkg/"
bash scripts/build.sh

work=$(mktemp -d)
mock_pid=
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One shared mock for the wasm tests (Node tests start their own); it stops itself after 30 min.
node pkg-template/testing/cli.mjs --max-seconds 1800 >"$work/mock.out" &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/mock.out" ] && break; sleep 0.1; done
ATLAS_MOCK_URL=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).url)' "$work/mock.out")
# A port that was free a moment ago: nothing listens there, so connecting is refused.
ATLAS_CLOSED_URL=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(`http://127.0.0.1:${s.address().port}`); s.close(); })')
export ATLAS_MOCK_URL ATLAS_CLOSED_URL
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

# wasm-bindgen-test needs std, which the release build leaves out (the `std` feature).
echo "== wasm end-to-end tests in Node"
cargo test --target wasm32-unknown-unknown --features std --test wasm_end_to_end

echo "== wasm end-to-end tests in headless Chromium"
# The test runner serves the page from tiny_http, whose worker pool can leave one of the page's
# parallel module requests unserved until an idle keep-alive socket closes, 300 s later: the page
# stalls at "Loading scripts..." in about one run of six. A stalled attempt is ended (with its
# browser) and run again; a run that finishes with failed tests is never retried.
for attempt in 1 2 3; do
  status=0
  WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver timeout --kill-after=10 90 \
    cargo test --target wasm32-unknown-unknown --features std --test wasm_end_to_end || status=$?
  [ "$status" -ne 124 ] && [ "$status" -ne 137 ] && break
  echo "the browser page stalled before the tests started (attempt $attempt of 3)"
done
[ "$status" -eq 0 ]

echo "== pack pkg/ and install the tarball into a scratch project"
tarball="$work/$(npm pack --silent --pack-destination "$work" ./pkg)"
consumer="$work/consumer"
cp -R tests/package/consumer "$consumer"
printf '{ "name": "scratch-consumer", "private": true, "type": "module" }\n' >"$consumer/package.json"
(cd "$consumer" && npm install --silent --no-audit --no-fund "$tarball")
export ATLAS_CONSUMER_DIR="$consumer"
# The package tests import it by name, through its exports map, as users do: the installed copy.
ln -sfn "$consumer/node_modules/atlas-export-jobs" node_modules/atlas-export-jobs

echo "== the package's Node tests (import and require, limits, hostile callers, the server, the command, the mock) on each Node LTS line"
bash tests/stacks/node-lts/run.sh

echo "== the packed package: the loading matrix, types, packaging, the README's examples, the demo page"
node --test tests/package/*.test.mjs tests/e2e/*.test.mjs

echo "== the stacks users build with: bundlers, frameworks, servers, runtimes, each from its lock file"
node --test tests/stacks/*.test.mjs
