// Shared by the packaging tests: where the scratch project with the installed tarball is, and how
// to run a command there.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = `${REPO}node_modules/.bin`;

/** The scratch project into which scripts/test.sh installed the packed tarball. */
export function consumerDir() {
  const dir = process.env.ATLAS_CONSUMER_DIR;
  if (!dir) throw new Error("ATLAS_CONSUMER_DIR is not set: run the tests through scripts/test.sh");
  return dir;
}

const execFileAsync = promisify(execFile);

/** Runs a command to completion (at most two minutes) and returns its stdout. */
export async function run(command, args, { cwd, env } = {}) {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd,
      env: { ...process.env, ...env },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    // tsc and others report on stdout: keep it in the failure.
    error.message += `\n${error.stdout ?? ""}${error.stderr ?? ""}`;
    throw error;
  }
}
