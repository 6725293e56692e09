//! End-to-end tests of re-indexing: unchanged files are left alone,
//! changed ones redone, deleted ones removed, duplicates folded into one
//! document, and the summary says so.

mod common;

use common::{article_page, TestEnv};
use serde_json::json;

const ZANGEZUR: &str = "The Zangezur route would give Azerbaijan a land link to Nakhchivan through southern Armenia, and Yerevan insists it keep customs control.";
const BTC: &str = "The Baku-Tbilisi-Ceyhan pipeline still moves most Azerbaijani crude west, two decades after it was built around Russian territory.";
const DRY_PORT: &str = "Khorgos on the Kazakh-Chinese border has grown into a dry port where containers switch between Chinese and Soviet-gauge rail.";
const LAPIS: &str = "The Lapis Lazuli corridor ties Afghanistan to Turkey via Turkmenistan, Azerbaijan and Georgia, though little freight has used it.";

fn page(title: &str, para: &str) -> String {
    article_page(title, "Arman Sargsyan", "2025-05-20", &[para])
}

fn three(env: &TestEnv) {
    env.page("a/zangezur.html", page("The Zangezur question", ZANGEZUR));
    env.page("a/btc.html", page("Twenty years of BTC", BTC));
    env.page("b/khorgos.html", page("Khorgos, a dry port", DRY_PORT));
}

/// The one hit for `word`, checked to be the page whose path ends with
/// `path_end`.
fn only_hit(env: &TestEnv, word: &str, path_end: &str) -> serde_json::Value {
    let hits = env.search_json(&[word]).of_type("hit");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let path = hits[0]["path"].as_str().unwrap();
    assert!(path.ends_with(path_end), "{path}");
    hits[0].clone()
}

/// `html` naming `url`, if any, as its canonical URL.
fn with_canonical(html: String, url: Option<&str>) -> String {
    match url {
        Some(url) => html.replace(
            "<head>",
            &format!("<head><link rel=\"canonical\" href=\"{url}\">"),
        ),
        None => html,
    }
}

fn counts(summary: &serde_json::Value) -> [u64; 5] {
    ["indexed", "updated", "unchanged", "deleted", "duplicates"].map(|k| {
        summary[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} in {summary}"))
    })
}

#[test]
fn an_unchanged_rerun_reads_nothing_and_a_changed_file_is_redone() {
    let env = TestEnv::new();
    three(&env);
    let first = env.index_json(&[]);
    assert_eq!(counts(&first), [3, 0, 0, 0, 0]);
    assert_eq!(first["type"], "index_summary");
    assert!(first["bytes"].as_u64().unwrap() > 1000);
    let again = env.run(&["index", "pages", "--index", "idx", "--json"]);
    assert_eq!(counts(&again.index_summary()), [0, 0, 3, 0, 0]);
    assert_eq!(again.index_summary()["bytes"], 0, "nothing was read");
    assert!(
        again
            .stderr
            .contains("indexed 0 pages, updated 0, unchanged 3,"),
        "{}",
        again.stderr
    );
    // A new modification time with the same content is not a change.
    env.set_mtime("a/btc.html", 1_700_000_000);
    assert_eq!(counts(&env.index_json(&[])), [0, 0, 3, 0, 0]);
    env.page("a/btc.html", page("Twenty years of BTC", LAPIS));
    assert_eq!(counts(&env.index_json(&[])), [0, 1, 2, 0, 0]);
    assert_eq!(env.search_json(&["Ceyhan"]).code, 1);
    assert_eq!(env.search_json(&["Lapis"]).hit_names(), ["btc.html"]);
    assert_eq!(counts(&env.index_json(&["--rebuild"])), [3, 0, 0, 0, 0]);
}

#[test]
fn a_restamped_page_stays_searchable() {
    // A new modification time with the same content re-writes the stored
    // document with its new stamp; its text must stay indexed.
    let env = TestEnv::new();
    three(&env);
    env.index_json(&[]);
    env.set_mtime("a/btc.html", 1_700_000_000);
    assert_eq!(counts(&env.index_json(&[])), [0, 0, 3, 0, 0]);
    assert_eq!(env.search_json(&["Ceyhan"]).hit_names(), ["btc.html"]);
    assert_eq!(env.search_json(&["title:BTC"]).hit_names(), ["btc.html"]);
    assert_eq!(env.search_json(&["Ceyhan*"]).hit_names(), ["btc.html"]);
}

#[test]
fn a_deleted_file_disappears_from_results() {
    let env = TestEnv::new();
    three(&env);
    env.index_json(&[]);
    std::fs::remove_file(env.path("pages/b/khorgos.html")).unwrap();
    assert_eq!(counts(&env.index_json(&[])), [0, 0, 2, 1, 0]);
    assert_eq!(env.search_json(&["Khorgos"]).code, 1);
    assert_eq!(env.search_json(&["Zangezur"]).code, 0);
}

#[test]
fn a_new_extraction_version_rebuilds_the_index() {
    let env = TestEnv::new();
    three(&env);
    env.index_json(&[]);
    let state_path = env.path("idx/dossier.json");
    let state = std::fs::read_to_string(&state_path).unwrap();
    let mut state: serde_json::Value = serde_json::from_str(&state).unwrap();
    state["extraction"] = json!(0);
    std::fs::write(&state_path, state.to_string()).unwrap();
    assert_eq!(counts(&env.index_json(&[])), [3, 0, 0, 0, 0]);
    assert_eq!(counts(&env.index_json(&[])), [0, 0, 3, 0, 0]);
}

#[test]
fn duplicates_collapse_into_the_most_recent_crawl() {
    duplicates_collapse_with(&[]);
}

