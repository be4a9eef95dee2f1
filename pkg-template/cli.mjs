#!/usr/bin/env node
// The atlas-export-jobs command: `atlas-export-jobs list|watch --project <id> --cluster <name>`.
// Built on this package's own Node entry; `atlas-export-jobs --help` says the rest.
import { main } from "./cli/main.mjs";

process.exitCode = await main(process.argv.slice(2));
