// Hostile caller objects at every entry point: Proxies whose traps throw, throwing getters, revoked
// Proxies, a fake AbortSignal, values that change each time they are read, and a polluted
// Object.prototype. Each hostile argument is an AtlasError of kind "validation" naming the field
// (the constructor and the iterables throw it; the promises reject with it; checkListExportJobs
// returns it), nothing is sent, nothing escapes to the process, and a good call started in the
// same tick still resolves. Run: node --test tests/node/hostile.test.mjs
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import {
  AtlasClient,
  AtlasError,
  checkListExportJobs,
  isAtlasError,
  iterateExportJobs,
  listAllExportJobs,
  listExportJobs,
} from "atlas-export-jobs";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

// Bounds each test: a call that never settles fails it instead of hanging the run.
const BOUND = { timeout: 15_000 };

// Every request goes through the platform's fetch: this records where each one went, and refuses
// any that would leave this machine (an `options` whose keys cannot be read hides its baseUrl, so
// a call that went ahead anyway would go to the default, Atlas itself).
const platformFetch = globalThis.fetch;
const sentTo = [];
globalThis.fetch = (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  sentTo.push(url);
  if (!url.startsWith("http://127.0.0.1:")) return Promise.reject(new TypeError("this test sends nothing off the machine"));
  return platformFetch(input, init);
};

// What escaped to the process while a test ran.
const escaped = [];
const onUncaught = (error) => escaped.push({ event: "uncaughtException", error });
const onUnhandled = (reason) => escaped.push({ event: "unhandledRejection", reason });

const TRAPS = [
  "apply", "construct", "defineProperty", "deleteProperty", "get", "getOwnPropertyDescriptor",
  "getPrototypeOf", "has", "isExtensible", "ownKeys", "preventExtensions", "set", "setPrototypeOf",
];

