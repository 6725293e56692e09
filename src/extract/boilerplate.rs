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
        if lines
            .iter()
            .any(|l| l.split_whitespace().count() > MAX_LABEL_WORDS)
        {
            in_header = false;
        }
        kept.push(lines.join("\n"));
    }
    kept.join("\n\n")
}

fn is_label(line: &str) -> bool {
    line.split_whitespace().count() <= MAX_LABEL_WORDS && LABEL.is_match(line)
}

/// A headline repeat, a lone date or a lone author name at the top.
fn is_header_line(line: &str, title_key: Option<&str>) -> bool {
    let key = normalise(line);
    if title_key.is_some_and(|t| t == key) {
        return true;
    }
    let words = line.split_whitespace().count();
    words <= 8 && dates::find_visible_date(line).is_some()
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
    fn dates_inside_the_article_stay() {
        let body = "A first paragraph that is long enough to end the header region of this article.\n\n12 November 2025";
        assert_eq!(strip(body, None), body);
    }
}
