//! Snippets: the passages of a body that best show why it matched, with
//! the matched words marked. Written for dossier rather than taken from
//! tantivy's SnippetGenerator because: offsets must be characters (JSON
//! consumers, Cyrillic text); cuts must fall on word boundaries; a phrase
//! is marked as one unit; excluded words are never marked; prefix and fuzzy
//! matches are marked; words match as the page's language stems them; and
//! the cost stays bounded on very large pages.

use std::collections::HashMap;

use rustc_hash::FxHashSet;

use super::query::{Expr, Occur, TextField, WordMatch};
use crate::extract::prefix;
use crate::index::analysis::{Analysis, StemCache, WordAt, PLAIN, UNREAD};

/// Only this many bytes of a body are scanned, so a 50 MB page costs no
/// more than a long report.
const SCAN_LIMIT: usize = 256 * 1024;

/// A passage with highlighted character ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The passage, on one line.
    pub text: String,
    /// Highlighted ranges as `[start, end)` character offsets into `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// What a query asks to be marked in bodies: its positive words and
/// phrases in the body or in no particular field.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Word(String, WordMatch),
    Phrase(String),
}

/// The marks of `expr`: everything not under an exclusion.
fn marks(expr: &Expr, out: &mut Vec<Mark>) {
    let in_body = |f: &Option<TextField>| matches!(f, None | Some(TextField::Body));
    match expr {
        Expr::Word {
            field,
            text,
            matching,
        } if in_body(field) => out.push(Mark::Word(text.clone(), *matching)),
        Expr::Phrase { field, text, .. } if in_body(field) => out.push(Mark::Phrase(text.clone())),
        Expr::Clauses(clauses) => clauses
            .iter()
            .filter(|(o, _)| *o != Occur::MustNot)
            .for_each(|(_, e)| marks(e, out)),
        Expr::Or(alternatives) => alternatives.iter().for_each(|e| marks(e, out)),
        _ => {}
    }
}

/// A matched stretch of the body: byte range and which mark it matched.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    mark: usize,
}

/// A mark in the form one language's analysis compares with body words.
enum Pattern {
    /// Stem ids, one per word.
    Stems(Vec<u32>),
    Prefix(String),
    Fuzzy(String, u8),
}

/// Builds snippets for one query.
pub struct SnippetMaker {
    marks: Vec<Mark>,
    /// What the marks look like in each analysis, by code, made on first
    /// use.
    readers: HashMap<&'static str, Reader>,
    max_chars: usize,
}

impl SnippetMaker {
    /// A maker for the query `expr`, with passages of about `max_chars`.
    pub fn new(expr: &Expr, max_chars: usize) -> Self {
        let mut found = Vec::new();
        marks(expr, &mut found);
        SnippetMaker {
            marks: found,
            readers: HashMap::new(),
            max_chars: max_chars.max(20),
        }
    }

    /// Up to `count` passages of `body` (a page analysed with `analysis`),
    /// best first by what they show, then in body order; the opening of
    /// the body when nothing matches.
    pub fn snippets(&mut self, body: &str, analysis: Analysis, count: usize) -> Vec<Snippet> {
        let text = prefix(body, SCAN_LIMIT);
        let hits = self.hits(text, analysis);
        let mut windows = Vec::new();
        let mut left: Vec<Hit> = hits.clone();
        while windows.len() < count.max(1) && !left.is_empty() {
            let (start, end, anchor) = best_window(&left, self.max_chars, text);
            let (start, end) = snap_to_words(text, start, end, anchor);
            left.retain(|h| h.end <= start || h.start >= end);
            windows.push((start, end));
        }
        if windows.is_empty() {
            let end = char_boundary_after(text, self.max_chars);
            windows.push(snap_to_words(text, 0, end, 0));
        }
        windows.sort();
        windows
            .into_iter()
            .map(|(s, e)| render(text, s, e, &hits))
            .collect()
    }

    fn hits(&mut self, text: &str, analysis: Analysis) -> Vec<Hit> {
        if self.marks.is_empty() {
            return Vec::new();
        }
        let marks = &self.marks;
        let reader = self
            .readers
            .entry(analysis.code)
            .or_insert_with(|| Reader::new(marks, analysis));
        let Reader {
            patterns,
            lexicon,
            letters,
        } = reader;
        let mut words = Vec::new();
        lexicon.read(
            text,
            |c| letters.as_ref().is_none_or(|l| l.contains(c)),
            |word| words.push(word),
        );
        let mut hits = Vec::new();
        for (i, word) in words.iter().enumerate() {
            for (mark, pattern) in patterns.iter().enumerate() {
                if let Some(len) = match_at(pattern, &words[i..], lexicon) {
                    hits.push(Hit {
                        start: word.start,
                        end: words[i + len - 1].end,
                        mark,
                    });
                }
            }
        }
        merge_overlaps(hits)
    }
}

