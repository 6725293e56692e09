//! End-to-end tests of the commands around search: `show`, `stats`,
//! `export` (and its Quickwit mapping), shell completions, the man page,
//! the DOSSIER_INDEX default and `--color`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::TestEnv;
use serde_json::{json, Value};

/// One fixture page: an analysis article on a small site.
struct Fixture {
    file: &'static str,
    site: &'static str,
    lang: &'static str,
    url: &'static str,
    title: &'static str,
    author: &'static str,
    date: Option<&'static str>,
    paragraphs: [&'static str; 2],
}

const PIPELINE: Fixture = Fixture {
    file: "energy/trans-caspian.html",
    site: "Steppe Review",
    lang: "en",
    url: "https://steppe-review.example/energy/trans-caspian",
    title: "The Trans-Caspian pipeline question",
    author: "Merve Aydın",
    date: Some("2025-03-14"),
    paragraphs: [
        "A pipeline under the Caspian would let Turkmen gas reach Baku and join the Southern Gas Corridor without crossing Russia or Iran.",
        "Ashgabat has hesitated for two decades, wary of the seabed dispute and content to sell most of its gas eastward to China.",
    ],
};

const PORTS: Fixture = Fixture {
    file: "ports/poti-batumi.html",
    site: "Steppe Review",
    lang: "en",
    url: "https://steppe-review.example/ports/poti-batumi",
    title: "Ports of Georgia between two corridors",
    author: "Nino Beridze",
    date: Some("2024-11-02"),
    paragraphs: [
        "Container traffic at Poti and Batumi keeps rising as rail freight from China looks for a route that avoids the northern corridor.",
        "The deep-water port at Anaklia, stalled for years, is back on the agenda because the existing harbours cannot take larger ships.",
    ],
};

const DRY_PORT: Fixture = Fixture {
    file: "trade/khorgos.html",
    site: "Caspian Ledger",
    lang: "en",
    url: "https://caspian-ledger.example/trade/khorgos",
    title: "Dry ports on the Kazakh-Chinese border",
    author: "Aigerim Sadykova",
    date: None,
    paragraphs: [
        "At Khorgos, containers move from Chinese standard-gauge wagons to Kazakh broad-gauge ones, and the transfer sets the pace of the whole route.",
        "Customs clearance has become faster since the crossing went digital, yet queues of trucks still stretch for kilometres in the harvest season.",
    ],
};

const MIDDLE_CORRIDOR: Fixture = Fixture {
    file: "tr/orta-koridor.html",
    site: "Kafkas Analiz",
    lang: "tr",
    url: "https://kafkas-analiz.example/orta-koridor",
    title: "Orta Koridor ve Bakü-Tiflis-Kars hattı",
    author: "Elif Şahin",
    date: Some("2025-05-20"),
    paragraphs: [
        "Bakü-Tiflis-Kars demiryolu, Orta Koridor üzerindeki yüklerin Anadolu'ya ulaşması için en kısa yol olarak öne çıkıyor.",
        "Hattın kapasitesi artırılmadıkça Hazar'ı geçen konteynerlerin limanlarda beklemesi sürecek ve taşıma süreleri uzayacak.",
    ],
};

const ALL: [&Fixture; 4] = [&PIPELINE, &PORTS, &DRY_PORT, &MIDDLE_CORRIDOR];

fn html(f: &Fixture) -> String {
    let date = f.date.map_or(String::new(), |d| {
        format!(r#"<meta property="article:published_time" content="{d}T08:00:00Z">"#)
    });
    let body: String = f
        .paragraphs
        .iter()
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    format!(
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta name="author" content="{author}">
<meta name="description" content="{summary}">
<link rel="canonical" href="{url}">
{date}</head>
<body><header><nav><a href="/">Home</a> <a href="/trade">Trade</a> <a href="/energy">Energy</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>
{body}</article></main>
<footer>{site} · Privacy · Terms</footer></body></html>"#,
        lang = f.lang,
        title = f.title,
        site = f.site,
        author = f.author,
        summary = f.paragraphs[0],
        url = f.url,
    )
}

/// The four fixture pages under `pages/`.
fn pages() -> TestEnv {
    let env = TestEnv::new();
    for f in ALL {
        env.page(f.file, html(f));
    }
    env
}

/// The four fixture pages indexed into `idx/` by their relative paths.
fn archive() -> TestEnv {
    let env = pages();
    env.index();
    env
}

fn body(f: &Fixture) -> String {
    f.paragraphs.join("\n\n")
}

/// The id `search` reports for the page of `f`.
fn id_of(env: &TestEnv, f: &Fixture) -> String {
    let run = env.search_json(&["--limit", "100", "*"]);
    let hit = run
        .of_type("hit")
        .into_iter()
        .find(|h| h["path"].as_str().unwrap().ends_with(f.file))
        .unwrap_or_else(|| panic!("no hit for {}: {}", f.file, run.stdout));
    hit["id"].as_str().unwrap().to_string()
}

#[test]
fn show_by_id_prints_metadata_then_the_indexed_body() {
    let env = archive();
    let id = id_of(&env, &PIPELINE);
    let run = env.run(&["show", &id, "--index", "idx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected_head = format!(
        "The Trans-Caspian pipeline question\nauthors Merve Aydın\ndate    2025-03-14\nsite    Steppe Review\nurl     {}\nlang    en\npath    pages/energy/trans-caspian.html\nid      {id}\n\n",
        PIPELINE.url
    );
    assert_eq!(
        run.stdout,
        format!("{expected_head}{}\n", body(&PIPELINE)),
        "{}",
        run.stdout
    );
}

#[test]
fn show_by_path_as_given_prints_one_json_document_with_every_field() {
    let env = archive();
    let run = env.run(&[
        "show",
        "pages/ports/poti-batumi.html",
        "--index",
        "idx",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    let doc = &lines[0];
    assert_eq!(doc["type"], "document");
    assert_eq!(doc["id"], id_of(&env, &PORTS));
    assert_eq!(doc["path"], "pages/ports/poti-batumi.html");
    assert_eq!(doc["url"], PORTS.url);
    assert_eq!(doc["title"], PORTS.title);
    assert_eq!(doc["author"], json!([PORTS.author]));
    assert_eq!(doc["published"], "2024-11-02T08:00:00Z");
    assert_eq!(doc["site"], "Steppe Review");
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["description"], PORTS.paragraphs[0]);
    assert_eq!(doc["body"], body(&PORTS));
}

#[test]
fn show_finds_a_page_indexed_by_absolute_path_from_a_relative_one() {
    let env = pages();
    let absolute = std::fs::canonicalize(env.path("pages")).unwrap();
    let indexed = env.run(&["index", absolute.to_str().unwrap(), "--index", "idx"]);
    assert_eq!(indexed.code, 0, "{}", indexed.stderr);
    let run = env.run(&[
        "show",
        "./pages/trade/khorgos.html",
        "--index",
        "idx",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stored = absolute.join("trade/khorgos.html");
    assert_eq!(run.json_lines()[0]["path"], stored.to_str().unwrap());
}

#[test]
fn show_of_an_unknown_document_exits_2_naming_it() {
    let env = archive();
    let run = env.run(&["show", "0123456789abcdef", "--index", "idx"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "dossier: error: no document with id or path 0123456789abcdef\n"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn stats_json_counts_documents_sites_authors_languages_and_dates() {
    let env = archive();
    let run = env.run(&["stats", "--index", "idx", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    let s = &lines[0];
    assert_eq!(s["type"], "stats");
    assert_eq!(s["documents"], 4);
    assert_eq!(s["sites"], 3);
    assert_eq!(s["authors"], 4);
    assert_eq!(
        s["languages"],
        json!([{"lang": "en", "documents": 3}, {"lang": "tr", "documents": 1}])
    );
    assert_eq!(s["oldest_published"], "2024-11-02T08:00:00Z");
    assert_eq!(s["newest_published"], "2025-05-20T08:00:00Z");
    assert_eq!(s["undated"], 1);
    assert_eq!(
        s["top_sites"],
        json!([
            {"site": "Steppe Review", "documents": 2},
            {"site": "Caspian Ledger", "documents": 1},
            {"site": "Kafkas Analiz", "documents": 1}
        ])
    );
    assert!(s["index_bytes"].as_u64().unwrap() > 1000);
    let indexed_at = s["indexed_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(indexed_at).is_ok());
    assert_eq!(s["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(s["index_format"], dossier::index::FORMAT_VERSION);
}

#[test]
fn stats_text_is_a_table_for_people() {
    let env = archive();
    let run = env.run(&["stats", "--index", "idx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "documents   4",
        "languages   en 3, tr 1",
        "published   2024-11-02 to 2025-05-20 (1 undated)",
        "       2  Steppe Review",
    ] {
        assert!(run.stdout.contains(line), "no {line:?} in\n{}", run.stdout);
    }
}

/// The `name` and `type` of every field mapping of the shipped Quickwit
/// index config; a hand-written reader is enough for the file's fixed shape.
fn quickwit_fields(yaml: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in yaml.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("- name:") {
            fields.push((name.trim().to_string(), String::new()));
        } else if let Some(kind) = line.strip_prefix("type:") {
            fields.last_mut().expect("type after name").1 = kind.trim().to_string();
        }
    }
    fields
}

/// Whether `value` is what Quickwit accepts for a field of type `kind`.
fn fits(kind: &str, value: &Value) -> bool {
    match kind {
        "text" => value.is_string() || value.is_null(),
        "array<text>" => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
        "u64" => value.is_null() || value.is_u64(),
        "datetime" => {
            value.is_null()
                || value
                    .as_str()
                    .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
        }
        other => panic!("the test knows no Quickwit type {other}"),
    }
}

#[test]
fn export_lines_carry_every_quickwit_field_with_its_json_type() {
    let env = archive();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/quickwit/dossier-index.yaml");
    let yaml = std::fs::read_to_string(config).unwrap();
    let fields = quickwit_fields(&yaml);
    let mapped: BTreeSet<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(mapped.len(), 12, "{fields:?}");

    let run = env.run(&["export", "--index", "idx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4);
    for line in &lines {
        assert_eq!(line["type"], "document");
        let exported: BTreeSet<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "type")
            .collect();
        assert_eq!(exported, mapped, "every exported field is mapped");
        for (name, kind) in &fields {
            assert!(fits(kind, &line[name]), "{name}: {kind} vs {}", line[name]);
        }
        for required in ["id", "path", "body"] {
            assert!(line[required].is_string(), "{required} in {line}");
        }
    }
    // The undated page exports with a null date, which Quickwit accepts
    // only because the mapping names no timestamp field.
    assert!(lines.iter().any(|l| l["published"].is_null()));
    assert!(!yaml
        .lines()
        .any(|l| l.trim_start().starts_with("timestamp_field:")));
}

#[test]
fn export_of_a_query_streams_exactly_the_matches_of_search() {
    let env = archive();
    let run = env.run(&["export", "--index", "idx", "China"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exported: BTreeSet<String> = run
        .of_type("document")
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    let found: BTreeSet<String> = env
        .search_json(&["--limit", "100", "China"])
        .of_type("hit")
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(exported, found);
    assert_eq!(exported.len(), 2, "{exported:?}");
    assert_eq!(run.json_lines().len(), 2);
}

#[test]
fn export_of_dated_pages_leaves_out_the_undated_one() {
    // The README's recipe for a Quickwit index with a timestamp field.
    let env = archive();
    let run = env.run(&["export", "--index", "idx", "published:*"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.of_type("document");
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["published"].is_string()));
}

#[test]
fn export_of_a_query_without_matches_exits_1_and_prints_nothing() {
    let env = archive();
    let run = env.run(&[
        "export",
        "--index",
        "idx",
        "--literal",
        "xylophone (orchestra)",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn completions_name_the_binary_and_its_commands() {
    let env = TestEnv::new();
    let bash = env.run(&["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    for word in [
        "dossier",
        "search",
        "show",
        "stats",
        "export",
        "completions",
    ] {
        assert!(bash.stdout.contains(word), "bash: no {word}");
    }
    let zsh = env.run(&["completions", "zsh"]);
    assert!(zsh.stdout.starts_with("#compdef dossier"), "{}", zsh.stdout);
    assert!(zsh.stdout.contains("export"));
    let fish = env.run(&["completions", "fish"]);
    assert!(
        fish.stdout.contains("complete -c dossier"),
        "{}",
        fish.stdout
    );
    assert!(fish.stdout.contains("stats"));
}

#[test]
fn man_prints_the_roff_page_of_dossier_or_of_one_command() {
    let env = TestEnv::new();
    let top = env.run(&["man"]);
    assert_eq!(top.code, 0, "{}", top.stderr);
    assert!(top.stdout.contains(".TH dossier 1"), "{}", top.stdout);
    assert!(top.stdout.contains("dossier\\-export(1)"), "{}", top.stdout);
    let export = env.run(&["man", "export"]);
    assert!(
        export.stdout.contains(".TH dossier-export 1"),
        "{}",
        export.stdout
    );
    assert!(export.stdout.contains("DOSSIER_INDEX"), "{}", export.stdout);
    let unknown = env.run(&["man", "frobnicate"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("not a dossier command"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn help_shows_examples_and_the_environment_variable() {
    let env = TestEnv::new();
    let top = env.run(&["--help"]);
    assert!(top.stdout.contains("Examples:"), "{}", top.stdout);
    let search = env.run(&["search", "--help"]);
    assert!(search.stdout.contains("Examples:"), "{}", search.stdout);
    assert!(search.stdout.contains("DOSSIER_INDEX"), "{}", search.stdout);
}

#[test]
fn dossier_index_variable_is_the_default_index_and_the_flag_wins() {
    let env = pages();
    let from_env = [("DOSSIER_INDEX", "shelf")];
    let indexed = env.run_env(&["index", "pages"], &from_env);
    assert_eq!(indexed.code, 0, "{}", indexed.stderr);
    assert!(env.path("shelf/meta.json").is_file());
    let stats = env.run_env(&["stats", "--json"], &from_env);
    assert_eq!(stats.json_lines()[0]["documents"], 4, "{}", stats.stderr);
    let search = env.run_env(&["search", "--json", "Anaklia"], &from_env);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let flag = env.run_env(&["stats", "--index", "nowhere"], &from_env);
    assert_eq!(flag.code, 2);
    assert!(
        flag.stderr.contains("no index at nowhere"),
        "{}",
        flag.stderr
    );
}

#[test]
fn color_always_emits_ansi_codes_and_never_or_no_color_do_not() {
    let env = archive();
    let search = |color: &str, vars: &[(&str, &str)]| {
        env.run_env(
            &["search", "--index", "idx", "--color", color, "Poti"],
            vars,
        )
        .stdout
    };
    assert!(search("always", &[]).contains("\x1b["));
    assert!(!search("never", &[]).contains('\x1b'));
    assert!(!search("auto", &[("NO_COLOR", "1")]).contains('\x1b'));
    // An explicit flag outranks NO_COLOR.
    assert!(search("always", &[("NO_COLOR", "1")]).contains("\x1b["));

    let show = |color: &str| {
        env.run(&[
            "show",
            "pages/trade/khorgos.html",
            "--index",
            "idx",
            "--color",
            color,
        ])
        .stdout
    };
    assert!(
        show("always").starts_with("\x1b[1mDry ports"),
        "{}",
        show("always")
    );
    assert!(!show("never").contains('\x1b'));
}
