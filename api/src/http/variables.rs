//! Inputs checked before anything runs, on both transports:
//! - async-graphql validates the variable values it is given, but leaves a missing required
//!   variable to fail at the field that reads it, after the fields before it (a mutation's
//!   earlier aliases included) have already run;
//! - a NUL character is refused in every string, variable or literal: PostgreSQL cannot store
//!   one in text and SQLite would, so both databases answer alike only if neither sees it.

use async_graphql::Value;
use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};

/// A required variable that was not sent, or sent as `null`; or a string holding NUL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// `$name`, as `extensions.field`.
    pub field: String,
    pub message: String,
}

/// Checks the operation the request will run. A document that does not parse, or names no
/// operation it has, passes here: the executor refuses it before running anything.
pub fn check(request: &mut async_graphql::Request) -> Result<(), Missing> {
    let name = request.operation_name.clone();
    let variables = request.variables.clone();
    for (variable, value) in variables.iter() {
        if let Some(path) = nul_in(value, variable.as_str()) {
            return Err(nul(path));
        }
    }
    let Ok(document) = request.parsed_query() else {
        return Ok(());
    };
    if let Some(path) = nul_in_literals(document) {
        return Err(nul(path));
    }
    let Some(operation) = chosen(&document.operations, name.as_deref()) else {
        return Ok(());
    };
    for definition in &operation.variable_definitions {
        let definition = &definition.node;
        if let Some(default) = &definition.default_value
            && let Some(path) = nul_in(&default.node, definition.name.node.as_str())
        {
            return Err(nul(path));
        }
        let required = !definition.var_type.node.nullable && definition.default_value.is_none();
        let given = variables
            .get(definition.name.node.as_str())
            .is_some_and(|v| *v != async_graphql::Value::Null);
        if required && !given {
            let ty = &definition.var_type.node;
            return Err(Missing {
                field: format!("${}", definition.name.node),
                message: format!(
                    "variable `${}` of required type `{}{}` was not provided",
                    definition.name.node,
                    base_name(&ty.base),
                    if ty.nullable { "" } else { "!" }
                ),
            });
        }
    }
    Ok(())
}

fn nul(field: String) -> Missing {
    Missing {
        message: format!("`{field}` holds a NUL character, which no text may contain"),
        field,
    }
}

/// The path (`input.title.text`) of the first string in `value` that holds NUL.
fn nul_in(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::String(text) => text.contains('\0').then(|| path.to_owned()),
        Value::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in(item, &format!("{path}.{i}"))),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(name, item)| nul_in(item, &format!("{path}.{name}"))),
        _ => None,
    }
}

/// String literals in arguments anywhere in the document (operations and fragments).
fn nul_in_literals(document: &ExecutableDocument) -> Option<String> {
    fn set(selection: &SelectionSet) -> Option<String> {
        selection.items.iter().find_map(|item| match &item.node {
            Selection::Field(field) => field
                .node
                .arguments
                .iter()
                .find_map(|(name, value)| {
                    let value = value
                        .node
                        .clone()
                        .into_const_with(|_| Ok::<_, ()>(Value::Null));
                    value.ok().and_then(|v| nul_in(&v, name.node.as_str()))
                })
                .or_else(|| set(&field.node.selection_set.node)),
            Selection::FragmentSpread(_) => None,
            Selection::InlineFragment(fragment) => set(&fragment.node.selection_set.node),
        })
    }
    document
        .operations
        .iter()
        .find_map(|(_, op)| set(&op.node.selection_set.node))
        .or_else(|| {
            document
                .fragments
                .values()
                .find_map(|f| set(&f.node.selection_set.node))
        })
}

fn chosen<'a>(
    operations: &'a DocumentOperations,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

fn base_name(base: &BaseType) -> String {
    match base {
        BaseType::Named(name) => name.to_string(),
        BaseType::List(inner) => format!(
            "[{}{}]",
            base_name(&inner.base),
            if inner.nullable { "" } else { "!" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, variables: serde_json::Value) -> async_graphql::Request {
        async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables))
    }

    #[test]
    fn a_missing_or_null_required_variable_is_named() {
        let query = "mutation M($id: ID!, $n: [String!]!) { a }";
        let missing = check(&mut request(query, serde_json::json!({ "n": [] })));
        assert_eq!(missing.map_err(|m| m.field), Err("$id".to_owned()));
        let null = check(&mut request(
            query,
            serde_json::json!({ "id": null, "n": ["x"] }),
        ));
        assert_eq!(null.map_err(|m| m.field), Err("$id".to_owned()));
        let list = check(&mut request(query, serde_json::json!({ "id": "1" })));
        assert!(list.is_err_and(|m| m.message.contains("[String!]!")));
    }

    #[test]
    fn optional_and_defaulted_variables_may_be_left_out() {
        let query = "query Q($a: ID, $b: Int! = 3) { a }";
        assert_eq!(check(&mut request(query, serde_json::json!({}))), Ok(()));
    }

    #[test]
    fn nul_is_refused_in_variables_and_literals_with_its_path() {
        let query = "mutation M($input: I!) { a(input: $input) }";
        let held = check(&mut request(
            query,
            serde_json::json!({ "input": { "title": [{ "text": "a\u{0}b" }] } }),
        ));
        assert_eq!(
            held.map_err(|m| m.field),
            Err("input.title.0.text".to_owned())
        );
        let literal = check(&mut request(
            r#"{ project(code: "X\u0000") { id } }"#,
            serde_json::json!({}),
        ));
        assert_eq!(literal.map_err(|m| m.field), Err("code".to_owned()));
        let clean = check(&mut request(
            r#"{ project(code: "Å") { id } }"#,
            serde_json::json!({}),
        ));
        assert_eq!(clean, Ok(()));
    }

    #[test]
    fn only_the_chosen_operation_counts() {
        let query = "query A($x: ID!) { a } query B { b }";
        let mut named = request(query, serde_json::json!({}));
        named.operation_name = Some("B".into());
        assert_eq!(check(&mut named), Ok(()));
        named.operation_name = Some("A".into());
        assert!(check(&mut named).is_err());
    }
}
