// The benchmark's baseline (not shipped): a minimal hand-written JavaScript client for the same call,
// with the same rules as the package where one call needs them. It checks the parameters and the
// options it takes, sends the request with fetch, and turns the body into the documented page:
// unknown fields dropped, null read as absent, every type checked, a wrong one reported with its
// JSON path. No retries, paging, auth schemes or envelopes: what a careful user would write by hand.

const PARAM_KEYS = ["groupId", "clusterName", "itemsPerPage", "pageNum", "includeCount", "envelope", "pretty"];
const OPTION_KEYS = ["baseUrl", "accessToken", "apiVersion", "signal", "timeoutMs", "fetch"];
const GROUP_ID = /^[a-f0-9]{24}$/;
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const TOKEN = /^[\x21-\x7e]+$/;
const MEDIA_TYPES = { v2: "application/vnd.atlas.2023-01-01+json", "v1.0": "application/json" };

export class BaselineError extends Error {
  constructor(kind, message, fields = {}) {
    super(message, "cause" in fields ? { cause: fields.cause } : undefined);
    this.name = "BaselineError";
    this.kind = kind;
    Object.assign(this, fields);
  }
}

const invalid = (field, message) => new BaselineError("validation", message, { field });

function checkKeys(object, known, what) {
  if (object === null || typeof object !== "object" || Array.isArray(object)) throw invalid(what, `${what} must be an object`);
  for (const key of Object.keys(object)) if (!known.includes(key)) throw invalid(key, `"${key}" is not a known ${what} key`);
}

function integer(object, key, min, max) {
  const value = object[key];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw invalid(key, `${key} must be an integer`);
  if (value < min || value > max) throw invalid(key, `${key} must be from ${min} to ${max}, got ${value}`);
  return value;
}

function flag(object, key) {
  const value = object[key];
  if (value !== undefined && typeof value !== "boolean") throw invalid(key, `${key} must be a boolean`);
  return value;
}

/** The request URL and headers, or a validation error. */
function request(params, options) {
  checkKeys(params, PARAM_KEYS, "params");
  checkKeys(options, OPTION_KEYS, "options");
  const { groupId, clusterName } = params;
  if (typeof groupId !== "string" || !GROUP_ID.test(groupId)) throw invalid("groupId", "groupId must be 24 lowercase hex characters");
  if (typeof clusterName !== "string" || !CLUSTER_NAME.test(clusterName)) throw invalid("clusterName", "clusterName is not a cluster name");
  const query = new URLSearchParams();
  for (const key of ["envelope", "pretty", "includeCount"]) {
    const value = flag(params, key);
    if (value !== undefined) query.set(key, String(value));
  }
  const itemsPerPage = integer(params, "itemsPerPage", 1, 500);
  if (itemsPerPage !== undefined) query.set("itemsPerPage", String(itemsPerPage));
  const pageNum = integer(params, "pageNum", 1, Number.MAX_SAFE_INTEGER);
  if (pageNum !== undefined) query.set("pageNum", String(pageNum));

  const base = new URL(options.baseUrl ?? "https://cloud.mongodb.com");
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(base.hostname);
  if (base.protocol !== "https:" && !(base.protocol === "http:" && loopback)) throw invalid("baseUrl", "baseUrl must use https:");
  if (options.accessToken !== undefined && !(typeof options.accessToken === "string" && TOKEN.test(options.accessToken))) {
    throw invalid("accessToken", "accessToken must be visible ASCII characters");
  }
  const version = options.apiVersion ?? "v2";
  if (!Object.hasOwn(MEDIA_TYPES, version)) throw invalid("apiVersion", 'apiVersion must be "v2" or "v1.0"');
  const timeoutMs = integer(options, "timeoutMs", 1, 2147483647) ?? 30_000;
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw invalid("signal", "signal must be an AbortSignal");
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw invalid("fetch", "fetch must be a function");

  const search = query.size > 0 ? `?${query}` : "";
  const url = `${base.href.replace(/\/+$/, "")}/api/atlas/${version}/groups/${groupId}/clusters/${clusterName}/backup/exports${search}`;
  const headers = { Accept: MEDIA_TYPES[version] };
  if (options.accessToken !== undefined) headers.Authorization = `Bearer ${options.accessToken}`;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  return { url, init: { headers, signal }, fetch: options.fetch ?? fetch };
}

