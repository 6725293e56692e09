//! Protection against pages that would make a DOM parser slow: html5ever's
//! tree building is quadratic in nesting depth, so a 100 KB page of 20,000
//! nested lists can take seconds. A single linear pass over the tags
//! estimates the depth first; pages deeper than the limit skip the DOM and
//! are reduced to text by `plain_text`, also linear. The same pass finds
//! what the parser need not read because chrome removal drops it unread:
//! the bodies of scripts and style sheets, often most of a saved page's
//! bytes, and the content of navigation, asides, headers and footers that
//! hold nothing read before chrome removal (metadata, date and byline
//! hints) and nothing that marks the article.

use memchr::{memchr, memmem};
use std::borrow::Cow;
use std::ops::Range;

use super::{holds_any, HINT_CLASS_WORDS, HINT_HOOK_WORDS};

/// Elements that never have children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that a new sibling of the same name closes implicitly.
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

/// Elements whose content is raw text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// How far up the open-element stack an end tag is matched; a stray end tag
/// deeper than this is ignored, which keeps the pass linear.
const END_TAG_SEARCH: usize = 64;

/// One tag found by the scanner.
enum Tag<'a> {
    Open { name: &'a str, self_closing: bool },
    Close { name: &'a str },
    Comment,
}

/// Iterates over the start and end tags and the comments of `html`,
/// skipping doctypes and the content of raw-text elements.
struct TagScanner<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> TagScanner<'a> {
    fn new(html: &'a str) -> Self {
        TagScanner { html, pos: 0 }
    }

    /// Skips past the end tag of raw-text element `name`.
    fn skip_raw_text(&mut self, name: &str) {
        let bytes = self.html.as_bytes();
        let name = name.as_bytes();
        let from = self.pos;
        self.pos = memmem::find_iter(&bytes[from..], b"</")
            .map(|i| from + i)
            .find(|at| {
                let tag = bytes.get(at + 2..at + 2 + name.len());
                tag.is_some_and(|t| t.eq_ignore_ascii_case(name))
            })
            .unwrap_or(bytes.len());
    }
}

impl<'a> Iterator for TagScanner<'a> {
    type Item = (usize, Tag<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.html.as_bytes();
        loop {
            let lt = self.pos + memchr(b'<', &bytes[self.pos..])?;
            let start = lt;
            self.pos = lt + 1;
            let rest = &bytes[self.pos..];
            if rest.starts_with(b"!--") {
                self.pos += memmem::find(rest, b"-->").map_or(rest.len(), |i| i + 3);
                return Some((start, Tag::Comment));
            }
            let closing = rest.first() == Some(&b'/');
            let name_start = self.pos + usize::from(closing);
            let name_len = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
                .count();
            if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
                continue;
            }
            let name = &self.html[name_start..name_start + name_len];
            let gt = memchr(b'>', &bytes[name_start..]).map(|i| name_start + i);
            self.pos = gt.map_or(bytes.len(), |i| i + 1);
            let self_closing = gt.is_some_and(|i| i > 0 && bytes[i - 1] == b'/');
            let tag = if closing {
                Tag::Close { name }
            } else {
                Tag::Open { name, self_closing }
            };
            return Some((start, tag));
        }
    }
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Furniture elements whose content the parser is spared when nothing in
/// it is read: chrome removal drops such an element whole, so only the
/// empty element is parsed. Forms and menus are parsed as written, since
/// the tree builder treats forms specially.
const SPARED_FURNITURE: &[&str] = &["nav", "aside", "footer", "header"];

/// Elements that, inside furniture, are read before chrome removal
/// (metadata, date hints) or keep it from being removed (article markers),
/// or whose start tag changes elements outside it (`<html>`, `<body>`).
const READ_INSIDE: &[&str] = &[
    "h1", "article", "main", "time", "meta", "link", "html", "head", "body",
];

/// Elements that, left open when their furniture closes, change what
/// follows it: the parser reopens formatting elements, and an open form
/// swallows the next.
const LINGERING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u", "form",
];

/// Spared furniture may hold at most this share of the page's text:
/// chrome removal keeps an element holding three fifths of it, and the
/// share is estimated here from the markup, so with a margin.
const SPARED_TEXT_SHARE: (usize, usize) = (2, 5);

