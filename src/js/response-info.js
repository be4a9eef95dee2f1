// Facts about a call's last response (rate limit, attempts) ride on the page or error under a
// registered symbol: JSON.stringify and spreading skip it, so the page keeps the spec's shape.
const INFO = Symbol.for("atlas-export-jobs.responseInfo");

export function attachResponseInfo(target, info) {
  Object.defineProperty(target, INFO, { value: Object.freeze(info), configurable: true });
  return target;
}

export function responseInfo(value) {
  return value !== null && typeof value === "object" ? value[INFO] : undefined;
}
