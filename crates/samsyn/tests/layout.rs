//! The source layout as ARCHITECTURE.md promises it: one folder per part of the agreement, no
//! file that imports from a file importing it, no prefix shared by three sibling files, and a
//! code map that names exactly the files that exist.

mod sources;

use sources::{files_under, workspace};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Every crate's `src` folder, by crate folder name.
fn source_roots() -> Vec<(String, PathBuf)> {
    let mut roots: Vec<(String, PathBuf)> = std::fs::read_dir(workspace().join("crates"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("src").is_dir())
                .map(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                    (name.unwrap_or_default(), p.join("src"))
                })
                .collect()
        })
        .unwrap_or_default();
    roots.sort();
    roots
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

/// The module path a file defines: `additional_amount/rules.rs` is `[additional_amount, rules]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// One crate's files, the names each module brings in with `use`, and what each file refers to.
struct Crate {
    files: BTreeMap<Vec<String>, PathBuf>,
    aliases: BTreeMap<(Vec<String>, String), Vec<String>>,
    references: BTreeMap<PathBuf, Vec<Vec<String>>>,
}

/// Collects every `crate::`, `super::` and `self::` path of a file, with inline modules tracked
/// so that `super` inside `mod tests` means the file itself.
struct Collector<'a> {
    module: Vec<String>,
    children: &'a BTreeSet<String>,
    inline: usize,
    in_tests: usize,
    aliases: Vec<(Vec<String>, String, Vec<String>)>,
    paths: Vec<Vec<String>>,
    test_paths: Vec<Vec<String>>,
}

impl Collector<'_> {
    fn push(&mut self, path: Vec<String>) {
        if self.in_tests > 0 {
            self.test_paths.push(path);
        } else {
            self.paths.push(path);
        }
    }

    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let mut base = self.module.clone();
        let mut rest = rest.to_vec();
        match first.as_str() {
            "crate" => base.clear(),
            "self" => {}
            "super" => {
                base.pop();
                while rest.first().is_some_and(|s| s == "super") {
                    rest.remove(0);
                    base.pop();
                }
            }
            name if self.inline == 0 && self.children.contains(name) => {
                rest.insert(0, first.clone())
            }
            _ => return None,
        }
        base.extend(rest);
        Some(base)
    }

    fn use_tree(&mut self, prefix: Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                let mut next = prefix;
                next.push(p.ident.to_string());
                self.use_tree(next, &p.tree);
            }
            syn::UseTree::Name(n) => self.used(prefix, n.ident.to_string(), n.ident.to_string()),
            syn::UseTree::Rename(r) => self.used(prefix, r.ident.to_string(), r.rename.to_string()),
            syn::UseTree::Glob(_) => {
                if let Some(path) = self.absolute(&prefix) {
                    self.push(path);
                }
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix.clone(), item);
                }
            }
        }
    }

    fn used(&mut self, mut prefix: Vec<String>, name: String, alias: String) {
        if name != "self" {
            prefix.push(name);
        }
        if let Some(path) = self.absolute(&prefix) {
            if self.inline == 0 {
                self.aliases
                    .push((self.module.clone(), alias, path.clone()));
            }
            self.push(path);
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(Vec::new(), &item.tree);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_some() {
            let tests = usize::from(item.attrs.iter().any(is_cfg_test));
            self.module.push(item.ident.to_string());
            self.inline += 1;
            self.in_tests += tests;
            syn::visit::visit_item_mod(self, item);
            self.in_tests -= tests;
            self.inline -= 1;
            self.module.pop();
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(absolute) = self.absolute(&segments) {
            self.push(absolute);
        }
        syn::visit::visit_path(self, path);
    }
}

fn is_cfg_test(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg")
        && attr
            .parse_args::<syn::Ident>()
            .is_ok_and(|ident| ident == "test")
}

/// A file's `#[cfg(test)]` module counts as a file of its own: nothing imports a test module,
/// so a test that reads shipped data through a helper does not make its file part of a ring.
fn test_node(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("#tests");
    PathBuf::from(name)
}

fn read_crate(src: &Path) -> Crate {
    let files: BTreeMap<Vec<String>, PathBuf> = rust_files(src)
        .into_iter()
        .map(|f| (module_of(src, &f), f))
        .collect();
    let mut aliases = BTreeMap::new();
    let mut references = BTreeMap::new();
    for (module, file) in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        let children: BTreeSet<String> = files
            .keys()
            .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
            .filter_map(|m| m.last().cloned())
            .collect();
        let mut collector = Collector {
            module: module.clone(),
            children: &children,
            inline: 0,
            in_tests: 0,
            aliases: Vec::new(),
            paths: Vec::new(),
            test_paths: Vec::new(),
        };
        collector.visit_file(&syntax);
        for (module, alias, target) in collector.aliases {
            aliases.insert((module, alias), target);
        }
        references.insert(file.clone(), collector.paths);
        references.insert(test_node(file), collector.test_paths);
    }
    Crate {
        files,
        aliases,
        references,
    }
}

