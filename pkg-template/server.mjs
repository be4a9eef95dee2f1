// atlas-export-jobs/server: the backend piece of a web console. Atlas's Admin API answers no CORS
// requests, and an API key's access list names server addresses, so a console's pages call their
// own backend, which calls Atlas. `createAtlasProxy` is that backend for this one endpoint: it
// checks each request with the package's own rules, sends it to Atlas with credentials only the
// server holds, and answers with what Atlas said. Nothing else gets through.
// The Node entry under Node, Deno and Bun; the browser entry elsewhere (scripts/build.sh makes
// server.web.mjs of this file for workerd and other runtimes without Node's built-ins).
import { isRedirect, OPTION_KEYS } from "./facts.js";
import { AtlasClient, AtlasError, isAtlasError, proxyModule, responseInfo } from "./node.mjs";

/** What each request decides rather than the proxy: its version and signal; the credentials are `auth`. */
const PER_REQUEST = new Set(["apiVersion", "signal", "accessToken"]);
/** The AtlasClient options a proxy passes on. */
const CLIENT_OPTIONS = [...OPTION_KEYS.filter((key) => !PER_REQUEST.has(key)), "auth"];
const PROXY_OPTIONS = new Set([...CLIENT_OPTIONS, "prefix", "allow", "cors", "onError"]);
const REASONS = { 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Timeout" };

function invalid(field, message) {
  return new AtlasError("validation", message, { field });
}

/** A list of non-empty strings, or undefined. */
function strings(value, field) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== "")) {
    throw invalid(field, `${field} must be an array of non-empty strings`);
  }
  return new Set(value);
}

