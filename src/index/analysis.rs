//! Text analysis shared by indexing, querying and snippets, so all three
//! see the same terms: Unicode word splitting, lower-casing, removal of
//! combining marks (Turkish "İ" lower-cases to "i" plus a dot), diacritic
//! folding (Türkiye = Turkiye, Şuşa = Susa, Əliyev = Aliyev) and stemming
//! in the page's own language, for the 18 languages tantivy has Snowball
//! stemmers for. Other languages get the same analysis without stemming.
//! Folding comes before stemming so a word typed without its diacritics
//! reaches the same stem as the word on the page.

use std::sync::LazyLock;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// The language analysis of an indexed text: a stemming language, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    /// ISO 639-1 code of the stemming language, or "plain" for none.
    pub code: &'static str,
    stemmer: Option<Language>,
}

/// Every analysis dossier indexes with: one per Snowball language, then plain.
pub const ANALYSES: &[Analysis] = &[
    Analysis::stemmed("en", Language::English),
    Analysis::stemmed("ru", Language::Russian),
    Analysis::stemmed("tr", Language::Turkish),
    Analysis::stemmed("de", Language::German),
    Analysis::stemmed("fr", Language::French),
    Analysis::stemmed("es", Language::Spanish),
    Analysis::stemmed("it", Language::Italian),
    Analysis::stemmed("pt", Language::Portuguese),
    Analysis::stemmed("nl", Language::Dutch),
    Analysis::stemmed("sv", Language::Swedish),
    Analysis::stemmed("da", Language::Danish),
    Analysis::stemmed("no", Language::Norwegian),
    Analysis::stemmed("fi", Language::Finnish),
    Analysis::stemmed("hu", Language::Hungarian),
    Analysis::stemmed("ro", Language::Romanian),
    Analysis::stemmed("el", Language::Greek),
    Analysis::stemmed("ar", Language::Arabic),
    Analysis::stemmed("ta", Language::Tamil),
    PLAIN,
];

/// Folding without stemming: names, URLs, exact matches, and pages in
/// languages without a stemmer.
pub const PLAIN: Analysis = Analysis {
    code: "plain",
    stemmer: None,
};

/// English, the analysis of pages whose language is unknown.
pub const DEFAULT: Analysis = ANALYSES[0];

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs).
const MAX_TOKEN_BYTES: usize = 64;

impl Analysis {
    const fn stemmed(code: &'static str, language: Language) -> Analysis {
        Analysis {
            code,
            stemmer: Some(language),
        }
    }

    /// The analysis for a page in language `lang` (ISO 639-1): its stemmer,
    /// plain folding for languages without one, English when unknown.
    pub fn for_lang(lang: Option<&str>) -> Analysis {
        match lang {
            None => DEFAULT,
            Some(code) => ANALYSES
                .iter()
                .find(|a| a.code == code && a.stemmer.is_some())
                .copied()
                .unwrap_or(PLAIN),
        }
    }

    /// Name under which the analyzer is registered with tantivy.
    pub fn tokenizer_name(&self) -> String {
        format!("dossier_{}", self.code)
    }

    /// A copy of this analysis' analyzer, built once per process.
    pub fn shared_analyzer(&self) -> TextAnalyzer {
        static BUILT: LazyLock<Vec<TextAnalyzer>> =
            LazyLock::new(|| ANALYSES.iter().map(Analysis::analyzer).collect());
        let i = ANALYSES
            .iter()
            .position(|a| a == self)
            .expect("every analysis is listed");
        BUILT[i].clone()
    }

    /// A fresh analyzer.
    pub fn analyzer(&self) -> TextAnalyzer {
        let folded = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(StripCombiningMarks)
            .filter(AsciiFoldingFilter);
        match self.stemmer {
            Some(language) => folded.filter(Stemmer::new(language)).build(),
            None => folded.build(),
        }
    }

    /// The terms this analysis makes of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.shared_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }
}

/// Stems of folded words in one analysis, remembered: a page repeats its
/// words, and stemming is the costly part of reading one.
pub struct StemCache {
    analyzer: TextAnalyzer,
    stems: std::collections::HashMap<String, String>,
}

impl StemCache {
    /// An empty cache for `analysis`.
    pub fn new(analysis: Analysis) -> StemCache {
        StemCache {
            analyzer: analysis.shared_analyzer(),
            stems: std::collections::HashMap::new(),
        }
    }

    /// The stem of `folded`, a single word as the plain analysis gives it.
    pub fn stem(&mut self, folded: &str) -> &str {
        if !self.stems.contains_key(folded) {
            let mut stream = self.analyzer.token_stream(folded);
            let stem = if stream.advance() {
                stream.token().text.clone()
            } else {
                folded.to_string()
            };
            self.stems.insert(folded.to_string(), stem);
        }
        &self.stems[folded]
    }
}

/// Whether `word` is an English function word ("the", "are", "of"), by
/// the stop-word list that tantivy ships.
pub fn is_stop_word(word: &str) -> bool {
    static ANALYZER: LazyLock<TextAnalyzer> = LazyLock::new(|| {
        let stop = StopWordFilter::new(Language::English).expect("English stop words exist");
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(stop)
            .build()
    });
    let mut analyzer = ANALYZER.clone();
    let mut stream = analyzer.token_stream(word);
    !word.trim().is_empty() && !stream.advance()
}

/// Registers every analysis with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for analysis in ANALYSES {
        manager.register(&analysis.tokenizer_name(), analysis.analyzer());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> Vec<String> {
        DEFAULT.terms(text)
    }

    #[test]
    fn diacritics_fold_to_ascii() {
        assert_eq!(
            en("Türkiye Şuşa Əliyev Ağdam"),
            ["turkiy", "susa", "aliyev", "agdam"]
        );
        assert_eq!(en("Turkiye Susa Aliyev"), ["turkiy", "susa", "aliyev"]);
        assert_eq!(en("İstanbul ılık"), en("Istanbul ilik"));
    }

    #[test]
    fn english_is_stemmed_and_cyrillic_kept() {
        assert_eq!(en("corridors Corridor"), ["corridor", "corridor"]);
        assert_eq!(en("Казахстан"), ["казахстан"]);
    }

    #[test]
    fn pages_are_stemmed_in_their_own_language() {
        let ru = Analysis::for_lang(Some("ru"));
        assert_eq!(
            ru.terms("переводы перевод"),
            ru.terms("переводов переводами")
        );
        let tr = Analysis::for_lang(Some("tr"));
        assert_eq!(tr.terms("demiryolu"), tr.terms("demiryolları")[..1]);
        let de = Analysis::for_lang(Some("de"));
        assert_eq!(de.terms("Häfen"), de.terms("Hafen"));
    }

    #[test]
    fn cached_stems_equal_analysed_terms() {
        let mut cache = StemCache::new(DEFAULT);
        for word in PLAIN.terms("Corridors of the Caspian, Türkiye's railways") {
            let expected = DEFAULT.terms(&word);
            assert_eq!(cache.stem(&word), expected[0]);
        }
    }

    #[test]
    fn stop_words() {
        assert!(is_stop_word("The") && is_stop_word("are") && is_stop_word("of"));
        assert!(!is_stop_word("pipeline") && !is_stop_word("Baku"));
    }

    #[test]
    fn unknown_and_stemmerless_languages() {
        assert_eq!(Analysis::for_lang(None), DEFAULT);
        assert_eq!(Analysis::for_lang(Some("az")), PLAIN);
        assert_eq!(PLAIN.terms("Caspian Studies"), ["caspian", "studies"]);
    }
}
