//! Metadata accuracy on hand-written article pages. Every page in
//! `tests/fixtures/meta/NN-name.html` has its expected metadata beside it in
//! `NN-name.json`; the extractor must recover title, authors, publication
//! time, site, language and canonical URL for at least 95% of all fields.
//! The test prints per-field accuracy and every mismatch (run it with
//! `--nocapture` to see them), so a regression in one precedence rule shows
//! which pages and fields it broke.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use dossier::extract::{dates::parse_timestamp, extract, Article, ExtractOptions};
use serde_json::Value;

/// The compared fields, in table order.
const FIELDS: [&str; 6] = ["title", "authors", "published", "site", "lang", "url"];
const MIN_ACCURACY: f64 = 0.95;
const MIN_FIXTURES: usize = 30;

/// One field on which the extractor disagreed with a fixture.
struct Mismatch {
    file: String,
    field: &'static str,
    expected: Value,
    got: Value,
}

fn fixture_pages() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta");
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The expected metadata written beside `page`.
fn expected_of(page: &Path) -> Value {
    let path = page.with_extension("json");
    serde_json::from_str(&read_text(&path))
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn timestamp(s: &str) -> DateTime<Utc> {
    parse_timestamp(s).unwrap_or_else(|| panic!("fixture timestamp {s:?} does not parse"))
}

/// A text field as compared: trimmed, or null.
fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.trim().to_string()))
}

/// A time as compared: the UTC instant in RFC 3339, or null.
fn instant(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| Value::String(t.to_rfc3339()))
}

fn names<'a>(list: impl Iterator<Item = &'a str>) -> Value {
    Value::Array(list.map(|n| text(Some(n))).collect())
}

/// The expected values of [`FIELDS`]; every field must be present.
fn expected_fields(exp: &Value) -> [Value; 6] {
    let field = |key: &str| {
        exp.get(key)
            .unwrap_or_else(|| panic!("fixture JSON lacks {key:?}: {exp}"))
    };
    let authors = field("authors")
        .as_array()
        .expect("authors is a list")
        .iter()
        .map(|a| a.as_str().expect("author names are strings"));
    [
        text(field("title").as_str()),
        names(authors),
        instant(field("published").as_str().map(timestamp)),
        text(field("site").as_str()),
        text(field("lang").as_str()),
        text(field("url").as_str()),
    ]
}

/// The extracted values of [`FIELDS`].
fn actual_fields(a: &Article) -> [Value; 6] {
    [
        text(a.title.as_deref()),
        names(a.authors.iter().map(String::as_str)),
        instant(a.published),
        text(a.site.as_deref()),
        text(a.lang.as_deref()),
        text(a.url.as_deref()),
    ]
}

/// Extracts `page` and returns the fields that differ from its JSON.
fn check_page(page: &Path) -> Vec<Mismatch> {
    let exp = expected_of(page);
    let crawled = exp.get("crawled").and_then(Value::as_str).map(timestamp);
    let article = extract(&read_text(page), crawled, &ExtractOptions::default());
    let file = page.file_name().unwrap().to_string_lossy().into_owned();
    FIELDS
        .into_iter()
        .zip(expected_fields(&exp))
        .zip(actual_fields(&article))
        .filter(|((_, expected), got)| expected != got)
        .map(|((field, expected), got)| Mismatch {
            file: file.clone(),
            field,
            expected,
            got,
        })
        .collect()
}

fn percent(correct: usize, total: usize) -> f64 {
    100.0 * correct as f64 / total as f64
}

/// Prints the per-field table and the overall figure; returns the overall
/// accuracy as a fraction.
fn report_accuracy(pages: usize, misses: &[Mismatch]) -> f64 {
    println!("metadata accuracy over {pages} fixture pages");
    println!("{:<10} {:>8} {:>8}", "field", "correct", "percent");
    for field in FIELDS {
        let correct = pages - misses.iter().filter(|m| m.field == field).count();
        let pct = percent(correct, pages);
        println!("{field:<10} {correct:>4}/{pages:<3} {pct:>7.1}%");
    }
    let total = pages * FIELDS.len();
    let correct = total - misses.len();
    let pct = percent(correct, total);
    println!("{:<10} {correct:>4}/{total:<3} {pct:>7.1}%", "overall");
    correct as f64 / total as f64
}

fn report_mismatches(misses: &[Mismatch]) {
    if misses.is_empty() {
        return;
    }
    println!("\nmismatches:");
    for m in misses {
        println!(
            "{} {}: expected {} got {}",
            m.file, m.field, m.expected, m.got
        );
    }
}

#[test]
fn metadata_extraction_matches_fixtures() {
    let pages = fixture_pages();
    let misses: Vec<Mismatch> = pages.iter().flat_map(|p| check_page(p)).collect();
    let accuracy = report_accuracy(pages.len(), &misses);
    report_mismatches(&misses);
    assert!(
        pages.len() >= MIN_FIXTURES,
        "only {} fixture pages, want at least {MIN_FIXTURES}",
        pages.len()
    );
    assert!(
        accuracy >= MIN_ACCURACY,
        "overall metadata accuracy {accuracy:.3} below {MIN_ACCURACY}"
    );
}
