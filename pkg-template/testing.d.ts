// Types of atlas-export-jobs/testing: the mock Atlas, shipped for your own tests. It answers the
// export-jobs endpoint (v2 and v1.0) and the service-account token endpoints as Atlas does:
// pages with `links` and `totalCount`, Atlas's error bodies, every auth scheme (Bearer, service
// account, Digest with MD5 and SHA-256), faults, latency and export jobs that progress.
// `startMockAtlas` serves it on 127.0.0.1 (Node); `mockFetch` is the same mock in memory, with no
// server, for browsers, jsdom, Vitest and Storybook. For tests in another process,
// `node node_modules/atlas-export-jobs/testing/cli.mjs [--port N]` serves it and prints
// `{"url", "groupId", "token"}` on one line.
import type { ExportJob, ExportState } from "./types.js";

/** The project (group) id of the mock's one project: 24 hexadecimal characters. */
export declare const MOCK_GROUP_ID: string;
/** The Bearer token the mock accepts unless `token` says otherwise. A mock value, not a secret. */
export declare const MOCK_TOKEN: string;
/** The service account's client id the mock accepts unless `serviceAccount` says otherwise. */
export declare const MOCK_CLIENT_ID: string;
/** The service account's secret the mock accepts unless `serviceAccount` says otherwise. A mock value. */
export declare const MOCK_CLIENT_SECRET: string;
/** The API key's public key (the Digest user name) the mock accepts unless `apiKey` says otherwise. */
export declare const MOCK_PUBLIC_KEY: string;
/** The API key's private key (the Digest password) the mock accepts unless `apiKey` says otherwise. A mock value. */
export declare const MOCK_PRIVATE_KEY: string;

/** How many jobs a cluster of the mock holds, and how many shards it has. */
export interface MockClusterSize {
  /** Its jobs, oldest first, in every state. */
  readonly jobs: number;
  /** Its shards (0: a replica set); each job of a sharded cluster lists one component per shard. */
  readonly shards: number;
}

/**
 * The clusters every mock has in MOCK_GROUP_ID: Cluster0 (42 jobs), Sharded0 (7 jobs, 3
 * shards), Empty0 (none) and Big0 (1234 jobs). Their jobs are the same in every run.
 */
export declare const MOCK_CLUSTERS: {
  /** 42 jobs of a replica set. */
  readonly Cluster0: MockClusterSize;
  /** 7 jobs of a cluster of 3 shards. */
  readonly Sharded0: MockClusterSize;
  /** No jobs at all. */
  readonly Empty0: MockClusterSize;
  /** 1234 jobs: many pages. */
  readonly Big0: MockClusterSize;
};

/** A cluster to add to the mock's project, built like the default ones. */
export interface MockClusterSpec {
  /** How many jobs it holds: 0 to 100,000. */
  jobs: number;
  /** How many shards it has: 0 (a replica set, the default) to 50. */
  shards?: number | undefined;
}

/** What the mock and mockFetch share. */
export interface MockAtlasOptions {
  /** The fixed Bearer token it accepts (default MOCK_TOKEN). */
  token?: string | undefined;
  /** The origin its pages' and jobs' links name (default: its own address). */
  publicBaseUrl?: string | undefined;
  /** Delays every API and token-endpoint answer by this many milliseconds (see `setLatency`). */
  latencyMs?: number | undefined;
  /** Delays each answer of the token endpoint by this many milliseconds more (at most 30,000). */
  tokenDelayMs?: number | undefined;
  /** Delays each 401 of the API, the answer that carries a Digest challenge, by this many milliseconds more (at most 30,000). */
  challengeDelayMs?: number | undefined;
  /**
   * More clusters for MOCK_GROUP_ID, by name (letters, digits, hyphens): a job count
   * (`{ Size500: 500 }`), a size with shards (`{ Wide: { jobs: 20, shards: 3 } }`) or the jobs
   * themselves, listed as given (`{ Mine: [exportJob(), exportJob({ state: "Failed" })] }`).
   */
  clusters?: Record<string, number | MockClusterSpec | ExportJob[]> | undefined;
  /** The service account it accepts at its token endpoint (default MOCK_CLIENT_ID and MOCK_CLIENT_SECRET). */
  serviceAccount?: MockServiceAccount | undefined;
  /** The `expires_in` of the tokens it issues, in seconds (default 3600). */
  tokenLifetimeSeconds?: number | undefined;
  /** Token requests a minute per caller and client id (default 10); more get 429. */
  tokenRateLimit?: number | undefined;
  /** The API key it accepts by HTTP Digest (default MOCK_PUBLIC_KEY and MOCK_PRIVATE_KEY). */
  apiKey?: MockApiKey | undefined;
  /** How long a Digest nonce stays fresh, in seconds (default 300). */
  nonceLifetimeSeconds?: number | undefined;
  /** The clock that tokens, nonces, the token rate limit and `jobStepMs` read, in milliseconds since the epoch (default `Date.now`). */
  now?: (() => number) | undefined;
  /**
   * Moves every Queued and InProgress job one step on (to InProgress with exportedCollections
   * rising, then Successful, Failed or Cancelled) every `jobStepMs` of its clock, so that a watch
   * of any cluster ends. By default the jobs stay as built.
   */
  jobStepMs?: number | undefined;
  /**
   * `false` answers requests that carry no `Authorization` header as authenticated, as Atlas
   * behind a proxy that adds the credentials (such as `createAtlasProxy`) would: for a client
   * with `auth: { type: "none" }`. Credentials that are sent are still checked. Default `true`.
   */
  requireAuth?: boolean | undefined;
}

