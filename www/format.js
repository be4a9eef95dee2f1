// How times, durations and counts read in the console: short in the table, complete in the panel.

const thisYear = new Date().getFullYear();
const short = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const shortWithYear = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "long" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS = [["year", 31_536_000], ["month", 2_592_000], ["day", 86_400], ["hour", 3_600], ["minute", 60], ["second", 1]];

const valid = (iso) => typeof iso === "string" && !Number.isNaN(Date.parse(iso));

/** "Jan 1, 03:00", with the year when it is not this one. */
export function dateShort(iso) {
  if (!valid(iso)) return "—";
  const date = new Date(iso);
  return (date.getFullYear() === thisYear ? short : shortWithYear).format(date);
}

/** "Jan 1, 2026, 3:00:00 AM UTC". */
export function dateFull(iso) {
  return valid(iso) ? full.format(new Date(iso)) : "—";
}

/** "11 months ago", "in 2 minutes". */
export function relative(iso, now = Date.now()) {
  if (!valid(iso)) return "";
  const seconds = (Date.parse(iso) - now) / 1000;
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? ["second", 1];
  return relativeFormat.format(Math.round(seconds / size), unit);
}

/** How long from `from` to `to`: "45 s", "12 min", "1 h 05 min", "3 d 4 h"; "" when either is missing. */
export function duration(from, to) {
  if (!valid(from) || !valid(to)) return "";
  const seconds = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const integer = new Intl.NumberFormat();
/** 1234 -> "1,234". */
export const count = (n) => integer.format(n);
