//! Programmes (admins), through the write pipeline: a programme spans countries, so no one
//! country's coordinators decide it; they place their projects in one (`Project.programme`).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{country, organisation, programme, programme_country, programme_funder, project};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait,
    QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use crate::access;
use crate::db::rows::uses;
use crate::error::{ApiError, ApiResult};
use crate::graphql::filters;
use crate::graphql::money::MoneyInput;
use crate::graphql::programme::Programme;
use crate::graphql::scalars::Date;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted, given};
use crate::ids::{self, Kind};
use crate::writes::{Write, changed, project::all_exist};

const NAME: TextField = TextField::required("input.name", 300);
const DESCRIPTION: TextField = TextField::optional("input.description", 5_000);

/// A new programme (admins only).
#[derive(InputObject)]
pub struct CreateProgrammeInput {
    /// Unique code: capital letters, digits and dashes, e.g. `URBACT-IV`.
    pub code: String,
    /// The language the texts were written in; `name` must include it.
    pub original_language: String,
    /// The name in one or more languages, at most 300 characters each.
    pub name: Vec<TranslationInput>,
    /// The description in one or more languages, at most 5000 characters each.
    pub description: Option<Vec<TranslationInput>>,
    /// Organisation id of the body that runs it.
    pub managing_organisation: Option<ID>,
    /// The programme this one is part of.
    pub parent: Option<ID>,
    /// The first day of its period.
    pub period_start: Option<Date>,
    /// The last day of its period, not before its first.
    pub period_end: Option<Date>,
    /// What it has to allocate, in its own currency.
    pub budget: Option<MoneyInput>,
    /// Organisation ids of its funders.
    pub funders: Option<Vec<ID>>,
    /// ISO codes of the countries it covers.
    pub countries: Option<Vec<String>>,
}

/// What to change on a programme; a field left out keeps its value, `null` clears it.
#[derive(InputObject)]
pub struct UpdateProgrammeInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the name.
    pub name: Option<Vec<TranslationInput>>,
    /// Replaces all language versions of the description (at most 5000 characters each).
    pub description: Option<Vec<TranslationInput>>,
    /// Organisation id of the body that runs it.
    pub managing_organisation: MaybeUndefined<ID>,
    /// The programme this one is part of (never itself nor one of its parts); `null` makes
    /// it part of none.
    pub parent: MaybeUndefined<ID>,
    /// The first day of its period.
    pub period_start: MaybeUndefined<Date>,
    /// The last day of its period, not before its first.
    pub period_end: MaybeUndefined<Date>,
    /// What it has to allocate, in its own currency.
    pub budget: MaybeUndefined<MoneyInput>,
    /// Replaces its funders.
    pub funders: Option<Vec<ID>>,
    /// Replaces its countries.
    pub countries: Option<Vec<String>>,
}

/// What a programme write answers.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ProgrammePayload {
    /// The programme as saved, with its new `version`.
    pub programme: Programme,
}

fn only_admins(write: &Write<'_>) -> ApiResult<()> {
    access::require_programme_manager(write.caller(), "manage programmes")
}

fn check_period(start: Option<Date>, end: Option<Date>) -> ApiResult<()> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(ApiError::bad_input(
            "input.periodEnd",
            "the period ends before it starts",
        )),
        _ => Ok(()),
    }
}

/// `parent` exists and is not `id` nor one of its parts (a programme is never its own
/// ancestor).
async fn check_parent(txn: &DatabaseTransaction, id: Option<Uuid>, parent: Uuid) -> ApiResult<()> {
    let mut next = Some(parent);
    let mut depth = 0;
    while let Some(at) = next {
        if Some(at) == id || depth > 16 {
            return Err(ApiError::bad_input(
                "input.parent",
                "a programme cannot be part of itself or of its own parts",
            ));
        }
        let found = programme::Entity::find_by_id(at)
            .one(txn)
            .await?
            .ok_or_else(|| {
                ApiError::bad_input("input.parent", "`input.parent` names no programme")
            })?;
        next = found.parent_id;
        depth += 1;
    }
    Ok(())
}

