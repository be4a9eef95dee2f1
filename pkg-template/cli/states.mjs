// The export states the CLI knows by name, as the core states them (facts.js). Atlas may add
// states: an unknown one is shown as Atlas sent it and counts as not finished.
import { EXPORT_STATES, TERMINAL_STATES } from "../facts.js";

/** The states the API documents, in the order a job goes through them. */
export const KNOWN_STATES = EXPORT_STATES;

const TERMINAL = new Set(TERMINAL_STATES);

/** Whether a job in `state` is done: Successful, Failed or Cancelled. */
export function isTerminal(state) {
  return TERMINAL.has(state);
}

/** The documented state `name` spells in any case (`failed` -> `Failed`), or undefined. */
export function knownState(name) {
  const lower = name.toLowerCase();
  return KNOWN_STATES.find((state) => state.toLowerCase() === lower);
}
