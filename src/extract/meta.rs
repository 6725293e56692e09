//! Page metadata: title, authors, dates, site, canonical URL, language and
//! description, read from the parsed page before any chrome is removed.
//!
//! Each field has one precedence order, most reliable source first:
//! - title: JSON-LD `headline`, `og:title` (without the site's name), the
//!   first `<h1>`, `<title>` without its " | Site" suffix;
//! - authors: JSON-LD `author`, `meta[name=author]`, `article:author`,
//!   `rel=author` links, byline elements;
//! - published: JSON-LD `datePublished`, `article:published_time` and other
//!   date meta tags, `<time datetime>`; visible and relative dates are looked
//!   for in the page text by the caller when all of these are missing;
//! - site: JSON-LD publisher, `og:site_name`, `application-name`, URL host,
//!   the short part of a "Headline | Site" `<title>`;
//! - url: `<link rel=canonical>`, `og:url`, JSON-LD `url`;
//! - lang: `<html lang>`, `content-language`, `og:locale`; the caller
//!   detects it from the text when none is declared.

use chrono::{DateTime, Utc};
use dom_query::{local_name, Document, Element, NodeData, NodeRef};
use serde_json::Value;

use super::dates;

/// Metadata of one page, each field from its most reliable source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    /// The article's headline.
    pub title: Option<String>,
    /// Author names, in page order, without duplicates.
    pub authors: Vec<String>,
    /// When the article was first published.
    pub published: Option<DateTime<Utc>>,
    /// When the article was last modified.
    pub modified: Option<DateTime<Utc>>,
    /// The publishing site's name.
    pub site: Option<String>,
    /// The canonical URL of the article.
    pub url: Option<String>,
    /// Language code (ISO 639-1 where one exists), lower case.
    pub lang: Option<String>,
    /// The page's own summary.
    pub description: Option<String>,
}

/// What the page's JSON-LD says about the article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    modified: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    description: Option<String>,
}

/// Reads the metadata of a parsed page.
pub fn read(doc: &Document) -> PageMeta {
    let sources = Sources::find(doc);
    let ld = json_ld(&sources.json_ld);
    let metas = MetaTags::read(&sources.metas);
    let site = ld
        .publisher
        .clone()
        .or_else(|| metas.first("og:site_name"))
        .or_else(|| metas.first("application-name"));
    let absolute = |u: &String| u.starts_with("http");
    let url = sources
        .canonical
        .as_ref()
        .and_then(|l| l.attr("href").map(|h| h.trim().to_string()))
        .filter(absolute)
        .or_else(|| metas.first("og:url").filter(absolute))
        .or(ld.url.clone().filter(absolute));
    let site = site
        .or_else(|| url.as_deref().and_then(host_of))
        .or_else(|| first_text(doc, "title").and_then(|t| title_suffix(&t)));
    // Social titles may carry the known site name; only `<title>` gets
    // the guess at an unknown suffix, since headlines contain dashes too.
    let social_title = |name: &str| {
        metas
            .first(name)
            .map(|t| strip_known_site(&t, site.as_deref()).unwrap_or(t))
    };
    let title = ld
        .headline
        .clone()
        .or_else(|| social_title("og:title"))
        .or_else(|| social_title("twitter:title"))
        .or_else(|| first_text(doc, "h1"))
        .or_else(|| first_text(doc, "title").map(|t| strip_site_suffix(&t, site.as_deref())))
        .filter(|t| !t.is_empty());
    PageMeta {
        title,
        authors: authors(doc, &metas, &ld),
        published: published(doc, &metas, &ld),
        modified: ld
            .modified
            .as_deref()
            .and_then(dates::parse_timestamp)
            .or_else(|| {
                meta_date(
                    &metas,
                    &["article:modified_time", "og:updated_time", "dateModified"],
                )
            }),
        site: site.map(|s| clean_text(&s)).filter(|s| !s.is_empty()),
        url,
        lang: language(sources.lang.as_deref(), &metas)
            .or(ld.lang.as_deref().and_then(normalise_lang)),
        description: ld
            .description
            .or_else(|| metas.first("description"))
            .or_else(|| metas.first("og:description"))
            .map(|d| clean_text(&d)),
    }
}

