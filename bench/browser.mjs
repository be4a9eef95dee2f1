// The benchmark's browser figures: what a Vite-built page pays for the package, against the same
// page built with the plain-JavaScript baseline. The package is packed from pkg/ as it is when this
// runs and installed from the tarball into a scratch project, as a user installs it; each page is
// built by the workspace's Vite with no configuration and served, gzip'd, by a small static server.
//
// - Import cost: a page that lists jobs on a click, with the client and without it. What the page
//   loads before the click, with the client minus without, is what importing it adds; what it loads
//   at the click is what the first call fetches (the package's glue chunks and .wasm).
// - A page that lists jobs on load with a bearer token: every .js and .wasm it loads, each gzip'd on
//   its own, and the time from navigation start to the jobs rendered in headless Chromium on a slow
//   link. Both clients list the same jobs from the same mock Atlas, cross-origin as a page would.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

import { launchChromium } from "../tests/support/chromium.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PKG = join(ROOT, "pkg");
const BASELINE = join(ROOT, "bench/baseline/atlas-export-jobs.mjs");
const VITE = join(ROOT, "node_modules/.bin/vite");
const CLUSTER = "Cluster0";

/** The slow link (kilobits per second, milliseconds added to each request), as Chrome DevTools throttles. */
export const SLOW_LINK = { downloadKbps: 1_600, uploadKbps: 750, latencyMs: 150 };

const execFileAsync = promisify(execFile);
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const median = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1];

/** Runs a command to completion (at most five minutes); returns what it printed. */
async function run(command, args, cwd) {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, timeout: 300_000, maxBuffer: 16 << 20 });
    return `${stdout}${stderr}`;
  } catch (error) {
    error.message += `\n${error.stdout ?? ""}${error.stderr ?? ""}`;
    throw error;
  }
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// ---- the pages -----------------------------------------------------------------------------------

// How each page gets its client. "none" is the same page with a stand-in, to measure the import against.
const IMPORTS = {
  package: 'import { listExportJobs } from "atlas-export-jobs";',
  baseline: 'import { listExportJobs } from "./atlas-client.mjs";',
  none: "const listExportJobs = async () => ({ results: [] });",
};

