//! Seats taken at a workshop, counted from its registrations when a write needs them (under
//! the workshop's row lock, so the count and the write that follows are serial).

use entity::enums::RegistrationStatus;
use entity::registration;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};
use uuid::Uuid;

/// People holding a seat at `workshop` now (registered or attended).
pub async fn taken(db: &impl ConnectionTrait, workshop: Uuid) -> Result<u64, DbErr> {
    let (seats, _) = taken_with_keys(db, workshop).await?;
    Ok(u64::try_from(seats).unwrap_or(0))
}

/// Seats taken at `workshop` and the sum of their holders' record keys (`domain::cell_key`),
/// for what events publish.
pub async fn taken_with_keys(
    db: &impl ConnectionTrait,
    workshop: Uuid,
) -> Result<(i64, i64), DbErr> {
    let found: Option<(i64, Option<i64>)> = registration::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(
            Expr::cust("CAST(SUM(registration.record_key) AS BIGINT)"),
            "key_sum",
        )
        .filter(registration::Column::WorkshopId.eq(workshop))
        .filter(
            registration::Column::Status
                .is_in([RegistrationStatus::Registered, RegistrationStatus::Attended]),
        )
        .into_tuple()
        .one(db)
        .await?;
    Ok(found.map_or((0, 0), |(n, keys)| (n, keys.unwrap_or(0))))
}
