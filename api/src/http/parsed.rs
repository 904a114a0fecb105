//! Parsed documents kept by their text. Clients send the same few documents again and again,
//! and parsing one cost more than validating it: about 360 000 instructions for page (a) of
//! the bench, a thirtieth of the whole request. A kept parse is cloned into the request, which
//! async-graphql then validates and executes as if it had parsed the text itself.
//!
//! Of a document holding several operations, the request is given the one it names, with the
//! fragments that operation uses. async-graphql computes the complexity of every operation of
//! a document with the request's variables, so running one query of a GraphiQL tab that
//! holds another taking variables was refused ("Variable n is not defined"), and a document's
//! operations counted against one complexity budget together. The operations that do not
//! run are neither validated nor limited.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_graphql::Positioned;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
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
    /// Gives `request` the parse of its text, kept or new (a text longer than `LONGEST` is
    /// parsed and not kept), of the operation it names. A text that does not parse is left to
    /// the executor, which answers with the syntax error; it is not kept.
    pub fn fill(&self, request: &mut async_graphql::Request) {
        let keepable = request.query.len() <= LONGEST;
        let kept = if keepable {
            self.lock().get(request.query.as_str()).cloned()
        } else {
            None
        };
        let document = match kept {
            Some(document) => document,
            None => match async_graphql::parser::parse_query(&request.query) {
                Ok(parsed) => {
                    let parsed = Arc::new(parsed);
                    if keepable {
                        self.lock().put(request.query.clone(), parsed.clone());
                    }
                    parsed
                }
                Err(_) => return,
            },
        };
        let running = chosen(&document, request.operation_name.as_deref());
        // A parse not kept is the request's own: moved, not copied.
        request.set_parsed_query(running.unwrap_or_else(|| Arc::unwrap_or_clone(document)));
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        // A panic while holding the lock leaves a cache that is still consistent.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The operation of `document` that `name` (or, without one, the document) chooses.
pub(crate) fn operation_of<'d>(
    document: &'d ExecutableDocument,
    name: Option<&str>,
) -> Option<&'d Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next().filter(|_| ops.len() == 1),
    }
}

/// The operation `name` of a document holding several, alone with the fragments it uses; for
/// a name the document does not hold, no operation, which the executor refuses by that name;
/// `None` when the whole document runs (a single operation, or no name).
fn chosen(document: &ExecutableDocument, name: Option<&str>) -> Option<ExecutableDocument> {
    let DocumentOperations::Multiple(operations) = &document.operations else {
        return None;
    };
    let Some((name, operation)) = operations.get_key_value(name?) else {
        return Some(ExecutableDocument {
            operations: DocumentOperations::Multiple(HashMap::new()),
            fragments: HashMap::new(),
        });
    };
    let mut fragments = HashMap::new();
    let mut pending: Vec<&SelectionSet> = vec![&operation.node.selection_set.node];
    while let Some(set) = pending.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => pending.push(&field.node.selection_set.node),
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let used = &spread.node.fragment_name.node;
                    if let Some((used, fragment)) = document.fragments.get_key_value(used)
                        && !fragments.contains_key(used)
                    {
                        fragments.insert(used.clone(), fragment.clone());
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    Some(ExecutableDocument {
        operations: DocumentOperations::Multiple(HashMap::from([(
            name.clone(),
            operation.clone(),
        )])),
        fragments,
    })
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
    fn the_named_operation_runs_alone_with_the_fragments_it_uses() {
        let text = "query A($n: Int!) { projects(first: $n) { ...P } }
                    query B { projects { ...Q } }
                    fragment P on ProjectConnection { totalCount ...R }
                    fragment R on ProjectConnection { totalCount }
                    fragment Q on ProjectConnection { totalCount }";
        let document = async_graphql::parser::parse_query(text).ok();
        let document = document.as_ref().map(|d| chosen(d, Some("A")));
        let Some(Some(a)) = document else {
            panic!("A was not chosen");
        };
        let mut names: Vec<&str> = a
            .operations
            .iter()
            .filter_map(|(n, _)| n)
            .map(|n| n.as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["A"]);
        let mut used: Vec<&str> = a.fragments.keys().map(|n| n.as_str()).collect();
        used.sort_unstable();
        assert_eq!(used, ["P", "R"]);
        let whole = async_graphql::parser::parse_query(text).ok();
        let none = whole.as_ref().and_then(|d| chosen(d, Some("C")));
        assert!(none.is_some_and(|d| d.operations.iter().next().is_none()));
        assert!(whole.as_ref().is_some_and(|d| chosen(d, None).is_none()));
    }

    #[test]
    fn unparsable_and_long_texts_are_not_kept() {
        let cache = ParsedDocuments::default();
        assert_eq!(parsed(&cache, "{ projects(first: "), None);
        let long = format!("{{ __typename }}{}", " ".repeat(LONGEST));
        assert!(parsed(&cache, &long).is_some());
        assert_eq!(cache.lock().len(), 0);
    }

    #[test]
    fn a_long_text_runs_the_named_operation_alone_too() {
        let cache = ParsedDocuments::default();
        let long = format!(
            "query A {{ __typename }} query B($n: Int!) {{ projects(first: $n) {{ totalCount }} }}{}",
            " ".repeat(LONGEST)
        );
        let mut request = async_graphql::Request::new(long).operation_name("A");
        cache.fill(&mut request);
        let names: Vec<String> = request
            .parsed_query()
            .map(|d| {
                d.operations
                    .iter()
                    .filter_map(|(n, _)| n.map(|n| n.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(names, ["A"]);
        assert_eq!(cache.lock().len(), 0);
    }
}
