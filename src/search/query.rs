//! The query language: a small recursive-descent parser from the text a
//! user types to a query tree. It owns the syntax (words, "phrases"~slop,
//! -exclusion and NOT, OR, AND, parentheses, field:value, after:/before:
//! dates and published:[A TO B] ranges, prefix*, fuzzy~N) and its error
//! messages, which name the column and what was expected. Turning the tree
//! into tantivy queries is `search::build`'s job.

use std::fmt;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};

use crate::extract::dates::parse_timestamp;
use crate::index::analysis::is_stop_word;

/// Fields a word or phrase can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// Headline.
    Title,
    /// Article text.
    Body,
    /// Author names.
    Author,
    /// Site name.
    Site,
    /// Canonical URL.
    Url,
}

/// How a single word matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordMatch {
    /// The word, stemmed in each page's language (exact forms rank higher).
    Stemmed,
    /// Any word starting with it (`energ*`).
    Prefix,
    /// Any word within this many edits (`Aliev~1`).
    Fuzzy(u8),
}

/// A query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// One word, in title and body unless a field is given.
    Word {
        /// The field, or None for title and body.
        field: Option<TextField>,
        /// The word as typed.
        text: String,
        /// How it matches.
        matching: WordMatch,
    },
    /// Words in this order, at most `slop` positions apart.
    Phrase {
        /// The field, or None for title and body.
        field: Option<TextField>,
        /// The phrase as typed.
        text: String,
        /// Allowed extra distance between the words.
        slop: u32,
    },
    /// Every page (`*`).
    All,
    /// Pages in this language (`lang:ru`).
    Lang(String),
    /// Pages published in `[from, to)`; either end may be open, and with
    /// both open, every page that has a publication date (`published:*`).
    Published {
        /// Inclusive lower bound.
        from: Option<DateTime<Utc>>,
        /// Exclusive upper bound.
        to: Option<DateTime<Utc>>,
    },
    /// Clauses combined: `Should` clauses rank, `Must` clauses are required,
    /// `MustNot` clauses exclude.
    Clauses(Vec<(Occur, Expr)>),
    /// Any of these.
    Or(Vec<Expr>),
}

/// How a clause takes part in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Optional, adds to the score.
    Should,
    /// Required (`+word`, `a AND b`).
    Must,
    /// Excluded (`-word`, `NOT word`).
    MustNot,
}

/// A query that could not be parsed: where and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based character column.
    pub column: usize,
    /// What was wrong or expected.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// Field names the parser knows, for error messages.
const FIELD_NAMES: &str = "title, body, author, site, url, lang, published, after, before";

/// Largest edit distance a fuzzy word may ask for.
const MAX_FUZZY: u8 = 2;

/// Shortest prefix accepted before `*`.
const MIN_PREFIX_CHARS: usize = 2;

/// Parses a query in dossier's syntax.
pub fn parse(text: &str) -> Result<Expr, SyntaxError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.or_expr()?;
    match parser.peek() {
        None => Ok(expr),
        Some(t) => Err(t.error(format!("unexpected {}", t.kind.describe()))),
    }
}

/// Reads text as plain words: no operators, never an error.
pub fn literal(text: &str) -> Expr {
    Expr::Clauses(
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let word = Expr::Word {
                    field: None,
                    text: w.to_string(),
                    matching: WordMatch::Stemmed,
                };
                (Occur::Should, word)
            })
            .collect(),
    )
}

