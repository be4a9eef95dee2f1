// The demo console. Every rule about the inputs is the package's own (checkListExportJobs and the
// AtlasClient constructor); every fact shown for an error is an AtlasError field.
import { EXPORT_STATES } from "./pkg/facts.js";
import { AtlasClient, checkListExportJobs, ready } from "./pkg/index.js";
import { jobDetails, statePill } from "./details.js";
import { $, h, icon } from "./dom.js";
import { explain } from "./errors.js";
import { count, dateFull, dateShort, duration, relative } from "./format.js";

const STATES = EXPORT_STATES;
const RUNNING = new Set(["Queued", "InProgress"]);
/** Load all asks for the most Atlas gives per page, whatever the page size shown. */
const LOAD_ALL_PAGE_SIZE = 500;
const query = new URLSearchParams(location.search);
// How often live mode lists while jobs run; `?liveMs=` overrides it (the end-to-end tests use a short one).
const LIVE_INTERVAL_MS = Number(query.get("liveMs")) || 5000;
const LIVE_STOPPED = "all finished, live refresh stopped";
const phone = matchMedia("(max-width: 640px)");

const form = $("#query");
const field = (name) => form.elements[name];

const view = {
  /** The settings the results are about: the listing shown, or the one that failed. */
  settings: undefined,
  /** "none" (nothing listed), "page" or "all". */
  mode: "none",
  jobs: [],
  pageNum: 1,
  hasNext: false,
  totalCount: undefined,
  stateFilter: "",
  search: "",
  sort: "server",
  controller: undefined,
  /** Live mode's watch of the listed jobs, while it runs (startLive). */
  live: undefined,
  busy: false,
};

let config;
try {
  await ready();
  config = await fetch("demo-config.json").then((response) => response.json());
} catch (error) {
  // Nothing else can run: say so in the error panel, alone.
  const explained = explain(error, { proxy: false, clusterName: "", groupId: "", baseUrl: "" });
  $("#error-title").textContent = explained.title;
  $("#error-advice").textContent = explained.advice;
  $(".error-actions").hidden = true;
  $("#error-facts").replaceChildren(...explained.facts.flatMap(([key, value]) => [h("dt", { text: key }), h("dd", { text: value })]));
  $("#error").hidden = false;
  $("#results").hidden = false;
  form.hidden = true;
  throw error;
}
const proxied = config.mode === "proxy";

// ---- the connection settings ------------------------------------------------------------------

for (const element of document.querySelectorAll("[data-mode]")) element.hidden = element.dataset.mode !== config.mode;
$("#mode").textContent = proxied ? "Atlas via this server" : "Mock Atlas";
if (proxied) {
  $(".proxy-note").textContent = `Atlas at ${config.upstream}, reached through this server, which holds the ${config.credentials}. This page holds no credentials.`;
}
const SAVED = `atlas-export-jobs-demo:${config.upstream ?? "mock"}`;
const saved = proxied ? readSaved() : undefined;
field("groupId").value = config.groupId || saved?.groupId || "";
field("clusterName").value = config.clusterName || (saved && (!config.groupId || saved.groupId === config.groupId) ? saved.clusterName : "") || "";
if (!proxied) {
  field("baseUrl").value = config.baseUrl;
  field("accessToken").value = config.accessToken ?? "";
}

/** The form's settings, as the package takes them. */
function draft() {
  const value = (name) => field(name).value.trim();
  const base = {
    groupId: value("groupId"),
    clusterName: value("clusterName"),
    apiVersion: value("apiVersion"),
    includeCount: field("includeCount").checked,
    envelope: field("envelope").checked,
  };
  if (proxied) {
    // The page's client talks to its own server; the proxy adds the credentials.
    return { ...base, baseUrl: new URL(config.proxyPath, location.origin).href, shownBase: config.upstream, auth: { type: "none" }, authLabel: `${config.credentials} on the server` };
  }
  const serviceAccount = value("authType") === "serviceAccount";
  return {
    ...base,
    baseUrl: value("baseUrl"),
    shownBase: value("baseUrl"),
    auth: serviceAccount
      ? { type: "serviceAccount", clientId: value("clientId"), clientSecret: field("clientSecret").value, allowInBrowser: true }
      : { type: "bearer", token: value("accessToken") },
    authLabel: serviceAccount ? "service account" : "access token",
  };
}

/** The endpoint's parameters of `settings`. */
const paramsOf = (settings) => ({
  groupId: settings.groupId,
  clusterName: settings.clusterName,
  includeCount: settings.includeCount,
  envelope: settings.envelope || undefined,
});

