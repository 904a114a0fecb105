//! Relay connections with keyset cursors.
//!
//! A cursor holds the sort values of its row plus the row's unique id, and the signature of the
//! order it was made for, so the next page starts strictly after that row whatever was inserted
//! or deleted meanwhile. Pages are fetched with one extra row to know whether more follow.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, SelectStatement},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::positioned::{self, Columns};
use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

/// A sort value as it travels inside a cursor; typed so it binds back as the same SQL type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CursorValue {
    Text(String),
    Int(i64),
    Date(NaiveDate),
    Instant(DateTime<Utc>),
    Id(Uuid),
}

impl From<CursorValue> for sea_orm::Value {
    fn from(value: CursorValue) -> Self {
        match value {
            CursorValue::Text(v) => v.into(),
            CursorValue::Int(v) => v.into(),
            CursorValue::Date(v) => v.into(),
            CursorValue::Instant(v) => v.into(),
            CursorValue::Id(v) => v.into(),
        }
    }
}

#[derive(Deserialize)]
struct CursorData {
    /// Signature of the order the cursor belongs to.
    o: String,
    /// Sort values, the unique tiebreaker last.
    k: Vec<CursorValue>,
}

/// `CursorData` as written, borrowing what it encodes.
#[derive(Serialize)]
struct CursorDataRef<'a> {
    o: &'a str,
    k: &'a [CursorValue],
}

/// A row's place in its list's order. Encoded into an opaque cursor only when a `cursor` or
/// `pageInfo` field asks for it: most pages are read through `nodes`, without cursors.
#[derive(Debug, Clone)]
pub struct CursorKey {
    signature: Arc<str>,
    values: Vec<CursorValue>,
}

impl CursorKey {
    pub fn encode(&self) -> String {
        let data = CursorDataRef {
            o: &self.signature,
            k: &self.values,
        };
        // Serialising plain data cannot fail; an empty cursor would only fail to decode later.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&data).unwrap_or_default())
    }
}

fn decode_cursor<C: ColumnTrait>(
    field: &str,
    cursor: &str,
    keyset: &Keyset<C>,
) -> ApiResult<Vec<CursorValue>> {
    let invalid = || {
        ApiError::bad_input(
            field,
            format!("`{field}` is not a cursor of this list and order"),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if data.o != keyset.signature || data.k.len() != keyset.keys.len() {
        return Err(invalid());
    }
    // Each value must have its column's type: a cursor edited to compare a uuid column with
    // text would otherwise reach the database as a type error.
    let typed = keyset
        .keys
        .iter()
        .zip(&data.k)
        .all(|(key, value)| fits(value, key.column.def().get_column_type()));
    if !typed {
        return Err(invalid());
    }
    Ok(data.k)
}

/// Whether a cursor value can be compared with a column of `ty`.
fn fits(value: &CursorValue, ty: &sea_orm::ColumnType) -> bool {
    use sea_orm::ColumnType as T;
    match value {
        CursorValue::Text(text) => {
            matches!(ty, T::String(_) | T::Text | T::Char(_)) && !text.contains('\0')
        }
        CursorValue::Int(_) => matches!(ty, T::Integer | T::BigInteger | T::SmallInteger),
        CursorValue::Date(_) => matches!(ty, T::Date),
        CursorValue::Instant(_) => {
            matches!(ty, T::TimestampWithTimeZone | T::Timestamp | T::DateTime)
        }
        CursorValue::Id(_) => matches!(ty, T::Uuid),
    }
}

/// The paging arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// What a page of these arguments costs, for `#[paged]` fields: the items it may return,
    /// `first` (or `last`), else the default page.
    pub fn complexity(first: Option<i32>, last: Option<i32>) -> usize {
        first.or(last).map_or(DEFAULT_PAGE_SIZE, |n| {
            u64::try_from(n).unwrap_or(0).min(MAX_PAGE_SIZE)
        }) as usize
    }
}

/// One column of an order, with the unique id always last.
#[derive(Debug, Clone, Copy)]
pub struct SortKey<C> {
    pub column: C,
    pub descending: bool,
}

/// A complete order over a list: its keys (ending in a unique column) and a signature.
#[derive(Debug, Clone)]
pub struct Keyset<C> {
    pub signature: String,
    pub keys: Vec<SortKey<C>>,
}

impl<C> Keyset<C> {
    /// The cursor of a row with these values of the keys.
    pub fn cursor(&self, values: Vec<CursorValue>) -> CursorKey {
        CursorKey {
            signature: self.signature.as_str().into(),
            values,
        }
    }

    /// Ascending by one unique column.
    pub fn by(signature: &str, column: C) -> Self {
        Self {
            signature: signature.to_owned(),
            keys: vec![SortKey {
                column,
                descending: false,
            }],
        }
    }
}

impl<C: ColumnTrait> Keyset<C> {
    /// `columns` and the columns of the keys, which every row of a page carries: its cursor
    /// holds their values.
    pub fn carried(&self, columns: Columns) -> Columns {
        self.keys.iter().fold(columns, |c, key| c.with(key.column))
    }
}

/// Validated paging: how many rows, from which cursors, in which direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageWindow {
    pub limit: u64,
    pub after: Option<Vec<CursorValue>>,
    pub before: Option<Vec<CursorValue>>,
    pub backward: bool,
}