fn authors(doc: &Document, metas: &MetaTags, ld: &JsonLd) -> Vec<String> {
    let mut names = ld.authors.clone();
    for source in ["author", "article:author", "dc.creator", "parsely-author"] {
        if !names.is_empty() {
            break;
        }
        names = metas
            .all(source)
            .into_iter()
            .filter(|n| !n.starts_with("http"))
            .flat_map(|n| split_names(&n))
            .collect();
    }
    if names.is_empty() {
        names = doc
            .select("a[rel~=author], [itemprop=author] [itemprop=name], [itemprop=author]")
            .iter()
            .map(|s| s.text().to_string())
            .flat_map(|n| split_names(&n))
            .collect();
    }
    if names.is_empty() {
        names = doc
            .select("[class*=byline], [class*=author-name], .author")
            .iter()
            .take(3)
            .map(|s| s.text().to_string())
            .filter(|t| t.len() < 120)
            .flat_map(|n| split_names(&n))
            .collect();
    }
    dedup_names(names)
}

fn dedup_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !n.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

/// How bylines start; the longer forms first.
const BYLINE_PREFIXES: &[&str] = &[
    "written by",
    "posted by",
    "prepared by",
    "reported by",
    "text by",
    "words by",
    "by",
];

/// The names part of a byline: the text after "By", "Prepared by:" and the
/// like, or None when `line` does not start with such a prefix.
fn after_byline_prefix(line: &str) -> Option<&str> {
    let lower = line.to_lowercase();
    BYLINE_PREFIXES.iter().find_map(|p| {
        let rest = line.get(p.len()..)?;
        let sep = rest.chars().next()?;
        (lower.starts_with(p) && (sep == ' ' || sep == ':'))
            .then(|| rest.trim_start_matches([':', ' ']))
    })
}

/// Lines of the page's top text that are looked at for a byline.
const BYLINE_SEARCH_LINES: usize = 20;

/// Authors from a byline line ("By A and B", "Prepared by C") among the
/// first lines of a page's text, for pages without author metadata.
pub fn byline_authors(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(BYLINE_SEARCH_LINES)
        .filter(|l| l.split_whitespace().count() <= 12)
        .filter(|l| after_byline_prefix(l).is_some())
        .map(split_names)
        .find(|names| !names.is_empty())
        .unwrap_or_default()
}

/// Splits a byline into names: "By A, B and C" -> [A, B, C].
pub fn split_names(byline: &str) -> Vec<String> {
    let text = clean_text(byline);
    let text = after_byline_prefix(&text).unwrap_or(&text);
    text.split([',', '&', ';', '|', '·', '•', '/'])
        .flat_map(|part| part.split(" and "))
        .map(|n| n.trim().trim_end_matches('.').trim().to_string())
        .filter(|n| looks_like_name(n))
        .collect()
}

/// Words of job titles and affiliations that follow names in bylines
/// ("Nigar Abbasova, Research Fellow"); a part holding one is not a name.
const ROLE_WORDS: &[&str] = &[
    "fellow",
    "editor",
    "correspondent",
    "director",
    "researcher",
    "analyst",
    "reporter",
    "professor",
    "programme",
    "program",
    "staff",
    "contributor",
    "writer",
    "journalist",
    "columnist",
    "chief",
    "senior",
    "associate",
    "intern",
    "department",
    "centre",
    "center",
    "institute",
    "university",
    "team",
    "desk",
    "newsroom",
];