/// Drops English function words from a group of plain words when it has
/// other words: "the problems of heat conduction" searches for "problems
/// heat conduction", and "to be or not to be" stays as typed.
pub fn without_stop_words(expr: Expr) -> Expr {
    let Expr::Clauses(clauses) = expr else {
        return expr;
    };
    let is_stop = |(occur, e): &(Occur, Expr)| {
        *occur == Occur::Should
            && matches!(e, Expr::Word { field: None, matching: WordMatch::Stemmed, text } if is_stop_word(text))
    };
    if clauses.iter().all(|c| is_stop(c) || c.0 == Occur::MustNot) {
        return Expr::Clauses(clauses);
    }
    Expr::Clauses(clauses.into_iter().filter(|c| !is_stop(c)).collect())
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Open,
    Close,
    Or,
    And,
    Not,
    Minus,
    Plus,
    /// A quoted phrase with its slop.
    Phrase(String, u32),
    /// A bare word, possibly `field:value`, `word*` or `word~N`.
    Word(String),
    /// `field:` directly followed by a quote, parenthesis or range.
    Field(String),
    /// `[from TO to]`.
    Range(String, String),
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::Open => "\"(\"".into(),
            Kind::Close => "\")\"".into(),
            Kind::Or => "OR".into(),
            Kind::And => "AND".into(),
            Kind::Not => "NOT".into(),
            Kind::Minus => "\"-\"".into(),
            Kind::Plus => "\"+\"".into(),
            Kind::Phrase(p, _) => format!("phrase \"{p}\""),
            Kind::Word(w) => format!("\"{w}\""),
            Kind::Field(f) => format!("\"{f}:\""),
            Kind::Range(..) => "a range".into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// 1-based character column.
    column: usize,
}

impl Token {
    fn error(&self, message: String) -> SyntaxError {
        SyntaxError {
            column: self.column,
            message,
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let at_word_start = i + 1 < chars.len() && !chars[i + 1].is_whitespace();
        let kind = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => Kind::Open,
            ')' => Kind::Close,
            '-' if at_word_start && starts_token(&tokens, &chars, i) => Kind::Minus,
            '+' if at_word_start && starts_token(&tokens, &chars, i) => Kind::Plus,
            '"' => {
                let (phrase, slop, end) = lex_phrase(&chars, i)?;
                tokens.push(Token {
                    kind: Kind::Phrase(phrase, slop),
                    column,
                });
                i = end;
                continue;
            }
            '[' => {
                let (from, to, end) = lex_range(&chars, i)?;
                tokens.push(Token {
                    kind: Kind::Range(from, to),
                    column,
                });
                i = end;
                continue;
            }
            _ => {
                let end = (i..chars.len())
                    .find(|&j| {
                        chars[j].is_whitespace() || matches!(chars[j], '(' | ')' | '"' | '[')
                    })
                    .unwrap_or(chars.len());
                let word: String = chars[i..end].iter().collect();
                let kind = match word.as_str() {
                    "OR" => Kind::Or,
                    "AND" => Kind::And,
                    "NOT" => Kind::Not,
                    w if w.ends_with(':') && end < chars.len() && !chars[end].is_whitespace() => {
                        Kind::Field(w.trim_end_matches(':').to_string())
                    }
                    _ => Kind::Word(word),
                };
                tokens.push(Token { kind, column });
                i = end;
                continue;
            }
        };
        tokens.push(Token { kind, column });
        i += 1;
    }
    Ok(tokens)
}

/// A `-` or `+` is an operator only at the start of a word, not inside
/// one ("Kars-Tbilisi").
fn starts_token(_tokens: &[Token], chars: &[char], i: usize) -> bool {
    i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '('
}

