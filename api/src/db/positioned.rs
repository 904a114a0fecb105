//! Rows of an entity read by column position (`entity::ByPosition`) instead of by name, for
//! statements built by `E::find()`: those select the model's columns first, in `Column`
//! order, and a column added with `column_as` comes after them. Reading by name formats,
//! hashes and looks up every column of every row; on a page of a few hundred rows that was
//! about a tenth of the server's work.
//!
//! A statement may also fetch only some of the columns (`Columns`): the rest of each model
//! then holds placeholders, for reads whose selection shows none of them.
//!
//! Nothing checks that a statement is such a plain one: a `select_only`, a joined model or a
//! column placed before the model's would be read into the wrong fields. Build these
//! statements from `E::find()` with filters, joins that add no columns, orders and limits;
//! `carrying_with` adds the one column after them, `carrying_joined` a joined row's.

use entity::ByPosition;
use sea_orm::{
    ColumnAsExpr, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IdenStatic, QuerySelect,
    QueryTrait, Select, TryGetable,
};

/// Which columns of an entity a statement fetches: bit `i` for the `i`-th in `Column` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Columns(u64);

impl Columns {
    pub const ALL: Self = Self(u64::MAX);
    pub const NONE: Self = Self(0);

    /// One bit per column, for hashing.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// These columns and `column` too; every column when it cannot be told apart (a table of
    /// over 64 columns, which `ByPosition` refuses anyway).
    pub fn with<C: ColumnTrait>(self, column: C) -> Self {
        match C::iter().position(|c| c.as_str() == column.as_str()) {
            Some(i) if i < 64 => Self(self.0 | 1 << i),
            _ => Self::ALL,
        }
    }

    pub fn with_all<C: ColumnTrait>(self, columns: &[C]) -> Self {
        columns.iter().fold(self, |carried, c| carried.with(*c))
    }

    /// The columns of `C` held, in `Column` order: the order a statement selects them in.
    pub fn iter<C: ColumnTrait>(self) -> impl Iterator<Item = C> {
        C::iter()
            .enumerate()
            .filter(move |(i, _)| *i >= 64 || self.0 & 1 << i != 0)
            .map(|(_, c)| c)
    }

    fn is_all<C: ColumnTrait>(self) -> bool {
        C::iter()
            .enumerate()
            .all(|(i, _)| i >= 64 || self.0 & 1 << i != 0)
    }

    /// `ALL` when these are every column of `C`, so that such rows are read whole.
    fn settled<C: ColumnTrait>(self) -> Self {
        if self.is_all::<C>() { Self::ALL } else { self }
    }

    /// `select` fetching these columns only.
    pub fn of<E: EntityTrait>(self, select: Select<E>) -> Select<E> {
        if self.is_all::<E::Column>() {
            select
        } else {
            select.select_only().columns(self.iter::<E::Column>())
        }
    }

    /// A row that holds these columns, in `Column` order, as its model.
    pub fn read<M: ByPosition>(self, row: &sea_orm::QueryResult) -> Result<M, DbErr> {
        if self == Self::ALL {
            M::by_position(row)
        } else {
            M::carrying(row, self.0)
        }
    }
}

/// The rows `select` finds.
pub async fn all<E>(db: &impl ConnectionTrait, select: Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    carrying(db, select, Columns::ALL).await
}

/// The rows `select` finds, each with only the columns `carried`.
pub async fn carrying<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    carried: Columns,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    let carried = carried.settled::<E::Column>();
    db.query_all(&carried.of(select).into_query())
        .await?
        .iter()
        .map(|row| carried.read(row))
        .collect()
}

/// The rows `select` finds, each with only the columns `carried` and the value of `extra`,
/// selected after them (the key of a joined row, such as the project a region is linked to).
pub async fn carrying_with<E, V>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    carried: Columns,
    extra: impl ColumnAsExpr,
) -> Result<Vec<(E::Model, V)>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
    V: TryGetable,
{
    let carried = carried.settled::<E::Column>();
    let after = carried.iter::<E::Column>().count();
    let select = carried.of(select).column_as(extra, "extra");
    db.query_all(&select.into_query())
        .await?
        .iter()
        .map(|row| Ok((carried.read(row)?, row.try_get_by_index(after)?)))
        .collect()
}

/// The rows `select` finds, each with the columns `carried`, and the row of `J` it joins with
/// the columns `joined`, selected after them: a list and the row each of its items names, in
/// one statement. `select` joins `J` inner, so every row has one.
pub async fn carrying_joined<E, J>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    carried: Columns,
    joined: Columns,
) -> Result<Vec<(E::Model, J::Model)>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
    J: EntityTrait,
    J::Model: ByPosition,
{
    let carried = carried.settled::<E::Column>();
    let after = carried.iter::<E::Column>().count();
    let mut select = carried.of(select);
    for column in joined.iter::<J::Column>() {
        select = select.column_as(column, format!("joined_{}", column.as_str()));
    }
    db.query_all(&select.into_query())
        .await?
        .iter()
        .map(|row| {
            Ok((
                carried.read(row)?,
                J::Model::carrying_from(row, joined.0, after)?,
            ))
        })
        .collect()
}