// One client per connection setting (base URL, API version, credentials): a service account's token
// or a digest nonce then serves every listing. The form's draft and the shown listing each hold one;
// a client no longer held by either is closed.
const clients = { draft: undefined, shown: undefined };
const connectionKey = (settings) => JSON.stringify([settings.baseUrl, settings.apiVersion, settings.auth]);

function clientFor(settings, holder) {
  const key = connectionKey(settings);
  if (clients[holder]?.key === key) return clients[holder].client;
  const other = clients[holder === "draft" ? "shown" : "draft"];
  const entry =
    other?.key === key
      ? other
      : {
          key,
          client: new AtlasClient({
            baseUrl: settings.baseUrl,
            apiVersion: settings.apiVersion,
            auth: settings.auth,
            retry: { onRetry: showRetry },
          }),
        };
  const previous = clients[holder];
  clients[holder] = entry;
  if (previous && previous !== other) previous.client.close().catch(() => {});
  return entry.client;
}

const FIELD_OF = { "auth.token": "accessToken", "auth.clientId": "clientId", "auth.clientSecret": "clientSecret" };
const touched = new Set();

/** Every field's problem under the package's rules: `{fieldName: message}`. */
function problems(settings) {
  const found = {};
  // One check per field, the others set to values the rules accept, so each field gets its own message.
  const fine = { groupId: "000000000000000000000000", clusterName: "a" };
  for (const name of ["groupId", "clusterName"]) {
    const error = checkListExportJobs({ ...fine, [name]: settings[name] }, {});
    if (error) found[name] = error.message;
  }
  const options = checkListExportJobs(fine, { baseUrl: settings.baseUrl, apiVersion: settings.apiVersion });
  if (options) found[options.field] = options.message;
  if (!found.baseUrl) {
    try {
      clientFor(settings, "draft");
    } catch (error) {
      found[FIELD_OF[error.field] ?? error.field ?? "auth"] = error.message;
    }
  }
  return found;
}

/** Shows the problems of the fields touched so far; returns whether the form is valid. */
function validate(settings = draft()) {
  const found = problems(settings);
  for (const input of form.querySelectorAll("input, select")) {
    const message = touched.has(input.name) ? found[input.name] : undefined;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    const hint = $(`#${input.id}-error`);
    if (hint) hint.textContent = message ?? "";
  }
  const known = new Set([...form.querySelectorAll("input, select")].map((input) => input.name));
  $("#auth-error").textContent = Object.entries(found).find(([name]) => !known.has(name))?.[1] ?? "";
  return Object.keys(found).length === 0;
}

form.addEventListener("input", (event) => {
  touched.add(event.target.name);
  validate();
});
field("authType").addEventListener("change", () => {
  const chosen = field("authType").value;
  for (const element of form.querySelectorAll("[data-auth]")) element.hidden = element.dataset.auth !== chosen;
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const settings = draft();
  for (const input of form.querySelectorAll("input, select")) touched.add(input.name);
  if (!validate(settings)) {
    form.querySelector("[aria-invalid=true]")?.focus();
    return;
  }
  listPage(settings, 1, { user: true, apply: true });
});

function expandSettings(focusName) {
  form.hidden = false;
  $("#connection-summary").hidden = true;
  $("#edit").setAttribute("aria-expanded", "true");
  $("#discard").hidden = view.mode === "none";
  $("#error-edit").hidden = true;
  if (focusName) field(focusName)?.focus();
}

function collapseSettings() {
  if (!view.settings) return;
  form.hidden = true;
  $("#connection-summary").hidden = false;
  $("#edit").setAttribute("aria-expanded", "false");
}

/** Puts the shown listing's settings back into the form, dropping unapplied edits. */
function restoreForm(settings) {
  field("groupId").value = settings.groupId;
  field("clusterName").value = settings.clusterName;
  field("apiVersion").value = settings.apiVersion;
  field("includeCount").checked = settings.includeCount;
  field("envelope").checked = settings.envelope;
  if (!proxied) {
    field("baseUrl").value = settings.baseUrl;
    field("authType").value = settings.auth.type === "serviceAccount" ? "serviceAccount" : "token";
    field("authType").dispatchEvent(new Event("change"));
    if (settings.auth.type === "bearer") field("accessToken").value = settings.auth.token;
    else {
      field("clientId").value = settings.auth.clientId;
      field("clientSecret").value = settings.auth.clientSecret;
    }
  }
  touched.clear();
  validate();
}

$("#edit").addEventListener("click", () => expandSettings("clusterName"));
$("#discard").addEventListener("click", () => {
  restoreForm(view.settings);
  collapseSettings();
  $("#edit").focus();
});
form.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && view.mode !== "none") {
    event.preventDefault();
    $("#discard").click();
  }
});

