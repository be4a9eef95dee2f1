#!/usr/bin/env bash
# Builds the npm package into pkg/. Two release builds of the wasm shell: the full one (every auth
# scheme), which Node loads and a browser loads only for a client configured with a service
# account or an API key, and the lean one (bearer, token broker, none), which a browser loads by
# default. Then wasm-bindgen glue for each (--target web), wasm-opt, the hand-written files of
# pkg-template/, and the browser entry bundled and minified by esbuild into index.js.
set -euo pipefail
cd "$(dirname "$0")/.."

crate=atlas_export_jobs
built="target/wasm32-unknown-unknown/release/$crate.wasm"
rm -rf pkg
cargo build --release --target wasm32-unknown-unknown --lib --no-default-features
wasm-bindgen --target web --out-dir pkg --out-name "${crate}_lean" "$built"
cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir pkg --out-name "$crate" "$built"
# Debian's binaryen is too old for this rustc's output; the npm package is current.
for wasm in pkg/*_bg.wasm; do
  node_modules/.bin/wasm-opt -Oz --converge --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm"
done
cp -R pkg-template/. pkg/
# The entries read a caller's arguments with the same code as the module (src/js/snapshot.js),
# through a path that does not change with wasm-bindgen's hash of the crate.
snippet=$(cd pkg && ls snippets/*/src/js/snapshot.js)
echo "export { copy } from \"./$snippet\";" >pkg/snapshot.js
# The command's manual ships with it.
mkdir -p pkg/docs && cp docs/cli.md pkg/docs/cli.md
# One minified file for what a page loads first; the full build's glue is a chunk loaded on demand.
node_modules/.bin/esbuild pkg/browser.js --bundle --format=esm --splitting --minify \
  --outdir=pkg --entry-names=index --chunk-names='chunks/[name]-[hash]' --log-level=warning
rm pkg/browser.js pkg/"${crate}"_lean.js pkg/*.d.ts
# The types, generated natively from src/declarations.rs; the hand-written .d.ts files declare the functions.
cargo run --quiet --bin types >pkg/types.d.ts
cp pkg-template/*.d.ts pkg/
size() { echo "$(wc -c <"$1") bytes ($(gzip -9c "$1" | wc -c) gzipped)"; }
packed=$(npm pack --dry-run --json ./pkg | node -e 'const [r] = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(`${r.size} bytes packed (${r.unpackedSize} unpacked, ${r.entryCount} files)`)')
echo "built pkg/: lean .wasm $(size "pkg/${crate}_lean_bg.wasm"), full .wasm $(size "pkg/${crate}_bg.wasm"), index.js $(size pkg/index.js); tarball $packed"
