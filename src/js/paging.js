// Async iteration over a listing. Each `for await` starts a fresh walk, asks for a page only when
// the loop wants one, and frees the walk when the loop ends (break, return or throw included).
export function exportJobIterable(walk) {
  const pages = () => ({
    async *[Symbol.asyncIterator]() {
      const fresh = walk.restart();
      try {
        for (;;) {
          const page = await fresh.nextPage();
          if (page === undefined) return;
          yield page;
        }
      } finally {
        fresh.free();
      }
    },
  });
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.results;
    },
  };
}
