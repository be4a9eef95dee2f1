#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen glue (one --target web build for
# every runtime), wasm-opt -Oz, then the hand-written files of pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."

crate=atlas_export_jobs
cargo build --release --target wasm32-unknown-unknown --lib
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name "$crate" "target/wasm32-unknown-unknown/release/$crate.wasm"
# Debian's binaryen is too old for this rustc's output; the npm package is current.
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "pkg/${crate}_bg.wasm" -o "pkg/${crate}_bg.wasm"
cp -R pkg-template/. pkg/
wasm="pkg/${crate}_bg.wasm"
packed=$(npm pack --dry-run --json ./pkg | node -e 'const [r] = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(`${r.size} bytes packed (${r.unpackedSize} unpacked, ${r.entryCount} files)`)')
echo "built pkg/: .wasm $(wc -c <"$wasm") bytes ($(gzip -9c "$wasm" | wc -c) gzipped); tarball $packed"