const throwing = (error) => () => {
  throw error;
};
const everyTrapThrows = (target, error) => new Proxy(target, Object.fromEntries(TRAPS.map((trap) => [trap, throwing(error)])));
function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe("hostile caller objects", () => {
  // `mock` is where every hostile call is pointed (and must send nothing); `goodMock` serves the
  // good calls started next to them.
  let mock;
  let goodMock;
  const params = (extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 20, ...extra });
  const options = () => ({ baseUrl: mock.url, accessToken: MOCK_TOKEN });
  const callOptions = () => ({ timeoutMs: 5_000 });
  const client = () => new AtlasClient(options());

  // Each entry point, how it reports an argument it refuses, and the name of its options.
  const ENTRIES = [
    { name: "listExportJobs", returns: "promise", slot: "options", call: (p, o) => listExportJobs(p, o) },
    { name: "listAllExportJobs", returns: "promise", slot: "options", call: (p, o) => listAllExportJobs(p, o) },
    { name: "iterateExportJobs", returns: "iterable", slot: "options", call: (p, o) => iterateExportJobs(p, o) },
    { name: "checkListExportJobs", returns: "error", slot: "options", call: (p, o) => checkListExportJobs(p, o) },
    { name: "AtlasClient#listExportJobs", returns: "promise", slot: "callOptions", call: (p, o, c) => c.listExportJobs(p, o) },
    { name: "AtlasClient#listAllExportJobs", returns: "promise", slot: "callOptions", call: (p, o, c) => c.listAllExportJobs(p, o) },
    { name: "AtlasClient#iterateExportJobs", returns: "iterable", slot: "callOptions", call: (p, o, c) => c.iterateExportJobs(p, o) },
  ];
  const CONSTRUCTOR = { name: "new AtlasClient", returns: "construct", slot: "options", call: (_, o) => new AtlasClient(o) };
  const baseOf = (entry) => (entry.slot === "callOptions" ? callOptions() : options());

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
    goodMock = await startMockAtlas({ maxSeconds: 300 });
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUnhandled);
  });
  beforeEach(() => {
    mock.reset();
    goodMock.reset();
    sentTo.length = 0;
    escaped.length = 0;
  });
  afterEach(async () => {
    // A rejection nobody handles is reported once the microtasks have run: give it two turns.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(escaped, [], "nothing escapes to the process");
  });
  after(async () => {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUnhandled);
    globalThis.fetch = platformFetch;
    await Promise.all([mock.close(), goodMock.close()]);
  });

  /** A good call, to the good mock. */
  const goodCall = () => listExportJobs(params({ itemsPerPage: 2 }), { baseUrl: goodMock.url, accessToken: MOCK_TOKEN });

  /**
   * Makes the hostile call between two good calls, all three in one synchronous block, and
   * returns the AtlasError it reports. Promises must not throw synchronously; the constructor
   * and the iterables must.
   */
  async function refusal(entry, hostileParams, hostileOptions) {
    const atlas = entry.slot === "callOptions" ? client() : undefined;
    const goodBefore = goodCall();
    let returned;
    let thrown;
    let threw = false;
    try {
      returned = entry.call(hostileParams, hostileOptions, atlas);
    } catch (error) {
      thrown = error;
      threw = true;
    }
    const goodAfter = goodCall();

    let error;
    if (entry.returns === "promise") {
      assert.equal(threw, false, `${entry.name} threw synchronously: ${thrown}`);
      assert.ok(returned instanceof Promise, `${entry.name} returned a promise`);
      error = await returned.then(
        (value) => assert.fail(`${entry.name} resolved with ${value}`),
        (reason) => reason,
      );
    } else if (entry.returns === "error") {
      assert.equal(threw, false, `${entry.name} threw: ${thrown}`);
      error = returned;
    } else {
      assert.equal(threw, true, `${entry.name} throws an argument it refuses at once`);
      error = thrown;
    }

    const pages = await Promise.all([goodBefore, goodAfter]);
    for (const page of pages) assert.equal(page.results.length, 2, "the good calls resolve");
    assert.equal(goodMock.requests.length, 2);
    return error;
  }

  /** `error` is a validation AtlasError for `field`, caused by `cause` (an error, or its class). */
  function assertRefused(error, { field, cause }) {
    assert.ok(isAtlasError(error), `not an AtlasError: ${error}`);
    assert.ok(error instanceof AtlasError);
    assert.equal(error.kind, "validation", error.message);
    assert.equal(error.field, field, error.message);
    if (typeof cause === "function") assert.ok(error.cause instanceof cause, `cause: ${error.cause}`);
    else assert.equal(error.cause, cause);
  }

  function assertNothingSent() {
    assert.deepEqual(mock.requests, [], "the hostile call sent nothing to the mock");
    assert.deepEqual(sentTo.filter((url) => !url.startsWith(`${goodMock.url}/`)), [], "nor anywhere else");
  }

  // Each makes a fresh hostile value from the error its trap or getter throws.
  const PARAMS_CASES = [
    ["a Proxy whose ownKeys trap throws", (boom) => ({ value: new Proxy(params(), { ownKeys: throwing(boom) }), field: "params", cause: boom })],
    ["a Proxy whose get trap throws", (boom) => ({ value: new Proxy(params(), { get: throwing(boom) }), field: "groupId", cause: boom })],
    [
      "a Proxy whose getOwnPropertyDescriptor trap throws",
      (boom) => ({ value: new Proxy(params(), { getOwnPropertyDescriptor: throwing(boom) }), field: "groupId", cause: boom }),
    ],
    ["a Proxy whose every trap throws", (boom) => ({ value: everyTrapThrows(params(), boom), field: "params", cause: boom })],
    [
      "a getter on groupId that throws",
      (boom) => ({
        value: { get groupId() { throw boom; }, clusterName: "Cluster0" },
        field: "groupId",
        cause: boom,
      }),
    ],
    // The platform's TypeError is the cause: a revoked Proxy throws on any look.
    ["a revoked Proxy", () => ({ value: revoked(), field: "params", cause: TypeError })],
  ];

  for (const [name, make] of PARAMS_CASES) {
    describe(`params: ${name}`, () => {
      for (const entry of ENTRIES) {
        it(entry.name, BOUND, async () => {
          const boom = new Error(`hostile params: ${name}`);
          const { value, field, cause } = make(boom);
          assertRefused(await refusal(entry, value, baseOf(entry)), { field, cause });
          assertNothingSent();
        });
      }
    });
  }

  // The same for the options: `base` is what the entry point accepts; `slot` its name.
  const OPTIONS_CASES = [
    ["a Proxy whose ownKeys trap throws", (boom, base, slot) => ({ value: new Proxy(base, { ownKeys: throwing(boom) }), field: slot, cause: boom })],
    [
      "a Proxy whose get trap throws",
      (boom, base) => ({ value: new Proxy(base, { get: throwing(boom) }), field: Object.keys(base)[0], cause: boom }),
    ],
    [
      "a Proxy whose getOwnPropertyDescriptor trap throws",
      (boom, base) => ({ value: new Proxy(base, { getOwnPropertyDescriptor: throwing(boom) }), field: Object.keys(base)[0], cause: boom }),
    ],
    ["a Proxy whose every trap throws", (boom, base, slot) => ({ value: everyTrapThrows(base, boom), field: slot, cause: boom })],
    ["a revoked Proxy", (_, __, slot) => ({ value: revoked(), field: slot, cause: TypeError })],
    [
      "a Proxy whose every trap throws as retry",
      (boom, base) => ({ value: { ...base, retry: everyTrapThrows({ maxAttempts: 2 }, boom) }, field: "retry", cause: boom }),
    ],
    [
      "a Proxy whose get trap throws as retry",
      (boom, base) => ({ value: { ...base, retry: new Proxy({ maxAttempts: 2 }, { get: throwing(boom) }) }, field: "retry.maxAttempts", cause: boom }),
    ],
    [
      "a getter on signal that throws",
      (boom, base) => ({ value: Object.defineProperty({ ...base }, "signal", { enumerable: true, get: throwing(boom) }), field: "signal", cause: boom }),
    ],
    [
      "a getter on retry that throws",
      (boom, base) => ({ value: Object.defineProperty({ ...base }, "retry", { enumerable: true, get: throwing(boom) }), field: "retry", cause: boom }),
    ],
    // Not a signal: it has the prototype but not the platform's internal state. Nothing threw.
    [
      "a fake AbortSignal, Object.create(AbortSignal.prototype)",
      (_, base) => ({ value: { ...base, signal: Object.create(AbortSignal.prototype) }, field: "signal", cause: undefined }),
    ],
  ];

  for (const [name, make] of OPTIONS_CASES) {
    describe(`options: ${name}`, () => {
      for (const entry of [...ENTRIES, CONSTRUCTOR]) {
        it(`${entry.name} (as ${entry.slot})`, BOUND, async () => {
          const boom = new Error(`hostile options: ${name}`);
          const { value, field, cause } = make(boom, baseOf(entry), entry.slot);
          assertRefused(await refusal(entry, params(), value), { field, cause });
          assertNothingSent();
        });
      }
    });
  }

  /** Runs `entry` to its end with good arguments: the page, the jobs, or checkListExportJobs's verdict. */
  async function complete(entry, callParams, callOptionsValue, atlas) {
    const result = entry.call(callParams, callOptionsValue, atlas);
    if (entry.returns === "promise") return result;
    if (entry.returns === "error") {
      assert.equal(result, undefined, `checkListExportJobs found ${result?.message}`);
      return result;
    }
    if (entry.returns === "construct") return result.listExportJobs(params());
    const jobs = [];
    for await (const job of result) jobs.push(job);
    return jobs;
  }

  describe("a value that is different each time it is read", () => {
    /** Defines `key` on `object` to give `first` at the first read and `later` after; counts the reads. */
    function changing(object, key, first, later) {
      let reads = 0;
      Object.defineProperty(object, key, {
        enumerable: true,
        get() {
          reads += 1;
          return reads === 1 ? first : later;
        },
      });
      return { object, reads: () => reads };
    }

    for (const entry of ENTRIES) {
      it(`${entry.name} reads params.groupId once`, BOUND, async () => {
        const groupId = changing(params(), "groupId", MOCK_GROUP_ID, "not-a-group-id");
        const atlas = entry.slot === "callOptions" ? client() : undefined;
        await complete(entry, groupId.object, baseOf(entry), atlas);
        assert.equal(groupId.reads(), 1);
      });
    }

    for (const entry of ENTRIES) {
      // A later read would give a value the entry refuses.
      const [key, later] = entry.slot === "callOptions" ? ["timeoutMs", 0] : ["baseUrl", "not a URL"];
      it(`${entry.name} reads ${entry.slot}.${key} once`, BOUND, async () => {
        const base = baseOf(entry);
        const value = changing(base, key, base[key], later);
        const atlas = entry.slot === "callOptions" ? client() : undefined;
        await complete(entry, params(), value.object, atlas);
        assert.equal(value.reads(), 1);
      });
    }

    it("new AtlasClient reads options.baseUrl once", BOUND, async () => {
      const baseUrl = changing({ accessToken: MOCK_TOKEN }, "baseUrl", mock.url, "not a URL");
      const page = await new AtlasClient(baseUrl.object).listExportJobs(params());
      assert.equal(page.results.length, 20);
      assert.equal(baseUrl.reads(), 1);
    });

    it("new AtlasClient reads options.auth once", BOUND, async () => {
      const auth = changing({ baseUrl: mock.url }, "auth", { type: "bearer", token: MOCK_TOKEN }, "not an auth object");
      let page;
      try {
        page = await new AtlasClient(auth.object).listExportJobs(params());
      } finally {
        assert.equal(auth.reads(), 1, "options.auth was read more than once");
      }
      assert.equal(page.results.length, 20);
    });

    it("new AtlasClient reads options.auth.type once", BOUND, async () => {
      const type = changing({ token: MOCK_TOKEN }, "type", "bearer", "not a scheme");
      let page;
      try {
        page = await new AtlasClient({ baseUrl: mock.url, auth: type.object }).listExportJobs(params());
      } finally {
        assert.equal(type.reads(), 1, "options.auth.type was read more than once");
      }
      assert.equal(page.results.length, 20);
    });
  });

  describe("inherited properties", () => {
    // A getter on Object.prototype that throws when read through an object passed to the package;
    // every other object (the platform's own, the mock's) reads undefined and may assign the key.
    for (const key of ["signal", "retry", "auth"]) {
      it(`are not read: Object.prototype.${key}`, BOUND, async () => {
        const passed = new WeakSet();
        const own = (object) => (passed.add(object), object);
        let reads = 0;
        Object.defineProperty(Object.prototype, key, {
          configurable: true,
          get() {
            if (!passed.has(this)) return undefined;
            reads += 1;
            throw new Error(`Object.prototype.${key} was read`);
          },
          set(value) {
            Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
          },
        });
        const outcomes = [];
        try {
          for (const entry of [...ENTRIES, CONSTRUCTOR]) {
            const base = entry.slot === "callOptions" ? own(callOptions()) : own(options());
            const atlas = entry.slot === "callOptions" ? new AtlasClient(own(options())) : undefined;
            outcomes.push(
              await complete(entry, own(params()), base, atlas).then(
                () => `${entry.name}: ok`,
                (error) => `${entry.name}: ${error?.kind ?? ""} ${error?.message ?? error}`,
              ),
            );
          }
        } catch (error) {
          outcomes.push(`threw: ${error?.message ?? error}`);
        } finally {
          delete Object.prototype[key];
        }
        assert.deepEqual(outcomes, [...ENTRIES, CONSTRUCTOR].map((entry) => `${entry.name}: ok`));
        assert.equal(reads, 0, `Object.prototype.${key} was read through a caller's object`);
      });
    }
  });
});
