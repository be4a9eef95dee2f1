// The atlas-export-jobs command, run as users run it: the bin of the installed tarball, spawned
// against the mock, its output parsed back and compared with the mock's dataset. Also under a
// pseudo-terminal (util-linux `script`), where the table and the progress bars must fit 80 columns.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";

import { listExportJobs } from "atlas-export-jobs";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

import { BIN, environment, linesOf, PACKAGE_DIR, runCli, runProcess } from "./cli-support.mjs";

const CLUSTERS = {
  Size1200: 1200,
  Wide: { jobs: 12, shards: 2 },
  Raw0: 0,
  WatchOk: 0,
  WatchFail: 0,
  WatchAgain: 0,
  WatchNamed: 2,
  WatchLate: 0,
  WatchToken: 0,
  WatchPty: 0,
};
const CSV_HEADER = [
  "id", "state", "createdAt", "finishedAt", "exportStatus.exportedCollections", "exportStatus.totalCollections",
  "stateReason.errorCode", "stateReason.message", "exportBucketId", "snapshotId", "prefix", "components", "customData",
];
// CSI sequences (colours, cursor moves, erasing) and the other ESC sequences a terminal acts on.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\u001b[=>78]/g;

/** Parses RFC 4180 CSV strictly: CRLF after every record, quotes only around whole fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (char === '"') {
        quoted = false;
        i += 1;
        assert.ok([",", "\r", undefined].includes(text[i]), `a closing quote ends its field (at ${i})`);
      } else {
        field += char;
        i += 1;
      }
    } else if (char === '"') {
      assert.equal(field, "", `a quote opens a field (at ${i})`);
      quoted = true;
      i += 1;
    } else if (char === ",") {
      row.push(field);
      field = "";
      i += 1;
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else {
      assert.ok(char !== "\r" && char !== "\n", `no bare line break outside quotes (at ${i})`);
      field += char;
      i += 1;
    }
  }
  assert.ok(!quoted && row.length === 0 && field === "", "the last record ends with CRLF");
  return rows;
}

/** A job rebuilt from its CSV row as the README documents the columns: every field but `links`. */
function jobFromCsv(header, row) {
  assert.equal(row.length, header.length, "every row has every column");
  const cell = Object.fromEntries(header.map((name, i) => [name, row[i]]));
  const decode = (part) => part.replace(/%([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const pairs = (text, nameKey, valueKey) =>
    text.split(";").map((entry) => {
      const [name, value] = entry.split("=");
      return { [nameKey]: decode(name), [valueKey]: decode(value) };
    });
  const job = {};
  if (cell.components !== "") job.components = pairs(cell.components, "replicaSetName", "exportId");
  job.createdAt = cell.createdAt;
  if (cell.customData !== "") job.customData = pairs(cell.customData, "key", "value");
  job.exportBucketId = cell.exportBucketId;
  job.exportStatus = {
    exportedCollections: Number(cell["exportStatus.exportedCollections"]),
    totalCollections: Number(cell["exportStatus.totalCollections"]),
  };
  if (cell.finishedAt !== "") job.finishedAt = cell.finishedAt;
  job.id = cell.id;
  job.prefix = cell.prefix;
  job.snapshotId = cell.snapshotId;
  job.state = cell.state;
  if (cell["stateReason.errorCode"] !== "" || cell["stateReason.message"] !== "") {
    job.stateReason = { errorCode: cell["stateReason.errorCode"], message: cell["stateReason.message"] };
  }
  return job;
}

const withoutLinks = ({ links, ...job }) => job;

/** A port nothing listens on: connecting is refused. */
function closedPort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A command line for `sh -c`, every word single-quoted. */
function shellWords(words) {
  return words.map((word) => `'${String(word).replaceAll("'", "'\\''")}'`).join(" ");
}

/** The columns each line of terminal output takes: escape sequences removed, split at CR and LF. */
function renderedLines(output) {
  return output.replace(ANSI, "").split(/\r\n|\r|\n/);
}

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("atlas-export-jobs command", () => {
  let mock;
  let base;
  const datasetOf = (cluster) => fetch(`${mock.url}/__mock/dataset?cluster=${cluster}`).then((r) => r.json());
  const gets = (cluster) => mock.requests.filter((r) => r.method === "GET" && r.path.includes(`/clusters/${cluster}/`));

  before(async () => {
    mock = await startMockAtlas({ clusters: CLUSTERS, maxSeconds: 600 });
    base = (cluster) => ["--project", MOCK_GROUP_ID, "--cluster", cluster, "--base-url", mock.url];
  });
  afterEach(() => mock.reset());
  after(() => mock.close());

  describe("list", () => {
    it("prints the page as JSON with -o json, exactly as the library returns it", async () => {
      const { code, stdout, stderr } = await runCli(["list", ...base("Cluster0"), "-o", "json"]);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "");
      const page = JSON.parse(stdout);
      const expected = await listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: mock.url, accessToken: MOCK_TOKEN });
      assert.deepEqual(page, JSON.parse(JSON.stringify(expected)));
      assert.deepEqual(page.results, await datasetOf("Cluster0"));
      assert.equal(page.totalCount, 42);
      assert.deepEqual(gets("Cluster0").map((r) => r.query), [{}, {}], "the CLI, then the library, each sent only what was set");
    });

    it("lists every one of 1,200 jobs with --all as a JSON array, in 500-job pages", async () => {
      const { code, stdout, stderr } = await runCli(["list", ...base("Size1200"), "--all", "--output", "json"]);
      assert.equal(code, 0, stderr);
      const jobs = JSON.parse(stdout);
      assert.equal(jobs.length, 1200);
      assert.deepEqual(jobs, await datasetOf("Size1200"));
      const pages = gets("Size1200").map((r) => [r.query.pageNum ?? "1", r.query.itemsPerPage]);
      assert.deepEqual(pages.sort(), [["1", "500"], ["2", "500"], ["3", "500"]]);
    });

    it("writes one job a line with --output ndjson", async () => {
      const { code, stdout } = await runCli(["list", ...base("Size1200"), "--all", "-o", "ndjson"]);
      assert.equal(code, 0);
      assert.ok(stdout.endsWith("\n"));
      const jobs = linesOf(stdout).map((line) => JSON.parse(line));
      assert.deepEqual(jobs, await datasetOf("Size1200"));
    });

    it("writes RFC 4180 CSV with nested fields flattened, which parses back to the dataset", async () => {
      const { code, stdout } = await runCli(["list", ...base("Wide"), "--all", "-o", "csv"]);
      assert.equal(code, 0);
      const [header, ...rows] = parseCsv(stdout);
      assert.deepEqual(header, CSV_HEADER);
      const dataset = await datasetOf("Wide");
      assert.ok(dataset.some((job) => job.components && job.customData && job.stateReason), "the dataset has every nested field");
      assert.deepEqual(rows.map((row) => jobFromCsv(header, row)), dataset.map(withoutLinks));
    });

    it("quotes fields with commas, quotes and line breaks, and escapes the pair separators", async () => {
      const [job] = await datasetOf("Cluster0").then((jobs) => jobs.filter((j) => j.state === "Failed"));
      const odd = {
        ...job,
        prefix: "exports/a,b",
        stateReason: { errorCode: "EXPORT_FAILED", message: 'He said "stop",\r\nthen left; 100% = done' },
        customData: [{ key: "k;=%", value: 'v,"x"\n;y=z%41' }, { key: "plain", value: "" }],
      };
      mock.injectFault({ cluster: "Raw0", fault: { raw: JSON.stringify({ results: [odd], totalCount: 1 }) } });
      const { code, stdout } = await runCli(["list", ...base("Raw0"), "-o", "csv"]);
      assert.equal(code, 0);
      const [header, row, ...rest] = parseCsv(stdout);
      assert.deepEqual(rest, []);
      assert.deepEqual(jobFromCsv(header, row), withoutLinks(odd));
      assert.ok(stdout.includes('"He said ""stop"",\r\nthen left; 100% = done"'));
    });

    it("prints a table with --output table, within 80 columns, or COLUMNS when set", async () => {
      for (const [columns, width] of [[undefined, 80], ["50", 50], ["250", 250]]) {
        const env = { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...(columns && { COLUMNS: columns }) };
        const { code, stdout, stderr } = await runCli(["list", ...base("Cluster0"), "--items-per-page", "10", "-o", "table"], { env });
        assert.equal(code, 0);
        const lines = linesOf(stdout);
        assert.equal(lines.length, 11);
        assert.ok(lines.every((line) => [...line].length <= width), `${width}: ${lines.find((l) => [...l].length > width)}`);
        assert.match(lines[0], /^ID {2,}STATE {2,}/);
        const dataset = (await datasetOf("Cluster0")).slice(0, 10);
        assert.deepEqual(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2)), dataset.map((job) => [job.id, job.state]));
        if (width === 250) {
          const failed = dataset.find((job) => job.state === "Failed");
          assert.ok(lines.some((line) => line.includes(`${failed.stateReason.errorCode}: ${failed.stateReason.message}`)), "a wide table shows the whole reason");
        }
        assert.equal(stderr, "10 jobs on page 1, 42 in all; next: --page 2, or --all for every job\n");
      }
    });

    it("keeps control characters from the server out of the table", async () => {
      const [job] = await datasetOf("Cluster0");
      const odd = { ...job, state: "Failed", stateReason: { errorCode: "E\u001b[31mRED", message: "line\nbreak\u0007" } };
      mock.injectFault({ cluster: "Raw0", fault: { raw: JSON.stringify({ results: [odd] }) } });
      const { code, stdout } = await runCli(["list", ...base("Raw0"), "-o", "table"], { env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, COLUMNS: "200" } });
      assert.equal(code, 0);
      assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(stdout), JSON.stringify(stdout));
      assert.equal(linesOf(stdout).length, 2);
      assert.match(stdout, /E \[31mRED: line break/);
    });

    it("passes --page, --items-per-page and --no-count to Atlas", async () => {
      const { code, stdout } = await runCli(["list", ...base("Cluster0"), "--page", "2", "--items-per-page", "10", "--no-count", "-o", "json"]);
      assert.equal(code, 0);
      const page = JSON.parse(stdout);
      assert.deepEqual(page.results, (await datasetOf("Cluster0")).slice(10, 20));
      assert.ok(!("totalCount" in page));
      assert.deepEqual(gets("Cluster0").map((r) => r.query), [{ itemsPerPage: "10", pageNum: "2", includeCount: "false" }]);
    });

    it("filters on --state, in any case and comma-separated, over one page or all", async () => {
      const dataset = await datasetOf("Size1200");
      const all = await runCli(["list", ...base("Size1200"), "--all", "--state", "failed,Cancelled", "-o", "ndjson"]);
      assert.equal(all.code, 0);
      const expected = dataset.filter((job) => job.state === "Failed" || job.state === "Cancelled");
      assert.deepEqual(linesOf(all.stdout).map((line) => JSON.parse(line)), expected);

      const one = await runCli(["list", ...base("Size1200"), "--state", "Queued", "--state", "InProgress", "--items-per-page", "20", "-o", "json"]);
      const page = JSON.parse(one.stdout);
      assert.deepEqual(page.results, dataset.slice(0, 20).filter((job) => job.state === "Queued" || job.state === "InProgress"));
      assert.equal(page.totalCount, 1200, "the rest of the page is as Atlas sent it");
    });

    it("asks the deprecated v1.0 API with --api-version v1.0", async () => {
      const { code, stdout } = await runCli(["list", ...base("Cluster0"), "--api-version", "v1.0", "-o", "ndjson"]);
      assert.equal(code, 0);
      assert.equal(linesOf(stdout).length, 42);
      assert.match(gets("Cluster0")[0].path, /^\/api\/atlas\/v1\.0\//);
    });

    it("stops listing when the reader of its output goes away", async () => {
      const child = spawn("sh", ["-c", `${shellWords([BIN, "list", ...base("Size1200"), "--all", "--items-per-page", "10", "-o", "ndjson"])} | head -n 3`], {
        env: environment({ ATLAS_ACCESS_TOKEN: MOCK_TOKEN }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      const code = await new Promise((resolve) => child.on("close", resolve));
      assert.equal(code, 0);
      assert.equal(linesOf(stdout).length, 3);
      assert.ok(gets("Size1200").length < 120, `${gets("Size1200").length} of 120 pages were asked for`);
    });
  });

  describe("watch", () => {
    it("follows jobs from Queued through InProgress to Successful and exits 0", async () => {
      const { ids } = mock.startExports("WatchOk", { outcomes: ["Successful", "Successful"], queuedFor: 1, runningFor: 2 });
      const { code, stdout, stderr } = await runCli(["watch", ...base("WatchOk"), "--interval", "50ms", "-o", "json"]);
      assert.equal(code, 0, stderr);
      const lines = linesOf(stderr);
      assert.equal(lines[0], "watching 2 export jobs of WatchOk, every 50ms");
      for (const id of ids) {
        const states = lines.filter((line) => line.includes(id)).map((line) => line.split(" ")[3]);
        assert.deepEqual(states, ["Queued", "InProgress", "InProgress", "Successful"], id);
      }
      assert.equal(lines.at(-1), "2 export jobs done after 4 polls: 2 Successful");
      assert.deepEqual(JSON.parse(stdout), (await datasetOf("WatchOk")).filter((job) => ids.includes(job.id)));
      assert.ok(JSON.parse(stdout).every((job) => job.state === "Successful"));
      assert.equal(gets("WatchOk").length, 4);
    });

    it("exits 1 when a job fails or is cancelled, printing why", async () => {
      const { ids } = mock.startExports("WatchFail", { outcomes: ["Successful", "Failed", "Cancelled"], queuedFor: 0, runningFor: 1 });
      const { code, stdout, stderr } = await runCli(["watch", ...base("WatchFail"), "--interval", "50ms", "-o", "ndjson"]);
      assert.equal(code, 1, stderr);
      const final = linesOf(stdout).map((line) => JSON.parse(line));
      assert.deepEqual(final.map((job) => job.state), ["Successful", "Failed", "Cancelled"]);
      const failed = final[1];
      const lines = linesOf(stderr);
      assert.deepEqual(lines.slice(-3), [
        "3 export jobs done after 2 polls: 1 Successful, 1 Failed, 1 Cancelled",
        `${ids[1]} Failed: ${failed.stateReason.errorCode}: ${failed.stateReason.message}`,
        `${ids[2]} Cancelled`,
      ]);
    });

    it("watches only jobs that were running, so an old failure does not fail a new watch", async () => {
      mock.startExports("WatchAgain", { outcomes: ["Failed"], queuedFor: 0, runningFor: 0 });
      const first = await runCli(["watch", ...base("WatchAgain"), "--interval", "50ms", "-o", "json"]);
      assert.equal(first.code, 0, "a job already done when the watch starts is not watched");
      assert.deepEqual(JSON.parse(first.stdout), []);
      assert.equal(first.stderr, "no export job of WatchAgain is Queued or InProgress: nothing to watch\n");

      const { ids } = mock.startExports("WatchAgain", { outcomes: ["Successful"], queuedFor: 1, runningFor: 1 });
      const second = await runCli(["watch", ...base("WatchAgain"), "--interval", "50ms", "-o", "json"]);
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(JSON.parse(second.stdout).map((job) => job.id), ids);
    });

    it("watches only the jobs named with --job", async () => {
      // The cluster's own jobs stay Queued and InProgress for ever.
      const { ids } = mock.startExports("WatchNamed", { outcomes: ["Successful", "Failed"], queuedFor: 0, runningFor: 2 });
      const { code, stdout, stderr } = await runCli(["watch", ...base("WatchNamed"), "--interval", "50ms", "--job", ids[0], "--max-polls", "20", "-o", "json"]);
      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(stdout).map((job) => [job.id, job.state]), [[ids[0], "Successful"]]);
      assert.ok(!stderr.includes(ids[1]));
    });

    it("also watches jobs started while it watches", async () => {
      mock.startExports("WatchLate", { outcomes: ["Successful"], queuedFor: 1, runningFor: 8 });
      let late;
      const { code, stdout, stderr } = await runCli(["watch", ...base("WatchLate"), "--interval", "50ms", "--max-polls", "40", "-o", "json"], {
        onStderr: (text) => {
          if (late === undefined && text.includes("poll 1:")) late = mock.startExports("WatchLate", { outcomes: ["Failed"], queuedFor: 0, runningFor: 1 }).ids[0];
        },
      });
      assert.equal(code, 1, stderr);
      const final = JSON.parse(stdout);
      assert.deepEqual(final.map((job) => job.state), ["Successful", "Failed"]);
      assert.equal(final[1].id, late);
      assert.match(stderr, new RegExp(`^poll \\d+: ${late} InProgress`, "m"));
    });

    it("gives up after --max-polls with exit code 4, having sent that many polls", async () => {
      const { code, stdout, stderr } = await runCli(["watch", ...base("Cluster0"), "--interval", "50ms", "--max-polls", "3", "-o", "json"]);
      assert.equal(code, 4);
      assert.equal(gets("Cluster0").length, 3);
      assert.match(linesOf(stderr).at(-1), /^gave up after 3 polls \(--max-polls 3\): 9 Queued, 9 InProgress$/);
      assert.equal(JSON.parse(stdout).length, 18);
    });

    it("gives up after --timeout with exit code 4", async () => {
      const { code, stdout, stderr } = await runCli(["watch", ...base("Cluster0"), "--interval", "50ms", "--timeout", "400ms", "-o", "json"]);
      assert.equal(code, 4);
      assert.match(linesOf(stderr).at(-1), /^gave up after \d+ polls? \(--timeout 400ms\): 9 Queued, 9 InProgress$/);
      assert.equal(JSON.parse(stdout).length, 18);
    });

    it("stops at once on Ctrl-C (SIGINT), with exit code 130 and the states it saw", async () => {
      let interrupted = false;
      const { code, signal, stdout, stderr } = await runCli(["watch", ...base("Cluster0"), "--interval", "10m", "-o", "json"], {
        onStderr: (text, child) => {
          if (!interrupted && text.includes("poll 1:")) {
            interrupted = true;
            child.kill("SIGINT");
          }
        },
      });
      assert.deepEqual([code, signal], [130, null]);
      assert.match(linesOf(stderr).at(-1), /^interrupted after 1 poll: 9 Queued, 9 InProgress$/);
      assert.equal(JSON.parse(stdout).length, 18);
    });

    it("asks a service account's token once for every poll, and revokes it at the end", async () => {
      mock.startExports("WatchToken", { outcomes: ["Successful"], queuedFor: 1, runningFor: 2 });
      const env = { ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET };
      const { code, stderr } = await runCli(["watch", ...base("WatchToken"), "--interval", "50ms"], { env });
      assert.equal(code, 0, stderr);
      const stats = mock.stats();
      assert.deepEqual([stats.tokenRequests, stats.tokensIssued, stats.bearer, stats.revokeRequests], [1, 1, 4, 1]);
    });

    it("takes intervals in ms, s, m and h, and refuses others", async () => {
      for (const interval of ["10x", "0", "1s5", "1.5.0s", "25d", ""]) {
        const { code, stderr } = await runCli(["watch", ...base("Cluster0"), "--interval", interval]);
        assert.equal(code, 2, interval);
        assert.match(stderr, /--interval must be a duration such as 500ms, 10s, 2m or 1h/);
      }
      for (const interval of ["0.05s", "50ms", "1m", "1h", "2"]) {
        const { code } = await runCli(["watch", ...base("Cluster0"), "--interval", interval, "--max-polls", "1"]);
        assert.equal(code, 4, interval);
      }
      assert.equal(mock.requests.length, 5, "each accepted interval polled once; no refused one sent anything");
    });
  });

  describe("errors", () => {
    /** Runs and checks the exit code, one line on stderr and nothing on stdout; returns the line. */
    async function failing(args, exitCode, env) {
      const { code, stdout, stderr } = await runCli(args, env && { env });
      assert.equal(code, exitCode, stderr);
      assert.equal(stdout, "");
      const lines = linesOf(stderr);
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], /^atlas-export-jobs: /);
      return lines[0];
    }

    it("exit 2 for a wrong command line or a parameter the library refuses, naming the flag", async () => {
      assert.match(await failing(["list", ...base("Cluster0").slice(2), "--project", "ABC"], 2), /invalid --project: groupId "ABC" must be 24 lowercase hex characters/);
      assert.match(await failing(["list", "--cluster", "Cluster0", "--base-url", mock.url], 2), /no project: give --projectId <id> \(or --project\), or set MONGODB_ATLAS_PROJECT_ID/);
      assert.match(await failing(["list", ...base("Cluster0"), "--items-per-page", "501"], 2), /invalid --items-per-page: itemsPerPage/);
      assert.match(await failing(["list", ...base("Cluster0"), "--page", "two"], 2), /invalid --page: pageNum must be an integer/);
      assert.match(await failing(["list", ...base("Cluster0"), "--api-version", "v3"], 2), /invalid --api-version/);
      assert.match(await failing(["list", ...base("Cluster0").slice(0, 4), "--base-url", "http://example.com"], 2), /invalid --base-url: baseUrl/);
      assert.match(await failing(["list", ...base("Cluster0"), "--output", "xml"], 2), /--output must be one of table, plaintext, json, ndjson, csv, not "xml"/);
      assert.match(await failing(["list", ...base("Cluster0"), "--colour"], 2), /unknown option --colour/);
      assert.match(await failing(["list", ...base("Cluster0"), "extra"], 2), /unexpected argument: the cluster is already given with --cluster/);
      assert.match(await failing(["watch", ...base("Cluster0"), "--max-polls", "0"], 2), /--max-polls must be a whole number from 1/);
      assert.match(await failing(["watch", ...base("Cluster0"), "--job", "nope"], 2), /--job "nope" is not an export job id/);
      assert.match(await failing(["frob"], 2), /unknown command "frob"/);
      assert.equal(mock.requests.length, 0, "nothing was sent");
      const { code, stderr } = await runCli([]);
      assert.equal(code, 2);
      assert.match(stderr, /a command is required/);
    });

    it("exit 2 for a flag that would take a secret, without repeating its value", async () => {
      for (const flag of ["--token=s3cr3t-value", "--client-secret=s3cr3t-value", "--private-key=s3cr3t-value", "--api-key=s3cr3t-value"]) {
        const line = await failing(["list", ...base("Cluster0"), flag], 2);
        assert.match(line, /is not an option: credentials are read from variables \(such as MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET\) or an Atlas CLI profile only/);
        assert.ok(!line.includes("s3cr3t-value"));
      }
    });

    it("exit 3 for an API error, with its status, code, detail and a hint", async () => {
      assert.equal(
        await failing(["list", ...base("Nope0")], 3),
        `atlas-export-jobs: api error 404 CLUSTER_NOT_FOUND: No cluster named Nope0 exists in group ${MOCK_GROUP_ID}. Hint: check the project id (--project) and the cluster name (--cluster).`,
      );
      mock.injectFault({ cluster: "Cluster0", fault: { status: 403, body: { error: 403, errorCode: "IP_ADDRESS_NOT_ON_WHITELIST", detail: "IP address 10.0.0.1 is not allowed.", reason: "Forbidden" } } });
      assert.match(await failing(["list", ...base("Cluster0")], 3), /^atlas-export-jobs: api error 403 IP_ADDRESS_NOT_ON_WHITELIST: IP address 10\.0\.0\.1 is not allowed\. Hint: check the IP access list/);
      mock.injectFault({ cluster: "Cluster0", fault: { status: 500 } });
      assert.match(await failing(["list", ...base("Cluster0")], 3), /api error 500 UNEXPECTED_ERROR: Unexpected error\.$/);
      mock.injectFault({ cluster: "Cluster0", fault: "html502" });
      assert.match(await failing(["list", ...base("Cluster0"), "--retries", "0"], 3), /api error 502: the server answered 502 with a body that is not an Atlas error/);
      mock.injectFault({ cluster: "Cluster0", fault: "truncated" });
      assert.match(await failing(["list", ...base("Cluster0")], 3), /decode error at \$/);
    });

    it("exit 4 when Atlas cannot be reached or does not answer in time", async () => {
      const port = await closedPort();
      const refused = await failing(["list", ...base("Cluster0").slice(0, 4), "--base-url", `http://127.0.0.1:${port}`, "--retries", "0"], 4);
      assert.match(refused, /network error: .*Hint: check --base-url/);
      mock.injectFault({ cluster: "Cluster0", fault: "hang" });
      assert.match(await failing(["list", ...base("Cluster0"), "--retries", "0", "--request-timeout", "100ms"], 4), /timeout: no complete response within 100 ms/);
      mock.injectFault({ cluster: "Cluster0", fault: "hang" });
      assert.match(await failing(["list", ...base("Cluster0"), "--timeout", "200ms"], 4), /gave up after 200ms \(--timeout\)/);
    });

    it("exit 5 when credentials are missing, malformed or refused", async () => {
      assert.match(
        await failing(["list", ...base("Cluster0")], 5, {}),
        /no credentials: set MONGODB_ATLAS_ACCESS_TOKEN, or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY \(or their ATLAS_\* forms: see --help\), or put client_id and client_secret, or public_api_key and private_api_key, or access_token, in the Atlas CLI profile "default"/,
      );
      assert.match(await failing(["list", ...base("Cluster0")], 5, { ATLAS_CLIENT_ID: MOCK_CLIENT_ID }), /ATLAS_CLIENT_ID is set without ATLAS_CLIENT_SECRET/);
      assert.match(await failing(["list", ...base("Cluster0")], 5, { ATLAS_ACCESS_TOKEN: "two words" }), /invalid ATLAS_ACCESS_TOKEN: auth\.token must be/);
      assert.match(
        await failing(["list", ...base("Cluster0")], 5, { ATLAS_ACCESS_TOKEN: "not-the-token" }),
        /api error 401 USER_UNAUTHORIZED: .* Hint: check the key or service account \(ATLAS_ACCESS_TOKEN\), and that it has a role on this project/,
      );
      assert.match(
        await failing(["list", ...base("Cluster0")], 5, { ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: "not-the-secret" }),
        /auth error 401 invalid_client: .*check ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET/,
      );
      assert.match(await failing(["list", ...base("Cluster0")], 5, { ATLAS_PUBLIC_KEY: MOCK_PUBLIC_KEY, ATLAS_PRIVATE_KEY: "not-the-key" }), /api error 401 USER_UNAUTHORIZED/);
    });
  });

  describe("credentials", () => {
    it("are taken in order: token, then service account, then API key", async () => {
      const all = {
        ATLAS_ACCESS_TOKEN: MOCK_TOKEN,
        ATLAS_CLIENT_ID: MOCK_CLIENT_ID,
        ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET,
        ATLAS_PUBLIC_KEY: MOCK_PUBLIC_KEY,
        ATLAS_PRIVATE_KEY: MOCK_PRIVATE_KEY,
      };
      const schemeOf = async (env) => {
        mock.reset();
        const { code, stderr } = await runCli(["list", ...base("Cluster0")], { env });
        assert.equal(code, 0, stderr);
        return mock.requests.filter((r) => r.method === "GET").at(-1).authScheme;
      };
      assert.equal(await schemeOf(all), "Bearer");
      assert.equal(await schemeOf({ ...all, ATLAS_ACCESS_TOKEN: "" }), "Bearer");
      assert.equal(mock.stats().tokenRequests, 1, "the service account's token");
      assert.equal(await schemeOf({ ATLAS_PUBLIC_KEY: MOCK_PUBLIC_KEY, ATLAS_PRIVATE_KEY: MOCK_PRIVATE_KEY, ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET }), "Digest");
    });

    for (const [variable, secret, env, wrong] of [
      ["ATLAS_ACCESS_TOKEN", MOCK_TOKEN, {}, { ATLAS_ACCESS_TOKEN: "wrong-token-4b1f9e" }],
      ["ATLAS_CLIENT_SECRET", MOCK_CLIENT_SECRET, { ATLAS_CLIENT_ID: MOCK_CLIENT_ID }, { ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: "wrong-secret-8c2d7a" }],
      ["ATLAS_PRIVATE_KEY", MOCK_PRIVATE_KEY, { ATLAS_PUBLIC_KEY: MOCK_PUBLIC_KEY }, { ATLAS_PUBLIC_KEY: MOCK_PUBLIC_KEY, ATLAS_PRIVATE_KEY: "wrong-key-5e3a1c" }],
    ]) {
      it(`never print ${variable}, on success or on any failure`, async () => {
        const good = { ...env, [variable]: secret };
        const secrets = [secret, ...Object.values(wrong).filter((value) => value.startsWith("wrong-"))];
        const runs = [
          ["list", ...base("Cluster0"), "-o", "table"],
          ["list", ...base("Cluster0"), "-o", "csv"],
          ["list", ...base("Nope0")],
          ["list", ...base("Cluster0"), "--project", "ABC"],
          ["list", ...base("Cluster0"), "--colour"],
          ["watch", ...base("Cluster0"), "--interval", "50ms", "--max-polls", "2"],
          ["--help"],
          ["list", "--help"],
        ].map((args) => [args, good]);
        runs.push([["list", ...base("Cluster0")], wrong], [["watch", ...base("Cluster0"), "--interval", "50ms"], wrong]);
        for (const [args, runEnv] of runs) {
          const { stdout, stderr } = await runCli(args, { env: runEnv });
          for (const value of secrets) {
            assert.ok(!stdout.includes(value) && !stderr.includes(value), `${args.join(" ")} printed ${variable}`);
            const basic = Buffer.from(`${MOCK_CLIENT_ID}:${value}`).toString("base64");
            assert.ok(!stdout.includes(basic) && !stderr.includes(basic));
          }
        }
      });
    }
  });

  describe("help and version", () => {
    it("print help to stdout and exit 0", async () => {
      for (const [args, heading] of [
        [["--help"], /^atlas-export-jobs: list and watch/],
        [["-h"], /^atlas-export-jobs: list and watch/],
        [["help"], /^atlas-export-jobs: list and watch/],
        [["help", "list"], /^Usage: atlas-export-jobs list /],
        [["list", "--help"], /^Usage: atlas-export-jobs list /],
        [["watch", "-h"], /^Usage: atlas-export-jobs watch /],
      ]) {
        const { code, stdout, stderr } = await runCli(args, { env: {} });
        assert.equal(code, 0);
        assert.equal(stderr, "");
        assert.match(stdout, heading);
        assert.match(stdout, /ATLAS_ACCESS_TOKEN/);
        assert.match(stdout, /Exit codes: 0 ok, 1 /);
        assert.ok(linesOf(stdout).every((line) => line.length <= 80), args.join(" "));
      }
    });

    it("print the package's version with --version", async () => {
      const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8"));
      const { code, stdout } = await runCli(["--version"], { env: {} });
      assert.equal(code, 0);
      assert.equal(stdout, `${version}\n`);
    });
  });

  describe("on a terminal", { skip: !hasScript && "util-linux script is not installed" }, () => {
    /** Runs the bin under a pseudo-terminal of `script`, with COLUMNS=80; its output is the terminal's. */
    function runInTerminal(args, env = {}) {
      const command = shellWords([BIN, ...args]);
      return runProcess("script", ["-qec", command, "/dev/null"], {
        env: environment({ ATLAS_ACCESS_TOKEN: MOCK_TOKEN, COLUMNS: "80", TERM: "xterm", ...env }),
      });
    }

    it("prints a table by default, every line within 80 columns", async () => {
      const { code, stdout } = await runInTerminal(["list", ...base("Size1200"), "--all"]);
      assert.equal(code, 0);
      const lines = renderedLines(stdout);
      const tooWide = lines.filter((line) => [...line].length > 80);
      assert.deepEqual(tooWide, []);
      const rows = lines.filter((line) => /^[a-f0-9]{24} /.test(line));
      assert.equal(rows.length, 1200);
      assert.deepEqual(rows.map((line) => line.split(/\s+/)[0]), (await datasetOf("Size1200")).map((job) => job.id));
      assert.ok(lines.some((line) => /^ID {2,}STATE {2,}EXPORTED {2,}CREATED {2,}REASON$/.test(line)));
      assert.ok(lines.includes("1200 jobs"));
    });

    it("draws a progress bar a job while watching, every line within 80 columns", async () => {
      const { ids } = mock.startExports("WatchPty", { outcomes: ["Successful", "Failed", "Cancelled"], queuedFor: 1, runningFor: 3 });
      const { code, stdout } = await runInTerminal(["watch", ...base("WatchPty"), "--interval", "50ms"]);
      assert.equal(code, 1);
      assert.match(stdout, /\u001b\[\?25l/, "the cursor is hidden while drawing");
      assert.match(stdout, /\u001b\[\?25h/, "and shown again");
      assert.match(stdout, /\u001b\[\d+F/, "frames are redrawn in place");
      const lines = renderedLines(stdout);
      assert.deepEqual(lines.filter((line) => [...line].length > 80), []);
      const bars = lines.filter((line) => /^[a-f0-9]{24} .* \[[#.]+\] +\d+%/.test(line));
      for (const id of ids) assert.ok(bars.some((line) => line.startsWith(id)), id);
      assert.ok(bars.some((line) => /InProgress +\[#+\.+\]/.test(line)), "a partly filled bar");
      assert.ok(bars.some((line) => /Successful +\[#+\] 100%/.test(line)), "a full bar");
      assert.ok(lines.includes("3 export jobs done after 5 polls: 1 Successful, 1 Failed, 1 Cancelled"));
      // The failure reason is printed whole, wrapped to the terminal.
      const failed = (await datasetOf("WatchPty")).find((job) => job.state === "Failed");
      const wrapped = lines.slice(lines.findIndex((line) => line.startsWith(`${ids[1]} Failed: `))).slice(0, 3).join(" ");
      assert.ok(wrapped.includes(failed.stateReason.message), wrapped);
    });
  });
});
