//! Chrome removal before the main-content search: elements that are page
//! furniture by their tag (navigation, forms, footers), their ARIA role, or
//! the words in their class, id or data-hook (share bars, cookie banners,
//! comment sections, related-post boxes...). These rules are about how
//! sites in general name their widgets, never about one site.
//!
//! A removal is refused when the element plainly holds the article: it is or
//! contains `<article>`, `<main>`, `itemprop=articleBody` or an `<h1>`, or
//! most of the page's text. That keeps a badly named wrapper
//! (`<div class="content-with-sidebar">`) from taking the article with it.

use std::collections::HashSet;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use dom_query::{local_name, Document, Element, LocalName, NodeData, NodeId, NodeRef};

/// Tags that never hold article text.
fn is_always_chrome_tag(tag: &LocalName) -> bool {
    matches!(
        *tag,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("canvas")
            | local_name!("button")
            | local_name!("select")
            | local_name!("textarea")
            | local_name!("input")
            | local_name!("dialog")
    )
}

/// Tags that are usually page furniture, removed unless they hold the article.
fn is_furniture_tag(tag: &LocalName) -> bool {
    matches!(
        *tag,
        local_name!("nav")
            | local_name!("aside")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("header")
            | local_name!("menu")
    )
}

/// ARIA roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];

/// Words that, as a whole token of a class, id or data-hook, mark a widget.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "header",
    "masthead",
    "sidebar",
    "widget",
    "widgets",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "share",
    "sharing",
    "social",
    "sharedaddy",
    "addthis",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "related",
    "recommended",
    "recommendations",
    "comment",
    "comments",
    "disqus",
    "respond",
    "advert",
    "advertisement",
    "advertising",
    "ad",
    "ads",
    "adslot",
    "dfp",
    "sponsor",
    "sponsored",
    "promo",
    "popup",
    "modal",
    "overlay",
    "byline",
    "toolbar",
    "paywall",
    "outbrain",
    "taboola",
    "tags",
    "tagcloud",
    "pagination",
    "pager",
    "meta",
    "author",
    "bio",
    "avatar",
    "follow",
    "likes",
    "claps",
    "reactions",
    "login",
    "signin",
    "search",
    "categories",
    "archives",
    "recent",
    "trending",
    "popular",
    "cta",
    "donate",
    "print",
    "skip",
];

/// Multi-word markers, matched inside the whole attribute text.
const CHROME_PHRASES: &[&str] = &[
    "read-more",
    "readmore",
    "more-from",
    "most-read",
    "mostread",
    "most-popular",
    "you-may-like",
    "top-of-page",
    "bottom-of-page",
    "screen-reader",
    "sr-only",
    "visually-hidden",
    "post-tags",
    "tag-cloud",
    "author-box",
    "about-author",
];

/// Words that mark an element as a content container; a name holding one
/// of these is never taken as a widget ("entry-content-read-more",
/// "l-article-body-segment").
const CONTENT_WORDS: &[&str] = &[
    "article", "body", "content", "entry", "main", "story", "text", "column", "embed",
];

/// Whether `el` is an image caption or credit: `figcaption,
/// [class~=caption], [class~=wp-caption-text], [class*=credit],
/// [itemprop=caption]`. The benchmark's hand-labelled bodies leave them
/// out, and they repeat the alt text when a page has both.
fn is_caption(el: &Element) -> bool {
    let class = el.attr_ref(local_name!("class")).unwrap_or_default();
    el.name.local == local_name!("figcaption")
        || class
            .split_ascii_whitespace()
            .any(|name| name == "caption" || name == "wp-caption-text")
        || class.contains("credit")
        || el.attr_ref(local_name!("itemprop")) == Some("caption")
}

/// Whether `el` holds the article: `article, main, [itemprop=articleBody]`.
pub(super) fn is_article_container(el: &Element) -> bool {
    is_article_tag(el) || el.name.local == local_name!("main") || is_article_body(el)
}

