//! How the top-level lists take their order: `orderBy: [XOrder!]`, each key a field of the
//! list's own enum and a direction, the id breaking the rest, so that the order is total and
//! keyset cursors hold. Every list sorts by `UPDATED_AT`, and filters by `updatedSince`, for
//! partner systems that sync by polling.

use std::fmt::Debug;

use async_graphql::{Enum, InputObject, InputType};
use entity::{api_token, organisation, programme, project, region, resource_centre, workshop};
use sea_orm::{ColumnTrait, EntityTrait, ModelTrait, Value};

use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::SortDirection;
use crate::graphql::pagination::{CursorKey, CursorValue, Keyset, SortKey};

/// One key of a list's order; later keys break ties of earlier ones, and the id breaks the
/// rest.
#[derive(InputObject, Debug, Clone, Copy)]
#[graphql(
    concrete(name = "ApiTokenOrder", params(ApiTokenOrderField)),
    concrete(name = "OrganisationOrder", params(OrganisationOrderField)),
    concrete(name = "ProgrammeOrder", params(ProgrammeOrderField)),
    concrete(name = "ProjectOrder", params(ProjectOrderField)),
    concrete(name = "RegionOrder", params(RegionOrderField)),
    concrete(name = "ResourceCentreOrder", params(ResourceCentreOrderField)),
    concrete(name = "WorkshopOrder", params(WorkshopOrderField))
)]
pub struct Order<F: InputType> {
    /// What to sort by; each field may appear once in `orderBy`.
    pub field: F,
    /// Ascending (the default) or descending.
    #[graphql(default)]
    pub direction: SortDirection,
}

/// A list's sort fields: the column each sorts by, and the order used when none is given.
pub trait OrderField: InputType + Copy + Eq + Debug + 'static {
    type Column: ColumnTrait;
    /// Names the list in cursors, so that a cursor of one list is refused by another.
    const LIST: &'static str;
    /// The order when `orderBy` is left out (the id alone when empty), `true` descending.
    const DEFAULT: &'static [(Self, bool)];
    fn column(self) -> Self::Column;
    /// The unique column that breaks every tie.
    fn id() -> Self::Column;
    /// When a row last changed, for `updatedSince`.
    fn updated_at() -> Self::Column;
}

/// The keyset of `order` (the list's default when empty), refusing a field given twice.
pub fn keyset<F: OrderField>(order: &[Order<F>]) -> ApiResult<Keyset<F::Column>> {
    for (i, item) in order.iter().enumerate() {
        if order[..i].iter().any(|o| o.field == item.field) {
            return Err(ApiError::bad_input(
                "orderBy",
                "each field may appear once in `orderBy`",
            ));
        }
    }
    let keys: Vec<(F, bool)> = if order.is_empty() {
        F::DEFAULT.to_vec()
    } else {
        order
            .iter()
            .map(|o| (o.field, o.direction == SortDirection::Desc))
            .collect()
    };
    Ok(keyset_of(&keys))
}

/// The keyset of the list's default order: the one its write payloads' edges use.
pub fn default_keyset<F: OrderField>() -> Keyset<F::Column> {
    keyset_of(F::DEFAULT)
}

fn keyset_of<F: OrderField>(order: &[(F, bool)]) -> Keyset<F::Column> {
    let mut signature = String::from(F::LIST);
    let mut keys = Vec::with_capacity(order.len() + 1);
    for &(field, descending) in order {
        signature.push_str(&format!(
            ":{field:?}.{}",
            if descending { "d" } else { "a" }
        ));
        keys.push(SortKey {
            column: field.column(),
            descending,
        });
    }
    keys.push(SortKey {
        column: F::id(),
        descending: false,
    });
    Keyset { signature, keys }
}

/// The cursor `row` has in its list's default order: what write payloads' edges carry.
pub fn default_cursor<F, M>(row: &M) -> CursorKey
where
    F: OrderField<Column = <M::Entity as EntityTrait>::Column>,
    M: ModelTrait,
{
    let keyset = default_keyset::<F>();
    keyset.cursor(cursor_values(&keyset.keys, row))
}