fn looks_like_name(n: &str) -> bool {
    let words = n.split_whitespace().count();
    let role = n.split_whitespace().any(|w| {
        ROLE_WORDS.contains(
            &w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
    });
    !role
        && (1..=5).contains(&words)
        && n.chars().next().is_some_and(|c| c.is_alphabetic())
        && !n.chars().any(|c| c.is_ascii_digit())
}

fn published(doc: &Document, metas: &MetaTags, ld: &JsonLd) -> Option<DateTime<Utc>> {
    ld.published
        .as_deref()
        .and_then(dates::parse_timestamp)
        .or_else(|| {
            meta_date(
                metas,
                &[
                    "article:published_time",
                    "datePublished",
                    "og:published_time",
                    "publish-date",
                    "pubdate",
                    "date",
                    "dc.date",
                    "dc.date.issued",
                    "citation_publication_date",
                    "sailthru.date",
                ],
            )
        })
        .or_else(|| {
            doc.select("time[datetime]")
                .iter()
                .find_map(|t| t.attr("datetime").and_then(|d| dates::parse_timestamp(&d)))
        })
}

fn meta_date(metas: &MetaTags, names: &[&str]) -> Option<DateTime<Utc>> {
    names
        .iter()
        .find_map(|n| metas.first(n).and_then(|v| dates::parse_timestamp(&v)))
}

/// The elements that always feed the metadata, found in one walk of the
/// page: a CSS selection for each walks the whole page in turn.
#[derive(Default)]
struct Sources<'a> {
    /// `script[type='application/ld+json']`
    json_ld: Vec<NodeRef<'a>>,
    /// `meta[content]`
    metas: Vec<NodeRef<'a>>,
    /// The first `link[rel~=canonical][href]`.
    canonical: Option<NodeRef<'a>>,
    /// `lang` of the first `html[lang]`.
    lang: Option<String>,
}

impl<'a> Sources<'a> {
    fn find(doc: &'a Document) -> Sources<'a> {
        let mut found = Sources::default();
        for node in doc.root().descendants_it() {
            node.query_or((), |t| {
                if let NodeData::Element(el) = &t.data {
                    found.take(node, el);
                }
            });
        }
        found
    }

    /// Keeps `node` when it is one of the sources. Attribute values are
    /// compared as CSS does in HTML: `type` and `rel` ignoring ASCII case.
    fn take(&mut self, node: NodeRef<'a>, el: &Element) {
        let attr = |name| el.attr_ref(name);
        match el.name.local {
            local_name!("script")
                if attr(local_name!("type"))
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
            {
                self.json_ld.push(node)
            }
            local_name!("meta") if attr(local_name!("content")).is_some() => self.metas.push(node),
            local_name!("link")
                if self.canonical.is_none()
                    && attr(local_name!("href")).is_some()
                    && attr(local_name!("rel")).is_some_and(|rel| {
                        rel.split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    }) =>
            {
                self.canonical = Some(node)
            }
            local_name!("html") if self.lang.is_none() => {
                self.lang = attr(local_name!("lang")).map(str::to_string)
            }
            _ => {}
        }
    }
}

/// The page's `<meta>` tags, read once: each key (its name, property,
/// itemprop or http-equiv, lower-cased) with its content.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn read(metas: &[NodeRef]) -> MetaTags {
        let mut tags = Vec::new();
        for m in metas {
            let content = m
                .attr("content")
                .map(|c| clean_text(&c))
                .unwrap_or_default();
            if content.is_empty() {
                continue;
            }
            for attr in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(key) = m.attr(attr) {
                    tags.push((key.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        MetaTags(tags)
    }

    /// The content of the first tag with key `name`.
    fn first(&self, name: &str) -> Option<String> {
        self.all(name).into_iter().next()
    }

    /// The contents of all tags with key `name`, in page order.
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, content)| content.clone())
            .collect()
    }
}

fn first_text(doc: &Document, selector: &str) -> Option<String> {
    doc.select(selector)
        .iter()
        .map(|s| clean_text(&s.text()))
        .find(|t| !t.is_empty())
}

