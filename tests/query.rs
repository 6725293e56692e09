//! The query language end to end: each syntax element, run by the real
//! binary over a small archive of fixture pages, checked for which pages
//! come back and in what order; plus language-aware matching (folding,
//! stemming in the page's language), sorting, paging, facets and
//! `dossier similar`.

mod common;

use std::sync::OnceLock;

use common::{highlighted, run_in, Run, TestEnv};

/// A fixture page: file name, title, author, date, site, language, URL, text.
struct Page {
    file: &'static str,
    title: &'static str,
    author: &'static str,
    date: &'static str,
    site: &'static str,
    lang: &'static str,
    url: &'static str,
    text: &'static [&'static str],
}

const PAGES: &[Page] = &[
    Page {
        file: "ports.html",
        title: "Ports of Georgia between two corridors",
        author: "Nino Beridze",
        date: "2024-11-02",
        site: "Steppe Review",
        lang: "en",
        url: "https://steppe.example/ports-of-georgia",
        text: &[
            "Container traffic at Poti and Batumi grew again this year as freight on the Middle Corridor avoided the northern route through Russia.",
            "Port operators say the quays are full by October, and the rail link to the Caspian cannot move boxes faster than ships bring them.",
        ],
    },
    Page {
        file: "pipeline.html",
        title: "The Trans-Caspian pipeline question",
        author: "Merve Aydın",
        date: "2025-03-14",
        site: "Caspian Monitor",
        lang: "en",
        url: "https://caspian.example/trans-caspian",
        text: &[
            "A pipeline under the sea would carry Turkmen gas to Baku and on to Europe, and the energy ministries of both shores keep the plan going.",
            "Engineers point to the middle of the corridor, where the seabed is deepest, as the costliest stretch of the route.",
        ],
    },
    Page {
        file: "perevody.html",
        title: "Денежные переводы мигрантов",
        author: "Айгерим Сапарова",
        date: "2025-01-28",
        site: "Caspian Monitor",
        lang: "ru",
        url: "https://caspian.example/ru/perevody",
        text: &[
            "Денежные переводы трудовых мигрантов из России в Центральную Азию снизились после введения новых правил, а банки Душанбе ищут другие каналы.",
            "Семьи в Хатлоне тратят переводы на еду, школу и строительство домов.",
        ],
    },
    Page {
        file: "koridor.html",
        title: "Orta Koridor ve Türkiye",
        author: "Elif Şahin",
        date: "2025-06-10",
        site: "Anadolu Analiz",
        lang: "tr",
        url: "https://anadolu.example/orta-koridor",
        text: &[
            "Türkiye, Orta Koridor üzerinden Şuşa ve Bakü ile bağlantılarını güçlendiriyor; İstanbul'daki lojistik şirketleri yeni demiryolu hatlarına yatırım yapıyor.",
            "Kars ile Tiflis arasındaki demiryolları yük taşımacılığında daha fazla kullanılıyor.",
        ],
    },
    Page {
        file: "diplomacy.html",
        title: "Summit season in Baku",
        author: "Tom Reyes",
        date: "2023-05-05",
        site: "Steppe Review",
        lang: "en",
        url: "https://steppe.example/summit-season",
        text: &[
            "President Aliyev hosted three summits in a month, an energetic round of diplomacy aimed at investors from the Gulf.",
            "Officials in Baku spoke of new ports, new roads and a new airport for the liberated districts.",
        ],
    },
    Page {
        file: "grain.html",
        title: "Grain ships and war risk",
        author: "Ana Florescu",
        date: "2025-09-01",
        site: "Black Sea Desk",
        lang: "en",
        url: "https://blacksea.example/grain-ships",
        text: &[
            "Insurers cut war-risk premiums for grain ships leaving Odesa after a quiet summer, though oil tankers still pay more.",
            "Shipowners say the corridor along the western coast is now as busy as before the war.",
        ],
    },
    Page {
        file: "anaklia.html",
        title: "Anaklia and the ports of the Georgian coast",
        author: "Levan Kapanadze",
        date: "2024-08-19",
        site: "Black Sea Desk",
        lang: "en",
        url: "https://blacksea.example/anaklia",
        text: &[
            "The deep-water port at Anaklia would take ships that Poti and Batumi cannot, and container traffic on the Middle Corridor needs the quays.",
            "Port operators in Poti and Batumi expect container volumes to outgrow their quays before Anaklia opens.",
        ],
    },
];