fn page_size(field: &str, value: i32) -> ApiResult<u64> {
    if value < 0 {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` must not be negative"),
        ));
    }
    let value = value as u64;
    if value > MAX_PAGE_SIZE {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` must be at most {MAX_PAGE_SIZE}"),
        ));
    }
    Ok(value)
}

impl PageWindow {
    pub fn new<C: ColumnTrait>(args: &PageArgs, keyset: &Keyset<C>) -> ApiResult<Self> {
        if args.first.is_some() && args.last.is_some() {
            return Err(ApiError::bad_input(
                "last",
                "give `first` or `last`, not both",
            ));
        }
        let backward = args.last.is_some() || (args.before.is_some() && args.first.is_none());
        let limit = match (args.first, args.last) {
            (Some(first), _) => page_size("first", first)?,
            (_, Some(last)) => page_size("last", last)?,
            _ => DEFAULT_PAGE_SIZE,
        };
        let after = args
            .after
            .as_deref()
            .map(|c| decode_cursor("after", c, keyset))
            .transpose()?;
        let before = args
            .before
            .as_deref()
            .map(|c| decode_cursor("before", c, keyset))
            .transpose()?;
        Ok(Self {
            limit,
            after,
            before,
            backward,
        })
    }
}

/// Rows strictly after (or before) the cursor row in the keyset's order.
fn beyond<C: ColumnTrait>(keys: &[SortKey<C>], values: &[CursorValue], after: bool) -> Condition {
    let mut any = Condition::any();
    for (i, key) in keys.iter().enumerate() {
        let mut all = Condition::all();
        for (prior, value) in keys.iter().zip(values).take(i) {
            all = all.add(prior.column.eq(value.clone()));
        }
        let value = values[i].clone();
        let greater = after != key.descending;
        all = all.add(if greater {
            key.column.gt(value)
        } else {
            key.column.lt(value)
        });
        any = any.add(all);
    }
    any
}

/// Applies cursors, order and limit (plus one) to `select`.
pub fn window<E: EntityTrait>(
    select: Select<E>,
    keyset: &Keyset<E::Column>,
    window: &PageWindow,
) -> Select<E> {
    let mut select = select;
    if let Some(after) = &window.after {
        select = select.filter(beyond(&keyset.keys, after, true));
    }
    if let Some(before) = &window.before {
        select = select.filter(beyond(&keyset.keys, before, false));
    }
    for key in &keyset.keys {
        let ascending = key.descending == window.backward;
        select = select.order_by(key.column, if ascending { Order::Asc } else { Order::Desc });
    }
    select.limit(window.limit + 1)
}

