// A module Web Worker that lists jobs off the main thread and posts the result back.
import * as api from "./node_modules/atlas-export-jobs/index.js";
import { configFromQuery, listForCheck } from "./check.js";

self.onmessage = async (event) => {
  try {
    self.postMessage(await listForCheck(api, configFromQuery(event.data)));
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
