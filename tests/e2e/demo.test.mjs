// The demo console in headless Chromium, served by the same code as the main-job command: against
// the embedded mock (results first, the details panel, errors in words, the phone layout, live
// mode, the keyboard, axe-core), and in real-Atlas mode against an Atlas-compatible server through
// the demo's proxy. Screenshots go to test-artifacts/ for people to look at.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobInState, jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { clockedRunOf, stepOf } from "../../pkg-template/testing/running-exports.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { DEMO_JOB_STEP_MS, startDemo } from "../../www/server.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const AXE_SOURCE = readFileSync(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")), "utf8");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const CLUSTER0 = jobsFor(MOCK_GROUP_ID, "Cluster0");
/** What the tests measured, written to test-artifacts/measurements.json for people to read. */
const measured = {};

/**
 * Follows a page's problems: errors in its console, unhandled rejections, and failed loads of
 * anything but the API (Chromium logs each 4xx of the API too; those are the answers under test).
 * `mayFail` says which requests may fail: the API's, which the page cancels on purpose.
 */
function watchProblems(page, isApi, mayFail = isApi) {
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location()?.url ?? "";
    if (message.text().startsWith("Failed to load resource") && isApi(url)) return;
    problems.push(`console: ${message.text()} (${url})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !isApi(response.url())) problems.push(`${response.status()} for ${response.url()}`);
  });
  // A new navigation cancels what the page it leaves was still loading (such as its favicon): that
  // is no failure of the page. Each request remembers which navigation it belongs to.
  let navigation = 0;
  const navigationOf = new WeakMap();
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigation++;
    navigationOf.set(request, navigation);
  });
  page.on("requestfailed", (request) => {
    const leftBehind = request.failure()?.errorText === "net::ERR_ABORTED" && navigationOf.get(request) !== navigation;
    if (!mayFail(request.url()) && !leftBehind) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  return problems;
}

/** Runs axe-core on the page as it is; the violations that matter are serious or critical. */
async function axe(page, label) {
  // Evaluated through the debugging protocol, which the page's content security policy allows.
  await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const summary = violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  (measured.axe ??= {})[label] = summary;
  return summary.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Chromium's own accessibility tree: how many nodes of each role the jobs table exposes, and how
 * many columns the layout shows (narrow screens leave out the ids the panel holds).
 */
async function tableRoles(page) {
  const session = await page.context().newCDPSession(page);
  const { nodes } = await session.send("Accessibility.getFullAXTree");
  await session.detach();
  const counts = {};
  for (const node of nodes) {
    const role = node.role?.value;
    if (["table", "row", "cell", "columnheader", "gridcell", "rowgroup"].includes(role)) counts[role] = (counts[role] ?? 0) + 1;
  }
  counts.shownColumns = await page.$$eval("#jobs thead th", (ths) => ths.filter((th) => getComputedStyle(th).display !== "none").length);
  return counts;
}

after(() => writeFileSync(`${ARTIFACTS}measurements.json`, `${JSON.stringify(measured, null, 2)}\n`));

describe("the demo console against the embedded mock", () => {
  let demo;
  let browser;
  let page;
  let problems;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The demo's jobs move on the mock's clock; stopped here, each test sees the dataset it checks.
    const startedAt = Date.now();
    demo = await startDemo({ mock: { latencyMs: 20, maxSeconds: 600, now: () => startedAt } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  beforeEach(async () => {
    demo.mock.reset();
    await newPage(DESKTOP);
  });
  afterEach(async () => {
    // What went wrong while the page was in use; closing it cancels whatever it was still loading.
    const seen = [...problems];
    await page.close();
    assert.deepEqual(seen, [], "no console errors, unhandled rejections or failed loads");
  });

  const isApi = (url) => url.startsWith(demo.mock.url);

  async function newPage(viewport, options = {}) {
    page = await browser.newPage({ viewport, ...options });
    problems = watchProblems(page, isApi);
    await open();
  }

  async function open(suffix = "") {
    await page.goto(`${demo.url}${suffix}`);
    await idle();
  }

  /** Waits until no listing is in flight and the page says how it went. */
  async function idle() {
    await page.waitForFunction(() => {
      const summary = document.querySelector("#summary").textContent;
      return (
        document.querySelector("#jobs").getAttribute("aria-busy") === "false" &&
        ((summary !== "" && summary !== "Loading…") || !document.querySelector("#error").hidden)
      );
    });
  }

  const ids = () => page.$$eval("#jobs tbody tr", (rows) => rows.map((row) => row.dataset.id));
  const apiGets = () => demo.mock.requests.filter((r) => r.method === "GET").length;
  const text = (selector) => page.textContent(selector);

  /** Opens the settings if they are folded away, changes them, and lists. */
  async function listWith(values) {
    if (await page.isVisible("#edit")) await page.click("#edit");
    for (const [name, value] of Object.entries(values)) await page.fill(`#${name}`, value);
    await page.click("#list");
    await idle();
  }

  async function noHorizontalOverflow() {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`);
  }

  it("lists the first page on load, results first: the settings in one line and at least 12 jobs above the fold", async () => {
    assert.deepEqual(await ids(), CLUSTER0.slice(0, 20).map((j) => j.id));
    assert.equal(await text("#summary"), "1–20 of 42");
    assert.ok(await page.isHidden("#query"), "the form is folded away");
    assert.ok(await page.isVisible("#edit"));
    const facts = await page.$$eval(".facts dd", (dds) => dds.map((dd) => dd.textContent));
    assert.deepEqual(facts, ["Cluster0", MOCK_GROUP_ID, "access token", demo.mock.url]);
    const summaryBar = await page.$eval("#connection-summary", (el) => el.getBoundingClientRect().height);
    assert.ok(summaryBar <= 48, `the settings take one line (${summaryBar}px)`);

    const aboveFold = await page.$$eval("#jobs tbody tr", (rows) => rows.filter((row) => row.getBoundingClientRect().bottom <= innerHeight).length);
    measured.rowsAboveFoldAt1280x800 = aboveFold;
    assert.ok(aboveFold >= 12, `${aboveFold} job rows above the fold`);

    // State counts as filter chips, in the order jobs move through.
    const chips = await page.$$eval("#chips .chip", (list) => list.map((chip) => chip.textContent));
    const byState = (state) => CLUSTER0.slice(0, 20).filter((j) => j.state === state).length;
    assert.deepEqual(chips, ["All20", ...["Queued", "InProgress", "Successful", "Failed", "Cancelled"].map((s) => `${s}${byState(s)}`)]);
    // Whole ids, in monospace, never cut.
    const idCells = await page.$$eval("#jobs tbody td.c-id a", (links) =>
      links.map((a) => ({ text: a.textContent, cut: a.scrollWidth > a.clientWidth + 1, font: getComputedStyle(a).fontFamily })),
    );
    assert.ok(idCells.every((c) => c.text.length === 24 && !c.cut && /mono/i.test(c.font)), "24-character ids in monospace");
    // Numbers line up: right-aligned tabular figures.
    const exported = await page.$eval("#jobs tbody td.c-exported", (td) => [getComputedStyle(td).textAlign, getComputedStyle(td.querySelector(".num")).fontVariantNumeric]);
    assert.deepEqual(exported, ["right", "tabular-nums"]);
    assert.ok((await page.$$("#jobs .bar .fill")).length > 0, "progress bars");
    const created = await page.$eval("#jobs tbody td.c-created time", (t) => t.title);
    assert.match(created, /UTC · \d+ months? ago$/, "the full and relative time on hover");
    await noHorizontalOverflow();
    const roles = await tableRoles(page);
    assert.deepEqual([roles.table, roles.row, roles.columnheader, roles.cell], [1, 21, roles.shownColumns, 20 * roles.shownColumns]);
    assert.equal(roles.shownColumns, 7, "the bucket id waits in the panel below 1400 px");
    await page.screenshot({ path: `${ARTIFACTS}console-1280x800.png` });
  });

  it("fits a phone: the first job on the first screen, short rows, no sideways scroll, a real table", async () => {
    await page.close();
    await newPage(PHONE);
    const rows = await page.$$eval("#jobs tbody tr", (list) => list.map((row) => row.getBoundingClientRect().toJSON()));
    measured.phoneFirstJob = { top: rows[0].top, bottom: rows[0].bottom };
    measured.phoneRowHeights = { max: Math.max(...rows.map((r) => r.height)), min: Math.min(...rows.map((r) => r.height)) };
    assert.ok(rows[0].bottom <= PHONE.height, `the first job ends at ${rows[0].bottom}px, within the first screen`);
    for (const row of rows) assert.ok(row.height <= 120, `a row is ${row.height}px tall`);
    await noHorizontalOverflow();
    // State pills are as wide as their words, not the row.
    const pills = await page.$$eval("#jobs tbody .pill", (list) => list.map((pill) => pill.getBoundingClientRect().width));
    assert.ok(pills.every((w) => w < 130), `pill widths ${Math.max(...pills)}px at most`);
    // The same table, row and cell roles as on a desktop.
    const roles = await tableRoles(page);
    measured.phoneTableRoles = roles;
    assert.deepEqual([roles.table, roles.row, roles.columnheader], [1, 21, roles.shownColumns]);
    assert.equal(roles.shownColumns, 6);
    // Cells left empty (no reason, no custom data) are not drawn, and not in the tree.
    assert.ok(roles.cell >= 20 * 5 && roles.cell <= 20 * 6, `${roles.cell} cells`);
    await page.screenshot({ path: `${ARTIFACTS}console-390x844.png` });
    await page.screenshot({ path: `${ARTIFACTS}console-390x844-full.png`, fullPage: true });
  });

  it("pages forward and back", async () => {
    const all = CLUSTER0.map((j) => j.id);
    await page.click("#next");
    await idle();
    assert.equal(await text("#page-label"), "Page 2 of 3");
    assert.deepEqual(await ids(), all.slice(20, 40));
    await page.click("#next");
    await idle();
    assert.deepEqual(await ids(), all.slice(40));
    assert.ok(await page.isDisabled("#next"), "no page after the last");
    await page.click("#prev");
    await idle();
    await page.click("#prev");
    await idle();
    assert.deepEqual(await ids(), all.slice(0, 20));
    assert.ok(await page.isDisabled("#prev"));
  });

  it("loads all 1234 jobs of Big0 in three requests of 500, whatever the page size", async () => {
    demo.mock.setLatency(60);
    await page.selectOption("#itemsPerPage", "10");
    await idle();
    await listWith({ clusterName: "Big0" });
    assert.equal((await ids()).length, 10);
    const before = demo.mock.requests.length;
    await page.click("#loadAll");
    await page.waitForSelector("#progress:not([hidden])");
    await page.waitForFunction(() => /of 1,234 jobs/.test(document.querySelector("#progress-text").textContent));
    await idle();
    assert.equal(await text("#summary"), "All 1,234");
    assert.equal((await ids()).length, 1234);
    assert.ok(await page.isHidden("#progress"));
    const sizes = demo.mock.requests.slice(before).filter((r) => r.method === "GET").map((r) => r.query.itemsPerPage);
    assert.deepEqual(sizes, ["500", "500", "500"]);
    assert.ok(await page.isHidden("#prev"), "no Previous or Next for all pages");
    assert.ok(await page.isVisible("#pages"));
  });

  it("cancels a load in progress and keeps the listing it had", async () => {
    await listWith({ clusterName: "Big0" });
    const before = apiGets();
    // The first page as Atlas would send it, then the next two never answer: Cancel ends them.
    const first = { links: [{ href: "https://cloud.mongodb.com/next", rel: "next" }], results: jobsFor(MOCK_GROUP_ID, "Big0").slice(0, 500), totalCount: 1234 };
    demo.mock.injectFault({ cluster: "Big0", fault: { raw: JSON.stringify(first) } });
    demo.mock.injectFault({ cluster: "Big0", fault: "hang", times: 2 });
    await page.click("#loadAll");
    await page.waitForFunction(() => /^500 of 1,234 jobs/.test(document.querySelector("#progress-text").textContent));
    await waitFor(() => apiGets() === before + 3, "the two further pages are asked for");
    await page.click("#cancel");
    await idle();
    assert.match(await text("#summary"), /^1–20 of 1,234 · load cancelled$/);
    assert.equal(await text("#page-label"), "Page 1 of 62");
    const sent = apiGets();
    await page.waitForTimeout(400);
    assert.equal(apiGets(), sent, "nothing more is sent");
    assert.equal((await ids()).length, 20);
    assert.ok(await page.isHidden("#cancel"));
  });

  it("starts over cleanly after a 404 or a 429 that follows Load all", async () => {
    await page.click("#loadAll");
    await idle();
    assert.equal(await text("#summary"), "All 42");
    demo.mock.injectFault({ cluster: "Cluster0", fault: { status: 404, body: { detail: "No cluster named Cluster0.", error: 404, errorCode: "CLUSTER_NOT_FOUND", parameters: [], reason: "Not Found" } } });
    await page.click("#refresh");
    await idle();
    assert.ok(await page.isVisible("#error"));
    assert.ok(await page.isHidden("#listing"), "no table, chips or pager under the error");
    assert.ok(await page.isHidden("#page-label"));
    assert.ok(await page.isHidden("#prev"));
    assert.equal((await ids()).length, 0);
    await page.screenshot({ path: `${ARTIFACTS}error-after-load-all-404.png` });

    await page.click("#refresh");
    await idle();
    assert.equal(await text("#summary"), "1–20 of 42", "Refresh lists the first page again");
    await page.click("#loadAll");
    await idle();
    // Every attempt answered 429: the client waits as told, then gives up.
    demo.mock.injectFault({ cluster: "Cluster0", fault: { status: 429, headers: { "Retry-After": "1" } }, times: 4 });
    await page.click("#refresh");
    await page.waitForSelector("#retry:not([hidden])");
    await idle();
    assert.equal(await text("#error-title"), "Atlas is limiting requests");
    assert.match(await text("#error-advice"), /Wait a minute, then try again/);
    assert.ok(await page.isHidden("#listing"));
    assert.ok(await page.isHidden("#retry"));
    assert.ok(await page.isVisible("#error-retry"));
    await page.click("#error-retry");
    await idle();
    assert.equal(await text("#summary"), "All 42", "Try again repeats what failed");
  });

  it("explains a 401 in words: the token or key is wrong or expired", async () => {
    await listWith({ accessToken: "not-the-token" });
    assert.ok(await page.isVisible("#error"));
    assert.equal(await text("#error-title"), "Atlas did not accept the credentials");
    assert.match(await text("#error-advice"), /access token or key is wrong or has expired/);
    // The facts are there, folded beneath.
    assert.equal(await page.getAttribute("#error-details", "open"), null);
    assert.ok(await page.isHidden("#error-facts"));
    const facts = await page.textContent("#error-facts");
    assert.match(facts, /status401/);
    assert.match(facts, /errorCodeUSER_UNAUTHORIZED/);
    assert.equal(await page.evaluate(() => document.activeElement.id), "error", "focus moves to the explanation");
    await page.click("#error-details summary");
    await page.screenshot({ path: `${ARTIFACTS}error-401.png` });
  });

  it("explains a 404: no such cluster in this project", async () => {
    await listWith({ clusterName: "NoSuchCluster" });
    assert.equal(await text("#error-title"), "No cluster named “NoSuchCluster” in this project");
    assert.match(await text("#error-advice"), /Check the cluster name \(names are case-sensitive\) and that it belongs to project 6542a1b2c3d4e5f60718293a/);
    assert.match(await page.textContent("#error-facts"), /errorCodeCLUSTER_NOT_FOUND/);
    await page.screenshot({ path: `${ARTIFACTS}error-404.png` });
    assert.deepEqual(await axe(page, "error 404, light"), []);
  });

  it("explains a 403, an access list refusal and an answer that is not a page", async () => {
    demo.mock.injectFault({ cluster: "Cluster0", fault: { status: 403 } });
    await page.click("#refresh");
    await idle();
    assert.equal(await text("#error-title"), "Access denied");
    assert.match(await text("#error-advice"), /need a role on this project .* or this address is missing from their API access list/);

    demo.mock.injectFault({
      cluster: "Cluster0",
      fault: { status: 403, body: { detail: "IP address 10.1.2.3 is not allowed to access this resource.", error: 403, errorCode: "IP_ADDRESS_NOT_ON_ACCESS_LIST", parameters: [], reason: "Forbidden" } },
    });
    await page.click("#error-retry");
    await idle();
    assert.equal(await text("#error-title"), "This address is not on the API access list");

    demo.mock.injectFault({ cluster: "Cluster0", fault: { raw: '{"results": 5}' } });
    await page.click("#error-retry");
    await idle();
    assert.equal(await text("#error-title"), "The answer could not be read");
    assert.match(await page.textContent("#error-facts"), /kinddecode/);
  });

  it("has a title and a sentence on what to do for every kind of failure", async () => {
    const words = await page.evaluate(async () => {
      const { AtlasError } = await import("./pkg/index.js");
      const { explain } = await import("./errors.js");
      const where = { proxy: false, clusterName: "Cluster0", groupId: "6542a1b2c3d4e5f60718293a", baseUrl: "https://cloud.mongodb.com" };
      const cases = {
        network: new AtlasError("network", "fetch failed", { cause: new TypeError("Failed to fetch") }),
        timeout: new AtlasError("timeout", "no answer in 30000 ms", { cause: new Error("TimeoutError") }),
        decode: new AtlasError("decode", "not a page", { status: 200, path: "$.results" }),
        tooLarge: new AtlasError("tooLarge", "too large", { limit: 8, received: 9 }),
        paging: new AtlasError("paging", "same page twice", { reason: "samePage", pagesFetched: 2, itemsYielded: 10 }),
        auth: new AtlasError("auth", "token refused", { status: 401, errorCode: "invalid_client" }),
        authLimited: new AtlasError("auth", "token limited", { status: 429, retryAfterMs: 60000 }),
        load: new AtlasError("load", "no module", { cause: new Error("404") }),
        validation: new AtlasError("validation", "itemsPerPage must be at most 500", { field: "itemsPerPage" }),
        api500: new AtlasError("api", "500", { status: 500, errorCode: "UNEXPECTED_ERROR" }),
        api406: new AtlasError("api", "406", { status: 406, errorCode: "INVALID_VERSION_DATE" }),
        groupNotFound: new AtlasError("api", "404", { status: 404, errorCode: "GROUP_NOT_FOUND" }),
        otherNotFound: new AtlasError("api", "404", { status: 404, errorCode: "RESOURCE_NOT_FOUND" }),
      };
      return Object.fromEntries(Object.entries(cases).map(([name, error]) => [name, explain(error, where)]));
    });
    const titles = Object.fromEntries(Object.entries(words).map(([name, w]) => [name, w.title]));
    assert.deepEqual(titles, {
      network: "Atlas could not be reached",
      timeout: "Atlas did not answer in time",
      decode: "The answer could not be read",
      tooLarge: "The answer was too large",
      paging: "The listing stopped",
      auth: "The service account was refused",
      authLimited: "Too many sign-ins",
      load: "The page could not start",
      validation: "Check the settings",
      api500: "Atlas had a problem",
      api406: "This API version is not available",
      groupNotFound: "No such project",
      otherNotFound: "Nothing to list at this address",
    });
    for (const [name, w] of Object.entries(words)) {
      assert.ok(w.advice.length > 20 && w.advice !== w.title, `${name} says what to do`);
      assert.ok(w.facts.some(([key]) => key === "kind"), `${name} keeps its facts`);
    }
    assert.equal(words.network.retry, true);
    assert.equal(words.timeout.retry, true);
  });

  it("flags a bad project id at the field as it is typed, and sends nothing", async () => {
    await page.click("#edit");
    const before = apiGets();
    await page.fill("#groupId", "not-a-project");
    assert.equal(await page.getAttribute("#groupId", "aria-invalid"), "true");
    assert.match(await text("#groupId-error"), /24 lowercase hex/);
    await page.click("#list");
    assert.equal(await page.evaluate(() => document.activeElement.id), "groupId");
    await page.waitForTimeout(100); // time a request would need to reach the mock
    assert.equal(apiGets(), before, "zero requests");
    assert.ok(await page.isHidden("#error"), "the field says it; no error panel");
    await page.screenshot({ path: `${ARTIFACTS}error-validation.png` });
    await page.fill("#groupId", MOCK_GROUP_ID);
    assert.equal(await page.getAttribute("#groupId", "aria-invalid"), null);
    await page.keyboard.press("Escape");
    assert.ok(await page.isHidden("#query"), "Escape folds the settings away again");
  });

  it("counts down while a 429 is retried, then lists", async () => {
    demo.mock.injectFault({ cluster: "Sharded0", fault: { status: 429, headers: { "Retry-After": "2" } } });
    await page.click("#edit");
    await page.fill("#clusterName", "Sharded0");
    await page.click("#list");
    await page.waitForSelector("#retry:not([hidden])");
    assert.equal(await text("#retry-text"), "Atlas is limiting requests (429). Waiting 2 s before trying again.");
    assert.match(await text("#retry-count"), /^[0-2] s$/);
    await page.screenshot({ path: `${ARTIFACTS}retry-429.png` });
    await idle();
    assert.equal((await ids()).length, 7);
    assert.ok(await page.isHidden("#retry"));
  });

  it("filters by state chips, searches ids, snapshots, buckets and custom data, and sorts by created", async () => {
    await page.click("#chips .chip[data-state=Failed]");
    const pills = await page.$$eval("#jobs tbody .pill", (list) => list.map((p) => p.textContent));
    assert.ok(pills.length > 0 && pills.every((p) => p === "Failed"));
    assert.equal(await page.getAttribute("#chips .chip[data-state=Failed]", "aria-pressed"), "true");
    assert.match(await text("#summary"), /· 4 shown$/);
    await page.click("#chips .chip[data-state=Failed]");
    assert.equal((await ids()).length, 20);

    const job = CLUSTER0[6];
    for (const needle of [job.id.slice(-8), job.snapshotId, job.exportBucketId.toUpperCase(), "OPS-1006"]) {
      await page.fill("#search", needle);
      assert.deepEqual(await ids(), [job.id], `search for ${needle}`);
    }
    await page.fill("#search", "nothing-like-this");
    assert.ok(await page.isVisible("#empty"));
    assert.equal(await text("#empty-text"), "No jobs match these filters.");
    await page.click("#clear-filters");
    assert.equal((await ids()).length, 20);

    await page.click("#sort");
    assert.equal(await page.getAttribute("#created-header", "aria-sort"), "descending");
    const created = await page.$$eval("#jobs tbody td.c-created time", (t) => t.map((x) => x.dateTime));
    assert.deepEqual(created, [...created].sort().reverse());
  });

  it("shows the empty state", async () => {
    await listWith({ clusterName: "Empty0" });
    assert.ok(await page.isVisible("#empty"));
    assert.equal(await text("#empty-text"), "No export jobs in Empty0 yet.");
  });

  it("opens every field of a job in a side panel, closes on Escape, and links to it by #job=<id>", async () => {
    await page.close();
    await newPage(DESKTOP, { permissions: ["clipboard-read", "clipboard-write"] });
    await listWith({ clusterName: "Sharded0" });
    const job = jobsFor(MOCK_GROUP_ID, "Sharded0")[3]; // Failed, three shards, custom data
    assert.equal(job.state, "Failed");
    await page.click(`#jobs tbody tr[data-id="${job.id}"] td.c-created`);
    assert.ok(await page.isVisible("#details"));
    assert.equal(await page.evaluate(() => location.hash), `#job=${job.id}`);
    assert.equal(await page.evaluate(() => document.activeElement.id), "details-title");

    const panel = await page.textContent("#details-body");
    const expected = [
      job.id,
      job.snapshotId,
      job.exportBucketId,
      job.prefix,
      ...job.components.flatMap((c) => [c.replicaSetName, c.exportId]),
      ...job.customData.flatMap((d) => [d.key, d.value]),
      job.stateReason.errorCode,
      job.stateReason.message,
      `${job.exportStatus.exportedCollections} of ${job.exportStatus.totalCollections} collections exported`,
      // The mock names itself in links, as Atlas does.
      job.links[0].href.replace("https://cloud.mongodb.com", demo.mock.url),
    ];
    for (const value of expected) assert.ok(panel.includes(value), `the panel shows ${value}`);
    assert.match(panel, /Created.*UTC\d+ months? ago/, "local and relative times");
    assert.equal(await text("#details-state"), "Failed");
    const copies = await page.$$eval("#details-body button.copy", (buttons) => buttons.map((b) => b.getAttribute("aria-label")));
    for (const label of ["Copy job ID", "Copy snapshot ID", "Copy bucket ID", "Copy prefix", "Copy self link", "Copy job as JSON"]) {
      assert.ok(copies.includes(label), label);
    }
    await page.click('#details-body button[aria-label="Copy job ID"]');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), job.id);
    await page.waitForFunction(() => document.querySelector("#announce").textContent === "Copied job ID");
    await page.screenshot({ path: `${ARTIFACTS}details-1280x800.png` });
    assert.deepEqual(await axe(page, "details panel, light"), []);

    await page.keyboard.press("Escape");
    assert.ok(await page.isHidden("#details"));
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), job.id, "focus returns to the job's row");
    await page.waitForFunction(() => location.hash === "");

    // Enter on a focused row, then the browser's Back and Forward.
    await page.keyboard.press("ArrowDown");
    const next = jobsFor(MOCK_GROUP_ID, "Sharded0")[4];
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), next.id);
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => location.hash), `#job=${next.id}`);
    assert.match(await page.textContent("#details-body"), new RegExp(next.id));
    await page.goBack();
    await page.waitForFunction(() => !document.querySelector("#details").open);
    await page.goForward();
    await page.waitForFunction(() => document.querySelector("#details").open);
    assert.match(await page.textContent("#details-body"), new RegExp(next.id));
  });

  it("restores a linked job on load, looking past the first page", async () => {
    const job = CLUSTER0[33];
    await open(`#job=${job.id}`);
    await page.waitForFunction((id) => document.querySelector("#details-body").textContent.includes(`collections exported`) && document.querySelector("#details-body").textContent.includes(id), job.id);
    assert.ok(await page.isVisible("#details"));
    assert.match(await page.textContent("#details-body"), new RegExp(job.snapshotId));
    await open("#job=ffffffffffffffffffffffff");
    await page.waitForFunction(() => /has no export job/.test(document.querySelector("#details-body").textContent));
  });

  it("opens the details as a bottom sheet on a phone", async () => {
    await page.close();
    await newPage(PHONE);
    await page.click("#jobs tbody tr:nth-child(4)");
    assert.ok(await page.isVisible("#details"));
    const sheet = await page.$eval("#details", (d) => ({ ...d.getBoundingClientRect().toJSON(), modal: d.matches(":modal") }));
    assert.ok(sheet.modal, "a modal sheet");
    assert.equal(Math.round(sheet.bottom), PHONE.height);
    assert.equal(Math.round(sheet.width), PHONE.width);
    await noHorizontalOverflow();
    await page.screenshot({ path: `${ARTIFACTS}details-390x844.png` });
    assert.deepEqual(await axe(page, "details sheet, phone"), []);
    await page.keyboard.press("Escape");
    assert.ok(await page.isHidden("#details"));
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), CLUSTER0[3].id);
  });

  it("refreshes live while jobs run and stops when all have finished", async () => {
    await open("?liveMs=150");
    const before = apiGets();
    await page.check("#live");
    await waitFor(() => apiGets() >= before + 2, "it polls while Queued and InProgress jobs are listed");
    assert.match(await text("#live-status"), /while jobs run/);
    const finished = { results: [{ exportBucketId: "6542a1b2c3d4e5f60718293a", id: "6542a1b2c3d4e5f607182900", state: "Successful" }], totalCount: 1, links: [] };
    demo.mock.injectFault({ cluster: "Done0", fault: { raw: JSON.stringify(finished) }, times: Infinity });
    await listWith({ clusterName: "Done0" });
    assert.equal(await text("#live-status"), "all finished, live refresh stopped");
    const settled = apiGets();
    await page.waitForTimeout(400);
    assert.equal(apiGets(), settled, "no more polling once every job is terminal");
  });

  it("follows the demo's own running jobs live until they have all finished", async () => {
    await open("?liveMs=150");
    await page.check("#live");
    assert.doesNotMatch(await text("#live-status"), /live refresh stopped/);
    // Past the last step of every job of Cluster0 at the demo's pace.
    demo.mock.advanceClock((7 * DEMO_JOB_STEP_MS) / 1000);
    await page.waitForFunction(() => document.querySelector("#live-status").textContent.includes("live refresh stopped"));
    const pills = await page.$$eval("#jobs tbody .pill", (b) => b.map((x) => x.textContent));
    assert.deepEqual([...new Set(pills)].sort(), ["Cancelled", "Failed", "Successful"]);
  });

  it("moves a job live in its row and its panel, Queued to InProgress to its outcome, without reloading", async () => {
    const job = CLUSTER0[0];
    const { run } = clockedRunOf(job, 0);
    const total = job.exportStatus.totalCollections;
    const { exported } = stepOf(run, run.queuedFor, total);
    const done = jobInState(job, run.outcome, 0, {}).exportStatus;
    assert.equal(job.state, "Queued");
    await open("?liveMs=150");
    await page.evaluate(() => (window.sameDocument = true));
    const before = demo.mock.requests.length;
    await page.check("#live");
    await page.click(`#jobs tbody tr[data-id="${job.id}"] td.c-created`);
    assert.equal(await text("#details-state"), "Queued");
    const shows = (state, cells) =>
      page.waitForFunction(
        ([id, state, cells]) => {
          const row = document.querySelector(`#jobs tbody tr[data-id="${id}"]`);
          return row?.querySelector(".pill").textContent === state && row.querySelector(".c-exported").textContent === cells && document.querySelector("#details-state").textContent === state;
        },
        [job.id, state, cells],
      );
    demo.mock.advanceClock((run.queuedFor * DEMO_JOB_STEP_MS) / 1000);
    await shows("InProgress", `${exported}/${total}`);
    assert.match(await text("#details-body"), new RegExp(`${exported} of ${total} collections exported`));
    demo.mock.advanceClock((run.runningFor * DEMO_JOB_STEP_MS) / 1000);
    await shows(run.outcome, `${done.exportedCollections}/${done.totalCollections}`);
    assert.equal(await page.evaluate(() => window.sameDocument), true, "the page was not loaded again");
    assert.match(await text("#live-status"), /while jobs run/, "other jobs of the page still run");
    // Each round lists every page of the cluster, 500 jobs a request.
    const rounds = demo.mock.requests.slice(before).filter((r) => r.method === "GET");
    assert.ok(rounds.length >= 2 && rounds.every((r) => r.query.itemsPerPage === "500"));
  });

  it("stops when Live is switched off, and follows every job of Load all live", async () => {
    await open("?liveMs=150");
    let before = apiGets();
    await page.check("#live");
    await waitFor(() => apiGets() >= before + 2, "it lists while jobs run");
    await page.uncheck("#live");
    assert.equal(await text("#live-status"), "");
    const sent = apiGets();
    await page.waitForTimeout(400);
    assert.equal(apiGets(), sent, "nothing more is sent once Live is off");

    await page.click("#loadAll");
    await idle();
    before = apiGets();
    await page.check("#live");
    await waitFor(() => apiGets() > before, "it lists");
    demo.mock.advanceClock((7 * DEMO_JOB_STEP_MS) / 1000);
    await page.waitForFunction(() => document.querySelector("#live-status").textContent.includes("live refresh stopped"));
    assert.equal(await text("#summary"), "All 42");
    const pills = await page.$$eval("#jobs tbody .pill", (b) => b.map((x) => x.textContent));
    assert.deepEqual([...new Set(pills)].sort(), ["Cancelled", "Failed", "Successful"]);
  });

  it("works with the keyboard alone", async () => {
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element?.id || element?.dataset.id || (element?.dataset.state !== undefined ? `chip:${element.dataset.state}` : element?.tagName);
      });
    const tabTo = async (wanted, limit = 60, key = "Tab") => {
      for (let i = 0; i < limit && (await focused()) !== wanted; i++) await page.keyboard.press(key);
      assert.equal(await focused(), wanted);
    };
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo("edit");
    await page.keyboard.press("Enter");
    assert.equal(await focused(), "clusterName");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Sharded0");
    await page.keyboard.press("Enter");
    await idle();
    assert.equal((await ids()).length, 7);
    assert.equal(await focused(), "results-title", "focus moves to the results");
    // One tab stop for the rows; arrows move between them.
    const rows = jobsFor(MOCK_GROUP_ID, "Sharded0").map((j) => j.id);
    await tabTo(rows[0]);
    await page.keyboard.press("End");
    assert.equal(await focused(), rows[6]);
    await page.keyboard.press("Enter");
    assert.ok(await page.isVisible("#details"));
    await tabTo("details-close");
    await page.keyboard.press("Enter");
    assert.ok(await page.isHidden("#details"));
    assert.equal(await focused(), rows[6]);
    // "/" goes to the search.
    await page.keyboard.press("/");
    assert.equal(await focused(), "search");
    await page.keyboard.type("OPS-1003");
    assert.deepEqual(await ids(), [rows[3]]);
    await page.keyboard.press("Escape");
    assert.equal((await ids()).length, 7);
    // A chip, back from the search.
    await tabTo("chip:Failed", 10, "Shift+Tab");
    await page.keyboard.press("Enter");
    assert.ok((await page.$$eval("#jobs tbody .pill", (p) => p.map((x) => x.textContent))).every((s) => s === "Failed"));
    const labelled = await page.$$eval("input, select", (fields) => fields.every((f) => f.labels && f.labels.length > 0));
    assert.ok(labelled, "every field has a label");
  });

  it("keeps one client per connection setting, and closes it when the setting changes", async () => {
    await page.click("#edit");
    await page.selectOption("#authType", "serviceAccount");
    await page.fill("#clientId", MOCK_CLIENT_ID);
    await page.fill("#clientSecret", MOCK_CLIENT_SECRET);
    await page.click("#list");
    await idle();
    await page.click("#next");
    await idle();
    await page.click("#refresh");
    await idle();
    await page.click("#loadAll");
    await idle();
    // Cluster and project are not part of the connection: the same client and token serve them.
    await listWith({ clusterName: "Sharded0" });
    assert.deepEqual(pick(demo.mock.stats()), { tokenRequests: 1, revokeRequests: 0 }, "one token for every listing");
    assert.equal(await page.textContent("#fact-auth"), "service account");

    // Typing a new secret makes a client for it (nothing sent), and listing with it retires the old one.
    await page.click("#edit");
    await page.fill("#clientSecret", `${MOCK_CLIENT_SECRET}-old`);
    assert.deepEqual(pick(demo.mock.stats()), { tokenRequests: 1, revokeRequests: 0 }, "keystrokes send nothing");
    await page.click("#list");
    await idle();
    assert.equal(await text("#error-title"), "The service account was refused");
    await waitFor(() => demo.mock.stats().revokeRequests === 1, "the replaced client revokes its token");
    assert.equal(demo.mock.stats().tokenRequests, 2);
    assert.ok(await page.isVisible("#clientSecret"), "the field to fix is at hand");
  });

  it("follows the system's light and dark themes, with a favicon", async () => {
    const icon = await page.$eval('link[rel="icon"]', (link) => link.href);
    const response = await page.request.get(icon);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["content-type"], "image/svg+xml");
    const light = await page.evaluate(() => getComputedStyle(document.querySelector(".table-wrap")).backgroundColor);
    await page.close();
    await newPage(DESKTOP, { colorScheme: "dark" });
    const dark = await page.evaluate(() => getComputedStyle(document.querySelector(".table-wrap")).backgroundColor);
    const lightness = (rgb) => rgb.match(/\d+/g).slice(0, 3).reduce((sum, n) => sum + Number(n), 0) / 3;
    assert.ok(lightness(light) > 200 && lightness(dark) < 60, `light ${light}, dark ${dark}`);
    await page.screenshot({ path: `${ARTIFACTS}dark-1280x800.png` });
    await page.click("#jobs tbody tr:nth-child(4)");
    await page.screenshot({ path: `${ARTIFACTS}dark-details-1280x800.png` });
    assert.deepEqual(await axe(page, "details panel, dark"), []);
  });

  it("has no serious or critical axe-core violations, light and dark, desktop and phone", async () => {
    assert.deepEqual(await axe(page, "console, light, desktop"), []);
    await page.click("#edit");
    assert.deepEqual(await axe(page, "settings open, light, desktop"), []);
    await page.close();
    await newPage(PHONE, { colorScheme: "dark" });
    assert.deepEqual(await axe(page, "console, dark, phone"), []);
    await listWith({ clusterName: "NoSuchCluster" });
    assert.deepEqual(await axe(page, "error 404, dark, phone"), []);
    await page.screenshot({ path: `${ARTIFACTS}dark-error-390x844.png` });
  });
});

