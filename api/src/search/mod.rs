//! Text search over the lists: every searchable row's texts (all language versions, never
//! the JSON around them) are split into folded words kept in `search_word`; a search term is
//! folded the same way and each of its words must begin a word of the row. Case- and
//! accent-insensitive, identical on SQLite and PostgreSQL, served by the table's key.

mod fold;

use std::collections::BTreeSet;

use entity::{organisation, project, region, resource_centre, search_word, workshop};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Iterable, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

pub use fold::words;

use crate::error::{ApiError, ApiResult};

pub const MAX_TERM_CHARS: usize = 200;
/// Words of a term that count; more add nothing a person would miss.
const MAX_TERM_WORDS: usize = 8;

/// A row whose texts are searched.
pub trait Searchable {
    const KIND: &'static str;
    fn id(&self) -> Uuid;
    /// Every text of the row a search should find it by.
    fn texts(&self) -> Vec<String>;
}

/// The string values of a translations object (`{"sv": "…", "en": "…"}`).
fn translations(json: &serde_json::Value) -> impl Iterator<Item = String> + '_ {
    json.as_object()
        .into_iter()
        .flat_map(|map| map.values())
        .filter_map(|v| v.as_str().map(str::to_owned))
}

impl Searchable for project::Model {
    const KIND: &'static str = "project";
    fn id(&self) -> Uuid {
        self.id
    }
    fn texts(&self) -> Vec<String> {
        let mut texts = vec![self.code.clone()];
        texts.extend(self.acronym.clone());
        texts.extend(translations(&self.title));
        texts.extend(translations(&self.summary));
        texts
    }
}

impl Searchable for workshop::Model {
    const KIND: &'static str = "workshop";
    fn id(&self) -> Uuid {
        self.id
    }
    fn texts(&self) -> Vec<String> {
        let mut texts: Vec<String> = translations(&self.title).collect();
        texts.extend(translations(&self.description));
        texts.extend(self.venue_name.clone());
        texts.extend(self.venue_town.clone());
        texts
    }
}

impl Searchable for organisation::Model {
    const KIND: &'static str = "organisation";
    fn id(&self) -> Uuid {
        self.id
    }
    fn texts(&self) -> Vec<String> {
        let mut texts: Vec<String> = translations(&self.name).collect();
        texts.extend(self.acronym.clone());
        texts
    }
}

impl Searchable for region::Model {
    const KIND: &'static str = "region";
    fn id(&self) -> Uuid {
        self.id
    }
    fn texts(&self) -> Vec<String> {
        let mut texts: Vec<String> = translations(&self.name).collect();
        texts.push(self.nuts_code.clone());
        texts
    }
}

impl Searchable for resource_centre::Model {
    const KIND: &'static str = "resource_centre";
    fn id(&self) -> Uuid {
        self.id
    }
    fn texts(&self) -> Vec<String> {
        translations(&self.name).collect()
    }
}

/// Replaces the row's words; call in the transaction that writes the row.
pub async fn index<R: Searchable>(db: &impl ConnectionTrait, row: &R) -> Result<(), DbErr> {
    index_texts(db, R::KIND, row.id(), &row.texts()).await
}

/// Replaces the words of row `id` of `kind` with those of `texts`.
pub async fn index_texts(
    db: &impl ConnectionTrait,
    kind: &str,
    id: Uuid,
    texts: &[String],
) -> Result<(), DbErr> {
    forget(db, kind, id).await?;
    insert(db, words_of(kind, id, texts)).await
}

/// Removes a deleted row's words.
pub async fn forget(db: &impl ConnectionTrait, kind: &str, id: Uuid) -> Result<(), DbErr> {
    search_word::Entity::delete_many()
        .filter(search_word::Column::Kind.eq(kind))
        .filter(search_word::Column::EntityId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Rows per multi-row insert: well under SQLite's 32 766 bound parameters.
const CHUNK: usize = 3000;

/// One index row per distinct word of `texts`.
fn words_of(kind: &str, id: Uuid, texts: &[String]) -> Vec<search_word::ActiveModel> {
    let distinct: BTreeSet<String> = texts.iter().flat_map(|t| words(t)).collect();
    distinct
        .into_iter()
        .map(|word| search_word::ActiveModel {
            kind: sea_orm::ActiveValue::Set(kind.to_owned()),
            word: sea_orm::ActiveValue::Set(word),
            entity_id: sea_orm::ActiveValue::Set(id),
        })
        .collect()
}

async fn insert(
    db: &impl ConnectionTrait,
    mut pending: Vec<search_word::ActiveModel>,
) -> Result<(), DbErr> {
    while !pending.is_empty() {
        let rest = pending.split_off(pending.len().min(CHUNK));
        search_word::Entity::insert_many(std::mem::replace(&mut pending, rest))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Indexes every row when the index is empty (the migration that made the table ran on a
/// database with rows); a no-op otherwise.
pub async fn fill_if_empty<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if search_word::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    rebuild_all(db).await
}

/// Indexes every row anew, after bulk loads that bypass the writes (seeds).
pub async fn rebuild_all<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    search_word::Entity::delete_many().exec(db).await?;
    rebuild::<project::Entity, C>(db).await?;
    rebuild::<workshop::Entity, C>(db).await?;
    rebuild::<organisation::Entity, C>(db).await?;
    rebuild::<region::Entity, C>(db).await?;
    rebuild::<resource_centre::Entity, C>(db).await
}

async fn rebuild<E, C>(db: &C) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: Searchable + Sync,
    C: ConnectionTrait,
{
    let primary = E::PrimaryKey::iter()
        .next()
        .map(sea_orm::PrimaryKeyToColumn::into_column);
    let mut select = E::find();
    if let Some(column) = primary {
        select = select.order_by_asc(column);
    }
    let mut pages = select.paginate(db, 2000);
    while let Some(rows) = pages.fetch_and_next().await? {
        let words = rows
            .iter()
            .flat_map(|row| words_of(E::Model::KIND, row.id(), &row.texts()))
            .collect();
        insert(db, words).await?;
    }
    Ok(())
}

/// The condition a `search` argument adds to a list: every word of the term begins a word of
/// the row. `None` for an empty term; a term without any word matches nothing.
pub fn condition(
    field: &str,
    term: &str,
    kind: &'static str,
    id: impl ColumnTrait,
) -> ApiResult<Option<SimpleExpr>> {
    let term = term.trim();
    if term.chars().count() > MAX_TERM_CHARS {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` must be at most {MAX_TERM_CHARS} characters"),
        ));
    }
    if term.is_empty() {
        return Ok(None);
    }
    let mut wanted: Vec<String> = words(term);
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(Some(Expr::value(1).eq(0)));
    }
    let mut all: Option<SimpleExpr> = None;
    for word in wanted.into_iter().take(MAX_TERM_WORDS) {
        // Byte order on both databases: every word beginning with `word` sorts from `word`
        // up to `word` followed by the highest character.
        let upper = format!("{word}\u{10FFFF}");
        let rows = Query::select()
            .column(search_word::Column::EntityId)
            .from(search_word::Entity)
            .and_where(search_word::Column::Kind.eq(kind))
            .and_where(search_word::Column::Word.gte(word))
            .and_where(search_word::Column::Word.lt(upper))
            .to_owned();
        let matches = id.in_subquery(rows);
        all = Some(match all {
            Some(previous) => previous.and(matches),
            None => matches,
        });
    }
    Ok(all)
}