fn language(html_lang: Option<&str>, metas: &MetaTags) -> Option<String> {
    html_lang
        .and_then(normalise_lang)
        .or_else(|| {
            metas
                .first("content-language")
                .and_then(|l| normalise_lang(&l))
        })
        .or_else(|| metas.first("og:locale").and_then(|l| normalise_lang(&l)))
}

/// "en-US" -> "en", "pt_BR" -> "pt"; rejects values that are not language tags.
pub fn normalise_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Collapses whitespace and trims.
pub fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " — ", " – ", " :: ", " · ", " » ", " / "];

/// The short part after the headline in a "Headline | Site" title, taken
/// as the site name when nothing better names it.
fn title_suffix(title: &str) -> Option<String> {
    let title = clean_text(title);
    let headline = strip_site_suffix(&title, None);
    let rest = title.strip_prefix(headline.as_str())?.trim();
    let site = TITLE_SEPARATORS
        .iter()
        .find_map(|sep| rest.strip_prefix(sep.trim()))?
        .trim();
    (!site.is_empty() && site.split_whitespace().count() <= 5).then(|| site.to_string())
}

/// Removes a " | Site" style suffix (or prefix) from a page title: the
/// known site name when there is one, else a short part beside a longer one.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = clean_text(title);
    if let Some(stripped) = strip_known_site(&title, site) {
        return stripped;
    }
    TITLE_SEPARATORS
        .iter()
        .filter(|sep| **sep != " / ")
        .find_map(|sep| headline_beside_short_parts(&title, sep))
        .unwrap_or(title)
}

/// `title` without the known `site` name as its suffix or prefix.
fn strip_known_site(title: &str, site: Option<&str>) -> Option<String> {
    let site = site.map(str::trim).filter(|s| !s.is_empty())?;
    let title = clean_text(title);
    let lower = title.to_lowercase();
    let site_lower = site.to_lowercase();
    TITLE_SEPARATORS.iter().find_map(|sep| {
        let suffix = format!("{sep}{site_lower}");
        let prefix = format!("{site_lower}{sep}");
        if lower.len() > suffix.len() && lower.ends_with(&suffix) {
            let head = title.get(..title.len() - suffix.len())?;
            Some(strip_site_suffix(head, None))
        } else if lower.len() > prefix.len() && lower.starts_with(&prefix) {
            Some(title.get(prefix.len()..)?.trim().to_string())
        } else {
            None
        }
    })
}

/// The headline of "Headline | Site" or "Site | Headline": the one part
/// longer than all others when those are at most four words each.
fn headline_beside_short_parts(title: &str, sep: &str) -> Option<String> {
    let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
    if parts.len() < 2 {
        return None;
    }
    let short = |p: &&str| p.split_whitespace().count() <= 4;
    let (first, rest) = parts.split_first()?;
    if rest.iter().all(short) && rest.iter().all(|p| p.len() < first.len()) {
        return Some(first.to_string());
    }
    let (last, init) = parts.split_last()?;
    (init.iter().all(short) && init.iter().all(|p| p.len() < last.len())).then(|| last.to_string())
}

fn json_ld(scripts: &[NodeRef]) -> JsonLd {
    let mut out = JsonLd::default();
    for script in scripts {
        let text = script.text();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut nodes = Vec::new();
        collect_nodes(&value, &mut nodes, 0);
        for node in nodes.iter().filter(|n| is_article_type(n)) {
            fill_from_article(&mut out, node);
        }
        for node in &nodes {
            if out.publisher.is_none()
                && has_type(node, &["WebSite", "Organization", "NewsMediaOrganization"])
            {
                out.publisher = string_field(node, "name");
            }
        }
    }
    out
}