fn pattern(mark: &Mark, analysis: Analysis, stems: &mut StemCache) -> Pattern {
    match mark {
        Mark::Word(text, WordMatch::Stemmed) | Mark::Phrase(text) => Pattern::Stems(
            analysis
                .terms(text)
                .iter()
                .map(|stem| stems.stem_id(stem))
                .collect(),
        ),
        Mark::Word(text, WordMatch::Prefix) => Pattern::Prefix(PLAIN.terms(text).concat()),
        Mark::Word(text, WordMatch::Fuzzy(d)) => Pattern::Fuzzy(PLAIN.terms(text).concat(), *d),
    }
}

/// The marks of a query as one language's analysis compares them with body
/// words, and the words read so far.
struct Reader {
    patterns: Vec<Pattern>,
    lexicon: StemCache,
    /// The first letters of the words that can match `patterns`, when they
    /// tell: a stem starts with its word's first letter in most languages,
    /// so only body words starting with one of these need stemming. `None`
    /// when every word must be read (prefix and fuzzy words,
    /// prefix-stripping stemmers).
    letters: Option<Letters>,
}

impl Reader {
    fn new(marks: &[Mark], analysis: Analysis) -> Reader {
        let mut lexicon = StemCache::new(analysis);
        let patterns: Vec<Pattern> = marks
            .iter()
            .map(|m| pattern(m, analysis, &mut lexicon))
            .collect();
        let letters = first_letters(&patterns, &lexicon, analysis);
        Reader {
            patterns,
            lexicon,
            letters,
        }
    }
}

fn first_letters(patterns: &[Pattern], lexicon: &StemCache, analysis: Analysis) -> Option<Letters> {
    let mut letters = Letters::default();
    for pattern in patterns {
        match pattern {
            Pattern::Stems(stems) if analysis.keeps_first_letter() => stems
                .iter()
                .filter_map(|s| lexicon.stem_text(*s).chars().next())
                .for_each(|c| letters.insert(c)),
            _ => return None,
        }
    }
    Some(letters)
}

/// A set of letters; ASCII letters are bits, since the set is asked about
/// every word of every body.
#[derive(Default)]
struct Letters {
    ascii: u128,
    other: FxHashSet<char>,
}

impl Letters {
    fn insert(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii |= 1 << u32::from(c);
        } else {
            self.other.insert(c);
        }
    }

    fn contains(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii & (1 << u32::from(c)) != 0
        } else {
            self.other.contains(&c)
        }
    }
}

/// How many words from the start of `words` the pattern matches, if any.
fn match_at(pattern: &Pattern, words: &[WordAt], lexicon: &mut StemCache) -> Option<usize> {
    let first = words[0].word;
    match pattern {
        Pattern::Stems(stems) if !stems.is_empty() && stems.len() <= words.len() => stems
            .iter()
            .zip(words)
            .all(|(s, w)| w.word != UNREAD && *s == lexicon.stem_of(w.word))
            .then_some(stems.len()),
        _ if first == UNREAD => None,
        Pattern::Prefix(p) if !p.is_empty() => {
            lexicon.folded(first).starts_with(p.as_str()).then_some(1)
        }
        Pattern::Fuzzy(t, d) if !t.is_empty() => {
            within_edits(lexicon.folded(first), t, *d as usize).then_some(1)
        }
        _ => None,
    }
}

/// Keeps the longest of overlapping hits (a phrase over its own words).
fn merge_overlaps(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        match out.last() {
            Some(last) if hit.start < last.end => {}
            _ => out.push(hit),
        }
    }
    out
}

/// Whether `a` and `b` are within `max` edits, counting a swap of two
/// neighbouring characters as one edit, as the fuzzy query does.
fn within_edits(a: &str, b: &str, max: usize) -> bool {
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Optimal string alignment distance, three rows.
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j - 1] + cost).min(prev[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut prev, row);
    }
    prev[b.len()] <= max
}

