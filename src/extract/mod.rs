//! Extract: from a page's HTML to the article it carries. It owns chrome
//! removal, main-content selection, text rendering and metadata, and the
//! guards that keep hostile pages cheap. The main content is the article
//! the page marks plainly (one `itemprop=articleBody` or `<article>`
//! holding most of its text), else dom_smoothie's Readability scoring's
//! choice, run on a page we have already stripped of furniture; either is
//! rendered by our own text writer and cleaned of header and label lines.

mod boilerplate;
mod clean;
pub mod dates;
pub mod guard;
pub mod meta;
mod text;

use chrono::{DateTime, Utc};
use std::sync::LazyLock;

use dom_query::{local_name, Document, Element, LocalName, NodeData, NodeRef};
use serde::Serialize;

pub use meta::PageMeta;

/// Version of the extraction rules. Raise it whenever a change makes the
/// same page extract differently: an index built by another version is
/// rebuilt on its next `dossier index` run.
pub const VERSION: u32 = 2;

/// Nesting depth past which a page skips the DOM (browsers cap at 512).
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// How much of the body is given to language detection.
const LANG_SAMPLE_BYTES: usize = 4096;

/// Options for extraction.
#[derive(Debug, Clone, Copy)]
pub struct ExtractOptions {
    /// Pages nested deeper than this are reduced to plain text without a DOM.
    pub max_depth: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// The article found in a page: its metadata and body text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Article {
    /// Headline, without the site's suffix.
    pub title: Option<String>,
    /// Author names.
    pub authors: Vec<String>,
    /// First publication time.
    pub published: Option<DateTime<Utc>>,
    /// Last modification time.
    pub modified: Option<DateTime<Utc>>,
    /// Name of the publishing site.
    pub site: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Language code.
    pub lang: Option<String>,
    /// The page's own summary.
    pub description: Option<String>,
    /// Article text: paragraphs separated by blank lines, without headline,
    /// byline or date line.
    pub body: String,
    /// Set when the page could not be parsed normally and was reduced to
    /// plain text; says why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degraded: Option<String>,
}

/// Extracts the article from `html`. `crawled` is when the page was saved,
/// used to resolve relative dates such as "2 days ago".
pub fn extract(html: &str, crawled: Option<DateTime<Utc>>, opts: &ExtractOptions) -> Article {
    let survey = guard::survey(html, opts.max_depth);
    if survey.depth > opts.max_depth {
        return plain_text_article(html, opts.max_depth);
    }
    let kept = guard::without_unread(html, &survey);
    let doc = Document::from(&*kept);
    let meta = meta::read(&doc);
    let hints = header_hint_text(&doc);
    let marked = clean::remove_chrome(&doc, survey.unread_text).map(|root| article_text(&root));
    let raw_body = match marked {
        Some(text) => text,
        None => main_content(doc, || {
            let doc = Document::from(&*kept);
            clean::remove_chrome(&doc, survey.unread_text);
            doc
        }),
    };
    let body = boilerplate::strip(&raw_body, meta.title.as_deref());
    let published = meta
        .published
        .or_else(|| dates::find_visible_date(&hints))
        .or_else(|| crawled.and_then(|now| dates::find_relative_date(&hints, now)));
    let lang = meta.lang.clone().or_else(|| detect_language(&body));
    let authors = if meta.authors.is_empty() {
        meta::byline_authors(&format!("{hints}\n{raw_body}"))
    } else {
        meta.authors
    };
    Article {
        title: meta.title,
        authors,
        published,
        modified: meta.modified,
        site: meta.site,
        url: meta.url,
        lang,
        description: meta.description,
        body,
        degraded: None,
    }
}

/// Runs Readability on the cleaned page and renders the winner as text;
/// when Readability finds nothing, the whole cleaned body is used. The
/// text is rendered from Readability's own tree (its article, or the page
/// it left as it was when it found none), not from the HTML it returns,
/// which would have to be parsed again.
///
/// Readability's strictest attempt is made on `doc` itself. Only when it
/// finds less than an article's worth of text does the page, cleaned
/// again by `cleaned`, go through every attempt, from strict to raw: that
/// sequence keeps a copy of the page for each attempt, and nearly every
/// article is found by the first.
fn main_content(doc: Document, cleaned: impl FnOnce() -> Document) -> String {
    if let Some((doc, true)) = readability(doc, Some(dom_smoothie::ParsePolicy::Strict)) {
        let long_enough = |root: &NodeRef| root.normalized_char_count() >= MIN_ARTICLE_CHARS;
        if let Some(root) = article_root(&doc).filter(long_enough) {
            return article_text(&root);
        }
    }
    let Some((doc, found)) = readability(cleaned(), None) else {
        return String::new();
    };
    match article_root(&doc) {
        Some(root) if found => article_text(&root),
        _ => doc
            .select("body")
            .nodes()
            .first()
            .map(text::render)
            .unwrap_or_default(),
    }
}

