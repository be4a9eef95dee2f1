//! The crate's layout is its architecture: `core/src` is grouped by layer, each layer imports only
//! from the layers below it, and no module imports, directly or through others, a module that
//! imports it back.

#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 6] = ["support", "error", "rules", "wire", "auth", "machines"];

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, as a path relative to `core/src`.
fn modules(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("core/src is readable")
        .flatten()
        .collect();
    entries.sort_by_key(|entry| entry.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            modules(&path, root, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(
                path.strip_prefix(root)
                    .expect("under core/src")
                    .to_path_buf(),
            );
        }
    }
}

/// The file that `crate::a::b::Item` names: the deepest module file along the path.
fn resolve(root: &Path, segments: &[&str]) -> Option<PathBuf> {
    let mut dir = PathBuf::new();
    let mut found = None;
    for segment in segments {
        let file = dir.join(format!("{segment}.rs"));
        let folder = dir.join(segment);
        if root.join(&file).is_file() {
            found = Some(file);
            break;
        } else if root.join(&folder).is_dir() {
            found = Some(folder.join("mod.rs"));
            dir = folder;
        } else {
            break;
        }
    }
    found
}

/// Which modules each module imports (`crate::…` paths in its code, comments left out).
fn imports() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let root = source_root();
    let mut files = Vec::new();
    modules(&root, &root, &mut files);
    let mut graph = BTreeMap::new();
    for file in files {
        let text = fs::read_to_string(root.join(&file)).expect("a module is readable");
        let mut targets = BTreeSet::new();
        for line in text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
        {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let path: Vec<&str> = rest
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or("")
                    .split("::")
                    .filter(|segment| !segment.is_empty())
                    .collect();
                if let Some(target) = resolve(&root, &path) {
                    if target != file {
                        targets.insert(target);
                    }
                }
            }
        }
        graph.insert(file, targets);
    }
    graph
}

fn layer_of(file: &Path) -> Option<usize> {
    let first = file.components().next()?.as_os_str().to_str()?;
    LAYERS.iter().position(|layer| *layer == first)
}

#[test]
fn every_module_sits_in_a_layer() {
    for file in imports().keys() {
        if file == Path::new("lib.rs") {
            continue;
        }
        assert!(
            layer_of(file).is_some(),
            "{} is in no layer of {LAYERS:?}",
            file.display()
        );
    }
}

#[test]
fn layers_import_only_from_below() {
    for (file, targets) in imports() {
        let Some(layer) = layer_of(&file) else {
            continue;
        };
        for target in targets {
            let below = layer_of(&target).is_some_and(|other| other <= layer);
            assert!(
                below,
                "{} ({}) imports {}, a higher layer",
                file.display(),
                LAYERS[layer],
                target.display()
            );
        }
    }
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    // Depth-first search from every module, keeping the path, so that a cycle is reported whole.
    fn visit<'a>(
        node: &'a PathBuf,
        graph: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        path: &mut Vec<&'a PathBuf>,
        done: &mut BTreeSet<&'a PathBuf>,
    ) {
        if let Some(at) = path.iter().position(|seen| *seen == node) {
            let cycle: Vec<String> = path[at..]
                .iter()
                .chain([&node])
                .map(|p| p.display().to_string())
                .collect();
            panic!("import cycle: {}", cycle.join(" -> "));
        }
        if !done.insert(node) {
            return;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
    assert!(graph.len() > 20, "the scan found the modules");
}

#[test]
fn the_check_finds_a_cycle_when_there_is_one() {
    // The scanner itself: a module naming another resolves to its file.
    let root = source_root();
    assert_eq!(
        resolve(&root, &["error", "facts", "Facts"]),
        Some(PathBuf::from("error/facts.rs"))
    );
    assert_eq!(
        resolve(&root, &["error", "Failure"]),
        Some(PathBuf::from("error/mod.rs"))
    );
    assert_eq!(
        resolve(&root, &["machines", "call", "Call"]),
        Some(PathBuf::from("machines/call.rs"))
    );
}
