//! Regression tests for the holes found from outside: each failed before its fix. Credentials
//! that reach no further than their issuer, requests that run wholly or not at all, rights
//! before existence, bad bytes, capacity changes, production endpoints and JWT edges.

use mosaic_tests::{TestApp, code_and_field, first_code};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::tokens::organisation_id;

const CREATE_PROJECT: &str = r#"mutation($input: CreateProjectInput!) {
    createProject(input: $input) { project { id code version } }
}"#;

/// A Finnish draft in which a Swedish organisation (Region Blekinge) is a partner, with a
/// contact whose email is personal data.
pub(crate) async fn finnish_draft_with_swedish_partner(app: &TestApp) -> (Value, Value) {
    let admin = app.token("ADMIN", &[], None);
    let blekinge = organisation_id(app, "Region Blekinge").await;
    let created = app
        .gql_as(
            Some(&admin),
            CREATE_PROJECT,
            json!({ "input": {
                "code": "FI-TRUST-DRAFT", "originalLanguage": "fi",
                "title": [{ "language": "fi", "text": "Luonnos" }],
                "dates": { "plannedStart": "2026-01-01", "plannedEnd": "2026-12-31" }, "country": "FI",
                "participants": [{ "organisation": blekinge, "role": "PARTNER" }]
            } }),
        )
        .await;
    let project = created["data"]["createProject"]["project"].clone();
    assert!(project["id"].is_string(), "{created}");
    let contact = app
        .gql_as(
            Some(&admin),
            "mutation($p: ID!) { addContact(input: { project: $p, name: \"Maija\", email: \"maija@example.fi\" }) { contact { id } } }",
            json!({ "p": project["id"] }),
        )
        .await;
    assert!(contact.get("errors").is_none(), "{contact}");
    (project, blekinge)
}

const ISSUE: &str = r#"mutation($input: IssueApiTokenInput!) {
    issueApiToken(input: $input) { secret token { id countryScope } }
}"#;

const DRAFT_AS_PARTNER: &str = r#"{
    project(code: "FI-TRUST-DRAFT") { code contacts { nodes { email } } }
}"#;

