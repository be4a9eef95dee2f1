// Reads a caller's argument once, into plain data that the wasm shell walks without running any
// caller code again: own enumerable string-keyed properties, and nested plain objects one level
// deep. A getter or Proxy trap that throws makes that one value unreadable, with what it threw
// kept for the error's cause; nothing here ever throws.

// What each value is, as the shell reads it (src/snapshot.rs).
const UNDEFINED = 0, NULL = 1, BOOLEAN = 2, NUMBER = 3, STRING = 4, SIGNAL = 5, FUNCTION = 6, RECORD = 7, OTHER = 8, UNREADABLE = 9, LIST = 10;

// Items read of an array: one past the most a list option holds (MAX_LIST_ITEMS in the core), so
// a longer one is refused by its length without reading it all.
const LIST_READ = 1001;

// Captured now, so that a caller's own properties named `aborted` cannot stand in for the brand.
// A runtime that defines `aborted` on each signal instead (older workerd) has no getter to capture.
const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get;
const isEnumerable = Function.prototype.call.bind(Object.prototype.propertyIsEnumerable);
const { getPrototypeOf, prototype: objectPrototype } = Object;
const { ownKeys } = Reflect;

/** A genuine AbortSignal, by its internal slot: `Object.create(AbortSignal.prototype)` is not one. */
export function isAbortSignal(value) {
  try {
    if (abortedGetter) abortedGetter.call(value);
    else if (!(value instanceof AbortSignal) || typeof value.aborted !== "boolean") return false;
    return true;
  } catch {
    return false;
  }
}

/** A value whose read threw, in a copy: read again, it is unreadable with the same cause. */
class Unreadable {
  constructor(error) {
    this.error = error;
  }
}

/** Stands in for a value the shell only names by its kind. */
class Opaque {}

/** `[kind, payload]` of a value inside a record; plain objects become records while `depth` is 0. */
function classify(value, depth) {
  switch (typeof value) {
    case "undefined":
      return [UNDEFINED];
    case "boolean":
      return [BOOLEAN, value];
    case "number":
      return [NUMBER, value];
    case "string":
      return [STRING, value];
    case "function":
      return [FUNCTION, value];
    case "bigint":
    case "symbol":
      return [OTHER, typeof value];
  }
  if (value === null) return [NULL];
  if (value instanceof Unreadable) return [UNREADABLE, value.error];
  if (Array.isArray(value)) return depth === 0 ? [LIST, items(value)] : [OTHER, "array"];
  if (isAbortSignal(value)) return [SIGNAL, value];
  const prototype = getPrototypeOf(value);
  if (depth === 0 && (prototype === null || prototype === objectPrototype)) return [RECORD, entries(value, 1)];
  return [OTHER, "object"];
}

/** `[length, kind, payload, kind, payload, ...]` of an array's first items. */
function items(array) {
  const read = array.length;
  const length = Number.isSafeInteger(read) && read > 0 ? read : 0;
  const flat = [length];
  for (let at = 0; at < length && at < LIST_READ; at++) {
    let item;
    try {
      item = classify(array[at], 1);
    } catch (error) {
      item = [UNREADABLE, error];
    }
    flat.push(item[0], item[1]);
  }
  return flat;
}

/** `[key, kind, payload, key, kind, payload, ...]` of an object's own enumerable properties. */
function entries(object, depth) {
  const flat = [];
  for (const key of ownKeys(object)) {
    if (typeof key !== "string") continue;
    let read;
    try {
      if (!isEnumerable(object, key)) continue;
      read = classify(object[key], depth);
    } catch (error) {
      read = [UNREADABLE, error];
    }
    flat.push(key, read[0], read[1]);
  }
  return flat;
}

/** An argument: any object but an array or function is read as a record. */
export function snapshot(value) {
  try {
    if (typeof value !== "object" || value === null || value instanceof Unreadable || Array.isArray(value) || isAbortSignal(value)) {
      return classify(value, 1);
    }
    return [RECORD, entries(value, 0)];
  } catch (error) {
    return [UNREADABLE, error];
  }
}

const STAND_INS = { array: () => [], bigint: () => 0n, symbol: () => Symbol(), object: () => new Opaque() };

function rebuild(kind, payload) {
  switch (kind) {
    case UNDEFINED:
      return undefined;
    case NULL:
      return null;
    case RECORD: {
      const record = Object.create(null);
      for (let at = 0; at < payload.length; at += 3) record[payload[at]] = rebuild(payload[at + 1], payload[at + 2]);
      return record;
    }
    case LIST: {
      const list = [];
      for (let at = 1; at < payload.length; at += 2) list.push(rebuild(payload[at], payload[at + 1]));
      // Unread items stay holes: read again, the copy has the original's length and first items.
      list.length = payload[0];
      return list;
    }
    case OTHER:
      return STAND_INS[payload]();
    case UNREADABLE:
      return new Unreadable(payload);
    default:
      return payload;
  }
}

/**
 * An argument read once into plain data that reads back the same (`snapshot` of the copy is the
 * snapshot of the original): for an entry that needs to look at an argument before handing it to
 * the WebAssembly module, or after an await, without reading the caller's object twice.
 */
export function copy(value) {
  const [kind, payload] = snapshot(value);
  return rebuild(kind, payload);
}
