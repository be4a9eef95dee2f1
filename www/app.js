// The demo console. Every rule about the inputs is the package's own (checkListExportJobs and the
// AtlasClient constructor); every fact in the error panel is an AtlasError field.
import { AtlasClient, checkListExportJobs, isAtlasError, ready } from "./pkg/index.js";

const $ = (selector) => document.querySelector(selector);
const form = $("#query");
const field = (name) => form.elements[name];
const RUNNING = new Set(["Queued", "InProgress"]);
// How often live mode refreshes; `?liveMs=` overrides it (the end-to-end tests use a short one).
const LIVE_INTERVAL_MS = Number(new URLSearchParams(location.search).get("liveMs")) || 5000;

const view = {
  jobs: [], // what the table shows before filtering and sorting
  pageNum: 1,
  hasNext: false,
  controller: undefined,
  liveTimer: undefined,
};

await ready();
const config = await fetch("demo-config.json").then((r) => r.json());
for (const key of ["baseUrl", "groupId", "clusterName", "accessToken"]) field(key).value = config[key] ?? "";
$("#backend").textContent = config.mock
  ? `Embedded mock Atlas at ${config.baseUrl} · project ${config.groupId} · clusters Cluster0, Sharded0, Empty0, Big0`
  : `Atlas at ${config.baseUrl}`;

// ---- the form ---------------------------------------------------------------------------------

function request() {
  const value = (name) => field(name).value.trim();
  const params = {
    groupId: value("groupId"),
    clusterName: value("clusterName"),
    itemsPerPage: Number(value("itemsPerPage")),
    includeCount: field("includeCount").checked,
    envelope: field("envelope").checked || undefined,
  };
  const options = { baseUrl: value("baseUrl"), apiVersion: value("apiVersion") };
  const auth =
    value("authType") === "serviceAccount"
      ? { type: "serviceAccount", clientId: value("clientId"), clientSecret: field("clientSecret").value, allowInBrowser: true }
      : value("accessToken") && { type: "bearer", token: value("accessToken") };
  return { params, options, auth };
}

/** Flags the first field the package rejects; returns whether the form is valid. */
function validate() {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const hint of form.querySelectorAll(".hint")) hint.textContent = "";
  const { params, options, auth } = request();
  let error = checkListExportJobs(params, options);
  if (!error) {
    try {
      if (auth) new AtlasClient({ ...options, auth });
    } catch (problem) {
      error = problem;
    }
  }
  if (!error) return true;
  const name = error.field?.replace(/^auth\./, "") ?? "auth";
  const input = field(name === "token" ? "accessToken" : name);
  input?.setAttribute("aria-invalid", "true");
  input?.setAttribute("aria-describedby", `${input.id}-error`);
  ($(`#${input?.id}-error`) ?? $("#auth-error")).textContent = error.message;
  return false;
}

form.addEventListener("input", validate);
field("authType").addEventListener("change", () => {
  const chosen = field("authType").value;
  for (const element of form.querySelectorAll("[data-auth]")) element.hidden = element.dataset.auth !== chosen;
});

function client() {
  const { options, auth } = request();
  return new AtlasClient({ ...options, auth: auth || { type: "bearer", token: "-" }, retry: { onRetry: showRetry } });
}

// ---- listing ----------------------------------------------------------------------------------

form.addEventListener("submit", (event) => {
  event.preventDefault();
  view.pageNum = 1;
  listPage();
});
$("#prev").addEventListener("click", () => {
  view.pageNum -= 1;
  listPage();
});
$("#next").addEventListener("click", () => {
  view.pageNum += 1;
  listPage();
});
$("#loadAll").addEventListener("click", loadAll);
$("#cancel").addEventListener("click", () => view.controller?.abort("cancelled by the user"));
$("#live").addEventListener("change", scheduleLive);
$("#stateFilter").addEventListener("change", renderRows);
$("#sort").addEventListener("change", renderRows);

/** Runs one listing: a fresh AbortController, the busy state, and errors shown, never thrown. */
async function run(task) {
  clearTimeout(view.liveTimer);
  if (!validate()) {
    hideError();
    return;
  }
  view.controller?.abort("superseded");
  const controller = (view.controller = new AbortController());
  setBusy(true);
  hideError();
  let listed = false;
  try {
    await task(controller.signal);
    listed = true;
  } catch (error) {
    if (isAtlasError(error) && error.kind === "aborted" && error.cause === "superseded") return;
    if (isAtlasError(error) && error.kind === "aborted") $("#summary").textContent = "Cancelled.";
    else showError(error);
  } finally {
    if (view.controller === controller) {
      setBusy(false);
      $("#retry").hidden = true;
      if (listed) scheduleLive();
    }
  }
}

