//! Snippets: the passage of a body that best shows why it matched, with the
//! matched words marked. Written for dossier rather than taken from
//! tantivy's SnippetGenerator because offsets must be in characters (JSON
//! consumers and Cyrillic text), cuts must fall on word boundaries, and the
//! cost must stay bounded on very large pages.

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Only this many bytes of a body are scanned for a snippet, so a 50 MB
/// page costs no more than a long article.
const SCAN_LIMIT: usize = 512 * 1024;

/// A passage with highlighted character ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The passage, on one line.
    pub text: String,
    /// Highlighted ranges as `[start, end)` character offsets into `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// A matched token: byte range in the body and which query term it matched.
struct Hit {
    start: usize,
    end: usize,
    term: usize,
}

/// Builds snippets for one query.
pub struct SnippetMaker {
    analyzer: TextAnalyzer,
    terms: Vec<String>,
    max_chars: usize,
}

impl SnippetMaker {
    /// `terms` are analyzed query terms (as produced by `analyzer`);
    /// snippets are about `max_chars` characters long.
    pub fn new(analyzer: TextAnalyzer, terms: HashSet<String>, max_chars: usize) -> Self {
        let mut terms: Vec<String> = terms.into_iter().collect();
        terms.sort();
        SnippetMaker {
            analyzer,
            terms,
            max_chars: max_chars.max(20),
        }
    }

    /// The best passage of `body`; the start of the body when nothing matches.
    pub fn snippet(&mut self, body: &str) -> Snippet {
        let scanned = prefix(body, SCAN_LIMIT);
        let hits = self.matches(scanned);
        let (start, end, anchor) = match best_window(&hits, self.max_chars, scanned) {
            Some(window) => window,
            None => (0, char_boundary_after(scanned, self.max_chars), 0),
        };
        let (start, end) = snap_to_words(scanned, start, end, anchor);
        render(scanned, start, end, &hits)
    }

    fn matches(&mut self, text: &str) -> Vec<Hit> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if let Ok(term) = self.terms.binary_search(&token.text) {
                hits.push(Hit {
                    start: token.offset_from,
                    end: token.offset_to,
                    term,
                });
            }
        }
        hits
    }
}

/// The window (byte range) of at most about `max_chars` characters that
/// covers the most distinct terms, then the most hits, with the byte offset
/// of its first hit.
fn best_window(hits: &[Hit], max_chars: usize, text: &str) -> Option<(usize, usize, usize)> {
    let first = hits.first()?;
    let budget = max_chars.saturating_mul(4).min(text.len());
    let mut best = (0usize, 0usize, first.start);
    for (i, hit) in hits.iter().enumerate() {
        let mut distinct = HashSet::new();
        let mut count = 0;
        for other in hits[i..].iter().take_while(|o| o.end - hit.start <= budget) {
            if text[hit.start..other.end].chars().count() > max_chars {
                break;
            }
            distinct.insert(other.term);
            count += 1;
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, hit.start);
        }
    }
    let anchor = best.2;
    let lead = max_chars / 5;
    let start = text[..anchor]
        .char_indices()
        .rev()
        .nth(lead.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let end = start + char_boundary_after(&text[start..], max_chars);
    Some((start, end, anchor))
}

/// Moves a byte window so that it neither starts nor ends inside a word,
/// preferring to start at a sentence start, but never past `anchor`, the
/// first hit it must show.
fn snap_to_words(text: &str, start: usize, end: usize, anchor: usize) -> (usize, usize) {
    let mut s = start;
    if s > 0 {
        let lead = &text[s..anchor.clamp(s, end)];
        if let Some(i) = lead.find(". ") {
            s += i + 2;
        } else if let Some(i) = lead.find(char::is_whitespace) {
            s += i + 1;
        }
    }
    let mut e = end;
    if e < text.len() {
        if let Some(i) = text[s..e].rfind(char::is_whitespace) {
            if i > 0 {
                e = s + i;
            }
        }
    }
    (s, e.max(s))
}

/// Flattens the passage to one line and converts hit ranges to character
/// offsets relative to the passage.
fn render(text: &str, start: usize, end: usize, hits: &[Hit]) -> Snippet {
    let passage = &text[start..end];
    let mut out = String::with_capacity(passage.len());
    let mut highlights = Vec::new();
    let mut chars_out = 0;
    let mut last_space = true;
    let mut open: Option<usize> = None;
    let mut pending: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.start >= start && h.end <= end)
        .collect();
    pending.reverse();
    for (offset, c) in passage.char_indices() {
        let at = start + offset;
        if let Some(h) = pending.last() {
            if open.is_none() && at == h.start {
                open = Some(chars_out);
            }
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                chars_out += 1;
            }
            last_space = true;
        } else {
            out.push(c);
            chars_out += 1;
            last_space = false;
        }
        if let Some(h) = pending.last() {
            if at + c.len_utf8() == h.end {
                if let Some(from) = open.take() {
                    highlights.push((from, chars_out));
                }
                pending.pop();
            }
        }
    }
    let trimmed = out.trim_end().to_string();
    Snippet {
        text: trimmed,
        highlights,
    }
}

fn prefix(s: &str, max: usize) -> &str {
    &s[..char_floor(s, max.min(s.len()))]
}

fn char_floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte length of the first `n` characters of `s`.
fn char_boundary_after(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis::prose_analyzer;

    fn maker(terms: &[&str], len: usize) -> SnippetMaker {
        SnippetMaker::new(
            prose_analyzer(),
            terms.iter().map(|t| t.to_string()).collect(),
            len,
        )
    }

    fn marked(s: &Snippet) -> String {
        let chars: Vec<char> = s.text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        for (a, b) in &s.highlights {
            out.extend(&chars[i..*a]);
            out.push('[');
            out.extend(&chars[*a..*b]);
            out.push(']');
            i = *b;
        }
        out.extend(&chars[i..]);
        out
    }

    #[test]
    fn highlights_stemmed_matches_in_the_best_passage() {
        let body = format!(
            "{} The corridors of the Caspian carry freight.\n\nMore text {}",
            "filler ".repeat(80),
            "filler ".repeat(80)
        );
        let s = maker(&["corridor", "caspian"], 80).snippet(&body);
        assert!(
            marked(&s).contains("The [corridors] of the [Caspian] carry freight."),
            "{}",
            marked(&s)
        );
        assert!(s.text.chars().count() <= 80);
    }

    #[test]
    fn offsets_are_characters_in_cyrillic_text() {
        let body = "Денежные переводы мигрантов из России в Центральную Азию сократились, а транзит через Казахстан вырос.";
        let s = maker(&["казахстан"], 60).snippet(body);
        let chars: Vec<char> = s.text.chars().collect();
        let (a, b) = s.highlights[0];
        assert_eq!(chars[a..b].iter().collect::<String>(), "Казахстан");
        assert!(chars.len() <= 60);
    }

    #[test]
    fn a_sentence_start_never_skips_the_hit() {
        let body = format!(
            "{}Short one. Baku is here. Then more words follow here.",
            "word ".repeat(50)
        );
        let s = maker(&["baku"], 60).snippet(&body);
        assert_eq!(s.highlights.len(), 1, "{}", marked(&s));
    }

    #[test]
    fn no_match_gives_the_opening() {
        let s = maker(&["absent"], 30)
            .snippet("First words of the body and then some more words here.");
        assert_eq!(s.text, "First words of the body and");
        assert!(s.highlights.is_empty());
    }
}