/// The text of the article element `root`, without its lists of links.
fn article_text(root: &NodeRef) -> String {
    clean::remove_link_lists(root);
    text::render(root)
}

/// Text below which Readability tries again with looser rules (its
/// `char_threshold`, which dossier leaves at its default).
const MIN_ARTICLE_CHARS: usize = 500;

/// Runs Readability on `doc`, with one policy or, for `None`, all of them
/// in turn; returns the page as Readability left it and whether it found
/// an article.
fn readability(
    doc: Document,
    policy: Option<dom_smoothie::ParsePolicy>,
) -> Option<(Document, bool)> {
    let cfg = dom_smoothie::Config {
        disable_json_ld: true,
        char_threshold: MIN_ARTICLE_CHARS,
        ..Default::default()
    };
    let mut readability = dom_smoothie::Readability::with_document(doc, None, Some(cfg)).ok()?;
    let article = match policy {
        Some(policy) => readability.parse_with_policy(policy),
        None => readability.parse(),
    };
    let found = article.is_ok_and(|article| !article.content.trim().is_empty());
    Some((readability.doc, found))
}

/// The article Readability found in `doc`.
fn article_root(doc: &Document) -> Option<NodeRef<'_>> {
    doc.select_single(READABILITY_ROOT).nodes().first().copied()
}

/// The element Readability puts the article it found in.
const READABILITY_ROOT: &str = "#readability-page-1";

/// How many hint elements are read, inside and outside the article each.
const MAX_HINTS: usize = 12;