/// What one linear pass over a page's tags learns before the page is parsed.
pub struct Survey {
    /// Estimated maximum element nesting depth; counting stops once it
    /// exceeds the limit.
    pub depth: usize,
    /// Byte ranges, in order, that no later stage reads: script and style
    /// sheet bodies, and the content of spared furniture.
    unread: Vec<Range<usize>>,
    /// Estimated bytes of non-space text in the spared furniture, which
    /// chrome removal counts as part of the page's text.
    pub unread_text: usize,
}

/// A spared furniture candidate whose end tag has not been seen yet.
struct OpenFurniture<'a> {
    name: &'a str,
    /// Its place in the open-element stack.
    level: usize,
    /// Where its content starts.
    content: usize,
    /// Estimated bytes of non-space text in it.
    text: usize,
    /// Whether something in it is read, so it must be parsed.
    read: bool,
}

/// Surveys `html` in one linear pass: its nesting depth, stopping early once
/// `limit` is exceeded, where its code lies and which furniture nothing
/// reads.
pub fn survey(html: &str, limit: usize) -> Survey {
    let mut surveyor = Surveyor::new(html);
    let mut scanner = TagScanner::new(html);
    let mut text_from = 0;
    while let Some((start, tag)) = scanner.next() {
        surveyor.text(&html[text_from.min(start)..start]);
        match tag {
            Tag::Comment => {}
            Tag::Open { name, self_closing } => {
                let open_tag = &html[start..scanner.pos];
                surveyor.inside_furniture(|| is_read_inside(name, open_tag));
                if let Some(raw) = known_name(RAW_TEXT, name) {
                    let body_start = scanner.pos;
                    scanner.skip_raw_text(raw);
                    surveyor.raw_text(raw, open_tag, body_start..scanner.pos);
                } else if !self_closing && known_name(VOID, name).is_none() {
                    surveyor.open(name, scanner.pos);
                    if surveyor.depth > limit {
                        return surveyor.too_deep();
                    }
                }
            }
            Tag::Close { name } => surveyor.close(name, start),
        }
        text_from = scanner.pos;
    }
    surveyor.finish()
}

/// The state of a survey between two tags.
struct Surveyor<'a> {
    html: &'a str,
    /// Names of the open elements, outermost first.
    stack: Vec<&'a str>,
    depth: usize,
    code: Vec<Range<usize>>,
    furniture: Option<OpenFurniture<'a>>,
    /// Content ranges of closed furniture that nothing reads, with their
    /// estimated text.
    spared: Vec<(Range<usize>, usize)>,
    /// Estimated bytes of non-space text in the whole page.
    page_text: usize,
}

impl<'a> Surveyor<'a> {
    fn new(html: &'a str) -> Self {
        Surveyor {
            html,
            stack: Vec::new(),
            depth: 0,
            code: Vec::new(),
            furniture: None,
            spared: Vec::new(),
            page_text: 0,
        }
    }

    fn text(&mut self, raw: &str) {
        let text = visible_bytes(raw);
        self.page_text += text;
        if let Some(open) = &mut self.furniture {
            open.text += text;
        }
    }

    /// Marks the open furniture as read when `is_read` says so; asked only
    /// inside furniture.
    fn inside_furniture(&mut self, is_read: impl FnOnce() -> bool) {
        if let Some(open) = &mut self.furniture {
            open.read = open.read || is_read();
        }
    }

    /// Records the body of a raw-text element: code nothing reads is
    /// dropped, and anything else makes the furniture around it read.
    fn raw_text(&mut self, name: &str, open_tag: &str, body: Range<usize>) {
        let unread = is_unread_code(self.html, name, open_tag, body.clone());
        let clean_end = ends_cleanly(self.html, name, &body);
        self.inside_furniture(|| !clean_end || (name == "script" && !unread));
        if unread {
            self.code.push(body);
        }
    }