function listPage() {
  return run(async (signal) => {
    const { params } = request();
    const page = await client().listExportJobs({ ...params, pageNum: view.pageNum }, { signal });
    view.hasNext = (page.links ?? []).some((link) => link.rel === "next");
    view.jobs = page.results;
    const total = page.totalCount === undefined ? "" : ` of ${page.totalCount}`;
    const first = (view.pageNum - 1) * params.itemsPerPage;
    $("#summary").textContent = page.results.length
      ? `Jobs ${first + 1}–${first + page.results.length}${total}`
      : `No jobs on page ${view.pageNum}${total}`;
    $("#page-label").textContent = `Page ${view.pageNum}`;
    renderRows();
  });
}

function loadAll() {
  return run(async (signal) => {
    const { params } = request();
    const jobs = [];
    const bar = $("#progress-bar");
    $("#progress").hidden = false;
    bar.removeAttribute("value");
    $("#progress-text").textContent = "Loading…";
    try {
      for await (const page of client().iterateExportJobs(params, { signal }).pages()) {
        jobs.push(...page.results);
        if (page.totalCount) {
          bar.max = page.totalCount;
          bar.value = jobs.length;
        }
        $("#progress-text").textContent = `${jobs.length}${page.totalCount === undefined ? "" : ` of ${page.totalCount}`} jobs`;
      }
    } finally {
      $("#progress").hidden = true;
    }
    view.jobs = jobs;
    view.hasNext = false;
    view.pageNum = 1;
    $("#summary").textContent = `All ${jobs.length} jobs`;
    $("#page-label").textContent = "All pages";
    renderRows();
  });
}

/** Live mode: refresh while any listed job is still running; stop once all are finished. */
function scheduleLive() {
  clearTimeout(view.liveTimer);
  if (!$("#live").checked) return;
  if (!view.jobs.some((job) => RUNNING.has(job.state))) {
    if (view.jobs.length) $("#summary").textContent += " · all finished, live refresh stopped";
    return;
  }
  view.liveTimer = setTimeout(() => ($("#page-label").textContent === "All pages" ? loadAll() : listPage()), LIVE_INTERVAL_MS);
}

// ---- rendering --------------------------------------------------------------------------------

function setBusy(busy) {
  $("#jobs").setAttribute("aria-busy", String(busy));
  $("#cancel").disabled = !busy;
  for (const button of [$("#list"), $("#loadAll")]) button.disabled = busy;
  $("#prev").disabled = busy || view.pageNum <= 1 || $("#page-label").textContent === "All pages";
  $("#next").disabled = busy || !view.hasNext;
  if (busy) $("#summary").textContent = "Loading…";
}

function renderRows() {
  const wanted = $("#stateFilter").value;
  const order = $("#sort").value;
  const jobs = view.jobs.filter((job) => !wanted || job.state === wanted);
  if (order !== "server") {
    const sign = order === "newest" ? -1 : 1;
    jobs.sort((a, b) => sign * String(a.createdAt ?? "").localeCompare(String(b.createdAt ?? "")));
  }
  $("#jobs tbody").replaceChildren(...jobs.map(row));
  $("#empty").hidden = jobs.length > 0;
  $("#empty").textContent = view.jobs.length ? "No jobs in this state." : "No export jobs.";
  $("#prev").disabled = view.pageNum <= 1 || $("#page-label").textContent === "All pages";
  $("#next").disabled = !view.hasNext;
}

const LABELS = ["Job", "State", "Snapshot · bucket", "Created", "Finished", "Progress", "Shards", "Custom data", "Reason"];

