// The demo page: the form's values go to listExportJobs unchanged, so the package's own
// validation decides what is wrong, and its AtlasError fields fill the error panel.
import { listExportJobs, isAtlasError } from "./pkg/index.js";

const form = document.querySelector("#query");
const errorPanel = document.querySelector("#error");
const summary = document.querySelector("#summary");
const table = document.querySelector("#jobs");

const config = await fetch("demo-config.json").then((r) => r.json());
for (const key of ["baseUrl", "groupId", "clusterName", "accessToken"]) form.elements[key].value = config[key] ?? "";
document.querySelector("#backend").textContent = config.mock
  ? `Embedded mock Atlas at ${config.baseUrl}: project ${config.groupId}, clusters Cluster0, Sharded0, Empty0, Big0`
  : `Atlas at ${config.baseUrl}`;

function readForm() {
  const value = (name) => form.elements[name].value.trim();
  const number = (name) => (value(name) === "" ? undefined : Number(value(name)));
  return {
    params: {
      groupId: value("groupId"),
      clusterName: value("clusterName"),
      itemsPerPage: number("itemsPerPage"),
      pageNum: number("pageNum"),
      includeCount: form.elements.includeCount.checked,
    },
    options: {
      baseUrl: value("baseUrl"),
      accessToken: value("accessToken") || undefined,
      apiVersion: value("apiVersion"),
    },
  };
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { params, options } = readForm();
  const button = form.querySelector("button");
  button.disabled = true;
  summary.textContent = "Loading…";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  try {
    const page = await listExportJobs(params, options);
    errorPanel.hidden = true;
    render(page);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
});

function render(page) {
  const total = page.totalCount === undefined ? "" : ` of ${page.totalCount}`;
  summary.textContent = `${page.results.length} job(s)${total}`;
  const rows = page.results.map((job) => {
    const row = document.createElement("tr");
    const progress = job.exportStatus?.totalCollections
      ? `<progress max="${job.exportStatus.totalCollections}" value="${job.exportStatus.exportedCollections ?? 0}"></progress>`
      : "";
    row.innerHTML = `<td><code></code></td><td><span class="badge"></span></td><td><code></code></td><td><code></code></td>
      <td></td><td></td><td>${progress}</td><td></td><td></td>`;
    const cells = row.querySelectorAll("td");
    cells[0].firstChild.textContent = job.id ?? "";
    cells[1].firstChild.textContent = job.state ?? "";
    cells[1].firstChild.classList.add(job.state ?? "unknown");
    cells[2].firstChild.textContent = job.snapshotId ?? "";
    cells[3].firstChild.textContent = job.exportBucketId;
    cells[4].textContent = job.createdAt ? new Date(job.createdAt).toLocaleString() : "";
    cells[5].textContent = job.finishedAt ? new Date(job.finishedAt).toLocaleString() : "";
    cells[7].textContent = (job.components ?? []).map((c) => c.replicaSetName).join(", ");
    cells[8].textContent = job.stateReason?.message ?? "";
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = false;
}

function showError(error) {
  summary.textContent = "";
  if (!isAtlasError(error)) {
    errorPanel.textContent = String(error);
  } else {
    const facts = ["kind", "field", "status", "errorCode", "reason", "detail", "path"]
      .filter((key) => error[key] !== undefined)
      .map((key) => `${key}: ${error[key]}`);
    errorPanel.textContent = `${error.message}\n\n${facts.join("\n")}`;
    if (error.kind === "validation") form.elements[error.field]?.setAttribute("aria-invalid", "true");
  }
  errorPanel.hidden = false;
}

// Show the first page straight away; the form is there to change what is listed.
if (config.mock) form.requestSubmit();
