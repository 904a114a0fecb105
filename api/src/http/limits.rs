//! Limits on the shape of a query document, checked on the parsed document before the caller
//! is authenticated or anything runs: depth, fields, aliases, repeated fields and directives,
//! counted with fragments expanded. The walk stops at the first limit passed, so its own cost
//! is bounded by the limits too. (Cost per field is async-graphql's complexity limit.)

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::config::Limits;

/// Which limit a document passed, and its maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: &'static str,
    pub max: u32,
    pub message: String,
}

fn exceeded(limit: &'static str, max: u32, what: &str) -> Exceeded {
    Exceeded {
        limit,
        max,
        message: format!("the query has more {what} than the {max} allowed"),
    }
}

/// What the walk learnt about a document within its limits.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Whether it asks for `__schema` or `__type`.
    pub introspects: bool,
}

/// What both transports check before authenticating: the document's length, then, when it
/// parses, every operation's shape. A document that does not parse passes here; the executor
/// answers it with its syntax error.
pub fn check_request(
    request: &mut async_graphql::Request,
    limits: &Limits,
) -> Result<Shape, Exceeded> {
    if request.query.len() > limits.max_query_bytes as usize {
        return Err(Exceeded {
            limit: "queryBytes",
            max: limits.max_query_bytes,
            message: format!(
                "the query is longer than the {} bytes allowed",
                limits.max_query_bytes
            ),
        });
    }
    match request.parsed_query() {
        Ok(document) => check(document, limits),
        Err(_) => Ok(Shape::default()),
    }
}

/// Checks every operation of the document.
pub fn check(document: &ExecutableDocument, limits: &Limits) -> Result<Shape, Exceeded> {
    let mut shape = Shape::default();
    for (_, operation) in document.operations.iter() {
        let mut walk = Walk {
            document,
            limits,
            fields: 0,
            aliases: 0,
            directives: operation.node.directives.len() as u32,
            fragments: Vec::new(),
            introspects: false,
        };
        walk.check_directives()?;
        walk.selection_set(&operation.node.selection_set.node, 1)?;
        shape.introspects |= walk.introspects;
    }
    Ok(shape)
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    limits: &'a Limits,
    fields: u32,
    aliases: u32,
    directives: u32,
    /// Fragments being expanded, to stop at cycles (which validation refuses anyway).
    fragments: Vec<&'a str>,
    introspects: bool,
}

impl<'a> Walk<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet, depth: u32) -> Result<(), Exceeded> {
        let mut keys: HashMap<&'a str, u32> = HashMap::new();
        self.items(set, depth, &mut keys)
    }

    /// The items of one selection set, fragments merged into it as the executor merges them.
    fn items(
        &mut self,
        set: &'a SelectionSet,
        depth: u32,
        keys: &mut HashMap<&'a str, u32>,
    ) -> Result<(), Exceeded> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if depth > self.limits.max_depth {
                        return Err(exceeded(
                            "depth",
                            self.limits.max_depth,
                            "levels of nesting",
                        ));
                    }
                    self.fields += 1;
                    if self.fields > self.limits.max_fields {
                        return Err(exceeded("fields", self.limits.max_fields, "fields"));
                    }
                    if field.alias.is_some() {
                        self.aliases += 1;
                        if self.aliases > self.limits.max_aliases {
                            return Err(exceeded("aliases", self.limits.max_aliases, "aliases"));
                        }
                    }
                    self.directives += field.directives.len() as u32;
                    self.check_directives()?;
                    self.introspects |= matches!(field.name.node.as_str(), "__schema" | "__type");
                    let key = field.response_key().node.as_str();
                    let seen = keys.entry(key).or_insert(0);
                    *seen += 1;
                    if *seen > self.limits.max_repeated_fields {
                        return Err(exceeded(
                            "repeatedFields",
                            self.limits.max_repeated_fields,
                            &format!("repetitions of `{key}` in one selection"),
                        ));
                    }
                    if !field.selection_set.node.items.is_empty() {
                        self.selection_set(&field.selection_set.node, depth + 1)?;
                    }
                }
                Selection::FragmentSpread(spread) => {
                    self.directives += spread.node.directives.len() as u32;
                    self.check_directives()?;
                    let name = spread.node.fragment_name.node.as_str();
                    if self.fragments.contains(&name) {
                        continue;
                    }
                    if let Some(fragment) =
                        self.document.fragments.get(&spread.node.fragment_name.node)
                    {
                        self.directives += fragment.node.directives.len() as u32;
                        self.check_directives()?;
                        self.fragments.push(name);
                        self.items(&fragment.node.selection_set.node, depth, keys)?;
                        self.fragments.pop();
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.directives += inline.node.directives.len() as u32;
                    self.check_directives()?;
                    self.items(&inline.node.selection_set.node, depth, keys)?;
                }
            }
        }
        Ok(())
    }

    fn check_directives(&self) -> Result<(), Exceeded> {
        if self.directives > self.limits.max_directives {
            Err(exceeded(
                "directives",
                self.limits.max_directives,
                "directives",
            ))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(query: &str) -> Result<Shape, Exceeded> {
        let document = async_graphql::parser::parse_query(query).map_err(|e| Exceeded {
            limit: "parse",
            max: 0,
            message: e.to_string(),
        })?;
        check(&document, &Limits::default())
    }

    fn limit(query: &str) -> &'static str {
        run(query).err().map_or("none", |e| e.limit)
    }

    #[test]
    fn ordinary_queries_pass() {
        assert_eq!(
            limit(
                "{ projects(first: 50) { nodes { code regions { name } fundings { amount funder { name } } } } }"
            ),
            "none"
        );
    }

    #[test]
    fn each_limit_is_named() {
        let aliases: String = (0..31).map(|i| format!("a{i}: __typename ")).collect();
        assert_eq!(limit(&format!("{{ {aliases} }}")), "aliases");
        assert_eq!(
            limit(&format!("{{ {} }}", "__typename ".repeat(11))),
            "repeatedFields"
        );
        let deep = "{ a ".repeat(16) + &"}".repeat(16);
        assert_eq!(limit(&deep), "depth");
        let directives = "@include(if: true) ".repeat(21);
        assert_eq!(
            limit(&format!("{{ __typename {directives} }}")),
            "directives"
        );
        // Fragments multiply: 8 spreads of a fragment of 8 spreads of 8 fields is 512 fields.
        let leaf: String = (0..8).map(|i| format!("f{i}: __typename ")).collect();
        let query = format!(
            "{{ a {{ ...B ...B ...B ...B ...B ...B ...B ...B }} }}
             fragment B on Query {{ b {{ ...C ...C ...C ...C ...C ...C ...C ...C }} }}
             fragment C on Query {{ {leaf} }}"
        );
        assert!(matches!(
            limit(&query),
            "fields" | "aliases" | "repeatedFields"
        ));
    }

    #[test]
    fn introspection_is_noticed_inside_fragments() {
        let shape = run("{ ...A } fragment A on Query { __type(name: \"Query\") { name } }");
        assert_eq!(shape.map(|s| s.introspects), Ok(true));
        assert_eq!(run("{ __typename }").map(|s| s.introspects), Ok(false));
    }

    #[test]
    fn cyclic_fragments_end() {
        assert_eq!(
            limit("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
            "none"
        );
    }
}
