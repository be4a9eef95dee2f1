// Benchmark (not a test): this package against a plain-JavaScript baseline that does the same work,
// in one run. Size of what a browser loads and of the tarball; per-call time against the mock Atlas
// on 127.0.0.1 for pages of 1, 100 and 500 jobs; decoding alone; cold start; memory around 10,000
// calls; throughput with 50 calls in flight; and, in pages built by Vite from the packed package
// (bench/browser.mjs), what importing it adds to the importing chunk, what the first call loads,
// and the time to the first listed page in Chromium on a slow link. Prints a table and writes
// bench/results.json (git-ignored). Run it with `bash scripts/bench.sh`, which builds the release
// package first.
//
//   node bench/run.mjs [--quick] [--only SECTIONS]
//     --quick takes fewer samples (a smoke run, not for quoting)
//     --only  runs some sections, comma-separated: size,call,decode,cold,memory,throughput,browser
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, platform, release, arch, tmpdir, totalmem } from "node:os";
import { request } from "node:http";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import * as esbuild from "esbuild";

import { measureBrowser, pkgTimestamp, SLOW_LINK, viteVersion } from "./browser.mjs";
import { CLIENTS, loadClient } from "./clients.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PKG = join(ROOT, "pkg");
const BASELINE = join(ROOT, "bench/baseline/atlas-export-jobs.mjs");
const RESULTS = join(ROOT, "bench/results.json");
const GROUP_ID = "6542a1b2c3d4e5f60718293a";
const TOKEN = "mock-atlas-token-7c1e0d5f";
const V2_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";

const SECTIONS = ["size", "call", "decode", "cold", "memory", "throughput", "browser"];
const { values: flags } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } } });
const QUICK = flags.quick;
const only = flags.only === undefined ? SECTIONS : flags.only.split(",").map((name) => name.trim());
for (const name of only) if (!SECTIONS.includes(name)) throw new Error(`--only: no section named "${name}" (sections: ${SECTIONS.join(", ")})`);
const runs = (section) => only.includes(section);
// Samples per client: enough for a stable median and p95 on a 2-core machine.
const CALLS = QUICK ? { 1: 60, 100: 60, 500: 30 } : { 1: 600, 100: 600, 500: 300 };
const DECODE_CALLS = QUICK ? 30 : 300;
const BLOCK = 20; // calls per client before switching, so drift hits both alike
const SECTION_LIMIT_MS = 120_000;
const COLD_RUNS = QUICK ? 3 : 15;
const MEMORY_CALLS = QUICK ? 1_000 : 10_000;
const MEMORY_PAGE = 100;
const THROUGHPUT = { calls: 1_000, inFlight: 50, itemsPerPage: 100, runs: QUICK ? 1 : 3 };
const SLOW_LOADS = QUICK ? 3 : 5;
// What importing the package may add, gzip'd, to the chunk of a Vite-built page that imports it.
const IMPORT_TARGET_BYTES = 4096;

const figures = [];
/** One row of the table: this package, the baseline, and package ÷ baseline. */
function figure(group, id, label, unit, pkg, baseline, extra = {}) {
  // A ratio of a shrinking figure (a negative growth) would mislead, so there is none.
  const ratio = typeof pkg === "number" && typeof baseline === "number" && baseline > 0 && pkg >= 0 ? pkg / baseline : null;
  figures.push({ group, id, label, unit, package: pkg, baseline, ratio, ...extra });
}

// ---- statistics ----------------------------------------------------------------------------------

const sorted = (values) => [...values].sort((a, b) => a - b);
const quantile = (values, q) => {
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (values) => quantile(values, 0.5);

// ---- size ----------------------------------------------------------------------------------------

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const sizes = (files) => {
  // Each file is its own response, compressed on its own.
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const bytes of files) {
    total.raw += bytes.length;
    total.gzip += gzip(bytes);
    total.brotli += brotli(bytes);
  }
  return total;
};

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** npm's own count of a directory's tarball. */
function packedSize(dir) {
  const [report] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  return report.size;
}

