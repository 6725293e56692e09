//! Text analysis shared by indexing and querying, so both see the same
//! terms: Unicode word splitting, lower-casing, removal of combining marks
//! (Turkish "İ" lower-cases to "i" plus a dot), diacritic folding (Türkiye =
//! Turkiye, Şuşa = Susa, Əliyev = Aliyev) and, for prose fields, English
//! stemming.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Analyzer of prose fields (title, body): folded and stemmed.
pub const PROSE: &str = "dossier_prose";
/// Analyzer of name fields (author, site): folded, not stemmed.
pub const NAMES: &str = "dossier_names";

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs).
const MAX_TOKEN_BYTES: usize = 64;

/// Registers dossier's analyzers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(PROSE, prose_analyzer());
    manager.register(NAMES, names_analyzer());
}

/// The analyzer of prose fields.
pub fn prose_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StripCombiningMarks)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer of name fields.
pub fn names_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StripCombiningMarks)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Removes Unicode combining marks (U+0300..U+036F) from tokens.
#[derive(Clone, Copy, Debug)]
pub struct StripCombiningMarks;

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

impl TokenFilter for StripCombiningMarks {
    type Tokenizer<T: Tokenizer> = StripCombiningMarksTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        StripCombiningMarksTokenizer(tokenizer)
    }
}

/// The tokenizer produced by [`StripCombiningMarks`].
#[derive(Clone, Debug)]
pub struct StripCombiningMarksTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for StripCombiningMarksTokenizer<T> {
    type TokenStream<'a> = StripCombiningMarksStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StripCombiningMarksStream(self.0.token_stream(text))
    }
}

/// The token stream produced by [`StripCombiningMarks`].
pub struct StripCombiningMarksStream<S>(S);

impl<S: TokenStream> TokenStream for StripCombiningMarksStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if token.text.chars().any(is_combining_mark) {
            token.text.retain(|c| !is_combining_mark(c));
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// The terms `analyzer` makes of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Vec<String> {
        terms(&mut prose_analyzer(), text)
    }

    #[test]
    fn diacritics_fold_to_ascii() {
        assert_eq!(
            prose("Türkiye Şuşa Əliyev Ağdam"),
            ["turkiy", "susa", "aliyev", "agdam"]
        );
        assert_eq!(prose("Turkiye Susa Aliyev"), ["turkiy", "susa", "aliyev"]);
        assert_eq!(prose("İstanbul ılık"), prose("Istanbul ilik"));
    }

    #[test]
    fn english_is_stemmed_and_cyrillic_kept() {
        assert_eq!(prose("corridors Corridor"), ["corridor", "corridor"]);
        assert_eq!(prose("Казахстан"), ["казахстан"]);
    }

    #[test]
    fn names_are_not_stemmed() {
        assert_eq!(
            terms(&mut names_analyzer(), "Nino Beridze"),
            ["nino", "beridze"]
        );
        assert_eq!(
            terms(&mut names_analyzer(), "Caspian Studies"),
            ["caspian", "studies"]
        );
    }
}
