// The atlas-export-jobs command driven as Atlas CLI users drive it: the cluster as an argument,
// the Atlas CLI's flag names, its MONGODB_ATLAS_* variables and its profiles (a config file in a
// temporary home), each checked in what the mock was asked; "did you mean" for near misses; no
// secret printed from any source; and `watch` ending on the demo's own running jobs.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";

import { listExportJobs } from "atlas-export-jobs";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";
import { DEMO_JOB_STEP_MS, startDemo } from "../../www/server.mjs";

import { linesOf, runCli, sourcesOf } from "./cli-support.mjs";

/** A well-formed project id the mock does not have (404 GROUP_NOT_FOUND). */
const OTHER_GROUP_ID = "0123456789abcdef01234567";
const TERMINAL = ["Successful", "Failed", "Cancelled"];

/** A port nothing listens on: connecting is refused. */
function closedPort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A TOML basic string. */
const toml = (value) => JSON.stringify(value);

/** A config file's text: one table a profile, `{ name: { key: value } }`. */
function configText(profiles) {
  return Object.entries(profiles)
    .map(([name, settings]) => `[${name}]\n${Object.entries(settings).map(([key, value]) => `  ${key} = ${toml(value)}`).join("\n")}\n`)
    .join("\n");
}

describe("atlas-export-jobs with the Atlas CLI's habits", () => {
  let mock;
  const homes = [];
  const requests = () => fetch(`${mock.url}/__mock/requests`).then((response) => response.json());
  const gets = async () => (await requests()).filter((r) => r.method === "GET");
  const pathOf = (groupId, cluster) => `/api/atlas/v2/groups/${groupId}/clusters/${cluster}/backup/exports`;

  /**
   * A temporary home for a run: `home` (an Atlas CLI config file in ~/.config/atlascli with these
   * profiles) and `xdg` (one in $XDG_CONFIG_HOME/atlascli). Returns the variables that point there.
   */
  function homeWith({ home, xdg } = {}) {
    const dir = mkdtempSync(join(tmpdir(), "atlas-export-jobs-cli-"));
    homes.push(dir);
    const env = { HOME: join(dir, "home") };
    mkdirSync(env.HOME);
    if (home !== undefined) {
      mkdirSync(join(env.HOME, ".config", "atlascli"), { recursive: true });
      writeFileSync(join(env.HOME, ".config", "atlascli", "config.toml"), typeof home === "string" ? home : configText(home));
    }
    if (xdg !== undefined) {
      env.XDG_CONFIG_HOME = join(dir, "xdg");
      mkdirSync(join(env.XDG_CONFIG_HOME, "atlascli"), { recursive: true });
      writeFileSync(join(env.XDG_CONFIG_HOME, "atlascli", "config.toml"), configText(xdg));
    }
    return env;
  }

  before(async () => {
    mock = await startMockAtlas({ clusters: { Pos0: 0 }, maxSeconds: 600 });
  });
  afterEach(() => mock.reset());
  after(async () => {
    await mock.close();
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  });

  describe("the cluster as an argument", () => {
    it("lists `list <clusterName>` as --cluster does", async () => {
      const positional = await runCli(["list", "Cluster0", "--project", MOCK_GROUP_ID, "--base-url", mock.url]);
      assert.equal(positional.code, 0, positional.stderr);
      const flag = await runCli(["list", "--cluster", "Cluster0", "--project", MOCK_GROUP_ID, "--base-url", mock.url]);
      assert.equal(positional.stdout, flag.stdout);
      assert.deepEqual((await gets()).map((r) => r.path), [pathOf(MOCK_GROUP_ID, "Cluster0"), pathOf(MOCK_GROUP_ID, "Cluster0")]);
    });

    it("watches `watch <clusterName> <exportJobId>`, and the Atlas CLI's `watch <exportJobId> --clusterName`", async () => {
      for (const args of [(id) => ["Pos0", id], (id) => [id, "--clusterName", "Pos0"]]) {
        mock.reset();
        const { ids } = mock.startExports("Pos0", { outcomes: ["Successful", "Failed"], queuedFor: 0, runningFor: 1 });
        const { code, stdout, stderr } = await runCli(["watch", ...args(ids[0]), "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "--interval", "50ms", "-o", "json"]);
        assert.equal(code, 0, stderr);
        assert.deepEqual(JSON.parse(stdout).map((job) => [job.id, job.state]), [[ids[0], "Successful"]]);
        assert.ok(!stderr.includes(ids[1]), "only the job named is watched");
      }
    });

    it("is required, once", async () => {
      const none = await runCli(["list", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url]);
      assert.equal(none.code, 2);
      assert.equal(none.stderr, "atlas-export-jobs: no cluster: name it first, as in `atlas-export-jobs list <clusterName>`, or give --cluster <name>\n");
      const twice = await runCli(["list", "Cluster0", "--cluster", "Cluster0", "--projectId", MOCK_GROUP_ID]);
      assert.equal(twice.code, 2);
      assert.match(twice.stderr, /unexpected argument: the cluster is already given with --cluster/);
      const badJob = await runCli(["watch", "Pos0", "nope", "--projectId", MOCK_GROUP_ID]);
      assert.equal(badJob.code, 2);
      assert.match(badJob.stderr, /<exportJobId> "nope" is not an export job id/);
      assert.deepEqual(await gets(), []);
    });
  });

  describe("the Atlas CLI's flags", () => {
    const run = (...args) => runCli(["list", "Cluster0", "--base-url", mock.url, ...args]);

    it("send each one to Atlas: --projectId, --limit, --page, --omitCount", async () => {
      for (const [args, path, query] of [
        [["--projectId", MOCK_GROUP_ID], pathOf(MOCK_GROUP_ID, "Cluster0"), {}],
        [["--projectId", MOCK_GROUP_ID, "--limit", "7"], pathOf(MOCK_GROUP_ID, "Cluster0"), { itemsPerPage: "7" }],
        [["--projectId", MOCK_GROUP_ID, "--page", "3"], pathOf(MOCK_GROUP_ID, "Cluster0"), { pageNum: "3" }],
        [["--projectId", MOCK_GROUP_ID, "--omitCount"], pathOf(MOCK_GROUP_ID, "Cluster0"), { includeCount: "false" }],
        [["--projectId", MOCK_GROUP_ID, "--limit", "7", "--page", "3", "--omitCount"], pathOf(MOCK_GROUP_ID, "Cluster0"), { itemsPerPage: "7", pageNum: "3", includeCount: "false" }],
      ]) {
        mock.reset();
        const { code, stdout, stderr } = await run(...args, "-o", "json");
        assert.equal(code, 0, stderr);
        assert.deepEqual((await gets()).map((r) => [r.path, r.query]), [[path, query]], args.join(" "));
        const page = JSON.parse(stdout);
        if (query.itemsPerPage) assert.equal(page.results.length, 7);
        assert.equal("totalCount" in page, query.includeCount === undefined);
      }
    });

    it("print the page exactly as Atlas sent it with -o json, indented by two spaces as the Atlas CLI does", async () => {
      const { code, stdout } = await run("--projectId", MOCK_GROUP_ID, "--limit", "3", "--page", "2", "-o", "json");
      assert.equal(code, 0);
      const sent = await fetch(`${mock.url}${pathOf(MOCK_GROUP_ID, "Cluster0")}?itemsPerPage=3&pageNum=2`, {
        headers: { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: V2_MEDIA_TYPE },
      }).then((response) => response.text());
      assert.equal(stdout, `${JSON.stringify(JSON.parse(sent), null, 2)}\n`, "Atlas's body, field for field and in its order");
      const page = await listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 3, pageNum: 2 }, { baseUrl: mock.url, accessToken: MOCK_TOKEN });
      assert.equal(stdout, `${JSON.stringify(page, null, 2)}\n`, "the library's page");
    });

    it("are equivalents of the command's own: the same request, and a refusal names the flag as typed", async () => {
      const atlas = await run("--projectId", MOCK_GROUP_ID, "--limit", "5", "--omitCount");
      const own = await run("--project", MOCK_GROUP_ID, "--items-per-page", "5", "--no-count");
      assert.equal(atlas.stdout, own.stdout);
      const [first, second] = await gets();
      assert.deepEqual([first.path, first.query], [second.path, second.query]);

      mock.reset();
      for (const [args, message] of [
        [["--projectId", MOCK_GROUP_ID, "--limit", "501"], /^atlas-export-jobs: invalid --limit: itemsPerPage/],
        [["--projectId", "ABC"], /^atlas-export-jobs: invalid --projectId: groupId "ABC" must be 24 lowercase hex characters/],
        [["--projectId", MOCK_GROUP_ID, "--project", OTHER_GROUP_ID], /^atlas-export-jobs: --project and --projectId say the same thing differently: give one/],
        [["--projectId", MOCK_GROUP_ID, "--limit", "5", "--items-per-page", "6"], /--items-per-page and --limit say the same thing differently/],
      ]) {
        const { code, stderr } = await run(...args);
        assert.equal(code, 2, args.join(" "));
        assert.match(stderr, message);
      }
      assert.deepEqual(await gets(), []);
    });
  });

  describe("settings: a flag, then a MONGODB_ATLAS_* variable, then the profile", () => {
    const wrongUrl = async () => `http://127.0.0.1:${await closedPort()}`;

    it("take the project from each, in that order", async () => {
      const profile = homeWith({ home: { default: { project_id: OTHER_GROUP_ID } } });
      for (const [args, env, groupId, source] of [
        [[], profile, OTHER_GROUP_ID, 'project_id of profile "default"'],
        [[], { ...profile, MONGODB_ATLAS_PROJECT_ID: MOCK_GROUP_ID }, MOCK_GROUP_ID, "MONGODB_ATLAS_PROJECT_ID"],
        [["--projectId", MOCK_GROUP_ID], { ...profile, MONGODB_ATLAS_PROJECT_ID: OTHER_GROUP_ID }, MOCK_GROUP_ID, "--projectId"],
        [["--project", MOCK_GROUP_ID], { MONGODB_ATLAS_PROJECT_ID: OTHER_GROUP_ID }, MOCK_GROUP_ID, "--project"],
        [[], { ...profile, MONGODB_ATLAS_PROJECT_ID: "" }, OTHER_GROUP_ID, 'project_id of profile "default"'],
      ]) {
        mock.reset();
        const { code, stderr } = await runCli(["list", "Cluster0", "--base-url", mock.url, "--verbose", ...args], { env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...env } });
        assert.equal(code, groupId === MOCK_GROUP_ID ? 0 : 3, stderr);
        assert.deepEqual((await gets()).map((r) => r.path), [pathOf(groupId, "Cluster0")], source);
        assert.equal(sourcesOf(stderr).project, source);
      }
      const { code, stderr } = await runCli(["list", "Cluster0"], { env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN } });
      assert.equal(code, 2);
      assert.match(stderr, /no project: give --projectId <id> \(or --project\), or set MONGODB_ATLAS_PROJECT_ID, or set project_id in the Atlas CLI profile "default"/);
    });

    it("take the base URL from each, in that order (MONGODB_ATLAS_OPS_MANAGER_URL, ops_manager_url)", async () => {
      const closed = await wrongUrl();
      const atMock = homeWith({ home: { default: { ops_manager_url: `${mock.url}/` } } });
      const atClosed = homeWith({ home: { default: { ops_manager_url: `${closed}/` } } });
      for (const [args, env, source] of [
        [[], atMock, 'ops_manager_url of profile "default"'],
        [[], { ...atClosed, MONGODB_ATLAS_OPS_MANAGER_URL: `${mock.url}/` }, "MONGODB_ATLAS_OPS_MANAGER_URL"],
        [["--base-url", mock.url], { ...atClosed, MONGODB_ATLAS_OPS_MANAGER_URL: closed }, "--base-url"],
      ]) {
        mock.reset();
        const { code, stderr } = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--verbose", ...args], { env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...env } });
        assert.equal(code, 0, stderr);
        assert.equal((await gets()).length, 1, source);
        assert.equal(sourcesOf(stderr)["base URL"], source);
      }
      const refused = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--retries", "0"], { env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...atClosed } });
      assert.equal(refused.code, 4);
      assert.match(refused.stderr, /network error: .*Hint: check ops_manager_url of profile "default" and that this machine can reach it\.$/m);
    });

    it("take the output format from each, in that order (MONGODB_ATLAS_OUTPUT, output)", async () => {
      const csv = homeWith({ home: { default: { output: "csv" } } });
      for (const [args, env, source, looksLike] of [
        [[], csv, 'output of profile "default"', /^id,state,createdAt,/],
        [[], { ...csv, MONGODB_ATLAS_OUTPUT: "ndjson" }, "MONGODB_ATLAS_OUTPUT", /^\{"createdAt":/],
        [["-o", "json"], { ...csv, MONGODB_ATLAS_OUTPUT: "ndjson" }, "-o", /^\{\n {2}"links": \[/],
        [["--output", "table"], { MONGODB_ATLAS_OUTPUT: "ndjson" }, "--output", /^ID {2,}STATE/],
      ]) {
        const { code, stdout, stderr } = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "--verbose", ...args], {
          env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...env },
        });
        assert.equal(code, 0, stderr);
        assert.match(stdout, looksLike, source);
        assert.equal(sourcesOf(stderr).output, source);
      }
      for (const [env, name] of [
        [{ MONGODB_ATLAS_OUTPUT: "go-template={{.Id}}" }, "MONGODB_ATLAS_OUTPUT"],
        [homeWith({ home: { default: { output: "json-path=$.results" } } }), 'output of profile "default"'],
      ]) {
        const { code, stdout, stderr } = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url], { env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...env } });
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.ok(stderr.startsWith(`atlas-export-jobs: ${name} must be one of table, plaintext, json, ndjson, csv: the Atlas CLI's `), stderr);
        assert.ok(!stderr.includes("{{") && !stderr.includes("$.results"), "the value is not repeated");
      }
    });

    it("take credentials from MONGODB_ATLAS_ACCESS_TOKEN, _CLIENT_ID and _CLIENT_SECRET, _PUBLIC_API_KEY and _PRIVATE_API_KEY", async () => {
      for (const [env, scheme, source] of [
        [{ MONGODB_ATLAS_ACCESS_TOKEN: MOCK_TOKEN }, "Bearer", "MONGODB_ATLAS_ACCESS_TOKEN (an access token)"],
        [
          { MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET },
          "Bearer",
          "MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (a service account)",
        ],
        [
          { MONGODB_ATLAS_PUBLIC_API_KEY: MOCK_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: MOCK_PRIVATE_KEY },
          "Digest",
          "MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY (an API key, by HTTP Digest)",
        ],
      ]) {
        mock.reset();
        const { code, stderr } = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "--verbose"], { env });
        assert.equal(code, 0, stderr);
        const served = (await gets()).filter((r) => r.status === 200);
        assert.deepEqual(served.map((r) => r.authScheme), [scheme]);
        assert.equal(mock.stats().tokensIssued, env.MONGODB_ATLAS_CLIENT_ID ? 1 : 0);
        assert.equal(sourcesOf(stderr).credentials, source);
      }
    });

    it("take credentials from the MONGODB_ATLAS_* variables, then the ATLAS_* ones, then the profile", async () => {
      const keys = homeWith({ home: { default: { public_api_key: MOCK_PUBLIC_KEY, private_api_key: MOCK_PRIVATE_KEY } } });
      const account = homeWith({ home: { default: { client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET } } });
      for (const [env, scheme, source] of [
        [keys, "Digest", 'public_api_key and private_api_key of profile "default"'],
        [account, "Bearer", 'client_id and client_secret of profile "default"'],
        [{ ...keys, ATLAS_ACCESS_TOKEN: MOCK_TOKEN }, "Bearer", "ATLAS_ACCESS_TOKEN"],
        [{ ATLAS_ACCESS_TOKEN: MOCK_TOKEN, MONGODB_ATLAS_PUBLIC_API_KEY: MOCK_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: MOCK_PRIVATE_KEY }, "Digest", "MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY"],
        [{ ...keys, MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET }, "Bearer", "MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET"],
      ]) {
        mock.reset();
        const { code, stderr } = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "--verbose"], { env });
        assert.equal(code, 0, stderr);
        assert.deepEqual((await gets()).filter((r) => r.status === 200).map((r) => r.authScheme), [scheme], source);
        assert.ok(sourcesOf(stderr).credentials.startsWith(`${source} (`), sourcesOf(stderr).credentials);
      }
      // A set is taken whole from one place: a half there is noted and passed over.
      const { code, stderr } = await runCli(["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", mock.url, "-o", "json"], {
        env: { ...keys, MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID },
      });
      assert.equal(code, 0);
      assert.equal(
        stderr,
        'atlas-export-jobs: note: MONGODB_ATLAS_CLIENT_ID is set without MONGODB_ATLAS_CLIENT_SECRET; using public_api_key and private_api_key of profile "default"\n',
      );
    });
  });

  describe("the Atlas CLI profile", () => {
    const list = (args, env) => runCli(["list", "Sharded0", "--verbose", ...args], { env });
    const everything = {
      project_id: MOCK_GROUP_ID,
      public_api_key: MOCK_PUBLIC_KEY,
      private_api_key: MOCK_PRIVATE_KEY,
      output: "ndjson",
      org_id: "5e2211c17a3e5a48f5497de3",
      service: "cloud",
    };

    it("is read from ~/.config/atlascli/config.toml, the default profile unless -P names one", async () => {
      const env = homeWith({
        home: {
          default: { ...everything, ops_manager_url: `${mock.url}/` },
          prod: { project_id: MOCK_GROUP_ID, client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET, ops_manager_url: `${mock.url}/` },
        },
      });
      const byDefault = await list([], env);
      assert.equal(byDefault.code, 0, byDefault.stderr);
      assert.equal(linesOf(byDefault.stdout).length, 7, "ndjson, from the profile");
      assert.deepEqual(sourcesOf(byDefault.stderr), {
        project: 'project_id of profile "default"',
        cluster: "<clusterName>",
        "base URL": 'ops_manager_url of profile "default"',
        output: 'output of profile "default"',
        credentials: 'public_api_key and private_api_key of profile "default" (an API key, by HTTP Digest)',
        profile: `"default", in ${join(env.HOME, ".config", "atlascli", "config.toml")}`,
      });
      assert.equal((await gets()).filter((r) => r.status === 200)[0].authScheme, "Digest");

      for (const flag of ["-P", "--profile"]) {
        mock.reset();
        const named = await list([flag, "prod"], env);
        assert.equal(named.code, 0, named.stderr);
        assert.equal(sourcesOf(named.stderr).credentials, 'client_id and client_secret of profile "prod" (a service account)');
        assert.equal(mock.stats().tokensIssued, 1);
        assert.match(named.stdout, /^ID {2,}STATE {2,}/, "the table, the default, to a pipe too: prod sets no output");
      }
    });

    it("is read from $XDG_CONFIG_HOME/atlascli/config.toml when that is set", async () => {
      const env = homeWith({
        home: { default: { project_id: OTHER_GROUP_ID, ops_manager_url: `${mock.url}/` } },
        xdg: { default: { ...everything, ops_manager_url: `${mock.url}/` } },
      });
      const { code, stderr } = await list([], env);
      assert.equal(code, 0, stderr);
      assert.equal(sourcesOf(stderr).profile, `"default", in ${join(env.XDG_CONFIG_HOME, "atlascli", "config.toml")}`);
      assert.deepEqual((await gets()).map((r) => r.path), [pathOf(MOCK_GROUP_ID, "Sharded0"), pathOf(MOCK_GROUP_ID, "Sharded0")], "the digest challenge, then the page");
    });

    it("may be missing when it is not named", async () => {
      const { code, stderr } = await list(["--projectId", MOCK_GROUP_ID, "--base-url", mock.url], { MONGODB_ATLAS_ACCESS_TOKEN: MOCK_TOKEN, ...homeWith() });
      assert.equal(code, 0, stderr);
      assert.match(sourcesOf(stderr).profile, /^"default": not found in .*config\.toml$/);
    });

    it("is refused, without repeating a value, when it is not there or cannot be used", async () => {
      const secret = "s3cr3t-profile-value-91c2";
      const good = homeWith({ home: { default: everything, production: everything } });
      for (const [args, env, message] of [
        [["-P", "prodution"], good, /^atlas-export-jobs: no profile "prodution" \(--profile\): .*config\.toml has no such profile; did you mean "production"\?$/],
        [["-P", "staging"], good, /^atlas-export-jobs: no profile "staging" \(--profile\): .*config\.toml has no such profile$/],
        [["-P", "prod"], homeWith(), /^atlas-export-jobs: no profile "prod" \(--profile\): there is no Atlas CLI config file at .*config\.toml$/],
        [[], homeWith({ home: `[default]\nprivate_api_key = "${secret}\npublic_api_key = "x"\n` }), /^atlas-export-jobs: the Atlas CLI config file .*config\.toml is not valid TOML \(line 2, column \d+\)$/],
        [[], homeWith({ home: `[default]\nproject_id = 6542\nprivate_api_key = "${secret}"\n` }), /^atlas-export-jobs: project_id of profile "default" in .*config\.toml must be a string$/],
      ]) {
        const { code, stdout, stderr } = await list(args, env);
        assert.equal(code, 2, stderr);
        assert.equal(stdout, "");
        assert.equal(linesOf(stderr).length, 1, stderr);
        assert.match(stderr.trimEnd(), message);
        assert.ok(!stderr.includes(secret));
      }
      assert.deepEqual(await gets(), []);
    });
  });

  describe("did you mean", () => {
    /** Runs, checks exit 2, one line on stderr, nothing on stdout or sent; returns the line. */
    async function refused(args) {
      const { code, stdout, stderr } = await runCli(args);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "");
      assert.equal(linesOf(stderr).length, 1, stderr);
      return stderr.trimEnd();
    }

    it("suggests the flag within two edits, in any case, and exits 2", async () => {
      const list = ["list", "Cluster0", "--projectId", MOCK_GROUP_ID];
      for (const [typo, suggestion] of [
        ["--projectid", "--projectId"],
        ["--PROJECTID", "--projectId"],
        ["--omitcount", "--omitCount"],
        ["--limt", "--limit"],
        ["--itemsPerPage", "--items-per-page"],
        ["--pages", "--page"],
        ["--profle", "--profile"],
        ["--clustername", "--clusterName"],
      ]) {
        const line = await refused([...list, `${typo}=5`]);
        assert.equal(line, `atlas-export-jobs: unknown option ${typo}; did you mean ${suggestion}? (see atlas-export-jobs list --help)`);
      }
      assert.equal(await refused(["watch", "Cluster0", "--intervall", "1s"]), "atlas-export-jobs: unknown option --intervall; did you mean --interval? (see atlas-export-jobs watch --help)");
      // Three edits or more, and one-letter flags, get no guess.
      assert.equal(await refused([...list, "--colour"]), "atlas-export-jobs: unknown option --colour (see atlas-export-jobs list --help)");
      assert.equal(await refused([...list, "--proj", MOCK_GROUP_ID]), "atlas-export-jobs: unknown option --proj (see atlas-export-jobs list --help)");
      assert.match(await refused([...list, "-x"]), /^atlas-export-jobs: unknown option -x \(see /);
      assert.deepEqual(await gets(), []);
    });

    it("suggests the command within two edits, and exits 2", async () => {
      for (const [typo, suggestion] of [["lst", "list"], ["LIST", "list"], ["wacth", "watch"], ["watsh", "watch"]]) {
        assert.equal(
          await refused([typo, "Cluster0"]),
          `atlas-export-jobs: unknown command ${JSON.stringify(typo)}; did you mean ${suggestion}? (the commands are list and watch; see atlas-export-jobs --help)`,
        );
      }
      assert.equal(await refused(["backups", "Cluster0"]), 'atlas-export-jobs: unknown command "backups" (the commands are list and watch; see atlas-export-jobs --help)');
      assert.equal(await refused(["help", "lsit"]), 'atlas-export-jobs: no help for "lsit"; did you mean list? (the commands are list and watch)');
    });
  });

  describe("secrets", () => {
    const WRONG = { token: "wrong-token-77ad01", secret: "wrong-secret-3e9b5c", key: "wrong-key-c40f18" };
    // Every place a secret can come from, right and wrong: the variables and the profile's keys.
    const SOURCES = [
      ["MONGODB_ATLAS_ACCESS_TOKEN", { MONGODB_ATLAS_ACCESS_TOKEN: MOCK_TOKEN }, { MONGODB_ATLAS_ACCESS_TOKEN: WRONG.token }],
      [
        "MONGODB_ATLAS_CLIENT_SECRET",
        { MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET },
        { MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: WRONG.secret },
      ],
      [
        "MONGODB_ATLAS_PRIVATE_API_KEY",
        { MONGODB_ATLAS_PUBLIC_API_KEY: MOCK_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: MOCK_PRIVATE_KEY },
        { MONGODB_ATLAS_PUBLIC_API_KEY: MOCK_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: WRONG.key },
      ],
      ["the profile's client_secret", () => homeWith({ home: { default: { client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET } } }), () => homeWith({ home: { default: { client_id: MOCK_CLIENT_ID, client_secret: WRONG.secret } } })],
      ["the profile's private_api_key", () => homeWith({ home: { default: { public_api_key: MOCK_PUBLIC_KEY, private_api_key: MOCK_PRIVATE_KEY } } }), () => homeWith({ home: { default: { public_api_key: MOCK_PUBLIC_KEY, private_api_key: WRONG.key } } })],
    ];
    const SECRETS = [MOCK_TOKEN, MOCK_CLIENT_SECRET, MOCK_PRIVATE_KEY, ...Object.values(WRONG)];
    const basicOf = (secret) => Buffer.from(`${MOCK_CLIENT_ID}:${secret}`).toString("base64");

    for (const [name, good, wrong] of SOURCES) {
      it(`are never printed from ${name}, on success or on any failure`, async () => {
        const goodEnv = typeof good === "function" ? good() : good;
        const wrongEnv = typeof wrong === "function" ? wrong() : wrong;
        const base = ["--projectId", MOCK_GROUP_ID, "--base-url", mock.url];
        const runs = [
          ["list", "Cluster0", ...base, "-o", "table", "--verbose"],
          ["list", "Cluster0", ...base, "-o", "csv"],
          ["list", "Nope0", ...base],
          ["list", "Cluster0", ...base, "--projectId", "ABC"],
          ["list", "Cluster0", ...base, "--colour"],
          ["list", "Cluster0", ...base, "--clientSecret=x"],
          ["list", "Cluster0", ...base, "-P", "nope"],
          ["watch", "Cluster0", ...base, "--interval", "50ms", "--max-polls", "2", "--verbose"],
          ["--help"],
          ["list", "--help"],
        ].map((args) => [args, goodEnv]);
        runs.push([["list", "Cluster0", ...base, "--verbose"], wrongEnv], [["watch", "Cluster0", ...base, "--interval", "50ms"], wrongEnv]);
        for (const [args, env] of runs) {
          const { stdout, stderr } = await runCli(args, { env });
          for (const secret of SECRETS) {
            assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `${args.join(" ")} printed a secret from ${name}`);
            assert.ok(!stdout.includes(basicOf(secret)) && !stderr.includes(basicOf(secret)));
          }
        }
      });
    }
  });
});