/** The files a module loads: itself and its static imports, recursively. */
function moduleFiles(path, seen = new Set()) {
  if (seen.has(path)) return seen;
  seen.add(path);
  const source = readFileSync(path, "utf8");
  const imports = [...source.matchAll(/(?:^|[;}\s])(?:import|export)[^"'();]*?from\s*["'](\.[^"']+)["']|(?:^|[;}\s])import\s*["'](\.[^"']+)["']/g)].map((m) => m[1] ?? m[2]);
  for (const specifier of imports) moduleFiles(join(dirname(path), specifier), seen);
  return seen;
}

/** The modules `path` imports dynamically (what it loads on demand). */
function dynamicImports(path) {
  return [...readFileSync(path, "utf8").matchAll(/import\(\s*["'](\.[^"']+)["']\s*\)/g)].map((m) => join(dirname(path), m[1]));
}

async function measureSize() {
  // What the browser entry (index.js) loads: the lean build by default (itself, the chunks it
  // imports, the lean glue's chunk if it loads that on demand, and the lean .wasm), and the full
  // build for a client with a secret scheme (the same entry with the full glue's chunk, and the
  // full .wasm instead). The glue chunks are chunks/lean.js and chunks/full.js.
  const read = (paths) => [...paths].map((path) => readFileSync(path));
  const entry = join(PKG, "index.js");
  const isLean = (path) => /^lean\.js$/.test(basename(path));
  const withGlue = (lean) => {
    const seen = moduleFiles(entry);
    for (const glue of dynamicImports(entry).filter((path) => isLean(path) === lean)) moduleFiles(glue, seen);
    return seen;
  };
  const leanJs = read(withGlue(true));
  const fullJs = read(withGlue(false));
  const leanWasm = readFileSync(join(PKG, "atlas_export_jobs_lean_bg.wasm"));
  const fullWasm = readFileSync(join(PKG, "atlas_export_jobs_bg.wasm"));
  const payload = sizes([leanWasm, ...leanJs]);
  const wasmOnly = sizes([leanWasm]);
  const glueOnly = sizes(leanJs);
  const full = sizes([fullWasm, ...fullJs]);

  const built = await esbuild.build({ entryPoints: [BASELINE], bundle: true, minify: true, format: "esm", write: false, target: "es2022" });
  const minified = Buffer.from(built.outputFiles[0].contents);
  const baseline = sizes([minified]);

  // The baseline as a package of its own: package.json and the minified file.
  const dir = mkdtempSync(join(tmpdir(), "baseline-pack-"));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "baseline-client", version: "0.0.0", type: "module", main: "index.js" }));
    writeFileSync(join(dir, "index.js"), minified);
    figure("size", "tarball", "packed tarball (npm pack)", "bytes", packedSize(PKG), packedSize(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const kind of ["raw", "gzip", "brotli"]) {
    figure("size", `payload-${kind}`, `browser payload, ${kind}`, "bytes", payload[kind], baseline[kind], {
      wasm: wasmOnly[kind],
      glue: glueOnly[kind],
    });
  }
  figure("size", "payload-full-gzip", "  with a service account or API key, gzip", "bytes", full.gzip, baseline.gzip);
  // The tarball row reads better last.
  figures.push(figures.splice(figures.findIndex((f) => f.id === "tarball"), 1)[0]);
}

// ---- the mock ------------------------------------------------------------------------------------

