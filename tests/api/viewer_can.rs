//! `viewer` and `viewerCan…`: a page learns who is asking and which actions to offer, and
//! each `viewerCan…` answers what the mutation itself then does.

use mosaic_tests::{TestApp, first_code, uuid_of};
use serde_json::{Value, json};

const ACTIONS: &str = "query($p: ID!, $w: ID!, $f: ID!, $o: ID!) {
    p: node(id: $p) { ... on Project { viewerCanUpdate viewerCanUpdateAllFields viewerCanPublish
        viewerCanDelete viewerCanAddWorkshop viewerCanAddFunding } }
    w: node(id: $w) { ... on Workshop { viewerCanUpdate viewerCanDelete viewerCanRegister
        viewerCanManageRegistrations } }
    f: node(id: $f) { ... on Funding { viewerCanUpdate viewerCanDelete } }
    o: node(id: $o) { ... on Organisation { viewerCanUpdate viewerCanDelete viewerCanManageApiTokens } } }";

#[tokio::test]
async fn each_caller_is_offered_exactly_the_actions_its_writes_are_allowed() {
    let app = TestApp::spawn().await;
    let pl = app.token("COORDINATOR", &["PL"], None);
    let se = app.token("COORDINATOR", &["SE"], None);
    let admin = app.token("ADMIN", &[], None);
    let hub = crate::tokens::organisation_id(&app, "Diversity Hub").await;
    let partner = app.token("PARTNER", &[], Some(uuid_of(&hub)));
    let made = app
        .gql_as(
            Some(&pl),
            r#"mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id version } } }"#,
            json!({ "i": { "code": "PL-ACTIONS", "originalLanguage": "pl", "country": "PL",
                "title": [{ "language": "pl", "text": "Działania" }], "dates": { "plannedStart": "2026" },
                "participants": [{ "organisation": hub, "role": "PARTNER" }] } }),
        )
        .await;
    let project = made["data"]["createProject"]["project"].clone();
    let published = app
        .gql_as(
            Some(&pl),
            "mutation($i: PublishProjectInput!) { publishProject(input: $i) { project { version } } }",
            json!({ "i": { "id": project["id"], "expectedVersion": project["version"], "published": true } }),
        )
        .await;
    assert!(published.get("errors").is_none(), "{published}");
    let workshop = app
        .gql_as(
            Some(&pl),
            "mutation($i: CreateWorkshopInput!) { createWorkshop(input: $i) { workshop { id } } }",
            json!({ "i": { "project": project["id"], "originalLanguage": "pl",
                "title": [{ "language": "pl", "text": "Warsztat" }],
                "startsAt": "2099-05-04T09:00:00Z", "endsAt": "2099-05-04T12:00:00Z",
                "timeZone": "Europe/Warsaw", "kind": "WORKSHOP", "format": "ONLINE",
                "language": "pl", "openToPublic": true } }),
        )
        .await["data"]["createWorkshop"]["workshop"]["id"]
        .clone();
    let funding = app
        .gql_as(
            Some(&pl),
            "mutation($i: CreateFundingInput!) { createFunding(input: $i) { funding { id } } }",
            json!({ "i": { "project": project["id"], "funder": hub, "kind": "GRANT",
                "status": "PLANNED", "amount": "1000.00", "currency": "PLN", "valueDate": "2026-01-01" } }),
        )
        .await["data"]["createFunding"]["funding"]["id"]
        .clone();
    assert!(workshop.is_string() && funding.is_string());
    let ids = json!({ "p": project["id"], "w": workshop, "f": funding, "o": hub });
    let offered = |token: Option<String>| {
        let app = &app;
        let ids = ids.clone();
        async move { app.gql_as(token.as_deref(), ACTIONS, ids).await["data"].clone() }
    };

    let all = offered(Some(pl.clone())).await;
    assert_eq!(
        all["p"],
        json!({ "viewerCanUpdate": true, "viewerCanUpdateAllFields": true,
        "viewerCanPublish": true, "viewerCanDelete": true, "viewerCanAddWorkshop": true,
        "viewerCanAddFunding": true })
    );
    assert_eq!(
        all["w"],
        json!({ "viewerCanUpdate": true, "viewerCanDelete": true,
        "viewerCanRegister": true, "viewerCanManageRegistrations": true })
    );
    assert_eq!(
        all["f"],
        json!({ "viewerCanUpdate": true, "viewerCanDelete": true })
    );
    assert_eq!(
        all["o"],
        json!({ "viewerCanUpdate": true, "viewerCanDelete": true,
        "viewerCanManageApiTokens": true })
    );
    assert_eq!(offered(Some(admin)).await, all);

    let partners = offered(Some(partner.clone())).await;
    assert_eq!(
        partners["p"],
        json!({ "viewerCanUpdate": true, "viewerCanUpdateAllFields": false,
        "viewerCanPublish": false, "viewerCanDelete": false, "viewerCanAddWorkshop": true,
        "viewerCanAddFunding": false })
    );
    assert_eq!(partners["w"]["viewerCanDelete"], false);
    assert_eq!(partners["w"]["viewerCanUpdate"], true);
    assert_eq!(
        partners["f"],
        json!({ "viewerCanUpdate": false, "viewerCanDelete": false })
    );
    assert_eq!(partners["o"]["viewerCanUpdate"], false);

    for outsider in [Some(se), None] {
        let seen = offered(outsider).await;
        assert_eq!(seen["p"]["viewerCanUpdate"], false, "{seen}");
        assert_eq!(seen["w"]["viewerCanUpdate"], false, "{seen}");
        assert_eq!(
            seen["w"]["viewerCanRegister"], true,
            "open to the public: {seen}"
        );
        assert_eq!(seen["o"]["viewerCanUpdate"], false, "{seen}");
    }

    // What is offered is what the mutations do.
    let current = app
        .gql_as(
            Some(&partner),
            "query($p: ID!) { node(id: $p) { ... on Project { version } } }",
            json!({ "p": project["id"] }),
        )
        .await["data"]["node"]["version"]
        .clone();
    let publish = app
        .gql_as(
            Some(&partner),
            "mutation($i: PublishProjectInput!) { publishProject(input: $i) { project { id } } }",
            json!({ "i": { "id": project["id"], "expectedVersion": current, "published": false } }),
        )
        .await;
    assert_eq!(first_code(&publish), "FORBIDDEN");
    let renamed = app
        .gql_as(
            Some(&partner),
            "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version } } }",
            json!({ "i": { "id": project["id"], "expectedVersion": current,
                "title": [{ "language": "pl", "text": "Działania partnerów" }] } }),
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed}");
    let delete = app
        .gql_as(
            Some(&partner),
            "mutation($i: DeleteInput!) { deleteFunding(input: $i) { deletedId } }",
            json!({ "i": { "id": funding } }),
        )
        .await;
    assert_eq!(first_code(&delete), "FORBIDDEN");
}

