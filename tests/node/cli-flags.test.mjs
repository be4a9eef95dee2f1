// The atlas-export-jobs command's flags as an Atlas CLI user types them, run as users run it (the
// installed bin against the mock, stdout piped): every syntax the Atlas CLI's parser (pflag)
// takes, each checked in what the mock was asked.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";

import { exportJob, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

import { linesOf, runCli } from "./cli-support.mjs";

const PLAINTEXT_HEADER = ["ID", "EXPORT BUCKET ID", "STATE", "SNAPSHOT ID"];

/**
 * What Go's text/tabwriter writes for these rows of cells with the Atlas CLI's settings (minwidth
 * 6, tabwidth 4, padding 3, padchar ' '): every column but the last padded with spaces to
 * max(6, its widest cell + 3), widths in code points.
 */
function tabwriter(rows) {
  const width = (text) => [...text].length;
  const widths = rows[0].slice(0, -1).map((_, i) => Math.max(6, ...rows.map((row) => width(row[i]) + 3)));
  return rows.map((row) => `${row.map((cell, i) => (i < widths.length ? cell + " ".repeat(widths[i] - width(cell)) : cell)).join("")}\n`).join("");
}

/** The Atlas CLI's plaintext for `jobs`: its list template's columns, an absent field empty. */
const plaintextOf = (jobs) => tabwriter([PLAINTEXT_HEADER, ...jobs.map((job) => [job.id, job.exportBucketId, job.state, job.snapshotId].map((field) => field ?? ""))]);

describe("atlas-export-jobs flags", () => {
  let mock;
  const gets = (cluster = "Cluster0") => mock.requests.filter((r) => r.method === "GET" && r.path.includes(`/clusters/${cluster}/`));
  /** `list Cluster0` against the mock with `args`. */
  const list = (...args) => runCli(["list", "Cluster0", "--base-url", mock.url, ...args]);

  /** Runs, checks exit 2, one line on stderr, nothing on stdout or sent; returns the line. */
  async function refused(args) {
    const sent = mock.requests.length;
    const { code, stdout, stderr } = await runCli(args);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.equal(linesOf(stderr).length, 1, stderr);
    assert.equal(mock.requests.length, sent, "nothing was sent");
    return stderr.trimEnd();
  }

  const datasetOf = (cluster) => fetch(`${mock.url}/__mock/dataset?cluster=${cluster}`).then((response) => response.json());
  const homes = [];

  /** A home whose $XDG_CONFIG_HOME/atlascli/config.toml is `text`; the variables that point there. */
  function configHome(text) {
    const dir = mkdtempSync(join(tmpdir(), "atlas-export-jobs-flags-"));
    homes.push(dir);
    mkdirSync(join(dir, "xdg", "atlascli"), { recursive: true });
    writeFileSync(join(dir, "xdg", "atlascli", "config.toml"), text);
    return { HOME: dir, XDG_CONFIG_HOME: join(dir, "xdg") };
  }

  before(async () => {
    mock = await startMockAtlas({
      clusters: {
        // An absent id and snapshot, and a state with a tab and an escape sequence in it.
        Odd0: [exportJob({ id: undefined, snapshotId: undefined }), exportJob({ state: "Paus\ted\u001b[31m" })],
        WatchPlain: 0,
      },
      maxSeconds: 600,
    });
  });
  afterEach(() => mock.reset());
  after(async () => {
    await mock.close();
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  });

  describe("as pflag reads them", () => {
    it("take a value after = or as the next word: --flag=value, --flag value, -o json, -o=json, -ojson", async () => {
      for (const args of [
        ["--projectId", MOCK_GROUP_ID, "--limit", "5", "--output", "json"],
        [`--projectId=${MOCK_GROUP_ID}`, "--limit=5", "--output=json"],
        ["--projectId", MOCK_GROUP_ID, "--limit=5", "-o", "json"],
        ["--projectId", MOCK_GROUP_ID, "--limit=5", "-o=json"],
        ["--projectId", MOCK_GROUP_ID, "--limit=5", "-ojson"],
      ]) {
        mock.reset();
        const { code, stdout, stderr } = await list(...args);
        assert.equal(code, 0, `${args.join(" ")}: ${stderr}`);
        assert.equal(JSON.parse(stdout).results.length, 5, args.join(" "));
        assert.deepEqual(gets().map((r) => r.query), [{ itemsPerPage: "5" }], args.join(" "));
      }
    });

    it("take the next word as the value even when it starts with a dash", async () => {
      const line = await refused(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--page", "-1"]);
      assert.match(line, /^atlas-export-jobs: invalid --page: pageNum /);
    });

    it("end at --: every word after it is an argument", async () => {
      const { code, stdout, stderr } = await runCli(["list", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "-o", "json", "--", "Cluster0"]);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).results.length, 42);
      assert.equal(
        await refused(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--", "--limit", "5"]),
        "atlas-export-jobs: unexpected argument: list takes one argument, the cluster; every other value follows the option it belongs to",
      );
    });

    it("take a boolean alone as true, or its value after = in strconv.ParseBool's spellings", async () => {
      for (const [flag, sent] of [
        ["--omitCount", { includeCount: "false" }],
        ...["1", "t", "T", "true", "TRUE", "True"].map((word) => [`--omitCount=${word}`, { includeCount: "false" }]),
        ...["0", "f", "F", "false", "FALSE", "False"].map((word) => [`--omitCount=${word}`, {}]),
        ["--no-count=false", {}],
      ]) {
        mock.reset();
        const { code, stdout, stderr } = await list("--projectId", MOCK_GROUP_ID, "-o", "json", flag);
        assert.equal(code, 0, `${flag}: ${stderr}`);
        assert.deepEqual(gets().map((r) => r.query), [sent], flag);
        assert.equal("totalCount" in JSON.parse(stdout), sent.includeCount === undefined, flag);
      }
      assert.equal(
        await refused(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--omitCount=no"]),
        'atlas-export-jobs: --omitCount takes true or false (or 1, 0, t, f), not "no" (see atlas-export-jobs list --help)',
      );
    });

    it("read `--omitCount false` as pflag does, true and then an argument, and say how to write it", async () => {
      assert.equal(
        await refused(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--omitCount", "false"]),
        'atlas-export-jobs: unexpected argument: list takes one argument, the cluster; every other value follows the option it belongs to (a boolean flag takes its value after "=": --omitCount=false)',
      );
    });

    it("let the last of a repeated flag win", async () => {
      const { code, stdout, stderr } = await list("--projectId", MOCK_GROUP_ID, "--limit", "5", "--limit=7", "--page", "2", "--page=3", "-o", "csv", "--output", "json");
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).results.length, 7);
      assert.deepEqual(gets().map((r) => r.query), [{ itemsPerPage: "7", pageNum: "3" }]);
      mock.reset();
      const boolean = await list("--projectId", MOCK_GROUP_ID, "-o", "json", "--omitCount", "--omitCount=false");
      assert.equal(boolean.code, 0, boolean.stderr);
      assert.deepEqual(gets().map((r) => r.query), [{}]);
    });

    it("say which flag needs a value, as typed, when none follows", async () => {
      const base = ["list", "Cluster0", "--projectId", MOCK_GROUP_ID];
      assert.equal(await refused([...base, "-o"]), "atlas-export-jobs: -o needs a value (see atlas-export-jobs list --help)");
      assert.equal(await refused([...base, "--output"]), "atlas-export-jobs: --output needs a value (see atlas-export-jobs list --help)");
      // pflag would take "--limit" as the format; no value here can be a flag.
      assert.equal(await refused([...base, "--output", "--limit", "5"]), "atlas-export-jobs: --output needs a value (see atlas-export-jobs list --help)");
    });

    it("refuse an unknown flag with a guess, and a secret-looking one without repeating its value", async () => {
      const base = ["list", "Cluster0", "--projectId", MOCK_GROUP_ID];
      assert.equal(await refused([...base, "-projectId", MOCK_GROUP_ID]), "atlas-export-jobs: unknown option -p; did you mean --projectId? (see atlas-export-jobs list --help)");
      assert.equal(await refused([...base, "--limt=5"]), "atlas-export-jobs: unknown option --limt; did you mean --limit? (see atlas-export-jobs list --help)");
      for (const flag of ["--token=s3cr3t-value", "-token=s3cr3t-value", "--clientSecret s3cr3t-value"]) {
        const line = await refused([...base, ...flag.split(" ")]);
        assert.match(line, /^atlas-export-jobs: -?-\w+ is not an option: credentials are read from variables/, flag);
        assert.ok(!line.includes("s3cr3t-value"), flag);
      }
    });
  });

  describe("--state", () => {
    it("takes the export states in any case and filters on each as Atlas spells it", async () => {
      const dataset = await fetch(`${mock.url}/__mock/dataset?cluster=Cluster0`).then((response) => response.json());
      for (const [args, states] of [
        [["--state", "failed"], ["Failed"]],
        [["--state=FAILED"], ["Failed"]],
        [["--state", "inprogress,queued"], ["InProgress", "Queued"]],
        [["--state", "cancelled", "--state", "Successful"], ["Cancelled", "Successful"]],
      ]) {
        const { code, stdout, stderr } = await list("--projectId", MOCK_GROUP_ID, "-o", "ndjson", ...args);
        assert.equal(code, 0, stderr);
        assert.equal(stderr, "");
        const jobs = linesOf(stdout).map((line) => JSON.parse(line));
        assert.ok(jobs.length > 0, args.join(" "));
        assert.deepEqual(jobs, dataset.filter((job) => states.includes(job.state)), args.join(" "));
      }
      const table = await list("--projectId", MOCK_GROUP_ID, "-o", "table", "--state", "failed");
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stderr, /^\d+ of 42 jobs on page 1 are Failed, 42 in all\n$/);
    });

    it("refuses a state that is not one with exit 2, and the closest state", async () => {
      const base = ["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url];
      const STATES = "(the states are Queued, InProgress, Successful, Failed, Cancelled)";
      for (const [typo, suggestion] of [
        ["faild", "Failed"],
        ["FAILD", "Failed"],
        ["Sucessful", "Successful"],
        ["inprogres", "InProgress"],
        ["Canceled", "Cancelled"],
        ["queue", "Queued"],
      ]) {
        assert.equal(await refused([...base, "--state", typo]), `atlas-export-jobs: --state ${JSON.stringify(typo)} is not an export state; did you mean ${JSON.stringify(suggestion)}? ${STATES}`);
      }
      assert.equal(await refused([...base, "--state", "Failed,Paused"]), `atlas-export-jobs: --state "Paused" is not an export state ${STATES}`);
      assert.equal(await refused([...base, "--state", ","]), "atlas-export-jobs: --state needs a state: Queued, InProgress, Successful, Failed, Cancelled");
    });
  });

  describe("plaintext, the Atlas CLI's own output", () => {
    it("prints the columns of `atlas backups exports jobs list`, aligned as Go's tabwriter aligns them", async () => {
      const { code, stdout, stderr } = await list("--projectId", MOCK_GROUP_ID, "--limit", "10", "-o", "plaintext");
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "", "nothing but the jobs, as the Atlas CLI prints");
      assert.equal(stdout, plaintextOf((await datasetOf("Cluster0")).slice(0, 10)));
      const lines = linesOf(stdout);
      assert.equal(lines[0], "ID                         EXPORT BUCKET ID           STATE        SNAPSHOT ID");
      assert.equal(lines[1], "6955b900ebacaafe1f000000   6955b90009dcdb823d000000   Queued       6955b900156a7140d0000000");
      assert.equal(lines.length, 11);
    });

    it("prints the header alone for no jobs, each column at least 6 wide", async () => {
      const { code, stdout } = await runCli(["list", "Empty0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "-o", "plaintext"]);
      assert.equal(code, 0);
      assert.equal(stdout, "ID    EXPORT BUCKET ID   STATE   SNAPSHOT ID\n");
    });

    it("prints an absent field as an empty cell and no control character from the server", async () => {
      const { code, stdout, stderr } = await runCli(["list", "Odd0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "-o", "plaintext"]);
      assert.equal(code, 0, stderr);
      const [first, second] = await datasetOf("Odd0");
      assert.ok(!("id" in first) && !("snapshotId" in first));
      assert.equal(stdout, plaintextOf([first, { ...second, state: "Paus ed [31m" }]));
      assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(stdout), JSON.stringify(stdout));
      // No id: its cell is empty, padded to the column; the STATE column is 12 + 3 wide.
      assert.match(linesOf(stdout)[1], /^ {27}[a-f0-9]{24} {3}Successful {5}$/);
    });

    it("is taken from -o, MONGODB_ATLAS_OUTPUT and the profile's output", async () => {
      const expected = plaintextOf(await datasetOf("Cluster0"));
      const profile = configHome(`[default]\n  project_id = "${MOCK_GROUP_ID}"\n  output = "plaintext"\n`);
      for (const [args, env, source] of [
        [["--projectId", MOCK_GROUP_ID, "-o", "plaintext"], {}, "-o"],
        [["--projectId", MOCK_GROUP_ID, "--output=plaintext"], { MONGODB_ATLAS_OUTPUT: "json" }, "--output"],
        [["--projectId", MOCK_GROUP_ID], { MONGODB_ATLAS_OUTPUT: "plaintext" }, "MONGODB_ATLAS_OUTPUT"],
        [[], profile, 'output of profile "default"'],
      ]) {
        const { code, stdout, stderr } = await runCli(["list", "Cluster0", "--base-url", mock.url, "--verbose", ...args], { env: { MONGODB_ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...env } });
        assert.equal(code, 0, stderr);
        assert.equal(stdout, expected, source);
        assert.match(stderr, new RegExp(`^ {2}output +${source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"), stderr);
      }
    });

    it("prints a watch's jobs the same way at its end", async () => {
      const { ids } = mock.startExports("WatchPlain", { outcomes: ["Successful", "Failed"], queuedFor: 0, runningFor: 1 });
      const { code, stdout, stderr } = await runCli(["watch", "WatchPlain", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "--interval", "50ms", "-o", "plaintext"]);
      assert.equal(code, 1, stderr);
      const final = (await datasetOf("WatchPlain")).filter((job) => ids.includes(job.id));
      assert.deepEqual(final.map((job) => job.state), ["Successful", "Failed"]);
      assert.equal(stdout, plaintextOf(final));
    });

    it("is one of the formats; the Atlas CLI's json-path and go-template are refused with exit 2, without repeating the template", async () => {
      const base = ["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url];
      const formats = "must be one of table, plaintext, json, ndjson, csv";
      for (const [flag, value, name] of [
        ["-o", "json-path=$.results[*].id", "json-path"],
        ["--output", "go-template={{range .Results}}{{.Id}}{{end}}", "go-template"],
        ["-o", "go-template-file=jobs.tmpl", "go-template-file"],
        ["-o", "json-path", "json-path"],
        ["-o", "go-template", "go-template"],
      ]) {
        const line = await refused([...base, flag, value]);
        assert.equal(line, `atlas-export-jobs: ${flag} ${formats}: the Atlas CLI's ${name} is not supported here`);
      }
      assert.equal(await refused([...base, "-o=yaml"]), `atlas-export-jobs: -o ${formats}, not "yaml"`);
      assert.equal(await refused([...base, "-oplaintex"]), `atlas-export-jobs: -o ${formats}, not "plaintex"; did you mean plaintext?`);
    });
  });

  describe("the default output", () => {
    it("is the table with stdout piped too, as the Atlas CLI prints text to a pipe", async () => {
      const { code, stdout, stderr } = await list("--projectId", MOCK_GROUP_ID, "--limit", "10", "--verbose");
      assert.equal(code, 0, stderr);
      const lines = linesOf(stdout);
      assert.match(lines[0], /^ID {2,}STATE {2,}EXPORTED {2,}CREATED {2,}/);
      const dataset = (await datasetOf("Cluster0")).slice(0, 10);
      assert.deepEqual(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2)), dataset.map((job) => [job.id, job.state]));
      assert.match(stderr, /^ {2}output +the default \(table\)$/m);
      assert.match(stderr, /^10 jobs on page 1, 42 in all; next: --page 2, or --all for every job$/m);

      const { ids } = mock.startExports("WatchPlain", { outcomes: ["Successful"], queuedFor: 0, runningFor: 1 });
      const watched = await runCli(["watch", "WatchPlain", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "--interval", "50ms"]);
      assert.equal(watched.code, 0, watched.stderr);
      assert.match(linesOf(watched.stdout)[0], /^ID {2,}STATE {2,}/);
      assert.match(linesOf(watched.stdout)[1], new RegExp(`^${ids[0]} {2,}Successful `));
    });
  });
});
