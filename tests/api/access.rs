//! The rules of access from the outside, with real tokens of each role and country: what each
//! caller reads, and what each may change, with refused writes changing nothing.

use entity::{api_token, audit_event, project};
use mosaic_tests::{TestApp, first_code};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Viewer,
    /// An API token of Diversity Hub (PL), which takes part in the Polish draft.
    Partner,
    /// The same organisation's token issued by a coordinator of PL: confined to PL.
    PartnerFromCoordinator,
    CoordinatorSe,
    CoordinatorFi,
    Admin,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Viewer,
    Who::Partner,
    Who::PartnerFromCoordinator,
    Who::CoordinatorSe,
    Who::CoordinatorFi,
    Who::Admin,
];

async fn organisation_id(app: &TestApp, name: &str) -> Value {
    let data = app
        .data(
            "query($q: String) { organisations(filter: { search: $q }) { nodes { id } } }",
            json!({ "q": name }),
        )
        .await;
    data["organisations"]["nodes"][0]["id"].clone()
}

async fn token_for(app: &TestApp, who: Who) -> Option<String> {
    match who {
        Who::Anonymous => None,
        Who::Viewer => Some(app.token("VIEWER", &[], None)),
        Who::CoordinatorSe => Some(app.token("COORDINATOR", &["SE"], None)),
        Who::CoordinatorFi => Some(app.token("COORDINATOR", &["FI"], None)),
        Who::Admin => Some(app.token("ADMIN", &[], None)),
        Who::Partner | Who::PartnerFromCoordinator => {
            let admin = if who == Who::Partner {
                app.token("ADMIN", &[], None)
            } else {
                app.token("COORDINATOR", &["PL"], None)
            };
            let hub = organisation_id(app, "Diversity Hub").await;
            let issued = app
                .gql_as(
                    Some(&admin),
                    "mutation($o: ID!) { issueApiToken(input: { organisation: $o, name: \"matrix\" }) { secret } }",
                    json!({ "o": hub }),
                )
                .await;
            issued["data"]["issueApiToken"]["secret"]
                .as_str()
                .map(str::to_owned)
        }
    }
}

/// What must not move when a write is refused.
#[derive(Debug, PartialEq)]
struct Snapshot {
    projects: u64,
    tokens: u64,
    audit: u64,
    blekinge: (i32, Value, bool),
    draft: (i32, bool),
}

async fn snapshot(app: &TestApp) -> Snapshot {
    let one = |code: &'static str| async move {
        project::Entity::find()
            .filter(project::Column::Code.eq(code))
            .one(&app.db)
            .await
            .expect("query")
            .expect("seed project")
    };
    let blekinge = one("SE-BLEKINGE-JRT").await;
    let draft = one("PL-PROUD-TO-SUPPORT").await;
    Snapshot {
        projects: project::Entity::find().count(&app.db).await.expect("count"),
        tokens: api_token::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        audit: audit_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        blekinge: (blekinge.version, blekinge.title, blekinge.published),
        draft: (draft.version, draft.published),
    }
}

/// `Ok(())` for a successful answer, else the error code.
fn outcome(answer: &Value) -> Result<(), String> {
    match answer.get("errors") {
        None => Ok(()),
        Some(_) => Err(first_code(answer).to_owned()),
    }
}

fn expect(answer: &Value, wanted: Result<(), &str>, what: &str, who: Who) {
    assert_eq!(
        outcome(answer),
        wanted.map_err(str::to_owned),
        "{what} as {who:?}: {answer}"
    );
}