function showConnection(settings) {
  $("#fact-cluster").textContent = settings.clusterName;
  $("#fact-project").textContent = settings.groupId;
  $("#fact-auth").textContent = settings.authLabel;
  $("#fact-base").textContent = settings.shownBase;
}

// ---- listing ----------------------------------------------------------------------------------

$("#prev").addEventListener("click", () => listPage(view.settings, view.pageNum - 1, { user: true }));
$("#next").addEventListener("click", () => listPage(view.settings, view.pageNum + 1, { user: true }));
$("#pages").addEventListener("click", () => listPage(view.settings, 1, { user: true }));
$("#refresh").addEventListener("click", () => refresh({ user: true }));
$("#loadAll").addEventListener("click", () => loadAll(view.settings, { user: true }));
$("#cancel").addEventListener("click", () => view.controller?.abort("cancelled by the user"));
$("#error-retry").addEventListener("click", () => view.again?.());
$("#error-edit").addEventListener("click", () => expandSettings(view.errorField));
$("#itemsPerPage").addEventListener("change", () => {
  if (view.mode === "page") listPage(view.settings, 1, { user: true });
});
$("#live").addEventListener("change", () => {
  // A listing in flight starts live mode when it ends.
  if ($("#live").checked && !view.controller) startLive();
  else if (!$("#live").checked) {
    stopLive();
    $("#live-status").textContent = "";
  }
});

function refresh(how) {
  if (!view.settings) return undefined;
  return view.mode === "all" ? loadAll(view.settings, how) : listPage(view.settings, view.mode === "page" ? view.pageNum : 1, how);
}

/**
 * Runs one listing with its own AbortController: the busy state, the results on success, and on
 * failure a cleared listing with the error explained. `how.user` moves focus to what the person
 * should look at; `how.apply` (the form's submit) makes `settings` the shown ones and folds the
 * form away.
 */
async function run(settings, task, how = {}) {
  stopLive();
  view.controller?.abort("superseded");
  const controller = (view.controller = new AbortController());
  $("#results").hidden = false;
  let client;
  let note;
  try {
    client = clientFor(settings, "shown");
  } catch (error) {
    // The form is checked before a listing starts; this is a rule the form does not show.
    view.controller = undefined;
    setBusy(false);
    showError(error, how);
    return;
  }
  setBusy(true);
  try {
    const outcome = await task(client, controller.signal);
    if (view.controller !== controller) return;
    hideError();
    const fromForm = form.contains(document.activeElement);
    view.settings = settings;
    Object.assign(view, outcome);
    showConnection(settings);
    if (how.apply) collapseSettings();
    save(settings);
    render();
    if (how.apply && fromForm) $("#results-title").focus();
    // A link to a job (#job=<id>) opens once there is a listing to find it in.
    const linked = jobInHash();
    if (linked && !dialog.open && !details.restored) showDetails(linked, { history: "none" });
    details.restored = true;
  } catch (error) {
    if (view.controller !== controller) return;
    if (error?.kind === "aborted") {
      if (error.cause !== "superseded") note = view.mode === "none" ? "Cancelled." : "load cancelled";
    } else {
      view.settings = settings;
      showConnection(settings);
      showError(error, how);
    }
  } finally {
    if (view.controller === controller) {
      view.controller = undefined;
      setBusy(false);
      hideRetry();
      if (note) $("#summary").textContent = view.mode === "none" ? note : `${summaryText()} · ${note}`;
      startLive();
    }
  }
}

function listPage(settings, pageNum, how) {
  view.again = () => listPage(settings, pageNum, { user: true });
  return run(
    settings,
    async (client, signal) => {
      const page = await client.listExportJobs({ ...paramsOf(settings), itemsPerPage: pageSize(), pageNum }, { signal });
      return {
        mode: "page",
        jobs: page.results,
        pageNum,
        hasNext: (page.links ?? []).some((link) => link.rel === "next"),
        totalCount: page.totalCount,
      };
    },
    how,
  );
}

