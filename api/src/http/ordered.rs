//! Answers keep the order of their selection. async-graphql resolves an object's fields
//! concurrently and writes each into the answer when it finishes, so a project's `regions`,
//! `leadOrganisation` and `workshops` came in whatever order their loaders finished. The
//! spec asks for the selection's order, GraphiQL shows what it gets, and an `ETag` is the hash
//! of the bytes: the same data in another order had another tag, and `If-None-Match`
//! revalidation failed at random. `Order` is read off the operation before it runs and put
//! back on the answer after.

use std::collections::HashMap;

use async_graphql::parser::types::{FragmentDefinition, Selection, SelectionSet};
use async_graphql::{Name, Positioned, Value};

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

/// The response keys of a selection in the order it first names them (fragments expanded,
/// aliases as given), each with the order of its own value.
#[derive(Debug, Default, PartialEq)]
pub struct Order(Vec<(Name, Order)>);

impl Order {
    /// The order of the answer to `request`'s operation; `None` when the document does not
    /// parse or leaves the operation open (the executor then answers with an error alone).
    pub fn of(request: &mut async_graphql::Request) -> Option<Self> {
        let name = request.operation_name.clone();
        let document = request.parsed_query().ok()?;
        let operation = super::parsed::operation_of(document, name.as_deref())?;
        Some(Self::of_sets(
            &[&operation.node.selection_set.node],
            &document.fragments,
        ))
    }

    fn of_sets(sets: &[&SelectionSet], fragments: &Fragments) -> Self {
        let mut keys: Vec<(&Name, Vec<&SelectionSet>)> = Vec::new();
        for set in sets {
            collect(set, fragments, &mut Vec::new(), &mut keys);
        }
        Self(
            keys.into_iter()
                .map(|(key, children)| {
                    let order = if children.iter().all(|set| set.items.is_empty()) {
                        Self::default()
                    } else {
                        Self::of_sets(&children, fragments)
                    };
                    (key.clone(), order)
                })
                .collect(),
        )
    }

    /// Puts every object of `value` (lists item by item) in this order. Objects of a leaf,
    /// such as a JSON scalar's, are left as they are.
    pub fn apply(&self, value: &mut Value) {
        match value {
            Value::List(items) => items.iter_mut().for_each(|item| self.apply(item)),
            Value::Object(map) if !self.0.is_empty() => {
                if !self.holds(map.keys()) {
                    map.sort_by_cached_key(|key, _| {
                        self.0
                            .iter()
                            .position(|(k, _)| k == key)
                            .unwrap_or(usize::MAX)
                    });
                }
                // The object is now in this order: walk both together.
                let mut at = 0;
                for (key, value) in map.iter_mut() {
                    while self.0.get(at).is_some_and(|(k, _)| k != key) {
                        at += 1;
                    }
                    let Some((_, under)) = self.0.get(at) else {
                        break;
                    };
                    if !under.0.is_empty() {
                        under.apply(value);
                    }
                    at += 1;
                }
            }
            _ => {}
        }
    }

    /// Whether `keys` come in this order (some may be missing: skipped fields).
    fn holds<'k>(&self, keys: impl Iterator<Item = &'k Name>) -> bool {
        let mut order = self.0.iter();
        keys.into_iter()
            .all(|key| order.by_ref().any(|(k, _)| k == key))
    }
}

/// The fields of `set` by response key, in order, with the selections under each; a fragment
/// spread already being expanded (a cycle, which validation refuses) is not expanded again.
fn collect<'d>(
    set: &'d SelectionSet,
    fragments: &'d Fragments,
    expanding: &mut Vec<&'d Name>,
    keys: &mut Vec<(&'d Name, Vec<&'d SelectionSet>)>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = &field.node.response_key().node;
                let under = &field.node.selection_set.node;
                match keys.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, sets)) => sets.push(under),
                    None => keys.push((key, vec![under])),
                }
            }
            Selection::InlineFragment(inline) => {
                collect(&inline.node.selection_set.node, fragments, expanding, keys)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if let Some(fragment) = fragments.get(name)
                    && !expanding.contains(&name)
                {
                    expanding.push(name);
                    collect(
                        &fragment.node.selection_set.node,
                        fragments,
                        expanding,
                        keys,
                    );
                    expanding.pop();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order of the only operation of `text`.
    fn order_of(text: &str) -> Order {
        let mut request = async_graphql::Request::new(text);
        Order::of(&mut request).unwrap_or_default()
    }

    fn object(pairs: Vec<(&str, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (Name::new(k), v)).collect())
    }

    fn keys(value: &Value) -> Vec<String> {
        match value {
            Value::Object(map) => map.keys().map(|k| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    fn field<'v>(value: &'v Value, key: &str) -> &'v Value {
        match value {
            Value::Object(map) => map.get(key).unwrap_or(&Value::Null),
            _ => &Value::Null,
        }
    }

    #[test]
    fn an_answer_takes_the_order_of_its_selection_fragments_and_aliases_included() {
        let order = order_of(
            "query { p { b: code ...F lead { name } a: code ... on P { x } } }
             fragment F on P { w { t } r { n ...G } }
             fragment G on R { m n }",
        );
        let project = |x| {
            object(vec![
                ("x", Value::from(x)),
                ("a", Value::from("A")),
                ("lead", object(vec![("name", Value::from("L"))])),
                (
                    "r",
                    object(vec![("m", Value::from(1)), ("n", Value::from(2))]),
                ),
                ("w", Value::List(vec![object(vec![("t", Value::from(1))])])),
                ("b", Value::from("B")),
            ])
        };
        let mut answer = object(vec![("p", Value::List(vec![project(1), project(2)]))]);
        order.apply(&mut answer);
        let Value::List(projects) = field(&answer, "p") else {
            panic!("no list: {answer:?}");
        };
        for project in projects {
            assert_eq!(keys(project), ["b", "w", "r", "lead", "a", "x"]);
            assert_eq!(keys(field(project, "r")), ["n", "m"]);
        }
    }

    #[test]
    fn a_fragment_cycle_ends_and_a_leaf_object_keeps_its_own_order() {
        let order = order_of("{ j ...A } fragment A on Q { k ...A }");
        assert_eq!(order.0.len(), 2);
        assert!(order.0.iter().all(|(_, under)| under.0.is_empty()));
        let mut answer = object(vec![
            (
                "k",
                object(vec![("z", Value::from(1)), ("a", Value::from(2))]),
            ),
            ("j", Value::from(1)),
        ]);
        order_of("{ j k }").apply(&mut answer);
        assert_eq!(keys(&answer), ["j", "k"]);
        assert_eq!(keys(field(&answer, "k")), ["z", "a"]);
    }
}