fn fill_from_article(out: &mut JsonLd, node: &Value) {
    out.headline = out
        .headline
        .take()
        .or_else(|| string_field(node, "headline"))
        .or_else(|| string_field(node, "name"));
    if out.authors.is_empty() {
        out.authors = names_of(node.get("author").or_else(|| node.get("creator")));
    }
    out.published = out
        .published
        .take()
        .or_else(|| string_field(node, "datePublished"))
        .or_else(|| string_field(node, "dateCreated"));
    out.modified = out
        .modified
        .take()
        .or_else(|| string_field(node, "dateModified"));
    out.publisher = out.publisher.take().or_else(|| {
        node.get("publisher")
            .and_then(|p| names_of(Some(p)).into_iter().next())
    });
    out.url = out
        .url
        .take()
        .or_else(|| string_field(node, "url"))
        .or_else(|| {
            node.get("mainEntityOfPage").and_then(|m| {
                m.as_str()
                    .map(str::to_string)
                    .or_else(|| string_field(m, "@id"))
            })
        });
    out.lang = out.lang.take().or_else(|| string_field(node, "inLanguage"));
    out.description = out
        .description
        .take()
        .or_else(|| string_field(node, "description"));
}

/// Flattens top-level arrays and `@graph` lists into the nodes they hold.
fn collect_nodes<'a>(value: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_nodes(v, out, depth + 1)),
        Value::Object(map) => {
            out.push(value);
            if let Some(graph) = map.get("@graph") {
                collect_nodes(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
    "LiveBlogPosting",
    "SocialMediaPosting",
];

fn is_article_type(node: &Value) -> bool {
    has_type(node, ARTICLE_TYPES)
}

fn has_type(node: &Value, types: &[&str]) -> bool {
    match node.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    }
}

fn string_field(node: &Value, key: &str) -> Option<String> {
    match node.get(key)? {
        Value::String(s) => Some(clean_text(s)).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|v| v.as_str().map(clean_text)),
        _ => None,
    }
}