function loadAll(settings, how) {
  view.again = () => loadAll(settings, { user: true });
  return run(
    settings,
    async (client, signal) => {
      const jobs = [];
      let totalCount;
      const bar = $("#progress-bar");
      $("#progress").hidden = false;
      bar.removeAttribute("value");
      $("#progress-text").textContent = "Loading…";
      try {
        const pages = client.iterateExportJobs({ ...paramsOf(settings), itemsPerPage: LOAD_ALL_PAGE_SIZE }, { signal }).pages();
        for await (const page of pages) {
          jobs.push(...page.results);
          totalCount = page.totalCount ?? totalCount;
          if (totalCount) {
            bar.max = totalCount;
            bar.value = jobs.length;
          }
          $("#progress-text").textContent = `${count(jobs.length)}${totalCount === undefined ? "" : ` of ${count(totalCount)}`} jobs`;
        }
      } finally {
        $("#progress").hidden = true;
      }
      return { mode: "all", jobs, pageNum: 1, hasNext: false, totalCount: totalCount ?? jobs.length };
    },
    how,
  );
}

const pageSize = () => Number($("#itemsPerPage").value);

/**
 * Live mode: the listed jobs followed with the package's watchExportJobs, which lists them again
 * every LIVE_INTERVAL_MS while one runs, tells what moved, retries rounds that fail for a while,
 * and ends once every followed job has finished. A page follows the jobs on it; all pages follow
 * the cluster's, jobs that appear included. The rows are drawn from its events alone.
 */
function startLive() {
  stopLive();
  const status = $("#live-status");
  if (!$("#live").checked || view.mode === "none") {
    status.textContent = "";
    return;
  }
  const ids = view.jobs.map((job) => job.id).filter((id) => typeof id === "string");
  if (view.mode === "page" && ids.length === 0) {
    status.textContent = LIVE_STOPPED;
    return;
  }
  const settings = view.settings;
  const controller = new AbortController();
  // Jobs by id, in the listing's order (a job without one cannot be followed, and stays as listed).
  const jobs = new Map(view.jobs.map((job) => [job.id ?? Symbol("no id"), job]));
  const live = (view.live = { controller, jobs, frame: undefined });
  status.textContent = `every ${Math.round(LIVE_INTERVAL_MS / 100) / 10} s while jobs run`;
  // Until its first round is in, the listing is being read again, as during a refresh.
  $("#jobs").setAttribute("aria-busy", "true");
  let watch;
  try {
    watch = clientFor(settings, "shown").watchExportJobs(
      { ...paramsOf(settings), itemsPerPage: LOAD_ALL_PAGE_SIZE },
      { jobIds: view.mode === "page" ? ids : undefined, until: "allFinished", interval: { runningMs: LIVE_INTERVAL_MS }, signal: controller.signal },
    );
  } catch (error) {
    showError(error);
    return;
  }
  follow(live, watch);
}

async function follow(live, watch) {
  try {
    for await (const event of watch) {
      if (event.type === "removed") live.jobs.delete(event.job.id);
      else live.jobs.set(event.job.id, event.job);
      // A round's events arrive together: one drawing for all of them.
      live.frame ??= requestAnimationFrame(() => drawLive(live));
    }
  } catch (error) {
    // Stopped by the page (Live off, a new listing): nothing went wrong.
    if (view.live !== live || live.controller.signal.aborted) return;
    showError(error);
    return;
  }
  if (view.live !== live) return;
  stopLive();
  $("#live-status").textContent = LIVE_STOPPED;
}

/** Shows the jobs as the watch's events left them. */
function drawLive(live) {
  live.frame = undefined;
  view.jobs = [...live.jobs.values()];
  if (view.mode === "all") view.totalCount = view.jobs.length;
  $("#jobs").setAttribute("aria-busy", String(view.busy));
  render();
}

/** Ends live mode's watch, if one runs, showing what it had told. */
function stopLive() {
  const live = view.live;
  if (!live) return;
  if (live.frame !== undefined) {
    cancelAnimationFrame(live.frame);
    drawLive(live);
  }
  view.live = undefined;
  live.controller.abort("live mode stopped");
  $("#jobs").setAttribute("aria-busy", String(view.busy));
}

function setBusy(busy) {
  view.busy = busy;
  $("#jobs").setAttribute("aria-busy", String(busy));
  $("#results").classList.toggle("loading", busy);
  $("#cancel").hidden = !busy;
  $("#list").disabled = busy;
  $("#loadAll").disabled = busy;
  $("#refresh").disabled = busy;
  $("#prev").disabled = busy || view.mode !== "page" || view.pageNum <= 1;
  $("#next").disabled = busy || view.mode !== "page" || !view.hasNext;
  if (busy) $("#summary").textContent = "Loading…";
  if (!busy && view.mode !== "none") $("#summary").textContent = summaryText();
  if (!busy && view.mode === "none" && $("#summary").textContent === "Loading…") $("#summary").textContent = "";
}

// ---- the table --------------------------------------------------------------------------------

