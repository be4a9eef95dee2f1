// "Did you mean": the known word within two edits of a mistyped one, ignoring ASCII case. The
// same rule as the library's suggestions for mistyped parameter and option names (`closest` in
// src/input.rs), so the command and the library suggest alike; the library does not export it.

const MAX_EDITS = 2;

/** The candidate closest to `word` (the first of equals) if it is within two edits, else undefined. */
export function closest(word, candidates) {
  const key = asciiLower(word);
  let best;
  let bestDistance = MAX_EDITS + 1;
  for (const candidate of candidates) {
    const distance = editDistance(key, asciiLower(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean X?` for the closest candidate, or "" when none is close. */
export function didYouMean(word, candidates) {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
}

function asciiLower(text) {
  return text.replace(/[A-Z]/g, (char) => char.toLowerCase());
}

/** Levenshtein distance between two strings, by code point. */
function editDistance(a, b) {
  const target = [...b];
  let previous = Array.from({ length: target.length + 1 }, (_, j) => j);
  let i = 0;
  for (const char of a) {
    i += 1;
    const current = [i];
    for (let j = 0; j < target.length; j += 1) {
      current.push(Math.min(previous[j] + (char === target[j] ? 0 : 1), previous[j + 1] + 1, current[j] + 1));
    }
    previous = current;
  }
  return previous[target.length];
}
