import { serve } from "@hono/node-server";
import { Hono } from "hono";

import { proxy } from "./atlas-proxy.mjs";

const app = new Hono();
app.all("/api/atlas/*", (c) => proxy(c.req.raw));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