fn lex_phrase(chars: &[char], open: usize) -> Result<(String, u32, usize), SyntaxError> {
    let close = (open + 1..chars.len())
        .find(|&j| chars[j] == '"')
        .ok_or(SyntaxError {
            column: open + 1,
            message: "unterminated phrase: expected a closing '\"'".into(),
        })?;
    let phrase: String = chars[open + 1..close].iter().collect();
    let mut end = close + 1;
    let mut slop = 0;
    if chars.get(end) == Some(&'~') {
        let digits: String = chars[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        slop = digits.parse().map_err(|_| SyntaxError {
            column: end + 1,
            message: "expected a number after '~' (the phrase slop, e.g. \"gas pipeline\"~3)"
                .into(),
        })?;
        end += 1 + digits.len();
    }
    Ok((phrase, slop, end))
}

fn lex_range(chars: &[char], open: usize) -> Result<(String, String, usize), SyntaxError> {
    let close = (open + 1..chars.len())
        .find(|&j| chars[j] == ']')
        .ok_or(SyntaxError {
            column: open + 1,
            message: "unterminated range: expected ']' (e.g. published:[2025-01-01 TO 2025-06-30])"
                .into(),
        })?;
    let inner: String = chars[open + 1..close].iter().collect();
    let parts: Vec<&str> = inner.split_whitespace().collect();
    match parts.as_slice() {
        [from, "TO", to] => Ok((from.to_string(), to.to_string(), close + 1)),
        _ => Err(SyntaxError {
            column: open + 1,
            message: "expected a range as [FROM TO TO], with * for an open end".into(),
        }),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Groups and prefix operators open around the current token.
    depth: usize,
}

/// How deeply groups and NOT/-/+ may nest; the parser recurses once per
/// level, so this bounds its stack whatever the query.
const MAX_NESTING: usize = 64;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn end_column(&self) -> usize {
        self.tokens.last().map_or(1, |t| t.column + 1)
    }

    /// or_expr := and_expr ("OR" and_expr)*
    fn or_expr(&mut self) -> Result<Expr, SyntaxError> {
        let mut alternatives = vec![self.and_expr()?];
        while self.peek().is_some_and(|t| t.kind == Kind::Or) {
            self.next();
            alternatives.push(self.and_expr()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().expect("one alternative")
        } else {
            Expr::Or(alternatives)
        })
    }

    /// and_expr := clause (["AND"] clause)*
    fn and_expr(&mut self) -> Result<Expr, SyntaxError> {
        let mut clauses: Vec<(Occur, Expr)> = Vec::new();
        let mut joined_by_and = false;
        loop {
            match self.peek().map(|t| &t.kind) {
                None | Some(Kind::Close) | Some(Kind::Or) => break,
                Some(Kind::And) => {
                    let and = self.next().expect("peeked");
                    if clauses.is_empty() {
                        return Err(and.error("AND needs a term before it".into()));
                    }
                    if let Some(last) = clauses.last_mut() {
                        if last.0 == Occur::Should {
                            last.0 = Occur::Must;
                        }
                    }
                    joined_by_and = true;
                    if self
                        .peek()
                        .is_none_or(|t| matches!(t.kind, Kind::Close | Kind::Or | Kind::And))
                    {
                        return Err(and.error("expected a term after AND".into()));
                    }
                }
                Some(_) => {
                    let (occur, expr) = self.clause()?;
                    let required = joined_by_and || is_filter(&expr);
                    let occur = if required && occur == Occur::Should {
                        Occur::Must
                    } else {
                        occur
                    };
                    joined_by_and = false;
                    clauses.push((occur, expr));
                }
            }
        }
        if clauses.is_empty() {
            let column = self.peek().map_or(self.end_column(), |t| t.column);
            return Err(SyntaxError {
                column,
                message: "expected a word, a \"phrase\" or a field:value".into(),
            });
        }
        Ok(match clauses.as_slice() {
            [(Occur::Should | Occur::Must, _)] => clauses.pop().expect("one clause").1,
            _ => Expr::Clauses(clauses),
        })
    }

    /// clause := ("-" | "NOT" | "+") clause | primary
    fn clause(&mut self) -> Result<(Occur, Expr), SyntaxError> {
        let occur = match self.peek().map(|t| t.kind.clone()) {
            Some(Kind::Minus) | Some(Kind::Not) => Occur::MustNot,
            Some(Kind::Plus) => Occur::Must,
            _ => return Ok((Occur::Should, self.primary(None)?)),
        };
        let operator = self.next().expect("peeked");
        let (_, expr) = self.nested(&operator, |p| p.clause())?;
        Ok((occur, expr))
    }

    /// Runs `inner` one nesting level deeper, refusing past `MAX_NESTING`.
    fn nested<T>(
        &mut self,
        at: &Token,
        inner: impl FnOnce(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<T, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return Err(at.error(format!("nested more than {MAX_NESTING} levels deep")));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    /// primary := "(" or_expr ")" | phrase | word | field ":" primary
    fn primary(&mut self, field: Option<TextField>) -> Result<Expr, SyntaxError> {
        let Some(token) = self.next() else {
            return Err(SyntaxError {
                column: self.end_column(),
                message: "expected a word, a \"phrase\" or \"(\" at the end of the query".into(),
            });
        };
        match token.kind.clone() {
            Kind::Open => {
                let inner = self.nested(&token, |p| p.or_expr_in(field))?;
                match self.next() {
                    Some(t) if t.kind == Kind::Close => Ok(inner),
                    _ => Err(token.error("expected \")\" to close this \"(\"".into())),
                }
            }
            Kind::Phrase(text, slop) => Ok(Expr::Phrase { field, text, slop }),
            Kind::Word(word) => word_or_field(&word, field, &token),
            Kind::Field(name) => self.field_value(&name, &token),
            other => Err(token.error(format!(
                "expected a word, a \"phrase\" or \"(\", found {}",
                other.describe()
            ))),
        }
    }

    /// A parenthesised group inside `field:( ... )`: its words take the field.
    fn or_expr_in(&mut self, field: Option<TextField>) -> Result<Expr, SyntaxError> {
        let expr = self.or_expr()?;
        Ok(match field {
            Some(f) => with_field(expr, f),
            None => expr,
        })
    }

    /// `field:` followed by a phrase, a group or a range.
    fn field_value(&mut self, name: &str, token: &Token) -> Result<Expr, SyntaxError> {
        if name.eq_ignore_ascii_case("published") {
            return match self.next() {
                Some(Token {
                    kind: Kind::Range(from, to),
                    column,
                }) => date_range(&from, &to, column),
                _ => Err(token.error(
                    "expected a range after published:, e.g. published:[2025-01-01 TO 2025-06-30]"
                        .into(),
                )),
            };
        }
        let field = text_field(name).ok_or_else(|| unknown_field(name, token))?;
        self.primary(Some(field))
    }
}

/// Dates, languages, sites and authors restrict a query rather than rank
/// it: `grain site:bspi after:2025` means grain pages of that site and year.
pub fn is_filter(expr: &Expr) -> bool {
    match expr {
        Expr::Published { .. } | Expr::Lang(_) => true,
        Expr::Word { field, .. } | Expr::Phrase { field, .. } => {
            matches!(field, Some(TextField::Site) | Some(TextField::Author))
        }
        Expr::Or(alternatives) => alternatives.iter().all(is_filter),
        _ => false,
    }
}

/// Puts every word and phrase of `expr` in `field`.
fn with_field(expr: Expr, field: TextField) -> Expr {
    match expr {
        Expr::Word { text, matching, .. } => Expr::Word {
            field: Some(field),
            text,
            matching,
        },
        Expr::Phrase { text, slop, .. } => Expr::Phrase {
            field: Some(field),
            text,
            slop,
        },
        Expr::Clauses(cs) => Expr::Clauses(
            cs.into_iter()
                .map(|(o, e)| (o, with_field(e, field)))
                .collect(),
        ),
        Expr::Or(es) => Expr::Or(es.into_iter().map(|e| with_field(e, field)).collect()),
        other => other,
    }
}

fn text_field(name: &str) -> Option<TextField> {
    Some(match name.to_ascii_lowercase().as_str() {
        "title" => TextField::Title,
        "body" | "text" => TextField::Body,
        "author" | "by" => TextField::Author,
        "site" => TextField::Site,
        "url" => TextField::Url,
        _ => return None,
    })
}

fn unknown_field(name: &str, token: &Token) -> SyntaxError {
    token.error(format!(
        "unknown field \"{name}\"; fields are {FIELD_NAMES}"
    ))
}

/// A bare word: `field:value`, `word*`, `word~N` or a plain word.
fn word_or_field(word: &str, field: Option<TextField>, token: &Token) -> Result<Expr, SyntaxError> {
    if let Some((name, value)) = word.split_once(':') {
        if field.is_none() && !name.is_empty() && name.chars().all(|c| c.is_alphabetic()) {
            return field_word(name, value, token);
        }
    }
    plain_word(word, field, token)
}

fn field_word(name: &str, value: &str, token: &Token) -> Result<Expr, SyntaxError> {
    let value_column = token.column + name.chars().count() + 1;
    let value_token = Token {
        kind: Kind::Word(value.to_string()),
        column: value_column,
    };
    if value.is_empty() {
        return Err(value_token.error(format!("expected a value after \"{name}:\"")));
    }
    match name.to_ascii_lowercase().as_str() {
        "lang" => Ok(Expr::Lang(value.to_ascii_lowercase())),
        "after" => Ok(Expr::Published {
            from: Some(date_start(value, value_column)?),
            to: None,
        }),
        "before" => Ok(Expr::Published {
            from: None,
            to: Some(date_start(value, value_column)?),
        }),
        "published" if value == "*" => Ok(Expr::Published {
            from: None,
            to: None,
        }),
        "published" => {
            let (from, to) = date_span(value, value_column)?;
            Ok(Expr::Published {
                from: Some(from),
                to: Some(to),
            })
        }
        _ => {
            let field = text_field(name).ok_or_else(|| unknown_field(name, token))?;
            plain_word(value, Some(field), &value_token)
        }
    }
}

fn plain_word(word: &str, field: Option<TextField>, token: &Token) -> Result<Expr, SyntaxError> {
    if word == "*" && field.is_none() {
        return Ok(Expr::All);
    }
    let (text, matching) = if let Some(stem) = word.strip_suffix('*') {
        if stem.chars().filter(|c| c.is_alphanumeric()).count() < MIN_PREFIX_CHARS {
            return Err(token.error(format!(
                "a prefix needs at least {MIN_PREFIX_CHARS} letters before '*'"
            )));
        }
        (stem, WordMatch::Prefix)
    } else if let Some((stem, distance)) = word.rsplit_once('~') {
        let distance = if distance.is_empty() {
            Ok(1)
        } else {
            distance.parse::<u8>()
        };
        match distance {
            Ok(d) if d <= MAX_FUZZY && !stem.is_empty() => (stem, WordMatch::Fuzzy(d)),
            _ => {
                return Err(token.error(format!(
                    "expected an edit distance of 0 to {MAX_FUZZY} after '~' (e.g. Aliev~1)"
                )))
            }
        }
    } else {
        (word, WordMatch::Stemmed)
    };
    Ok(Expr::Word {
        field,
        text: text.to_string(),
        matching,
    })
}

/// A date as typed: YYYY, YYYY-MM or YYYY-MM-DD, with the span it covers.
fn date_span(value: &str, column: usize) -> Result<(DateTime<Utc>, DateTime<Utc>), SyntaxError> {
    let (start, end) = parse_date_span(value, column)?;
    if !(SEARCHABLE_YEARS.contains(&start.year()) && SEARCHABLE_YEARS.contains(&end.year())) {
        return Err(SyntaxError {
            column,
            message: format!(
                "date \"{value}\" is out of range: years {} to {} can be searched",
                SEARCHABLE_YEARS.start(),
                SEARCHABLE_YEARS.end()
            ),
        });
    }
    Ok((start, end))
}

/// Years a date filter may name; tantivy's dates (nanoseconds in an i64)
/// end in 2262, and no archived page is older than the web by centuries.
const SEARCHABLE_YEARS: std::ops::RangeInclusive<i32> = 1700..=2200;

fn parse_date_span(
    value: &str,
    column: usize,
) -> Result<(DateTime<Utc>, DateTime<Utc>), SyntaxError> {
    let bad = || SyntaxError {
        column,
        message: format!(
            "bad date \"{value}\": expected YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time"
        ),
    };
    if value.contains('T') {
        // A full timestamp stands for that second.
        let instant = parse_timestamp(value).ok_or_else(bad)?;
        return Ok((instant, instant + chrono::Duration::seconds(1)));
    }
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (start, months) = match parts.as_slice() {
        [y] if y.len() == 4 => (NaiveDate::from_ymd_opt(num(y)? as i32, 1, 1), 12),
        [y, m] if y.len() == 4 => (NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, 1), 1),
        [y, m, d] if y.len() == 4 => (NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?), 0),
        _ => (None, 0),
    };
    let start = start.ok_or_else(bad)?;
    let end = if months == 0 {
        start.succ_opt()
    } else {
        start.checked_add_months(Months::new(months))
    }
    .ok_or_else(bad)?;
    Ok((midnight(start), midnight(end)))
}

fn date_start(value: &str, column: usize) -> Result<DateTime<Utc>, SyntaxError> {
    date_span(value, column).map(|(start, _)| start)
}

/// `published:[FROM TO TO]`: inclusive of both ends' whole spans; `*` is open.
fn date_range(from: &str, to: &str, column: usize) -> Result<Expr, SyntaxError> {
    let from = match from {
        "*" => None,
        f => Some(date_span(f, column + 1)?.0),
    };
    let to = match to {
        "*" => None,
        t => Some(date_span(t, column + 1)?.1),
    };
    Ok(Expr::Published { from, to })
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(d.year(), d.month(), d.day(), 0, 0, 0)
        .single()
        .expect("midnight exists in UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Expr {
        Expr::Word {
            field: None,
            text: text.into(),
            matching: WordMatch::Stemmed,
        }
    }

    fn err(q: &str) -> String {
        parse(q).unwrap_err().to_string()
    }

    #[test]
    fn words_and_phrases() {
        assert_eq!(parse("gas").unwrap(), word("gas"));
        assert_eq!(
            parse("gas \"middle corridor\"~2").unwrap(),
            Expr::Clauses(vec![
                (Occur::Should, word("gas")),
                (
                    Occur::Should,
                    Expr::Phrase {
                        field: None,
                        text: "middle corridor".into(),
                        slop: 2
                    }
                )
            ])
        );
    }

    #[test]
    fn exclusion_requirement_and_boolean_operators() {
        assert_eq!(
            parse("Baku -oil +gas NOT coal").unwrap(),
            Expr::Clauses(vec![
                (Occur::Should, word("Baku")),
                (Occur::MustNot, word("oil")),
                (Occur::Must, word("gas")),
                (Occur::MustNot, word("coal")),
            ])
        );
        assert_eq!(
            parse("Baku AND (gas OR oil)").unwrap(),
            Expr::Clauses(vec![
                (Occur::Must, word("Baku")),
                (Occur::Must, Expr::Or(vec![word("gas"), word("oil")]))
            ])
        );
        assert_eq!(parse("Kars-Tbilisi").unwrap(), word("Kars-Tbilisi"));
    }

    #[test]
    fn fields_prefixes_and_fuzzy_words() {
        assert_eq!(
            parse("title:pipeline").unwrap(),
            Expr::Word {
                field: Some(TextField::Title),
                text: "pipeline".into(),
                matching: WordMatch::Stemmed
            }
        );
        assert_eq!(
            parse("author:\"Nino Beridze\"").unwrap(),
            Expr::Phrase {
                field: Some(TextField::Author),
                text: "Nino Beridze".into(),
                slop: 0
            }
        );
        assert_eq!(
            parse("energ*").unwrap(),
            Expr::Word {
                field: None,
                text: "energ".into(),
                matching: WordMatch::Prefix
            }
        );
        assert_eq!(
            parse("Aliev~1").unwrap(),
            Expr::Word {
                field: None,
                text: "Aliev".into(),
                matching: WordMatch::Fuzzy(1)
            }
        );
        assert_eq!(parse("lang:RU").unwrap(), Expr::Lang("ru".into()));
        assert_eq!(parse("*").unwrap(), Expr::All);
        assert_eq!(
            parse("published:*").unwrap(),
            Expr::Published {
                from: None,
                to: None
            }
        );
        assert_eq!(
            parse("site:(bspi OR medium)").unwrap(),
            Expr::Or(vec![
                Expr::Word {
                    field: Some(TextField::Site),
                    text: "bspi".into(),
                    matching: WordMatch::Stemmed
                },
                Expr::Word {
                    field: Some(TextField::Site),
                    text: "medium".into(),
                    matching: WordMatch::Stemmed
                },
            ])
        );
    }

    #[test]
    fn filters_are_required() {
        assert_eq!(
            parse("grain lang:en site:bspi").unwrap(),
            Expr::Clauses(vec![
                (Occur::Should, word("grain")),
                (Occur::Must, Expr::Lang("en".into())),
                (
                    Occur::Must,
                    Expr::Word {
                        field: Some(TextField::Site),
                        text: "bspi".into(),
                        matching: WordMatch::Stemmed
                    }
                ),
            ])
        );
    }

    #[test]
    fn dates() {
        let d = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            parse("after:2025-01-01").unwrap(),
            Expr::Published {
                from: Some(d("2025-01-01T00:00:00Z")),
                to: None
            }
        );
        assert_eq!(
            parse("before:2025-06").unwrap(),
            Expr::Published {
                from: None,
                to: Some(d("2025-06-01T00:00:00Z"))
            }
        );
        assert_eq!(
            parse("published:[2024-11 TO 2025]").unwrap(),
            Expr::Published {
                from: Some(d("2024-11-01T00:00:00Z")),
                to: Some(d("2026-01-01T00:00:00Z"))
            }
        );
        assert_eq!(
            parse("published:[2025-01-01T00:00:00Z TO 2025-07-01T00:00:00Z]").unwrap(),
            Expr::Published {
                from: Some(d("2025-01-01T00:00:00Z")),
                to: Some(d("2025-07-01T00:00:01Z"))
            }
        );
        assert_eq!(
            parse("published:2025-02-28").unwrap(),
            Expr::Published {
                from: Some(d("2025-02-28T00:00:00Z")),
                to: Some(d("2025-03-01T00:00:00Z"))
            }
        );
    }

    #[test]
    fn errors_name_the_column_and_what_was_expected() {
        assert_eq!(
            err("title:(gas"),
            "column 7: expected \")\" to close this \"(\""
        );
        assert_eq!(
            err("\"middle corridor"),
            "column 1: unterminated phrase: expected a closing '\"'"
        );
        assert!(err("gas )").starts_with("column 5: unexpected \")\""));
        assert!(err("colour:red").starts_with("column 1: unknown field \"colour\""));
        assert!(err("after:2025-13").starts_with("column 7: bad date \"2025-13\""));
        assert!(err("before:9999").contains("out of range"));
        assert!(err("published:[0001 TO 2025]").contains("out of range"));
        assert!(err("Aliev~5").contains("edit distance"));
        assert!(err("e*").contains("prefix"));
        assert!(err("gas AND").contains("after AND"));
        assert!(err("").contains("expected a word"));
        assert!(err("published:[2025 2026]").contains("[FROM TO TO]"));
    }

    #[test]
    fn stop_words_go_unless_nothing_else_is_left() {
        assert_eq!(
            without_stop_words(literal("are the problems of heat")),
            Expr::Clauses(vec![
                (Occur::Should, word("problems")),
                (Occur::Should, word("heat"))
            ])
        );
        assert_eq!(
            without_stop_words(literal("to be or not to be")),
            literal("to be or not to be")
        );
    }

    #[test]
    fn no_short_input_makes_the_parser_panic() {
        // Every string of up to four characters over the syntax's own
        // characters, a letter, a digit and multi-byte letters.
        let alphabet: Vec<char> = "\"()-+*~:[] aT1ş".chars().collect();
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = inputs
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            for input in &longer {
                let _ = parse(input);
                let _ = without_stop_words(literal(input));
            }
            inputs = longer;
        }
        assert_eq!(inputs.len(), alphabet.len().pow(4));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(err(&deep).contains("nested more than 64 levels"));
        assert!(err(&"NOT ".repeat(100_000)).contains("nested more than 64 levels"));
        let fine = format!("{}a{}", "(".repeat(20), ")".repeat(20));
        assert_eq!(parse(&fine).unwrap(), word("a"));
    }

    #[test]
    fn literal_text_never_fails() {
        assert_eq!(
            literal("what (about) \"Poti\" -ports? title:"),
            Expr::Clauses(
                ["what", "about", "Poti", "ports", "title"]
                    .iter()
                    .map(|w| (Occur::Should, word(w)))
                    .collect()
            )
        );
    }
}