$("#search").addEventListener("input", () => {
  view.search = $("#search").value.trim().toLowerCase();
  renderRows();
});
$("#sort").addEventListener("click", () => {
  view.sort = { server: "newest", newest: "oldest", oldest: "server" }[view.sort];
  renderRows();
});
$("#clear-filters").addEventListener("click", () => {
  view.stateFilter = "";
  view.search = "";
  $("#search").value = "";
  render();
  $("#search").focus();
});
document.addEventListener("keydown", (event) => {
  const typing = event.target.closest?.("input, select, textarea, [contenteditable]");
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !$("#listing").hidden) {
    event.preventDefault();
    $("#search").focus();
  }
});

function summaryText() {
  const shown = visibleJobs().length;
  const filtered = shown !== view.jobs.length ? ` · ${count(shown)} shown` : "";
  if (view.mode === "all") return `All ${count(view.jobs.length)}${filtered}`;
  if (view.jobs.length === 0) return view.pageNum > 1 ? `No jobs on page ${view.pageNum}` : "No export jobs";
  const first = (view.pageNum - 1) * pageSize() + 1;
  const total = view.totalCount === undefined ? "" : ` of ${count(view.totalCount)}`;
  return `${count(first)}–${count(first + view.jobs.length - 1)}${total}${filtered}`;
}

function matches(job) {
  if (view.stateFilter && job.state !== view.stateFilter) return false;
  if (!view.search) return true;
  const custom = (job.customData ?? []).flatMap((datum) => [datum.key, datum.value, `${datum.key}=${datum.value}`]);
  return [job.id, job.snapshotId, job.exportBucketId, ...custom].some((text) => typeof text === "string" && text.toLowerCase().includes(view.search));
}

function visibleJobs() {
  const jobs = view.jobs.filter(matches);
  if (view.sort !== "server") {
    const sign = view.sort === "newest" ? -1 : 1;
    jobs.sort((a, b) => sign * String(a.createdAt ?? "").localeCompare(String(b.createdAt ?? "")));
  }
  return jobs;
}

function render() {
  const listed = view.mode !== "none";
  $("#listing").hidden = !listed;
  if (!listed) {
    $("#jobs tbody").replaceChildren();
    $("#chips").replaceChildren();
    $("#summary").textContent = view.busy ? "Loading…" : "";
    return;
  }
  renderChips();
  renderRows();
  renderPager();
  $("#summary").textContent = summaryText();
  if (details.id) showDetails(details.id, { history: "none", quiet: true });
}

