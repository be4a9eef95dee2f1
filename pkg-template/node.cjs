// Node entry (CommonJS): Node >= 20.19 can require() an ES module without top-level await, so
// CommonJS callers share the ESM entry and its single wasm instance.
module.exports = require("./node.mjs");
