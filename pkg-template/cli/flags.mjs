// The command line's words read as spf13/pflag v1.0.10 reads them (the Atlas CLI's flag parser),
// so that what an Atlas CLI user types means the same here:
//   --flag=value and --flag value, the next word taken even when it starts with a dash (--page -1)
//   -o json, -o=json and -ojson; one-letter booleans may share a dash (-hv)
//   a boolean alone is true; a value goes after "=" only, in strconv.ParseBool's spellings
//     (--omitCount=false); `--omitCount false` is true followed by the argument "false"
//   a flag given again: the last value wins, except for a repeatable flag, which collects them
//   -- ends the flags (every word after it is an argument); a lone - is an argument
//   flags and arguments in any order
// One departure: a flag's value is never one of the command's own flags (`--output --limit 5`).
// pflag would take "--limit" as the format; no value here can be a flag, so this says that
// --output needs a value instead.

/** What went wrong with a flag. */
export const FLAG_PROBLEM = Object.freeze({
  unknown: "unknown",
  missingValue: "missingValue",
  notBoolean: "notBoolean",
});

/**
 * A word that is not a flag of the command, a flag with no value, or a boolean whose value is not
 * one. `flag` is the flag as typed, without its value; `word` (unknown) is what followed the
 * dashes, up to any "=", for a suggestion; `value` (notBoolean) is the value given.
 */
export class FlagError extends Error {
  name = "FlagError";

  constructor(problem, flag, { word, value } = {}) {
    super(`${problem}: ${flag}`);
    this.problem = problem;
    this.flag = flag;
    this.word = word;
    this.value = value;
  }
}

// strconv.ParseBool's spellings.
const BOOLEANS = new Map([
  ...["1", "t", "T", "TRUE", "true", "True"].map((word) => [word, true]),
  ...["0", "f", "F", "FALSE", "false", "False"].map((word) => [word, false]),
]);

/** `word` as strconv.ParseBool reads it: true, false, or undefined for anything else. */
export function parseBoolean(word) {
  return BOOLEANS.get(word);
}

/**
 * Reads `args` against `options` (`{ name: { type: "string" | "boolean", short?, multiple? } }`,
 * as node:util parseArgs takes them).
 * @returns {{values: object, positionals: string[], tokens: object[]}} `values` by option name
 *   (an array for a repeatable one); `tokens` in order, each `{kind: "option", name, rawName,
 *   value, inlineValue}` (rawName as typed: `-o`, `--output`), `{kind: "positional", value}` or
 *   `{kind: "option-terminator"}`
 * @throws {FlagError}
 */
export function readFlags(args, options) {
  const shorts = new Map(Object.entries(options).filter(([, option]) => option.short !== undefined).map(([name, option]) => [option.short, name]));
  const isFlag = (word) => {
    if (word.startsWith("--")) return Object.hasOwn(options, word.slice(2).split("=")[0]);
    return word.length > 1 && word.startsWith("-") && shorts.has([...word][1]);
  };
  const values = {};
  const positionals = [];
  const tokens = [];
  let i = 0;

  const set = (name, rawName, given, inlineValue) => {
    let value = given;
    if (options[name].type === "boolean") {
      value = inlineValue ? parseBoolean(given) : true;
      if (value === undefined) throw new FlagError(FLAG_PROBLEM.notBoolean, rawName, { value: given });
    }
    if (options[name].multiple) (values[name] ??= []).push(value);
    else values[name] = value;
    tokens.push({ kind: "option", name, rawName, value, inlineValue });
  };
  /** The word after the flag at `i` as its value. */
  const nextValue = (name, rawName) => {
    if (i + 1 >= args.length || isFlag(args[i + 1])) throw new FlagError(FLAG_PROBLEM.missingValue, rawName);
    i += 1;
    set(name, rawName, args[i], false);
  };

  for (; i < args.length; i += 1) {
    const word = args[i];
    if (word === "--") {
      tokens.push({ kind: "option-terminator" });
      for (const rest of args.slice(i + 1)) {
        positionals.push(rest);
        tokens.push({ kind: "positional", value: rest });
      }
      break;
    }
    if (word.length < 2 || !word.startsWith("-")) {
      positionals.push(word);
      tokens.push({ kind: "positional", value: word });
    } else if (word.startsWith("--")) {
      const equals = word.indexOf("=");
      const name = equals === -1 ? word.slice(2) : word.slice(2, equals);
      const rawName = `--${name}`;
      if (!Object.hasOwn(options, name)) throw new FlagError(FLAG_PROBLEM.unknown, rawName, { word: name });
      if (equals !== -1) set(name, rawName, word.slice(equals + 1), true);
      else if (options[name].type === "boolean") set(name, rawName, undefined, false);
      else nextValue(name, rawName);
    } else {
      // One-letter flags after one dash, each a boolean or the last, which takes the rest of the
      // word (after an "=", if it starts with one) or the next word.
      const letters = [...word.slice(1)];
      for (let j = 0; j < letters.length; j += 1) {
        const name = shorts.get(letters[j]);
        const rawName = `-${letters[j]}`;
        if (name === undefined) throw new FlagError(FLAG_PROBLEM.unknown, rawName, { word: word.slice(1).split("=")[0] });
        const rest = letters.slice(j + 1).join("");
        if (rest.length > 1 && rest.startsWith("=")) {
          set(name, rawName, rest.slice(1), true);
          break;
        }
        if (options[name].type === "boolean") {
          set(name, rawName, undefined, false);
        } else {
          if (rest !== "") set(name, rawName, rest, true);
          else nextValue(name, rawName);
          break;
        }
      }
    }
  }
  return { values, positionals, tokens };
}
