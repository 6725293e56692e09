//! Protection against pages that would make a DOM parser slow: html5ever's
//! tree building is quadratic in nesting depth, so a 100 KB page of 20,000
//! nested lists can take seconds. A single linear pass over the tags
//! estimates the depth first; pages deeper than the limit skip the DOM and
//! are reduced to text by `plain_text`, also linear.

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
        while let Some(lt) = memchr(b'<', &bytes[self.pos..]) {
            let at = self.pos + lt;
            let tag = bytes.get(at + 2..at + 2 + name.len());
            if bytes.get(at + 1) == Some(&b'/') && tag.is_some_and(|t| t.eq_ignore_ascii_case(name))
            {
                self.pos = at;
                return;
            }
            self.pos = at + 1;
        }
        self.pos = bytes.len();
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
                self.pos += find_ascii_ci(rest, b"-->").map_or(rest.len(), |i| i + 3);
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

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Estimates the maximum element nesting depth of `html` in one linear pass,
/// stopping early once `limit` is exceeded.
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    let mut stack: Vec<String> = Vec::new();
    let mut deepest = 0;
    let mut scanner = TagScanner::new(html);
    while let Some((_, tag)) = scanner.next() {
        match tag {
            Tag::Open { name, self_closing } => {
                let name = name.to_ascii_lowercase();
                if RAW_TEXT.contains(&name.as_str()) {
                    scanner.skip_raw_text(&name);
                    continue;
                }
                if self_closing || VOID.contains(&name.as_str()) {
                    continue;
                }
                if SELF_CLOSING_SIBLINGS.contains(&name.as_str()) && stack.last() == Some(&name) {
                    stack.pop();
                }
                stack.push(name);
                deepest = deepest.max(stack.len());
                if deepest > limit {
                    return deepest;
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
    deepest
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
                let lower = name.to_ascii_lowercase();
                if RAW_TEXT.contains(&lower.as_str()) {
                    scanner.skip_raw_text(&lower);
                }
                lower
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
