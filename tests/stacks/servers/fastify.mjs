import Fastify from "fastify";
import { toNodeHandler } from "atlas-export-jobs/server";

import { proxy } from "./atlas-proxy.mjs";

const atlas = toNodeHandler(proxy);
const app = Fastify();
// The proxy writes the Node response itself, so Fastify hands it over.
app.all("/api/atlas/*", (request, reply) => {
  reply.hijack();
  atlas(request.raw, reply.raw);
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