    /// Opens element `name` whose content starts at `content`.
    fn open(&mut self, name: &'a str, content: usize) {
        let closes_sibling = self
            .stack
            .last()
            .is_some_and(|open| open.eq_ignore_ascii_case(name));
        if closes_sibling && known_name(SELF_CLOSING_SIBLINGS, name).is_some() {
            self.stack.pop();
        }
        if self.furniture.is_none() && known_name(SPARED_FURNITURE, name).is_some() {
            self.furniture = Some(OpenFurniture {
                name,
                level: self.stack.len(),
                content,
                text: 0,
                read: false,
            });
        }
        self.stack.push(name);
        self.depth = self.depth.max(self.stack.len());
    }

    /// Closes the innermost open element `name` (and those inside it) for
    /// an end tag at `at`; an end tag with no such element is ignored.
    fn close(&mut self, name: &str, at: usize) {
        let window = self.stack.len().saturating_sub(END_TAG_SEARCH);
        let Some(i) = self.stack[window..]
            .iter()
            .rposition(|open| open.eq_ignore_ascii_case(name))
        else {
            return;
        };
        let closed = window + i;
        if self.furniture.as_ref().is_some_and(|f| closed <= f.level) {
            self.close_furniture(name, closed, at);
        }
        self.stack.truncate(closed);
    }

    /// Ends the open furniture, which an end tag for `name` closes along
    /// with the elements above `closed`. Its content is spared only when
    /// its own end tag closes it, leaving nothing open that would change
    /// what follows, and nothing in it is read.
    fn close_furniture(&mut self, name: &str, closed: usize, at: usize) {
        let Some(open) = self.furniture.take() else {
            return;
        };
        let own_end = closed == open.level && open.name.eq_ignore_ascii_case(name);
        let lingering = self.stack[closed + 1..]
            .iter()
            .any(|inner| known_name(LINGERING, inner).is_some());
        if own_end && !lingering && !open.read {
            self.spared.push((open.content..at, open.text));
        }
    }

    /// The survey of a page too deep for the parser, which reads none of it.
    fn too_deep(self) -> Survey {
        Survey {
            depth: self.depth,
            unread: Vec::new(),
            unread_text: 0,
        }
    }

    /// The survey, sparing only furniture that holds a small share of
    /// the page's text.
    fn finish(mut self) -> Survey {
        let (share, whole) = SPARED_TEXT_SHARE;
        let page_text = self.page_text;
        self.spared
            .retain(|(_, text)| text * whole <= page_text * share);
        Survey {
            depth: self.depth,
            unread_text: self.spared.iter().map(|(_, text)| text).sum(),
            unread: merge_nested(self.code, self.spared.into_iter().map(|(r, _)| r).collect()),
        }
    }
}

/// Bytes of `raw` markup text that are not ASCII space: what chrome
/// removal's text count would see, entities aside.
fn visible_bytes(raw: &str) -> usize {
    raw.bytes().filter(|b| !b.is_ascii_whitespace()).count()
}

/// Whether a start tag inside furniture is one that later stages read or
/// that makes the furniture hold the article: see `READ_INSIDE`, and
/// date and byline hints by class or `data-hook`, and
/// `itemprop=articleBody`. Of a repeated attribute the parser keeps the
/// first.
fn is_read_inside(name: &str, open_tag: &str) -> bool {
    if known_name(READ_INSIDE, name).is_some() {
        return true;
    }
    let mut seen = [false; 3];
    for (key, value) in Attributes::of(open_tag) {
        let (which, read) = if key.eq_ignore_ascii_case("class") {
            (0, holds_any(value, HINT_CLASS_WORDS))
        } else if key.eq_ignore_ascii_case("data-hook") {
            (1, holds_any(value, HINT_HOOK_WORDS))
        } else if key.eq_ignore_ascii_case("itemprop") {
            (2, value == "articleBody")
        } else {
            continue;
        };
        if read && !seen[which] {
            return true;
        }
        seen[which] = true;
    }
    false
}

/// The attributes of a start tag (`<tag key=value ...>`), as (key, value)
/// pairs in the order written; a key without a value has an empty one.
struct Attributes<'a> {
    tag: &'a str,
    pos: usize,
}

impl<'a> Attributes<'a> {
    fn of(open_tag: &'a str) -> Self {
        let is_gap = |b: &u8| b.is_ascii_whitespace() || *b == b'/';
        let after_name = open_tag.bytes().position(|b| is_gap(&b) || b == b'>');
        Attributes {
            tag: open_tag,
            pos: after_name.unwrap_or(open_tag.len()),
        }
    }

