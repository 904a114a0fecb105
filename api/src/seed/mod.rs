//! The seed programme: `api/seed/programme.toml`, read, checked and written in one transaction.

mod file;
mod programmes;
mod rates;
mod registrations;
mod results;
mod summary;
pub mod synthetic;
mod work;

pub use summary::Summary;
pub mod vocabularies;

use std::collections::HashMap;

use anyhow::{Context, anyhow, bail};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _, Utc};
use entity::enums::{ClassificationVocabulary, WorkshopStatus};
use entity::{
    contact, country, exchange_rate, funding, milestone, organisation, project,
    project_classification, project_participant, project_region, region, resource_centre, workshop,
    workshop_agenda_item,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::domain::codes::{CountryCode, CurrencyCode, Language, NutsCode, TimeZone};
use crate::domain::partial_date::PartialDate;
use crate::domain::project::{ProjectDates, stored_status};
use work::{WorkRows, insert};

/// The seed file, compiled into the binary so `mosaic` needs nothing beside it.
pub const PROGRAMME: &str = include_str!("../../seed/programme.toml");

/// Whether the database holds no programme yet (no countries).
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(country::Entity::find().count(db).await? == 0)
}

/// How much of the seed file to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Countries, regions and exchange rates: facts from public standards and the ECB, and
    /// nothing invented, so a production database may start from them.
    Reference,
    /// Everything: the programme's organisations, projects, fundings and workshops too, with
    /// their invented people (development and demonstrations).
    Programme,
}

/// Loads the seed programme into an empty database, all or nothing.
pub async fn load_programme(db: &DatabaseConnection) -> anyhow::Result<Summary> {
    load(db, Scope::Programme).await
}

/// Loads `scope` of the seed file into an empty database, all or nothing.
pub async fn load(db: &DatabaseConnection, scope: Scope) -> anyhow::Result<Summary> {
    if !is_empty(db).await? {
        bail!("the database already holds a programme; seed only an empty database");
    }
    let programme: file::Programme =
        toml::from_str(PROGRAMME).context("the seed file api/seed/programme.toml is invalid")?;
    let rows = Rows::build(&programme, scope)?;
    let summary = rows.summary();
    let txn = db.begin().await?;
    rows.write(&txn).await?;
    crate::derived::rebuild_after_load(&txn).await?;
    txn.commit().await?;
    Ok(summary)
}

fn text(
    map: &HashMap<String, String>,
    language: &str,
    what: &str,
) -> anyhow::Result<serde_json::Value> {
    Language::parse(language).map_err(|e| anyhow!("{what}: {e}"))?;
    if !map.contains_key(language) {
        bail!("{what}: no text in its original language `{language}`");
    }
    for lang in map.keys() {
        Language::parse(lang).map_err(|e| anyhow!("{what}: {e}"))?;
    }
    Ok(json!(map))
}

fn date(value: &toml::value::Datetime, what: &str) -> anyhow::Result<NaiveDate> {
    let d = value
        .date
        .ok_or_else(|| anyhow!("{what}: a date is required"))?;
    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        .ok_or_else(|| anyhow!("{what}: invalid date"))
}

fn local_time(value: &str, what: &str) -> anyhow::Result<NaiveTime> {
    NaiveTime::parse_from_str(value, "%H:%M").with_context(|| format!("{what}: expected HH:MM"))
}

/// A venue-local date and time in `zone`, as a UTC instant.
fn instant(
    value: &toml::value::Datetime,
    zone: &TimeZone,
    what: &str,
) -> anyhow::Result<chrono::DateTime<Utc>> {
    let day = date(value, what)?;
    let t = value
        .time
        .ok_or_else(|| anyhow!("{what}: a time is required"))?;
    if value.offset.is_some() {
        bail!("{what}: give the venue's local time without an offset");
    }
    let time = NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.into())
        .ok_or_else(|| anyhow!("{what}: invalid time"))?;
    zone.0
        .from_local_datetime(&NaiveDateTime::new(day, time))
        .single()
        .map(|local| local.with_timezone(&Utc))
        .ok_or_else(|| anyhow!("{what}: the local time does not exist or is ambiguous"))
}

/// The invented values of a record, by their API names.
fn invented(illustrative: &file::Illustrative) -> serde_json::Value {
    json!(
        illustrative
            .fields()
            .iter()
            .map(|name| crate::domain::illustrative::api_name(name))
            .collect::<Vec<_>>()
    )
}

