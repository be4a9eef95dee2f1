// Types of atlas-export-jobs/server.
import type { AtlasError } from "./index.js";
import type { BearerTokenAuth, DigestAuth, NoAuth, RetryOptions, ServiceAccountAuth, TokenBrokerAuth } from "./types.js";

/**
 * `T` with each string field but `type` also taking `undefined`, as an unset environment variable
 * gives it: the proxy reports it at the first request, not when it is made.
 */
export type FromEnvironment<T> = { [K in keyof T]: K extends "type" ? T[K] : string extends T[K] ? T[K] | undefined : T[K] };

/** The proxy's credentials: any `AtlasClient` auth, read from the environment. */
export type AtlasProxyAuth =
  | FromEnvironment<BearerTokenAuth>
  | TokenBrokerAuth
  | FromEnvironment<ServiceAccountAuth>
  | FromEnvironment<DigestAuth>
  | NoAuth;

/** The options of `createAtlasProxy`. */
export interface AtlasProxyOptions {
  /** The upstream Atlas (default `https://cloud.mongodb.com`). */
  baseUrl?: string | undefined;
  /**
   * The credentials the proxy adds; they never reach the pages it serves. A credential may be
   * `undefined` (`clientSecret: process.env.MONGODB_ATLAS_CLIENT_SECRET`): a build without it passes,
   * and each request then answers 500 naming it.
   */
  auth: AtlasProxyAuth;
  /** The path the proxy is mounted at, such as `"/atlas"` (default: the root). */
  prefix?: string | undefined;
  /** Projects and clusters the proxy serves; any other gets 403. Absent: all. */
  allow?: {
    /** Project (group) ids. */
    groupIds?: string[] | undefined;
    /** Cluster names. */
    clusterNames?: string[] | undefined;
  } | undefined;
  /** Pages of other origins that may call the proxy (absent: only its own origin, with no CORS headers). */
  cors?: {
    /** Exact origins, such as `"https://console.example.com"`. */
    origins: string[];
  } | undefined;
  /** The longest wait for Atlas's whole answer, in milliseconds (default 30000). */
  timeoutMs?: number | undefined;
  /** The longest a forwarded call may take, in milliseconds (default 120000). */
  deadlineMs?: number | undefined;
  /** Retries upstream (default `false`: a 429 is passed on, with its `Retry-After`, for the page to wait). */
  retry?: boolean | RetryOptions | undefined;
  /** The largest upstream body read, in bytes (default 8388608). */
  maxBodyBytes?: number | undefined;
  /** Allows an `http:` upstream that is not loopback. */
  allowInsecureHttp?: boolean | undefined;
  /** The fetch to reach Atlas with (a test double, an agent); the platform's by default. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /**
   * Called with the failure behind every 5xx answer the proxy sends (redacted, as every
   * `AtlasError` is): a misconfigured option, an unreachable or misbehaving Atlas, a timeout.
   * The answer itself says only what a page may know. What it throws or rejects with is ignored.
   */
  onError?: ((error: AtlasError, request: Request) => void | Promise<void>) | undefined;
}

/** A Fetch API handler for the one endpoint, with a `close()` that ends its client. */
export interface AtlasProxy {
  (request: Request): Promise<Response>;
  /** Revokes a service account's token; other schemes have nothing to end. */
  close(): Promise<void>;
}

/**
 * A same-origin proxy for web consoles: forwards only `GET {prefix}/api/atlas/{v2|v1.0}/groups/
 * {groupId}/clusters/{clusterName}/backup/exports` to Atlas, in the request's own API version,
 * with the server's credentials, refusing everything else with a 4xx and no upstream request. It never throws: options that
 * break a rule (an unset environment variable, say) make every request answer 500 with
 * `errorCode: "PROXY_MISCONFIGURED"` naming the option, never its value, and reach `onError`.
 */
export declare function createAtlasProxy(options: AtlasProxyOptions): AtlasProxy;

/** What `toNodeHandler` needs of `node:http`'s request. */
export interface NodeRequestLike {
  /** The HTTP method. */
  method?: string | undefined;
  /** The path and query. */
  url?: string | undefined;
  /** Express's whole path, mount point included. */
  originalUrl?: string | undefined;
  /** The request headers. */
  headers: Record<string, string | string[] | undefined>;
}

/** What `toNodeHandler` needs of `node:http`'s response. */
export interface NodeResponseLike {
  /** Whether the response has been sent. */
  readonly writableFinished: boolean;
  /** Whether the head has been sent. */
  readonly headersSent: boolean;
  /** Listens for the connection closing. */
  on(event: "close", listener: () => void): unknown;
  /** Sends the status and headers. */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Sends the body and ends. */
  end(body?: Uint8Array | string): unknown;
}

/** Adapts a Fetch API handler for `node:http` and Express-style middleware. */
export declare function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequestLike, res: NodeResponseLike, next?: (error?: unknown) => void) => void;
