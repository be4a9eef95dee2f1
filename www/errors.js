// What each failure means for the person at the console: a title, a sentence on what to do, and
// whether the fix is in the connection settings (edit) or in waiting (retry). The facts come from
// the AtlasError's own fields.
import { isAtlasError, responseInfo } from "./pkg/index.js";

/**
 * @param {unknown} error
 * @param {{proxy: boolean, clusterName: string, groupId: string, baseUrl: string}} where
 * @returns {{title: string, advice: string, edit: boolean, retry: boolean, field: string, facts: [string, string][]}}
 *   `field`: the setting to fix first ("groupId", "clusterName", "baseUrl" or "auth")
 */
export function explain(error, where) {
  if (!isAtlasError(error)) {
    return { title: "Something went wrong", advice: "The page hit an unexpected problem. Reload it and try again.", edit: false, retry: true, field: "clusterName", facts: [["message", String(error?.message ?? error)]] };
  }
  return { edit: false, retry: false, field: fieldOf(error), ...advise(error, where), facts: factsOf(error) };
}

/** The server that holds the credentials, in words. */
const holder = (where) => (where.proxy ? "the demo server's" : "these");

function advise(error, where) {
  const code = error.errorCode ?? "";
  switch (error.kind) {
    case "api":
      return api(error, code, where);
    case "auth":
      if (error.status === 429 || error.retryAfterMs !== undefined) {
        return { title: "Too many sign-ins", advice: "Atlas allows 10 token requests a minute for a service account. Wait a minute, then try again.", retry: true };
      }
      if (error.status === 400 || error.status === 401 || /client/.test(code)) {
        return {
          title: "The service account was refused",
          advice: "Atlas did not accept the client ID and secret. Check both; the secret may have been revoked, or replaced by a new one.",
          edit: true,
        };
      }
      return { title: "Signing in failed", advice: "Atlas could not sign in with these credentials. Check them, then list again.", edit: true };
    case "network":
      return where.proxy
        ? { title: "The demo server could not be reached", advice: "The server that serves this page stopped or the connection dropped. Start it again, then try again.", retry: true }
        : {
            title: "Atlas could not be reached",
            advice: `Nothing answered at ${where.baseUrl}. Check the base URL and your connection. A page can call Atlas only through a proxy that allows it, such as the one scripts/demo.sh --atlas-base-url starts.`,
            edit: true,
            retry: true,
          };
    case "timeout":
      return { title: "Atlas did not answer in time", advice: "Atlas or the network is slow right now. Try again; if it keeps happening, list fewer jobs per page.", retry: true };
    case "decode":
      return {
        title: "The answer could not be read",
        advice: `The server answered, but not with a page of export jobs${error.path ? ` (at ${error.path})` : ""}. Check that the base URL is Atlas or a proxy that passes its answers on unchanged.`,
        edit: !where.proxy,
        retry: true,
      };
    case "tooLarge":
      return { title: "The answer was too large", advice: "Atlas sent more than this page reads at once. List fewer jobs per page.", retry: true };
    case "paging":
      return {
        title: "The listing stopped",
        advice: "The server's pages did not add up: it repeated a page, or listed more pages than its own count. Try again, or page through the jobs one page at a time.",
        retry: true,
      };
    case "load":
      return { title: "The page could not start", advice: "Its WebAssembly module did not load. Reload the page; if that fails, rebuild the package with scripts/build.sh.", retry: false };
    case "validation":
      return { title: "Check the settings", advice: error.message, edit: true };
    default:
      return { title: "The request failed", advice: error.message, retry: true };
  }
}

