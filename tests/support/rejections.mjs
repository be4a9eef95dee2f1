// What the Node tests check about failures: the error a call rejects with, and that nothing escaped
// every call as an unhandled rejection or an uncaught exception.
import assert from "node:assert/strict";

import { isAtlasError } from "atlas-export-jobs";

/** The value `promise` rejects with; the test fails if it resolves. */
export async function rejectionOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

/** The `AtlasError` `promise` rejects with; the test fails on anything else. */
export async function atlasErrorOf(promise) {
  const error = await rejectionOf(promise);
  assert.ok(isAtlasError(error), `not an AtlasError: ${error}`);
  return error;
}

/** From now on, every unhandled rejection and uncaught exception, for a test to assert there are none. */
export function collectEscapes() {
  const escaped = [];
  process.on("unhandledRejection", (reason) => escaped.push(reason));
  process.on("uncaughtException", (error) => escaped.push(error));
  return escaped;
}