/// What chrome removal needs from the whole page, found in one walk:
/// trying CSS selectors one by one on every element cost more than the
/// removal itself.
#[derive(Default)]
struct Landmarks<'a> {
    /// Elements that never hold article text, by tag, and image captions;
    /// the outermost ones only.
    unwanted: Vec<NodeRef<'a>>,
    /// The first `<body>` outside them.
    body: Option<NodeRef<'a>>,
    /// Elements outside them that mark where the article is: containers
    /// and `<h1>`.
    markers: Vec<NodeRef<'a>>,
}

/// The part an element plays in `Landmarks`.
enum Landmark {
    Unwanted,
    Body,
    Marker,
    Other,
}

fn find_landmarks(doc: &Document) -> Landmarks<'_> {
    let mut found = Landmarks::default();
    let mut pending = vec![doc.root()];
    while let Some(node) = pending.pop() {
        let landmark = node.query_or(Landmark::Other, |t| match &t.data {
            NodeData::Element(el) => landmark_of(el),
            _ => Landmark::Other,
        });
        match landmark {
            Landmark::Unwanted => {
                found.unwanted.push(node);
                continue;
            }
            Landmark::Body if found.body.is_none() => found.body = Some(node),
            Landmark::Marker => found.markers.push(node),
            Landmark::Body | Landmark::Other => {}
        }
        pending.extend(node.children_it(true).filter(NodeRef::is_element));
    }
    found
}

fn landmark_of(el: &Element) -> Landmark {
    let tag = &el.name.local;
    if is_always_chrome_tag(tag) || is_caption(el) {
        Landmark::Unwanted
    } else if *tag == local_name!("body") {
        Landmark::Body
    } else if *tag == local_name!("h1") || is_article_container(el) {
        Landmark::Marker
    } else {
        Landmark::Other
    }
}

/// `CHROME_PHRASES` as one pattern, compiled once.
static CHROME_PHRASE_PATTERN: LazyLock<regex::Regex> = LazyLock::new(|| {
    let escaped: Vec<String> = CHROME_PHRASES.iter().map(|p| regex::escape(p)).collect();
    regex::Regex::new(&escaped.join("|")).expect("valid pattern")
});

/// Removes page furniture from `doc` in place. `unread_text` is the text
/// the parser was spared (see `guard::Survey`), counted as the page's.
/// Returns the article when the page marks it plainly (see
/// [`marked_article`]).
pub fn remove_chrome(doc: &Document, unread_text: usize) -> Option<NodeRef<'_>> {
    let landmarks = find_landmarks(doc);
    for node in &landmarks.unwanted {
        node.remove_from_parent();
    }
    let body = landmarks.body?;
    let mut lens = text_lens_within(&body);
    let body_len = lens[&body.id] + unread_text;
    let article_holders = article_holders(&landmarks.markers);
    // A doomed block goes with everything inside it, so its descendants
    // are not judged (comment threads nest many widgets).
    let mut doomed = Vec::new();
    let mut pending: Vec<NodeRef> = body.children_it(true).collect();
    while let Some(node) = pending.pop() {
        if node.is_element()
            && is_furniture(&node)
            && !article_holders.contains(&node.id)
            && lens[&node.id] * 5 <= body_len * 3
        {
            doomed.push(node);
        } else {
            pending.extend(node.children_it(true));
        }
    }
    // The text lengths of what stays are kept true for the article's
    // choice: a removed block's text is taken from each of its ancestors.
    for node in doomed {
        let removed = lens[&node.id];
        for ancestor in node.ancestors_it(None) {
            if let Some(len) = lens.get_mut(&ancestor.id) {
                *len -= removed;
            }
        }
        node.remove_from_parent();
    }
    marked_article(&landmarks.markers, &lens, lens[&body.id])
}

/// Least share of the cleaned page's text, in percent, that a marked
/// article holds: less, and the marker may be a teaser or a card.
const MARKED_ARTICLE_SHARE: usize = 70;

/// Least share of an element's text, in percent, that one of its children
/// holds for the article to be that child: the wrapper of the article's
/// paragraphs, without the header block beside it (headline, standfirst,
/// byline).
const BODY_WRAPPER_SHARE: usize = 85;