describe("atlas-export-jobs watch on the demo's clusters", () => {
  const MAX_STEPS = 100;
  let demo;
  before(async () => {
    // The demo as scripts/demo.sh serves it, its jobs at the demo's pace, on a clock this test
    // moves: one step each time it ticks, from the first poll on, so no test waits for the pace.
    const startedAt = Date.now();
    demo = await startDemo({ mock: { latencyMs: 0, maxSeconds: 300, now: () => startedAt } });
  });
  after(() => demo.close());

  for (const cluster of ["Cluster0", "Sharded0", "Big0"]) {
    it(`follows ${cluster}'s own Queued and InProgress jobs to their outcomes`, async () => {
      demo.mock.reset();
      const before = await fetch(`${demo.mock.url}/__mock/dataset?cluster=${cluster}`).then((response) => response.json());
      const running = before.filter((job) => !TERMINAL.includes(job.state)).map((job) => job.id);
      assert.ok(running.length > 0);
      let ticker;
      let steps = 0;
      const { code, stdout, stderr } = await runCli(["watch", cluster, "--projectId", MOCK_GROUP_ID, "--base-url", demo.mock.url, "--interval", "20ms", "-o", "json"], {
        env: { MONGODB_ATLAS_ACCESS_TOKEN: MOCK_TOKEN },
        onStderr: (text, child) => {
          if (ticker !== undefined || !text.includes("poll 1:")) return;
          ticker = setInterval(() => {
            steps += 1;
            demo.mock.advanceClock(DEMO_JOB_STEP_MS / 1000);
            if (steps >= MAX_STEPS) clearInterval(ticker);
          }, 30);
          child.on("close", () => clearInterval(ticker));
        },
      });
      assert.ok(steps < MAX_STEPS, `done within ${steps} steps of the demo's pace`);
      const final = JSON.parse(stdout);
      assert.deepEqual(final.map((job) => job.id), running, "every job that was running, and only those");
      assert.ok(final.every((job) => TERMINAL.includes(job.state)), "each reached an outcome");
      const after = await fetch(`${demo.mock.url}/__mock/dataset?cluster=${cluster}`).then((response) => response.json());
      assert.deepEqual(final, after.filter((job) => running.includes(job.id)), "as the mock has them now");
      const failedOrCancelled = final.filter((job) => job.state !== "Successful");
      assert.equal(code, failedOrCancelled.length === 0 ? 0 : 1, stderr);
      assert.match(linesOf(stderr).find((line) => line.includes(" done after ")), new RegExp(`^${running.length} export jobs done after \\d+ polls: `));
      for (const job of failedOrCancelled) assert.ok(stderr.includes(`${job.id} ${job.state}`), job.id);
    });
  }
});