async function startMock() {
  const child = spawn(process.execPath, [join(ROOT, "pkg-template/testing/cli.mjs"), "--max-seconds", "3600", "--clusters", '{"Size500":500}'], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.split("\n")[0]);
    });
    child.once("exit", (code) => reject(new Error(`the mock exited with ${code}`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    // The mock logs every request; the log is cleared between sections so it does not grow for
    // hours. A connection of its own: a pooled one may have been closed by the server meanwhile.
    clearLog: () =>
      new Promise((resolve, reject) => {
        request(`${url}/__mock/requests`, { method: "DELETE", agent: false }, (response) => response.resume().on("end", resolve))
          .on("error", reject)
          .end();
      }),
    stop: () => child.kill(),
  };
}

// ---- per call --------------------------------------------------------------------------------------

/** Times `calls` calls of each client, in alternating blocks; returns the samples in ms. */
async function timeBoth(calls, makeCall) {
  const samples = { package: [], baseline: [] };
  const until = performance.now() + SECTION_LIMIT_MS;
  for (const which of CLIENTS) for (let i = 0; i < Math.min(50, calls); i++) await makeCall[which](); // warm-up
  for (let round = 0; samples.package.length < calls && performance.now() < until; round++) {
    const order = round % 2 === 0 ? CLIENTS : [...CLIENTS].reverse();
    for (const which of order) {
      for (let i = 0; i < BLOCK && samples[which].length < calls; i++) {
        const start = performance.now();
        await makeCall[which]();
        samples[which].push(performance.now() - start);
      }
    }
  }
  return samples;
}

function timingFigures(group, id, label, samples) {
  const stats = (which) => ({ median: median(samples[which]), p95: quantile(samples[which], 0.95), n: samples[which].length });
  const pkg = stats("package");
  const baseline = stats("baseline");
  figure(group, `${id}-median`, `${label}, median`, "ms", pkg.median, baseline.median, { samples: pkg.n });
  figure(group, `${id}-p95`, `${label}, p95`, "ms", pkg.p95, baseline.p95, { samples: pkg.n });
}

async function measurePerCall(mock, clients) {
  const options = { baseUrl: mock.url, accessToken: TOKEN };
  for (const jobs of [1, 100, 500]) {
    const params = { groupId: GROUP_ID, clusterName: "Size500", itemsPerPage: jobs };
    const makeCall = {};
    for (const which of CLIENTS) {
      makeCall[which] = async () => {
        const page = await clients[which].listExportJobs(params, options);
        if (page.results.length !== jobs) throw new Error(`${which}: got ${page.results.length} jobs, not ${jobs}`);
      };
    }
    await checkSameResult(clients, params, options);
    timingFigures("call", `call-${jobs}`, `listExportJobs, ${jobs} job${jobs === 1 ? "" : "s"} a page`, await timeBoth(CALLS[jobs], makeCall));
    await mock.clearLog();
  }
}

/** The comparison is only fair if both clients return the same page. */
async function checkSameResult(clients, params, options) {
  const [pkg, baseline] = await Promise.all(CLIENTS.map((which) => clients[which].listExportJobs(params, options)));
  if (JSON.stringify(pkg) !== JSON.stringify(baseline)) throw new Error("the package and the baseline returned different pages");
}

/**
 * Decoding alone: a 500-job body already in memory, handed over by a custom fetch as a fresh
 * Response each call, so what is timed is checking the call, reading the body text and turning
 * it into the page objects.
 */
async function measureDecode(mock, clients) {
  const url = `${mock.url}/api/atlas/v2/groups/${GROUP_ID}/clusters/Size500/backup/exports?itemsPerPage=500`;
  const text = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}`, Accept: V2_MEDIA_TYPE } }).then((r) => r.text());
  const respond = () => new Response(text, { status: 200, headers: { "Content-Type": V2_MEDIA_TYPE } });
  const params = { groupId: GROUP_ID, clusterName: "Size500", itemsPerPage: 500 };
  const client = new clients.package.AtlasClient({ baseUrl: "https://atlas.invalid", accessToken: TOKEN, fetch: async () => respond() });
  const options = { baseUrl: "https://atlas.invalid", accessToken: TOKEN, fetch: async () => respond() };
  const makeCall = {
    package: async () => {
      if ((await client.listExportJobs(params)).results.length !== 500) throw new Error("package: not 500 jobs");
    },
    baseline: async () => {
      if ((await clients.baseline.listExportJobs(params, options)).results.length !== 500) throw new Error("baseline: not 500 jobs");
    },
  };
  timingFigures("decode", "decode-500", "decode only, 500-job body in memory", await timeBoth(DECODE_CALLS, makeCall));
  return text.length;
}

// ---- fresh processes -----------------------------------------------------------------------------

function child(args, nodeFlags = []) {
  const out = execFileSync(process.execPath, [...nodeFlags, join(ROOT, "bench/child.mjs"), ...args.map(String)], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 600_000,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop());
}

async function measureColdStart(mock) {
  const runs = { package: [], baseline: [] };
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const which of i % 2 === 0 ? CLIENTS : [...CLIENTS].reverse()) runs[which].push(child(["cold-start", which, mock.url]));
  }
  const of = (which, key) => median(runs[which].map((r) => r[key]));
  figure("cold", "cold-total", `import to first completed call, median of ${COLD_RUNS}`, "ms", of("package", "totalMs"), of("baseline", "totalMs"));
  figure("cold", "cold-import", "  of which the import", "ms", of("package", "importMs"), of("baseline", "importMs"));
  await mock.clearLog();
}

async function measureMemory(mock) {
  const runs = {};
  for (const which of CLIENTS) {
    runs[which] = child(["memory", which, mock.url, MEMORY_CALLS, MEMORY_PAGE], ["--expose-gc"]);
    await mock.clearLog();
  }
  const { package: pkg, baseline } = runs;
  const calls = `${pkg.calls.toLocaleString("en-US")} calls`;
  figure("memory", "wasm-before", "wasm linear memory, after warm-up", "bytes", pkg.before.wasm, null);
  figure("memory", "wasm-growth", `wasm linear memory, growth over ${calls}`, "bytes", pkg.after.wasm - pkg.before.wasm, null);
  figure("memory", "rss-before", "process RSS, after warm-up", "bytes", pkg.before.rss, baseline.before.rss);
  figure("memory", "rss-growth", `process RSS, growth over ${calls}`, "bytes", pkg.after.rss - pkg.before.rss, baseline.after.rss - baseline.before.rss);
  figure("memory", "heap-growth", `JS heap used, growth over ${calls}`, "bytes", pkg.after.heapUsed - pkg.before.heapUsed, baseline.after.heapUsed - baseline.before.heapUsed);
  return runs;
}

async function measureThroughput(mock) {
  const { calls, inFlight, itemsPerPage, runs: count } = THROUGHPUT;
  const runs = { package: [], baseline: [] };
  for (let i = 0; i < count; i++) {
    for (const which of i % 2 === 0 ? CLIENTS : [...CLIENTS].reverse()) {
      runs[which].push(child(["throughput", which, mock.url, calls, inFlight, itemsPerPage]));
      await mock.clearLog();
    }
  }
  const best = (which) => median(runs[which].map((r) => r.callsPerSecond));
  const failures = (which) => runs[which].reduce((n, r) => n + r.failed + (r.calls - r.succeeded - r.failed), 0);
  figure("throughput", "throughput", `calls per second, median of ${count} runs`, "calls/s", best("package"), best("baseline"), {
    failures: { package: failures("package"), baseline: failures("baseline") },
  });
  return runs;
}

// ---- in a browser ----------------------------------------------------------------------------------

async function measureInBrowser(mock) {
  const result = await measureBrowser({
    mockUrl: mock.url,
    groupId: GROUP_ID,
    token: TOKEN,
    slowLoads: SLOW_LOADS,
    log: (message) => console.error(`browser: ${message}`),
  });
  const { importCost, firstCall, payload, firstListed } = result;
  const target = IMPORT_TARGET_BYTES.toLocaleString("en-US");
  figure("bundle", "vite-import-gzip", `import adds to the importing chunk, gzip (target ${target})`, "bytes", importCost.package, importCost.baseline, {
    target: IMPORT_TARGET_BYTES,
    met: importCost.package <= IMPORT_TARGET_BYTES,
  });
  figure("bundle", "vite-first-call-gzip", "loaded at the first call (glue chunks + .wasm), gzip", "bytes", firstCall.package, firstCall.baseline);
  figure("bundle", "vite-page-gzip", "page payload, listing on load (all .js + .wasm), gzip", "bytes", payload.package, payload.baseline);
  const label = `navigation start to ${result.jobs} jobs rendered, median of ${SLOW_LOADS}`;
  figure("slow", "slow-first-listed", label, "ms", firstListed.package, firstListed.baseline, { samples: SLOW_LOADS });
  await mock.clearLog();
  return result.details;
}

// ---- the table -----------------------------------------------------------------------------------

const GROUPS = {
  size: "Size (bytes; the browser entry's .js files and .wasm, each compressed on its own)",
  bundle: `A page built by Vite ${viteVersion()} from the packed package (bytes; each .js and .wasm gzip'd on its own)`,
  call: "Per call: listExportJobs against the mock on 127.0.0.1 (ms)",
  decode: "Decode only (ms)",
  cold: "Cold start: a fresh Node process, import to the first completed 100-job call (ms)",
  slow: `Slow link: a Vite-built page listing jobs on load, Chromium at ${SLOW_LINK.downloadKbps / 1000} Mbps down, ${SLOW_LINK.uploadKbps} kbps up, ${SLOW_LINK.latencyMs} ms latency, no cache (ms)`,
  memory: `Memory around ${MEMORY_CALLS.toLocaleString("en-US")} sequential 100-job calls after 500 warm-up calls (bytes)`,
  throughput: `Throughput: ${THROUGHPUT.calls.toLocaleString("en-US")} calls of 100 jobs, ${THROUGHPUT.inFlight} in flight`,
};

function format(value, unit) {
  if (value === null || value === undefined) return "n/a";
  if (unit === "ms") return value.toFixed(value < 10 ? 2 : 1);
  if (unit === "calls/s") return value.toFixed(0);
  const sign = value < 0 ? "-" : "";
  return sign + Math.abs(Math.round(value)).toLocaleString("en-US");
}

function table(header) {
  const lines = [header, `${"".padEnd(58)}${"package".padStart(12)}${"baseline".padStart(12)}${"ratio".padStart(9)}`];
  for (const [group, title] of Object.entries(GROUPS)) {
    const rows = figures.filter((f) => f.group === group);
    if (rows.length === 0) continue;
    lines.push(title);
    for (const f of rows) {
      const ratio = f.ratio === null ? "" : `${f.ratio.toFixed(2)}x`;
      lines.push(`  ${f.label.padEnd(56)}${format(f.package, f.unit).padStart(12)}${format(f.baseline, f.unit).padStart(12)}${ratio.padStart(9)}`);
    }
  }
  return lines.join("\n");
}

// ---- main ----------------------------------------------------------------------------------------

const machine = {
  date: new Date().toISOString().slice(0, 10),
  os: `${platform()} ${release()} ${arch()}`,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  memoryBytes: totalmem(),
  node: process.version,
};

// Every figure is of the package as pkg/ holds it now.
const pkgBuilt = pkgTimestamp();
if (runs("size")) await measureSize();
const mock = await startMock();
const details = {};
try {
  const clients = {};
  if (runs("call") || runs("decode")) for (const which of CLIENTS) clients[which] = await loadClient(which);
  if (runs("call")) await measurePerCall(mock, clients);
  if (runs("decode")) details.bodyBytes500 = await measureDecode(mock, clients);
  if (runs("cold")) await measureColdStart(mock);
  if (runs("memory")) details.memory = await measureMemory(mock);
  if (runs("throughput")) details.throughput = await measureThroughput(mock);
  if (runs("browser")) details.browser = await measureInBrowser(mock);
} finally {
  mock.stop();
}
if (pkgTimestamp() !== pkgBuilt) console.error(`pkg/ changed during the run (${pkgBuilt}, now ${pkgTimestamp()}): run it again`);

const header = `atlas-export-jobs vs a plain-JS baseline, ${machine.date}, ${machine.cores}-core ${machine.cpu}, Node ${machine.node}${QUICK ? " (--quick)" : ""}\npkg/ as of ${pkgBuilt}; ratio = package / baseline`;
console.log(table(header));
writeFileSync(RESULTS, `${JSON.stringify({ machine, quick: QUICK, sections: only, pkgBuilt, figures, details }, null, 2)}\n`);
console.log(`\nwrote ${RESULTS.slice(ROOT.length)}`);