    fn skip_while(&mut self, skip: impl Fn(u8) -> bool) {
        let bytes = self.tag.as_bytes();
        while self.pos < bytes.len() && skip(bytes[self.pos]) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> &'a str {
        let bytes = self.tag.as_bytes();
        let (from, to) = match bytes.get(self.pos) {
            Some(&quote @ (b'"' | b'\'')) => {
                let from = self.pos + 1;
                (
                    from,
                    memchr(quote, &bytes[from..]).map_or(bytes.len(), |i| from + i),
                )
            }
            _ => {
                let from = self.pos;
                self.skip_while(|b| !b.is_ascii_whitespace() && b != b'>');
                (from, self.pos)
            }
        };
        self.pos = (to + 1).min(bytes.len());
        &self.tag[from..to]
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.skip_while(|b| b.is_ascii_whitespace() || b == b'/');
        let key_start = self.pos;
        self.skip_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'/' | b'=' | b'>'));
        if self.pos == key_start {
            return None;
        }
        let key = &self.tag[key_start..self.pos];
        self.skip_while(|b| b.is_ascii_whitespace());
        if self.tag.as_bytes().get(self.pos) != Some(&b'=') {
            return Some((key, ""));
        }
        self.pos += 1;
        self.skip_while(|b| b.is_ascii_whitespace());
        Some((key, self.value()))
    }
}

/// `code` and `furniture`, two ordered lists of ranges, as one ordered
/// list without the code ranges that lie inside furniture.
fn merge_nested(code: Vec<Range<usize>>, furniture: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(code.len() + furniture.len());
    let mut furniture = furniture.into_iter().peekable();
    for range in code {
        while let Some(outer) = furniture.next_if(|f| f.start <= range.start) {
            merged.push(outer);
        }
        if merged.last().is_some_and(|last| last.end >= range.end) {
            continue;
        }
        merged.push(range);
    }
    merged.extend(furniture);
    merged
}

/// The entry of `names` that `name` is, in whatever case it is written.
fn known_name(names: &[&'static str], name: &str) -> Option<&'static str> {
    names.iter().copied().find(|n| n.eq_ignore_ascii_case(name))
}

/// Whether the end tag of raw-text element `name` whose body is `body` is
/// followed by a delimiter, so that the parser ends the body where the
/// scanner did.
fn ends_cleanly(html: &str, name: &str, body: &Range<usize>) -> bool {
    let after_end_tag = html.as_bytes().get(body.end + 2 + name.len());
    after_end_tag.is_some_and(|b| *b == b'>' || *b == b'/' || b.is_ascii_whitespace())
}

/// Whether the raw-text element `name`, opened by `open_tag`, has a body at
/// `body` that nothing reads and that the HTML parser ends exactly where the
/// scanner did. Scripts and style sheets are dropped with the chrome, but
/// JSON data (JSON-LD metadata) is read. A script body holding `<!--` may
/// hide its end tag from the parser, and an end tag must be followed by a
/// delimiter; such bodies are left alone.
fn is_unread_code(html: &str, name: &str, open_tag: &str, body: Range<usize>) -> bool {
    match name {
        "style" => ends_cleanly(html, name, &body),
        "script" => {
            ends_cleanly(html, name, &body)
                && find_ascii_ci(open_tag.as_bytes(), b"json").is_none()
                && !html[body].contains("<!--")
        }
        _ => false,
    }
}

/// `html` without what no later stage reads: the bodies of scripts and
/// style sheets and the content of spared furniture; the elements stay,
/// empty. On pages saved from the web that is most of the bytes, which the
/// HTML parser would otherwise read one character at a time only for
/// chrome removal to drop them.
pub fn without_unread<'a>(html: &'a str, survey: &Survey) -> Cow<'a, str> {
    if survey.unread.is_empty() {
        return Cow::Borrowed(html);
    }
    let dropped: usize = survey.unread.iter().map(|r| r.len()).sum();
    let mut kept = String::with_capacity(html.len() - dropped);
    let mut from = 0;
    for range in &survey.unread {
        kept.push_str(&html[from..range.start]);
        from = range.end;
    }
    kept.push_str(&html[from..]);
    Cow::Owned(kept)
}

