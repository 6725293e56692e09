//! Line-level clean-up of extracted text: the headline, byline, date and
//! reading-time lines that sit at the top of an article, and the short
//! widget labels ("Advertisement", "Share this", "Read more") that survive
//! inside it. Only short lines are ever dropped, so a sentence of the
//! article that happens to start like a label is kept.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;

/// Lines with more words than this are always article text.
const MAX_LABEL_WORDS: usize = 12;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(
            advertisement | advertising | advert | sponsored( \s content)? | ad |
            home \s? [>»›/|] .* | (table \s of \s )? contents | more \s? : |
            image \s (copyright|caption|source|credit) .* |
            share( \s this( \s (article|story|post))?)? | share \s on \s \w+ | tweet | email | print |
            copy \s link | link \s copied |
            read \s more | read \s next | see \s all | show \s more | load \s more | more \s stories |
            related( \s (articles?|posts?|stories|content|reading))? | recent \s posts? | most \s (read|popular) |
            you \s (may|might) \s (also \s )?like .* |
            (leave \s a|write \s a|post \s a|add \s a) \s (comment|reply|response) .* | comments? | \d+ \s comments? |
            subscribe .{0,40} | sign \s (up|in) .{0,40} | log \s in .{0,40} | follow( \s us)?( \s on \s \w+)? |
            top \s of \s page | bottom \s of \s page | back \s to \s top | scroll \s to \s top | skip \s to \s content |
            (photo|image|picture|illustration|credit|source)s? \s? : .{0,60} |
            tags? \s? : .* | filed \s under \s? : .* | categor(y|ies) \s? : .* |
            \d+ \s (min|minute)s? \s read .{0,40} | \d[\d.,]* \s? k? \s (views?|likes?|claps?|shares?|responses?) .{0,40} |
            (by|written \s by|posted \s by|words \s by) \s .{1,80} |
            (published|posted|updated|last \s updated|modified) \s? (on|:)? \s .{1,60} |
            listen | save | \d+ \s (minutes?|hours?|days?|weeks?) \s ago
        )\W*$",
    )
    .unwrap()
});

/// Drops header lines (the headline, bylines, dates) from the start of the
/// body and widget labels anywhere in it.
pub fn strip(body: &str, title: Option<&str>) -> String {
    let title_key = title.map(normalise).filter(|t| !t.is_empty());
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    let mut kept: Vec<String> = Vec::with_capacity(paragraphs.len());
    let mut in_header = true;
    for para in paragraphs {
        let lines: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .filter(|line| !is_label(line))
            .filter(|line| !(in_header && is_header_line(line, title_key.as_deref())))
            .collect();
        if lines.is_empty() {
            continue;
        }
        if lines.iter().any(|l| more_words_than(l, MAX_LABEL_WORDS)) {
            in_header = false;
        }
        kept.push(lines.join("\n"));
    }
    kept.join("\n\n")
}

fn is_label(line: &str) -> bool {
    !more_words_than(line, MAX_LABEL_WORDS) && LABEL.is_match(line)
}

/// Whether `line` has more than `n` words; reads only as far as word n + 1,
/// since most lines of an article are long paragraphs.
fn more_words_than(line: &str, n: usize) -> bool {
    line.split_whitespace().nth(n).is_some()
}

/// A headline repeat, a lone date or a lone author name at the top.
fn is_header_line(line: &str, title_key: Option<&str>) -> bool {
    if title_key.is_some_and(|t| normalised(line).eq(t.chars())) {
        return true;
    }
    !more_words_than(line, 8) && dates::find_visible_date(line).is_some()
}

/// `s` lower-cased without punctuation, its words one space apart, for
/// comparing a line with the headline.
fn normalise(s: &str) -> String {
    normalised(s).collect()
}

/// The characters of [`normalise`]'s result, as they come: a line is
/// compared with the headline only as far as their first difference.
fn normalised(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut words = s
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .peekable()
        })
        .filter_map(|mut word| word.peek().is_some().then_some(word));
    let first = words.next();
    first
        .into_iter()
        .flatten()
        .chain(words.flat_map(|word| std::iter::once(' ').chain(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_and_labels_go() {
        let body = "Gas Through Georgia\n\nBy Nino Beridze\n\n12 November 2025\n\n5 min read\n\nThe first real paragraph talks about gas and pipes and the many ways they cross the region.\n\nAdvertisement\n\nSecond paragraph.\n\nShare this article";
        assert_eq!(
            strip(body, Some("Gas through Georgia")),
            "The first real paragraph talks about gas and pipes and the many ways they cross the region.\n\nSecond paragraph."
        );
    }

    #[test]
    fn long_sentences_that_start_like_labels_stay() {
        let body = "Published reports from the ministry show that transit volumes through Aktau doubled in the last two years.";
        assert_eq!(strip(body, None), body);
    }

    #[test]
    fn breadcrumbs_contents_and_image_credits_go() {
        let body = "Home > Reports > 2025\n\nContents\n\nImage copyright Getty Images\n\nAdvert";
        assert_eq!(strip(body, None), "");
    }

    #[test]
    fn headline_keys_drop_punctuation_case_and_extra_spaces() {
        let line = "  Kars-Tbilisi — İstanbul's\tPORTS! ";
        assert_eq!(normalise(line), "karstbilisi i\u{307}stanbuls ports");
        assert!(is_header_line(
            line,
            Some("karstbilisi i\u{307}stanbuls ports")
        ));
        assert!(!is_header_line(
            line,
            Some("karstbilisi i\u{307}stanbuls port")
        ));
        assert!(!is_header_line(
            line,
            Some("karstbilisi i\u{307}stanbuls ports and")
        ));
        assert_eq!(normalise(" — ! "), "");
    }

    #[test]
    fn dates_inside_the_article_stay() {
        let body = "A first paragraph that is long enough to end the header region of this article.\n\n12 November 2025";
        assert_eq!(strip(body, None), body);
    }
}