function row(job) {
  const tr = document.createElement("tr");
  const cells = LABELS.map((label) => {
    const td = document.createElement("td");
    td.dataset.label = label;
    tr.append(td);
    return td;
  });
  cells[0].className = "id";
  cells[0].append(code(job.id));
  const badge = document.createElement("span");
  badge.className = `badge ${RUNNING.has(job.state) || ["Successful", "Failed", "Cancelled"].includes(job.state) ? job.state : "other"}`;
  badge.textContent = job.state ?? "unknown";
  cells[1].append(badge);
  cells[2].append(code(job.snapshotId), code(job.exportBucketId));
  cells[3].append(time(job.createdAt));
  cells[4].append(time(job.finishedAt));
  cells[5].append(meter(job.exportStatus));
  cells[6].append(...lines((job.components ?? []).map((c) => c.replicaSetName).filter(Boolean)));
  cells[7].append(...lines((job.customData ?? []).map((d) => `${d.key}=${d.value}`)));
  cells[8].className = "reason";
  cells[8].textContent = job.state === "Failed" ? job.stateReason?.message ?? job.stateReason?.errorCode ?? "" : "";
  return tr;
}

/** One line each, or a dash for none. */
function lines(texts) {
  if (!texts.length) return ["—"];
  return texts.map((text) => {
    const line = document.createElement("span");
    line.className = "line";
    line.textContent = text;
    return line;
  });
}

function code(text) {
  const element = document.createElement("code");
  element.textContent = text ?? "—";
  if (text) element.title = text;
  return element;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const STEPS = [["year", 31_536_000], ["month", 2_592_000], ["day", 86_400], ["hour", 3_600], ["minute", 60], ["second", 1]];

function time(iso) {
  const span = document.createElement("span");
  span.className = "time";
  if (!iso) {
    span.textContent = "—";
    return span;
  }
  const date = new Date(iso);
  const seconds = (date.getTime() - Date.now()) / 1000;
  const [unit, size] = STEPS.find(([, size]) => Math.abs(seconds) >= size) ?? ["second", 1];
  const timeElement = document.createElement("time");
  timeElement.dateTime = iso;
  timeElement.textContent = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  const ago = document.createElement("span");
  ago.className = "ago";
  ago.textContent = relative.format(Math.round(seconds / size), unit);
  span.append(timeElement, ago);
  return span;
}

function meter(status) {
  const wrap = document.createElement("span");
  wrap.className = "meter";
  if (!status?.totalCollections) {
    wrap.textContent = "—";
    return wrap;
  }
  const bar = document.createElement("progress");
  bar.max = status.totalCollections;
  bar.value = status.exportedCollections ?? 0;
  bar.setAttribute("aria-label", "Collections exported");
  wrap.append(bar, `${status.exportedCollections ?? 0}/${status.totalCollections}`);
  return wrap;
}

// ---- errors and retries -----------------------------------------------------------------------

let countdown;

function showRetry({ delayMs, status, errorCode, kind }) {
  clearInterval(countdown);
  const banner = $("#retry");
  const until = Date.now() + delayMs;
  const what = status ? `Atlas answered ${status}${errorCode ? ` ${errorCode}` : ""}` : `The request failed (${kind})`;
  const tick = () => {
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    banner.textContent = `${what}; retrying in ${left} s…`;
    if (left === 0) clearInterval(countdown);
  };
  banner.hidden = false;
  tick();
  countdown = setInterval(tick, 250);
}

function hideError() {
  $("#error").hidden = true;
}

function showError(error) {
  clearInterval(countdown);
  // Rows of an earlier listing would look like the answer to this one.
  view.jobs = [];
  view.hasNext = false;
  renderRows();
  $("#empty").hidden = true;
  $("#retry").hidden = true;
  $("#summary").textContent = "";
  const facts = isAtlasError(error)
    ? ["kind", "field", "status", "errorCode", "reason", "detail", "path"].filter((key) => error[key] !== undefined && error[key] !== "")
    : [];
  $("#error-title").textContent = isAtlasError(error) ? titleOf(error) : "Something went wrong";
  $("#error-message").textContent = error?.message ?? String(error);
  $("#error-facts").replaceChildren(
    ...facts.flatMap((key) => {
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = String(error[key]);
      return [dt, dd];
    }),
  );
  $("#error").hidden = false;
  if (error?.kind === "validation") validate();
}

function titleOf(error) {
  switch (error.kind) {
    case "validation":
      return "Check the form";
    case "api":
      return error.status === 404 ? "Not found" : `Atlas answered ${error.status}`;
    case "network":
      return "Atlas could not be reached";
    case "timeout":
      return "Atlas did not answer in time";
    case "auth":
      return "Authentication failed";
    default:
      return "Request failed";
  }
}

// Show the first page straight away when running against the mock.
if (config.mock) form.requestSubmit();