#[tokio::test]
async fn a_coordinators_api_token_reaches_no_further_than_the_coordinator() {
    let app = TestApp::spawn().await;
    let (project, blekinge) = finnish_draft_with_swedish_partner(&app).await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let issued = app
        .gql_as(
            Some(&coordinator),
            ISSUE,
            json!({ "input": { "organisation": blekinge, "name": "Blekinge CRM" } }),
        )
        .await;
    let token = &issued["data"]["issueApiToken"];
    assert_eq!(token["token"]["countryScope"], json!(["SE"]), "{issued}");
    let secret = token["secret"].as_str().expect("secret").to_owned();

    // The coordinator reads the Finnish draft, which works in Sweden through Blekinge, but
    // not its contacts' personal data; its token, confined to Swedish projects, sees nothing.
    let own = app
        .gql_as(Some(&coordinator), DRAFT_AS_PARTNER, json!({}))
        .await;
    assert_eq!(
        own["data"]["project"],
        json!({ "code": "FI-TRUST-DRAFT", "contacts": { "nodes": [{ "email": null }] } }),
        "{own}"
    );
    let seen = app.gql_as(Some(&secret), DRAFT_AS_PARTNER, json!({})).await;
    assert_eq!(seen["data"]["project"], Value::Null, "{seen}");
    let rename = app
        .gql_as(
            Some(&secret),
            "mutation($id: ID!, $v: Int!) { updateProject(input: { id: $id, expectedVersion: $v, title: [{ language: \"fi\", text: \"Kaapattu\" }] }) { project { code } } }",
            json!({ "id": project["id"], "v": project["version"] }),
        )
        .await;
    assert_eq!(first_code(&rename), "NOT_FOUND", "{rename}");

    // Coordinators cannot widen a token beyond their own countries.
    let wider = app
        .gql_as(
            Some(&coordinator),
            ISSUE,
            json!({ "input": { "organisation": blekinge, "name": "x", "countries": ["FI"] } }),
        )
        .await;
    assert_eq!(first_code(&wider), "FORBIDDEN");

    // An admin's token acts with the organisation's full partner rights.
    let admin = app.token("ADMIN", &[], None);
    let full = app
        .gql_as(
            Some(&admin),
            ISSUE,
            json!({ "input": { "organisation": blekinge, "name": "Blekinge (all)" } }),
        )
        .await;
    assert_eq!(
        full["data"]["issueApiToken"]["token"]["countryScope"],
        Value::Null
    );
    let full_secret = full["data"]["issueApiToken"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let partner = app
        .gql_as(Some(&full_secret), DRAFT_AS_PARTNER, json!({}))
        .await;
    assert_eq!(
        partner["data"]["project"]["code"], "FI-TRUST-DRAFT",
        "{partner}"
    );

    // The coordinator's list shows each token's scope.
    let listed = app
        .gql_as(
            Some(&coordinator),
            "{ apiTokens { nodes { name countryScope } } }",
            json!({}),
        )
        .await;
    let scopes: Vec<Value> = listed["data"]["apiTokens"]["nodes"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| json!([t["name"], t["countryScope"]]))
        .collect();
    assert!(
        scopes.contains(&json!(["Blekinge CRM", ["SE"]])),
        "{listed}"
    );
}

#[tokio::test]
async fn nothing_of_a_request_runs_unless_every_variable_is_given() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let query = r#"mutation M($id: ID!) {
        a: setExchangeRate(input: { currency: "SEK", date: "2026-11-02", unitsPerEur: "11.1111", source: ECB_REFERENCE }) { exchangeRate { date } }
        b: publishProject(input: { id: $id, expectedVersion: 1 }) { project { code } }
    }"#;
    let bearer = format!("Bearer {admin}");
    let (status, body) = app
        .post_raw(
            &[("Authorization", bearer.as_str())],
            json!({ "query": query, "variables": {} }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code_and_field(&body), ("BAD_USER_INPUT", "$id"));
    assert!(body.get("data").is_none(), "nothing ran: {body}");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date");
    let rate = entity::exchange_rate::Entity::find_by_id(("SEK".to_owned(), date))
        .one(&app.db)
        .await
        .expect("read");
    assert!(rate.is_none(), "the first alias was not committed");
}

#[tokio::test]
async fn nul_bytes_and_tampered_cursors_are_bad_input_naming_the_field() {
    let app = TestApp::spawn().await;
    for (query, variables, field) in [
        (
            "query($s: String) { projects(filter: { search: $s }) { totalCount } }",
            json!({ "s": "ab\u{0}c" }),
            "s",
        ),
        (
            r#"{ project(code: "SE\u0000X") { code } }"#,
            json!({}),
            "code",
        ),
        (
            "mutation($input: RegisterForWorkshopInput!) { registerForWorkshop(input: $input) { registration { id } } }",
            json!({ "input": { "workshop": "V29ya3Nob3A6eA", "participantName": "A\u{0}B", "email": "a@example.se", "gender": "WOMAN", "ageBand": "AGE_30_54", "consent": { "noticeVersion": "1", "purposes": ["WORKSHOP_ADMINISTRATION"] } } }),
            "input.participantName",
        ),
    ] {
        let answer = app.gql(query, variables).await;
        assert_eq!(
            code_and_field(&answer),
            ("BAD_USER_INPUT", field),
            "{answer}"
        );
    }
    // A cursor whose value was edited to another type (a uuid key compared with text).
    let page = app
        .data(
            "{ projects(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = page["projects"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("cursor");
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let mut data: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(cursor).expect("base64")).expect("json");
    let last = data["k"].as_array().map_or(0, Vec::len) - 1;
    data["k"][last] = json!({ "Text": "not-a-uuid" });
    let tampered = URL_SAFE_NO_PAD.encode(data.to_string());
    let answer = app
        .gql(
            "query($c: String) { projects(first: 1, after: $c) { totalCount } }",
            json!({ "c": tampered }),
        )
        .await;
    assert_eq!(
        code_and_field(&answer),
        ("BAD_USER_INPUT", "after"),
        "{answer}"
    );
}

