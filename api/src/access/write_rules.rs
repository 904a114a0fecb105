//! The write rules as one table: role × country × operation × field, each cell stated.
//! A rule that changes, or a field that is added, shows up here as a failing row.

use chrono::{NaiveDate, Utc};
use entity::enums::ProjectStatus;
use entity::project;
use serde_json::json;
use uuid::Uuid;

use super::project_fields::{ProjectField, check_changes, touched};
use super::*;
use crate::auth::Credential;
use crate::domain::project::ProjectChanges;
use crate::domain::text::Written;

const PARTNER_ORG: Uuid = Uuid::from_u128(1);
const OTHER_ORG: Uuid = Uuid::from_u128(2);

fn caller(principal: Principal) -> Caller {
    Caller {
        principal,
        credential: Credential::None,
    }
}

fn countries(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

/// Every kind of caller, named, against a Finnish project PARTNER_ORG takes part in.
fn callers() -> Vec<(&'static str, Caller)> {
    vec![
        ("anonymous", Caller::anonymous()),
        ("viewer", caller(Principal::Viewer)),
        (
            "partner taking part",
            caller(Principal::Partner {
                organisation: PARTNER_ORG,
                scope: None,
            }),
        ),
        (
            "partner taking part, token confined to FI",
            caller(Principal::Partner {
                organisation: PARTNER_ORG,
                scope: Some(countries(&["FI"])),
            }),
        ),
        (
            "partner taking part, token confined to SE",
            caller(Principal::Partner {
                organisation: PARTNER_ORG,
                scope: Some(countries(&["SE"])),
            }),
        ),
        (
            "partner not taking part",
            caller(Principal::Partner {
                organisation: OTHER_ORG,
                scope: None,
            }),
        ),
        (
            "coordinator of FI",
            caller(Principal::Coordinator {
                countries: countries(&["FI"]),
            }),
        ),
        (
            "coordinator of SE",
            caller(Principal::Coordinator {
                countries: countries(&["SE"]),
            }),
        ),
        (
            "coordinator of SE and FI",
            caller(Principal::Coordinator {
                countries: countries(&["SE", "FI"]),
            }),
        ),
        ("admin", caller(Principal::Admin)),
    ]
}

fn finnish_project() -> project::Model {
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    project::Model {
        id: Uuid::from_u128(10),
        code: "FI-TEST".into(),
        acronym: None,
        title: json!({"fi": "Testi"}),
        summary: json!({}),
        language: "fi".into(),
        status: ProjectStatus::Active,
        start_date: day,
        end_date: day,
        country_code: "FI".into(),
        resource_centre_id: None,
        parent_id: None,
        planned_start: None,
        planned_end: None,
        actual_start: None,
        actual_end: None,
        programme_id: None,
        budget_currency: None,
        budget_total_minor: None,
        budget_eligible_minor: None,
        budget_rate_micros: None,
        budget_rate_date: None,
        budget_eur_sort: -1,
        gender_marker: 0,
        published: false,
        illustrative: false,
        illustrative_fields: json!([]),
        version: 1,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

/// Changes that set exactly `field`.
fn setting(field: ProjectField) -> ProjectChanges {
    let text = || Written::parse("input.title", [("fi", "x")], 10).ok();
    let mut changes = ProjectChanges::default();
    match field {
        ProjectField::Acronym => changes.acronym = Some(None),
        ProjectField::Title => changes.title = text(),
        ProjectField::Summary => changes.summary = text(),
        ProjectField::Status => changes.status = Some(ProjectStatus::Completed),
        ProjectField::Dates => changes.dates = Some(Default::default()),
        ProjectField::GenderMarker => changes.gender_marker = Some(2),
        ProjectField::Regions => changes.links.regions = Some(Vec::new()),
        ProjectField::Participants => changes.links.participants = Some(Vec::new()),
        ProjectField::FocusAreas => changes.links.focus_areas = Some(Vec::new()),
        ProjectField::TargetGroups => changes.links.target_groups = Some(Vec::new()),
        ProjectField::Programme => changes.programme = Some(None),
        ProjectField::Budget => changes.budget = Some(None),
    }
    changes
}

#[test]
fn every_field_is_classified_and_touched_alone() {
    for field in ProjectField::ALL {
        assert_eq!(touched(&setting(field)), vec![field], "{field:?}");
    }
    assert!(touched(&ProjectChanges::default()).is_empty());
}

#[test]
fn project_rights_and_field_rights_for_every_caller() {
    use ProjectRights::*;
    // (caller, rights on the Finnish project)
    let expected = [
        ("anonymous", Nothing),
        ("viewer", Nothing),
        ("partner taking part", Descriptions),
        ("partner taking part, token confined to FI", Descriptions),
        ("partner taking part, token confined to SE", Nothing),
        ("partner not taking part", Nothing),
        ("coordinator of FI", Everything),
        ("coordinator of SE", Nothing),
        ("coordinator of SE and FI", Everything),
        ("admin", Everything),
    ];
    let project = finnish_project();
    for ((name, who), (expected_name, rights)) in callers().into_iter().zip(expected) {
        assert_eq!(name, expected_name);
        let found = project_rights(&who, &project, &[PARTNER_ORG]);
        assert_eq!(found, rights, "{name}");
        for field in ProjectField::ALL {
            let allowed = match rights {
                Nothing => false,
                Descriptions => matches!(field, ProjectField::Title | ProjectField::Summary),
                Everything => true,
            };
            let answer = check_changes(found, &setting(field));
            assert_eq!(answer.is_ok(), allowed, "{name} changing {field:?}");
            if let Err(refusal) = answer {
                assert_eq!(refusal.code(), "FORBIDDEN", "{name} changing {field:?}");
            }
        }
        // Publishing, deleting, fundings and contacts need everything; milestones,
        // workshops and registrations need at least the descriptions.
        assert_eq!(found.covers(Everything), rights == Everything, "{name}");
        assert_eq!(found.covers(Descriptions), rights != Nothing, "{name}");
    }
}

#[test]
fn operations_on_a_country_for_every_caller() {
    // (caller, create a project in FI, administer FI's organisations, regions, centres,
    // tokens and audit trail, administer what has no country, set exchange rates,
    // manage some tokens, read some audit events)
    let expected = [
        ("anonymous", [false, false, false, false, false, false]),
        ("viewer", [false, false, false, false, false, false]),
        (
            "partner taking part",
            [false, false, false, false, false, false],
        ),
        ("partner taking part, token confined to FI", [false; 6]),
        ("partner taking part, token confined to SE", [false; 6]),
        ("partner not taking part", [false; 6]),
        ("coordinator of FI", [true, true, false, false, true, true]),
        (
            "coordinator of SE",
            [false, false, false, false, true, true],
        ),
        (
            "coordinator of SE and FI",
            [true, true, false, false, true, true],
        ),
        ("admin", [true, true, true, true, true, true]),
    ];
    for ((name, who), (expected_name, cells)) in callers().into_iter().zip(expected) {
        assert_eq!(name, expected_name);
        let found = [
            may_create_project_in(&who, "FI"),
            administers(&who, Some("FI")),
            administers(&who, None),
            manages_programme(&who),
            api_tokens(&who).is_some(),
            audit_events(&who).is_some(),
        ];
        assert_eq!(found, cells, "{name}");
    }
}

#[test]
fn registration_needs_sign_in_only_for_closed_workshops() {
    for (name, who) in callers() {
        assert!(may_register_for(&who, true), "{name}");
        assert_eq!(may_register_for(&who, false), name != "anonymous", "{name}");
    }
}

#[test]
fn a_token_never_reaches_further_than_its_issuer() {
    let se = caller(Principal::Coordinator {
        countries: countries(&["SE"]),
    });
    assert_eq!(token_scope(&se, None).ok(), Some(Some(countries(&["SE"]))));
    assert_eq!(
        token_scope(&se, Some(countries(&["SE"]))).ok(),
        Some(Some(countries(&["SE"])))
    );
    assert_eq!(
        token_scope(&se, Some(countries(&["SE", "FI"])))
            .err()
            .map(|e| e.code()),
        Some("FORBIDDEN")
    );
    let admin = caller(Principal::Admin);
    assert_eq!(token_scope(&admin, None).ok(), Some(None));
    assert_eq!(
        token_scope(&admin, Some(countries(&["FI"]))).ok(),
        Some(Some(countries(&["FI"])))
    );
}