/// One page of rows with their cursors.
pub struct Page<T> {
    pub edges: Vec<(CursorKey, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// Turns `limit + 1` fetched rows (in fetch order) into a page in list order.
    pub fn from_rows(
        mut rows: Vec<T>,
        window: &PageWindow,
        signature: &str,
        cursor_values: impl Fn(&T) -> Vec<CursorValue>,
    ) -> Self {
        let more = rows.len() as u64 > window.limit;
        rows.truncate(window.limit as usize);
        if window.backward {
            rows.reverse();
        }
        let signature: Arc<str> = Arc::from(signature);
        let edges = rows
            .into_iter()
            .map(|row| {
                let key = CursorKey {
                    signature: signature.clone(),
                    values: cursor_values(&row),
                };
                (key, row)
            })
            .collect();
        // Relay allows reporting `false` for the side we did not fetch; a cursor on that side
        // means rows exist there.
        let (has_next_page, has_previous_page) = if window.backward {
            (window.before.is_some(), more)
        } else {
            (more, window.after.is_some())
        };
        Self {
            edges,
            has_next_page,
            has_previous_page,
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            edges: self.edges.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }
}

impl<T> Page<T> {
    /// A page of a list loaded whole (a parent's children, batched for all parents at once
    /// and bounded by what the writes allow), with the same arguments and limits as a
    /// database list. Cursors name a row by its id (`keyset` is by id).
    pub fn of_loaded<C: ColumnTrait>(
        rows: Vec<T>,
        args: &PageArgs,
        keyset: &Keyset<C>,
        id: impl Fn(&T) -> Uuid,
    ) -> ApiResult<Self> {
        let window = PageWindow::new(args, keyset)?;
        let position = |field: &str,
                        cursor: &Option<Vec<CursorValue>>|
         -> ApiResult<Option<usize>> {
            let Some(values) = cursor else {
                return Ok(None);
            };
            rows.iter()
                .position(|row| values.first() == Some(&CursorValue::Id(id(row))))
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_input(field, format!("`{field}` names a row no longer listed"))
                })
        };
        let start = position("after", &window.after)?.map_or(0, |i| i + 1);
        let end = position("before", &window.before)?.unwrap_or(rows.len());
        let mut rows = rows;
        rows.truncate(end.max(start));
        let mut slice: Vec<T> = rows.into_iter().skip(start).collect();
        let limit = window.limit as usize;
        let more = slice.len() > limit;
        if window.backward {
            slice.drain(..slice.len().saturating_sub(limit));
        } else {
            slice.truncate(limit);
        }
        let edges = slice
            .into_iter()
            .map(|row| (keyset.cursor(vec![CursorValue::Id(id(&row))]), row))
            .collect();
        let (has_next_page, has_previous_page) = if window.backward {
            (window.before.is_some(), more)
        } else {
            (more, window.after.is_some())
        };
        Ok(Self {
            edges,
            has_next_page,
            has_previous_page,
        })
    }
}

/// Fetches one page of `select` (already filtered by visibility and the user's filter), its rows
/// carrying the columns `carried` and those of the order.
pub async fn fetch_page<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    keyset: &Keyset<E::Column>,
    args: &PageArgs,
    carried: Columns,
    cursor_values: impl Fn(&E::Model) -> Vec<CursorValue>,
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: entity::ByPosition,
{
    let page_window = PageWindow::new(args, keyset)?;
    let select = window(select, keyset, &page_window);
    let rows = positioned::carrying(db, select, keyset.carried(carried)).await?;
    Ok(Page::from_rows(
        rows,
        &page_window,
        &keyset.signature,
        cursor_values,
    ))
}

/// A `COUNT(*)` over the same rows as `select`, ignoring paging.
pub fn count_statement<E: EntityTrait>(select: Select<E>) -> SelectStatement {
    select
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .into_query()
}

pub async fn run_count(db: &DatabaseConnection, statement: &SelectStatement) -> ApiResult<i64> {
    match db.query_one(statement).await? {
        Some(row) => Ok(row.try_get::<i64>("", "n")?),
        None => Ok(0),
    }
}
