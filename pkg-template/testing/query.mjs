// The list endpoint's query parameter rules, checked server-side as Atlas does. Unknown
// parameters are ignored, as Atlas ignores them.

export const MAX_ITEMS_PER_PAGE = 500;

const BOOLEANS = [
  ["envelope", false],
  ["pretty", false],
  ["includeCount", true],
];

/**
 * Reads the list parameters from `searchParams` (the first value wins when one is repeated).
 * @returns {{ok: true, value: {itemsPerPage, pageNum, includeCount, envelope, pretty}} | {ok: false, violations: {field, value, description}[]}}
 */
export function parseListQuery(searchParams) {
  const violations = [];
  const value = {
    itemsPerPage: integer(searchParams, "itemsPerPage", 100, 1, MAX_ITEMS_PER_PAGE, violations),
    pageNum: integer(searchParams, "pageNum", 1, 1, Number.MAX_SAFE_INTEGER, violations),
  };
  for (const [name, fallback] of BOOLEANS) value[name] = boolean(searchParams, name, fallback, violations);
  return violations.length === 0 ? { ok: true, value } : { ok: false, violations };
}

/** The query as a plain object of strings, for the request log. */
export function queryObject(searchParams) {
  const object = {};
  for (const [name, value] of searchParams) if (!(name in object)) object[name] = value;
  return object;
}

function integer(searchParams, field, fallback, min, max, violations) {
  const raw = searchParams.get(field);
  if (raw === null) return fallback;
  const number = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
  let description;
  if (!Number.isSafeInteger(number)) description = "must be an integer";
  else if (number < min) description = `must be greater than or equal to ${min}`;
  else if (number > max) description = `must be less than or equal to ${max}`;
  if (description === undefined) return number;
  violations.push({ field, value: raw, description });
  return fallback;
}

function boolean(searchParams, field, fallback, violations) {
  const raw = searchParams.get(field);
  if (raw === null) return fallback;
  if (raw === "true" || raw === "false") return raw === "true";
  violations.push({ field, value: raw, description: "must be true or false" });
  return fallback;
}
