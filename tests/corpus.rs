//! Tests on the shipped sample archive, `corpus/`: it is large and varied
//! enough (six site styles, three languages, a windows-1251 page), and the
//! README's main command runs on it, so it must index cleanly, extract
//! without chrome, and answer the multilingual queries the README promises.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{run_in, Run};
use dossier::extract::{extract, ExtractOptions};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn corpus_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walk(&corpus_dir())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The corpus indexed once for all tests of this file.
struct Indexed {
    dir: tempfile::TempDir,
    log: Run,
}

fn indexed() -> &'static Indexed {
    static INDEXED: OnceLock<Indexed> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = corpus_dir();
        let log = run_in(
            dir.path(),
            &["index", corpus.to_str().unwrap(), "--index", "idx"],
        );
        assert_eq!(log.code, 0, "{}", log.stderr);
        Indexed { dir, log }
    })
}

fn search(args: &[&str]) -> Run {
    let mut all = vec!["search", "--index", "idx", "--json"];
    all.extend_from_slice(args);
    run_in(indexed().dir.path(), &all)
}

fn hit_paths(run: &Run) -> Vec<String> {
    run.of_type("hit")
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn corpus_has_forty_pages_in_six_site_styles_and_indexes_cleanly() {
    let pages = corpus_pages();
    assert!(pages.len() >= 40, "only {} pages", pages.len());
    let mut sites: Vec<_> = pages
        .iter()
        .map(|p| {
            p.strip_prefix(corpus_dir())
                .unwrap()
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_owned()
        })
        .collect();
    sites.dedup();
    assert!(sites.len() >= 6, "{sites:?}");
    let stderr = &indexed().log.stderr;
    // The corpus holds one article saved twice, under two URLs: it is
    // folded into one document.
    let expected = format!(
        "indexed {} pages, updated 0, unchanged 0, deleted 0, duplicates 1, skipped 0, errors 0",
        pages.len() - 1
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn every_page_extracts_a_long_body_without_chrome() {
    const CHROME: &[&str] = &[
        "top of page",
        "bottom of page",
        "recent posts",
        "we use cookies",
        "leave a reply",
        "write a comment",
        "subscribe",
        "accept all",
        "sign up",
        "most read",
        "back to top",
        "read more",
        "min read",
        "see all",
        "log in",
        "share on",
        "advertisement",
        "about the author",
        "related posts",
        "discussion about this post",
        "get the app",
        "proudly created",
        "photo:",
    ];
    for page in corpus_pages() {
        let html = String::from_utf8_lossy(&std::fs::read(&page).unwrap()).into_owned();
        let html = if page.to_string_lossy().contains("denezhnye") {
            dossier::ingest::charset::decode(&std::fs::read(&page).unwrap(), None)
        } else {
            html
        };
        // Relative dates ("2 days ago") need a crawl time, as indexing gives.
        let article = extract(&html, Some(chrono::Utc::now()), &ExtractOptions::default());
        let words = article.body.split_whitespace().count();
        assert!(words > 300, "{}: only {words} words", page.display());
        let lower = article.body.to_lowercase();
        for phrase in CHROME {
            assert!(
                !lower.contains(phrase),
                "{}: body holds {phrase:?}",
                page.display()
            );
        }
        assert!(article.title.is_some(), "{}: no title", page.display());
        assert!(article.published.is_some(), "{}: no date", page.display());
    }
}

#[test]
fn turkiye_finds_pages_with_and_without_diacritics() {
    let with_diacritics = hit_paths(&search(&["Türkiye"]));
    assert!(
        with_diacritics.iter().any(|p| p.contains("orta-koridorda")),
        "{with_diacritics:?}"
    );
    assert!(
        with_diacritics
            .iter()
            .any(|p| p.contains("shusha-declaration")),
        "{with_diacritics:?}"
    );
    let folded = hit_paths(&search(&["Turkiye"]));
    assert_eq!(folded, with_diacritics);
}

#[test]
fn susa_finds_the_azerbaijani_page_that_says_susa_with_cedillas() {
    let hits = hit_paths(&search(&["Susa"]));
    assert!(hits.iter().any(|p| p.contains("naxcivan")), "{hits:?}");
}

#[test]
fn cyrillic_query_finds_the_windows_1251_page() {
    let run = search(&["денежные переводы"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let top = &run.of_type("hit")[0];
    assert!(
        top["path"].as_str().unwrap().contains("denezhnye-perevody"),
        "{top}"
    );
    assert_eq!(top["lang"], "ru");
    assert!(
        top["title"]
            .as_str()
            .unwrap()
            .starts_with("Денежные переводы"),
        "{top}"
    );
    assert!(
        top["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("перевод"),
        "{top}"
    );
}

#[test]
fn readme_query_returns_ranked_highlighted_hits() {
    let run = search(&["energy corridor"]);
    assert_eq!(run.code, 0);
    let hits = run.of_type("hit");
    assert!(hits.len() >= 3);
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"], i + 1);
        assert!(!hit["highlights"].as_array().unwrap().is_empty(), "{hit}");
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}
