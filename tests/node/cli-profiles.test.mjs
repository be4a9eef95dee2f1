// The atlas-export-jobs command reading an Atlas CLI user's own config file: profiles as
// `atlas config init` and `atlas auth login` write them (`version = 2` on top, one table a
// profile with its auth_type and service), API keys, service accounts, the access token of a login
// with its JWT expiry, credentials kept in the system keyring, Atlas for Government (`service =
// "cloudgov"`), and which profile is used. Each run is the installed bin against the mock, and no
// run prints a token, a secret or a key.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

import { linesOf, runCli, sourcesOf } from "./cli-support.mjs";

const GOV_URL = "https://cloud.mongodbgov.com";
/** A well-formed project id the mock does not have. */
const OTHER_GROUP_ID = "0123456789abcdef01234567";

const base64url = (value) => Buffer.from(value).toString("base64url");

/** An access token as `atlas auth login` stores it: a JWT (here unsigned by Atlas) that expires at `exp` seconds. */
function loginToken(exp) {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const claims = base64url(JSON.stringify({ sub: "ops@example.com", iss: "https://auth.mongodb.com", exp }));
  return `${header}.${claims}.${randomBytes(32).toString("base64url")}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const isoOf = (seconds) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");

/** The login token the mock accepts, valid for 12 hours as Atlas's are. */
const LOGIN_EXP = nowSeconds() + 12 * 3600;
const LOGIN_TOKEN = loginToken(LOGIN_EXP);
/** A service account's token the Atlas CLI cached in its profile: not one the mock accepts. */
const CACHED_TOKEN = loginToken(nowSeconds() + 3600);
const REFRESH_TOKEN = `refresh-${randomBytes(16).toString("hex")}`;
/** Everything no run may print. */
const SECRETS = [LOGIN_TOKEN, CACHED_TOKEN, REFRESH_TOKEN, MOCK_TOKEN, MOCK_CLIENT_SECRET, MOCK_PRIVATE_KEY];

/** A config file as the Atlas CLI writes it: `version = 2`, then one indented table a profile. */
function configText(profiles, top = { version: 2 }) {
  const value = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  const globals = Object.entries(top).map(([key, v]) => `${key} = ${value(v)}\n`);
  const tables = Object.entries(profiles).map(
    ([name, keys]) => `\n[${name}]\n${Object.entries(keys).map(([key, v]) => `  ${key} = ${value(v)}\n`).join("")}`,
  );
  return [...globals, ...tables].join("");
}

describe("atlas-export-jobs with an Atlas CLI user's own config file", () => {
  let mock;
  /** A mock that takes the usual MOCK_TOKEN, which is no JWT. */
  let plain;
  const dirs = [];
  const served = () => mock.requests.filter((r) => r.method === "GET" && r.status === 200);

  /**
   * A temporary home holding `text` (or `configText(profiles)`) as the Atlas CLI's config file,
   * used both as HOME (~/.config/atlascli) and as XDG_CONFIG_HOME's parent, as on Linux.
   */
  function home(profiles, top) {
    const dir = mkdtempSync(join(tmpdir(), "atlas-export-jobs-profiles-"));
    dirs.push(dir);
    mkdirSync(join(dir, ".config", "atlascli"), { recursive: true });
    const path = join(dir, ".config", "atlascli", "config.toml");
    writeFileSync(path, typeof profiles === "string" ? profiles : configText(profiles, top), { mode: 0o600 });
    return { env: { HOME: dir, XDG_CONFIG_HOME: join(dir, ".config") }, path };
  }

  /** Runs the bin with `env` (no credentials but the profile's unless given) and checks that no secret is printed. */
  async function run(args, env) {
    const result = await runCli(args, { env });
    for (const secret of SECRETS) {
      assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `a secret printed by ${args.join(" ")}`);
    }
    // Nor any part of a token: its signature alone would be a lead.
    for (const token of [LOGIN_TOKEN, CACHED_TOKEN]) {
      for (const part of token.split(".").slice(1)) assert.ok(!result.stderr.includes(part) && !result.stdout.includes(part));
    }
    return result;
  }

  /** A run that must fail with `code` before sending anything; returns its one line. */
  async function refused(args, env, code) {
    mock.reset();
    const { code: actual, stdout, stderr } = await run(args, env);
    assert.equal(actual, code, stderr);
    assert.equal(stdout, "");
    assert.equal(linesOf(stderr).length, 1, stderr);
    assert.deepEqual(mock.requests, [], "nothing was sent");
    return stderr.trimEnd();
  }

  before(async () => {
    mock = await startMockAtlas({ token: LOGIN_TOKEN, maxSeconds: 600 });
    plain = await startMockAtlas({ maxSeconds: 600 });
  });
  afterEach(() => {
    mock.reset();
    plain.reset();
  });
  after(async () => {
    await mock.close();
    await plain.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const list = (...args) => ["list", "Cluster0", "--verbose", ...args];
  /** What every profile here shares: the project, and the mock as ops_manager_url (with the trailing slash `atlas config set` asks for). */
  const common = () => ({ service: "cloud", project_id: MOCK_GROUP_ID, org_id: "5e2211c17a3e5a48f5497de3", output: "json", ops_manager_url: `${mock.url}/` });

  describe("credentials as the Atlas CLI stores them", () => {
    it("uses API keys, a service account (not the token it cached) and the access token of `atlas auth login`", async () => {
      const { env } = home({
        default: { auth_type: "api_keys", public_api_key: MOCK_PUBLIC_KEY, private_api_key: MOCK_PRIVATE_KEY, ...common() },
        sa: { auth_type: "service_account", client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET, access_token: CACHED_TOKEN, ...common() },
        login: { auth_type: "user_account", access_token: LOGIN_TOKEN, refresh_token: REFRESH_TOKEN, ...common() },
      });
      for (const [args, scheme, credentials, tokens] of [
        [[], "Digest", 'public_api_key and private_api_key of profile "default" (an API key, by HTTP Digest)', 0],
        [["-P", "sa"], "Bearer", 'client_id and client_secret of profile "sa" (a service account)', 1],
        [["-P", "login"], "Bearer", `access_token of profile "login" (an access token that expires at ${isoOf(LOGIN_EXP)})`, 0],
      ]) {
        mock.reset();
        const { code, stdout, stderr } = await run(list(...args), env);
        assert.equal(code, 0, stderr);
        assert.equal(JSON.parse(stdout).totalCount, 42);
        assert.equal(sourcesOf(stderr).credentials, credentials);
        assert.deepEqual(served().map((r) => [r.authScheme, r.authorized]), [[scheme, true]]);
        assert.equal(mock.stats().tokensIssued, tokens, "a service account gets a token of its own");
      }
    });

    it("uses a token that is not a JWT as it is", async () => {
      const { env } = home({ default: { auth_type: "user_account", access_token: MOCK_TOKEN, refresh_token: REFRESH_TOKEN, project_id: MOCK_GROUP_ID } });
      const { code, stderr } = await run(list("--base-url", plain.url), env);
      assert.equal(code, 0, stderr);
      assert.equal(sourcesOf(stderr).credentials, 'access_token of profile "default" (an access token)');
      assert.deepEqual(plain.requests.map((r) => [r.authScheme, r.authorized]), [["Bearer", true]]);
    });

    it("guesses as the Atlas CLI does without auth_type: a service account, then API keys, then a login's token", async () => {
      const account = { client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET };
      const keys = { public_api_key: MOCK_PUBLIC_KEY, private_api_key: MOCK_PRIVATE_KEY };
      const token = { access_token: LOGIN_TOKEN, refresh_token: REFRESH_TOKEN };
      const { env } = home({
        all: { ...common(), ...token, ...keys, ...account },
        keys: { ...common(), ...token, ...keys },
        token: { ...common(), ...token },
      });
      for (const [name, source] of [
        ["all", 'client_id and client_secret of profile "all" (a service account)'],
        ["keys", 'public_api_key and private_api_key of profile "keys" (an API key, by HTTP Digest)'],
        ["token", `access_token of profile "token" (an access token that expires at ${isoOf(LOGIN_EXP)})`],
      ]) {
        const { code, stderr } = await run(list("-P", name), env);
        assert.equal(code, 0, stderr);
        assert.equal(sourcesOf(stderr).credentials, source);
      }
    });

    it("lets auth_type pick among the sets a profile holds", async () => {
      const all = { client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET, public_api_key: MOCK_PUBLIC_KEY, private_api_key: MOCK_PRIVATE_KEY, access_token: LOGIN_TOKEN };
      const { env } = home({
        keys: { auth_type: "api_keys", ...all, ...common() },
        login: { auth_type: "user_account", ...all, ...common() },
      });
      for (const [name, scheme, tokens] of [["keys", "Digest", 0], ["login", "Bearer", 0]]) {
        mock.reset();
        const { code, stderr } = await run(list("-P", name), env);
        assert.equal(code, 0, stderr);
        assert.deepEqual(served().map((r) => r.authScheme), [scheme]);
        assert.equal(mock.stats().tokensIssued, tokens);
      }
      const { env: odd } = home({ default: { auth_type: "password", ...all, ...common() } });
      assert.equal(await refused(list(), odd, 2), 'atlas-export-jobs: auth_type of profile "default" must be one of api_keys, service_account, user_account, no_auth');
    });

    it("refuses an expired login token, or one within 10 s of expiring, and says to log in again", async () => {
      for (const exp of [nowSeconds() - 3600, nowSeconds() + 5]) {
        const { env } = home({ default: { auth_type: "user_account", access_token: loginToken(exp), refresh_token: REFRESH_TOKEN, ...common() } });
        assert.equal(
          await refused(list(), env, 5),
          `atlas-export-jobs: the access_token of profile "default" expired at ${isoOf(exp)}; run \`atlas auth login\` (this command does not refresh tokens)`,
        );
      }
      const exp = nowSeconds() - 60;
      const { env } = home({ prod: { auth_type: "user_account", access_token: loginToken(exp), refresh_token: REFRESH_TOKEN, ...common() } });
      assert.equal(
        await refused(list("-P", "prod"), env, 5),
        `atlas-export-jobs: the access_token of profile "prod" expired at ${isoOf(exp)}; run \`atlas auth login -P prod\` (this command does not refresh tokens)`,
      );
      // A token from a variable is not the profile's: it is sent, and Atlas judges it.
      mock.reset();
      const { code } = await run(list("-P", "prod"), { ...env, MONGODB_ATLAS_ACCESS_TOKEN: LOGIN_TOKEN });
      assert.equal(code, 0);
    });

    it("says that credentials kept in the system keyring cannot be read, and which variables to set", async () => {
      const keyring = "the Atlas CLI (1.47 and later) keeps them in the system keyring, which this command cannot read";
      const { env, path } = home({
        default: { auth_type: "api_keys", ...common() },
        sa: { auth_type: "service_account", ...common() },
        login: { auth_type: "user_account", ...common() },
        old: common(),
      });
      const all = "set MONGODB_ATLAS_ACCESS_TOKEN, or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY instead";
      for (const [args, message] of [
        [[], `those of profile "default" (auth_type "api_keys") are not in ${path}; ${keyring}: set MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY instead`],
        [["-P", "sa"], `those of profile "sa" (auth_type "service_account") are not in ${path}; ${keyring}: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET instead`],
        [["-P", "login"], `those of profile "login" (auth_type "user_account") are not in ${path}; ${keyring}: ${all}`],
        [["-P", "old"], `those of profile "old" are not in ${path}; ${keyring}: ${all}`],
      ]) {
        assert.equal(await refused(list(...args), env, 5), `atlas-export-jobs: no credentials: ${message}`);
      }
      // The variables it names then work with the profile's other settings.
      const { code, stderr } = await run(list(), { ...env, MONGODB_ATLAS_PUBLIC_API_KEY: MOCK_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: MOCK_PRIVATE_KEY });
      assert.equal(code, 0, stderr);
      assert.equal(sourcesOf(stderr).project, 'project_id of profile "default"');
    });
  });

  describe('service = "cloudgov"', () => {
    // Sending to the real Atlas for Government is not a test's business: a project id the
    // library refuses stops each run after --verbose, before anything is sent.
    const stopped = ["--projectId", "ABC"];

    it("means https://cloud.mongodbgov.com, which --verbose shows", async () => {
      const { env } = home({ gov: { auth_type: "api_keys", service: "cloudgov", public_api_key: MOCK_PUBLIC_KEY, private_api_key: MOCK_PRIVATE_KEY, project_id: MOCK_GROUP_ID } });
      for (const [extra, source] of [
        [{}, `${GOV_URL} (service "cloudgov" of profile "gov")`],
        [{ MONGODB_ATLAS_SERVICE: "cloudgov", MONGODB_ATLAS_PROFILE: "gov" }, `${GOV_URL} (MONGODB_ATLAS_SERVICE "cloudgov")`],
      ]) {
        const { code, stderr } = await run(list(...stopped), { ...env, ...extra });
        assert.equal(code, 2, stderr);
        assert.equal(sourcesOf(stderr)["base URL"], source);
        assert.match(stderr, /invalid --projectId: groupId "ABC" must be 24 lowercase hex characters\n$/);
      }
      // MONGODB_ATLAS_SERVICE beats the profile's service, as the Atlas CLI's variables do.
      const { env: cloud } = home({ default: { service: "cloudgov", project_id: MOCK_GROUP_ID, ops_manager_url: "" } });
      const { stderr } = await run(list(...stopped), { ...cloud, MONGODB_ATLAS_SERVICE: "cloud", MONGODB_ATLAS_ACCESS_TOKEN: LOGIN_TOKEN });
      assert.equal(sourcesOf(stderr)["base URL"], "the default (https://cloud.mongodb.com)");
      assert.deepEqual(mock.requests, []);
    });

    it("gives way to ops_manager_url (or base_url), MONGODB_ATLAS_OPS_MANAGER_URL (or MONGODB_ATLAS_BASE_URL) and --base-url, token endpoint included", async () => {
      const gov = { auth_type: "service_account", service: "cloudgov", client_id: MOCK_CLIENT_ID, client_secret: MOCK_CLIENT_SECRET, project_id: MOCK_GROUP_ID, output: "json" };
      const { env } = home({ default: { ...gov, ops_manager_url: `${mock.url}/` }, bare: gov, aliased: { ...gov, base_url: `${mock.url}/` } });
      for (const [args, extra, source] of [
        [[], {}, 'ops_manager_url of profile "default"'],
        [["-P", "bare"], { MONGODB_ATLAS_OPS_MANAGER_URL: mock.url }, "MONGODB_ATLAS_OPS_MANAGER_URL"],
        [["-P", "bare", "--base-url", mock.url], {}, "--base-url"],
        // The Atlas CLI's older names for the same setting, read after the current ones.
        [["-P", "bare"], { MONGODB_ATLAS_BASE_URL: mock.url }, "MONGODB_ATLAS_BASE_URL"],
        [["-P", "aliased"], {}, 'base_url of profile "aliased"'],
        [["-P", "aliased"], { MONGODB_ATLAS_OPS_MANAGER_URL: mock.url, MONGODB_ATLAS_BASE_URL: "https://elsewhere.example" }, "MONGODB_ATLAS_OPS_MANAGER_URL"],
      ]) {
        mock.reset();
        const { code, stdout, stderr } = await run(list(...args), { ...env, ...extra });
        assert.equal(code, 0, stderr);
        assert.equal(JSON.parse(stdout).totalCount, 42);
        assert.equal(sourcesOf(stderr)["base URL"], source);
        // The service account's token came from the same place as the jobs.
        assert.equal(mock.stats().tokensIssued, 1);
        assert.deepEqual(served().map((r) => r.authScheme), ["Bearer"]);
      }
    });

    it("is refused, naming the key or the variable, when it is not a service the Atlas CLI knows", async () => {
      const { env } = home({ default: { ...common(), service: "cloudgovt", access_token: LOGIN_TOKEN }, ok: { ...common(), access_token: LOGIN_TOKEN } });
      assert.equal(await refused(list(), env, 2), 'atlas-export-jobs: service of profile "default" must be "cloud" or "cloudgov", as in the Atlas CLI');
      assert.equal(
        await refused(list("-P", "ok"), { ...env, MONGODB_ATLAS_SERVICE: "opsmanager" }, 2),
        'atlas-export-jobs: MONGODB_ATLAS_SERVICE must be "cloud" or "cloudgov", as in the Atlas CLI',
      );
    });
  });

  describe("which profile", () => {
    /** Profiles `names`, each a login's that lists from the mock. */
    const profiles = (...names) => Object.fromEntries(names.map((name) => [name, { auth_type: "user_account", access_token: LOGIN_TOKEN, ...common() }]));
    const used = async (args, env) => {
      const { code, stderr } = await run(list(...args), env);
      assert.equal(code, 0, stderr);
      return sourcesOf(stderr).profile;
    };

    it("is -P, else MONGODB_ATLAS_PROFILE, else the file's only profile, else default, in any case", async () => {
      const { env, path } = home(profiles("default", "prod", "Staging"));
      assert.equal(await used([], env), `"default", in ${path}`);
      assert.equal(await used(["-P", "prod"], env), `"prod", in ${path} (--profile)`);
      assert.equal(await used(["--profile", "STAGING"], env), `"STAGING", in ${path} (--profile)`);
      assert.equal(await used([], { ...env, MONGODB_ATLAS_PROFILE: "prod" }), `"prod", in ${path} (MONGODB_ATLAS_PROFILE)`);
      assert.equal(await used(["-P", "staging"], { ...env, MONGODB_ATLAS_PROFILE: "prod" }), `"staging", in ${path} (--profile)`);
      assert.equal(await used([], { ...env, MONGODB_ATLAS_PROFILE: "" }), `"default", in ${path}`, "an empty variable is unset");

      // `version = 2` is no profile: the one table is the only profile, whatever its name.
      const { env: single, path: singlePath } = home(profiles("work"));
      assert.equal(await used([], single), `"work", in ${singlePath} (the only profile there)`);
      const { env: two, path: twoPath } = home(profiles("work", "play"));
      assert.equal(await used(["--projectId", MOCK_GROUP_ID, "--base-url", mock.url], { ...two, MONGODB_ATLAS_ACCESS_TOKEN: LOGIN_TOKEN }), `"default": not found in ${twoPath}`);
    });

    it("must exist when -P or MONGODB_ATLAS_PROFILE names it, and says which did", async () => {
      const { env, path } = home(profiles("default", "production"));
      assert.equal(await refused(list("-P", "prodution"), env, 2), `atlas-export-jobs: no profile "prodution" (--profile): ${path} has no such profile; did you mean "production"?`);
      assert.equal(await refused(list(), { ...env, MONGODB_ATLAS_PROFILE: "staging" }, 2), `atlas-export-jobs: no profile "staging" (MONGODB_ATLAS_PROFILE): ${path} has no such profile`);
      // Even when the variables give every setting the profile could.
      const everything = { MONGODB_ATLAS_PROJECT_ID: MOCK_GROUP_ID, MONGODB_ATLAS_OPS_MANAGER_URL: mock.url, MONGODB_ATLAS_ACCESS_TOKEN: LOGIN_TOKEN };
      assert.match(await refused(list(), { ...env, ...everything, MONGODB_ATLAS_PROFILE: "staging" }, 2), /^atlas-export-jobs: no profile "staging" \(MONGODB_ATLAS_PROFILE\)/);
    });

    it("yields to the file's top-level keys, as the Atlas CLI's GetHierarchicalValue does", async () => {
      const { env } = home({ default: { ...common(), project_id: OTHER_GROUP_ID, access_token: LOGIN_TOKEN } }, { version: 2, project_id: MOCK_GROUP_ID });
      const { code, stderr } = await run(list(), env);
      assert.equal(code, 0, stderr);
      assert.equal(sourcesOf(stderr).project, "top-level project_id of the Atlas CLI config file");
      assert.deepEqual(served().map((r) => r.path), [`/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`]);
    });
  });

  describe("the config file's place", () => {
    it("is none for a relative XDG_CONFIG_HOME, which Go's os.UserConfigDir refuses", async () => {
      const { env } = home({ default: { ...common(), access_token: LOGIN_TOKEN } });
      const relative = { ...env, XDG_CONFIG_HOME: ".config" };
      const why = "no Atlas CLI config file: $XDG_CONFIG_HOME is a relative path, which the Atlas CLI refuses too";
      const { code, stderr } = await run(list("--projectId", MOCK_GROUP_ID, "--base-url", mock.url), { ...relative, MONGODB_ATLAS_ACCESS_TOKEN: LOGIN_TOKEN });
      assert.equal(code, 0, stderr);
      assert.equal(sourcesOf(stderr).profile, `"default": not found (${why})`, "~/.config is not read instead");
      assert.equal(await refused(list("-P", "default"), relative, 2), `atlas-export-jobs: no profile "default" (--profile): ${why}`);
    });
  });
});
