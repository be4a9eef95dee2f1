// A Worker that serves the package's proxy under /atlas with a service account. onError hands each
// error behind a 5xx to the Worker's log, and keeps a summary that /errors answers, as a Worker
// would pass it to its error tracker.
import { isAtlasError, ready } from "atlas-export-jobs";
import { createAtlasProxy } from "atlas-export-jobs/server";
import wasm from "atlas-export-jobs/atlas_export_jobs_bg.wasm";

const errors = [];
let proxy;

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/errors") return Response.json(errors);
    await ready({ module: wasm }); // the full module: the proxy holds a service account
    proxy ??= createAtlasProxy({
      baseUrl: env.ATLAS_BASE_URL,
      auth: { type: "serviceAccount", clientId: env.ATLAS_CLIENT_ID, clientSecret: env.ATLAS_CLIENT_SECRET },
      prefix: "/atlas",
      allow: { groupIds: [env.ATLAS_GROUP_ID] },
      onError(error, failed) {
        console.error("atlas proxy:", error.kind, error.message);
        errors.push({ isAtlasError: isAtlasError(error), name: error.name, kind: error.kind, status: error.status, path: new URL(failed.url).pathname });
      },
    });
    return proxy(request);
  },
};
