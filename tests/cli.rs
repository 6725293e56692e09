//! End-to-end tests of the `dossier` binary on fixture pages written to a
//! temporary folder: indexing, the JSON contract, exit codes, bad input.

mod common;

use common::{article_page, highlighted, TestEnv};

const PIPELINE: &str = "The Trans-Caspian pipeline would carry Turkmen gas under the sea to Baku, where it could join the Southern Gas Corridor towards Europe.";
const PIPELINE_2: &str = "Ashgabat has long preferred selling to China, whose pipelines already take most of its exports through Uzbekistan and Kazakhstan.";
const PORTS: &str = "Georgian ports at Poti and Batumi handle growing container traffic as rail freight from China avoids the northern route.";
const PORTS_2: &str = "The deep-sea port at Anaklia, long delayed, would let larger ships call on the Black Sea coast of Georgia.";
const REMIT: &str = "Remittances from migrant workers still make up a third of Tajikistan's economy, and most of that money is earned in Russia.";
const REMIT_2: &str = "Banks in Dushanbe report that transfers through new payment systems grew after sanctions cut older channels.";

fn three_pages(env: &TestEnv) {
    env.page(
        "energy/trans-caspian.html",
        article_page(
            "The Trans-Caspian pipeline question",
            "Merve Aydın",
            "2025-03-14",
            &[PIPELINE, PIPELINE_2],
        ),
    );
    env.page(
        "ports/georgian-ports.html",
        article_page(
            "Ports of Georgia between two corridors",
            "Nino Beridze",
            "2024-11-02",
            &[PORTS, PORTS_2],
        ),
    );
    env.page(
        "migration/remittances.html",
        article_page(
            "Remittances after sanctions",
            "Dilnoza Karimova",
            "2025-06-30",
            &[REMIT, REMIT_2],
        ),
    );
}

#[test]
fn search_json_hits_carry_every_contract_field() {
    let env = TestEnv::new();
    three_pages(&env);
    let indexed = env.index();
    assert!(
        indexed.stderr.contains("indexed 3 pages"),
        "{}",
        indexed.stderr
    );
    let run = env.search_json(&["pipeline gas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = run.of_type("hit");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hit["id"].as_str().unwrap().len(), 16);
    assert!(hit["path"]
        .as_str()
        .unwrap()
        .ends_with("trans-caspian.html"));
    assert_eq!(hit["url"], serde_json::Value::Null);
    assert_eq!(hit["title"], "The Trans-Caspian pipeline question");
    assert_eq!(hit["author"], serde_json::json!(["Merve Aydın"]));
    assert_eq!(hit["published"], "2025-03-14T08:00:00Z");
    assert_eq!(hit["site"], "Steppe Review");
    assert_eq!(hit["lang"], "en");
    let snippet = hit["snippet"].as_str().unwrap();
    let marked = highlighted(hit);
    assert!(
        marked.iter().any(|m| m == "pipeline"),
        "{marked:?} in {snippet}"
    );
    assert!(marked.iter().any(|m| m == "gas"), "{marked:?} in {snippet}");
    let summary = run.of_type("summary");
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0]["query"], "pipeline gas");
    assert_eq!(summary[0]["total_hits"], 1);
    assert!(summary[0]["elapsed_ms"].as_f64().is_some());
}

#[test]
fn no_hits_exit_1_and_still_print_a_summary() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    let run = env.search_json(&["xylophone"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.of_type("summary")[0]["total_hits"], 0);
}