function api(error, code, where) {
  const status = error.status;
  if (status === 401) {
    return where.proxy
      ? {
          title: "Atlas did not accept the credentials",
          advice: "The demo server's service account or API key (its MONGODB_ATLAS_* variables) is wrong or has expired. Correct the variables and start the demo again.",
        }
      : {
          title: "Atlas did not accept the credentials",
          advice: "The access token or key is wrong or has expired (access tokens last an hour). Enter a current one, then list again.",
          edit: true,
        };
  }
  if (status === 403) {
    if (code === "NOT_ALLOWED") return { title: "Not served here", advice: "The demo server's proxy does not serve this project or cluster.", edit: true };
    if (/ACCESS_LIST|WHITELIST|IP_ADDRESS/.test(code)) {
      return {
        title: "This address is not on the API access list",
        advice: `Atlas refused the request from ${where.proxy ? "the demo server's" : "this computer's"} IP address. Add it to the API access list of the key or service account in Atlas, then try again.`,
        retry: true,
      };
    }
    return {
      title: "Access denied",
      advice: `Atlas knows ${holder(where)} credentials but refused them here: they need a role on this project (Project Read Only or higher), or this address is missing from their API access list.`,
      edit: !where.proxy,
      retry: true,
    };
  }
  if (status === 404) {
    if (code === "CLUSTER_NOT_FOUND") {
      return {
        title: `No cluster named “${where.clusterName}” in this project`,
        advice: `Check the cluster name (names are case-sensitive) and that it belongs to project ${where.groupId}.`,
        edit: true,
      };
    }
    if (code === "GROUP_NOT_FOUND" || code === "INVALID_GROUP_ID") {
      return { title: "No such project", advice: `Atlas has no project ${where.groupId} that ${holder(where)} credentials can see. Check the project ID; Atlas shows it in the project's settings.`, edit: true };
    }
    return {
      title: "Nothing to list at this address",
      advice: where.proxy
        ? "The demo server's --atlas-base-url does not lead to the Atlas Administration API."
        : "The base URL does not lead to the Atlas Administration API: use https://cloud.mongodb.com or a proxy in front of it.",
      edit: !where.proxy,
    };
  }
  if (status === 429) {
    const info = responseInfo(error);
    const wait = info?.retryAfter && /^\d+$/.test(info.retryAfter) ? ` Atlas asked for ${info.retryAfter} s.` : "";
    return { title: "Atlas is limiting requests", advice: `This project has made too many requests in the last minute. Wait a minute, then try again.${wait}`, retry: true };
  }
  if (status === 406 || status === 410) return { title: "This API version is not available", advice: "Atlas no longer answers this API version here: choose v2 in the settings.", edit: true };
  if (status === 400) return { title: "Atlas refused the request", advice: `Atlas said: ${error.detail ?? error.message}`, edit: true };
  if (code === "UPSTREAM_AUTH") {
    return { title: "The demo server could not sign in to Atlas", advice: "Atlas refused the server's credentials (its MONGODB_ATLAS_* variables). Correct them and start the demo again." };
  }
  if (code === "UPSTREAM_UNREACHABLE") return { title: "The demo server could not reach Atlas", advice: "Check the server's network and its --atlas-base-url, then try again.", retry: true };
  if (code === "UPSTREAM_TIMEOUT") return { title: "Atlas did not answer the demo server in time", advice: "Atlas or the network is slow right now. Try again in a minute.", retry: true };
  if (status >= 500) return { title: "Atlas had a problem", advice: `Atlas answered ${status}. This is usually brief: try again in a minute.`, retry: true };
  return { title: `Atlas answered ${status}`, advice: error.detail ?? error.message, retry: true };
}

function fieldOf(error) {
  const code = error.errorCode ?? "";
  if (error.kind === "auth" || error.status === 401) return "auth";
  if (/GROUP/.test(code)) return "groupId";
  if (error.kind === "network" || error.kind === "decode" || (error.status === 404 && code !== "CLUSTER_NOT_FOUND")) return "baseUrl";
  if (error.kind === "validation") return error.field;
  return "clusterName";
}

/** The error's fields that are set, then what the exchange reported (attempts, rate limit). */
function factsOf(error) {
  const facts = [];
  for (const key of ["kind", "status", "errorCode", "reason", "detail", "field", "path", "pagesFetched", "itemsYielded", "retryAfterMs"]) {
    const value = error[key];
    if (value !== undefined && value !== null && value !== "") facts.push([key, String(value)]);
  }
  const info = responseInfo(error);
  for (const key of ["attempts", "retryAfter", "rateLimitRemaining", "rateLimitLimit"]) {
    if (info?.[key] !== undefined) facts.push([key, String(info[key])]);
  }
  facts.push(["message", error.message]);
  return facts;
}
