#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine of this kind, and nothing that is
# already there: the wasm target, the wasm-bindgen CLI at the crate's exact version, npm packages,
# and with --browser Debian's Chromium and ChromeDriver.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add clippy
fi

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly, or the glue will not load.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$bindgen_version"; then
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if [ "${1:-}" = "--browser" ] && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -d node_modules/.bin ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
