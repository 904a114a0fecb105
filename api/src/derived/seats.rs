//! Seats taken at a workshop, counted from its registrations when a write needs them (under
//! the workshop's row lock, so the count and the write that follows are serial).

use entity::enums::RegistrationStatus;
use entity::registration;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// People holding a seat at `workshop` now (registered or attended).
pub async fn taken(db: &impl ConnectionTrait, workshop: Uuid) -> Result<u64, DbErr> {
    registration::Entity::find()
        .filter(registration::Column::WorkshopId.eq(workshop))
        .filter(
            registration::Column::Status
                .is_in([RegistrationStatus::Registered, RegistrationStatus::Attended]),
        )
        .count(db)
        .await
}
