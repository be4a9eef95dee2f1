// The one error type every rejection of atlas-export-jobs uses. It is written in JavaScript so that
// it is a real Error subclass: a stack, `instanceof Error`, and a standard `cause`. It is small and
// apart from its messages (messages.js) because the browser entry exports it before the module loads.

// A registered symbol, so `isAtlasError` also recognises errors from another copy of the package.
const BRAND = Symbol.for("atlas-export-jobs.AtlasError");

export class AtlasError extends Error {
  constructor(kind, message, fields) {
    const { cause, ...facts } = fields;
    super(message, "cause" in fields ? { cause } : undefined);
    Object.defineProperty(this, BRAND, { value: true });
    this.name = "AtlasError";
    this.kind = kind;
    Object.assign(this, facts);
  }

  // JSON.stringify skips an Error's message; keep it, and leave out `cause`, which may be anything.
  toJSON() {
    const { cause, ...facts } = this;
    return { ...facts, message: this.message };
  }
}

// Its name survives minification, so Node prints `AtlasError`, not the bundler's short name.
Object.defineProperty(AtlasError, "name", { value: "AtlasError" });

export function isAtlasError(value) {
  try {
    return value instanceof AtlasError || (typeof value === "object" && value !== null && value[BRAND] === true);
  } catch {
    // A Proxy whose traps throw is no AtlasError.
    return false;
  }
}
