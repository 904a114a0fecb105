//! Personal data the GDPR way: consent recorded at registration (a guardian's for a minor),
//! one seat per person, a registrant's own manage token to see, correct, cancel and erase,
//! erasure by managers and by retention that leaves the figures as they were.

use mosaic_tests::{TestApp, code_and_field, first_code};
use serde_json::{Value, json};

use crate::workshops::{create_workshop, person};

const REGISTER: &str = "mutation($input: RegisterForWorkshopInput!) {
    registerForWorkshop(input: $input) { registration { id status } manageToken } }";

const MINE: &str = "query($t: String!) { myRegistration(manageToken: $t) {
    participantName email organisationName status waitlistPosition erasedAt
    consent { noticeVersion purposes guardianConsent } controller { name } } }";

async fn register(app: &TestApp, input: Value) -> (Value, String) {
    let answer = app.gql(REGISTER, input).await;
    let made = &answer["data"]["registerForWorkshop"];
    assert!(made["manageToken"].is_string(), "{answer}");
    (
        made["registration"].clone(),
        made["manageToken"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn registering_records_consent_and_a_minor_needs_a_guardians() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &se, 10, true).await;

    let mut minor = person(&workshop, 1);
    minor["input"]["ageBand"] = json!("UNDER_18");
    let refused = app.gql(REGISTER, minor.clone()).await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.guardianConsent"),
        "{refused}"
    );
    let mut no_purpose = person(&workshop, 2);
    no_purpose["input"]["consent"]["purposes"] = json!(["FOLLOW_UP"]);
    let refused = app.gql(REGISTER, no_purpose).await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.consent.purposes"),
        "{refused}"
    );
    let missing = app
        .gql(
            REGISTER,
            json!({ "input": { "workshop": workshop["id"], "participantName": "X",
                "email": "x@example.se", "ageBand": "AGE_30_54" } }),
        )
        .await;
    assert_eq!(
        first_code(&missing),
        "GRAPHQL_VALIDATION_FAILED",
        "{missing}"
    );

    minor["input"]["guardianConsent"] = json!(true);
    minor["input"]["consent"]["purposes"] =
        json!(["PROGRAMME_STATISTICS", "WORKSHOP_ADMINISTRATION"]);
    let (_, token) = register(&app, minor).await;
    let mine = app.gql(MINE, json!({ "t": token })).await;
    assert_eq!(
        mine["data"]["myRegistration"],
        json!({ "participantName": "Person 1", "email": "person1@example.se",
            "organisationName": null, "status": "REGISTERED", "waitlistPosition": null, "erasedAt": null,
            "consent": { "noticeVersion": "2026-11", "guardianConsent": true,
                "purposes": ["PROGRAMME_STATISTICS", "WORKSHOP_ADMINISTRATION"] },
            "controller": { "name": "Region Blekinge" } }),
        "{mine}"
    );
}

#[tokio::test]
async fn one_address_holds_one_seat_per_workshop() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &se, 10, true).await;
    register(&app, person(&workshop, 1)).await;
    let mut again = person(&workshop, 1);
    again["input"]["email"] = json!("  Person1@Example.SE ");
    let refused = app.gql(REGISTER, again).await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.email"),
        "{refused}"
    );
    let seats = app
        .gql_as(
            Some(&se),
            "query($id: ID!) { node(id: $id) { ... on Workshop { seatsTaken } } }",
            json!({ "id": workshop["id"] }),
        )
        .await;
    assert_eq!(seats["data"]["node"]["seatsTaken"], 1, "{seats}");
}

#[tokio::test]
async fn anonymous_registrations_are_limited_per_workshop_whatever_the_address() {
    let app = TestApp::spawn_with(|c| c.limits.registrations_per_workshop_per_minute = 2).await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &se, 10, true).await;
    register(&app, person(&workshop, 1)).await;
    register(&app, person(&workshop, 2)).await;
    let refused = app.gql(REGISTER, person(&workshop, 3)).await;
    assert_eq!(first_code(&refused), "RATE_LIMITED", "{refused}");
    let other = create_workshop(&app, &se, 10, true).await;
    register(&app, person(&other, 3)).await;
}