/// A row's values of `keys`, for its cursor. Sort columns are never null.
pub fn cursor_values<M: ModelTrait>(
    keys: &[SortKey<<M::Entity as sea_orm::EntityTrait>::Column>],
    row: &M,
) -> Vec<CursorValue> {
    keys.iter()
        .filter_map(|key| match row.get(key.column) {
            Value::String(Some(v)) => Some(CursorValue::Text(v)),
            Value::SmallInt(Some(v)) => Some(CursorValue::Int(v.into())),
            Value::Int(Some(v)) => Some(CursorValue::Int(v.into())),
            Value::BigInt(Some(v)) => Some(CursorValue::Int(v)),
            Value::ChronoDate(Some(v)) => Some(CursorValue::Date(v)),
            Value::ChronoDateTimeUtc(Some(v)) => Some(CursorValue::Instant(v)),
            Value::Uuid(Some(v)) => Some(CursorValue::Id(v)),
            _ => None,
        })
        .collect()
}

/// Declares a list's sort fields, the column each sorts by and the default order.
macro_rules! order_fields {
    (
        $(#[$doc:meta])*
        $name:ident for $entity:ident, default [$($default:ident $descending:literal),*] {
            $($(#[$field_doc:meta])* $field:ident => $column:ident,)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$field_doc])* $field,)+
        }

        impl OrderField for $name {
            type Column = $entity::Column;
            const LIST: &'static str = stringify!($entity);
            const DEFAULT: &'static [(Self, bool)] = &[$((Self::$default, $descending)),*];
            fn column(self) -> $entity::Column {
                match self {
                    $(Self::$field => $entity::Column::$column,)+
                }
            }
            fn id() -> $entity::Column {
                $entity::Column::Id
            }
            fn updated_at() -> $entity::Column {
                $entity::Column::UpdatedAt
            }
        }
    };
}

order_fields!(
    /// What the projects list can be sorted by.
    ProjectOrderField for project, default [Code false] {
        /// The project code (the default).
        Code => Code,
        /// `Project.startDate`.
        StartDate => StartDate,
        /// `Project.endDate`; projects with no known end come last ascending, first
        /// descending.
        EndDate => EndDate,
        /// When the project was created in Mosaic.
        CreatedAt => CreatedAt,
        /// `updatedAt`, the last change of the project's own fields and links (not of its
        /// workshops, fundings, milestones or contacts): for partner systems that sync.
        UpdatedAt => UpdatedAt,
        /// The total budget in euros; projects without one (or without a rate) come first
        /// ascending, last descending.
        Budget => BudgetEurSort,
    }
);

order_fields!(
    /// What the regions list can be sorted by.
    RegionOrderField for region, default [NutsCode false] {
        /// The NUTS code (the default).
        NutsCode => NutsCode,
        /// `updatedAt`, the last change: for partner systems that sync.
        UpdatedAt => UpdatedAt,
    }
);

order_fields!(
    /// What the organisations list can be sorted by; left out, oldest first.
    OrganisationOrderField for organisation, default [] {
        /// `updatedAt`, the last change: for partner systems that sync.
        UpdatedAt => UpdatedAt,
    }
);

order_fields!(
    /// What the resource centres list can be sorted by; left out, oldest first.
    ResourceCentreOrderField for resource_centre, default [] {
        /// `updatedAt`, the last change: for partner systems that sync.
        UpdatedAt => UpdatedAt,
    }
);

order_fields!(
    /// What the programmes list can be sorted by.
    ProgrammeOrderField for programme, default [Code false] {
        /// The programme code (the default).
        Code => Code,
        /// `updatedAt`, the last change: for partner systems that sync.
        UpdatedAt => UpdatedAt,
    }
);

order_fields!(
    /// What the workshops list can be sorted by.
    WorkshopOrderField for workshop, default [StartsAt false] {
        /// `startsAt` (the default).
        StartsAt => StartsAt,
        /// `updatedAt`, the last change: for partner systems that sync.
        UpdatedAt => UpdatedAt,
    }
);

order_fields!(
    /// What the API tokens list can be sorted by; left out, oldest first.
    ApiTokenOrderField for api_token, default [] {
        /// When the token was issued.
        CreatedAt => CreatedAt,
        /// `updatedAt`, the last change (a revocation): for systems that sync.
        UpdatedAt => UpdatedAt,
    }
);