#[test]
fn bad_query_exits_2_with_one_error_line() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    let run = env.run(&["search", "--index", "idx", "title:(pipeline"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("dossier: error: bad query"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn missing_index_exits_2_with_a_hint() {
    let env = TestEnv::new();
    let run = env.run(&["search", "--index", "nowhere", "gas"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no index at nowhere"), "{}", run.stderr);
    assert!(run.stderr.contains("dossier index"), "{}", run.stderr);
}

#[test]
fn literal_mode_accepts_any_characters() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    let run = env.search_json(&["--literal", "what (about) \"Poti\" -ports? title:"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.hit_names()[0], "georgian-ports.html");
}

#[test]
fn all_words_rank_first() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    // "China" is in two pages, "Batumi" only in the ports page.
    let run = env.search_json(&["China Batumi"]);
    assert_eq!(
        run.hit_names(),
        ["georgian-ports.html", "trans-caspian.html"]
    );
}

#[test]
fn batch_queries_carry_ids_and_an_error_line_does_not_stop_the_batch() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    std::fs::write(
        env.path("q.jsonl"),
        "{\"id\": \"a\", \"text\": \"remittances\"}\n{\"id\": \"b\", \"text\": \"title:(\"}\n{\"id\": \"c\", \"text\": \"Anaklia\"}\n",
    )
    .unwrap();
    let run = env.run(&["search", "--index", "idx", "--json", "--queries", "q.jsonl"]);
    assert_eq!(run.code, 2, "a failed query makes the exit code 2");
    let lines = run.json_lines();
    let kinds: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["type"].as_str().unwrap(), l["query_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("hit", "a"),
            ("summary", "a"),
            ("error", "b"),
            ("hit", "c"),
            ("summary", "c")
        ]
    );
    assert!(lines[2]["message"].as_str().unwrap().len() > 3);
}

#[test]
fn plain_batch_file_uses_line_numbers_as_ids() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    std::fs::write(env.path("q.txt"), "Poti\n\nDushanbe\n").unwrap();
    let run = env.run(&[
        "search",
        "--index",
        "idx",
        "--json",
        "--literal",
        "--queries",
        "q.txt",
    ]);
    assert_eq!(run.code, 0);
    let ids: Vec<String> = run
        .of_type("hit")
        .iter()
        .map(|h| h["query_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["1", "3"]);
}

#[test]
fn bad_files_are_warned_about_counted_and_skipped() {
    let env = TestEnv::new();
    three_pages(&env);
    env.page("empty.html", "");
    env.page(
        "binary.html",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    env.page("notes.html", "just a note, no markup");
    env.page("image.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    let run = env.run(&["index", "pages", "missing-folder", "--index", "idx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in [
        "empty.html: empty file",
        "binary.html: binary",
        "notes.html: no HTML markup",
        "missing-folder",
    ] {
        assert!(
            run.stderr.contains(name),
            "no warning for {name}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("indexed 3 pages,") && run.stderr.contains("skipped 3, errors 1"),
        "{}",
        run.stderr
    );
    assert_eq!(env.search_json(&["Anaklia"]).code, 0);
}

#[test]
fn reindexing_replaces_the_contents() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    std::fs::remove_file(env.path("pages/ports/georgian-ports.html")).unwrap();
    env.index();
    assert_eq!(env.search_json(&["Anaklia"]).code, 1);
    assert_eq!(env.search_json(&["Dushanbe"]).code, 0);
}

#[test]
fn windows_1251_page_without_meta_is_searchable_in_cyrillic() {
    let env = TestEnv::new();
    let html = "<html lang=\"ru\"><head><title>Переводы мигрантов</title></head><body><article><h1>Переводы мигрантов</h1>\
        <p>Денежные переводы трудовых мигрантов из России в Центральную Азию снизились, а транзит через Казахстан вырос после введения санкций.</p>\
        <p>Банки Душанбе сообщают о росте переводов через новые платёжные системы.</p></article></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(html);
    env.page("ru/perevody.html", &bytes);
    env.index();
    let run = env.search_json(&["Казахстан"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.of_type("hit")[0]["title"], "Переводы мигрантов");
    let extract = env.run(&["extract", "pages/ru/perevody.html"]);
    assert!(
        extract.stdout.contains("транзит через Казахстан"),
        "{}",
        extract.stdout
    );
}

#[test]
fn diacritics_fold_both_ways() {
    let env = TestEnv::new();
    env.page("tr.html", article_page("Orta Koridor ve Türkiye", "Elif Şahin", "2025-01-10", &["Türkiye, Orta Koridor üzerinden Şuşa ve Bakü ile bağlantılarını güçlendiriyor; İstanbul'daki şirketler yeni demiryolu hatlarına yatırım yapıyor."]));
    env.page("en.html", article_page("Notes on Turkiye", "Sam Hill", "2025-01-11", &["Turkiye and Azerbaijan signed the Shusha Declaration, and officials in Susa spoke of a new era of cooperation."]));
    env.index();
    let mut both = env.search_json(&["Turkiye"]).hit_names();
    both.sort();
    assert_eq!(both, ["en.html", "tr.html"]);
    assert_eq!(env.search_json(&["Şuşa"]).hit_names().len(), 2);
    assert_eq!(env.search_json(&["istanbul"]).hit_names(), ["tr.html"]);
}

#[test]
fn extract_prints_the_body_without_headline_byline_or_chrome() {
    let env = TestEnv::new();
    let page = env.page(
        "p.html",
        article_page(
            "Ports of Georgia between two corridors",
            "Nino Beridze",
            "2024-11-02",
            &[PORTS, PORTS_2],
        ),
    );
    let run = env.run(&["extract", page.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{PORTS}\n\n{PORTS_2}\n"));
    let json = env.run(&["extract", "--json", page.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["title"], "Ports of Georgia between two corridors");
    assert_eq!(v["authors"], serde_json::json!(["Nino Beridze"]));
}

#[test]
fn extract_of_missing_file_is_an_error_naming_it() {
    let env = TestEnv::new();
    let run = env.run(&["extract", "no-such-page.html"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("dossier: error: no-such-page.html:"),
        "{}",
        run.stderr
    );
}

#[test]
fn text_output_when_piped_has_no_colour_codes() {
    let env = TestEnv::new();
    three_pages(&env);
    env.index();
    let run = env.run(&["search", "--index", "idx", "Poti"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains(" 1. Ports of Georgia between two corridors"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Steppe Review · 2024-11-02 · Nino Beridze"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'));
}