/** The options of `startMockAtlas`. */
export interface StartMockAtlasOptions extends MockAtlasOptions {
  /** The port on 127.0.0.1 (default 0: a free one). */
  port?: number | undefined;
  /** Closes the mock after this many seconds, so a forgotten one does not outlive its test. */
  maxSeconds?: number | undefined;
}

/** The options of `mockFetch`. */
export interface MockFetchOptions extends MockAtlasOptions {
  /**
   * Where the mock answers (default `https://cloud.mongodb.com`, the client's own default): an
   * absolute http(s) URL, which may carry a path prefix as a proxy's does. Requests elsewhere
   * fail as an unreachable host would.
   */
  baseUrl?: string | undefined;
}

/** A service account's credentials. */
export interface MockServiceAccount {
  /** The client id. */
  clientId: string;
  /** The secret. */
  clientSecret: string;
}

/** An API key pair, for HTTP Digest. */
export interface MockApiKey {
  /** The public key: the Digest user name. */
  publicKey: string;
  /** The private key: the Digest password. */
  privateKey: string;
}

/** One request the mock received, as its log keeps it: never the credentials. */
export interface MockRequest {
  /** The HTTP method. */
  method: string;
  /** The path, without the query (and without mockFetch's path prefix). */
  path: string;
  /** The query parameters (the first value of a repeated one). */
  query: Record<string, string>;
  /** The Accept header, or null. */
  accept: string | null;
  /** The scheme of the Authorization header, or null when there was none (or one the mock does not know). */
  authScheme: "Bearer" | "Basic" | "Digest" | null;
  /** Whether the credentials were accepted. */
  authorized: boolean;
  /** The Origin header, or null (in memory, no browser adds one: only one the caller set). */
  origin: string | null;
  /** The status answered; null while none has been (or when none was: a dropped connection). */
  status: number | null;
  /** When it arrived, in `performance.now()` milliseconds. */
  at: number;
}

/** What the mock has counted since it started or was last reset. */
export interface MockStats {
  /** Requests to the token endpoint. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests to the revocation endpoint. */
  revokeRequests: number;
  /** API requests with a Bearer token. */
  bearer: number;
  /** API requests with Digest credentials. */
  digest: number;
  /** API requests with Basic credentials. */
  basic: number;
  /** API requests with no Authorization header (or one of a scheme the mock does not know). */
  none: number;
  /** 401 answers sent, each with a fresh Digest nonce. */
  digestChallenges: number;
  /** Those of them that said `stale=true`. */
  staleChallenges: number;
}

/** The names of the faults that need no details. */
export type MockFaultName =
  | "html502"
  | "empty502"
  | "reset"
  | "hang"
  | "truncated"
  | "empty200"
  | "samePage"
  | "endlessNext"
  | "inflatedTotal"
  | "shortPage";

/** An error status, with Atlas's error body for it unless `body` is given. */
export interface MockStatusFault {
  /** The status: 200 to 599. */
  status: number;
  /** The JSON body (default: Atlas's error for the status). */
  body?: object | undefined;
  /** Headers to add (429 and 503 get `Retry-After: 1` unless given). */
  headers?: Record<string, string> | undefined;
}

/** A body sent exactly as given. */
export interface MockRawFault {
  /** The body. */
  raw: string;
  /** The status (default 200). */
  status?: number | undefined;
  /** The Content-Type (default `application/json`). */
  contentType?: string | undefined;
}

/** A 200 whose body is one JSON value instead of a page. */
export interface MockPrimitiveFault {
  /** The value, sent as JSON (undefined: an empty body). */
  primitive: unknown;
}

