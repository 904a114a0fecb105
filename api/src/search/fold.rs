//! Words as search compares them: Unicode lower case with accents and other marks taken off
//! (Å → a, Č → c, Ł → l, ß → ss), split at anything that is not a letter or digit. Done here,
//! in Rust, for both the stored words and the search term, so SQLite and PostgreSQL compare
//! exactly the same strings.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest word kept; longer runs of letters are cut (nobody types them).
const MAX_WORD_CHARS: usize = 40;

/// The folded words of `text`, in order, repeats included.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                push_folded(&mut word, lower);
            }
        } else if !word.is_empty() {
            out.push(cut(std::mem::take(&mut word)));
        }
    }
    if !word.is_empty() {
        out.push(cut(word));
    }
    out
}

/// Letters that carry their mark inside them, so decomposition leaves them whole.
fn push_folded(word: &mut String, c: char) {
    match c {
        'ł' => word.push('l'),
        'đ' => word.push('d'),
        'ø' => word.push('o'),
        'ß' => word.push_str("ss"),
        'æ' => word.push_str("ae"),
        'œ' => word.push_str("oe"),
        'ı' => word.push('i'),
        'þ' => word.push_str("th"),
        _ => word.push(c),
    }
}

fn cut(word: String) -> String {
    if word.chars().count() <= MAX_WORD_CHARS {
        word
    } else {
        word.chars().take(MAX_WORD_CHARS).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_programmes_languages_fold_to_the_same_words_whatever_the_case_and_marks() {
        assert_eq!(
            words("Jämställd REGIONAL tillväxt"),
            ["jamstalld", "regional", "tillvaxt"]
        );
        assert_eq!(words("ÅLAND Åland åland"), ["aland", "aland", "aland"]);
        assert_eq!(words("Työelämävalmennus"), ["tyoelamavalmennus"]);
        assert_eq!(words("ŁÓDŹ Łódź łódź"), ["lodz", "lodz", "lodz"]);
        assert_eq!(words("ŻÓŁĆ Gęślą"), ["zolc", "gesla"]);
        assert_eq!(
            words("ČŠŽ Ljubljana Šentjur Žalec"),
            ["csz", "ljubljana", "sentjur", "zalec"]
        );
        assert_eq!(words("Straße"), ["strasse"]);
    }

    #[test]
    fn punctuation_and_json_syntax_are_not_words() {
        assert_eq!(
            words(r#"{"en": "Grassroots in Action"}"#),
            ["en", "grassroots", "in", "action"]
        );
        assert!(words(r#"" , : { } [ ]"#).is_empty());
        assert_eq!(words("SE-BLEKINGE-JRT"), ["se", "blekinge", "jrt"]);
    }
}
