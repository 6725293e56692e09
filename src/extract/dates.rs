//! Date reading: machine-readable timestamps from metadata, human dates as
//! pages print them ("Nov 12, 2025", "12 November 2025", "12.11.2025", read
//! day-first), and relative dates ("2 days ago") resolved against the time
//! the page was crawled. All results are UTC instants; a date without a time
//! is taken as midnight UTC.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use regex::Regex;

/// Parses a machine-readable timestamp: RFC 3339, ISO 8601 with or without
/// time zone or seconds, a bare ISO date, or RFC 2822.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    let date_part = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .ok()
        .and_then(midnight)
        .or_else(|| find_visible_date(s))
}

fn midnight(d: NaiveDate) -> Option<DateTime<Utc>> {
    d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t))
}

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
    ))
    .unwrap()
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?({MONTHS})\.?,?\s+(\d{{4}})\b"
    ))
    .unwrap()
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").unwrap());
static DOTTED_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b").unwrap());
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,3}|an?|one)\s+(minute|min|hour|hr|day|week|month|year)s?\s+ago\b")
        .unwrap()
});
static YESTERDAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\byesterday\b").unwrap());

fn month_number(name: &str) -> Option<u32> {
    let key = name.get(..3)?.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months.iter().position(|m| *m == key).map(|i| i as u32 + 1)
}

fn ymd(year: &str, month: u32, day: &str) -> Option<DateTime<Utc>> {
    let year: i32 = year.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    if !(1990..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day).and_then(midnight)
}

/// Finds the first absolute date written for people in `text`, whichever
/// of the supported forms comes first. Numeric dates with dots or slashes
/// are read day-first (12.11.2025 is 12 November).
pub fn find_visible_date(text: &str) -> Option<DateTime<Utc>> {
    let mut best: Option<(usize, DateTime<Utc>)> = None;
    let mut consider = |pos: usize, date: Option<DateTime<Utc>>| {
        if let Some(d) = date {
            if best.is_none_or(|(p, _)| pos < p) {
                best = Some((pos, d));
            }
        }
    };
    if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        consider(
            c.get(0).unwrap().start(),
            month_number(&c[1]).and_then(|m| ymd(&c[3], m, &c[2])),
        );
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        consider(
            c.get(0).unwrap().start(),
            month_number(&c[2]).and_then(|m| ymd(&c[3], m, &c[1])),
        );
    }
    if let Some(c) = ISO_DATE.captures(text) {
        consider(
            c.get(0).unwrap().start(),
            c[2].parse().ok().and_then(|m| ymd(&c[1], m, &c[3])),
        );
    }
    if let Some(c) = DOTTED_DATE.captures(text) {
        consider(
            c.get(0).unwrap().start(),
            c[2].parse().ok().and_then(|m| ymd(&c[3], m, &c[1])),
        );
    }
    best.map(|(_, d)| d)
}

/// Resolves the first relative date in `text` ("2 days ago", "an hour ago",
/// "yesterday") against `now`, the page's crawl time.
pub fn find_relative_date(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Some(c) = RELATIVE.captures(text) {
        let n: i64 = match c[1].to_ascii_lowercase().as_str() {
            "a" | "an" | "one" => 1,
            digits => digits.parse().ok()?,
        };
        let unit = c[2].to_ascii_lowercase();
        let span = match unit.as_str() {
            "minute" | "min" => Duration::minutes(n),
            "hour" | "hr" => Duration::hours(n),
            "day" => Duration::days(n),
            "week" => Duration::weeks(n),
            "month" => Duration::days(30 * n),
            _ => Duration::days(365 * n),
        };
        return now.checked_sub_signed(span);
    }
    YESTERDAY.is_match(text).then(|| now - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<String> {
        find_visible_date(s).map(|d| d.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn machine_timestamps() {
        let t = parse_timestamp("2025-11-12T14:05:00+04:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-11-12T10:05:00+00:00");
        assert_eq!(
            parse_timestamp("2025-11-12").unwrap().to_rfc3339(),
            "2025-11-12T00:00:00+00:00"
        );
        assert!(parse_timestamp("2025-11-12T09:30:00").is_some());
        assert!(parse_timestamp("2025-11-12T09:30:00.000Z").is_some());
        assert!(parse_timestamp("Wed, 12 Nov 2025 09:30:00 GMT").is_some());
        assert!(parse_timestamp("not a date").is_none());
    }

    #[test]
    fn visible_dates_in_common_forms() {
        assert_eq!(
            day("Published Nov 12, 2025 at noon").as_deref(),
            Some("2025-11-12")
        );
        assert_eq!(
            day("12 November 2025, 14:05").as_deref(),
            Some("2025-11-12")
        );
        assert_eq!(
            day("Posted on 3rd of March 2024").as_deref(),
            Some("2024-03-03")
        );
        assert_eq!(day("12.11.2025").as_deref(), Some("2025-11-12"));
        assert_eq!(
            day("September 3, 2025 · 7 min read").as_deref(),
            Some("2025-09-03")
        );
        assert_eq!(day("31.02.2025"), None);
        assert_eq!(day("no date here"), None);
    }

    #[test]
    fn the_earliest_date_in_the_text_wins() {
        assert_eq!(
            day("Updated 2025-12-01. Published 12 November 2025").as_deref(),
            Some("2025-12-01")
        );
        assert_eq!(
            day("12 November 2025, updated Dec 1, 2025").as_deref(),
            Some("2025-11-12")
        );
    }

    #[test]
    fn relative_dates_resolve_against_crawl_time() {
        let now = parse_timestamp("2025-11-14T10:00:00Z").unwrap();
        let two_days = find_relative_date("Anna Petrova · 2 days ago · 5 min read", now).unwrap();
        assert_eq!(two_days.to_rfc3339(), "2025-11-12T10:00:00+00:00");
        let hour = find_relative_date("an hour ago", now).unwrap();
        assert_eq!(hour.to_rfc3339(), "2025-11-14T09:00:00+00:00");
        assert!(find_relative_date("5 min read", now).is_none());
    }
}