function renderChips() {
  const counts = new Map();
  for (const job of view.jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
  const states = [...STATES.filter((state) => counts.has(state) || state === view.stateFilter), ...[...counts.keys()].filter((state) => !STATES.includes(state))];
  const chip = (state, label, n) =>
    h(
      "button",
      { type: "button", class: `chip${state ? ` s-${STATES.includes(state) ? state : "other"}` : ""}`, "aria-pressed": String(view.stateFilter === state), "data-state": state },
      state && h("span", { class: "dot", "aria-hidden": "true" }),
      label,
      h("span", { class: "n", text: count(n) }),
    );
  $("#chips").replaceChildren(chip("", "All", view.jobs.length), ...states.map((state) => chip(state, state ?? "Unknown", counts.get(state) ?? 0)));
}

$("#chips").addEventListener("click", (event) => {
  const chip = event.target.closest(".chip");
  if (!chip) return;
  const state = chip.dataset.state;
  view.stateFilter = view.stateFilter === state ? "" : state;
  renderChips();
  renderRows();
  $("#summary").textContent = summaryText();
  $(`#chips .chip[data-state="${CSS.escape(view.stateFilter)}"]`)?.focus();
});

function renderRows() {
  const jobs = visibleJobs();
  const focusedId = document.activeElement?.closest?.("#jobs tbody tr")?.dataset.id;
  const rows = jobs.map(row);
  (rows.find((tr) => tr.dataset.id === (focusedId ?? details.id)) ?? rows[0])?.setAttribute("tabindex", "0");
  $("#jobs tbody").replaceChildren(...rows);
  if (focusedId) $(`#jobs tbody tr[data-id="${CSS.escape(focusedId)}"]`)?.focus({ preventScroll: true });
  const header = $("#created-header");
  if (view.sort === "server") header.removeAttribute("aria-sort");
  else header.setAttribute("aria-sort", view.sort === "newest" ? "descending" : "ascending");
  $("#sort").title = { server: "In Atlas's order; sort newest first", newest: "Newest first; sort oldest first", oldest: "Oldest first; back to Atlas's order" }[view.sort];
  $(".table-wrap").hidden = jobs.length === 0;
  const filtered = view.jobs.length > 0;
  $("#empty").hidden = jobs.length > 0;
  $("#empty-text").textContent = filtered
    ? "No jobs match these filters."
    : view.pageNum > 1
      ? `No jobs on page ${view.pageNum}.`
      : `No export jobs in ${view.settings.clusterName} yet.`;
  $("#clear-filters").hidden = !filtered;
  $("#summary").textContent = view.busy && !view.jobs.length ? "Loading…" : summaryText();
}

function row(job) {
  const tr = h("tr", { role: "row", tabindex: "-1", "data-id": job.id, class: job.id === details.id ? "selected" : undefined });
  const cell = (name, ...content) => h("td", { role: "cell", class: `c-${name}` }, ...content);
  const status = job.exportStatus ?? {};
  const total = status.totalCollections;
  const exported = status.exportedCollections ?? 0;
  const took = duration(job.createdAt, job.finishedAt);
  const failed = job.stateReason?.errorCode || job.stateReason?.message;
  const custom = job.customData ?? [];
  tr.append(
    cell("id", h("a", { href: `#job=${encodeURIComponent(job.id ?? "")}`, class: "mono", tabindex: "-1", text: job.id ?? "—" })),
    cell("state", statePill(job.state)),
    cell("created", job.createdAt ? h("time", { datetime: job.createdAt, title: `${dateFull(job.createdAt)} · ${relative(job.createdAt)}`, text: dateShort(job.createdAt) }) : "—"),
    cell("took", took ? h("span", { class: "num", title: job.finishedAt ? `Finished ${dateFull(job.finishedAt)}` : undefined, text: took }) : h("span", { class: "muted", text: RUNNING.has(job.state) ? "running" : "—" })),
    cell(
      "exported",
      total
        ? h(
            "span",
            { class: "meter" },
            h("span", { class: "bar", "aria-hidden": "true" }, h("span", { class: "fill", "data-pct": Math.round((100 * exported) / total) })),
            h("span", { class: "num", text: `${exported}/${total}` }),
          )
        : h("span", { class: "muted", text: "—" }),
    ),
    cell("snapshot", h("span", { class: "mono", text: job.snapshotId ?? "—" })),
    cell("bucket", h("span", { class: "mono", text: job.exportBucketId ?? "—" })),
    cell(
      "notes",
      failed && h("span", { class: "reason mono", title: job.stateReason.message ?? undefined, text: job.stateReason.errorCode ?? job.stateReason.message }),
      custom.length > 0 &&
        h(
          "span",
          { class: "custom", title: custom.map((d) => `${d.key}=${d.value}`).join("\n") },
          custom.map((datum, i) => h("span", { class: "kv" }, i > 0 && h("span", { class: "sep", "aria-hidden": "true", text: " · " }), h("span", { class: "k", text: `${datum.key} ` }), String(datum.value))),
        ),
    ),
  );
  // Widths from data go through the CSSOM, which the page's content security policy allows.
  const fill = tr.querySelector(".fill");
  if (fill) fill.style.width = `${fill.dataset.pct}%`;
  return tr;
}

function renderPager() {
  const all = view.mode === "all";
  const pages = view.totalCount === undefined ? undefined : Math.max(1, Math.ceil(view.totalCount / pageSize()));
  $("#page-label").textContent = all ? `All pages, ${LOAD_ALL_PAGE_SIZE} a request` : `Page ${view.pageNum}${pages ? ` of ${pages}` : ""}`;
  // One page and nothing before it: no buttons that could only be disabled.
  const single = view.pageNum <= 1 && !view.hasNext;
  $("#prev").hidden = all || single;
  $("#next").hidden = all || single;
  $("#pages").hidden = !all;
  $(".per-page").hidden = all;
  $("#prev").disabled = view.busy || view.pageNum <= 1;
  $("#next").disabled = view.busy || !view.hasNext;
}

// Rows: click or Enter opens the details; arrows move between rows.
const tbody = $("#jobs tbody");
tbody.addEventListener("click", (event) => {
  const tr = event.target.closest("tr");
  if (!tr || event.target.closest("button")) return;
  // A modified click on the id's link opens it elsewhere, as links do.
  if (event.target.closest("a") && (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0)) return;
  event.preventDefault();
  focusRow(tr);
  showDetails(tr.dataset.id, { history: "push" });
});
tbody.addEventListener("keydown", (event) => {
  const tr = event.target.closest("tr");
  if (!tr || event.target !== tr) return;
  const rows = [...tbody.rows];
  const at = rows.indexOf(tr);
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1, PageDown: at + 10, PageUp: at - 10 }[event.key];
  if (to !== undefined) {
    event.preventDefault();
    focusRow(rows[Math.max(0, Math.min(rows.length - 1, to))]);
  } else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    showDetails(tr.dataset.id, { history: "push" });
  }
});

