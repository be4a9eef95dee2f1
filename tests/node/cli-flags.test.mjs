// The atlas-export-jobs command's flags as an Atlas CLI user types them, run as users run it (the
// installed bin against the mock, stdout piped): every syntax the Atlas CLI's parser (pflag)
// takes, each checked in what the mock was asked.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { MOCK_GROUP_ID, startMockAtlas } from "atlas-export-jobs/testing";

import { linesOf, runCli } from "./cli-support.mjs";

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

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 600 });
  });
  afterEach(() => mock.reset());
  after(() => mock.close());

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
});