/// Reduces `html` to text without building a tree: tags are dropped, block
/// tags become paragraph breaks, entities are decoded, scripts and styles
/// are skipped. Linear in the page size whatever its nesting.
pub fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut scanner = TagScanner::new(html);
    let mut last = 0;
    while let Some((start, tag)) = scanner.next() {
        push_text(&mut out, &html[last..start]);
        let name = match tag {
            Tag::Open { name, .. } => {
                if let Some(raw) = known_name(RAW_TEXT, name) {
                    scanner.skip_raw_text(raw);
                }
                name.to_ascii_lowercase()
            }
            Tag::Close { name } => name.to_ascii_lowercase(),
            Tag::Comment => {
                last = scanner.pos;
                continue;
            }
        };
        if super::text::is_block(&name) && !out.ends_with("\n\n") && !out.is_empty() {
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
            out.push_str("\n\n");
        }
        last = scanner.pos;
    }
    push_text(&mut out, &html[last.min(html.len())..]);
    out.trim().to_string()
}

fn push_text(out: &mut String, raw: &str) {
    let decoded = decode_entities(raw);
    for word in decoded.split_whitespace() {
        if !(out.is_empty() || out.ends_with('\n') || out.ends_with(' ')) {
            out.push(' ');
        }
        out.push_str(word);
    }
    if decoded.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with('\n') {
        out.push(' ');
    }
}

