// What the stack tests share: a stack's project installed as a user's is (its lock file, with the
// packed package on top), and the page code of tests/package/consumer that the browser stacks
// build, with what it must list.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { REPO, packInstalled, run } from "../package/support.mjs";

const QUIET = ["--no-audit", "--no-fund", "--loglevel=error"];
const PAGE_CODE = join(REPO, "tests", "package", "consumer");

/**
 * The project of tests/stacks/`name`, copied into `dir` and installed from its lock file, then the
 * package (`tarball`, or packed into `scratch` now) on top, as `npm install` of the tarball leaves
 * it. With `page`, the consumer page code goes there (its check.js at the project's root, where
 * main.js finds it).
 */
export async function installStack(name, { scratch, dir = join(scratch, name), page, tarball } = {}) {
  cpSync(join(REPO, "tests", "stacks", name), dir, { recursive: true });
  if (page) {
    mkdirSync(dirname(join(dir, page)), { recursive: true });
    cpSync(join(PAGE_CODE, "vite-app", "main.js"), join(dir, page));
    cpSync(join(PAGE_CODE, "check.js"), join(dir, "check.js"));
  }
  await run("npm", ["ci", ...QUIET], { cwd: dir });
  await run("npm", ["install", "--no-save", ...QUIET, tarball ?? (await packInstalled(scratch))], { cwd: dir });
  return dir;
}

/** The query string that tells the consumer page where the mock is and how to sign in. */
export function pageQuery(mock) {
  return new URLSearchParams({ baseUrl: mock.url, groupId: MOCK_GROUP_ID, token: MOCK_TOKEN, clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET });
}

/** What the consumer page reports: page 2 of 5 of Cluster0, the refused groupId, and the service account's page of 3. */
export function pageExpected() {
  const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
  return { ids: jobs.slice(5, 10).map((job) => job.id), totalCount: jobs.length, validationField: "groupId", serviceAccount: 3 };
}
