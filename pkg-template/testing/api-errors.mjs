// ApiError bodies as Atlas writes them: `{detail, error, errorCode, parameters, reason}`, plus
// `badRequestDetail` on validation errors. One constructor per situation the mock answers.
import { STATUS_CODES } from "./status-codes.mjs";

/** The ApiError body for `status`, with the reason phrase Atlas uses for it. */
export function apiError(status, errorCode, detail, parameters = [], extra = {}) {
  // Atlas writes the keys in alphabetical order; `extra` holds only badRequestDetail.
  return { ...extra, detail, error: status, errorCode, parameters, reason: STATUS_CODES[status] ?? "Unknown" };
}

export const unauthorized = (
  detail = "This request is not authenticated: send Authorization: Bearer <access token> with a valid token.",
) => apiError(401, "USER_UNAUTHORIZED", detail);

/** A request whose Digest credentials name another request-target. */
export const digestUriMismatch = (detail) => apiError(400, "VALIDATION_ERROR", detail, ["uri"]);

export const notAcceptable = (supported) =>
  apiError(406, "INVALID_VERSION_DATE", `Invalid Accept header or version date. This resource supports: ${supported}.`);

export const invalidGroupId = (groupId) =>
  apiError(404, "INVALID_GROUP_ID", `An invalid group ID ${groupId} was specified.`, [groupId]);

export const groupNotFound = (groupId) =>
  apiError(404, "GROUP_NOT_FOUND", `No group with ID ${groupId} exists.`, [groupId]);

export const clusterNotFound = (clusterName, groupId) =>
  apiError(404, "CLUSTER_NOT_FOUND", `No cluster named ${clusterName} exists in group ${groupId}.`, [clusterName, groupId]);

/** A request-target that is no path on this server: `//`, or an absolute URL whose host does not parse. */
export const invalidRequestTarget = () =>
  apiError(400, "INVALID_REQUEST_TARGET", "The request target is not a path on this server, or an absolute URL with a valid host.");

export const resourceNotFound = (path) =>
  apiError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${path}.`, [path]);

/** `violations`: `[{field, value, description}]`, every broken query rule of one request. */
export function validationError(violations) {
  const detail = `Invalid query parameters: ${violations.map((v) => `${v.field} ${v.description}`).join("; ")}.`;
  return apiError(
    400,
    "VALIDATION_ERROR",
    detail,
    violations.flatMap((v) => [v.field, v.value]),
    { badRequestDetail: { fields: violations.map(({ field, description }) => ({ field, description })) } },
  );
}

// What an injected `{status}` fault answers when it brings no body of its own.
const DEFAULT_ERRORS = {
  400: ["VALIDATION_ERROR", "The request is invalid."],
  401: ["USER_UNAUTHORIZED", "This request is not authenticated."],
  402: ["ACCOUNT_SUSPENDED", "The organization of this project is suspended."],
  403: ["ACCESS_FORBIDDEN", "The current user is not authorized to perform this action."],
  404: ["RESOURCE_NOT_FOUND", "Cannot find the requested resource."],
  406: ["INVALID_VERSION_DATE", "Invalid Accept header or version date."],
  410: ["VERSION_GONE", "The requested API version is no longer available."],
  429: ["RATE_LIMITED", "Too many requests. Please retry after the time in the Retry-After header."],
  500: ["UNEXPECTED_ERROR", "Unexpected error."],
  503: ["SERVICE_UNAVAILABLE", "The service is temporarily unavailable. Please retry later."],
};

/** A plausible ApiError for any status, for faults that name only the status. */
export function defaultErrorFor(status) {
  const [errorCode, detail] = DEFAULT_ERRORS[status] ?? ["UNEXPECTED_ERROR", "Unexpected error."];
  return apiError(status, errorCode, detail);
}