/// With a commit after every page, a crawl is already committed when the
/// newer copy that replaces it arrives, and its file, left without a
/// document, must still count as indexed on the next run.
#[test]
fn duplicates_collapse_across_commits() {
    duplicates_collapse_with(&["--commit-every", "1"]);
}

fn duplicates_collapse_with(args: &[&str]) {
    let env = TestEnv::new();
    three(&env);
    // The same article saved twice, and a mirror naming the same canonical URL.
    let copy = page("The Zangezur question", ZANGEZUR);
    env.page("mirror/zangezur-copy.html", &copy);
    env.set_mtime("a/zangezur.html", 1_750_000_000);
    env.set_mtime("mirror/zangezur-copy.html", 1_760_000_000);
    let lapis = |para: &str| {
        with_canonical(
            page("Lapis Lazuli", para),
            Some("https://steppe.example/lapis"),
        )
    };
    env.page("old/lapis.html", lapis(LAPIS));
    env.page("new/lapis.html", lapis(&format!("{LAPIS} Updated.")));
    env.set_mtime("old/lapis.html", 1_700_000_000);
    env.set_mtime("new/lapis.html", 1_710_000_000);
    let summary = env.index_json(args);
    assert_eq!(counts(&summary), [4, 0, 0, 0, 2]);
    let hit = only_hit(&env, "Zangezur", "zangezur-copy.html");
    assert_eq!(hit["also"], json!(["pages/a/zangezur.html"]));
    let lapis = env.search_json(&["Lapis"]).of_type("hit");
    assert_eq!(lapis.len(), 1);
    assert!(lapis[0]["snippet"].as_str().unwrap().contains("Updated"));
    assert_eq!(lapis[0]["also"], json!(["pages/old/lapis.html"]));
    // Nothing changed: the groups stay as they are.
    assert_eq!(counts(&env.index_json(args)), [0, 0, 4, 0, 0]);
    // The winner goes away: the older copy comes back on its own.
    std::fs::remove_file(env.path("pages/mirror/zangezur-copy.html")).unwrap();
    let summary = env.index_json(args);
    assert_eq!(summary["deleted"], 1);
    let hit = only_hit(&env, "Zangezur", "a/zangezur.html");
    assert_eq!(hit["also"], json!([]));
}

/// A page that joins a group brings its own URL to it. Once a newer crawl
/// replaces the group's document, a page with that URL must join the new
/// document: the writer used to look for the replaced one and stop the
/// run. One extracting thread keeps the pages in reading order. With a
/// commit after every page, the group's document is read back from the
/// index rather than from the pages awaiting the commit.
#[test]
fn a_url_brought_by_a_joined_page_leads_to_the_new_document() {
    for commits in [&[][..], &["--commit-every", "1"]] {
        let env = TestEnv::new();
        let at = |rel: &str, para: &str, url: Option<&str>, mtime: u64| {
            env.page(rel, with_canonical(page("A page", para), url));
            env.set_mtime(rel, mtime);
        };
        let (u, v) = (Some("https://a.example/u"), Some("https://a.example/v"));
        at("1/first.html", ZANGEZUR, u, 1_700_000_000);
        at("2/joins.html", ZANGEZUR, v, 1_600_000_000);
        at("3/replaces.html", ZANGEZUR, None, 1_800_000_000);
        at("4/by-url.html", BTC, v, 1_500_000_000);
        let mut command = vec!["index", "pages", "--index", "idx", "--json"];
        command.extend_from_slice(commits);
        let run = env.run_env(&command, &[("RAYON_NUM_THREADS", "1")]);
        assert_eq!(run.code, 0, "{commits:?}: {}", run.stderr);
        assert_eq!(counts(&run.index_summary()), [1, 0, 0, 0, 3], "{commits:?}");
        let hit = only_hit(&env, "Zangezur", "3/replaces.html");
        let expected =
            ["2/joins.html", "1/first.html", "4/by-url.html"].map(|p| format!("pages/{p}"));
        assert_eq!(hit["also"], json!(expected), "{commits:?}");
    }
}

#[test]
fn strict_turns_warnings_into_exit_2() {
    let env = TestEnv::new();
    three(&env);
    env.page("empty.html", "");
    let run = env.run(&["index", "pages", "--index", "idx", "--strict"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("empty.html: empty file"),
        "{}",
        run.stderr
    );
    assert_eq!(env.search_json(&["Khorgos"]).code, 0, "the work was done");
    let run = env.run(&["index", "pages", "--index", "idx", "--strict"]);
    assert_eq!(run.code, 0, "nothing new to warn about: {}", run.stderr);
}

#[test]
fn a_page_saved_many_times_reaches_tantivy_once_per_commit() {
    let env = TestEnv::new();
    let copy = page("The Zangezur question", ZANGEZUR);
    for i in 0..30 {
        let rel = format!("crawl/zangezur-{i:02}.html");
        env.page(&rel, &copy);
        env.set_mtime(&rel, 1_700_000_000 + i * 1000);
    }
    assert_eq!(counts(&env.index_json(&[])), [1, 0, 0, 0, 29]);
    let hit = only_hit(&env, "Zangezur", "zangezur-29.html");
    assert_eq!(hit["also"].as_array().unwrap().len(), 29);
    // Each newer copy replaced the last one in memory: tantivy was given
    // the first copy and the final document, not thirty documents.
    let index = tantivy::Index::open_in_dir(env.path("idx")).unwrap();
    let written: u32 = index
        .searchable_segment_metas()
        .unwrap()
        .iter()
        .map(|segment| segment.max_doc())
        .sum();
    assert!(written <= 2, "{written} documents written");
}