#[tokio::test]
async fn reading_drafts_and_personal_data_depends_on_role_and_country() {
    let app = TestApp::spawn().await;
    for who in EVERYONE {
        let token = token_for(&app, who).await;
        let answer = app
            .gql_as(
                token.as_deref(),
                r#"{ draft: project(code: "PL-PROUD-TO-SUPPORT") { code workshops { totalCount } }
                     all: projects { totalCount }
                     fi: project(code: "FI-ELY-MONIMUOTOISUUS") { contacts { nodes { name email phone } } } }"#,
                json!({}),
            )
            .await;
        assert!(answer.get("errors").is_none(), "{who:?}: {answer}");
        let data = &answer["data"];
        let sees_draft = matches!(who, Who::Partner | Who::PartnerFromCoordinator | Who::Admin);
        assert_eq!(data["draft"].is_object(), sees_draft, "draft as {who:?}");
        assert_eq!(
            data["all"]["totalCount"],
            if sees_draft { 11 } else { 10 },
            "count as {who:?}"
        );
        if sees_draft {
            assert_eq!(data["draft"]["workshops"]["totalCount"], 1);
        }
        let contacts = data["fi"]["contacts"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        match who {
            Who::Anonymous => assert!(contacts.is_empty(), "no contacts for anonymous callers"),
            _ => {
                let names: Vec<&str> = contacts.iter().filter_map(|c| c["name"].as_str()).collect();
                assert_eq!(names, ["Tarja Kähärä", "Tea Munne"], "names as {who:?}");
                let personal = matches!(who, Who::CoordinatorFi | Who::Admin);
                assert_eq!(
                    contacts[0]["email"],
                    if personal {
                        json!("tarja.kahara@ely-keskus.fi")
                    } else {
                        json!(null)
                    },
                    "email as {who:?}"
                );
                assert_eq!(
                    contacts[0]["phone"].is_string(),
                    personal,
                    "phone as {who:?}"
                );
            }
        }
    }
}

const CREATE: &str = r#"mutation($input: CreateProjectInput!) { createProject(input: $input) { project { code published version country { code } } } }"#;
const UPDATE: &str = r#"mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { title(lang: "en") version } } }"#;
const PUBLISH: &str = r#"mutation($input: PublishProjectInput!) { publishProject(input: $input) { project { published version } } }"#;
const ISSUE: &str =
    r#"mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { secret } }"#;

#[tokio::test]
async fn writes_follow_role_and_country_and_refusals_change_nothing() {
    for who in EVERYONE {
        // A fresh programme per caller, so each refusal is measured against untouched data.
        let app = TestApp::spawn().await;
        let token = token_for(&app, who).await;
        let token = token.as_deref();
        let (blekinge, blekinge_version) = app.project_ref("SE-BLEKINGE-JRT").await;
        let (draft, draft_version) = app.project_ref("PL-PROUD-TO-SUPPORT").await;
        let region_blekinge = organisation_id(&app, "Region Blekinge").await;
        let before = snapshot(&app).await;
        let denied = |code: &'static str| Err(code);
        let signed_in = |code: &'static str| {
            if who == Who::Anonymous {
                Err("UNAUTHENTICATED")
            } else {
                Err(code)
            }
        };
        let mut refused = 0;

        let create = app
            .gql_as(token, CREATE, json!({ "input": {
                "code": "SE-NEW-1", "originalLanguage": "sv",
                "title": [{ "language": "sv", "text": "Nytt projekt" }, { "language": "en", "text": "New project" }],
                "dates": { "plannedStart": "2027-01-01", "plannedEnd": "2027-12-31" }, "country": "SE"
            } }))
            .await;
        let may_create = matches!(who, Who::CoordinatorSe | Who::Admin);
        expect(
            &create,
            if may_create {
                Ok(())
            } else {
                signed_in("FORBIDDEN")
            },
            "create a Swedish project",
            who,
        );
        if may_create {
            assert_eq!(
                create["data"]["createProject"]["project"],
                json!({ "code": "SE-NEW-1", "published": false, "version": 1, "country": { "code": "SE" } })
            );
        } else {
            refused += 1;
        }

        let update = app
            .gql_as(token, UPDATE, json!({ "input": {
                "id": blekinge, "expectedVersion": blekinge_version,
                "title": [{ "language": "sv", "text": "Jämställd regional tillväxt Blekinge" }, { "language": "en", "text": "Renamed" }]
            } }))
            .await;
        let may_update = matches!(who, Who::CoordinatorSe | Who::Admin);
        expect(
            &update,
            if may_update {
                Ok(())
            } else {
                signed_in("FORBIDDEN")
            },
            "update a Swedish project",
            who,
        );
        if may_update {
            assert_eq!(
                update["data"]["updateProject"]["project"],
                json!({ "title": "Renamed", "version": blekinge_version + 1 })
            );
        } else {
            refused += 1;
        }

        let publish = app
            .gql_as(
                token,
                PUBLISH,
                json!({ "input": { "id": draft, "expectedVersion": draft_version } }),
            )
            .await;
        // Callers who cannot see the draft are not told it exists.
        let wanted = match who {
            Who::Admin => Ok(()),
            Who::Anonymous => Err("UNAUTHENTICATED"),
            Who::Partner | Who::PartnerFromCoordinator => denied("FORBIDDEN"),
            _ => denied("NOT_FOUND"),
        };
        expect(&publish, wanted, "publish the Polish draft", who);
        if who != Who::Admin {
            refused += 1;
        }

        let issue = app
            .gql_as(token, ISSUE, json!({ "input": { "organisation": region_blekinge, "name": "Blekinge intranet" } }))
            .await;
        let may_issue = matches!(who, Who::CoordinatorSe | Who::Admin);
        expect(
            &issue,
            if may_issue {
                Ok(())
            } else {
                signed_in("FORBIDDEN")
            },
            "issue a token for Region Blekinge",
            who,
        );
        if may_issue {
            assert!(
                issue["data"]["issueApiToken"]["secret"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("mos_"))
            );
        }

        let after = snapshot(&app).await;
        let everything_refused = matches!(
            who,
            Who::Anonymous
                | Who::Viewer
                | Who::Partner
                | Who::PartnerFromCoordinator
                | Who::CoordinatorFi
        );
        assert_eq!(refused == 3 && !may_issue, everything_refused, "{who:?}");
        if refused == 3 && !may_issue {
            // Refused everything: not a row, version, title, flag or audit entry moved.
            assert_eq!(after, before, "{who:?} changed nothing");
        }
        // Every successful write left exactly one audit row; refusals left none.
        let writes = [&create, &update, &publish, &issue]
            .iter()
            .filter(|a| outcome(a).is_ok())
            .count() as u64;
        assert_eq!(after.audit, before.audit + writes, "audit rows as {who:?}");
    }
}