/// Decodes the character references that matter for text: numeric ones and
/// the common named ones. Unknown references are kept as written.
pub fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        match end.and_then(|e| entity_char(&rest[1..e]).map(|c| (e, c))) {
            Some((e, c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity_char(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nesting_depth(html: &str, limit: usize) -> usize {
        survey(html, limit).depth
    }

    #[test]
    fn depth_of_ordinary_markup() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b</div></body></html>", 512),
            4
        );
        assert_eq!(nesting_depth("<ul><li>a<li>b<li>c</ul>", 512), 2);
        assert_eq!(nesting_depth("<div><br><img src=x><input/></div>", 512), 1);
        assert_eq!(
            nesting_depth("<script>if (a<b) { '<div>' }</script><p>x</p>", 512),
            1
        );
        assert_eq!(nesting_depth("<!-- <div><div> --><p>x</p>", 512), 1);
    }

    #[test]
    fn code_bodies_are_emptied_except_json_and_scripts_the_parser_may_end_elsewhere() {
        let html = concat!(
            r#"<head><STYLE>p { color: red }</Style><script type="application/ld+json">{"a":1}</script>"#,
            r#"<script>var c = "<!--";</script><script async>track()</script></head>"#,
            r#"<body><p>t</p><script>y</scripts>z</script><script>unclosed"#
        );
        let expected = concat!(
            r#"<head><STYLE></Style><script type="application/ld+json">{"a":1}</script>"#,
            r#"<script>var c = "<!--";</script><script async></script></head>"#,
            r#"<body><p>t</p><script>y</scripts>z</script><script>unclosed"#
        );
        assert_eq!(without_unread(html, &survey(html, 512)), expected);
        let plain = "<p>no code</p>";
        assert!(matches!(
            without_unread(plain, &survey(plain, 512)),
            Cow::Borrowed(_)
        ));
    }

    /// The content `without_unread` keeps of each element named `tag`.
    fn kept_contents(html: &str, tag: &str) -> Vec<String> {
        let kept = without_unread(html, &survey(html, 512)).into_owned();
        let doc = dom_query::Document::from(kept.as_str());
        doc.select(tag)
            .iter()
            .map(|el| el.inner_html().to_string())
            .collect()
    }

    const LINKS: &str = "<ul><li><a href=/a>Home</a><li><a href=/b>World</a></ul>";

    fn page_with(furniture: &str) -> String {
        let article = "<p>Article text long enough to outweigh the menus around it.</p>".repeat(4);
        format!("<html><body>{furniture}<main><h1>Title</h1>{article}</main></body></html>")
    }

    #[test]
    fn furniture_content_is_spared_when_nothing_in_it_is_read() {
        for tag in ["nav", "aside", "footer", "header", "NAV"] {
            let html = page_with(&format!(
                "<{tag} class=x>{LINKS}<script>t()</script></{tag}>"
            ));
            assert_eq!(kept_contents(&html, tag), [""], "{tag}");
        }
        let nested = page_with(&format!(
            "<header><nav>{LINKS}</nav><nav>{LINKS}</nav></header>"
        ));
        assert_eq!(kept_contents(&nested, "header"), [""]);
        let estimate = survey(&nested, 512).unread_text;
        assert_eq!(estimate, "HomeWorld".len() * 2);
    }

    #[test]
    fn furniture_that_is_read_or_holds_the_article_is_parsed() {
        let read_inside = [
            "<h1>Headline</h1>",
            "<div class=byline>By A. Writer</div>",
            r#"<span class="post-date">3 May</span>"#,
            "<div data-hook=meta-line>x</div>",
            "<time>2024</time>",
            r#"<meta itemprop=datePublished content="2024-05-03">"#,
            r#"<script type="application/ld+json">{}</script>"#,
            "<div itemprop=articleBody>text</div>",
            "<article>text</article>",
            "<body class=x>",
        ];
        for inside in read_inside {
            let html = page_with(&format!("<aside>{LINKS}{inside}</aside>"));
            assert_ne!(kept_contents(&html, "aside"), [""], "{inside}");
        }
    }

    #[test]
    fn furniture_is_parsed_when_its_end_is_not_where_the_scanner_sees_it() {
        let unclear_ends = [
            format!("<div><nav>{LINKS}</div></nav>"),
            format!("<nav>{LINKS}<a href=/c>Open link</nav>"),
            format!("<nav>{LINKS}<form action=/s><input name=q></nav>"),
            format!("<nav>{LINKS}<script>x</scriptx></nav><script>y</script>"),
            format!("<nav>{LINKS}"),
        ];
        for html in &unclear_ends {
            let html = page_with(html);
            assert_ne!(kept_contents(&html, "nav"), [""], "{html}");
        }
        let form = page_with(&format!("<form>{LINKS}</form>"));
        assert_ne!(kept_contents(&form, "form"), [""]);
    }

    #[test]
    fn furniture_holding_much_of_the_pages_text_is_parsed() {
        let words = "<p>Many words of an article set in a sidebar by mistake.</p>".repeat(6);
        let html = format!("<body><aside>{words}</aside><p>Short note.</p></body>");
        assert_ne!(kept_contents(&html, "aside"), [""]);
    }

    #[test]
    fn attributes_are_read_as_the_parser_reads_them() {
        let tag = r#"<div id=a CLASS = "x y" data-hook='d m' hidden/role=x>"#;
        let pairs: Vec<_> = Attributes::of(tag).collect();
        let expected = [
            ("id", "a"),
            ("CLASS", "x y"),
            ("data-hook", "d m"),
            ("hidden", ""),
            ("role", "x"),
        ];
        assert_eq!(pairs, expected);
        assert_eq!(Attributes::of("<br>").count(), 0);
        assert_eq!(
            Attributes::of("<p class=\"unclosed>").collect::<Vec<_>>(),
            [("class", "unclosed>")]
        );
        assert!(!is_read_inside("div", r#"<div class=menu class=byline>"#));
        assert!(is_read_inside("div", r#"<div id=x class="entry-meta">"#));
        assert!(is_read_inside("TIME", "<TIME>"));
    }

    #[test]
    fn depth_of_hostile_nesting_stops_at_limit() {
        let deep = "<ul><li>".repeat(20_000);
        assert!(nesting_depth(&deep, 512) > 512);
    }

    #[test]
    fn plain_text_keeps_paragraphs_and_drops_scripts() {
        let text = plain_text(
            "<p>Gas &amp; oil</p><script>var x = '<p>no</p>';</script><div>Second&nbsp;part</div>",
        );
        assert_eq!(text, "Gas & oil\n\nSecond part");
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("&#1058;&#x44d; &bogus; a&b"),
            "Тэ &bogus; a&b"
        );
    }
}
