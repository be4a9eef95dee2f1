// The details of one export job, every field of it: ids with copy buttons, destination, progress,
// the state reason, shards, custom data, links and the job as Atlas sent it.
import { EXPORT_STATES } from "./pkg/facts.js";
import { copyText, h, icon } from "./dom.js";
import { count, dateFull, duration, relative } from "./format.js";

/** A pill for a state; an unknown (newer) state keeps its name. */
export function statePill(state) {
  const known = EXPORT_STATES.includes(state);
  return h("span", { class: `pill s-${known ? state : "other"}` }, h("span", { class: "dot", "aria-hidden": "true" }), state ?? "Unknown");
}

/** A button that copies `text`, named for what it copies; `announce` reports the outcome. */
export function copyButton(text, what, announce) {
  const button = h("button", { type: "button", class: "copy", "aria-label": `Copy ${what}`, title: `Copy ${what}` }, icon("copy"));
  button.addEventListener("click", async () => {
    const done = await copyText(text);
    announce(done ? `Copied ${what}` : `Could not copy ${what}`);
    if (!done) return;
    button.replaceChildren(icon("check"));
    button.classList.add("done");
    setTimeout(() => {
      button.replaceChildren(icon("copy"));
      button.classList.remove("done");
    }, 1500);
  });
  return button;
}

/** `text` with line-break chances after each "/", so paths and URLs wrap between their parts. */
function breakable(text) {
  return text.split(/(?<=\/)/).flatMap((part, i) => (i === 0 ? [part] : [document.createElement("wbr"), part]));
}

/**
 * The panel's body for `job`.
 * @param {object} job
 * @param {(message: string) => void} announce
 */
export function jobDetails(job, announce) {
  const value = (text, what, { mono = true } = {}) =>
    text === undefined || text === null || text === ""
      ? h("span", { class: "muted", text: "—" })
      : h("span", { class: "value-line" }, h("span", { class: mono ? "mono" : undefined }, breakable(String(text))), what && copyButton(String(text), what, announce));
  const row = (label, content) => [h("dt", { text: label }), h("dd", {}, content)];
  const section = (title, ...content) => h("section", { class: "d-section" }, h("h3", { text: title }), ...content);
  const when = (iso) => (iso ? [h("time", { datetime: iso, text: dateFull(iso) }), h("span", { class: "relative muted", text: relative(iso) })] : h("span", { class: "muted", text: "—" }));

  const status = job.exportStatus ?? {};
  const total = status.totalCollections;
  const exported = status.exportedCollections;
  const took = duration(job.createdAt, job.finishedAt);

  const parts = [];
  parts.push(
    h(
      "dl",
      { class: "d-grid" },
      row("Job ID", value(job.id, "job ID")),
      row("Snapshot ID", value(job.snapshotId, "snapshot ID")),
      row("Created", when(job.createdAt)),
      row("Finished", when(job.finishedAt)),
      took && row("Took", h("span", { class: "num", text: took })),
    ),
  );

  if (job.stateReason && (job.stateReason.errorCode || job.stateReason.message)) {
    parts.push(
      section(
        "State reason",
        h(
          "div",
          { class: `reason-box${job.state === "Failed" ? " failed" : ""}` },
          job.stateReason.errorCode && h("p", { class: "mono reason-code", text: job.stateReason.errorCode }),
          job.stateReason.message && h("p", { text: job.stateReason.message }),
        ),
      ),
    );
  }

  parts.push(
    section(
      "Export status",
      total
        ? h(
            "div",
            { class: "d-progress" },
            h("progress", { max: total, value: exported ?? 0, "aria-label": "Collections exported" }),
            h("span", { class: "num", text: `${count(exported ?? 0)} of ${count(total)} collections exported` }),
          )
        : h("p", { class: "muted", text: "Atlas has not reported the collections yet." }),
    ),
  );

  parts.push(
    section(
      "Destination",
      h("dl", { class: "d-grid" }, row("Bucket ID", value(job.exportBucketId, "bucket ID")), row("Prefix", value(job.prefix, "prefix"))),
    ),
  );

  const components = job.components ?? [];
  parts.push(
    section(
      `Shards (${components.length})`,
      components.length
        ? h(
            "table",
            { class: "d-table" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Replica set" }), h("th", { scope: "col", text: "Export ID" }))),
            h(
              "tbody",
              {},
              components.map((component) =>
                h("tr", {}, h("td", { text: component.replicaSetName ?? "—" }), h("td", {}, value(component.exportId, `export ID of ${component.replicaSetName ?? "the shard"}`))),
              ),
            ),
          )
        : h("p", { class: "muted", text: "A replica set: one export, no shards." }),
    ),
  );

  const custom = job.customData ?? [];
  parts.push(
    section(
      "Custom data",
      custom.length
        ? h("dl", { class: "d-grid" }, custom.flatMap((datum) => row(String(datum.key), value(datum.value, undefined, { mono: false }))))
        : h("p", { class: "muted", text: "None." }),
    ),
  );

  const links = job.links ?? [];
  parts.push(
    section(
      "Links",
      links.length
        ? h("dl", { class: "d-grid" }, links.flatMap((link) => row(link.rel ?? "link", value(link.href, `${link.rel ?? ""} link`.trim()))))
        : h("p", { class: "muted", text: "None." }),
    ),
  );

  const json = JSON.stringify(job, null, 2);
  parts.push(
    h(
      "details",
      { class: "d-json" },
      h("summary", { text: "The job as Atlas sent it (JSON)" }),
      h("div", { class: "json-tools" }, copyButton(json, "job as JSON", announce)),
      h("pre", { tabindex: "0", "aria-label": "The job as JSON" }, h("code", { text: json })),
    ),
  );
  return parts;
}