fn page_html(p: &Page) -> String {
    let paragraphs: String = p.text.iter().map(|t| format!("<p>{t}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {site}</title><link rel="canonical" href="{url}">
<meta property="og:site_name" content="{site}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/topics">Topics</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>© {site}</footer></body></html>"#,
        lang = p.lang,
        title = p.title,
        site = p.site,
        url = p.url,
        author = p.author,
        date = p.date,
    )
}

/// The fixture archive, indexed once for all tests here.
fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        for p in PAGES {
            env.page(p.file, page_html(p));
        }
        env.index();
        env
    })
}

fn search(args: &[&str]) -> Run {
    let mut all = vec!["search", "--index", "idx", "--json"];
    all.extend_from_slice(args);
    if !args.contains(&"--limit") {
        all.extend_from_slice(&["--limit", "20"]);
    }
    run_in(env().dir.path(), &all)
}

/// The files of the hits for `query`, in rank order.
fn found(query: &str) -> Vec<String> {
    let run = search(&[query]);
    assert!((0..2).contains(&run.code), "{query}: {}", run.stderr);
    run.hit_names()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn plain_words_rank_the_page_using_them_most_first() {
    assert_eq!(found("Poti container")[..2], ["anaklia.html", "ports.html"]);
}

#[test]
fn pages_holding_every_word_come_first() {
    // Three pages say Baku (one as Bakü); only the pipeline page also says gas.
    let hits = found("Baku gas");
    assert_eq!(hits[0], "pipeline.html");
    assert_eq!(
        sorted(hits[1..].to_vec()),
        ["diplomacy.html", "koridor.html"]
    );
}

#[test]
fn a_word_in_no_page_does_not_empty_the_result() {
    assert_eq!(found("Odesa xylophone"), ["grain.html"]);
}

#[test]
fn exact_phrase_and_phrase_with_slop() {
    assert_eq!(
        sorted(found("\"middle corridor\"")),
        ["anaklia.html", "ports.html"]
    );
    // "the middle of the corridor": two words apart.
    assert_eq!(
        sorted(found("\"middle corridor\"~2")),
        ["anaklia.html", "pipeline.html", "ports.html"]
    );
}

#[test]
fn excluded_words_with_minus_and_not() {
    // Bakü on the Turkish page folds to Baku.
    assert_eq!(
        sorted(found("Baku -gas")),
        ["diplomacy.html", "koridor.html"]
    );
    assert_eq!(
        sorted(found("Baku NOT gas")),
        ["diplomacy.html", "koridor.html"]
    );
    assert_eq!(found("+Baku ports")[0], "diplomacy.html");
}

#[test]
fn or_and_parentheses() {
    assert_eq!(
        sorted(found("Odesa OR Aliyev")),
        ["diplomacy.html", "grain.html"]
    );
    assert_eq!(found("(Poti OR Odesa) AND war"), ["grain.html"]);
}

#[test]
fn field_restrictions() {
    assert_eq!(found("title:grain"), ["grain.html"]);
    assert_eq!(found("author:Beridze"), ["ports.html"]);
    assert_eq!(
        sorted(found("site:\"Caspian Monitor\"")),
        ["perevody.html", "pipeline.html"]
    );
    assert_eq!(found("lang:ru"), ["perevody.html"]);
    assert_eq!(
        sorted(found("url:steppe")),
        ["diplomacy.html", "ports.html"]
    );
    // "ports" is in the title of two pages but the body of a third too.
    assert_eq!(sorted(found("title:ports")), ["anaklia.html", "ports.html"]);
}

#[test]
fn date_filters_and_ranges() {
    assert_eq!(
        search(&["after:2025-01-01", "--sort", "date"]).hit_names(),
        [
            "perevody.html",
            "pipeline.html",
            "koridor.html",
            "grain.html"
        ]
    );
    assert_eq!(
        search(&["before:2024-12", "--sort=-date"]).hit_names(),
        ["ports.html", "anaklia.html", "diplomacy.html"]
    );
    assert_eq!(
        search(&["published:[2025-01 TO 2025-03]", "--sort", "date"]).hit_names(),
        ["perevody.html", "pipeline.html"]
    );
    assert_eq!(
        found("ports before:2024-09"),
        ["anaklia.html", "diplomacy.html"]
    );
    assert_eq!(
        found("grain lang:en site:\"Black Sea Desk\""),
        ["grain.html"]
    );
}

#[test]
fn prefix_and_fuzzy_words() {
    assert_eq!(sorted(found("energ*")), ["diplomacy.html", "pipeline.html"]);
    assert_eq!(found("Aliev~1"), ["diplomacy.html"]);
    assert_eq!(
        search(&["Aliev"]).code,
        1,
        "without ~ the misspelling finds nothing"
    );
}

/// Edits are counted on words as the page writes them (as snippets mark
/// them), not on stems: "investr" is one edit from the stem "investor"
/// but two from the word "investors".
#[test]
fn fuzzy_words_match_words_as_written() {
    assert_eq!(found("investrs~1"), ["diplomacy.html"]);
    assert_eq!(search(&["investr~1"]).code, 1);
}

/// Several words are searched as one union of every word's fields: a page
/// holding any of them matches, and words no page holds match nothing
/// (not every page, as an empty group of optional clauses would).
#[test]
fn words_match_any_and_unknown_words_match_nothing() {
    assert_eq!(found("Turkiye zzqxv"), ["koridor.html"]);
    assert_eq!(search(&["zzqxv qqzxw"]).code, 1);
    assert_eq!(search(&["zzqxv qqzxw lang:en"]).code, 1);
}

#[test]
fn diacritics_fold_both_ways() {
    assert_eq!(found("Turkiye"), ["koridor.html"]);
    assert_eq!(found("Türkiye"), ["koridor.html"]);
    assert_eq!(found("Susa"), ["koridor.html"]);
    assert_eq!(found("istanbul"), ["koridor.html"]);
}

#[test]
fn pages_are_stemmed_in_their_own_language() {
    // "переводами" (instrumental plural) reaches "переводы" through the Russian stemmer.
    assert_eq!(found("переводами"), ["perevody.html"]);
    // Turkish: "demiryolları" (plural) on the page, "demiryolu" asked.
    assert_eq!(found("demiryolu"), ["koridor.html"]);
}

#[test]
fn syntax_errors_exit_2_naming_the_column() {
    let run = run_in(
        env().dir.path(),
        &["search", "--index", "idx", "title:(gas"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("column 7: expected \")\""),
        "{}",
        run.stderr
    );
    let run = run_in(
        env().dir.path(),
        &["search", "--index", "idx", "after:2025-13"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad date"), "{}", run.stderr);
}

#[test]
fn hostile_queries_answer_or_fail_cleanly() {
    let nasty = [
        "\"",
        "(",
        ")",
        "-",
        "+",
        "*",
        "~",
        ":",
        "[",
        "]",
        "\"\"",
        "()",
        "title:",
        "title:\"\"",
        "published:[",
        "published:[* TO *]",
        "published:[x TO y]",
        "after:",
        "before:9999",
        "a~9",
        "a~",
        "**",
        "a*b",
        "Kars-Tbilisi*",
        "-(-(-a))",
        "NOT NOT a",
        "OR OR",
        "AND",
        "a AND OR b",
        "lang:",
        "url:https://x.example/a?b=c",
        "\u{0}",
        "ş*",
        "İ~1",
        "((((((((((a))))))))))",
    ];
    let deep = format!("{}a{}", "(".repeat(2000), ")".repeat(2000));
    let lines: Vec<String> = nasty
        .iter()
        .copied()
        .chain([deep.as_str()])
        .enumerate()
        .map(|(i, q)| serde_json::json!({"id": i, "text": q}).to_string())
        .collect();
    std::fs::write(env().path("nasty.jsonl"), lines.join("\n")).unwrap();
    for literal in [false, true] {
        let mut args = vec![
            "search",
            "--index",
            "idx",
            "--json",
            "--queries",
            "nasty.jsonl",
        ];
        if literal {
            args.push("--literal");
        }
        let run = run_in(env().dir.path(), &args);
        assert!(
            (0..=2).contains(&run.code),
            "exit {}: {}",
            run.code,
            run.stderr
        );
        let answered: Vec<_> = run
            .json_lines()
            .into_iter()
            .filter(|l| l["type"] == "summary" || l["type"] == "error")
            .collect();
        assert_eq!(
            answered.len(),
            lines.len(),
            "every query is answered or refused"
        );
        for line in answered.iter().filter(|l| l["type"] == "error") {
            assert!(!literal, "--literal never fails: {line}");
            assert!(
                line["message"].as_str().unwrap().starts_with("column "),
                "{line}"
            );
        }
    }
    // On the command line, "--" lets a query start with "-".
    let run = run_in(
        env().dir.path(),
        &["search", "--index", "idx", "--", "-oil Baku"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn paging_with_offset_keeps_ranks() {
    let all = found("Poti OR Baku OR Odesa");
    let run = search(&["Poti OR Baku OR Odesa", "--offset", "2", "--limit", "2"]);
    assert_eq!(run.hit_names(), all[2..4]);
    assert_eq!(run.of_type("hit")[0]["rank"], 3);
}

#[test]
fn facets_count_every_match() {
    let run = search(&[
        "ports OR corridor OR Baku",
        "--limit",
        "1",
        "--facet",
        "site",
        "--facet",
        "year",
    ]);
    let facets = run.of_type("facet");
    assert_eq!(facets[0]["field"], "site");
    let site_counts = &facets[0]["counts"];
    assert_eq!(
        site_counts[0],
        serde_json::json!({"value": "Black Sea Desk", "count": 2})
    );
    assert_eq!(
        site_counts[1],
        serde_json::json!({"value": "Steppe Review", "count": 2})
    );
    assert_eq!(facets[1]["field"], "year");
    let years: u64 = facets[1]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        years,
        run.of_type("summary")[0]["total_hits"].as_u64().unwrap()
    );
}

#[test]
fn phrase_is_one_highlight_and_fields_can_be_chosen() {
    let run = search(&[
        "\"middle corridor\" Poti",
        "--fields",
        "snippet,highlights",
        "--snippets",
        "1",
    ]);
    let hit = &run.of_type("hit")[0];
    assert_eq!(hit.as_object().unwrap().len(), 4, "{hit}");
    let marked = highlighted(hit);
    assert!(
        marked.contains(&"Middle Corridor".to_string()),
        "{marked:?}"
    );
}

/// `similar` used to take an article's words from a hash map, so words of
/// equal weight came out in another order in each process, and so did the
/// hits and their scores.
#[test]
fn similar_gives_the_same_answer_in_every_process() {
    let answer = || {
        let run = run_in(
            env().dir.path(),
            &["similar", "pages/ports.html", "--index", "idx", "--json"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.of_type("hit")
    };
    let first = answer();
    for _ in 0..5 {
        assert_eq!(answer(), first);
    }
}

#[test]
fn similar_lists_the_closest_articles_first() {
    let run = run_in(
        env().dir.path(),
        &["similar", "pages/ports.html", "--index", "idx", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names = run.hit_names();
    assert_eq!(names[0], "anaklia.html");
    assert!(!names.contains(&"ports.html".to_string()));
}