#[tokio::test]
async fn a_partner_may_edit_descriptions_of_its_projects_but_nothing_else() {
    let app = TestApp::spawn().await;
    let partner = token_for(&app, Who::Partner).await;
    let (grassroots, version) = app.project_ref("PL-DH-GRASSROOTS").await;
    let title = json!([{ "language": "pl", "text": "Employee Grassroot Movements" }]);
    let renamed = app
        .gql_as(
            partner.as_deref(),
            UPDATE,
            json!({ "input": { "id": grassroots, "expectedVersion": version, "title": title } }),
        )
        .await;
    expect(
        &renamed,
        Ok(()),
        "partner renames its project",
        Who::Partner,
    );
    let status = app
        .gql_as(partner.as_deref(), UPDATE, json!({ "input": { "id": grassroots, "expectedVersion": version + 1, "status": "COMPLETED" } }))
        .await;
    expect(
        &status,
        Err("FORBIDDEN"),
        "partner changes the status",
        Who::Partner,
    );
    let (finnish, finnish_version) = app.project_ref("FI-ELY-MONIMUOTOISUUS").await;
    let other = app
        .gql_as(partner.as_deref(), UPDATE, json!({ "input": { "id": finnish, "expectedVersion": finnish_version, "title": [{ "language": "fi", "text": "x" }] } }))
        .await;
    expect(
        &other,
        Err("FORBIDDEN"),
        "partner renames a project it is not in",
        Who::Partner,
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let (id, version) = app.project_ref("SE-VARMLAND-RRC").await;
    let first = app
        .gql_as(
            Some(&coordinator),
            UPDATE,
            json!({ "input": { "id": id, "expectedVersion": version, "status": "SUSPENDED" } }),
        )
        .await;
    expect(&first, Ok(()), "the first update", Who::CoordinatorSe);
    let stale = app
        .gql_as(
            Some(&coordinator),
            UPDATE,
            json!({ "input": { "id": id, "expectedVersion": version, "status": "COMPLETED" } }),
        )
        .await;
    assert_eq!(first_code(&stale), "CONFLICT");
    assert_eq!(
        stale["errors"][0]["extensions"]["currentVersion"],
        version + 1
    );
    let now = app
        .gql_as(
            Some(&coordinator),
            r#"{ project(code: "SE-VARMLAND-RRC") { status version } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        now["data"]["project"],
        json!({ "status": "SUSPENDED", "version": version + 1 })
    );
}

#[tokio::test]
async fn invalid_project_input_is_refused_with_its_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let before = snapshot(&app).await;
    let valid = json!({
        "code": "SE-VALID", "originalLanguage": "sv", "title": [{ "language": "sv", "text": "Titel" }],
        "dates": { "plannedStart": "2027-01-01", "plannedEnd": "2027-12-31" }, "country": "SE"
    });
    let with = |key: &str, value: Value| {
        let mut input = valid.clone();
        input[key] = value;
        input
    };
    for (input, field) in [
        (
            with(
                "dates",
                json!({ "plannedStart": "2027", "plannedEnd": "2026-01" }),
            ),
            "input.dates.plannedEnd",
        ),
        (
            with("dates", json!({ "plannedEnd": "2027" })),
            "input.dates.plannedStart",
        ),
        (
            with("dates", json!({ "plannedStart": "2027-02-30" })),
            "input.dates.plannedStart",
        ),
        (
            with(
                "dates",
                json!({ "actualStart": "2027", "actualEnd": "2026" }),
            ),
            "input.dates.actualEnd",
        ),
        (with("status", json!("COMPLETED")), "input.status"),
        (
            with(
                "dates",
                json!({ "plannedStart": "2020", "plannedEnd": "2021", "actualStart": "2022" }),
            ),
            "input.dates",
        ),
        (with("country", json!("Sweden")), "input.country"),
        (with("country", json!("DE")), "input.country"),
        (with("code", json!("bad code!")), "input.code"),
        (with("code", json!("SE-BLEKINGE-JRT")), "input.code"),
        (
            with(
                "title",
                json!([{ "language": "en", "text": "Only English" }]),
            ),
            "input.title",
        ),
        (
            with(
                "title",
                json!([{ "language": "sv", "text": "x".repeat(301) }]),
            ),
            "input.title",
        ),
        (
            with("originalLanguage", json!("svenska!")),
            "input.originalLanguage",
        ),
        (with("genderMarker", json!(7)), "input.genderMarker"),
        (with("regions", json!(["not-an-id"])), "input.regions"),
        (
            with(
                "regions",
                json!(["UmVnaW9uOjAxOWE5YmQzLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA"]),
            ),
            "input.regions",
        ),
    ] {
        let answer = app
            .gql_as(Some(&admin), CREATE, json!({ "input": input }))
            .await;
        assert_eq!(first_code(&answer), "BAD_USER_INPUT", "{input}: {answer}");
        assert_eq!(answer["errors"][0]["extensions"]["field"], field, "{input}");
    }
    assert_eq!(snapshot(&app).await, before, "nothing was written");
    let ok = app
        .gql_as(Some(&admin), CREATE, json!({ "input": valid }))
        .await;
    expect(&ok, Ok(()), "the valid input", Who::Admin);
}

