// The demo page in headless Chromium, served by the same code as the main-job command, against
// the mock: listing, paging, load all, cancel, errors, the 429 countdown, filters, live mode and
// keyboard use. Full-page screenshots go to test-artifacts/ for people to look at.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { jobsFor, MOCK_GROUP_ID } from "../mock/dataset.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { DEMO_JOB_STEP_MS, startDemo } from "../../www/server.mjs";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe("the demo page", () => {
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
    page = await browser.newPage({ viewport: DESKTOP });
    problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error}`));
    page.on("console", (message) => {
      // Chromium logs every 4xx/5xx response as a console error; those are the API's answers under
      // test, not page errors.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(message.text());
    });
    await open();
  });
  afterEach(async () => {
    await page.close();
    assert.deepEqual(problems, [], "no console errors or unhandled rejections");
  });

  async function open(query = "") {
    await page.goto(`${demo.url}${query}`);
    await idle();
  }

  /** Waits until no listing is in flight. */
  async function idle() {
    await page.waitForFunction(
      () =>
        document.querySelector("#jobs").getAttribute("aria-busy") === "false" &&
        (document.querySelector("#summary").textContent !== "" || !document.querySelector("#error").hidden),
    );
  }

  const ids = () => page.$$eval("#jobs tbody td[data-label=Job] code", (codes) => codes.map((c) => c.title));
  const apiGets = () => demo.mock.requests.filter((r) => r.method === "GET").length;

  async function fill(selector, value) {
    await page.fill(selector, value);
  }

  async function submit() {
    await page.click("#list");
    await idle();
  }

  async function noHorizontalOverflow() {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`);
  }

  it("lists the first page as the mock has it, legibly on a desktop and a phone", async () => {
    const expected = jobsFor(MOCK_GROUP_ID, "Cluster0").slice(0, 20).map((j) => j.id);
    assert.deepEqual(await ids(), expected);
    assert.match(await page.textContent("#summary"), /Jobs 1–20 of 42/);
    const badges = await page.$$eval("#jobs .badge", (b) => b.map((x) => x.textContent));
    assert.deepEqual([...new Set(badges)].sort(), ["Cancelled", "Failed", "InProgress", "Queued", "Successful"]);
    assert.ok((await page.$$("#jobs progress")).length > 0, "progress bars");
    assert.ok((await page.textContent("#jobs")).includes("ago"), "relative times");
    await noHorizontalOverflow();
    await page.screenshot({ path: `${ARTIFACTS}list-1280x800.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await noHorizontalOverflow();
    await page.screenshot({ path: `${ARTIFACTS}list-390x844.png`, fullPage: true });
  });

  it("pages forward and back", async () => {
    const all = jobsFor(MOCK_GROUP_ID, "Cluster0").map((j) => j.id);
    await page.click("#next");
    await idle();
    assert.equal(await page.textContent("#page-label"), "Page 2");
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

  it("loads all with progress", async () => {
    demo.mock.setLatency(60);
    await fill("#clusterName", "Big0");
    await page.selectOption("#itemsPerPage", "100");
    await page.click("#loadAll");
    await page.waitForSelector("#progress:not([hidden])");
    await page.waitForFunction(() => /of 1234 jobs/.test(document.querySelector("#progress-text").textContent));
    await idle();
    assert.equal(await page.textContent("#summary"), "All 1234 jobs");
    assert.equal((await ids()).length, 1234);
    assert.ok(await page.isHidden("#progress"));
  });

  it("cancels a load in progress", async () => {
    demo.mock.setLatency(300);
    await fill("#clusterName", "Big0");
    await page.selectOption("#itemsPerPage", "10");
    await page.click("#loadAll");
    await page.waitForFunction(() => /^\d+ of 1234 jobs/.test(document.querySelector("#progress-text").textContent));
    await page.click("#cancel");
    await idle();
    assert.equal(await page.textContent("#summary"), "Cancelled.");
    const sent = apiGets();
    await page.waitForTimeout(400);
    assert.equal(apiGets(), sent, "nothing more is sent");
    assert.ok(sent < 124);
  });

  it("shows a 404 for an unknown cluster", async () => {
    await fill("#clusterName", "NoSuchCluster");
    await submit();
    assert.ok(await page.isVisible("#error"));
    assert.equal(await page.textContent("#error-title"), "Not found");
    const facts = await page.textContent("#error-facts");
    assert.match(facts, /status404/);
    assert.match(facts, /errorCodeCLUSTER_NOT_FOUND/);
    await page.screenshot({ path: `${ARTIFACTS}error-404.png`, fullPage: true });
  });

  it("flags a bad project id as it is typed and sends nothing", async () => {
    const before = apiGets();
    await fill("#groupId", "not-a-project");
    assert.equal(await page.getAttribute("#groupId", "aria-invalid"), "true");
    assert.match(await page.textContent("#groupId-error"), /24 lowercase hex/);
    await page.click("#list");
    await page.waitForTimeout(100);
    assert.equal(apiGets(), before, "zero requests");
    await page.screenshot({ path: `${ARTIFACTS}error-validation.png`, fullPage: true });
    await fill("#groupId", MOCK_GROUP_ID);
    assert.equal(await page.getAttribute("#groupId", "aria-invalid"), null);
  });

  it("counts down while a 429 is retried, then lists", async () => {
    demo.mock.injectFault({ cluster: "Sharded0", fault: { status: 429, headers: { "Retry-After": "2" } } });
    await fill("#clusterName", "Sharded0");
    await page.click("#list");
    await page.waitForSelector("#retry:not([hidden])");
    assert.match(await page.textContent("#retry"), /Atlas answered 429 RATE_LIMITED; retrying in [12] s/);
    await page.screenshot({ path: `${ARTIFACTS}retry-429.png`, fullPage: true });
    await idle();
    assert.equal((await ids()).length, 7);
    assert.ok(await page.isHidden("#retry"));
  });

  it("filters by state and sorts by created time", async () => {
    await page.selectOption("#stateFilter", "Failed");
    const badges = await page.$$eval("#jobs .badge", (b) => b.map((x) => x.textContent));
    assert.ok(badges.length > 0 && badges.every((b) => b === "Failed"));
    await page.selectOption("#stateFilter", "");
    await page.selectOption("#sort", "newest");
    const newest = await page.$$eval("#jobs time", (t) => t.filter((_, i) => i % 2 === 0).map((x) => x.dateTime));
    const created = await page.$$eval("#jobs td[data-label=Created] time", (t) => t.map((x) => x.dateTime));
    assert.deepEqual(created, [...created].sort().reverse());
    assert.ok(newest.length > 0);
  });

  it("shows the empty state", async () => {
    await fill("#clusterName", "Empty0");
    await submit();
    assert.ok(await page.isVisible("#empty"));
    assert.equal(await page.textContent("#empty"), "No export jobs.");
  });

  it("refreshes live while jobs run and stops when all have finished", async () => {
    await open("?liveMs=150");
    await page.check("#live");
    const before = apiGets();
    await page.waitForFunction((n) => n, undefined, { timeout: 100 }).catch(() => {});
    await page.waitForTimeout(500);
    assert.ok(apiGets() >= before + 2, "it polled while Queued and InProgress jobs were listed");
    const finished = { results: [{ exportBucketId: "6542a1b2c3d4e5f60718293a", id: "6542a1b2c3d4e5f607182900", state: "Successful" }], totalCount: 1, links: [] };
    demo.mock.injectFault({ cluster: "Done0", fault: { raw: JSON.stringify(finished) }, times: Infinity });
    await fill("#clusterName", "Done0");
    await submit();
    assert.match(await page.textContent("#summary"), /live refresh stopped/);
    const settled = apiGets();
    await page.waitForTimeout(400);
    assert.equal(apiGets(), settled, "no more polling once every job is terminal");
  });

  it("follows the demo's own running jobs live until they have all finished", async () => {
    await open("?liveMs=150");
    await page.check("#live");
    assert.doesNotMatch(await page.textContent("#summary"), /live refresh stopped/);
    // Past the last step of every job of Cluster0 at the demo's pace.
    demo.mock.advanceClock((7 * DEMO_JOB_STEP_MS) / 1000);
    await page.waitForFunction(() => document.querySelector("#summary").textContent.includes("live refresh stopped"));
    const badges = await page.$$eval("#jobs .badge", (b) => b.map((x) => x.textContent));
    assert.deepEqual([...new Set(badges)].sort(), ["Cancelled", "Failed", "Successful"]);
  });

  it("works with the keyboard alone", async () => {
    await page.setViewportSize(DESKTOP);
    await page.evaluate(() => document.activeElement?.blur());
    const focused = () => page.evaluate(() => document.activeElement?.id);
    for (let i = 0; i < 20 && (await focused()) !== "clusterName"; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), "clusterName");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Sharded0");
    await page.keyboard.press("Enter");
    await idle();
    assert.equal((await ids()).length, 7);
    for (let i = 0; i < 20 && (await focused()) !== "itemsPerPage"; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), "itemsPerPage");
    await page.keyboard.press("ArrowUp"); // 20 -> 10 a page
    for (let i = 0; i < 10 && (await focused()) !== "clusterName"; i++) await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Cluster0");
    await page.keyboard.press("Enter");
    await idle();
    assert.equal((await ids()).length, 10);
    for (let i = 0; i < 40 && (await focused()) !== "next"; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), "next");
    await page.keyboard.press("Enter");
    await idle();
    assert.equal(await page.textContent("#page-label"), "Page 2");
    const labelled = await page.$$eval("input, select", (fields) => fields.every((f) => f.labels && f.labels.length > 0));
    assert.ok(labelled, "every field has a label");
  });
});