/** How a bomb's body ended. */
export interface MockBombEnd {
  /** The bytes sent: on the wire over HTTP; in memory, the bytes handed to the reader. */
  wireBytes: number;
  /** Whether all of it was sent. */
  complete: boolean;
}

/** A body too large to read, streamed so the mock never holds it. */
export interface MockBombFault {
  /** The bomb. */
  bomb: {
    /** What the body inflates to, in bytes (at most 4 GiB). */
    bytes: number;
    /**
     * `"gzip"` (default): over HTTP, gzip members that a decoding fetch inflates; in memory, the
     * inflated bytes themselves, as such a fetch hands them over. `"identity"`: the bytes as they are.
     */
    encoding?: "gzip" | "identity" | undefined;
    /** Whether the answer declares its length (default true; in memory only for "identity"). */
    contentLength?: boolean | undefined;
    /** The status (default 200). */
    status?: number | undefined;
    /** Called once the body has ended, or the client stopped reading it. */
    onEnd?: ((end: MockBombEnd) => void) | undefined;
  };
}

/** A redirect, which a client must not follow. */
export interface MockRedirectFault {
  /** The redirect. */
  redirect: {
    /** The status. */
    status: 300 | 301 | 302 | 303 | 305 | 307 | 308;
    /** The Location header. */
    location: string;
  };
}

/** A failing proxy that echoes the request, credentials included, into its error page. */
export interface MockReflectFault {
  /** The echo. */
  reflect: {
    /** The status: 400 to 599 (default 502). */
    status?: number | undefined;
    /** How the page is written: an HTML page (default), plain text, an Atlas error or an OAuth error. */
    format?: "html" | "text" | "atlas" | "oauth" | undefined;
    /** Puts the Authorization header's value at this byte offset of the body. */
    at?: number | undefined;
    /** Called with what was echoed, unescaped (in memory, header names are lower-case, as `Headers` gives them). */
    onEcho?: ((echo: string) => void) | undefined;
  };
}

/** What a request can meet instead of the API. */
export type MockFault = MockFaultName | MockStatusFault | MockRawFault | MockPrimitiveFault | MockBombFault | MockRedirectFault | MockReflectFault;

/** A fault to inject, and which requests meet it. */
export interface MockFaultInjection {
  /** The fault. */
  fault: MockFault;
  /** Only requests for this cluster meet it (default: any request to the API). */
  cluster?: string | undefined;
  /** The token or revocation endpoint meets it instead of the API. */
  endpoint?: "token" | "revoke" | undefined;
  /** How many requests meet it (default 1; Infinity or -1: all). */
  times?: number | undefined;
}

/** Export jobs to start: one per outcome, each moved on by the pages of its cluster the mock answers. */
export interface MockExportRun {
  /** Each job's last state. */
  outcomes: Array<"Successful" | "Failed" | "Cancelled">;
  /** Pages that show each job Queued (default 1). */
  queuedFor?: number | undefined;
  /** Pages that then show it InProgress (default 2). */
  runningFor?: number | undefined;
}

/** What `addJobs` did. */
export interface MockJobsAdded {
  /** How many jobs the cluster holds now. */
  totalCount: number;
  /** The ids of the jobs added (undefined for a job handed in without one). */
  ids: Array<string | undefined>;
}

/** What `startExports` did. */
export interface MockExportsStarted {
  /** The ids of the jobs started, in the order of their outcomes. */
  ids: string[];
}

/** What `setJobState` may say besides the state. */
export interface MockJobStateOptions {
  /**
   * The job's `exportStatus.exportedCollections`: an integer from 0 to its `totalCollections`.
   * By default the state's own count: none when Queued, half when InProgress, all when
   * Successful, a third otherwise.
   */
  exportedCollections?: number | undefined;
}

/** What `removeJob` did. */
export interface MockJobRemoved {
  /** How many jobs the cluster lists now. */
  totalCount: number;
}

