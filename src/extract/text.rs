//! Turns an article's DOM into plain text the way a reader sees it:
//! paragraphs, headings, list items, quotes, table rows and captions each
//! on their own, separated by blank lines; inline whitespace collapsed;
//! `<pre>` kept as written. Attributes (alt text, titles) are never text, so
//! an image credit repeated in `alt` and `<figcaption>` appears once.

use dom_query::NodeRef;

/// Elements that start and end a paragraph.
const PARAGRAPH_BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "ul",
    "ol",
    "dl",
    "address",
    "hr",
    "details",
    "summary",
    "center",
    "form",
    "fieldset",
    "caption",
];

/// Elements that start a new line within a paragraph group.
const LINE_BLOCKS: &[&str] = &["li", "tr", "dt", "dd", "br", "option"];

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "button",
];

/// Whether element `name` (lower case) starts a new line or paragraph.
pub(super) fn is_block(name: &str) -> bool {
    PARAGRAPH_BLOCKS.contains(&name) || LINE_BLOCKS.contains(&name)
}

/// Renders `root` and its descendants as plain text.
pub fn render(root: &NodeRef) -> String {
    let mut w = TextWriter::default();
    w.walk(root, false);
    w.finish()
}

#[derive(Default)]
struct TextWriter {
    out: String,
    /// Newlines owed before the next text: 0, 1 (line) or 2 (paragraph).
    pending_break: u8,
    /// Whether a space is owed before the next word on this line.
    pending_space: bool,
}

impl TextWriter {
    fn walk(&mut self, node: &NodeRef, in_pre: bool) {
        if node.is_text() {
            let text = node.text();
            if in_pre {
                self.push_pre(&text);
            } else {
                self.push_inline(&text);
            }
            return;
        }
        if !node.is_element() && !node.is_document() && !node.is_fragment() {
            return;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if SKIPPED.contains(&name.as_str()) {
            return;
        }
        let block = if PARAGRAPH_BLOCKS.contains(&name.as_str()) {
            2
        } else if LINE_BLOCKS.contains(&name.as_str()) {
            1
        } else {
            0
        };
        let cell = name == "td" || name == "th";
        self.request_break(block);
        if cell {
            self.pending_space = true;
        }
        let pre = in_pre || name == "pre";
        for child in node.children_it(false) {
            self.walk(&child, pre);
        }
        self.request_break(block);
        if cell {
            self.pending_space = true;
        }
    }

    fn request_break(&mut self, level: u8) {
        if level > 0 && !self.out.is_empty() {
            self.pending_break = self.pending_break.max(level);
            self.pending_space = false;
        }
    }

    fn flush_break(&mut self) {
        if self.pending_break > 0 {
            for _ in 0..self.pending_break {
                self.out.push('\n');
            }
            self.pending_break = 0;
            self.pending_space = false;
        }
    }

    fn push_inline(&mut self, text: &str) {
        let starts_with_space = text.starts_with(char::is_whitespace);
        let ends_with_space = text.ends_with(char::is_whitespace);
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            if starts_with_space && !self.out.is_empty() {
                self.pending_space = true;
            }
            return;
        }
        if starts_with_space {
            self.pending_space = true;
        }
        for word in words {
            if self.pending_break > 0 {
                self.flush_break();
            } else if self.pending_space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str(word);
            self.pending_space = true;
        }
        self.pending_space = ends_with_space;
    }

    fn push_pre(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.flush_break();
        self.out.push_str(text);
    }

    fn finish(self) -> String {
        self.out
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn text_of(html: &str) -> String {
        let doc = Document::fragment(html);
        render(&doc.root())
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        assert_eq!(
            text_of("<p>One  <b>bold</b>\n word.</p><p>Two.</p>"),
            "One bold word.\n\nTwo."
        );
    }

    #[test]
    fn list_items_and_table_rows_are_lines() {
        assert_eq!(text_of("<ul><li>a</li><li>b</li></ul>"), "a\nb");
        assert_eq!(
            text_of("<table><tr><td>x</td><td>1</td></tr><tr><td>y</td><td>2</td></tr></table>"),
            "x 1\ny 2"
        );
    }

    #[test]
    fn alt_text_is_not_repeated() {
        assert_eq!(
            text_of(
                r#"<figure><img alt="Port of Poti at dusk"><figcaption>Port of Poti at dusk</figcaption></figure>"#
            ),
            "Port of Poti at dusk"
        );
    }

    #[test]
    fn inline_elements_do_not_glue_words() {
        assert_eq!(
            text_of("<p><a>Baku</a> <em>and</em> <span>Tbilisi</span></p>"),
            "Baku and Tbilisi"
        );
        assert_eq!(text_of("<p>line<br>break</p>"), "line\nbreak");
    }
}