/// A draft of 2026 owned by `country`, titled in `language`.
fn draft(code: &str, language: &str, country: &str) -> Value {
    json!({ "input": {
        "code": code, "originalLanguage": language,
        "title": [{ "language": language, "text": "Luonnos" }],
        "dates": { "plannedStart": "2026-01-01", "plannedEnd": "2026-12-31" }, "country": country
    } })
}

#[tokio::test]
async fn rights_come_before_existence_everywhere() {
    let app = TestApp::spawn().await;
    // A Finnish draft Sweden's coordinators cannot read: Region Blekinge funds it but does
    // not take part, so the project does not work in Sweden.
    let admin = app.token("ADMIN", &[], None);
    let blekinge = organisation_id(&app, "Region Blekinge").await;
    let created = app
        .gql_as(
            Some(&admin),
            CREATE_PROJECT,
            draft("FI-TRUST-DRAFT", "fi", "FI"),
        )
        .await;
    let project = created["data"]["createProject"]["project"].clone();
    for (part, variables) in [
        (
            r#"mutation($p: ID!) { addContact(input: { project: $p, name: "Maija" }) { contact { id } } }"#,
            json!({ "p": project["id"] }),
        ),
        (
            r#"mutation($p: ID!, $o: ID!) { createFunding(input: { project: $p, funder: $o, kind: GRANT, status: PLANNED, amount: "1000.00", currency: "SEK", valueDate: "2026-01-01" }) { funding { id } } }"#,
            json!({ "p": project["id"], "o": blekinge }),
        ),
    ] {
        let added = app.gql_as(Some(&admin), part, variables).await;
        assert!(added.get("errors").is_none(), "{added}");
    }
    let coordinator = app.token("COORDINATOR", &["SE"], None);

    // A code clash with a draft the caller cannot see does not confirm the draft exists.
    let clash = app
        .gql_as(
            Some(&coordinator),
            CREATE_PROJECT,
            draft("FI-TRUST-DRAFT", "sv", "SE"),
        )
        .await;
    assert_eq!(code_and_field(&clash), ("BAD_USER_INPUT", "input.code"));
    let message = clash["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("exists"), "{message}");

    // A parent must be a project the caller manages, not one it can merely read.
    let published_elsewhere = app.project_ref("PL-DH-GRASSROOTS").await.0;
    assert!(published_elsewhere.is_string());
    let child = app
        .gql_as(
            Some(&coordinator),
            CREATE_PROJECT,
            json!({ "input": {
                "code": "SE-CHILD", "originalLanguage": "sv",
                "title": [{ "language": "sv", "text": "Barn" }],
                "dates": { "plannedStart": "2026-01-01", "plannedEnd": "2026-12-31" }, "country": "SE",
                "parent": published_elsewhere
            } }),
        )
        .await;
    assert_eq!(
        code_and_field(&child),
        ("BAD_USER_INPUT", "input.parent"),
        "{child}"
    );

    // Refusal counts include only rows the caller can see: Region Blekinge takes part in
    // a Swedish project (visible) and funds the Finnish draft (not visible).
    let delete = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!) { deleteOrganisation(input: { id: $id }) { deletedId } }",
            json!({ "id": blekinge }),
        )
        .await;
    let message = delete["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("fundings you cannot see"), "{message}");

    // Milestones, contacts, registrations and tokens the caller may not manage answer
    // exactly as missing ones do.
    let contact_id = app
        .gql_as(
            Some(&admin),
            "query($id: ID!) { node(id: $id) { ... on Project { contacts { nodes { id } } } } }",
            json!({ "id": project["id"] }),
        )
        .await["data"]["node"]["contacts"]["nodes"][0]["id"]
        .clone();
    let hidden = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!) { updateContact(input: { id: $id, expectedVersion: 1, name: \"X\" }) { contact { id } } }",
            json!({ "id": contact_id }),
        )
        .await;
    let missing = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!) { updateContact(input: { id: $id, expectedVersion: 1, name: \"X\" }) { contact { id } } }",
            json!({ "id": "Q29udGFjdDowMTkzZjAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA" }),
        )
        .await;
    assert_eq!(first_code(&hidden), "NOT_FOUND", "{hidden}");
    assert_eq!(
        hidden["errors"][0]["message"],
        missing["errors"][0]["message"]
    );

    let fi = app.token("COORDINATOR", &["FI"], None);
    let token = app
        .gql_as(
            Some(&fi),
            ISSUE,
            json!({ "input": { "organisation": organisation_id(&app, "Kaakkois-Suomen").await, "name": "ELY" } }),
        )
        .await;
    let token_id = token["data"]["issueApiToken"]["token"]["id"].clone();
    let revoke = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } } }",
            json!({ "id": token_id }),
        )
        .await;
    assert_eq!(first_code(&revoke), "NOT_FOUND", "{revoke}");
}

