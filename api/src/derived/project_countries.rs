//! The countries each project works in (`project_country`): its owner's, and those of its
//! partner organisations and regions. Kept by the project writes that change its links, in
//! their transaction; the `countries` filter and coordinators' visibility read it, so both
//! are one indexed lookup instead of three joins.

use entity::{organisation, project, project_country, project_participant, project_region, region};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// (project, country, owner) for every project, or for `only` that one.
fn places(only: Option<Uuid>) -> SelectStatement {
    let project_id = Expr::col((project::Entity, project::Column::Id));
    let owner_country = Expr::col((project::Entity, project::Column::CountryCode));
    let mut owner = Query::select();
    owner
        .expr(project_id.clone())
        .expr(owner_country.clone())
        .expr(Expr::val(true))
        .from(project::Entity);

    let mut partners = Query::select();
    let partner_country = Expr::col((organisation::Entity, organisation::Column::CountryCode));
    partners
        .expr(project_id.clone())
        .expr(partner_country.clone())
        .expr(Expr::val(false))
        .from(project_participant::Entity)
        .inner_join(
            organisation::Entity,
            Expr::col((organisation::Entity, organisation::Column::Id)).equals((
                project_participant::Entity,
                project_participant::Column::OrganisationId,
            )),
        )
        .inner_join(
            project::Entity,
            project_id.clone().equals((
                project_participant::Entity,
                project_participant::Column::ProjectId,
            )),
        )
        .and_where(partner_country.clone().is_not_null())
        .and_where(partner_country.ne(owner_country.clone()));

    let mut regions = Query::select();
    let region_country = Expr::col((region::Entity, region::Column::CountryCode));
    regions
        .expr(project_id.clone())
        .expr(region_country.clone())
        .expr(Expr::val(false))
        .from(project_region::Entity)
        .inner_join(
            region::Entity,
            Expr::col((region::Entity, region::Column::Id))
                .equals((project_region::Entity, project_region::Column::RegionId)),
        )
        .inner_join(
            project::Entity,
            project_id
                .clone()
                .equals((project_region::Entity, project_region::Column::ProjectId)),
        )
        .and_where(region_country.ne(owner_country));

    if let Some(id) = only {
        for select in [&mut owner, &mut partners, &mut regions] {
            select.and_where(project_id.clone().eq(id));
        }
    }
    // A country both a partner's and a region's is one row.
    owner
        .union(UnionType::Distinct, partners)
        .union(UnionType::Distinct, regions);
    owner
}

async fn insert<C: ConnectionTrait>(db: &C, only: Option<Uuid>) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(project_country::Entity)
        .columns([
            project_country::Column::ProjectId,
            project_country::Column::CountryCode,
            project_country::Column::Owner,
        ])
        .select_from(places(only))
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    db.execute(&insert).await?;
    Ok(())
}

/// Computes project `id`'s countries again, after a write that may have changed them.
pub async fn refresh<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<(), DbErr> {
    project_country::Entity::delete_many()
        .filter(project_country::Column::ProjectId.eq(id))
        .exec(db)
        .await?;
    insert(db, Some(id)).await
}

/// Every project's countries again, after bulk loads that bypass the writes.
pub async fn rebuild<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    project_country::Entity::delete_many().exec(db).await?;
    insert(db, None).await
}

/// Fills the table for a database that had projects before it existed.
pub async fn fill_if_empty<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if project_country::Entity::find().count(db).await? == 0
        && project::Entity::find().count(db).await? > 0
    {
        rebuild(db).await?;
    }
    Ok(())
}
