//! End-to-end tests of what `dossier index` reads: gzip files, WARC
//! archives and broken inputs, on fixture archives written by the tests.

mod common;

use common::{article_page, gzip, http_response, warc_gz, warc_record, TestEnv};

const SHUSHA: &str = "Azerbaijan's reconstruction of Shusha has become a showcase for Turkish contractors, who also build the roads linking the town to the Zangezur route.";
const SHUSHA_2: &str = "Armenian officials watch the new highways with suspicion, fearing that a corridor through Syunik will be imposed rather than negotiated.";
const CASPIAN: &str = "Tankers from Aktau now carry Kazakh crude across the Caspian to Baku, where it enters the pipeline to Ceyhan instead of the Russian network.";
const CASPIAN_2: &str = "Shippers say the bottleneck is the fleet: too few tankers can pass the shallow Volga-Caspian canal to reach the sea.";
const TRADE: &str = "Uzbek textile exporters route more of their cotton yarn through Turkmenistan's port at Turkmenbashi, which cuts a week from the trip to Istanbul.";
const TRADE_2: &str = "Customs officers on both sides of the Amu Darya now share electronic declarations, a small reform that traders say matters more than new rails.";

fn html(title: &str, date: &str, paragraphs: &[&str]) -> String {
    article_page(title, "Tamar Gelashvili", date, paragraphs)
}

#[test]
fn gzip_pages_are_indexed_and_extracted() {
    let env = TestEnv::new();
    let page = html("Rebuilding Shusha", "2025-02-03", &[SHUSHA, SHUSHA_2]);
    // Two members: concatenated gzip is one valid file.
    let (first, second) = page.as_bytes().split_at(page.len() / 2);
    let mut bytes = gzip(first);
    bytes.extend(gzip(second));
    env.page("caucasus/shusha.html.gz", bytes);
    env.page(
        "caucasus/no-ending.gz",
        gzip(html("Caspian crude", "2025-02-04", &[CASPIAN, CASPIAN_2]).as_bytes()),
    );
    let run = env.index();
    assert!(run.stderr.contains("indexed 2 pages"), "{}", run.stderr);
    let hits = env.search_json(&["Syunik"]);
    assert_eq!(hits.hit_names(), ["shusha.html.gz"]);
    assert_eq!(hits.of_type("hit")[0]["title"], "Rebuilding Shusha");
    assert_eq!(env.search_json(&["Aktau"]).hit_names(), ["no-ending.gz"]);
    let extract = env.run(&["extract", "pages/caucasus/shusha.html.gz"]);
    assert_eq!(extract.stdout, format!("{SHUSHA}\n\n{SHUSHA_2}\n"));
}

/// A crawl of four URLs: warcinfo, request/response pairs, a revisit, an
/// image, a record cut short and a record the crawler marked truncated.
fn crawl() -> (Vec<u8>, Vec<usize>) {
    let date = "2025-11-14T10:00:00Z";
    let page = |title: &str, paras: &[&str]| {
        http_response(
            "text/html; charset=utf-8",
            html(title, "2025-11-01", paras).as_bytes(),
        )
    };
    let mut cut = warc_record(
        "response",
        "https://steppe.example/cut",
        date,
        &page("Cut short", &[TRADE]),
    );
    cut.truncate(cut.len() - 200);
    let marked = String::from_utf8(warc_record(
        "response",
        "https://steppe.example/big",
        date,
        &page("Marked", &[TRADE_2]),
    ))
    .unwrap()
    .replacen("WARC-Date", "WARC-Truncated: length\r\nWARC-Date", 1);
    warc_gz(&[
        warc_record("warcinfo", "", date, b"software: test crawler\r\n"),
        warc_record(
            "request",
            "https://steppe.example/caspian",
            date,
            b"GET /caspian HTTP/1.1\r\nHost: steppe.example\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://steppe.example/caspian",
            date,
            &page("Caspian crude", &[CASPIAN, CASPIAN_2]),
        ),
        warc_record(
            "revisit",
            "https://steppe.example/caspian",
            date,
            b"HTTP/1.1 304 Not Modified\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://steppe.example/logo.png",
            date,
            &http_response("image/png", b"\x89PNG\r\n\x1a\n\0\0"),
        ),
        cut,
        marked.into_bytes(),
        warc_record(
            "metadata",
            "https://steppe.example/caspian",
            date,
            b"outlinks: 3\r\n",
        ),
        warc_record(
            "response",
            "https://steppe.example/trade",
            date,
            &page("Yarn through Turkmenbashi", &[TRADE, TRADE_2]),
        ),
    ])
}

