//! What a page's selection reads of its rows, so that the page fetches only those columns
//! (`db::positioned::Columns`). A type paged this way declares what each of its fields reads
//! (`Workshop`: `workshop_pages::reads`, `Project`, `Funding`, `Organisation`, `Region`:
//! their `reads`); a field it does not list may read anything, and then the whole row is
//! fetched.

use async_graphql::SelectionField;
use sea_orm::ColumnTrait;

use crate::db::positioned::Columns;

/// The fields selected on a connection's nodes (`nodes` and `edges { node }`), fragments
/// included, walked once for all that is asked of them.
pub struct Nodes<'a>(Vec<SelectionField<'a>>);

impl<'a> Nodes<'a> {
    pub fn of(connection: &SelectionField<'a>) -> Self {
        let mut nodes = Vec::new();
        for field in connection.selection_set() {
            match field.name() {
                "nodes" => nodes.extend(field.selection_set()),
                "edges" => {
                    for node in field.selection_set().filter(|f| f.name() == "node") {
                        nodes.extend(node.selection_set());
                    }
                }
                _ => {}
            }
        }
        Self(nodes)
    }

    /// The columns these fields read of each row: `kept` (what the loader itself needs), and
    /// what `reads` says of each selected field; every column when a field is not listed.
    pub fn columns<C: ColumnTrait>(
        &self,
        reads: fn(&str) -> Option<&'static [C]>,
        kept: &[C],
    ) -> Columns {
        read_by(self.0.iter().copied(), reads, kept)
    }

    /// The columns the `name` fields among these read of the row each answers, merged
    /// (aliases may select it twice), as `object_columns` says; `None` when none is `name`.
    pub fn nested_columns<C: ColumnTrait>(
        &self,
        name: &str,
        reads: fn(&str) -> Option<&'static [C]>,
        kept: &[C],
    ) -> Option<Columns> {
        let mut nested = self
            .0
            .iter()
            .filter(|field| field.name() == name)
            .peekable();
        nested.peek()?;
        Some(read_by(nested.flat_map(|f| f.selection_set()), reads, kept))
    }
}

/// The columns a connection's selection reads of each row, as `Nodes::columns` says.
pub fn columns<C: ColumnTrait>(
    connection: &SelectionField<'_>,
    reads: fn(&str) -> Option<&'static [C]>,
    kept: &[C],
) -> Columns {
    Nodes::of(connection).columns(reads, kept)
}

/// The columns the selection of a field that answers rows (one object, or a list of them)
/// reads of each, as `columns` says.
pub fn object_columns<C: ColumnTrait>(
    field: &SelectionField<'_>,
    reads: fn(&str) -> Option<&'static [C]>,
    kept: &[C],
) -> Columns {
    read_by(field.selection_set(), reads, kept)
}

fn read_by<'a, C: ColumnTrait>(
    fields: impl IntoIterator<Item = SelectionField<'a>>,
    reads: fn(&str) -> Option<&'static [C]>,
    kept: &[C],
) -> Columns {
    let mut carried = Columns::NONE.with_all(kept);
    for field in fields {
        match reads(field.name()) {
            Some(columns) => carried = carried.with_all(columns),
            None => return Columns::ALL,
        }
    }
    carried
}