#[tokio::test]
async fn a_registrant_sees_corrects_cancels_and_erases_with_the_manage_token() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &se, 1, true).await;
    let (_, first) = register(&app, person(&workshop, 1)).await;
    let (_, second) = register(&app, person(&workshop, 2)).await;
    let (_, third) = register(&app, person(&workshop, 3)).await;
    let position = |token: String| {
        let app = &app;
        async move {
            let mine = app.gql(MINE, json!({ "t": token })).await;
            (
                mine["data"]["myRegistration"]["status"].clone(),
                mine["data"]["myRegistration"]["waitlistPosition"].clone(),
            )
        }
    };
    assert_eq!(
        position(third.clone()).await,
        (json!("WAITLISTED"), json!(2))
    );
    // Asked for by GET, personal data is never left in a cache.
    let got = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[
            (
                "query",
                "query($t: String!) { myRegistration(manageToken: $t) { email } }",
            ),
            ("variables", &json!({ "t": first }).to_string()),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(
        got.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );

    let corrected = app
        .gql(
            "mutation($t: String!) { updateMyRegistration(input: { manageToken: $t, participantName: \"Ann Berg\", organisationName: \"Kommunen\" }) { registration { participantName organisationName } } }",
            json!({ "t": first }),
        )
        .await;
    assert_eq!(
        corrected["data"]["updateMyRegistration"]["registration"],
        json!({ "participantName": "Ann Berg", "organisationName": "Kommunen" }),
        "{corrected}"
    );

    let cancelled = app
        .gql(
            "mutation($t: String!) { cancelMyRegistration(input: { manageToken: $t }) { registration { status } } }",
            json!({ "t": first }),
        )
        .await;
    assert_eq!(
        cancelled["data"]["cancelMyRegistration"]["registration"]["status"], "CANCELLED",
        "{cancelled}"
    );
    assert_eq!(
        position(second.clone()).await,
        (json!("REGISTERED"), Value::Null)
    );
    assert_eq!(
        position(third.clone()).await,
        (json!("WAITLISTED"), json!(1))
    );

    let erased = app
        .gql(
            "mutation($t: String!) { eraseMyRegistration(input: { manageToken: $t }) { registration { participantName email status erasedAt } } }",
            json!({ "t": second }),
        )
        .await;
    let gone = &erased["data"]["eraseMyRegistration"]["registration"];
    assert_eq!(gone["participantName"], Value::Null, "{erased}");
    assert_eq!(gone["email"], Value::Null);
    assert_eq!(gone["status"], "CANCELLED", "the seat was given up first");
    assert!(gone["erasedAt"].is_string());
    assert_eq!(position(third).await, (json!("REGISTERED"), Value::Null));

    // A used token, or a wrong one, answers like a missing one.
    for token in [second.as_str(), "mrg_not-a-token"] {
        let mine = app.gql(MINE, json!({ "t": token })).await;
        assert_eq!(mine["data"]["myRegistration"], Value::Null, "{mine}");
        let again = app
            .gql(
                "mutation($t: String!) { eraseMyRegistration(input: { manageToken: $t }) { registration { id } } }",
                json!({ "t": token }),
            )
            .await;
        assert_eq!(first_code(&again), "NOT_FOUND", "{again}");
    }
    // The audit trail keeps no identity of it.
    let admin = app.token("ADMIN", &[], None);
    let audit = app
        .gql_as(
            Some(&admin),
            "{ auditEvents(first: 50) { nodes { action before after } } }",
            json!({}),
        )
        .await;
    let text = audit.to_string();
    assert!(text.contains("eraseMyRegistration"), "{audit}");
    assert!(
        !text.contains("Person 2") && !text.contains("person2@example.se"),
        "{audit}"
    );
}

#[tokio::test]
async fn managers_erase_a_registration_and_the_figures_stay() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let workshop = create_workshop(&app, &se, 10, true).await;
    let (registration, _) = register(&app, person(&workshop, 1)).await;
    let figures = "{ participationSummary(groupBy: [GENDER, AGE_BAND]) { gender ageBand count } }";
    let before = app.gql_as(Some(&se), figures, json!({})).await;

    const ERASE: &str = "mutation($id: ID!) { eraseRegistration(input: { id: $id }) {
        registration { participantName email gender ageBand status } } }";
    let hidden = app
        .gql_as(Some(&fi), ERASE, json!({ "id": registration["id"] }))
        .await;
    assert_eq!(first_code(&hidden), "NOT_FOUND", "{hidden}");
    let erased = app
        .gql_as(Some(&se), ERASE, json!({ "id": registration["id"] }))
        .await;
    assert_eq!(
        erased["data"]["eraseRegistration"]["registration"],
        json!({ "participantName": null, "email": null, "gender": "WOMAN",
            "ageBand": "AGE_30_54", "status": "REGISTERED" }),
        "{erased}"
    );
    let after = app.gql_as(Some(&se), figures, json!({})).await;
    assert_eq!(before, after, "erasure keeps what the figures count");
}

