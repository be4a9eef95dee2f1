// A bundled app: Vite resolves the package by name and emits its .wasm as an asset.
import * as api from "atlas-export-jobs";
import { configFromQuery, listForCheck } from "../check.js";

listForCheck(api, configFromQuery(location.search)).then(
  (result) => { window.checkResult = result; },
  (error) => { window.checkResult = { error: String(error) }; },
);
