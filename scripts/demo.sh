#!/usr/bin/env bash
# The main job: builds the package and serves the demo page on 127.0.0.1 against the embedded mock
# Atlas. Pass --atlas-base-url URL to list from that Atlas instead, through a same-origin proxy that
# holds the credentials of MONGODB_ATLAS_CLIENT_ID + MONGODB_ATLAS_CLIENT_SECRET (a service
# account) or MONGODB_ATLAS_PUBLIC_API_KEY + MONGODB_ATLAS_PRIVATE_API_KEY (an API key);
# MONGODB_ATLAS_PROJECT_ID fills in the project. --port N chooses the page's port (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
# Arguments and variables first, so a missing one is reported before minutes of building.
node www/serve.mjs --check "$@"
bash scripts/setup.sh
bash scripts/build.sh
exec node www/serve.mjs "$@"
