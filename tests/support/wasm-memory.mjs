// The package keeps its WebAssembly instance to itself, and its Node entry is one bundled module.
// Measurements (memory tests, the benchmark, the load run) find the instance's linear memory by
// watching WebAssembly.Instance being constructed: start watching before the package's first call
// or ready() (the Node entry instantiates its module then), and read the memory after.

/** Starts watching; the returned function gives the package's one instance's `WebAssembly.Memory`. */
export function watchWasmMemory() {
  const instances = [];
  WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget);
      instances.push(instance);
      return instance;
    },
  });
  return () => {
    // Node 24's fetch makes an instance of its own (undici's HTTP parser): the package's is the one
    // that exports its Client.
    const ours = instances.filter((instance) => typeof instance.exports.client_new === "function");
    if (ours.length !== 1) throw new Error(`${ours.length} instances of the package's module were made, not 1: watch before the package's first call`);
    return ours[0].exports.memory;
  };
}