impl Crate {
    /// The file that defines what an absolute path names, following `use` re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<&PathBuf> {
        let mut module = Vec::new();
        for (i, segment) in path.iter().enumerate() {
            let mut deeper = module.clone();
            deeper.push(segment.clone());
            if self.files.contains_key(&deeper) {
                module = deeper;
                continue;
            }
            if depth < 8
                && let Some(target) = self.aliases.get(&(module.clone(), segment.clone()))
            {
                let mut followed = target.clone();
                followed.extend(path[i + 1..].iter().cloned());
                return self.resolve(&followed, depth + 1);
            }
            break;
        }
        self.files.get(&module)
    }

    /// Which files each file imports from. A folder's `mod.rs` (or the crate root) wiring its
    /// own children together (declaring them, merging their routes) is not an import.
    fn imports(&self) -> BTreeMap<&PathBuf, BTreeSet<&PathBuf>> {
        let module_of: BTreeMap<&PathBuf, &Vec<String>> =
            self.files.iter().map(|(m, f)| (f, m)).collect();
        self.references
            .iter()
            .map(|(file, paths)| {
                let own = module_of.get(file).copied().cloned().unwrap_or_default();
                let targets = paths
                    .iter()
                    .filter_map(|p| self.resolve(p, 0))
                    .filter(|target| *target != file)
                    .filter(|target| {
                        module_of
                            .get(target)
                            .is_none_or(|m| !(m.len() > own.len() && m.starts_with(&own)))
                    })
                    .collect();
                (file, targets)
            })
            .collect()
    }
}

fn shown(path: &Path) -> String {
    path.strip_prefix(workspace())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn no_file_imports_from_a_file_that_imports_it() {
    let mut rings = Vec::new();
    for (_, src) in source_roots() {
        let krate = read_crate(&src);
        let imports = krate.imports();
        for (file, targets) in &imports {
            for target in targets {
                let back = imports.get(target).is_some_and(|t| t.contains(file));
                if back && file < target {
                    rings.push(format!("{} <-> {}", shown(file), shown(target)));
                }
            }
        }
        // Longer rings: a file reachable from itself through two or more others.
        for start in imports.keys() {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<&PathBuf> = imports[start].iter().copied().collect();
            while let Some(next) = stack.pop() {
                if next == *start {
                    rings.push(format!("{} is reached from itself", shown(start)));
                    break;
                }
                if seen.insert(next) {
                    stack.extend(imports.get(next).into_iter().flatten().copied());
                }
            }
        }
    }
    rings.sort();
    rings.dedup();
    assert!(rings.is_empty(), "import rings:\n{}", rings.join("\n"));
}

#[test]
fn no_three_sibling_files_share_a_prefix() {
    let mut crowded = Vec::new();
    for (_, src) in source_roots() {
        let mut by_folder: BTreeMap<PathBuf, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for file in rust_files(&src) {
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some((prefix, _)) = name.split_once('_') else {
                continue;
            };
            let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
            by_folder
                .entry(folder)
                .or_default()
                .entry(prefix.to_string())
                .or_default()
                .push(name);
        }
        for (folder, prefixes) in by_folder {
            for (prefix, names) in prefixes {
                if names.len() >= 3 {
                    crowded.push(format!("{}: {prefix}_* {names:?}", shown(&folder)));
                }
            }
        }
    }
    assert!(
        crowded.is_empty(),
        "prefixed siblings:\n{}",
        crowded.join("\n")
    );
}

/// The paths a section of the code map names: backticked tokens ending in `.rs` or `/`, relative
/// to the section's crate (`src/` unless the token starts with a crate-level folder).
fn code_map_paths() -> Vec<PathBuf> {
    let text = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap_or_default();
    let map = text
        .split("## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_default();
    let mut crate_dir: Option<PathBuf> = None;
    let mut paths = Vec::new();
    for line in map.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            let name = heading.trim().trim_matches('`');
            crate_dir = name.starts_with("crates/").then(|| workspace().join(name));
            continue;
        }
        let Some(dir) = &crate_dir else { continue };
        for (i, token) in line.split('`').enumerate() {
            let is_path = i % 2 == 1
                && !token.contains(' ')
                && (token.ends_with(".rs") || token.ends_with('/'));
            if !is_path {
                continue;
            }
            let top = ["tests/", "templates/", "static/", "migrations/", "src/"];
            if token.starts_with("crates/") {
                paths.push(workspace().join(token));
            } else if top.iter().any(|t| token.starts_with(t)) {
                paths.push(dir.join(token));
            } else {
                paths.push(dir.join("src").join(token));
            }
        }
    }
    paths
}

#[test]
fn the_code_map_names_every_source_file_and_only_those() {
    let named = code_map_paths();
    assert!(
        named.len() > 50,
        "the code map names only {} paths",
        named.len()
    );
    let missing: Vec<String> = named
        .iter()
        .filter(|p| !p.exists())
        .map(|p| shown(p))
        .collect();
    assert!(
        missing.is_empty(),
        "named but absent:\n{}",
        missing.join("\n")
    );
    let named: BTreeSet<PathBuf> = named.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let unnamed: Vec<String> = source_roots()
        .iter()
        .flat_map(|(_, src)| rust_files(src))
        .filter(|f| f.canonicalize().is_ok_and(|f| !named.contains(&f)))
        .map(|f| shown(&f))
        .collect();
    assert!(
        unnamed.is_empty(),
        "not in the code map:\n{}",
        unnamed.join("\n")
    );
}

#[test]
fn no_document_is_cited_by_its_seed_number() {
    let mut citing = Vec::new();
    let roots = [
        "crates",
        "rules",
        "docs",
        "data",
        "e2e/tests",
        "README.md",
        "ARCHITECTURE.md",
    ];
    let mut stack: Vec<PathBuf> = roots.iter().map(|r| workspace().join(r)).collect();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(
                std::fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path()),
            );
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let lower = text.to_lowercase();
        let cites = lower.match_indices("seed ").any(|(i, _)| {
            lower[i + 5..].chars().take(3).all(|c| c.is_ascii_digit())
                && lower[i + 5..].chars().count() >= 3
        }) || lower.contains("seeds/");
        if cites && path != workspace().join("crates/samsyn/tests/layout.rs") {
            citing.push(shown(&path));
        }
    }
    citing.sort();
    assert!(
        citing.is_empty(),
        "cites a document by its seed number:\n{}",
        citing.join("\n")
    );
}