#[tokio::test]
async fn the_viewer_has_a_stable_id_and_its_organisation() {
    let app = TestApp::spawn().await;
    let hub = app
        .data(
            r#"{ organisations(filter: { search: "Diversity Hub" }) { nodes { id name } } }"#,
            json!({}),
        )
        .await["organisations"]["nodes"][0]
        .clone();
    let partner = app.token("PARTNER", &[], Some(uuid_of(&hub["id"])));
    let viewer = "{ viewer { id subject role countries organisation { id name } } }";
    let first = app.gql_as(Some(&partner), viewer, json!({})).await;
    let again = app.gql_as(Some(&partner), viewer, json!({})).await;
    assert_eq!(first["data"], again["data"], "the same id every time");
    assert_eq!(first["data"]["viewer"]["organisation"], hub);
    assert_eq!(first["data"]["viewer"]["role"], "PARTNER");
    let anonymous = app.data(viewer, json!({})).await;
    assert_eq!(anonymous["viewer"]["organisation"], Value::Null);
    assert_ne!(anonymous["viewer"]["id"], first["data"]["viewer"]["id"]);
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let other = app.gql_as(Some(&coordinator), viewer, json!({})).await;
    assert_ne!(other["data"]["viewer"]["id"], first["data"]["viewer"]["id"]);
}