#[tokio::test]
async fn retention_anonymises_registrations_of_long_past_workshops_by_itself() {
    let app = TestApp::spawn().await;
    // The seed's 2017 workshop in Ronneby ended long before the default two years.
    let admin = app.token("ADMIN", &[], None);
    let read = r#"{ project(code: "SE-BLEKINGE-JRT") { workshops(first: 5) { nodes {
        registrations { nodes { participantName erasedAt gender } } } } } }"#;
    let mut anonymised = false;
    for _ in 0..50 {
        let metrics = app.get("/metrics").await.text().await.unwrap_or_default();
        anonymised = metrics
            .lines()
            .any(|l| l.starts_with("mosaic_registrations_anonymised_total ") && !l.ends_with(" 0"));
        if anonymised {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(anonymised, "the sweep ran at start and counted in /metrics");
    let seen = app.gql_as(Some(&admin), read, json!({})).await;
    let people = seen["data"]["project"]["workshops"]["nodes"][0]["registrations"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!people.is_empty(), "{seen}");
    for p in &people {
        assert_eq!(p["participantName"], Value::Null, "{p}");
        assert!(p["erasedAt"].is_string() && p["gender"].is_string(), "{p}");
    }
}

#[tokio::test]
async fn an_access_request_finds_everything_held_about_an_address_and_reads_are_audited() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let admin = app.token("ADMIN", &[], None);
    let first = create_workshop(&app, &se, 10, true).await;
    let second = create_workshop(&app, &se, 10, true).await;
    register(&app, person(&first, 7)).await;
    register(&app, person(&second, 7)).await;

    const REQUEST: &str = r#"{ personalData(email: "PERSON7@example.se") {
        email registrations { participantName } contacts { name } document } }"#;
    for (who, token, code) in [
        ("anonymous", None, "UNAUTHENTICATED"),
        ("viewer", Some(app.token("VIEWER", &[], None)), "FORBIDDEN"),
    ] {
        let refused = app.gql_as(token.as_deref(), REQUEST, json!({})).await;
        assert_eq!(first_code(&refused), code, "{who}: {refused}");
    }
    let outside = app.gql_as(Some(&fi), REQUEST, json!({})).await;
    assert_eq!(
        outside["data"]["personalData"]["registrations"],
        json!([]),
        "a Finnish coordinator finds nothing in Sweden: {outside}"
    );
    let found = app.gql_as(Some(&se), REQUEST, json!({})).await;
    let data = &found["data"]["personalData"];
    assert_eq!(data["email"], "person7@example.se", "{found}");
    assert_eq!(
        data["registrations"],
        json!([{ "participantName": "Person 7" }, { "participantName": "Person 7" }])
    );
    let document: Value =
        serde_json::from_str(data["document"].as_str().unwrap_or_default()).expect("JSON");
    assert_eq!(document["registrations"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        document["registrations"][0]["consent"]["noticeVersion"],
        "2026-11"
    );

    // One audit row for the request, naming the rows read, shown to admins.
    let audit = app
        .gql_as(
            Some(&admin),
            r#"{ auditEvents(filter: { entities: [PERSONAL_DATA] }) { totalCount nodes { action actor after } } }"#,
            json!({}),
        )
        .await;
    let events = &audit["data"]["auditEvents"];
    assert_eq!(events["totalCount"], 1, "{audit}");
    assert_eq!(events["nodes"][0]["action"], "readPersonalData");
    assert_eq!(
        events["nodes"][0]["after"]["registrations"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{audit}"
    );
    // A read of no personal data writes nothing.
    app.gql_as(Some(&se), "{ viewer { role } }", json!({}))
        .await;
    let again = app
        .gql_as(
            Some(&admin),
            r#"{ auditEvents(filter: { entities: [PERSONAL_DATA] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(again["data"]["auditEvents"]["totalCount"], 1, "{again}");
}

#[tokio::test]
async fn a_partner_sees_registrants_gender_and_age_only_where_it_runs_the_workshop() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &se, 10, true).await;
    register(&app, person(&workshop, 1)).await;
    let organisations = app
        .data(
            r#"{ lead: organisations(filter: { search: "Region Blekinge" }) { nodes { id } }
                 funder: organisations(filter: { search: "Tillväxtverket" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let partner = |key: &str| {
        let id = organisations[key]["nodes"][0]["id"]
            .as_str()
            .unwrap_or_default();
        let text = String::from_utf8(
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, id)
                .expect("base64"),
        )
        .expect("utf-8");
        let uuid = uuid::Uuid::parse_str(text.trim_start_matches("Organisation:")).expect("uuid");
        app.token("PARTNER", &[], Some(uuid))
    };
    let read = "query($id: ID!) { node(id: $id) { ... on Workshop { registrations { nodes { participantName gender ageBand } } } } }";
    let lead = app
        .gql_as(
            Some(&partner("lead")),
            read,
            json!({ "id": workshop["id"] }),
        )
        .await;
    assert_eq!(
        lead["data"]["node"]["registrations"]["nodes"],
        json!([{ "participantName": "Person 1", "gender": "WOMAN", "ageBand": "AGE_30_54" }]),
        "the organisation running it: {lead}"
    );
    let funder = app
        .gql_as(
            Some(&partner("funder")),
            read,
            json!({ "id": workshop["id"] }),
        )
        .await;
    assert_eq!(
        funder["data"]["node"]["registrations"]["nodes"],
        json!([{ "participantName": "Person 1", "gender": null, "ageBand": null }]),
        "a partner taking part, not running it: {funder}"
    );
    // In aggregate the same: exact for the organisation running it, perturbed for the other.
    let figures = "query($w: ID!) { participationSummary(groupBy: [GENDER], filter: { workshops: [$w] }) { count perturbed } }";
    for (who, exact) in [("lead", true), ("funder", false)] {
        let seen = app
            .gql_as(Some(&partner(who)), figures, json!({ "w": workshop["id"] }))
            .await;
        let groups = seen["data"]["participationSummary"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            groups.iter().all(|g| g["perturbed"] == json!(!exact)),
            "{who}: {seen}"
        );
        if exact {
            assert_eq!(
                groups,
                vec![json!({ "count": 1, "perturbed": false })],
                "{seen}"
            );
        }
    }
}