/// The article, when the page marks it plainly: its one element with
/// `itemprop=articleBody`, else its one `<article>`, holding most of the
/// cleaned page's text; narrowed, child by child, to the element that
/// wraps nearly all of that text. Such a page needs no Readability
/// scoring, which would pick the same element at several times the cost.
fn marked_article<'a>(
    markers: &[NodeRef<'a>],
    lens: &FxHashMap<NodeId, usize>,
    page_len: usize,
) -> Option<NodeRef<'a>> {
    let only = |is: fn(&Element) -> bool| {
        let mut found = markers.iter().filter(|m| {
            m.query_or(
                false,
                |t| matches!(&t.data, NodeData::Element(el) if is(el)),
            )
        });
        let first = found.next()?;
        found.next().is_none().then_some(*first)
    };
    let mut article = only(is_article_body).or_else(|| only(is_article_tag))?;
    let mut len = lens[&article.id];
    if len == 0 || len * 100 < page_len * MARKED_ARTICLE_SHARE {
        return None;
    }
    // At most one child can hold the wrapper's share of its parent's text.
    while let Some(child) = article
        .element_children()
        .into_iter()
        .find(|child| lens[&child.id] * 100 >= len * BODY_WRAPPER_SHARE)
    {
        article = child;
        len = lens[&child.id];
    }
    Some(article)
}

/// The bytes of words in each node of `root`'s subtree, `root` included,
/// from one walk that reads each text once: measuring each candidate
/// element anew read a page's text once per level of nesting, 500 times
/// over for a page nested 500 deep.
fn text_lens_within(root: &NodeRef) -> FxHashMap<NodeId, usize> {
    let mut lens = FxHashMap::default();
    let mut pending = vec![(*root, false)];
    while let Some((node, children_done)) = pending.pop() {
        if children_done {
            let children: usize = node.children_it(false).map(|c| lens[&c.id]).sum();
            lens.insert(node.id, own_text_len(&node) + children);
        } else {
            pending.push((node, true));
            pending.extend(node.children_it(false).map(|c| (c, false)));
        }
    }
    lens
}

fn is_article_body(el: &Element) -> bool {
    el.attr_ref(local_name!("itemprop")) == Some("articleBody")
}

fn is_article_tag(el: &Element) -> bool {
    el.name.local == local_name!("article")
}

/// Blocks whose text is mostly link text are lists of other pages
/// (related stories, tables of contents, tag lists), not article prose.
const LINK_DENSITY_LIMIT: f64 = 0.6;

/// Elements judged by link density, innermost first.
fn is_link_block(tag: &LocalName) -> bool {
    matches!(
        *tag,
        local_name!("p")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("dl")
            | local_name!("div")
            | local_name!("section")
            | local_name!("table")
    )
}

/// Removes link-dense blocks from an extracted article, innermost first, so
/// that a block's link density counts only what is left inside it. One
/// pass from the last node back to `root` weighs each node from its
/// children's weights: measuring every block's text anew cost as many
/// walks of a wrapper's text as it had wrapping blocks.
pub fn remove_link_lists(root: &NodeRef) {
    let nodes = in_document_order(root);
    // Per node: the length of its text and of the text of links in it.
    let mut weights = vec![(0usize, 0usize); nodes.len()];
    for (at, &(node, parent)) in nodes.iter().enumerate().rev() {
        let (text, linked) = weights[at];
        let text = text + own_text_len(&node);
        let Some(parent) = parent else {
            break;
        };
        let tag = tag(&node);
        if tag.as_ref().is_some_and(is_link_block)
            && text > 0
            && linked as f64 > text as f64 * LINK_DENSITY_LIMIT
        {
            node.remove_from_parent();
            continue;
        }
        let link_text = if tag == Some(local_name!("a")) {
            text
        } else {
            0
        };
        weights[parent].0 += text;
        weights[parent].1 += linked + link_text;
    }
}

/// `root` and every node under it in document order, each with the index
/// of its parent (none for `root`).
fn in_document_order<'a>(root: &NodeRef<'a>) -> Vec<(NodeRef<'a>, Option<usize>)> {
    let mut nodes = Vec::new();
    let mut pending = vec![(*root, None)];
    while let Some((node, parent)) = pending.pop() {
        let at = nodes.len();
        nodes.push((node, parent));
        pending.extend(node.children_it(true).map(|child| (child, Some(at))));
    }
    nodes
}