fn list(values: &[String]) -> serde_json::Value {
    json!(values)
}

/// Every row of the programme, checked and with ids assigned, before anything is written.
#[derive(Default)]
struct Rows {
    countries: Vec<country::ActiveModel>,
    regions: Vec<region::ActiveModel>,
    organisations: Vec<organisation::ActiveModel>,
    centres: Vec<resource_centre::ActiveModel>,
    milestones: Vec<milestone::ActiveModel>,
    contacts: Vec<contact::ActiveModel>,
    work: WorkRows,
    programmes: programmes::ProgrammeRows,
    budget_lines: Vec<entity::budget_line::ActiveModel>,
    documents: Vec<entity::document_link::ActiveModel>,
    results: results::ResultRows,
    agenda: Vec<workshop_agenda_item::ActiveModel>,
    exchange_rates: Vec<exchange_rate::ActiveModel>,
}

fn lookup(map: &HashMap<String, Uuid>, key: &str, what: &str) -> anyhow::Result<Uuid> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow!("{what}: unknown reference `{key}`"))
}

impl Rows {
    fn build(p: &file::Programme, scope: Scope) -> anyhow::Result<Self> {
        let mut rows = Rows::default();
        let now = Utc::now();
        let mut nuts_prefixes: HashMap<&str, &str> = HashMap::new();
        for c in &p.countries {
            let what = format!("country {}", c.code);
            let code = CountryCode::parse(&c.code).map_err(|e| anyhow!("{what}: {e}"))?;
            CurrencyCode::parse(&c.currency).map_err(|e| anyhow!("{what}: {e}"))?;
            TimeZone::parse(&c.time_zone).map_err(|e| anyhow!("{what}: {e}"))?;
            let nuts_prefix = c.nuts_prefix.as_deref().unwrap_or(&c.code);
            nuts_prefixes.insert(&c.code, nuts_prefix);
            rows.countries.push(country::ActiveModel {
                updated_at: Set(Utc::now()),
                code: Set(code.into_inner()),
                name: Set(text(&c.name, &c.default_language, &what)?),
                default_language: Set(c.default_language.clone()),
                currency: Set(c.currency.clone()),
                time_zone: Set(c.time_zone.clone()),
                programme_member: Set(c.programme_member),
                nuts_prefix: Set(Some(nuts_prefix.to_owned())),
                version: Set(1),
            });
        }
        let mut regions: HashMap<String, Uuid> = HashMap::new();
        for r in &p.regions {
            let key = r.key.clone().unwrap_or_else(|| r.nuts_code.clone());
            let what = format!("region {key}");
            let nuts = NutsCode::parse(&r.nuts_code).map_err(|e| anyhow!("{what}: {e}"))?;
            let prefix = nuts_prefixes
                .get(r.country.as_str())
                .ok_or_else(|| anyhow!("{what}: unknown country `{}`", r.country))?;
            if !nuts.as_str().starts_with(prefix) {
                bail!("{what}: NUTS code does not belong to country {}", r.country);
            }
            let id = Uuid::now_v7();
            let parent = r
                .parent
                .as_deref()
                .map(|k| lookup(&regions, k, &what))
                .transpose()?;
            if regions.insert(key.clone(), id).is_some() {
                bail!("{what}: defined twice");
            }
            rows.regions.push(region::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(id),
                nuts_code: Set(nuts.as_str().to_owned()),
                nuts_version: Set(r.nuts_version),
                level: Set(nuts.level()),
                parent_id: Set(parent),
                country_code: Set(r.country.clone()),
                name: Set(text(&r.name, &r.language, &what)?),
                language: Set(r.language.clone()),
                version: Set(1),
            });
        }
        rows.exchange_rates = rates::rows(rates::ECB_RATES)?;
        let terms = vocabularies::Terms::load()?;
        if scope == Scope::Reference {
            return Ok(rows);
        }
        let mut organisations: HashMap<String, Uuid> = HashMap::new();
        for o in &p.organisations {
            let what = format!("organisation {}", o.key);
            let id = Uuid::now_v7();
            organisations.insert(o.key.clone(), id);
            rows.organisations.push(organisation::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(id),
                name: Set(text(&o.name, &o.language, &what)?),
                language: Set(o.language.clone()),
                acronym: Set(o.acronym.clone()),
                kind: Set(o.kind),
                country_code: Set(o.country.clone()),
                region_id: Set(o
                    .region
                    .as_deref()
                    .map(|k| lookup(&regions, k, &what))
                    .transpose()?),
                website: Set(o.website.clone()),
                illustrative: Set(o.illustrative.record()),
                illustrative_fields: Set(invented(&o.illustrative)),
                version: Set(1),
            });
        }
        let mut centres: HashMap<String, Uuid> = HashMap::new();
        for c in &p.resource_centres {
            let what = format!("resource centre {}", c.key);
            terms.check(ClassificationVocabulary::ActionArea, &c.action_areas, &what)?;
            let id = Uuid::now_v7();
            centres.insert(c.key.clone(), id);
            rows.centres.push(resource_centre::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(id),
                region_id: Set(lookup(&regions, &c.region, &what)?),
                host_organisation_id: Set(lookup(&organisations, &c.host, &what)?),
                name: Set(text(&c.name, &c.language, &what)?),
                language: Set(c.language.clone()),
                action_areas: Set(list(&c.action_areas)),
                website: Set(c.website.clone()),
                version: Set(1),
            });
        }
        rows.programmes = programmes::build(&p.programmes, &organisations)?;
        let mut projects: HashMap<String, Uuid> = HashMap::new();
        let mut allocations: HashMap<String, (Uuid, i64, String)> = HashMap::new();
        for pr in &p.projects {
            let what = format!("project {}", pr.code);
            let id = Uuid::now_v7();
            let parent = pr
                .parent
                .as_deref()
                .map(|k| lookup(&projects, k, &what))
                .transpose()?;
            projects.insert(pr.code.clone(), id);
            let partial = |v: &Option<String>| {
                v.as_deref()
                    .map(|v| PartialDate::parse(v).map_err(|e| anyhow!("{what}: {e}")))
                    .transpose()
            };
            let dates = ProjectDates {
                planned_start: partial(&pr.planned_start)?,
                planned_end: partial(&pr.planned_end)?,
                actual_start: partial(&pr.actual_start)?,
                actual_end: partial(&pr.actual_end)?,
            };
            dates.check().map_err(|e| anyhow!("{what}: {e:?}"))?;
            // As the API stores it: a set SUSPENDED or CANCELLED, or what the dates give.
            let status = stored_status(pr.status, &dates, now.date_naive())
                .map_err(|e| anyhow!("{what}: {e:?}"))?;
            let budget = match &pr.budget {
                Some(b) => {
                    let (budget, lines) = programmes::budget(b, id, &what)?;
                    rows.budget_lines.extend(lines);
                    Some(budget)
                }
                None => None,
            };
            rows.work.projects.push(project::ActiveModel {
                id: Set(id),
                code: Set(pr.code.clone()),
                acronym: Set(pr.acronym.clone()),
                title: Set(text(&pr.title, &pr.language, &what)?),
                summary: Set(text(&pr.summary, &pr.language, &what)?),
                language: Set(pr.language.clone()),
                status: Set(status),
                planned_start: Set(pr.planned_start.clone()),
                planned_end: Set(pr.planned_end.clone()),
                actual_start: Set(pr.actual_start.clone()),
                actual_end: Set(pr.actual_end.clone()),
                start_date: Set(dates.start()),
                end_date: Set(dates.end()),
                country_code: Set(pr.country.clone()),
                resource_centre_id: Set(pr
                    .resource_centre
                    .as_deref()
                    .map(|k| lookup(&centres, k, &what))
                    .transpose()?),
                parent_id: Set(parent),
                programme_id: Set(pr
                    .programme
                    .as_deref()
                    .map(|k| lookup(&rows.programmes.ids, k, &what))
                    .transpose()?),
                budget_currency: Set(budget.as_ref().map(|b| b.currency.clone())),
                budget_total_minor: Set(budget.as_ref().map(|b| b.total_minor)),
                budget_eligible_minor: Set(budget.as_ref().and_then(|b| b.eligible_minor)),
                budget_rate_micros: Set(None),
                budget_rate_date: Set(None),
                budget_eur_sort: Set(-1),
                gender_marker: Set(pr.gender_marker),
                published: Set(pr.published),
                illustrative: Set(pr.illustrative.record()),
                illustrative_fields: Set(invented(&pr.illustrative)),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            });
            rows.documents.extend(programmes::documents(
                &pr.documents,
                |d| d.project_id = Set(Some(id)),
                &what,
            )?);
            for key in &pr.regions {
                rows.work.project_regions.push(project_region::ActiveModel {
                    project_id: Set(id),
                    region_id: Set(lookup(&regions, key, &what)?),
                });
            }
            for part in &pr.participants {
                rows.work
                    .participants
                    .push(project_participant::ActiveModel {
                        project_id: Set(id),
                        organisation_id: Set(lookup(&organisations, &part.organisation, &what)?),
                        role: Set(part.role),
                    });
            }
            for (codes, vocabulary) in [
                (&pr.focus_areas, ClassificationVocabulary::FocusArea),
                (&pr.target_groups, ClassificationVocabulary::TargetGroup),
            ] {
                terms.check(vocabulary, codes, &what)?;
                for code in codes {
                    rows.work
                        .classifications
                        .push(project_classification::ActiveModel {
                            project_id: Set(id),
                            vocabulary: Set(vocabulary),
                            code: Set(code.clone()),
                        });
                }
            }
            rows.results.add(id, &pr.language, &pr.results, &what)?;
            for (position, m) in pr.milestones.iter().enumerate() {
                rows.milestones.push(milestone::ActiveModel {
                    updated_at: Set(Utc::now()),
                    id: Set(Uuid::now_v7()),
                    project_id: Set(id),
                    title: Set(text(&m.title, &pr.language, &what)?),
                    language: Set(pr.language.clone()),
                    due_date: Set(date(&m.due_date, &what)?),
                    achieved_on: Set(m.achieved_on.as_ref().map(|d| date(d, &what)).transpose()?),
                    position: Set(position as i32),
                    illustrative: Set(m.illustrative.record()),
                    illustrative_fields: Set(invented(&m.illustrative)),
                    version: Set(1),
                });
            }
            for c in &pr.contacts {
                rows.contacts.push(contact::ActiveModel {
                    updated_at: Set(Utc::now()),
                    id: Set(Uuid::now_v7()),
                    project_id: Set(Some(id)),
                    organisation_id: Set(None),
                    name: Set(c.name.clone()),
                    title: Set(c.title.clone()),
                    email: Set(c.email.clone()),
                    phone: Set(c.phone.clone()),
                    illustrative: Set(c.illustrative.record()),
                    illustrative_fields: Set(invented(&c.illustrative)),
                    version: Set(1),
                });
            }
            for f in &pr.fundings {
                CurrencyCode::parse(&f.currency).map_err(|e| anyhow!("{what}: {e}"))?;
                let minor = programmes::minor(&f.amount, &what)?;
                let funding_id = Uuid::now_v7();
                let drawn_from = match f.drawn_from.as_deref() {
                    Some(key) => {
                        let (parent, left, currency) = allocations
                            .get_mut(key)
                            .ok_or_else(|| anyhow!("{what}: unknown allocation `{key}`"))?;
                        if *currency != f.currency || *left < minor {
                            bail!("{what}: more than allocation `{key}` holds in {currency}");
                        }
                        *left -= minor;
                        Some(*parent)
                    }
                    None => None,
                };
                if let Some(key) = &f.key {
                    allocations.insert(key.clone(), (funding_id, minor, f.currency.clone()));
                }
                rows.work.fundings.push(funding::ActiveModel {
                    updated_at: Set(Utc::now()),
                    id: Set(funding_id),
                    project_id: Set(id),
                    funder_id: Set(lookup(&organisations, &f.funder, &what)?),
                    kind: Set(f.kind),
                    status: Set(f.status),
                    amount_minor: Set(minor),
                    currency: Set(f.currency.clone()),
                    period_start: Set(f
                        .period_start
                        .as_ref()
                        .map(|d| date(d, &what))
                        .transpose()?),
                    period_end: Set(f.period_end.as_ref().map(|d| date(d, &what)).transpose()?),
                    value_date: Set(date(&f.value_date, &what)?),
                    drawn_from_id: Set(drawn_from),
                    illustrative: Set(f.illustrative.record()),
                    illustrative_fields: Set(invented(&f.illustrative)),
                    version: Set(1),
                    rate_micros: NotSet,
                    rate_date: NotSet,
                });
            }
            for w in &pr.workshops {
                let zone = TimeZone::parse(&w.time_zone).map_err(|e| anyhow!("{what}: {e}"))?;
                terms.check(
                    ClassificationVocabulary::TargetGroup,
                    &w.target_groups,
                    &what,
                )?;
                let starts = instant(&w.starts_at, &zone, &what)?;
                let ends = instant(&w.ends_at, &zone, &what)?;
                if ends <= starts {
                    bail!("{what}: a workshop ends before it starts");
                }
                let workshop_id = Uuid::now_v7();
                rows.work.workshops.push(workshop::ActiveModel {
                    updated_at: Set(Utc::now()),
                    id: Set(workshop_id),
                    project_id: Set(id),
                    title: Set(text(&w.title, &w.language, &what)?),
                    description: Set(text(&w.description, &w.language, &what)?),
                    language: Set(w.language.clone()),
                    starts_at: Set(starts),
                    ends_at: Set(ends),
                    time_zone: Set(w.time_zone.clone()),
                    venue_name: Set(w.venue_name.clone()),
                    venue_address: Set(w.venue_address.clone()),
                    venue_town: Set(w.venue_town.clone()),
                    venue_region_id: Set(w
                        .venue_region
                        .as_deref()
                        .map(|k| lookup(&regions, k, &what))
                        .transpose()?),
                    kind: Set(w.kind),
                    format: Set(w.format),
                    spoken_language: Set(w.spoken_language.clone()),
                    capacity: Set(w.capacity),
                    registration_deadline: Set(None),
                    target_groups: Set(list(&w.target_groups)),
                    status: Set(crate::domain::workshop::status_at(
                        w.status.unwrap_or(WorkshopStatus::Scheduled),
                        ends,
                        now,
                    )),
                    open_to_public: Set(w.open_to_public),
                    illustrative: Set(w.illustrative.record()),
                    illustrative_fields: Set(invented(&w.illustrative)),
                    version: Set(1),
                });
                for (position, item) in w.agenda.iter().enumerate() {
                    rows.agenda.push(workshop_agenda_item::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        workshop_id: Set(workshop_id),
                        position: Set(position as i32),
                        starts_at: Set(local_time(&item.starts_at, &what)?),
                        ends_at: Set(item
                            .ends_at
                            .as_deref()
                            .map(|t| local_time(t, &what))
                            .transpose()?),
                        title: Set(text(&item.title, &w.language, &what)?),
                        language: Set(w.language.clone()),
                    });
                }
                let first = rows.work.registrations.len() + 1;
                rows.work.registrations.extend(registrations::people(
                    w,
                    workshop_id,
                    (starts, ends),
                    first,
                    &what,
                )?);
            }
        }
        Ok(rows)
    }

    fn summary(&self) -> Summary {
        let mut summary = Summary {
            countries: self.countries.len(),
            regions: self.regions.len(),
            organisations: self.organisations.len(),
            exchange_rates: self.exchange_rates.len(),
            ..Summary::default()
        };
        self.work.count_into(&mut summary);
        summary
    }

    async fn write<C: sea_orm::ConnectionTrait>(self, db: &C) -> anyhow::Result<()> {
        insert(db, self.countries).await?;
        insert(db, self.regions).await?;
        // Terms a start may already have added stay; the others come from the same file.
        vocabularies::fill_missing(db).await?;
        insert(db, self.organisations).await?;
        insert(db, self.centres).await?;
        insert(db, self.programmes.programmes).await?;
        insert(db, self.programmes.funders).await?;
        insert(db, self.programmes.countries).await?;
        // Parents come before their sub-projects in the file (and an allocation before the
        // fundings drawn from it), so inserting in file order keeps FKs valid.
        self.work.write(db).await?;
        insert(db, self.budget_lines).await?;
        insert(db, self.milestones).await?;
        insert(db, self.contacts).await?;
        insert(db, self.agenda).await?;
        insert(db, self.programmes.documents).await?;
        insert(db, self.documents).await?;
        insert(db, self.results.results).await?;
        insert(db, self.results.indicators).await?;
        insert(db, self.results.periods).await?;
        insert(db, self.exchange_rates).await
    }
}
