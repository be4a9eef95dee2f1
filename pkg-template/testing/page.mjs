// One page of a list as Atlas answers it: the slice of results, `totalCount` unless
// includeCount=false, and absolute `links` (self, next, previous) that repeat the request's path
// and query with pageNum adjusted.

/**
 * @param {object[]} jobs the whole list
 * @param {{itemsPerPage, pageNum, includeCount, envelope}} query the parsed list parameters
 * @param {{publicBaseUrl: string, path: string, search: string}} where the request's own URL parts
 */
export function pageBody(jobs, query, where) {
  const { itemsPerPage, pageNum, includeCount, envelope } = query;
  const start = (pageNum - 1) * itemsPerPage;
  const results = jobs.slice(start, start + itemsPerPage);

  const links = [{ href: pageHref(where, pageNum, pageNum), rel: "self" }];
  if (start + itemsPerPage < jobs.length) links.push({ href: pageHref(where, pageNum, pageNum + 1), rel: "next" });
  if (pageNum > 1) links.push({ href: pageHref(where, pageNum, pageNum - 1), rel: "previous" });

  // With envelope=true, Atlas puts the HTTP status first in the body.
  const body = envelope ? { status: 200 } : {};
  body.links = links;
  body.results = results;
  if (includeCount) body.totalCount = jobs.length;
  return body;
}

/** The absolute URL of page `page`, from a request for page `requested` at `where`. */
export function pageHref({ publicBaseUrl, path, search }, requested, page) {
  if (page === requested) return `${publicBaseUrl}${path}${search}`;
  const params = new URLSearchParams(search);
  params.set("pageNum", String(page));
  return `${publicBaseUrl}${path}?${params}`;
}