/// The window (byte range) of at most about `max_chars` characters that
/// covers the most distinct marks, then the most hits, with the byte
/// offset of its first hit.
fn best_window(hits: &[Hit], max_chars: usize, text: &str) -> (usize, usize, usize) {
    let budget = max_chars.saturating_mul(4).min(text.len());
    let mut best = (0usize, 0usize, hits[0].start);
    for (i, hit) in hits.iter().enumerate() {
        let mut distinct = FxHashSet::default();
        let mut count = 0;
        for other in hits[i..].iter().take_while(|o| o.end - hit.start <= budget) {
            if text[hit.start..other.end].chars().count() > max_chars {
                break;
            }
            distinct.insert(other.mark);
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
    (start, end, anchor)
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
        if open.is_none() && pending.last().is_some_and(|h| at == h.start) {
            open = Some(chars_out);
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
        if pending.last().is_some_and(|h| at + c.len_utf8() == h.end) {
            if let Some(from) = open.take() {
                highlights.push((from, chars_out));
            }
            pending.pop();
        }
    }
    Snippet {
        text: out.trim_end().to_string(),
        highlights,
    }
}

/// Byte length of the first `n` characters of `s`.
fn char_boundary_after(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis::DEFAULT;
    use crate::search::query;

    fn snippet(q: &str, body: &str, len: usize) -> Snippet {
        let expr = query::parse(q).unwrap();
        SnippetMaker::new(&expr, len)
            .snippets(body, DEFAULT, 1)
            .remove(0)
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
        let s = snippet("corridor caspian", &body, 80);
        assert!(
            marked(&s).contains("The [corridors] of the [Caspian] carry freight."),
            "{}",
            marked(&s)
        );
        assert!(s.text.chars().count() <= 80);
    }

    #[test]
    fn a_phrase_is_highlighted_as_one_unit() {
        let s = snippet(
            "\"middle corridor\"",
            "Trade on the Middle Corridor grew, and the corridor's middle stretch too.",
            200,
        );
        assert_eq!(
            marked(&s),
            "Trade on the [Middle Corridor] grew, and the corridor's middle stretch too."
        );
    }

    #[test]
    fn excluded_words_are_never_highlighted() {
        let s = snippet(
            "gas -oil",
            "Gas and oil flow west; oil prices matter less than gas volumes.",
            200,
        );
        assert_eq!(
            marked(&s),
            "[Gas] and oil flow west; oil prices matter less than [gas] volumes."
        );
    }

    #[test]
    fn fuzzy_and_prefix_matches_are_highlighted() {
        let s = snippet(
            "Aliev~1 energ*",
            "President Aliyev spoke about energetic diplomacy and energy.",
            200,
        );
        assert_eq!(
            marked(&s),
            "President [Aliyev] spoke about [energetic] diplomacy and [energy]."
        );
    }

    #[test]
    fn offsets_and_budget_are_characters_in_cyrillic_text() {
        let body = format!(
            "{}Денежные переводы мигрантов из России сократились, а транзит через Казахстан вырос.",
            "Слово ".repeat(40)
        );
        let expr = query::parse("Казахстан").unwrap();
        let s = SnippetMaker::new(&expr, 60)
            .snippets(&body, Analysis::for_lang(Some("ru")), 1)
            .remove(0);
        let chars: Vec<char> = s.text.chars().collect();
        let (a, b) = s.highlights[0];
        assert_eq!(chars[a..b].iter().collect::<String>(), "Казахстан");
        assert!(chars.len() <= 60, "{} chars", chars.len());
    }

    #[test]
    fn several_fragments_in_body_order() {
        let body = format!("Baku first. {} Then Aktau later.", "filler ".repeat(100));
        let expr = query::parse("Baku Aktau").unwrap();
        let frags = SnippetMaker::new(&expr, 40).snippets(&body, DEFAULT, 3);
        assert_eq!(frags.len(), 2);
        assert!(marked(&frags[0]).contains("[Baku]"));
        assert!(marked(&frags[1]).contains("[Aktau]"));
    }

    #[test]
    fn a_sentence_start_never_skips_the_hit() {
        let body = format!(
            "{}Short one. Baku is here. Then more words follow here.",
            "word ".repeat(50)
        );
        let s = snippet("baku", &body, 60);
        assert_eq!(s.highlights.len(), 1, "{}", marked(&s));
    }

    #[test]
    fn no_match_gives_the_opening() {
        let s = snippet(
            "absent",
            "First words of the body and then some more words here.",
            30,
        );
        assert_eq!(s.text, "First words of the body and");
        assert!(s.highlights.is_empty());
    }

    #[test]
    fn edit_distance() {
        assert!(within_edits("aliyev", "aliev", 1));
        assert!(!within_edits("aliyev", "alev", 1));
        assert!(within_edits("kars", "kras", 1));
        assert!(within_edits("aliev", "alive", 1));
    }
}
