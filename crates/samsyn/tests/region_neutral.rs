//! No region in the code: a second region adopts Samsyn by its rule set alone, so no source file
//! outside `rules/`, the data files, the demo county's code and the tests names Region Örebro
//! län, one of its municipalities or their codes. Every crate's `src` folder is read with `syn`:
//! string literals, identifiers and attributes count (an error message is text users read);
//! doc comments, comments and `#[cfg(test)]`/`#[test]` items do not. The web templates and
//! static files count too, their comments aside.

mod sources;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use sources::{files_under, workspace};
use std::path::{Path, PathBuf};

/// Folded for comparison: lower case, å/ä → a, ö → o, é → e.
fn fold(word: &str) -> String {
    word.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            other => other,
        })
        .collect()
}

/// The words that name the region: its municipalities' names (Örebro among them) and codes, from
/// the Örebro rule set itself so that the list cannot drift.
fn region_words() -> Vec<String> {
    let rules = samsyn_testkit::shipped_rules();
    let mut words: Vec<String> = rules
        .municipalities
        .iter()
        .flat_map(|m| [fold(&m.name), m.code.as_str().to_owned()])
        .collect();
    words.extend(rules.region_name.split_whitespace().map(fold));
    words.retain(|w| !["region", "lan"].contains(&w.as_str()));
    words.sort();
    words.dedup();
    words
}

/// The region words in `text`, split into words at anything that is not a letter or a digit
/// (so `orebro_2025`, `"Vårdcentralen Kumla"` and `"1880"` all count).
fn named_in(text: &str, words: &[String]) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|w| words.contains(w))
        .collect()
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || (a.path().is_ident("cfg") && a.to_token_stream().to_string().contains("test"))
    })
}

/// Every token of `tokens` but doc comments (`#[doc = …]`, `#![doc = …]`).
fn scan_tokens(tokens: TokenStream, words: &[String], found: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        let doc_follows = |at: usize| {
            matches!(trees.get(at), Some(TokenTree::Group(g))
                if g.stream().into_iter().next().is_some_and(|t| t.to_string() == "doc"))
        };
        match &trees[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let bang =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                let group = if bang { i + 2 } else { i + 1 };
                if doc_follows(group) {
                    i = group + 1;
                    continue;
                }
            }
            TokenTree::Group(g) => scan_tokens(g.stream(), words, found),
            TokenTree::Ident(ident) => found.extend(named_in(&ident.to_string(), words)),
            TokenTree::Literal(literal) => found.extend(named_in(&literal.to_string(), words)),
            TokenTree::Punct(_) => {}
        }
        i += 1;
    }
}

fn scan_items(items: &[syn::Item], words: &[String], found: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Mod(m) if is_test_only(&m.attrs) => {}
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => scan_items(inner, words, found),
            syn::Item::Fn(f) if is_test_only(&f.attrs) => {}
            syn::Item::Impl(i) if is_test_only(&i.attrs) => {}
            syn::Item::Use(u) if is_test_only(&u.attrs) => {}
            other => scan_tokens(other.to_token_stream(), words, found),
        }
    }
}

/// The region words a Rust source file's code names.
fn named_in_rust(source: &str, words: &[String]) -> Result<Vec<String>, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut found = Vec::new();
    for attr in &file.attrs {
        scan_tokens(attr.to_token_stream(), words, &mut found);
    }
    scan_items(&file.items, words, &mut found);
    Ok(found)
}

/// The region words a template names outside its `{# … #}` comments.
fn named_in_template(text: &str, words: &[String]) -> Vec<String> {
    let mut rest = text;
    let mut found = Vec::new();
    while let Some(start) = rest.find("{#") {
        found.extend(named_in(&rest[..start], words));
        rest = rest[start..]
            .find("#}")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    found.extend(named_in(rest, words));
    found
}

/// The files of the modules a file declares test-only (`#[cfg(test)] mod shipped_data;`): the
/// module's file and its folder.
fn test_only_module_paths(file: &Path, source: &str) -> Vec<PathBuf> {
    let Ok(parsed) = syn::parse_file(source) else {
        return Vec::new();
    };
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let parent = file.parent().unwrap_or(Path::new("."));
    let dir = if ["mod", "lib", "main"].contains(&stem) {
        parent.to_path_buf()
    } else {
        parent.join(stem)
    };
    parsed
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.content.is_none() && is_test_only(&m.attrs) => {
                let name = m.ident.to_string();
                Some([dir.join(format!("{name}.rs")), dir.join(name)])
            }
            _ => None,
        })
        .flatten()
        .collect()
}

/// Demo code builds the demo county from the rule set's `[demo]` layout and may mention a
/// region in its comments' examples; the testkit crate exists for tests.
fn exempt(path: &Path) -> bool {
    let path = path.to_string_lossy();
    path.contains("/crates/store/src/demo/") || path.contains("/crates/testkit/")
}

#[test]
fn no_source_file_names_the_region() {
    let words = region_words();
    assert!(words.contains(&"orebro".to_owned()) && words.contains(&"1880".to_owned()));
    let crates = workspace().join("crates");
    let mut offences = Vec::new();
    let mut read = 0;
    let files: Vec<PathBuf> = std::fs::read_dir(&crates)
        .unwrap()
        .flatten()
        .flat_map(|krate| {
            ["src", "templates", "static"]
                .into_iter()
                .flat_map(move |folder| files_under(&krate.path().join(folder)))
        })
        .collect();
    let test_only: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        .flat_map(|f| test_only_module_paths(f, &std::fs::read_to_string(f).unwrap_or_default()))
        .collect();
    assert!(
        test_only.iter().any(|p| p.ends_with("shipped_data.rs")),
        "test-only module files are found"
    );
    for file in files {
        if exempt(&file) || test_only.iter().any(|t| file.starts_with(t)) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        read += 1;
        let found = if file.extension().is_some_and(|e| e == "rs") {
            named_in_rust(&text, &words)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()))
        } else {
            named_in_template(&text, &words)
        };
        if !found.is_empty() {
            let shown = file.strip_prefix(&crates).unwrap_or(&file).display();
            offences.push(format!("{shown}: {}", found.join(", ")));
        }
    }
    assert!(read > 100, "the crates' sources were read ({read} files)");
    assert!(
        offences.is_empty(),
        "region names in code; move them to the rule set:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_scan_sees_code_and_skips_comments_and_tests() {
    let words = region_words();
    let code = r#"
        //! A module about Kumla.
        /// Sent to Nora.
        fn sender() -> &'static str { "Vårdcentralen Kumla" }
        #[error("kommun 1880 saknas")]
        struct E;
        fn orebro_rules() {}
        const PLAIN: &str = "Vårdcentralen";
        #[cfg(test)]
        mod tests { const HOME: &str = "Lindesberg"; }
        #[test]
        fn t() { let _ = "Askersund"; }
    "#;
    assert_eq!(
        named_in_rust(code, &words).unwrap(),
        ["kumla", "1880", "orebro"]
    );
    assert_eq!(
        named_in_template("{# Laxå #}<p>Hälsningar från Laxå</p>", &words),
        ["laxa"]
    );
}