/// Replaces the funders and countries the input gives.
async fn replace_links(
    txn: &DatabaseTransaction,
    id: Uuid,
    funders: Option<Vec<ID>>,
    countries: Option<Vec<String>>,
) -> ApiResult<()> {
    if let Some(list) = funders {
        let mut ids = filters::ids("input.funders", &list, Kind::Organisation)?;
        ids.sort();
        ids.dedup();
        all_exist::<organisation::Entity>(txn, "input.funders", organisation::Column::Id, &ids)
            .await?;
        programme_funder::Entity::delete_many()
            .filter(programme_funder::Column::ProgrammeId.eq(id))
            .exec(txn)
            .await?;
        for organisation_id in ids {
            programme_funder::ActiveModel {
                programme_id: Set(id),
                organisation_id: Set(organisation_id),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(list) = countries {
        let mut codes = filters::countries("input.countries", &list)?;
        codes.sort();
        codes.dedup();
        let known = country::Entity::find()
            .filter(country::Column::Code.is_in(codes.clone()))
            .all(txn)
            .await?;
        if known.len() != codes.len() {
            return Err(ApiError::bad_input(
                "input.countries",
                "`input.countries` names a country Mosaic does not know",
            ));
        }
        programme_country::Entity::delete_many()
            .filter(programme_country::Column::ProgrammeId.eq(id))
            .exec(txn)
            .await?;
        for code in codes {
            programme_country::ActiveModel {
                programme_id: Set(id),
                country_code: Set(code),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

async fn organisation(txn: &DatabaseTransaction, id: &ID) -> ApiResult<Uuid> {
    let id = ids::decode_uuid("input.managingOrganisation", id, Kind::Organisation)?;
    all_exist::<organisation::Entity>(
        txn,
        "input.managingOrganisation",
        organisation::Column::Id,
        &[id],
    )
    .await?;
    Ok(id)
}

#[derive(Default)]
pub struct ProgrammeMutation;

#[Object]
impl ProgrammeMutation {
    /// Adds a programme (admins).
    async fn create_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new programme.")] input: CreateProgrammeInput,
    ) -> ApiResult<ProgrammePayload> {
        let created = committed(ctx, async |write| {
            only_admins(write)?;
            let txn = write.txn();
            let code = crate::domain::project::code(&input.code)?;
            let (language, name) = NAME.first(&input.original_language, &input.name)?;
            let language = language.as_str();
            if programme::Entity::find()
                .filter(programme::Column::Code.eq(&code))
                .one(txn)
                .await?
                .is_some()
            {
                return Err(ApiError::bad_input(
                    "input.code",
                    format!("a programme with code {code} exists"),
                ));
            }
            check_period(input.period_start, input.period_end)?;
            let parent = input
                .parent
                .as_ref()
                .map(|p| ids::decode_uuid("input.parent", p, Kind::Programme))
                .transpose()?;
            if let Some(parent) = parent {
                check_parent(txn, None, parent).await?;
            }
            let managing = match &input.managing_organisation {
                Some(id) => Some(organisation(txn, id).await?),
                None => None,
            };
            let budget = input
                .budget
                .as_ref()
                .map(|b| b.parse("input.budget"))
                .transpose()?;
            let now = chrono::Utc::now();
            let id = Uuid::now_v7();
            let row = programme::ActiveModel {
                id: Set(id),
                code: Set(code),
                name: Set(name),
                description: Set(DESCRIPTION
                    .stored(input.description.as_deref().unwrap_or_default(), language)?),
                language: Set(language.to_owned()),
                managing_organisation_id: Set(managing),
                parent_id: Set(parent),
                period_start: Set(input.period_start.map(|d| d.0)),
                period_end: Set(input.period_end.map(|d| d.0)),
                budget_minor: Set(budget.as_ref().map(|b| b.0)),
                budget_currency: Set(budget.map(|b| b.1)),
                budget_rate_micros: Set(None),
                budget_rate_date: Set(None),
                illustrative: Set(false),
                illustrative_fields: Set(json!([])),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            };
            let created = write.insert("createProgramme", row).await?;
            replace_links(txn, id, input.funders, input.countries).await?;
            Ok(created)
        })
        .await?;
        Ok(ProgrammePayload {
            programme: Programme(created),
        })
    }

    /// Changes a programme (admins).
    async fn update_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme, the version you read and what to change.")]
        input: UpdateProgrammeInput,
    ) -> ApiResult<ProgrammePayload> {
        let updated = committed(ctx, async |write| {
            only_admins(write)?;
            let txn = write.txn();
            let id = input.revision.row(Kind::Programme)?;
            let current = write
                .find::<programme::Entity>(id, Condition::all())
                .await?;
            let start = given(input.period_start, Ok)?;
            let end = given(input.period_end, Ok)?;
            check_period(
                start.unwrap_or(current.period_start.map(Date)),
                end.unwrap_or(current.period_end.map(Date)),
            )?;
            let parent = given(input.parent, |p| {
                ids::decode_uuid("input.parent", &p, Kind::Programme)
            })?;
            if let Some(Some(parent)) = parent {
                check_parent(txn, Some(id), parent).await?;
            }
            let managing = match input.managing_organisation {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(organisation(txn, &v).await?)),
            };
            let budget = given(input.budget, |b| b.parse("input.budget"))?;
            let language = current.language.as_str();
            let changes = programme::ActiveModel {
                name: NAME.changed(input.name.as_deref(), language)?,
                description: changed(
                    input
                        .description
                        .as_deref()
                        .map(|d| DESCRIPTION.stored(d, language))
                        .transpose()?,
                ),
                managing_organisation_id: changed(managing),
                parent_id: changed(parent),
                period_start: changed(start.map(|s| s.map(|d| d.0))),
                period_end: changed(end.map(|e| e.map(|d| d.0))),
                budget_minor: changed(budget.as_ref().map(|b| b.as_ref().map(|b| b.0))),
                budget_currency: changed(budget.map(|b| b.map(|b| b.1))),
                ..Default::default()
            };
            replace_links(txn, id, input.funders, input.countries).await?;
            write
                .update("updateProgramme", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(ProgrammePayload {
            programme: Programme(updated),
        })
    }

    /// Deletes a programme no project and no other programme is part of (admins).
    async fn delete_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme's id.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            only_admins(write)?;
            let id = ids::decode_uuid("input.id", &input.id, Kind::Programme)?;
            let current = write
                .find::<programme::Entity>(id, Condition::all())
                .await?;
            let uses = uses!(write.txn(), id;
                project::ProgrammeId => "projects",
                programme::ParentId => "programmes",
            );
            write
                .delete::<programme::Entity>("deleteProgramme", &current, uses)
                .await
        })
        .await
    }
}

crate::graphql::connection::payload_edge!(
    ProgrammePayload,
    programme,
    crate::graphql::programme::ProgrammeEdge,
    crate::graphql::ordering::ProgrammeOrderField
);
