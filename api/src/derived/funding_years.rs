//! Each funding's days in each calendar year of its period (`funding_year`), so that
//! `fundingSummary` can spread money over the years it covers (`YEAR_OF_PERIOD`) in one
//! grouped statement. A funding without a period lies wholly in the year of its value date.
//! Kept by the funding writes, in their transaction.

use chrono::{Datelike, NaiveDate};
use entity::{funding, funding_year};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// (year, days before it, days in it, days in all) over the period.
pub fn spread(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    value: NaiveDate,
) -> Vec<(i32, i32, i32, i32)> {
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) if e >= s => (s, e),
        (Some(s), None) => (s, s),
        (None, Some(e)) => (e, e),
        _ => (value, value),
    };
    let total = (end - start).num_days() as i32 + 1;
    let mut out = Vec::new();
    let mut before = 0;
    for year in start.year()..=end.year() {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).map_or(start, |d| d.max(start));
        let last = NaiveDate::from_ymd_opt(year, 12, 31).map_or(end, |d| d.min(end));
        let days = (last - first).num_days() as i32 + 1;
        out.push((year, before, days, total));
        before += days;
    }
    out
}

fn rows(f: &funding::Model) -> Vec<funding_year::ActiveModel> {
    spread(f.period_start, f.period_end, f.value_date)
        .into_iter()
        .map(|(year, before, days, total)| funding_year::ActiveModel {
            funding_id: Set(f.id),
            year: Set(year),
            days_before: Set(before),
            days: Set(days),
            days_total: Set(total),
        })
        .collect()
}

/// The years of funding `f`, written again.
pub async fn refresh(db: &impl ConnectionTrait, f: &funding::Model) -> Result<(), DbErr> {
    forget(db, f.id).await?;
    for chunk in rows(f).chunks(4_000) {
        funding_year::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn forget(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    funding_year::Entity::delete_many()
        .filter(funding_year::Column::FundingId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A database migrated from before the years were kept gets them, on start.
pub async fn fill_if_empty(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    use sea_orm::PaginatorTrait;
    if funding_year::Entity::find().count(db).await? == 0
        && funding::Entity::find().count(db).await? > 0
    {
        rebuild(db).await?;
    }
    Ok(())
}

/// Every funding's years, computed again: after a bulk load.
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    funding_year::Entity::delete_many().exec(db).await?;
    let all: Vec<funding_year::ActiveModel> = funding::Entity::find()
        .all(db)
        .await?
        .iter()
        .flat_map(rows)
        .collect();
    for chunk in all.chunks(4_000) {
        funding_year::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_spread_over_its_years_by_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        // 2016 is a leap year: 366 + 365 + 365 days.
        assert_eq!(
            spread(Some(d(2016, 1, 1)), Some(d(2018, 12, 31)), d(2016, 12, 31)),
            vec![
                (2016, 0, 366, 1096),
                (2017, 366, 365, 1096),
                (2018, 731, 365, 1096)
            ]
        );
        assert_eq!(spread(None, None, d(2021, 8, 1)), vec![(2021, 0, 1, 1)]);
        assert_eq!(
            spread(Some(d(2021, 8, 1)), Some(d(2022, 12, 31)), d(2021, 8, 1)),
            vec![(2021, 0, 153, 518), (2022, 153, 365, 518)]
        );
    }
}
