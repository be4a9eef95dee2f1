//! TypeScript declarations that generation from the Rust types cannot express. Everything else in
//! the package's types is derived from the Rust types by tsify.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const EXPORT_STATE: &str = r#"
/**
 * The state of an export job. Atlas may add states, so any other string is possible too; the five
 * known ones still autocomplete.
 */
export type ExportState = "Queued" | "InProgress" | "Successful" | "Failed" | "Cancelled" | (string & {});

/**
 * The export jobs of a cluster, in the server's order: `for await (const job of iterable)`.
 * `pages()` iterates the pages instead. Each loop starts from the first page again.
 */
export interface ExportJobIterable {
    /** Iterates the jobs (declared with AsyncIterator, which every TypeScript version types fully). */
    [Symbol.asyncIterator](): AsyncIterator<ExportJob, void, undefined>;
    /** The pages of the listing, each with only jobs not listed before. */
    pages(): ExportJobsPageIterable;
}

/** The pages of a listing: `for await (const page of iterable.pages())`. */
export interface ExportJobsPageIterable {
    /** Iterates the pages. */
    [Symbol.asyncIterator](): AsyncIterator<ExportJobsPage, void, undefined>;
}

/** Any JSON value, as Atlas puts in an error's `parameters`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
"#;