#[test]
fn warc_gz_response_records_become_pages_and_the_rest_is_counted() {
    let env = TestEnv::new();
    let (bytes, offsets) = crawl();
    env.page("crawl/steppe.warc.gz", bytes);
    let run = env.index();
    assert!(
        run.stderr.contains("indexed 2 pages,") && run.stderr.contains("skipped 7, errors 0"),
        "{}",
        run.stderr
    );
    for (what, record) in [("truncated record", 5), ("WARC-Truncated: length", 6)] {
        let at = format!("steppe.warc.gz#offset={}: ", offsets[record]);
        assert!(
            run.stderr.contains(&at) && run.stderr.contains(what),
            "{what}: {}",
            run.stderr
        );
    }
    let hits = env.search_json(&["Turkmenbashi"]);
    let hit = &hits.of_type("hit")[0];
    assert!(hit["path"]
        .as_str()
        .unwrap()
        .ends_with("crawl/steppe.warc.gz"));
    assert_eq!(hit["offset"], offsets[8]);
    assert_eq!(hit["url"], "https://steppe.example/trade");
    let again = env.run(&["index", "pages", "--index", "idx"]);
    assert!(
        again
            .stderr
            .contains("indexed 0 pages, updated 0, unchanged 2,"),
        "an unchanged archive is not read again: {}",
        again.stderr
    );
    let location = format!("pages/crawl/steppe.warc.gz#offset={}", offsets[2]);
    let extract = env.run(&["extract", &location]);
    assert_eq!(
        extract.stdout,
        format!("{CASPIAN}\n\n{CASPIAN_2}\n"),
        "{}",
        extract.stderr
    );
}

#[test]
fn plain_warc_with_charset_only_in_the_http_header() {
    let env = TestEnv::new();
    let page = "<html><head><title>Транзит через Каспий</title></head><body><article><h1>Транзит через Каспий</h1>\
        <p>Казахстанская нефть всё чаще идёт танкерами через Каспийское море в Баку, а оттуда по трубопроводу в Джейхан.</p>\
        <p>Грузоотправители жалуются на нехватку танкеров, способных пройти по Волго-Каспийскому каналу.</p></article></body></html>";
    let (body, _, _) = encoding_rs::WINDOWS_1251.encode(page);
    let record = warc_record(
        "response",
        "https://kaspiy.example/tranzit",
        "2025-10-01T06:30:00Z",
        &http_response("text/html; charset=windows-1251", &body),
    );
    env.page("ru.warc", record);
    env.index();
    let run = env.search_json(&["танкерами"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hit = &run.of_type("hit")[0];
    assert_eq!(hit["title"], "Транзит через Каспий");
    assert_eq!(hit["url"], "https://kaspiy.example/tranzit");
    assert_eq!(hit["offset"], 0);
}

#[test]
fn relative_dates_resolve_against_warc_date() {
    let env = TestEnv::new();
    let page = format!(
        r#"<html><body><div class="post-meta"><span>Farid Guliyev</span> <span class="date">2 days ago</span></div><article><p>{CASPIAN}</p><p>{CASPIAN_2}</p></article></body></html>"#
    );
    let record = warc_record(
        "response",
        "https://blog.example/caspian",
        "2025-11-14T10:00:00Z",
        &http_response("text/html", page.as_bytes()),
    );
    env.page("blog.warc.gz", gzip(&record));
    env.index();
    let run = env.search_json(&["Aktau"]);
    assert_eq!(run.of_type("hit")[0]["published"], "2025-11-12T10:00:00Z");
}

#[test]
fn broken_gzip_and_unreadable_inputs_are_warnings_and_the_run_goes_on() {
    let env = TestEnv::new();
    env.page(
        "good.html",
        html("Yarn through Turkmenbashi", "2025-03-01", &[TRADE, TRADE_2]),
    );
    let mut broken = gzip(html("Caspian crude", "2025-02-04", &[CASPIAN, CASPIAN_2]).as_bytes());
    broken.truncate(broken.len() / 2);
    env.page("broken.html.gz", broken);
    let (mut warc, offsets) = crawl();
    warc[offsets[8] + 30] ^= 0xff;
    env.page("damaged.warc.gz", warc);
    // Tests run as root, where permissions do not stop reading: a dangling
    // symlink is the unreadable file here.
    std::os::unix::fs::symlink(env.path("nowhere.html"), env.path("pages/dangling.html")).unwrap();
    let run = env.index();
    for expected in [
        "broken.html.gz: broken gzip data".to_string(),
        format!("damaged.warc.gz#offset={}: broken gzip data", offsets[8]),
        "dangling.html".to_string(),
    ] {
        assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);
    }
    assert!(run.stderr.contains("indexed 2 pages"), "{}", run.stderr);
    assert!(run.stderr.contains("errors 3"), "{}", run.stderr);
    assert_eq!(env.search_json(&["Amu Darya"]).code, 0);
}

#[test]
fn a_decompression_bomb_is_skipped_with_a_warning() {
    let env = TestEnv::new();
    let mut page = html("Caspian crude", "2025-02-04", &[CASPIAN]).into_bytes();
    page.extend(vec![b' '; 3 * 1024 * 1024]);
    env.page("bomb.html.gz", gzip(&page));
    env.page(
        "good.html",
        html("Yarn through Turkmenbashi", "2025-03-01", &[TRADE, TRADE_2]),
    );
    let run = env.run(&["index", "pages", "--index", "idx", "--max-page-mb", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("bomb.html.gz: page is over the 1 MB limit once decompressed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("indexed 1 pages,") && run.stderr.contains("skipped 1,"),
        "{}",
        run.stderr
    );
}
