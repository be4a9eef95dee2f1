//! Prints the package's TypeScript declarations, `types.d.ts` (scripts/build.sh writes it into
//! pkg/): every type of `atlas_export_jobs::declarations`, with its doc comments as TSDoc.

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    print!("{}", atlas_export_jobs::declarations::typescript());
}
