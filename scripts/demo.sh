#!/usr/bin/env bash
# The main job: builds the package and serves the demo page against the embedded mock Atlas on
# 127.0.0.1. Pass --atlas-base-url URL to point the page at a real Atlas or a proxy instead, and
# --port N to choose the page's port (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node www/serve.mjs "$@"
