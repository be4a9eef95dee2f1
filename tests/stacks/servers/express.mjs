import express from "express";
import { toNodeHandler } from "atlas-export-jobs/server";

import { proxy } from "./atlas-proxy.mjs";

const app = express();
app.use("/api/atlas", toNodeHandler(proxy));
app.listen(Number(process.env.PORT), "127.0.0.1");