/** The page's module: lists the jobs of CLUSTER (settings from the page's query) on a click or on load. */
function entrySource(client, when) {
  return `${IMPORTS[client]}

const query = new URLSearchParams(location.search);

async function showJobs() {
  try {
    const page = await listExportJobs(
      { groupId: query.get("groupId"), clusterName: "${CLUSTER}" },
      { baseUrl: query.get("baseUrl"), accessToken: query.get("token") },
    );
    const items = page.results.map((job) => Object.assign(document.createElement("li"), { textContent: \`\${job.id} \${job.state}\` }));
    document.querySelector("#jobs").replaceChildren(...items);
    performance.mark("jobs-rendered");
    window.jobsRendered = { at: performance.now(), count: items.length };
  } catch (error) {
    window.jobsRendered = { error: String(error) };
  }
}

${when === "click" ? 'document.querySelector("#list").addEventListener("click", showJobs);\nwindow.pageReady = true;' : "showJobs();"}
`;
}

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Export jobs</title>
  </head>
  <body>
    <button id="list" type="button">List export jobs</button>
    <ul id="jobs"></ul>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`;

/** Builds the page `name` with `vite build` into its dist/ and returns what Vite printed. */
async function buildPage(project, name, client, when) {
  const dir = join(project, "pages", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), PAGE_HTML);
  writeFileSync(join(dir, "main.js"), entrySource(client, when));
  if (client === "baseline") copyFileSync(BASELINE, join(dir, "atlas-client.mjs"));
  const output = await run(VITE, ["build", "--outDir", "dist", "--emptyOutDir", "--logLevel", "warn"], dir);
  const dist = join(dir, "dist");
  const emitted = walk(dist).map((path) => ({ file: relative(dist, path).split(sep).join("/"), raw: statSync(path).size, gzip: gzip(readFileSync(path)) }));
  return { dir: dist, warnings: output.trim(), emitted };
}

// ---- serving and loading -------------------------------------------------------------------------

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** Serves `dir` on 127.0.0.1, gzip'd (level 9) to a client that accepts it, and never cached. */
async function serve(dir) {
  const files = new Map();
  for (const path of walk(dir)) {
    const raw = readFileSync(path);
    files.set(`/${relative(dir, path).split(sep).join("/")}`, { raw, gzipped: gzipSync(raw, { level: 9 }), type: TYPES[extname(path)] ?? "application/octet-stream" });
  }
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, "http://localhost");
    const file = files.get(pathname === "/" ? "/index.html" : pathname);
    if (!file) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const gzipped = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
    const body = gzipped ? file.gzipped : file.raw;
    response.writeHead(200, {
      "Content-Type": file.type,
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      ...(gzipped ? { "Content-Encoding": "gzip" } : {}),
    });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

/** The .js and .wasm files of `dist` that `urls` name (served from `origin`), with their sizes. */
function loadedFiles(dist, origin, urls) {
  const paths = [...new Set(urls.filter((url) => url.startsWith(`${origin}/`)).map((url) => new URL(url).pathname))];
  return paths
    .filter((path) => /\.(m?js|wasm)$/.test(path))
    .sort()
    .map((path) => {
      const bytes = readFileSync(join(dist, ...path.split("/")));
      return { file: path.slice(1), raw: bytes.length, gzip: gzip(bytes) };
    });
}

const totalGzip = (files) => files.reduce((sum, file) => sum + file.gzip, 0);

/** The jobs a page rendered, once it has (within `timeoutMs`); throws what the page reports instead. */
async function renderedJobs(page, timeoutMs) {
  await page.waitForFunction(() => window.jobsRendered !== undefined, undefined, { timeout: timeoutMs });
  const rendered = await page.evaluate(() => window.jobsRendered);
  if (rendered.error) throw new Error(`the page failed to list jobs: ${rendered.error}`);
  const ids = await page.$$eval("#jobs li", (items) => items.map((item) => item.textContent.split(" ")[0]));
  return { ...rendered, ids };
}

/**
 * Opens the page and records the files it loads: on load (for a page that lists on load, the call
 * included) and, with `click`, from the click on its button to the jobs rendered (the first call).
 */
async function recordLoads(browser, served, dist, query, { click }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  const requests = { atLoad: [], atFirstCall: [] };
  let phase = "atLoad";
  page.on("request", (request) => requests[phase].push(request.url()));
  try {
    await page.goto(`${served.url}/?${query}`, { waitUntil: "networkidle", timeout: 60_000 });
    if (click) {
      await page.waitForFunction(() => window.pageReady === true, undefined, { timeout: 30_000 });
      phase = "atFirstCall";
      await page.click("#list");
    }
    const jobs = await renderedJobs(page, 60_000);
    if (problems.length > 0) throw new Error(`the page threw: ${problems.join("; ")}`);
    return {
      atLoad: loadedFiles(dist, served.url, requests.atLoad),
      atFirstCall: loadedFiles(dist, served.url, requests.atFirstCall),
      jobs,
    };
  } finally {
    await context.close();
  }
}

/**
 * One load of the page on the slow link, in a fresh context with the cache disabled: the time from
 * navigation start to the jobs rendered, as the page measured it.
 */
async function slowLoad(browser, served, query, expectedCount) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: SLOW_LINK.latencyMs,
      downloadThroughput: (SLOW_LINK.downloadKbps * 1000) / 8,
      uploadThroughput: (SLOW_LINK.uploadKbps * 1000) / 8,
    });
    await page.goto(`${served.url}/?${query}`, { waitUntil: "commit", timeout: 60_000 });
    const jobs = await renderedJobs(page, 120_000);
    if (jobs.count !== expectedCount) throw new Error(`the page rendered ${jobs.count} jobs, not ${expectedCount}`);
    // What went over the wire from the page's own server (the mock sends no Timing-Allow-Origin).
    const transferred = await page.evaluate(() =>
      [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce((sum, entry) => sum + entry.transferSize, 0),
    );
    return { ms: jobs.at, transferred };
  } finally {
    await context.close();
  }
}

// ---- the measurement -----------------------------------------------------------------------------

/** When pkg/ last changed: the newest modification time of its files (ISO 8601). */
export function pkgTimestamp() {
  return new Date(Math.max(...walk(PKG).map((path) => statSync(path).mtimeMs))).toISOString();
}

/** The version of Vite the pages are built with: the workspace's. */
export function viteVersion() {
  return JSON.parse(readFileSync(join(ROOT, "node_modules/vite/package.json"), "utf8")).version;
}

/** Packs pkg/ into `dir` and installs the tarball into `project`; returns the tarball's facts. */
async function installPackage(dir, project) {
  const newest = pkgTimestamp();
  const [packed] = JSON.parse(await run("npm", ["pack", "--json", "--silent", "--pack-destination", dir, PKG], ROOT));
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "package.json"), '{ "name": "bench-pages", "private": true, "type": "module" }\n');
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(dir, packed.filename)], project);
  return { filename: packed.filename, shasum: packed.shasum, size: packed.size, pkgTimestamp: newest };
}

/**
 * Builds the pages and measures them. `mockUrl`, `groupId` and `token`: a running mock Atlas that
 * answers cross-origin requests. `slowLoads`: loads of each page on the slow link (the median is kept).
 */
export async function measureBrowser({ mockUrl, groupId, token, slowLoads, log = () => {} }) {
  try {
    statSync(join(PKG, "package.json"));
  } catch {
    throw new Error("pkg/ holds no package: build it first (bash scripts/build.sh)");
  }
  const scratch = mkdtempSync(join(tmpdir(), "atlas-export-jobs-bench-"));
  const servers = [];
  let browser;
  try {
    const project = join(scratch, "project");
    log("packing pkg/ and installing the tarball");
    const tarball = await installPackage(scratch, project);
    const vite = viteVersion();

    log(`building five pages with Vite ${vite}`);
    const pages = {};
    for (const [name, client, when] of [
      ["click-none", "none", "click"],
      ["click-package", "package", "click"],
      ["click-baseline", "baseline", "click"],
      ["load-package", "package", "load"],
      ["load-baseline", "baseline", "load"],
    ]) {
      pages[name] = await buildPage(project, name, client, when);
    }
    for (const page of Object.values(pages)) {
      page.served = await serve(page.dir);
      servers.push(page.served);
    }

    browser = await launchChromium();
    const query = new URLSearchParams({ baseUrl: mockUrl, groupId, token }).toString();
    log("loading the pages in Chromium");
    const loads = {};
    for (const [name, page] of Object.entries(pages)) {
      loads[name] = await recordLoads(browser, page.served, page.dir, query, { click: name.startsWith("click-") });
    }
    // The comparison is only fair if every page listed the same jobs.
    const expected = loads["click-package"].jobs;
    if (expected.count === 0) throw new Error("the page listed no jobs");
    for (const name of ["click-baseline", "load-package", "load-baseline"]) {
      if (JSON.stringify(loads[name].jobs.ids) !== JSON.stringify(expected.ids)) throw new Error(`${name} listed other jobs than click-package`);
    }

    // Vite puts a page's static imports in its one entry chunk, so what the page loads before the
    // click, less the same page's without the client, is what the import adds to that chunk.
    const loadedAtLoad = (name) => totalGzip(loads[name].atLoad);
    const importCost = {
      package: loadedAtLoad("click-package") - loadedAtLoad("click-none"),
      baseline: loadedAtLoad("click-baseline") - loadedAtLoad("click-none"),
    };
    const firstCall = { package: totalGzip(loads["click-package"].atFirstCall), baseline: totalGzip(loads["click-baseline"].atFirstCall) };
    const payload = { package: totalGzip(loads["load-package"].atLoad), baseline: totalGzip(loads["load-baseline"].atLoad) };

    log(`${slowLoads} loads of each page on the slow link`);
    const slow = { package: [], baseline: [] };
    for (let i = 0; i < slowLoads; i++) {
      // Alternating, so that drift hits both alike.
      for (const client of i % 2 === 0 ? ["package", "baseline"] : ["baseline", "package"]) {
        slow[client].push(await slowLoad(browser, pages[`load-${client}`].served, query, expected.count));
      }
    }

    return {
      importCost,
      firstCall,
      payload,
      firstListed: { package: median(slow.package.map((s) => s.ms)), baseline: median(slow.baseline.map((s) => s.ms)) },
      jobs: expected.count,
      details: {
        tarball,
        vite,
        slowLink: SLOW_LINK,
        viteWarnings: Object.fromEntries(Object.entries(pages).map(([name, page]) => [name, page.warnings])),
        // What each page loaded on load and at the first call (a click), and all that Vite emitted.
        files: Object.fromEntries(
          Object.entries(loads).map(([name, { atLoad, atFirstCall }]) => [name, { atLoad, atFirstCall, emitted: pages[name].emitted }]),
        ),
        slowLoads: slow,
      },
    };
  } finally {
    await browser?.close();
    for (const server of servers) await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
