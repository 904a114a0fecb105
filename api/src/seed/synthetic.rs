//! `mosaic seed --synthetic N`: a large programme for benchmarks and load tests, built on the
//! seed programme's countries, regions and exchange rates.
//!
//! Everything comes from one random generator seeded with `--random-seed`, so the same N and
//! seed give the same rows (ids included) on SQLite and PostgreSQL. Projects are written in
//! chunks with multi-row inserts sized to stay under both databases' bound-parameter limits,
//! all inside one transaction: a failed run leaves nothing behind.

use std::collections::BTreeMap;

use anyhow::bail;
use chrono::{DateTime, Duration, NaiveDate, TimeZone as _, Utc};
use entity::enums::{
    AgeBand, ClassificationVocabulary, FundingKind, FundingStatus, Gender, OrganisationKind,
    ParticipantRole, ProjectStatus, RegistrationStatus, WorkshopFormat, WorkshopStatus,
};
use entity::{
    country, funding, organisation, project, project_classification, project_participant,
    project_region, region, registration, workshop,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::Summary;
use super::work::{WorkRows, insert};

/// Every synthetic project's code starts with this, so a second run can be refused.
pub const CODE_PREFIX: &str = "SYN-";
/// Projects generated and written per round; bounds memory whatever N is.
const CHUNK: u32 = 500;

const FOCUS_AREAS: [&str; 6] = [
    "GENDER_MAINSTREAMING",
    "REGIONAL_GROWTH",
    "SYSTEMATIC_MANAGEMENT",
    "NORM_FREE_STUDY_AND_CAREER_CHOICE",
    "STRATEGIC_SKILLS_SUPPLY",
    "ENTREPRENEURSHIP",
];
const TARGET_GROUPS: [&str; 5] = [
    "REGIONS",
    "YOUNG_PEOPLE",
    "REGIONAL_LEADERS_AND_POLITICIANS",
    "STUDY_AND_CAREER_COUNSELLORS",
    "SMALL_BUSINESSES",
];
const THEMES: [&str; 10] = [
    "Equal careers",
    "Gender-aware budgeting",
    "Women in green industries",
    "Norm-critical schools",
    "Inclusive regional planning",
    "Fathers at work",
    "Safe public spaces",
    "Diverse boards",
    "Skills for returners",
    "Equal rural services",
];

/// A country as the generator needs it.
struct Country {
    code: String,
    language: String,
    zone: chrono_tz::Tz,
    /// Regions below country level, where projects and venues are.
    regions: Vec<Uuid>,
    /// Organisations that lead or partner projects here.
    organisations: Vec<Uuid>,
    /// Funders that fund in this country's currency.
    funders: Vec<(Uuid, String)>,
}

/// Adds `projects` synthetic projects (with fundings, workshops and registrations) to the
/// database, loading the seed programme first if the database is empty.
pub async fn load(db: &DatabaseConnection, projects: u32, seed: u64) -> anyhow::Result<Summary> {
    if super::is_empty(db).await? {
        super::load_programme(db).await?;
    }
    let existing = project::Entity::find()
        .filter(project::Column::Code.starts_with(CODE_PREFIX))
        .count(db)
        .await?;
    if existing > 0 {
        bail!("the database already holds {existing} synthetic projects; use an empty database");
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let txn = db.begin().await?;
    let (countries, organisations) = countries(&txn, &mut rng).await?;
    if countries.is_empty() {
        bail!("no country has regions below country level to place projects in");
    }
    let mut summary = Summary {
        organisations: organisations.len(),
        ..Summary::default()
    };
    insert(&txn, organisations).await?;
    let mut done = 0;
    while done < projects {
        let count = CHUNK.min(projects - done);
        let rows = WorkRows::generate(&mut rng, &countries, done, count);
        rows.count_into(&mut summary);
        rows.write(&txn).await?;
        done += count;
        if done % 10_000 == 0 {
            tracing::info!(done, "synthetic projects written");
        }
    }
    crate::derived::rebuild_after_load(&txn).await?;
    txn.commit().await?;
    Ok(summary)
}

fn id(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Chooses by weight: `[(value, weight), …]`.
fn weighted<T: Copy>(rng: &mut StdRng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (value, weight) in choices {
        if roll < *weight {
            return *value;
        }
        roll -= weight;
    }
    choices[choices.len() - 1].0
}

fn text(language: &str, local: String, english: String) -> serde_json::Value {
    if language == "en" {
        json!({ "en": english })
    } else {
        json!({ language: local, "en": english })
    }
}

/// The seed's countries with their regions, plus synthetic organisations and funders for each.
async fn countries(
    db: &impl ConnectionTrait,
    rng: &mut StdRng,
) -> anyhow::Result<(Vec<Country>, Vec<organisation::ActiveModel>)> {
    let mut regions: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    let mut all_regions = region::Entity::find().all(db).await?;
    all_regions.sort_by(|a, b| a.nuts_code.cmp(&b.nuts_code));
    for r in all_regions.into_iter().filter(|r| r.level >= 2) {
        regions
            .entry(r.country_code.clone())
            .or_default()
            .push(r.id);
    }
    let mut stored = country::Entity::find().all(db).await?;
    stored.sort_by(|a, b| a.code.cmp(&b.code));
    let mut organisations = Vec::new();
    let mut organisation = |rng: &mut StdRng, name: String, kind, country: Option<&str>| {
        let id = id(rng);
        organisations.push(organisation::ActiveModel {
            updated_at: Set(seeded_at()),
            id: Set(id),
            name: Set(json!({ "en": name })),
            language: Set("en".to_owned()),
            acronym: Set(None),
            kind: Set(kind),
            country_code: Set(country.map(str::to_owned)),
            region_id: Set(None),
            website: Set(None),
            illustrative: Set(true),
            illustrative_fields: Set(json!([])),
            version: Set(1),
        });
        id
    };
    // Funders across borders, in euros and dollars, beside each country's own.
    let european = [
        organisation(
            rng,
            "Synthetic European Equality Fund".into(),
            OrganisationKind::International,
            None,
        ),
        organisation(
            rng,
            "Synthetic Cohesion Programme".into(),
            OrganisationKind::International,
            None,
        ),
    ];
    let transatlantic = organisation(
        rng,
        "Synthetic Transatlantic Foundation".into(),
        OrganisationKind::Foundation,
        None,
    );
    let mut countries = Vec::new();
    for c in stored {
        let Some(regions) = regions.remove(&c.code) else {
            continue;
        };
        let Ok(zone) = c.time_zone.parse::<chrono_tz::Tz>() else {
            bail!("country {}: unknown time zone {}", c.code, c.time_zone);
        };
        let kinds = [
            OrganisationKind::Ngo,
            OrganisationKind::Municipality,
            OrganisationKind::RegionalAuthority,
            OrganisationKind::Academic,
            OrganisationKind::Company,
        ];
        let organisations_here = (1..=40)
            .map(|n| {
                let kind = kinds[n % kinds.len()];
                organisation(
                    rng,
                    format!("Synthetic organisation {} {n:02}", c.code),
                    kind,
                    Some(&c.code),
                )
            })
            .collect();
        let mut funders: Vec<(Uuid, String)> = (1..=3)
            .map(|n| {
                let id = organisation(
                    rng,
                    format!("Synthetic {} funder {n}", c.code),
                    OrganisationKind::PublicAgency,
                    Some(&c.code),
                );
                (id, c.currency.clone())
            })
            .collect();
        funders.extend(european.iter().map(|id| (*id, "EUR".to_owned())));
        funders.push((transatlantic, "USD".to_owned()));
        countries.push(Country {
            code: c.code,
            language: c.default_language,
            zone,
            regions,
            organisations: organisations_here,
            funders,
        });
    }
    Ok((countries, organisations))
}

/// When every synthetic row was created and last changed: fixed (2026-01-01), so that the same
/// seed gives the same rows whenever it runs.
fn seeded_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

/// Generating synthetic rows, one round at a time.
impl WorkRows {
    /// One round: `count` projects, numbered from `first`, with their work.
    fn generate(rng: &mut StdRng, countries: &[Country], first: u32, count: u32) -> Self {
        let mut rows = Self::default();
        let created = seeded_at();
        for n in first..first + count {
            let c = &countries[rng.random_range(0..countries.len())];
            rows.project(rng, c, n, created);
        }
        rows
    }

    fn project(&mut self, rng: &mut StdRng, c: &Country, n: u32, created: DateTime<Utc>) {
        let id = id(rng);
        let theme = *pick(rng, &THEMES);
        let year = rng.random_range(2019..=2026);
        let start =
            NaiveDate::from_ymd_opt(year, rng.random_range(1..=12), 1).unwrap_or(NaiveDate::MIN);
        let end = start + Duration::days(rng.random_range(365..=1460));
        let status = weighted(
            rng,
            &[
                (ProjectStatus::Planned, 10),
                (ProjectStatus::Active, 55),
                (ProjectStatus::Completed, 30),
                (ProjectStatus::Suspended, 3),
                (ProjectStatus::Cancelled, 2),
            ],
        );
        self.projects.push(project::ActiveModel {
            id: Set(id),
            code: Set(format!("{CODE_PREFIX}{n:07}")),
            acronym: Set(None),
            title: Set(text(
                &c.language,
                format!("{theme} ({} {n})", c.code),
                format!("{theme} in region {} no. {n}", c.code),
            )),
            summary: Set(text(
                &c.language,
                format!("Synthetisk projekt {n}"),
                format!("A synthetic project for load tests: {theme}."),
            )),
            language: Set(c.language.clone()),
            status: Set(status),
            start_date: Set(start),
            end_date: Set(end),
            country_code: Set(c.code.clone()),
            resource_centre_id: Set(None),
            parent_id: Set(None),
            planned_start: Set(Some(start.to_string())),
            planned_end: Set(Some(end.to_string())),
            actual_start: Set(None),
            actual_end: Set(None),
            programme_id: Set(None),
            budget_currency: Set(None),
            budget_total_minor: Set(None),
            budget_eligible_minor: Set(None),
            budget_rate_micros: Set(None),
            budget_rate_date: Set(None),
            budget_eur_sort: Set(-1),
            gender_marker: Set(rng.random_range(0..=2)),
            // About one in twelve is an unpublished draft.
            published: Set(rng.random_range(0..12) != 0),
            illustrative: Set(true),
            illustrative_fields: Set(json!([])),
            version: Set(1),
            created_at: Set(created),
            updated_at: Set(created),
        });
        let mut regions: Vec<Uuid> = (0..rng.random_range(1..=3))
            .map(|_| *pick(rng, &c.regions))
            .collect();
        regions.sort();
        regions.dedup();
        for region in &regions {
            self.project_regions.push(project_region::ActiveModel {
                project_id: Set(id),
                region_id: Set(*region),
            });
        }
        let mut partners: Vec<Uuid> = (0..rng.random_range(1..=3))
            .map(|_| *pick(rng, &c.organisations))
            .collect();
        partners.sort();
        partners.dedup();
        let lead = *pick(rng, &partners);
        for organisation in partners {
            let role = if organisation == lead {
                ParticipantRole::Lead
            } else {
                ParticipantRole::Partner
            };
            self.participants.push(project_participant::ActiveModel {
                project_id: Set(id),
                organisation_id: Set(organisation),
                role: Set(role),
            });
        }
        for (codes, vocabulary, most) in [
            (&FOCUS_AREAS[..], ClassificationVocabulary::FocusArea, 2),
            (&TARGET_GROUPS[..], ClassificationVocabulary::TargetGroup, 3),
        ] {
            let mut chosen: Vec<&str> = (0..rng.random_range(1..=most))
                .map(|_| *pick(rng, codes))
                .collect();
            chosen.sort();
            chosen.dedup();
            for code in chosen {
                self.classifications
                    .push(project_classification::ActiveModel {
                        project_id: Set(id),
                        vocabulary: Set(vocabulary),
                        code: Set(code.to_owned()),
                    });
            }
        }
        for _ in 0..rng.random_range(1..=4) {
            let (funder, currency) = pick(rng, &c.funders).clone();
            let value_date = start + Duration::days(rng.random_range(0..180));
            self.fundings.push(funding::ActiveModel {
                updated_at: Set(seeded_at()),
                id: Set(self::id(rng)),
                project_id: Set(id),
                funder_id: Set(funder),
                kind: Set(weighted(
                    rng,
                    &[
                        (FundingKind::Grant, 60),
                        (FundingKind::CoFinancing, 25),
                        (FundingKind::InKind, 8),
                        (FundingKind::OwnContribution, 7),
                    ],
                )),
                status: Set(weighted(
                    rng,
                    &[
                        (FundingStatus::Planned, 20),
                        (FundingStatus::Committed, 40),
                        (FundingStatus::Disbursed, 40),
                    ],
                )),
                // 10 000.00 to 2 000 000.00 in whole units, stored in hundredths.
                amount_minor: Set(rng.random_range(10_000_i64..=2_000_000) * 100),
                currency: Set(currency),
                period_start: Set(Some(start)),
                period_end: Set(Some(end)),
                value_date: Set(value_date),
                drawn_from_id: Set(None),
                illustrative: Set(true),
                illustrative_fields: Set(json!([])),
                version: Set(1),
                rate_micros: NotSet,
                rate_date: NotSet,
            });
        }
        for _ in 0..rng.random_range(3..=7) {
            self.workshop(rng, c, id, start, end);
        }
    }

    fn workshop(
        &mut self,
        rng: &mut StdRng,
        c: &Country,
        project: Uuid,
        start: NaiveDate,
        end: NaiveDate,
    ) {
        let id = id(rng);
        let span = (end - start).num_days().max(1);
        let day = start + Duration::days(rng.random_range(0..span));
        let hour = rng.random_range(9..=16);
        let local = day.and_hms_opt(hour, 0, 0).unwrap_or_default();
        let starts = c
            .zone
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| local.and_utc());
        let ends = starts + Duration::hours(rng.random_range(1..=3));
        let past = day < NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or(NaiveDate::MAX);
        let status = match (past, rng.random_range(0..20)) {
            (_, 0) => WorkshopStatus::Cancelled,
            (true, _) => WorkshopStatus::Completed,
            (false, _) => WorkshopStatus::Scheduled,
        };
        let format = weighted(
            rng,
            &[
                (WorkshopFormat::InPerson, 60),
                (WorkshopFormat::Online, 25),
                (WorkshopFormat::Hybrid, 15),
            ],
        );
        let capacity = rng.random_range(15..=60);
        let venue = (format != WorkshopFormat::Online).then(|| *pick(rng, &c.regions));
        self.workshops.push(workshop::ActiveModel {
            updated_at: Set(seeded_at()),
            id: Set(id),
            project_id: Set(project),
            title: Set(text(
                &c.language,
                format!("Workshop {}", self.workshops.len() + 1),
                format!("Workshop {} on {}", self.workshops.len() + 1, day),
            )),
            description: Set(json!({ "en": "A synthetic workshop." })),
            language: Set("en".to_owned()),
            starts_at: Set(starts),
            ends_at: Set(ends),
            time_zone: Set(c.zone.name().to_owned()),
            venue_name: Set(venue.map(|_| "Town hall".to_owned())),
            venue_address: Set(None),
            venue_town: Set(venue.map(|_| format!("Town {}", rng.random_range(1..=50)))),
            venue_region_id: Set(venue),
            kind: Set(entity::enums::ActivityKind::Workshop),
            format: Set(format),
            spoken_language: Set(c.language.clone()),
            capacity: Set(Some(capacity)),
            registration_deadline: Set(None),
            target_groups: Set(json!([])),
            status: Set(status),
            open_to_public: Set(rng.random_range(0..4) != 0),
            illustrative: Set(true),
            illustrative_fields: Set(json!([])),
            version: Set(1),
        });
        // About 8 registrations per workshop, 40 per project.
        let people = rng.random_range(0..=16).min(capacity);
        for _ in 0..people {
            let n = self.registrations.len();
            let registration_status = match (status, rng.random_range(0..10)) {
                (_, 0) => RegistrationStatus::Cancelled,
                (WorkshopStatus::Completed, _) => RegistrationStatus::Attended,
                _ => RegistrationStatus::Registered,
            };
            let age_band = weighted(
                rng,
                &[
                    (AgeBand::Under18, 8),
                    (AgeBand::From18To29, 30),
                    (AgeBand::From30To54, 47),
                    (AgeBand::From55, 15),
                ],
            );
            self.registrations.push(registration::ActiveModel {
                updated_at: Set(seeded_at()),
                id: Set(self::id(rng)),
                workshop_id: Set(id),
                participant_name: Set(format!("Synthetic participant {n}")),
                email: Set(format!("synthetic-{}@example.org", self::id(rng).simple())),
                organisation_name: Set(None),
                gender: Set(weighted(
                    rng,
                    &[
                        (Gender::Woman, 55),
                        (Gender::Man, 35),
                        (Gender::NonBinary, 4),
                        (Gender::Undisclosed, 6),
                    ],
                )),
                age_band: Set(age_band),
                status: Set(registration_status),
                registered_at: Set(starts - Duration::days(rng.random_range(1..=60))),
                illustrative: Set(true),
                illustrative_fields: Set(json!([])),
                consent_notice_version: Set(None),
                consent_purposes: Set(None),
                consented_at: Set(None),
                guardian_consent: Set(age_band == AgeBand::Under18),
                controller_id: Set(None),
                manage_token_sha256: Set(None),
                erased_at: Set(None),
                record_key: Set(rng.random_range(0..crate::domain::cell_key::KEY_RANGE) as i32),
            });
        }
    }
}
