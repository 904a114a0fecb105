//! Rows of an entity read by column position (`entity::ByPosition`) instead of by name, for
//! statements built by `E::find()`: those select the model's columns first, in `Column`
//! order, and a column added with `column_as` comes after them. Reading by name formats,
//! hashes and looks up every column of every row; on a page of a few hundred rows that was
//! about a tenth of the server's work.

use entity::ByPosition;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Iterable, QueryTrait, Select, TryGetable};

/// The rows `select` finds.
pub async fn all<E>(db: &impl ConnectionTrait, select: Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    db.query_all(&select.into_query())
        .await?
        .iter()
        .map(E::Model::by_position)
        .collect()
}

/// The rows `select` finds, each with the one column added after the model's.
pub async fn all_with<E, V>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<Vec<(E::Model, V)>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
    V: TryGetable,
{
    let after = E::Column::iter().count();
    db.query_all(&select.into_query())
        .await?
        .iter()
        .map(|row| Ok((E::Model::by_position(row)?, row.try_get_by_index(after)?)))
        .collect()
}