/** The proxy's own options, read once; the client's are checked by AtlasClient. */
function readOptions(options) {
  if (options === null || typeof options !== "object") throw invalid("options", "options must be an object");
  const own = {};
  for (const key of Object.keys(options)) {
    if (!PROXY_OPTIONS.has(key)) throw invalid(key, `"${key}" is not a known proxy option`);
    own[key] = options[key];
  }
  const prefix = own.prefix ?? "";
  if (typeof prefix !== "string" || (prefix !== "" && (!prefix.startsWith("/") || prefix.endsWith("/") || /[?#%\\]|\/\/|\/\.\.?(\/|$)/.test(prefix)))) {
    throw invalid("prefix", 'prefix must be a path such as "/atlas": starting with "/", without a trailing "/", dots, "%" or a query');
  }
  const allow = own.allow ?? {};
  if (allow === null || typeof allow !== "object") throw invalid("allow", "allow must be an object");
  const cors = own.cors;
  if (cors !== undefined && (cors === null || typeof cors !== "object")) throw invalid("cors", "cors must be an object");
  const client = {};
  for (const key of CLIENT_OPTIONS) if (own[key] !== undefined) client[key] = own[key];
  // The page's own client retries what Atlas says to retry, with its countdown; the proxy passes
  // a 429 on rather than hold the request for minutes.
  client.retry ??= false;
  if (client.auth === undefined) throw invalid("auth", "a proxy needs auth: the credentials it adds for the pages it serves");
  return {
    prefix,
    groupIds: strings(allow.groupIds, "allow.groupIds"),
    clusterNames: strings(allow.clusterNames, "allow.clusterNames"),
    origins: strings(cors?.origins, "cors.origins"),
    client: new AtlasClient(client),
  };
}

/** `options.onError`, read once; a value that is not a function is a setting to name at each request. */
function readOnError(options) {
  let onError;
  try {
    onError = options?.onError;
  } catch (cause) {
    return { refused: new AtlasError("validation", "options.onError could not be read: a getter or a Proxy trap threw (that error is the cause)", { field: "onError", cause }) };
  }
  if (onError !== undefined && typeof onError !== "function") return { refused: invalid("onError", "onError must be a function") };
  return { onError };
}

/** The 500 of a proxy whose options break a rule: it names the option, never its value. */
function misconfigured(error) {
  const field = error.kind === "validation" && typeof error.field === "string" ? error.field : undefined;
  const detail = field === undefined
    ? "the proxy could not start: its server's log has the reason"
    : `the proxy's option ${field} is not set or not valid (its value is not shown): its server's log has the reason`;
  return errorAnswer(500, "PROXY_MISCONFIGURED", detail, { parameters: field === undefined ? [] : [field] });
}

/** An Atlas-shaped error answer (`ApiError`), which the package's client reads as an api error. */
function errorAnswer(status, errorCode, detail, extra = {}) {
  const body = { detail, error: status, errorCode, parameters: [], reason: REASONS[status] ?? "Error", ...extra };
  return { status, body: JSON.stringify(body), type: "application/json" };
}

/** The 400 for a caller's parameter that breaks one of the package's rules (a validation AtlasError). */
function refusedParameter(error) {
  return errorAnswer(400, "VALIDATION_ERROR", error.message, { badRequestDetail: { fields: [{ field: error.field, description: error.message }] } });
}

/** Whether an answer with `status` and a body is one the Fetch API's Response can carry. */
const isPassable = (status) => Number.isInteger(status) && status >= 200 && status <= 599 && status !== 204 && status !== 205;

/** What the page gets for an AtlasError of the upstream call. */
function failureAnswer(error) {
  // A parameter the package refused at the call: a URL longer than the upstream takes, say.
  if (error.kind === "validation") return refusedParameter(error);
  if (error.kind === "api" && !isRedirect(error.status)) {
    // A status no answer with a body can have (outside 200 to 599, as Response requires, or 204
    // and 205, whose answers have none): Atlas's words cannot be passed on as they came.
    if (!isPassable(error.status)) {
      return errorAnswer(502, "UPSTREAM_INVALID", `the proxy got status ${error.status} from Atlas, which it cannot pass on`);
    }
    if (error.errorCode !== undefined) {
      const body = { error: error.status, errorCode: error.errorCode };
      for (const key of ["detail", "reason", "parameters", "badRequestDetail"]) if (error[key] !== undefined) body[key] = error[key];
      return { status: error.status, body: JSON.stringify(body), type: "application/json" };
    }
    // A body that was not Atlas's (a gateway's page), with every credential already scrubbed.
    return { status: error.status, body: error.body ?? "", type: "text/plain; charset=utf-8" };
  }
  if (error.kind === "timeout") return errorAnswer(504, "UPSTREAM_TIMEOUT", "Atlas did not answer in time");
  // A redirect is not passed on: the page's fetch would follow it.
  const code = { api: "UPSTREAM_REDIRECT", auth: "UPSTREAM_AUTH", network: "UPSTREAM_UNREACHABLE", tooLarge: "UPSTREAM_TOO_LARGE" }[error.kind] ?? "UPSTREAM_INVALID";
  return errorAnswer(502, code, "the proxy could not get a usable answer from Atlas");
}

/**
 * A Fetch API handler, `(request) => Promise<Response>`, that forwards only
 * `GET {prefix}/api/atlas/{v2|v1.0}/groups/{groupId}/clusters/{clusterName}/backup/exports` to
 * Atlas, in the request's own API version, with the server's credentials. Its `close()` ends the
 * client (revoking a service account's token).
 */
export function createAtlasProxy(options) {
  // Nothing is checked, and nothing can throw, until the first request: a module that makes its
  // proxy at import time (a Next.js route) then builds without the settings it reads at run time.
  const { onError, refused: onErrorRefused } = readOnError(options);
  let setup;
  /** The proxy's settings and client, made at the first request: `{ refused }` when they break a rule. */
  async function settings() {
    setup ??= (async () => {
      if (onErrorRefused) return { refused: onErrorRefused };
      let module;
      try {
        module = await proxyModule();
      } catch (error) {
        // The module may be handed in later (ready({ module }) in a Worker): the next request tries again.
        setup = undefined;
        return { refused: error };
      }
      try {
        return { ...readOptions(options), route: module.route };
      } catch (error) {
        return { refused: error };
      }
    })();
    return setup;
  }

  /** Tells `onError` of the failure behind a 5xx; nothing it does changes the answer. */
  function report(error, request) {
    if (onError === undefined) return;
    try {
      Promise.resolve(onError(error, request)).catch(() => {});
    } catch {
      // Ignored by design.
    }
  }

  function corsHeaders(request, origins) {
    const origin = request.headers.get("origin");
    if (origins === undefined || origin === null || !origins.has(origin)) return undefined;
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Expose-Headers": "RateLimit-Limit, RateLimit-Remaining, Retry-After",
      Vary: "Origin",
    };
  }

  async function answer(request, { prefix, groupIds, clusterNames, client, route: routeOf }) {
    let url;
    try {
      url = new URL(request.url);
    } catch {
      return errorAnswer(400, "INVALID_REQUEST", "the request URL is not valid");
    }
    const path = url.pathname;
    if (!path.startsWith(`${prefix}/`)) return errorAnswer(404, "NOT_FOUND", "not an endpoint of this proxy");
    // The package's core decides: whether the path is the endpoint's, in which API version, and
    // the query's parameters by listExportJobs's own rules. Nothing is decoded: an escaped byte
    // (`%2F`, `%2e`) in the path is no endpoint, and in the query no parameter.
    const route = routeOf(path.slice(prefix.length), url.search.slice(1));
    if (route.status === 404) return errorAnswer(404, "NOT_FOUND", "not an endpoint of this proxy");
    if (request.method === "OPTIONS") return { status: 204, body: "" };
    if (request.method !== "GET") return { ...errorAnswer(405, "METHOD_NOT_ALLOWED", "only GET is forwarded"), headers: { Allow: "GET, OPTIONS" } };
    if (route.status !== undefined) return refusedParameter(route.error);
    const { apiVersion, mediaType, params } = route;
    if ((groupIds && !groupIds.has(params.groupId)) || (clusterNames && !clusterNames.has(params.clusterName))) {
      return errorAnswer(403, "NOT_ALLOWED", "this proxy does not serve that project or cluster");
    }
    let result;
    try {
      // Atlas is asked in the request's own version, and the page gets that version's media type.
      result = await client.listExportJobs(params, { apiVersion, signal: request.signal });
      return { status: 200, body: JSON.stringify(result), type: mediaType, info: responseInfo(result) };
    } catch (error) {
      if (!isAtlasError(error)) throw error;
      return { ...failureAnswer(error), info: responseInfo(error), error };
    }
  }

  async function handle(request) {
    const setting = await settings();
    const answered = setting.refused ? { ...misconfigured(setting.refused), error: setting.refused } : await answer(request, setting);
    const { status, body, type, info, headers = {}, error } = answered;
    if (status >= 500 && error !== undefined) report(error, request);
    const out = new Headers(headers);
    if (type) out.set("Content-Type", type);
    out.set("Cache-Control", "no-store");
    for (const [name, value] of Object.entries(corsHeaders(request, setting.origins) ?? {})) out.set(name, value);
    if (status === 204 && request.method === "OPTIONS") {
      out.set("Access-Control-Allow-Methods", "GET, OPTIONS");
      out.set("Access-Control-Allow-Headers", request.headers.get("access-control-request-headers") ?? "Accept");
      out.set("Access-Control-Max-Age", "600");
    }
    // The rate limit Atlas reported, so the page's client can show it and back off: each value
    // as the package wrote it from what it parsed (a number, seconds or an HTTP date), never the
    // header's text, which a gateway may have filled with a credential.
    if (info?.rateLimitLimit !== undefined) out.set("RateLimit-Limit", String(info.rateLimitLimit));
    if (info?.rateLimitRemaining !== undefined) out.set("RateLimit-Remaining", String(info.rateLimitRemaining));
    if (info?.retryAfter !== undefined) out.set("Retry-After", info.retryAfter);
    return new Response(status === 204 ? null : body, { status, headers: out });
  }

  handle.close = async () => {
    const setting = await setup;
    if (setting?.client) await setting.client.close();
  };
  return handle;
}

/**
 * Adapts a Fetch API handler for `node:http` (`createServer(toNodeHandler(proxy))`) and
 * Express-style middleware (`app.use(toNodeHandler(proxy))`: the request's full path, mount
 * point included, is what the handler sees). A client that goes away aborts the upstream call.
 */
export function toNodeHandler(handler) {
  return (req, res, next) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const host = typeof req.headers.host === "string" && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : "localhost";
    (async () => {
      const url = new URL(req.originalUrl ?? req.url ?? "/", `http://${host}`);
      let request;
      try {
        request = new Request(url, { method: req.method, headers, signal: controller.signal });
      } catch {
        // A method the Fetch API forbids (CONNECT, TRACE): refused like any other but GET.
        request = new Request(url, { method: "POST", headers, signal: controller.signal });
      }
      const response = await handler(request);
      const body = Buffer.from(await response.arrayBuffer());
      // The whole body is at hand, so it goes with its length rather than chunked.
      const sized = response.status === 204 || response.status === 304 ? {} : { "content-length": String(body.byteLength) };
      res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...sized });
      res.end(body);
    })().catch((error) => {
      if (typeof next === "function") return next(error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("internal error");
    });
  };
}