/** What both mocks give: the project, the credentials they accept, their log and the levers a test moves them with. */
export interface MockAtlasControls {
  /** Where the mock answers: `http://127.0.0.1:<port>`, or mockFetch's `baseUrl`. */
  readonly url: string;
  /** The mock's project: MOCK_GROUP_ID. */
  readonly groupId: string;
  /** The Bearer token it accepts (`token`, default MOCK_TOKEN). */
  readonly accessToken: string;
  /** The service account it accepts. */
  readonly serviceAccount: MockServiceAccount;
  /** The API key it accepts by Digest. */
  readonly apiKey: MockApiKey;
  /** Every API and token-endpoint request, oldest first. */
  readonly requests: MockRequest[];
  /** Makes later requests meet a fault. */
  injectFault(injection: MockFaultInjection): void;
  /**
   * Clears faults, the log, rate limits and stats, drops added and started jobs, brings back jobs
   * moved or removed on command, starts running jobs over and restores `latencyMs`; tokens, nonces
   * and the clock stay.
   */
  reset(): void;
  /** Delays every later answer by `ms` milliseconds. */
  setLatency(ms: number): void;
  /** Adds `count` new jobs (or the jobs given) to a cluster, after its others. */
  addJobs(clusterName: string, count: number | ExportJob[]): MockJobsAdded;
  /** Adds one Queued job per outcome to a cluster; each page of it the mock answers moves them one step on. */
  startExports(clusterName: string, run: MockExportRun): MockExportsStarted;
  /**
   * Puts a job in `state` from the next page on, where it stays: pages no longer move it (if it
   * was started) and neither does the clock (`jobStepMs`). It gets `finishedAt` when Successful,
   * Failed or Cancelled and a `stateReason` when Failed, as the mock's own jobs do. `state` may be
   * one Atlas has not named (any word of letters, such as `"Paused"`), to test how a client shows
   * a state it does not know. Returns the job as a page will show it. Throws a TypeError for an
   * unknown cluster or job, a state that is not a word of letters, or `exportedCollections` out of
   * range. Over HTTP: `POST /__mock/job-state` with `{cluster, id, state, exportedCollections?}`.
   *
   * @example
   * mock.setJobState("Cluster0", jobId, "InProgress", { exportedCollections: 3 }); // a `changed` event
   * mock.setJobState("Cluster0", jobId, "Failed"); // a `finished` event
   */
  setJobState(clusterName: string, jobId: string, state: ExportState, options?: MockJobStateOptions): ExportJob;
  /**
   * Lists a job no more from the next page on: its cluster's `totalCount` drops, and the other
   * jobs, started or running on the clock, go on as they were. Throws a TypeError for an unknown
   * cluster or job. Over HTTP: `POST /__mock/remove-job` with `{cluster, id}`.
   */
  removeJob(clusterName: string, jobId: string): MockJobRemoved;
  /** The jobs of a cluster as a page would show them now, or undefined when there is no such cluster. */
  jobs(clusterName: string): ExportJob[] | undefined;
  /** Moves the mock's clock `seconds` forward: tokens and nonces expire, running jobs move on. */
  advanceClock(seconds: number): void;
  /** Makes every Digest nonce issued so far stale. */
  expireNonces(): void;
  /** Revokes every service-account token issued so far. */
  revokeAll(): void;
  /** Requests counted by auth scheme and endpoint. */
  stats(): MockStats;
  /** Stops the mock: pending answers end, later requests fail. */
  close(): Promise<void>;
}

/** The mock Atlas on 127.0.0.1. */
export interface MockAtlas extends MockAtlasControls {}

/** The mock Atlas in memory. */
export interface MockFetch extends MockAtlasControls {
  /**
   * A fetch that answers as the mock, in memory: hand it to the client (`fetch: mock.fetch`).
   * It never touches the network.
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/**
 * Starts the mock Atlas on 127.0.0.1 (Node only; elsewhere it rejects, and `mockFetch` serves).
 * Close it when done.
 */
export declare function startMockAtlas(options?: StartMockAtlasOptions): Promise<MockAtlas>;

/**
 * The mock Atlas in memory, with no server: the same pages, errors, auth, faults, latency and
 * running jobs as `startMockAtlas`, through a `fetch` to hand to the client. For browsers,
 * jsdom, Vitest and Storybook; it uses no Node API, and no timer but those of the delays a test
 * asks for. In memory a gzip bomb's body is the inflated bytes (what a decoding fetch would
 * hand over), and CORS is not enforced (no browser stands between).
 */
export declare function mockFetch(options?: MockFetchOptions): MockFetch;

/** Fields of an export job to replace; one set to undefined is left out. */
export type ExportJobOverrides = { [K in keyof ExportJob]?: ExportJob[K] | undefined };

/**
 * One export job in the spec's shape (`DiskBackupExportJob`): a Successful job of Cluster0 with
 * 24-hex ids, timestamps, `exportStatus`, `prefix` and a self link, new ids at each call.
 * `overrides` replaces fields; a `state` brings `finishedAt`, `stateReason` and
 * `exportedCollections` to match unless they are overridden too.
 */
export declare function exportJob(overrides?: ExportJobOverrides): ExportJob;
