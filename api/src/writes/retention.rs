//! Retention: registrations are anonymised once their workshop ended more than
//! `MOSAIC_REGISTRATION_RETENTION_DAYS` ago, as `eraseRegistration` would (name, email,
//! organisation and manage token go; gender, age band and status stay for the figures). One
//! statement per sweep, one audit row per sweep that anonymised anything; safe to run on
//! every instance at once.

use chrono::{Duration, SubsecRound, Utc};
use entity::{registration, workshop};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, sea_query::Expr};
use serde_json::json;

use crate::error::ApiResult;
use crate::writes::Write;

/// Anonymises the registrations of workshops that ended more than `days` ago; answers how
/// many.
pub async fn anonymise_expired(write: &Write<'_>, days: u32) -> ApiResult<u64> {
    let now = Utc::now();
    let cutoff = now - Duration::days(i64::from(days));
    let ended = workshop::Entity::find()
        .select_only()
        .column(workshop::Column::Id)
        .filter(workshop::Column::EndsAt.lt(cutoff))
        .into_query();
    let done = registration::Entity::update_many()
        .col_expr(registration::Column::ParticipantName, Expr::value(""))
        .col_expr(registration::Column::Email, Expr::value(""))
        .col_expr(
            registration::Column::OrganisationName,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            registration::Column::ManageTokenSha256,
            Expr::value(Option::<String>::None),
        )
        .col_expr(registration::Column::ErasedAt, Expr::value(now))
        .col_expr(
            registration::Column::UpdatedAt,
            Expr::value(now.trunc_subsecs(3)),
        )
        .filter(registration::Column::ErasedAt.is_null())
        .filter(registration::Column::WorkshopId.in_subquery(ended))
        .exec(write.txn())
        .await?
        .rows_affected;
    if done > 0 {
        write
            .record_many::<registration::Entity>(
                "anonymiseExpiredRegistrations",
                json!({ "retentionDays": days, "workshopsEndedBefore": cutoff, "registrations": done }),
            )
            .await?;
    }
    Ok(done)
}
