// The package keeps its WebAssembly instance to itself, and its Node entry is one bundled module.
// Measurements (memory tests, the benchmark, the load run) find the instance's linear memory by
// watching WebAssembly.Instance being constructed: start watching before the package's first call
// or ready() (the Node entry instantiates its module then), and read the memory after.

/** Starts watching; the returned function gives the one instance's `WebAssembly.Memory`. */
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
    if (instances.length !== 1) throw new Error(`${instances.length} WebAssembly instances were made, not 1: watch before the package's first call`);
    return instances[0].exports.memory;
  };
}