/** Lists one page of a cluster's export jobs. */
export async function listExportJobs(params, options = {}) {
  const { url, init, fetch: send } = request(params, options);
  let text;
  let status;
  try {
    const response = await send(url, init);
    status = response.status;
    text = await response.text();
  } catch (cause) {
    const kind = options.signal?.aborted ? "aborted" : init.signal.aborted ? "timeout" : "network";
    throw new BaselineError(kind, `the request failed: ${cause?.message ?? cause}`, { cause });
  }
  if (status < 200 || status > 299) throw apiError(status, text);
  let document;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw decodeError(status, "$", `not valid JSON (${cause.message})`);
  }
  return new Reader(status).page(document);
}

function apiError(status, text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body && typeof body === "object" && Number.isInteger(body.error) && typeof body.errorCode === "string") {
    const { errorCode, detail, reason, parameters, badRequestDetail } = body;
    return new BaselineError("api", `Atlas answered ${status} ${errorCode}: ${detail ?? reason ?? ""}`, {
      status, errorCode, reason: reason ?? undefined, detail: detail ?? undefined, parameters, badRequestDetail: badRequestDetail ?? undefined,
    });
  }
  return new BaselineError("api", `the server answered ${status} with a body that is not an Atlas error`, { status, body: text.slice(0, 16_384) });
}

const decodeError = (status, path, problem) =>
  new BaselineError("decode", `the ${status} response does not match the documented shape at ${path}: ${problem}`, { status, path });

// The page's fields, in the spec's order: each key with the reader of its value.
const LINK = [["href", "string"], ["rel", "string"]];
const COMPONENT = [["exportId", "string"], ["replicaSetName", "string"]];
const CUSTOM_DATUM = [["key", "string"], ["value", "string"]];
const EXPORT_STATUS = [["exportedCollections", "int32"], ["totalCollections", "int32"]];
const STATE_REASON = [["errorCode", "string"], ["message", "string"]];
const JOB = [
  ["components", "components"],
  ["createdAt", "string"],
  ["customData", "customData"],
  ["exportBucketId", "string", true],
  ["exportStatus", "exportStatus"],
  ["finishedAt", "string"],
  ["id", "string"],
  ["links", "links"],
  ["prefix", "string"],
  ["snapshotId", "string"],
  ["state", "string"],
  ["stateReason", "stateReason"],
];
const PAGE = [["links", "links"], ["results", "results", true], ["totalCount", "int32"]];

/**
 * Typed reads of the parsed body. The JSON path is kept as a stack of keys and indexes and only
 * written out for an error, so a valid page costs no path strings.
 */
class Reader {
  path = [];

  constructor(status) {
    this.status = status;
  }

  fail(expected, value) {
    const path = this.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`)).join("");
    const found = value === undefined ? "nothing" : value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    return decodeError(this.status, `$${path}`, `expected ${expected}, found ${found}`);
  }

  string(value) {
    if (typeof value !== "string") throw this.fail("a string", value);
    return value;
  }

  int32(value) {
    if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) throw this.fail("a 32-bit integer", value);
    return value;
  }

  /** A new object with the `fields` of `value` that are present and not null. */
  object(value, fields) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw this.fail("an object", value);
    const out = {};
    for (const [key, kind, required] of fields) {
      const field = value[key];
      if (field === undefined || (field === null && !required)) continue;
      this.path.push(key);
      out[key] = this[kind](field);
      this.path.pop();
    }
    for (const [key, , required] of fields) {
      if (required && !(key in out)) {
        this.path.push(key);
        throw this.fail("a value", value[key]);
      }
    }
    return out;
  }

  array(value, item) {
    if (!Array.isArray(value)) throw this.fail("an array", value);
    const out = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      this.path.push(index);
      out[index] = item(value[index]);
      this.path.pop();
    }
    return out;
  }

  page(value) {
    return this.object(value, PAGE);
  }

  results(value) {
    return this.array(value, (job) => this.object(job, JOB));
  }

  links(value) {
    return this.array(value, (link) => this.object(link, LINK));
  }

  components(value) {
    return this.array(value, (component) => this.object(component, COMPONENT));
  }

  customData(value) {
    return this.array(value, (datum) => this.object(datum, CUSTOM_DATUM));
  }

  exportStatus(value) {
    return this.object(value, EXPORT_STATUS);
  }

  stateReason(value) {
    return this.object(value, STATE_REASON);
  }
}