#[tokio::test]
async fn raising_capacity_seats_the_waitlist_in_arrival_order_before_newcomers() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = crate::workshops::create_workshop(&app, &coordinator, 1, true).await;
    let mut people = Vec::new();
    for n in 0..4 {
        let answer = app
            .gql(
                crate::workshops::REGISTER,
                crate::workshops::person(&workshop, n),
            )
            .await;
        people.push(answer["data"]["registerForWorkshop"]["registration"]["status"].clone());
    }
    assert_eq!(
        people,
        ["REGISTERED", "WAITLISTED", "WAITLISTED", "WAITLISTED"]
    );
    let raised = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!, $v: Int!) { updateWorkshop(input: { id: $id, expectedVersion: $v, capacity: 3 }) { workshop { seatsTaken waitlistCount } } }",
            json!({ "id": workshop["id"], "v": workshop["version"] }),
        )
        .await;
    assert_eq!(
        raised["data"]["updateWorkshop"]["workshop"],
        json!({ "seatsTaken": 3, "waitlistCount": 1 }),
        "{raised}"
    );
    let newcomer = app
        .gql(
            crate::workshops::REGISTER,
            crate::workshops::person(&workshop, 9),
        )
        .await;
    assert_eq!(
        newcomer["data"]["registerForWorkshop"]["registration"]["status"],
        "WAITLISTED"
    );
    let list = app
        .gql_as(
            Some(&coordinator),
            "query($id: ID!) { node(id: $id) { ... on Workshop { registrations { nodes { participantName status } } } } }",
            json!({ "id": workshop["id"] }),
        )
        .await;
    assert_eq!(
        list["data"]["node"]["registrations"]["nodes"],
        json!([
            { "participantName": "Person 0", "status": "REGISTERED" },
            { "participantName": "Person 1", "status": "REGISTERED" },
            { "participantName": "Person 2", "status": "REGISTERED" },
            { "participantName": "Person 3", "status": "WAITLISTED" },
            { "participantName": "Person 9", "status": "WAITLISTED" },
        ])
    );
    // The kept counts follow: the summary from them equals counting the registrations.
    let summary = "query($f: ParticipationFilter) { participationSummary(groupBy: [GENDER], filter: $f) { gender count } }";
    let kept = app
        .gql_as(
            Some(&coordinator),
            summary,
            json!({ "f": { "countries": ["SE"] } }),
        )
        .await;
    let counted = app
        .gql_as(
            Some(&coordinator),
            summary,
            json!({ "f": { "countries": ["SE"], "dateFrom": "2000-01-01" } }),
        )
        .await;
    assert!(kept["data"]["participationSummary"].is_array(), "{kept}");
    assert_eq!(kept["data"], counted["data"]);
}