fn is_furniture(node: &NodeRef) -> bool {
    if tag(node).is_some_and(|t| is_furniture_tag(&t)) || is_hidden(node) {
        return true;
    }
    if node
        .attr("role")
        .is_some_and(|r| FURNITURE_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    let names = [node.attr("class"), node.id_attr(), node.attr("data-hook")]
        .into_iter()
        .flatten()
        .map(|v| v.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    names_mark_chrome(&names)
}

/// True when class/id text names a widget. Each whitespace-separated name
/// is read on its own, its last significant word deciding ("article-comments"
/// is comments, "comments-content" is content); an element is a widget when
/// one of its names is a widget name and none is a content name, so
/// "entry-content entry-content-read-more" stays.
pub fn names_mark_chrome(names: &str) -> bool {
    let mut chrome = false;
    for name in names.split_whitespace() {
        match classify_name(name) {
            NameKind::Content => return false,
            NameKind::Chrome => chrome = true,
            NameKind::Neutral => {}
        }
    }
    chrome
}

#[derive(Debug, PartialEq, Eq)]
enum NameKind {
    Content,
    Chrome,
    Neutral,
}

fn classify_name(name: &str) -> NameKind {
    let mut last_chrome = None;
    let mut last_content = None;
    let mut offset = 0;
    for token in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        if CHROME_WORDS.contains(&token) {
            last_chrome = Some(offset);
        } else if CONTENT_WORDS.contains(&token) {
            last_content = Some(offset);
        }
        offset += token.len() + 1;
    }
    if let Some(at) = CHROME_PHRASE_PATTERN
        .find_iter(name)
        .last()
        .map(|m| m.start())
    {
        last_chrome = last_chrome.max(Some(at));
    }
    match (last_chrome, last_content) {
        (Some(ch), Some(co)) if co > ch => NameKind::Content,
        (Some(_), _) => NameKind::Chrome,
        (None, Some(_)) => NameKind::Content,
        (None, None) => NameKind::Neutral,
    }
}

fn is_hidden(node: &NodeRef) -> bool {
    node.has_attr("hidden")
        || node.attr("aria-hidden").is_some_and(|v| v.trim() == "true")
        || node.attr("style").is_some_and(|s| {
            let s: String = s.to_ascii_lowercase().split_whitespace().collect();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// Elements that hold the article are never removed, whatever their names.
/// The article markers (`<article>`, `<main>`, `itemprop=articleBody`,
/// `<h1>`) and all their ancestors: elements that must never be removed.
fn article_holders(markers: &[NodeRef]) -> HashSet<NodeId> {
    let mut holders = HashSet::new();
    for marker in markers {
        holders.insert(marker.id);
        for ancestor in marker.ancestors_it(None) {
            if !holders.insert(ancestor.id) {
                break;
            }
        }
    }
    holders
}

/// The element's tag name; the parser lower-cases those of HTML elements.
fn tag(node: &NodeRef) -> Option<LocalName> {
    node.query_or(None, |t| match &t.data {
        NodeData::Element(el) => Some(el.name.local.clone()),
        _ => None,
    })
}

/// The bytes of the words of `node` when it is a text node, else 0.
fn own_text_len(node: &NodeRef) -> usize {
    node.query_or(0, |t| match &t.data {
        NodeData::Text { contents } => word_bytes(contents),
        _ => 0,
    })
}

/// The bytes of `text` outside white space, counted a vector of bytes at
/// a time: ASCII white space (tab to carriage return, and space) by its
/// bytes, and the rare white space beyond ASCII by decoding characters
/// only in text holding one of their lead bytes.
fn word_bytes(text: &str) -> usize {
    let bytes = text.as_bytes();
    let ascii_spaces = bytes
        .iter()
        .filter(|b| matches!(b, b'\t'..=b'\r' | b' '))
        .count();
    let other_spaces: usize = if bytes.iter().any(|b| is_space_lead_byte(*b)) {
        text.chars()
            .filter(|c| !c.is_ascii() && c.is_whitespace())
            .map(char::len_utf8)
            .sum()
    } else {
        0
    };
    text.len() - ascii_spaces - other_spaces
}

/// Whether `b` starts a white space character beyond ASCII in UTF-8:
/// U+0085 and U+00A0 (0xC2), U+1680 (0xE1), U+2000 to U+205F (0xE2) and
/// U+3000 (0xE3).
fn is_space_lead_byte(b: u8) -> bool {
    matches!(b, 0xC2 | 0xE1..=0xE3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned_text(html: &str) -> String {
        let doc = Document::from(html);
        remove_chrome(&doc, 0);
        doc.select("body")
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn landmark_walk_finds_what_its_css_selectors_find() {
        let page = r#"<html><body><svg><h1>in svg</h1></svg><figure><img alt=x>
            <figcaption>cap</figcaption></figure><div class="wp-caption-text x">c1</div>
            <div class="captions">kept</div><p class="photo-credits">c2</p>
            <span itemprop="caption">c3</span><span itemprop="Caption">kept2</span>
            <template><h1>t</h1></template><main><article><h1>Head</h1>
            <div itemprop="articleBody">text</div></article></main><button>b</button>
            <p class="Caption">kept3</p><div class="a	caption">c4</div></body></html>"#;
        let by_css = Document::from(page);
        by_css
            .select("script, style, noscript, template, svg, iframe, object, embed, canvas, button, select, textarea, input, dialog")
            .remove();
        by_css
            .select("figcaption, [class~=caption], [class~=wp-caption-text], [class*=credit], [itemprop=caption]")
            .remove();
        let markers = by_css.select("article, main, [itemprop=articleBody], h1");
        let by_walk = Document::from(page);
        let landmarks = find_landmarks(&by_walk);
        for node in &landmarks.unwanted {
            node.remove_from_parent();
        }
        assert_eq!(by_walk.html(), by_css.html());
        let texts = |nodes: &[NodeRef]| nodes.iter().map(|n| n.text()).collect::<Vec<_>>();
        assert_eq!(texts(&landmarks.markers), texts(markers.nodes()));
        assert_eq!(landmarks.markers.len(), 5, "an <h1> breaks out of <svg>");
        assert!(landmarks.body.is_some());
    }

    #[test]
    fn ascii_and_other_text_count_the_same_white_space() {
        let ascii = " a\tb\nc\x0Bd\x0Ce\rf  ";
        assert_eq!(word_bytes(ascii), 6);
        assert_eq!(word_bytes(&format!("{ascii}\u{a0}é")), 8);
        let every_char = (0..=0x3000u32).filter_map(char::from_u32);
        for c in every_char {
            let one = c.to_string();
            let expected = if c.is_whitespace() { 0 } else { one.len() };
            assert_eq!(word_bytes(&one), expected, "{c:?}");
        }
    }

    #[test]
    fn text_lens_count_the_bytes_of_words_of_every_node() {
        let html = "<body><article><div id=x>ab <span>c\u{a0}d</span>\n é<!-- note --><b>ﬁn</b></div><p>e <i>f</i></p></article></body>";
        let doc = Document::from(html);
        let article = doc.select("article").nodes().first().copied().unwrap();
        let div = doc.select("#x").nodes().first().copied().unwrap();
        let lens = text_lens_within(&article);
        assert_eq!(lens[&div.id], 2 + 1 + 1 + 2 + 4);
        let nodes: Vec<NodeRef> = std::iter::once(article)
            .chain(article.descendants_it())
            .collect();
        assert_eq!(lens.len(), nodes.len());
        for node in nodes {
            let joined: usize = node.text().split_whitespace().map(str::len).sum();
            assert_eq!(lens[&node.id], joined);
        }
    }

    /// The text of the article `remove_chrome` finds marked in `html`.
    fn marked_text(html: &str) -> Option<String> {
        let doc = Document::from(html);
        let marked = remove_chrome(&doc, 0)?;
        Some(
            marked
                .text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    const PARA: &str = "The ferry line between Turkmenbashi and Baku carried more trucks this year than in any year before the pandemic, and the port has ordered two new vessels.";

    #[test]
    fn a_marked_article_is_narrowed_to_the_wrapper_of_its_paragraphs() {
        let html = format!(
            r#"<body><nav><a href="/">Home</a></nav><article><div class="hero"><h1>Ferries on the Caspian</h1>
            <p class="dek">Why the trucks came back.</p></div>
            <div class="entry"><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></div></article></body>"#
        );
        assert_eq!(marked_text(&html), Some(PARA.repeat(3)));
    }

    #[test]
    fn an_article_body_property_is_preferred_to_the_article_tag() {
        let html = format!(
            r#"<body><article><h1>Ferries</h1><p>{PARA}</p><div itemprop="articleBody"><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></div></article></body>"#
        );
        assert_eq!(marked_text(&html), Some(PARA.repeat(4)));
    }

    #[test]
    fn several_articles_or_a_small_one_mark_nothing() {
        let cards = format!(
            "<body><article><p>{PARA}</p></article><article><p>{PARA}</p></article></body>"
        );
        assert_eq!(marked_text(&cards), None);
        let teaser = format!(
            "<body><div><p>{PARA}</p><p>{PARA}</p></div><article><p>{PARA}</p></article></body>"
        );
        assert_eq!(marked_text(&teaser), None);
    }

    #[test]
    fn widget_names_are_tokens_not_substrings() {
        assert!(names_mark_chrome("entry-comments"));
        assert!(names_mark_chrome("share-buttons wp-block"));
        assert!(names_mark_chrome("related_posts"));
        assert!(!names_mark_chrome("commentary-body"));
        assert!(!names_mark_chrome("shadow"));
        assert!(!names_mark_chrome("article-content"));
        assert!(!names_mark_chrome("entry-content entry-content-read-more"));
        assert!(!names_mark_chrome("l-sidebar-fixed l-article-body-segment"));
        assert!(names_mark_chrome("article-comments"));
        assert!(names_mark_chrome("entry-meta"));
        assert!(!names_mark_chrome("post-content"));
    }

    #[test]
    fn removes_widgets_and_keeps_article() {
        let text = cleaned_text(
            r#"<body><nav>Home About</nav><div class="cookie-banner">We use cookies</div>
            <div class="content-with-sidebar"><article><h1>Title</h1>
            <p>Real words of the piece.</p>
            <div class="share-bar">Share on X</div></article>
            <div id="comments">Leave a reply</div></div><footer>© 2025</footer></body>"#,
        );
        assert_eq!(text, "Title Real words of the piece.");
    }

    #[test]
    fn a_wrapper_holding_most_text_survives_a_bad_name() {
        let words = "word ".repeat(200);
        let text = cleaned_text(&format!(
            r#"<body><div class="sidebar-layout"><p>{words}</p></div><div class="menu">x</div></body>"#
        ));
        assert!(text.starts_with("word word"));
        assert!(!text.contains('x'));
    }

    #[test]
    fn link_lists_go_and_prose_with_links_stays() {
        let doc = Document::fragment(
            r#"<div><p>Prose that mentions <a href="/a">one link</a> among many other words of the article.</p>
            <ul><li><a href="/1">Another story</a></li><li><a href="/2">And another one</a></li></ul></div>"#,
        );
        remove_link_lists(&doc.root());
        let text = doc.root().text();
        assert!(text.contains("Prose that mentions one link"));
        assert!(!text.contains("Another story"));
    }

    #[test]
    fn a_block_is_weighed_without_the_link_lists_removed_inside_it() {
        // The section's links outweigh its prose until its list is gone;
        // the wrapper's own link is counted once, with nested links.
        let doc = Document::fragment(
            r#"<div><section><p>Short prose, <a href="/x">one link</a>.</p>
            <ul><li><a href="/1">Another story here</a></li><li><a href="/2">And yet another story</a></li></ul></section>
            <div><a href="/3">Read <b>all</b> of it</a> now</div></div>"#,
        );
        remove_link_lists(&doc.root());
        let text = doc.root().text();
        assert!(text.contains("Short prose, one link."));
        assert!(!text.contains("Another story"));
        assert!(!text.contains("Read all of it"));
    }

    #[test]
    fn hidden_elements_go() {
        let text = cleaned_text(
            r#"<body><p>kept</p><p style="display: none">gone</p><p hidden>gone too</p></body>"#,
        );
        assert_eq!(text, "kept");
    }
}
