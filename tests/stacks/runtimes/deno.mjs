// Deno: lists jobs, then serves the package's proxy with Deno.serve on 127.0.0.1 and prints one
// JSON line with the listings and the proxy's URL. It stops on SIGTERM, or after a minute.
import { createAtlasProxy } from "atlas-export-jobs/server";
import { listJobs, settings } from "./jobs.mjs";

const listed = await listJobs();
const proxy = createAtlasProxy({
  baseUrl: settings.baseUrl,
  auth: { type: "serviceAccount", clientId: settings.clientId, clientSecret: settings.clientSecret },
  prefix: "/atlas",
  allow: { groupIds: [settings.groupId] },
});
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, proxy);
console.log(JSON.stringify({ ...listed, proxyUrl: `http://127.0.0.1:${server.addr.port}/atlas` }));

const stop = async () => {
  await server.shutdown();
  await proxy.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
setTimeout(stop, 60_000);
