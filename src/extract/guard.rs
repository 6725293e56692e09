//! Protection against pages that would make a DOM parser slow: html5ever's
//! tree building is quadratic in nesting depth, so a 100 KB page of 20,000
//! nested lists can take seconds. A single linear pass over the tags
//! estimates the depth first; pages deeper than the limit skip the DOM and
//! are reduced to text by `plain_text`, also linear. The same pass finds
//! the bodies of scripts and style sheets, often most of a saved page's
//! bytes, so that the parser is not made to read what chrome removal drops.

use memchr::{memchr, memmem};
use std::borrow::Cow;
use std::ops::Range;

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
}

/// Iterates over the start and end tags of `html`, skipping comments,
/// doctypes and the content of raw-text elements.
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
                continue;
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

/// What one linear pass over a page's tags learns before the page is parsed.
pub struct Survey {
    /// Estimated maximum element nesting depth; counting stops once it
    /// exceeds the limit.
    pub depth: usize,
    /// Byte ranges of script and style sheet bodies that no later stage
    /// reads.
    code: Vec<Range<usize>>,
}

/// Surveys `html` in one linear pass: its nesting depth, stopping early once
/// `limit` is exceeded, and where its code lies.
pub fn survey(html: &str, limit: usize) -> Survey {
    let mut stack: Vec<&str> = Vec::new();
    let mut survey = Survey {
        depth: 0,
        code: Vec::new(),
    };
    let mut scanner = TagScanner::new(html);
    while let Some((start, tag)) = scanner.next() {
        match tag {
            Tag::Open { name, self_closing } => {
                if let Some(raw) = known_name(RAW_TEXT, name) {
                    let body_start = scanner.pos;
                    scanner.skip_raw_text(raw);
                    let open_tag = &html[start..body_start];
                    if is_unread_code(html, raw, open_tag, body_start..scanner.pos) {
                        survey.code.push(body_start..scanner.pos);
                    }
                    continue;
                }
                if self_closing || known_name(VOID, name).is_some() {
                    continue;
                }
                let closes_sibling = stack
                    .last()
                    .is_some_and(|open| open.eq_ignore_ascii_case(name));
                if closes_sibling && known_name(SELF_CLOSING_SIBLINGS, name).is_some() {
                    stack.pop();
                }
                stack.push(name);
                survey.depth = survey.depth.max(stack.len());
                if survey.depth > limit {
                    return survey;
                }
            }
            Tag::Close { name } => {
                let window = stack.len().saturating_sub(END_TAG_SEARCH);
                if let Some(i) = stack[window..]
                    .iter()
                    .rposition(|open| open.eq_ignore_ascii_case(name))
                {
                    stack.truncate(window + i);
                }
            }
        }
    }
    survey
}

/// The entry of `names` that `name` is, in whatever case it is written.
fn known_name(names: &[&'static str], name: &str) -> Option<&'static str> {
    names.iter().copied().find(|n| n.eq_ignore_ascii_case(name))
}

/// Whether the raw-text element `name`, opened by `open_tag`, has a body at
/// `body` that nothing reads and that the HTML parser ends exactly where the
/// scanner did. Scripts and style sheets are dropped with the chrome, but
/// JSON data (JSON-LD metadata) is read. A script body holding `<!--` may
/// hide its end tag from the parser, and an end tag must be followed by a
/// delimiter; such bodies are left alone.
fn is_unread_code(html: &str, name: &str, open_tag: &str, body: Range<usize>) -> bool {
    let after_end_tag = html.as_bytes().get(body.end + 2 + name.len());
    let ends_cleanly =
        after_end_tag.is_some_and(|b| *b == b'>' || *b == b'/' || b.is_ascii_whitespace());
    match name {
        "style" => ends_cleanly,
        "script" => {
            ends_cleanly
                && find_ascii_ci(open_tag.as_bytes(), b"json").is_none()
                && !html[body].contains("<!--")
        }
        _ => false,
    }
}

/// `html` with the bodies of its scripts and style sheets emptied. On
/// pages saved from the web they are most of the bytes, which the HTML
/// parser would otherwise read one character at a time only for chrome
/// removal to drop them.
pub fn without_code<'a>(html: &'a str, survey: &Survey) -> Cow<'a, str> {
    if survey.code.is_empty() {
        return Cow::Borrowed(html);
    }
    let dropped: usize = survey.code.iter().map(|r| r.len()).sum();
    let mut kept = String::with_capacity(html.len() - dropped);
    let mut from = 0;
    for range in &survey.code {
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
        assert_eq!(without_code(html, &survey(html, 512)), expected);
        let plain = "<p>no code</p>";
        assert!(matches!(
            without_code(plain, &survey(plain, 512)),
            Cow::Borrowed(_)
        ));
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
