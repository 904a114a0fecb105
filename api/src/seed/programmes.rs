//! The seed's programmes and project budgets: rows checked like the API checks them.

use std::collections::HashMap;

use anyhow::{Context, anyhow, bail};
use chrono::Utc;
use entity::{budget_line, document_link, programme, programme_country, programme_funder};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{date, file, invented, lookup, text};
use crate::domain::codes::CurrencyCode;
use crate::domain::money;
use crate::domain::project::Budget;

/// An amount string in hundredths.
pub fn minor(amount: &str, what: &str) -> anyhow::Result<i64> {
    let value: rust_decimal::Decimal = amount
        .parse()
        .with_context(|| format!("{what}: amount {amount} is not a decimal"))?;
    money::to_minor(value).ok_or_else(|| {
        anyhow!("{what}: amount {amount} is not an amount in hundredths within range")
    })
}

/// The documents of one owner: `owner` sets the owner column of each row.
pub fn documents(
    list: &[file::Document],
    owner: impl Fn(&mut document_link::ActiveModel),
    what: &str,
) -> anyhow::Result<Vec<document_link::ActiveModel>> {
    list.iter()
        .enumerate()
        .map(|(position, d)| {
            if let Some(url) = &d.url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                bail!("{what}: {url} is not an http(s) address");
            }
            let mut row = document_link::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(Uuid::now_v7()),
                url: Set(d.url.clone()),
                title: Set(text(&d.title, &d.language, what)?),
                language: Set(d.language.clone()),
                category: Set(d.category),
                document_language: Set(d.document_language.clone()),
                published_on: Set(None),
                position: Set(position as i32),
                project_id: Set(None),
                programme_id: Set(None),
                resource_centre_id: Set(None),
                workshop_id: Set(None),
                illustrative: Set(d.illustrative.record()),
                illustrative_fields: Set(invented(&d.illustrative)),
                version: Set(1),
            };
            owner(&mut row);
            Ok(row)
        })
        .collect()
}

#[derive(Default)]
pub struct ProgrammeRows {
    pub programmes: Vec<programme::ActiveModel>,
    pub funders: Vec<programme_funder::ActiveModel>,
    pub countries: Vec<programme_country::ActiveModel>,
    pub documents: Vec<document_link::ActiveModel>,
    /// Programme ids by code.
    pub ids: HashMap<String, Uuid>,
}

pub fn build(
    entries: &[file::ProgrammeEntry],
    organisations: &HashMap<String, Uuid>,
) -> anyhow::Result<ProgrammeRows> {
    let mut rows = ProgrammeRows::default();
    let now = Utc::now();
    for p in entries {
        let what = format!("programme {}", p.code);
        let id = Uuid::now_v7();
        let parent = p
            .parent
            .as_deref()
            .map(|k| lookup(&rows.ids, k, &what))
            .transpose()?;
        if rows.ids.insert(p.code.clone(), id).is_some() {
            bail!("{what}: defined twice");
        }
        let budget = p
            .budget
            .as_ref()
            .map(|b| {
                CurrencyCode::parse(&b.currency).map_err(|e| anyhow!("{what}: {e}"))?;
                Ok::<_, anyhow::Error>((minor(&b.amount, &what)?, b.currency.clone()))
            })
            .transpose()?;
        rows.programmes.push(programme::ActiveModel {
            id: Set(id),
            code: Set(p.code.clone()),
            name: Set(text(&p.name, &p.language, &what)?),
            description: Set(if p.description.is_empty() {
                serde_json::json!({})
            } else {
                text(&p.description, &p.language, &what)?
            }),
            language: Set(p.language.clone()),
            managing_organisation_id: Set(p
                .managing_organisation
                .as_deref()
                .map(|k| lookup(organisations, k, &what))
                .transpose()?),
            parent_id: Set(parent),
            period_start: Set(p
                .period_start
                .as_ref()
                .map(|d| date(d, &what))
                .transpose()?),
            period_end: Set(p.period_end.as_ref().map(|d| date(d, &what)).transpose()?),
            budget_minor: Set(budget.as_ref().map(|b| b.0)),
            budget_currency: Set(budget.map(|b| b.1)),
            budget_rate_micros: Set(None),
            budget_rate_date: Set(None),
            illustrative: Set(p.illustrative.record()),
            illustrative_fields: Set(invented(&p.illustrative)),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
        for funder in &p.funders {
            rows.funders.push(programme_funder::ActiveModel {
                programme_id: Set(id),
                organisation_id: Set(lookup(organisations, funder, &what)?),
            });
        }
        rows.documents.extend(documents(
            &p.documents,
            |d| d.programme_id = Set(Some(id)),
            &what,
        )?);
        for code in &p.countries {
            rows.countries.push(programme_country::ActiveModel {
                programme_id: Set(id),
                country_code: Set(code.clone()),
            });
        }
    }
    Ok(rows)
}

/// A project's budget, checked as `createProject` checks it, and its lines.
pub fn budget(
    b: &file::Budget,
    project: Uuid,
    what: &str,
) -> anyhow::Result<(Budget, Vec<budget_line::ActiveModel>)> {
    CurrencyCode::parse(&b.currency).map_err(|e| anyhow!("{what}: {e}"))?;
    let lines = b
        .lines
        .iter()
        .map(|l| Ok((l.year, minor(&l.amount, what)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let budget = Budget::new(
        b.currency.clone(),
        minor(&b.total, what)?,
        b.eligible_cost
            .as_deref()
            .map(|e| minor(e, what))
            .transpose()?,
        lines,
    )
    .map_err(|e| anyhow!("{what}: {e:?}"))?;
    let rows = budget
        .lines
        .iter()
        .map(|(year, amount)| budget_line::ActiveModel {
            project_id: Set(project),
            year: Set(*year),
            amount_minor: Set(*amount),
        })
        .collect();
    Ok((budget, rows))
}