const pick = ({ tokenRequests, revokeRequests }) => ({ tokenRequests, revokeRequests });

/** Polls `condition` (bounded), for what happens after the page has moved on. */
async function waitFor(condition, what) {
  for (let i = 0; i < 250; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting until ${what}`);
}

/** The environment of a child process: this one's, without any Atlas credential, plus `extra`. */
function childEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MONGODB_ATLAS_") && !name.startsWith("ATLAS_")));
  return { ...env, ...extra };
}

/** Runs `node www/serve.mjs args` and resolves once it prints its page's URL (or exits). */
function startServe(args, env) {
  const child = spawn(process.execPath, ["www/serve.mjs", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => (output.stdout += chunk));
  child.stderr.on("data", (chunk) => (output.stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise((resolve) => {
    child.stdout.on("data", () => {
      const match = /^demo page: (\S+)$/m.exec(output.stdout);
      if (match) resolve(match[1]);
    });
    exited.then(() => resolve(undefined));
  });
  return {
    child,
    output,
    started,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

describe("the demo in real-Atlas mode, through its proxy, against an Atlas-compatible server", () => {
  let upstream;
  let browser;
  let page;
  let problems;
  let serve;
  let url;
  let requests;
  /** The proxies the page may call; their loads are the answers under test. */
  const proxies = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The test's own Atlas: the mock, as any Atlas-compatible server the demo is pointed at.
    upstream = await startMockAtlas({ latencyMs: 10, maxSeconds: 600 });
    serve = startServe(
      ["--port", "0", "--atlas-base-url", upstream.url],
      childEnv({ MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET, MONGODB_ATLAS_PROJECT_ID: MOCK_GROUP_ID }),
    );
    url = await serve.started;
    assert.ok(url, `the demo started: ${serve.output.stderr}`);
    proxies.push(`${url}atlas/`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    await upstream?.close();
  });

  beforeEach(async () => {
    upstream.reset();
    page = await browser.newPage({ viewport: DESKTOP });
    // The proxy's 4xx are answers under test; no request to it may fail.
    problems = watchProblems(page, (address) => proxies.some((prefix) => address.startsWith(prefix)), () => false);
    requests = [];
    page.on("request", async (request) => {
      const entry = { url: request.url(), headers: {} };
      requests.push(entry);
      entry.headers = await request.allHeaders().catch(() => request.headers());
    });
  });
  afterEach(async () => {
    // What went wrong while the page was in use; closing it cancels whatever it was still loading.
    const seen = [...problems];
    await page.close();
    assert.deepEqual(seen, [], "no console errors, unhandled rejections or failed loads");
  });

  async function listCluster(clusterName) {
    await page.goto(url);
    await page.waitForSelector("#clusterName:focus");
    await page.fill("#clusterName", clusterName);
    await page.click("#list");
    await page.waitForFunction(() => document.querySelector("#jobs").getAttribute("aria-busy") === "false" && (!document.querySelector("#listing").hidden || !document.querySelector("#error").hidden));
  }

  it("lists through the same-origin proxy, with no credential field, no Authorization header and no secret in the page", async () => {
    await listCluster("Cluster0");
    const ids = await page.$$eval("#jobs tbody tr", (rows) => rows.map((row) => row.dataset.id));
    assert.deepEqual(ids, CLUSTER0.slice(0, 20).map((j) => j.id));
    assert.equal(await page.inputValue("#groupId"), MOCK_GROUP_ID, "MONGODB_ATLAS_PROJECT_ID fills the project");
    assert.equal(await page.textContent("#fact-auth"), "service account on the server");
    assert.equal(await page.textContent("#fact-base"), upstream.url);
    await page.screenshot({ path: `${ARTIFACTS}proxy-1280x800.png` });
    await page.click("#edit");
    assert.equal(await page.$$eval("input[type=password]", (inputs) => inputs.filter((i) => i.offsetParent !== null).length), 0, "no credential field");
    assert.ok(await page.isHidden("#accessToken"));
    assert.ok(await page.isHidden("#baseUrl"));
    assert.match(await page.textContent(".proxy-note"), /reached through this server, which holds the service account\. This page holds no credentials\./);
    await page.screenshot({ path: `${ARTIFACTS}proxy-settings-1280x800.png` });

    // The proxy signed in with the variables' service account; the page never did.
    assert.equal(upstream.stats().tokenRequests, 1);
    assert.ok(upstream.requests.every((r) => r.origin === null), "Atlas heard only from the server");

    const secrets = [MOCK_CLIENT_SECRET, MOCK_CLIENT_ID];
    const origin = new URL(url).origin;
    assert.ok(requests.length > 5);
    for (const request of requests) {
      assert.ok(request.url.startsWith(`${origin}/`), `the page calls only its own server: ${request.url}`);
      assert.equal(request.headers.authorization, undefined, `no Authorization header on ${request.url}`);
      const seen = `${request.url} ${JSON.stringify(request.headers)}`;
      for (const secret of secrets) assert.ok(!seen.includes(secret), `no credential in ${request.url}`);
    }
    const html = await page.content();
    const state = await page.evaluate(() => {
      const values = [];
      for (const key of Object.keys(window)) {
        try {
          values.push(`${key}=${JSON.stringify(window[key])}`);
        } catch {
          values.push(key);
        }
      }
      return [values.join("\n"), JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie].join("\n");
    });
    const config = await (await page.request.get(`${url}demo-config.json`)).text();
    for (const secret of secrets) {
      assert.ok(!html.includes(secret), "not in the page's HTML");
      assert.ok(!state.includes(secret), "not in the window's state or storage");
      assert.ok(!config.includes(secret), "not in the page's settings");
      assert.ok(!serve.output.stdout.includes(secret) && !serve.output.stderr.includes(secret), "not in the server's log");
    }
    assert.match(serve.output.stdout, /credentials: the service account in MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, held by the proxy/);
    assert.deepEqual(await axe(page, "proxy mode, settings open"), []);
  });

  it("opens details and explains a 404 the same way through the proxy", async () => {
    await listCluster("Sharded0");
    await page.click("#jobs tbody tr:nth-child(1)");
    assert.match(await page.textContent("#details-body"), /Sharded0-shard-2/);
    await page.keyboard.press("Escape");
    await page.click("#edit");
    await page.fill("#clusterName", "NoSuchCluster");
    await page.click("#list");
    await page.waitForSelector("#error:not([hidden])");
    assert.equal(await page.textContent("#error-title"), "No cluster named “NoSuchCluster” in this project");
    for (const request of requests) assert.equal(request.headers.authorization, undefined);
  });

  it("works the same with an API key (digest) from the variables", async () => {
    const digest = startServe(
      ["--port", "0", "--atlas-base-url", upstream.url],
      childEnv({ MONGODB_ATLAS_PUBLIC_API_KEY: MOCK_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: MOCK_PRIVATE_KEY }),
    );
    try {
      const digestUrl = await digest.started;
      assert.ok(digestUrl, digest.output.stderr);
      proxies.push(`${digestUrl}atlas/`);
      await page.goto(digestUrl);
      await page.waitForSelector("#groupId:focus");
      await page.fill("#groupId", MOCK_GROUP_ID);
      await page.fill("#clusterName", "Sharded0");
      await page.click("#list");
      await page.waitForSelector("#jobs tbody tr");
      assert.equal(await page.$$eval("#jobs tbody tr", (rows) => rows.length), 7);
      assert.equal(await page.textContent("#fact-auth"), "API key on the server");
      assert.ok(upstream.stats().digest >= 1, "the proxy signed with the key");
      assert.ok(!`${digest.output.stdout}${digest.output.stderr}`.includes(MOCK_PRIVATE_KEY));
    } finally {
      await digest.stop();
    }
  });

  it("names the missing variables at startup, never their values", async () => {
    const secret = "mdb_sa_id_value_that_must_not_print";
    const halfSet = startServe(["--port", "0", "--atlas-base-url", upstream.url], childEnv({ MONGODB_ATLAS_CLIENT_ID: secret }));
    assert.equal(await halfSet.exited, 2);
    assert.match(halfSet.output.stderr, /MONGODB_ATLAS_CLIENT_ID is set, but MONGODB_ATLAS_CLIENT_SECRET is not/);
    assert.match(halfSet.output.stderr, /MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY/);
    assert.ok(!halfSet.output.stderr.includes(secret) && !halfSet.output.stdout.includes(secret));
    const none = startServe(["--check", "--atlas-base-url", "https://cloud.mongodb.com"], childEnv({}));
    assert.equal(await none.exited, 2);
    assert.match(none.output.stderr, /None of its variables is set[\s\S]*MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET/);
  });
});