/// Text of the date and byline elements, one per line, those inside the
/// article first (a "today's date" widget in the site header must not beat
/// the byline); taken before chrome removal drops them. One walk finds
/// both lists: CSS selectors, tried one by one on every element, cost a
/// tenth of all indexing work here.
fn header_hint_text(doc: &Document) -> String {
    let mut inside = Vec::new();
    let mut everywhere = Vec::new();
    let mut pending = vec![(doc.root(), false)];
    while let Some((node, in_article)) = pending.pop() {
        let (hint, container) = node.query_or((false, false), |t| match &t.data {
            NodeData::Element(el) => (is_hint(el), clean::is_article_container(el)),
            _ => (false, false),
        });
        if hint {
            if in_article && inside.len() < MAX_HINTS {
                inside.push(node);
            }
            if everywhere.len() < MAX_HINTS {
                everywhere.push(node);
            }
        }
        if everywhere.len() == MAX_HINTS && inside.len() == MAX_HINTS {
            break;
        }
        let children_inside = in_article || container;
        pending.extend(
            node.children_it(true)
                .filter(NodeRef::is_element)
                .map(|child| (child, children_inside)),
        );
    }
    inside
        .iter()
        .chain(&everywhere)
        .map(|n| n.text().to_string())
        .filter(|t| t.len() < 300)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Class words of the elements where pages print dates and bylines.
const HINT_CLASS_WORDS: &[&str] = &[
    "date", "time", "meta", "byline", "author", "posted", "publish",
];

/// `data-hook` words of the same.
const HINT_HOOK_WORDS: &[&str] = &["date", "meta"];

static DATA_HOOK: LazyLock<LocalName> = LazyLock::new(|| LocalName::from("data-hook"));

/// Whether `el` is where a page prints a date or byline: a `<time>`, or a
/// class or `data-hook` holding one of the words (the CSS
/// `time, [class*=date], ..., [data-hook*=meta]`).
fn is_hint(el: &Element) -> bool {
    let attr_holds =
        |value: Option<&str>, words: &[&str]| value.is_some_and(|v| holds_any(v, words));
    el.name.local == local_name!("time")
        || attr_holds(el.attr_ref(local_name!("class")), HINT_CLASS_WORDS)
        || attr_holds(el.attr_ref(DATA_HOOK.clone()), HINT_HOOK_WORDS)
}

/// Whether `value` (a class or `data-hook`) holds one of `words`: short
/// values and short words, so a plain scan beats setting up a substring
/// search per word. The survey reads hints in raw start tags with it too.
fn holds_any(value: &str, words: &[&str]) -> bool {
    let value = value.as_bytes();
    (0..value.len()).any(|at| words.iter().any(|w| value[at..].starts_with(w.as_bytes())))
}

/// The longest start of `s` of at most `max` bytes that ends on a
/// character boundary: bounded work on text of any size.
pub fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Guesses the language of `body` when the page does not declare one.
fn detect_language(body: &str) -> Option<String> {
    let info = whatlang::detect(prefix(body, LANG_SAMPLE_BYTES))?;
    info.is_reliable().then(|| iso_639_1(info.lang()))
}

/// Two-letter codes for the languages whatlang knows that have one.
fn iso_639_1(lang: whatlang::Lang) -> String {
    use whatlang::Lang::*;
    let code = match lang {
        Eng => "en",
        Rus => "ru",
        Tur => "tr",
        Aze => "az",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Ukr => "uk",
        Pol => "pl",
        Nld => "nl",
        Swe => "sv",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Hun => "hu",
        Ces => "cs",
        Slk => "sk",
        Ron => "ro",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Slv => "sl",
        Ell => "el",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Ben => "bn",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Kat => "ka",
        Hye => "hy",
        Bel => "be",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Uzb => "uz",
        Tgl => "tl",
        Urd => "ur",
        Epo => "eo",
        Lat => "la",
        Afr => "af",
        other => return other.code().to_string(),
    };
    code.to_string()
}

/// The article of a page too deeply nested for a DOM: all its text, with
/// the `<title>` as headline.
fn plain_text_article(html: &str, limit: usize) -> Article {
    let title = title_tag(html).map(|t| meta::strip_site_suffix(&t, None));
    let body = guard::plain_text(html);
    Article {
        title,
        lang: detect_language(&body),
        body,
        degraded: Some(format!(
            "nesting deeper than {limit} elements; indexed as plain text"
        )),
        ..Article::default()
    }
}

fn title_tag(html: &str) -> Option<String> {
    let lower = html.get(..html.len().min(64 * 1024))?.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let text = meta::clean_text(&guard::decode_entities(&html[open_end..close]));
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::time::Instant;

    /// The body text chrome removal leaves of `doc`, one word apart.
    fn cleaned_body(doc: &Document) -> String {
        let text = doc.select("body").text();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Every page shipped in `corpus/` and `tests/fixtures/`.
    pub(crate) fn shipped_pages() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pending = vec![root.join("corpus"), root.join("tests/fixtures")];
        let mut pages = Vec::new();
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    let html = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                    pages.push((path, html));
                }
            }
        }
        pages
    }

    /// Chrome removal's result on `html` parsed whole and parsed without
    /// what the survey says is unread, and whether anything was spared.
    fn cleaned_whole_and_spared(html: &str) -> (String, String, bool) {
        let whole = Document::from(html);
        clean::remove_chrome(&whole, 0);
        let survey = guard::survey(html, DEFAULT_MAX_DEPTH);
        let spared = Document::from(&*guard::without_unread(html, &survey));
        clean::remove_chrome(&spared, survey.unread_text);
        (
            cleaned_body(&whole),
            cleaned_body(&spared),
            survey.unread_text > 0,
        )
    }

    #[test]
    fn sparing_the_parser_furniture_changes_nothing_chrome_removal_keeps() {
        let mut spared_pages = 0;
        for (path, html) in shipped_pages() {
            let (whole, spared, any) = cleaned_whole_and_spared(&html);
            assert_eq!(whole, spared, "{path:?}");
            spared_pages += usize::from(any);
        }
        assert!(spared_pages >= 20, "only {spared_pages} pages spared");
    }

    #[test]
    fn a_widget_is_judged_against_the_text_of_the_spared_furniture_too() {
        let words = |n| "<p>Words of one widget or another.</p>".repeat(n);
        let html = format!(
            "<body><aside>{}</aside><nav><time>May</time>{}</nav><div>{}</div></body>",
            words(3),
            words(5),
            words(3)
        );
        let (whole, spared, any) = cleaned_whole_and_spared(&html);
        assert!(any);
        assert_eq!(whole, spared);
        assert!(!whole.contains("May"), "{whole}");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let page = format!(
            "<html><head><title>Deep nesting test | Site</title></head><body>{}text</body></html>",
            "<div><ul><li>".repeat(7_000)
        );
        let start = Instant::now();
        let article = extract(&page, None, &ExtractOptions::default());
        assert!(
            start.elapsed().as_secs_f64() < 1.0,
            "took {:?}",
            start.elapsed()
        );
        assert!(article.degraded.is_some());
        assert_eq!(article.title.as_deref(), Some("Deep nesting test"));
        assert!(article.body.ends_with("text"));
    }

    #[test]
    fn hint_walk_finds_what_its_css_selectors_find() {
        let dated = |i: usize| format!(r#"<span class="entry-date">d{i}</span>"#);
        let outside: String = (0..14).map(dated).collect();
        let inside: String = (20..34).map(dated).collect();
        let page = format!(
            r#"<html><body><header><time>today</time><div class="Date">no</div>
            <div data-hook="post-meta">hook</div><p class="bylines">by</p>{outside}</header>
            <main><article class="post-meta"><div itemprop="articleBody">
            <span class="updated-time">t</span><span itemprop="author">no</span>{inside}
            </div></article></main><div itemprop="articlebody"><i class="author">a</i></div>
            </body></html>"#
        );
        let doc = Document::from(page.as_str());
        let css = "time, [class*=date], [class*=time], [class*=meta], [class*=byline], [class*=author], [class*=posted], [class*=publish], [data-hook*=date], [data-hook*=meta]";
        let inside = doc
            .select("article, main, [itemprop=articleBody]")
            .select(css);
        let everywhere = doc.select(css);
        let by_css = inside
            .iter()
            .take(MAX_HINTS)
            .chain(everywhere.iter().take(MAX_HINTS))
            .map(|s| s.text().to_string())
            .filter(|t| t.len() < 300)
            .collect::<Vec<_>>();
        assert_eq!(by_css.len(), 2 * MAX_HINTS);
        assert_eq!(header_hint_text(&doc), by_css.join("\n"));
    }

    #[test]
    fn article_body_without_chrome() {
        let para = "The Middle Corridor links Chinese rail freight to Europe through Kazakhstan, the Caspian Sea, Azerbaijan and Georgia, and its volumes have grown every year since the war began.";
        let page = format!(
            r#"<html lang="en"><head><title>Freight on the Caspian | Corridor Letters</title></head><body>
            <header><nav><a href="/">Home</a><a href="/about">About</a></nav></header>
            <div class="cookie-consent">We use cookies. Accept all</div>
            <article><h1>Freight on the Caspian</h1><div class="byline">By Aida Sultan</div>
            <p>{para}</p><p>{para}</p><div class="share-buttons">Share on Facebook</div><p>{para}</p></article>
            <section class="related-posts"><h3>Related</h3><a>Another story about ports</a></section>
            <footer>© 2025 Corridor Letters</footer></body></html>"#
        );
        let a = extract(&page, None, &ExtractOptions::default());
        assert_eq!(a.title.as_deref(), Some("Freight on the Caspian"));
        assert_eq!(a.body, [para, para, para].join("\n\n"));
        assert_eq!(a.lang.as_deref(), Some("en"));
    }

    #[test]
    fn an_article_strict_readability_misses_is_found_by_its_looser_attempts() {
        // Readability's strict attempt drops elements whose class sounds
        // like furniture ("extra"), leaving only the short lead here; its
        // looser attempts keep them.
        let lead = "Port fees at Aktau rose again this spring.";
        let para = "Shippers on the trans-Caspian route say the new tariff schedule, announced without consultation, adds a fifth to the cost of a container crossing, and several have moved cargo back to the northern rail line through Russia.";
        let page = format!(
            r#"<html lang="en"><head><title>Aktau fees | Caspian Freight Notes</title></head><body>
            <div class="post"><p>{lead}</p><div class="story-extra"><p>{para}</p><p>{para}</p><p>{para}</p></div></div>
            </body></html>"#
        );
        let a = extract(&page, None, &ExtractOptions::default());
        assert!(a.body.starts_with(lead), "{}", a.body);
        assert_eq!(a.body.matches(para).count(), 3, "{}", a.body);
    }

    #[test]
    fn relative_date_uses_crawl_time_when_nothing_absolute_exists() {
        let page = r#"<html><body><div class="post-meta"><span>Leyla Aliyeva</span> <span class="date">2 days ago</span> <span>5 min read</span></div><article><p>Body text of the post that is long enough to count as an article paragraph for sure.</p></article></body></html>"#;
        let crawled = dates::parse_timestamp("2025-11-14T10:00:00Z");
        let a = extract(page, crawled, &ExtractOptions::default());
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2025-11-12T10:00:00+00:00"
        );
    }
}