#[tokio::test]
async fn a_finnish_draft_with_a_swedish_partner_is_seen_by_whoever_manages_it_or_works_in_its_countries_and_no_token_beyond()
 {
    let app = TestApp::spawn().await;
    let (_, blekinge) = crate::trust::finnish_draft_with_swedish_partner(&app).await;
    let issue = |issuer: String| {
        let app = &app;
        let blekinge = blekinge.clone();
        async move {
            let issued = app
                .gql_as(
                    Some(&issuer),
                    "mutation($o: ID!) { issueApiToken(input: { organisation: $o, name: \"matrix\" }) { secret } }",
                    json!({ "o": blekinge }),
                )
                .await;
            issued["data"]["issueApiToken"]["secret"]
                .as_str()
                .map(str::to_owned)
        }
    };
    let from_se = issue(app.token("COORDINATOR", &["SE"], None)).await;
    let from_admin = issue(app.token("ADMIN", &[], None)).await;
    let callers = [
        ("anonymous", None, false),
        ("viewer", Some(app.token("VIEWER", &[], None)), false),
        // A partner country's coordinator reads the project (not its personal data).
        (
            "coordinator of SE",
            Some(app.token("COORDINATOR", &["SE"], None)),
            true,
        ),
        ("Blekinge token a SE coordinator issued", from_se, false),
        ("Blekinge token an admin issued", from_admin, true),
        (
            "coordinator of FI",
            Some(app.token("COORDINATOR", &["FI"], None)),
            true,
        ),
        ("admin", Some(app.token("ADMIN", &[], None)), true),
    ];
    for (who, token, sees) in callers {
        let answer = app
            .gql_as(
                token.as_deref(),
                r#"{ project(code: "FI-TRUST-DRAFT") { code } projects(filter: { countries: ["FI"] }) { totalCount } }"#,
                json!({}),
            )
            .await;
        assert!(answer.get("errors").is_none(), "{who}: {answer}");
        assert_eq!(
            answer["data"]["project"].is_object(),
            sees,
            "{who}: {answer}"
        );
        let finnish = answer["data"]["projects"]["totalCount"]
            .as_i64()
            .unwrap_or(-1);
        assert_eq!(finnish, if sees { 2 } else { 1 }, "{who}: the count agrees");
    }
}