/// Names from a JSON-LD person/organisation value: a string, an object with
/// `name`, or an array of either.
fn names_of(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => split_names(s),
        Some(Value::Object(_)) => value
            .and_then(|v| string_field(v, "name"))
            .map(|n| split_names(&n))
            .unwrap_or_default(),
        Some(Value::Array(items)) => items.iter().flat_map(|v| names_of(Some(v))).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> PageMeta {
        read(&Document::from(html))
    }

    #[test]
    fn source_walk_finds_what_its_css_selectors_find() {
        let page = r#"<html lang="de-AT"><head>
            <script type="Application/LD+JSON">{"headline":"a"}</script>
            <script type="text/javascript">x()</script><meta name="a" content="">
            <meta name="b"><link rel="canonical"><link rel="stylesheet Canonical" href="/one">
            <link rel="canonical" href="/two"></head><body><html lang="fr">
            <meta property="c" content="late"><script type="application/ld+json">{}</script>
            </body></html>"#;
        let doc = Document::from(page);
        let found = Sources::find(&doc);
        let ids = |nodes: &[NodeRef]| nodes.iter().map(|n| n.id).collect::<Vec<_>>();
        let css = |selector: &str| ids(doc.select(selector).nodes());
        assert_eq!(
            ids(&found.json_ld),
            css("script[type='application/ld+json']")
        );
        assert_eq!(ids(&found.metas), css("meta[content]"));
        let canonical = css("link[rel~=canonical][href]");
        assert_eq!(found.canonical.map(|n| n.id), canonical.first().copied());
        let lang = doc.select("html[lang]").attr("lang").map(|l| l.to_string());
        assert_eq!(found.lang, lang);
        assert_eq!((found.json_ld.len(), found.metas.len()), (2, 2));
        assert_eq!(
            found.canonical.and_then(|l| l.attr("href")).as_deref(),
            Some("/one")
        );
    }

    #[test]
    fn json_ld_wins_over_meta_tags() {
        let m = meta_of(
            r#"<html lang="en-GB"><head><title>Other | Site</title>
            <meta property="og:title" content="OG title">
            <meta name="author" content="Meta Author">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Graph Site"},
              {"@type":"NewsArticle","headline":"LD headline","datePublished":"2025-03-04T05:06:07Z",
               "author":[{"@type":"Person","name":"Ana Lima"},{"@type":"Person","name":"Ben Ode"}]}]}</script>
            </head><body><h1>H1</h1></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("LD headline"));
        assert_eq!(m.authors, ["Ana Lima", "Ben Ode"]);
        assert_eq!(
            m.published.unwrap().to_rfc3339(),
            "2025-03-04T05:06:07+00:00"
        );
        assert_eq!(m.site.as_deref(), Some("Graph Site"));
        assert_eq!(m.lang.as_deref(), Some("en"));
    }

    #[test]
    fn title_falls_back_to_title_tag_without_suffix() {
        let m = meta_of("<title>Gas flows through the Caspian | Eurasia Wire</title>");
        assert_eq!(m.title.as_deref(), Some("Gas flows through the Caspian"));
        let m = meta_of(
            r#"<meta property="og:site_name" content="BSPI"><title>BSPI - Grain corridor</title>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Grain corridor"));
    }

    #[test]
    fn og_and_meta_tags() {
        let m = meta_of(
            r#"<head><meta property="og:title" content="Ports of Poti">
            <meta property="og:site_name" content="Caucasus Notes">
            <meta property="article:published_time" content="2024-05-06T07:00:00+02:00">
            <meta name="author" content="Nino Beridze and Levan Kapanadze">
            <link rel="canonical" href="https://example.org/poti"></head>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Ports of Poti"));
        assert_eq!(m.authors, ["Nino Beridze", "Levan Kapanadze"]);
        assert_eq!(
            m.published.unwrap().to_rfc3339(),
            "2024-05-06T05:00:00+00:00"
        );
        assert_eq!(m.url.as_deref(), Some("https://example.org/poti"));
        assert_eq!(m.site.as_deref(), Some("Caucasus Notes"));
    }

    #[test]
    fn time_element_and_rel_author() {
        let m = meta_of(
            r#"<article><h1>Title here</h1><a rel="author" href="/a/x">Sara Kim</a>
            <time datetime="2025-01-02">2 Jan</time></article>"#,
        );
        assert_eq!(m.authors, ["Sara Kim"]);
        assert_eq!(m.published.unwrap().format("%F").to_string(), "2025-01-02");
        assert_eq!(m.title.as_deref(), Some("Title here"));
    }

    #[test]
    fn site_falls_back_to_url_host() {
        let m =
            meta_of(r#"<link rel="canonical" href="https://www.caspianresearch.org/r/1.html">"#);
        assert_eq!(m.site.as_deref(), Some("caspianresearch.org"));
    }

    #[test]
    fn site_falls_back_to_title_suffix() {
        let m = meta_of(
            "<title>Winter Power and the Toktogul Reservoir - Caspian Research Centre</title>",
        );
        assert_eq!(m.site.as_deref(), Some("Caspian Research Centre"));
        assert_eq!(
            m.title.as_deref(),
            Some("Winter Power and the Toktogul Reservoir")
        );
    }

    #[test]
    fn byline_lines_in_text() {
        let text =
            "Home\n\nWinter Power\n\nPrepared by: Bakyt Osmonaliev and Ann Lee\n\nBody text.";
        assert_eq!(byline_authors(text), ["Bakyt Osmonaliev", "Ann Lee"]);
        assert!(byline_authors(
            "By the end of the year, volumes through the port doubled as expected by analysts."
        )
        .is_empty());
    }

    #[test]
    fn bylines_split_into_names() {
        assert_eq!(
            split_names("By Anna Petrova, Ilya Sorokin and Dana Ayan"),
            ["Anna Petrova", "Ilya Sorokin", "Dana Ayan"]
        );
        assert!(split_names("Published 12.11.2025").is_empty());
        assert_eq!(
            split_names("Prepared by: Nigar Abbasova, Research Fellow"),
            ["Nigar Abbasova"]
        );
    }

    #[test]
    fn malformed_json_ld_is_ignored() {
        let m = meta_of(
            r#"<script type="application/ld+json">{"@type": "Article", "headline": </script><title>Fallback title words</title>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Fallback title words"));
    }
}