function focusRow(tr) {
  for (const other of tbody.querySelectorAll("tr[tabindex='0']")) other.setAttribute("tabindex", "-1");
  tr.setAttribute("tabindex", "0");
  tr.focus();
}

// ---- the details panel ------------------------------------------------------------------------

const dialog = $("#details");
const details = { id: undefined, returnTo: undefined, finder: undefined, shown: undefined, restored: false };
$("#details-close").append(icon("close"));
$("#details-close").addEventListener("click", () => closeDetails());
// A modal sheet (phones) reports Escape as `cancel`; the side panel (desktop) hears it here.
dialog.addEventListener("cancel", (event) => {
  event.preventDefault();
  closeDetails();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && dialog.open && !event.defaultPrevented) {
    event.preventDefault();
    closeDetails();
  }
});
addEventListener("popstate", () => {
  const id = jobInHash();
  if (id) showDetails(id, { history: "none" });
  else closeDetails({ fromHistory: true });
});

const jobInHash = () => {
  const match = /^#job=(.+)$/.exec(location.hash);
  try {
    return match ? decodeURIComponent(match[1]) : undefined;
  } catch {
    return undefined;
  }
};
const announce = (message) => {
  $("#announce").textContent = "";
  requestAnimationFrame(() => ($("#announce").textContent = message));
};

/**
 * Opens (or updates) the panel on the job with `id`. `history`: "push" adds an entry (#job=<id>)
 * when the panel was closed, "none" leaves the address alone (it already says so). A job that is
 * not listed is looked for in the whole cluster.
 */
function showDetails(id, { history: how, quiet = false }) {
  const wasOpen = dialog.open;
  const switching = details.id !== id;
  details.id = id;
  if (how === "push" && jobInHash() !== id) {
    const state = { job: id, pushed: wasOpen ? (history.state?.pushed ?? false) : true };
    if (wasOpen) history.replaceState(state, "", `#job=${encodeURIComponent(id)}`);
    else history.pushState(state, "", `#job=${encodeURIComponent(id)}`);
  }
  for (const tr of tbody.rows) tr.classList.toggle("selected", tr.dataset.id === id);
  const job = view.jobs.find((candidate) => candidate.id === id);
  if (job) fillDetails(job);
  else if (switching || !quiet) findJob(id);
  if (!wasOpen) {
    details.returnTo = document.activeElement;
    if (phone.matches) dialog.showModal();
    else dialog.show();
  }
  if (!quiet && (switching || !wasOpen)) $("#details-title").focus();
}

function fillDetails(job) {
  const text = JSON.stringify(job);
  if (details.shown === text) return;
  details.shown = text;
  // A live refresh redraws the panel: keep the focus and the open JSON where they were.
  const body = $("#details-body");
  const focusedLabel = body.contains(document.activeElement) ? document.activeElement.getAttribute("aria-label") : undefined;
  const jsonOpen = $(".d-json", body)?.open;
  $("#details-state").replaceChildren(statePill(job.state));
  body.replaceChildren(...jobDetails(job, announce));
  if (jsonOpen) $(".d-json", body).open = true;
  if (focusedLabel) body.querySelector(`[aria-label="${CSS.escape(focusedLabel)}"]`)?.focus();
}

/** Looks for a job that is not on the shown page, 500 at a time, and stops at it. */
async function findJob(id) {
  details.finder?.abort();
  const settings = view.settings;
  $("#details-state").replaceChildren();
  details.shown = undefined;
  if (!settings) {
    $("#details-body").replaceChildren(h("p", { class: "muted", text: `Job ${id} will show here once jobs are listed.` }));
    return;
  }
  const finder = (details.finder = new AbortController());
  details.shown = undefined;
  $("#details-body").replaceChildren(h("p", { class: "muted", text: `Looking for job ${id} in ${settings.clusterName}…` }));
  try {
    let found;
    for await (const job of clientFor(settings, "shown").iterateExportJobs({ ...paramsOf(settings), itemsPerPage: LOAD_ALL_PAGE_SIZE }, { signal: finder.signal })) {
      if (job.id === id) {
        found = job;
        break;
      }
    }
    if (details.id !== id || finder.signal.aborted) return;
    if (found) fillDetails(found);
    else $("#details-body").replaceChildren(h("p", { text: `${settings.clusterName} has no export job ${id}.` }));
  } catch (error) {
    if (details.id !== id || finder.signal.aborted) return;
    $("#details-body").replaceChildren(h("p", { text: `Job ${id} could not be looked up: ${explain(error, where(settings)).title}.` }));
  }
}

