//! Parsed documents kept by their text. Clients send the same few documents again and again,
//! and parsing one cost more than validating it: about 360 000 instructions for page (a) of
//! the bench, a thirtieth of the whole request. A kept parse is cloned into the request, which
//! async-graphql then validates and executes as if it had parsed the text itself.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;

/// How many parses are kept.
const KEPT: usize = 256;
/// Longer texts are parsed each time, so the cache holds at most `KEPT` documents this long.
const LONGEST: usize = 8 * 1024;

pub struct ParsedDocuments {
    kept: Mutex<LruCache<String, Arc<ExecutableDocument>>>,
}

impl Default for ParsedDocuments {
    fn default() -> Self {
        Self {
            kept: Mutex::new(LruCache::new(
                NonZeroUsize::new(KEPT).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl ParsedDocuments {
    /// Gives `request` the parse of its text, kept or new. A text that does not parse is left
    /// to the executor, which answers with the syntax error; it is not kept.
    pub fn fill(&self, request: &mut async_graphql::Request) {
        if request.query.len() > LONGEST {
            return;
        }
        let kept = self.lock().get(request.query.as_str()).cloned();
        let document = match kept {
            Some(document) => document,
            None => match async_graphql::parser::parse_query(&request.query) {
                Ok(parsed) => {
                    let parsed = Arc::new(parsed);
                    self.lock().put(request.query.clone(), parsed.clone());
                    parsed
                }
                Err(_) => return,
            },
        };
        request.set_parsed_query(ExecutableDocument::clone(&document));
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        // A panic while holding the lock leaves a cache that is still consistent.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(cache: &ParsedDocuments, text: &str) -> Option<String> {
        let mut request = async_graphql::Request::new(text);
        cache.fill(&mut request);
        request
            .parsed_query()
            .ok()
            .map(|document| format!("{document:?}"))
    }

    #[test]
    fn a_kept_parse_is_the_parse_of_the_text() {
        let cache = ParsedDocuments::default();
        let text = "query Q($n: Int!) { projects(first: $n) { nodes { code } } }";
        let fresh = async_graphql::parser::parse_query(text).map(|d| format!("{d:?}"));
        let first = parsed(&cache, text);
        let second = parsed(&cache, text);
        assert_eq!(first, fresh.ok());
        assert_eq!(second, first);
        assert_eq!(cache.lock().len(), 1);
    }

    #[test]
    fn unparsable_and_long_texts_are_not_kept() {
        let cache = ParsedDocuments::default();
        assert_eq!(parsed(&cache, "{ projects(first: "), None);
        let long = format!("{{ __typename }}{}", " ".repeat(LONGEST));
        assert!(parsed(&cache, &long).is_some());
        assert_eq!(cache.lock().len(), 0);
    }
}
