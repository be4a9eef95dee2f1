// Pages from a server that breaks the paging contract, as injectable faults, so a listing that
// follows `next` links can prove it stops (or carries on) where it should. Unlike the other faults
// they answer only a request that passed every check, in place of its valid page.
import { pageBody, pageHref } from "./page.mjs";

/** What `totalCount` overstates by under "inflatedTotal". */
export const INFLATED_BY = 1000;

/**
 * samePage: page 1's body (links included) whatever pageNum is asked.
 * endlessNext: a full page of page 1's items (repeated to fill it) and always a `next` link.
 * inflatedTotal: the valid page with `totalCount` INFLATED_BY too high.
 * shortPage: a page that has a `next` loses its last item (that job is never listed); the last
 *   page is left as it is.
 */
export const MISBEHAVING_PAGES = Object.freeze(["samePage", "endlessNext", "inflatedTotal", "shortPage"]);

/** The body `kind` answers instead of `pageBody(jobs, query, where)`. */
export function misbehavingPage(kind, jobs, query, where) {
  switch (kind) {
    case "samePage": {
      // Page 1 as a request for it would have named itself: pageNum=1 where pageNum was.
      const params = new URLSearchParams(where.search);
      if (params.has("pageNum")) params.set("pageNum", "1");
      const search = query.pageNum === 1 ? where.search : `?${params}`;
      return pageBody(jobs, { ...query, pageNum: 1 }, { ...where, search });
    }
    case "endlessNext": {
      const body = pageBody(jobs, query, where);
      const first = jobs.slice(0, query.itemsPerPage);
      body.results = first.length === 0 ? [] : Array.from({ length: query.itemsPerPage }, (_, i) => first[i % first.length]);
      if (!body.links.some((link) => link.rel === "next")) {
        body.links.splice(1, 0, { href: pageHref(where, query.pageNum, query.pageNum + 1), rel: "next" });
      }
      return body;
    }
    case "inflatedTotal": {
      const body = pageBody(jobs, query, where);
      if ("totalCount" in body) body.totalCount += INFLATED_BY;
      return body;
    }
    case "shortPage": {
      const body = pageBody(jobs, query, where);
      if (body.links.some((link) => link.rel === "next")) body.results = body.results.slice(0, -1);
      return body;
    }
    default:
      throw new TypeError(`not a misbehaving page: ${kind}`);
  }
}