function closeDetails({ fromHistory = false } = {}) {
  if (!dialog.open) return;
  details.finder?.abort();
  const id = details.id;
  details.id = undefined;
  details.shown = undefined;
  dialog.close();
  for (const tr of tbody.querySelectorAll("tr.selected")) tr.classList.remove("selected");
  if (!fromHistory && jobInHash()) {
    if (history.state?.pushed) history.back();
    else history.replaceState(null, "", location.pathname + location.search);
  }
  const back = tbody.querySelector(`tr[data-id="${CSS.escape(id ?? "")}"]`) ?? (details.returnTo?.isConnected ? details.returnTo : $("#results-title"));
  if (back?.matches("tr")) focusRow(back);
  else back?.focus();
}

// ---- errors and retries -----------------------------------------------------------------------

let countdown;

function showRetry({ delayMs, status, kind }) {
  clearInterval(countdown);
  const until = Date.now() + delayMs;
  const what =
    status === 429
      ? "Atlas is limiting requests (429)"
      : status
        ? `Atlas answered ${status}`
        : kind === "timeout"
          ? "Atlas is slow to answer"
          : "No answer from Atlas";
  const seconds = Math.max(1, Math.ceil(delayMs / 1000));
  // Announced once; the ticking number beside it is for the eye only.
  $("#retry-text").textContent = `${what}. Waiting ${seconds} s before trying again.`;
  const tick = () => {
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    $("#retry-count").textContent = `${left} s`;
    // The wait is over and the request sent again; a live round says nothing more when it succeeds.
    if (left === 0) hideRetry();
  };
  $("#retry").hidden = false;
  tick();
  countdown = setInterval(tick, 250);
}

function hideRetry() {
  clearInterval(countdown);
  $("#retry").hidden = true;
}

const where = (settings) => ({ proxy: proxied, clusterName: settings?.clusterName ?? "", groupId: settings?.groupId ?? "", baseUrl: settings?.shownBase ?? "" });

function hideError() {
  $("#error").hidden = true;
  view.errorField = undefined;
}

/** Explains `error`, and starts over: no rows, pages or live refresh of the listing before it. */
function showError(error, how = {}) {
  hideRetry();
  stopLive();
  if (error?.kind === "validation" && (FIELD_OF[error.field] || form.elements[error.field])) {
    const name = FIELD_OF[error.field] ?? error.field;
    touched.add(name);
    validate();
    expandSettings(name);
    return;
  }
  Object.assign(view, { mode: "none", jobs: [], pageNum: 1, hasNext: false, totalCount: undefined, stateFilter: "" });
  closeDetails();
  render();
  const explained = explain(error, where(view.settings));
  $("#error-title").textContent = explained.title;
  $("#error-advice").textContent = explained.advice;
  // With the form open, its fields are the way to fix the settings.
  $("#error-edit").hidden = !explained.edit || !form.hidden;
  $("#discard").hidden = true;
  $("#error-retry").hidden = !explained.retry;
  $("#error-details").open = false;
  $("#error-facts").replaceChildren(...explained.facts.flatMap(([key, value]) => [h("dt", { text: key }), h("dd", { text: value })]));
  $("#error").hidden = false;
  $("#live-status").textContent = "";
  view.errorField = explained.field === "auth" ? (field("authType").value === "serviceAccount" ? "clientId" : "accessToken") : explained.field;
  if (how.user) $("#error").focus();
}

// ---- saved settings (proxy mode: the project and cluster, never a credential) ------------------

function readSaved() {
  try {
    const value = JSON.parse(localStorage.getItem(SAVED) ?? "null");
    return value && typeof value.groupId === "string" && typeof value.clusterName === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function save(settings) {
  if (!proxied) return;
  try {
    localStorage.setItem(SAVED, JSON.stringify({ groupId: settings.groupId, clusterName: settings.clusterName }));
  } catch {
    // Storage may be off; the settings then last as long as the page.
  }
}

// ---- start ------------------------------------------------------------------------------------

validate();
const ready_ = draft();
if (ready_.groupId && ready_.clusterName && Object.keys(problems(ready_)).length === 0) {
  // Results first: list straight away when the settings are complete.
  $("#connection-summary").hidden = false;
  form.hidden = true;
  showConnection(ready_);
  view.settings = ready_;
  listPage(ready_, 1, {});
} else {
  $("#results").hidden = true;
  expandSettings(field("groupId").value ? "clusterName" : "groupId");
}
