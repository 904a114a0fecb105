//! Writes of every entity: scoped, validated with the offending field named, versioned,
//! audited, and deletes refused while something depends on the row.

use entity::{audit_event, funding, organisation};
use mosaic_tests::{TestApp, code_and_field};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

async fn id_of(app: &TestApp, query: &str, path: &[&str]) -> Value {
    let data = app.data(query, json!({})).await;
    path.iter().fold(data, |v, key| v[*key].clone())
}

async fn organisation(app: &TestApp, name: &str) -> Value {
    id_of(
        app,
        &format!("{{ organisations(filter: {{ search: \"{name}\" }}) {{ nodes {{ id }} }} }}"),
        &["organisations", "nodes"],
    )
    .await[0]["id"]
        .clone()
}

async fn region(app: &TestApp, code: &str) -> Value {
    id_of(
        app,
        &format!("{{ regions(filter: {{ nutsCodes: [\"{code}\"] }}) {{ nodes {{ id }} }} }}"),
        &["regions", "nodes"],
    )
    .await[0]["id"]
        .clone()
}

/// A well-formed global id of an organisation that does not exist.
fn nobody() -> String {
    mosaic::ids::encode_uuid(mosaic::ids::Kind::Organisation, uuid::Uuid::now_v7())
}

async fn audit_rows(app: &TestApp) -> u64 {
    audit_event::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn organisations_are_written_in_scope_and_kept_while_used() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let create = "mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { organisation { id name kind version region { nutsCode } } } }";
    let input = json!({ "originalLanguage": "sv", "name": [{ "language": "sv", "text": "Ronneby kommun" }], "kind": "MUNICIPALITY", "country": "SE", "region": region(&app, "SE221").await, "website": "https://www.ronneby.se" });
    let created = app.gql_as(Some(&se), create, json!({ "i": input })).await;
    let org = created["data"]["createOrganisation"]["organisation"].clone();
    assert_eq!(org["region"]["nutsCode"], "SE221", "{created}");
    assert_eq!(
        code_and_field(&app.gql_as(Some(&fi), create, json!({ "i": input })).await).0,
        "FORBIDDEN"
    );
    let mut bad = input.clone();
    bad["website"] = json!("javascript:alert(1)");
    assert_eq!(
        code_and_field(&app.gql_as(Some(&se), create, json!({ "i": bad })).await),
        ("BAD_USER_INPUT", "input.website")
    );
    let mut elsewhere = input.clone();
    elsewhere["region"] = region(&app, "FI1C7").await;
    assert_eq!(
        code_and_field(
            &app.gql_as(Some(&se), create, json!({ "i": elsewhere }))
                .await
        ),
        ("BAD_USER_INPUT", "input.region")
    );

    let update = "mutation($i: UpdateOrganisationInput!) { updateOrganisation(input: $i) { organisation { acronym version } } }";
    let updated = app
        .gql_as(
            Some(&se),
            update,
            json!({ "i": { "id": org["id"], "expectedVersion": 1, "acronym": "RK" } }),
        )
        .await;
    assert_eq!(
        updated["data"]["updateOrganisation"]["organisation"],
        json!({ "acronym": "RK", "version": 2 })
    );
    assert_eq!(
        code_and_field(
            &app.gql_as(
                Some(&se),
                update,
                json!({ "i": { "id": org["id"], "expectedVersion": 1, "acronym": "X" } })
            )
            .await
        )
        .0,
        "CONFLICT"
    );

    let delete = "mutation($id: ID!) { deleteOrganisation(input: { id: $id }) { deletedId } }";
    let used = app
        .gql_as(
            Some(&se),
            delete,
            json!({ "id": organisation(&app, "Region Blekinge").await }),
        )
        .await;
    assert_eq!(code_and_field(&used), ("BAD_USER_INPUT", "input.id"));
    assert!(
        used["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("project participations")),
        "{used}"
    );
    let gone = app
        .gql_as(Some(&se), delete, json!({ "id": org["id"] }))
        .await;
    assert_eq!(gone["data"]["deleteOrganisation"]["deletedId"], org["id"]);
    assert_eq!(
        organisation::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        11
    );
}

#[tokio::test]
async fn regions_are_written_by_admins_with_valid_nuts_codes() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let se = app.token("COORDINATOR", &["SE"], None);
    let create = "mutation($i: CreateRegionInput!) { createRegion(input: $i) { region { id nutsCode level parent { nutsCode } } } }";
    let input = json!({ "nutsCode": "SE312", "nutsVersion": 2024, "parent": region(&app, "SE31").await, "originalLanguage": "sv", "name": [{ "language": "sv", "text": "Dalarnas län" }] });
    assert_eq!(
        code_and_field(&app.gql_as(Some(&se), create, json!({ "i": input })).await).0,
        "FORBIDDEN"
    );
    let created = app
        .gql_as(Some(&admin), create, json!({ "i": input }))
        .await;
    assert_eq!(
        created["data"]["createRegion"]["region"]["level"], 3,
        "{created}"
    );
    assert_eq!(
        code_and_field(
            &app.gql_as(Some(&admin), create, json!({ "i": input }))
                .await
        ),
        ("BAD_USER_INPUT", "input.nutsCode")
    );
    for (key, value, name) in [
        ("nutsCode", json!("S3"), "input.nutsCode"),
        ("nutsCode", json!("DE111"), "input.nutsCode"),
        ("parent", region(&app, "SE22").await, "input.parent"),
    ] {
        let mut bad = input.clone();
        bad[key] = value;
        bad["nutsCode"] = if key == "nutsCode" {
            bad["nutsCode"].clone()
        } else {
            json!("SE313")
        };
        assert_eq!(
            code_and_field(&app.gql_as(Some(&admin), create, json!({ "i": bad })).await),
            ("BAD_USER_INPUT", name)
        );
    }
    let delete = "mutation($id: ID!) { deleteRegion(input: { id: $id }) { deletedId } }";
    let used = app
        .gql_as(
            Some(&admin),
            delete,
            json!({ "id": region(&app, "SE311").await }),
        )
        .await;
    assert_eq!(code_and_field(&used).1, "input.id");
    let fresh = created["data"]["createRegion"]["region"]["id"].clone();
    assert_eq!(
        app.gql_as(Some(&admin), delete, json!({ "id": fresh }))
            .await["data"]["deleteRegion"]["deletedId"],
        fresh
    );
}

#[tokio::test]
async fn resource_centres_belong_to_their_regions_country() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let create = "mutation($i: CreateResourceCentreInput!) { createResourceCentre(input: $i) { resourceCentre { id actionAreas { code } version } } }";
    let input = json!({ "region": region(&app, "SE221").await, "hostOrganisation": organisation(&app, "Region Blekinge").await, "originalLanguage": "sv", "name": [{ "language": "sv", "text": "Resurscentrum Blekinge" }], "actionAreas": ["ACCESSIBILITY", "ACCESSIBILITY", "RURAL_DEVELOPMENT"] });
    assert_eq!(
        code_and_field(&app.gql_as(Some(&fi), create, json!({ "i": input })).await).0,
        "FORBIDDEN"
    );
    let mut no_host = input.clone();
    no_host["hostOrganisation"] = json!(nobody());
    let refused = app.gql_as(Some(&se), create, json!({ "i": no_host })).await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.hostOrganisation"),
        "{refused}"
    );
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("names no organisation")),
        "{refused}"
    );
    let created = app.gql_as(Some(&se), create, json!({ "i": input })).await;
    assert_eq!(
        created["data"]["createResourceCentre"]["resourceCentre"]["actionAreas"],
        json!([{ "code": "ACCESSIBILITY" }, { "code": "RURAL_DEVELOPMENT" }]),
        "{created}"
    );
    let used = app
        .gql_as(Some(&se), "mutation($id: ID!) { deleteResourceCentre(input: { id: $id }) { deletedId } }", json!({ "id": id_of(&app, "{ resourceCentres { nodes { id } } }", &["resourceCentres", "nodes"]).await[0]["id"] }))
        .await;
    assert!(
        used["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1 projects")),
        "{used}"
    );
}

#[tokio::test]
async fn funding_is_validated_exactly_and_written_by_the_projects_coordinators() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let partner_fi = app.token("COORDINATOR", &["FI"], None);
    let (blekinge, _) = app.project_ref("SE-BLEKINGE-JRT").await;
    let create = "mutation($i: CreateFundingInput!) { createFunding(input: $i) { funding { id amount currency version } } }";
    let input = json!({ "project": blekinge, "funder": organisation(&app, "Region Blekinge").await, "kind": "CO_FINANCING", "status": "COMMITTED", "amount": "250000.50", "currency": "SEK", "valueDate": "2017-01-01" });
    let before = (
        funding::Entity::find().count(&app.db).await.expect("count"),
        audit_rows(&app).await,
    );
    for (key, value, name) in [
        ("amount", json!("10.005"), "input.amount"),
        ("amount", json!("-5"), "input.amount"),
        ("currency", json!("KRONA"), "input.currency"),
        ("currency", json!("XYZ"), "input.currency"),
        ("funder", json!("nope"), "input.funder"),
        ("funder", json!(nobody()), "input.funder"),
        ("periodStart", json!("2018-01-01"), "input.periodEnd"),
    ] {
        let mut bad = input.clone();
        bad[key] = value;
        if key == "periodStart" {
            bad["periodEnd"] = json!("2017-01-01");
        }
        assert_eq!(
            code_and_field(&app.gql_as(Some(&se), create, json!({ "i": bad })).await),
            ("BAD_USER_INPUT", name)
        );
    }
    assert_eq!(
        code_and_field(
            &app.gql_as(Some(&partner_fi), create, json!({ "i": input }))
                .await
        )
        .0,
        "FORBIDDEN"
    );
    assert_eq!(
        (
            funding::Entity::find().count(&app.db).await.expect("count"),
            audit_rows(&app).await
        ),
        before,
        "nothing written"
    );
    let created = app.gql_as(Some(&se), create, json!({ "i": input })).await;
    let row = created["data"]["createFunding"]["funding"].clone();
    assert_eq!(
        (row["amount"].as_str(), row["currency"].as_str()),
        (Some("250000.50"), Some("SEK")),
        "{created}"
    );
    let update = "mutation($i: UpdateFundingInput!) { updateFunding(input: $i) { funding { status version } } }";
    let paid = app
        .gql_as(
            Some(&se),
            update,
            json!({ "i": { "id": row["id"], "expectedVersion": 1, "status": "DISBURSED" } }),
        )
        .await;
    assert_eq!(
        paid["data"]["updateFunding"]["funding"],
        json!({ "status": "DISBURSED", "version": 2 })
    );
    let stale = app
        .gql_as(
            Some(&se),
            update,
            json!({ "i": { "id": row["id"], "expectedVersion": 1, "status": "PLANNED" } }),
        )
        .await;
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 2);
    let deleted = app
        .gql_as(
            Some(&se),
            "mutation($id: ID!) { deleteFunding(input: { id: $id }) { deletedId } }",
            json!({ "id": row["id"] }),
        )
        .await;
    assert_eq!(deleted["data"]["deleteFunding"]["deletedId"], row["id"]);
    assert_eq!(audit_rows(&app).await, before.1 + 3);
}

#[tokio::test]
async fn partners_keep_milestones_but_not_contacts_and_contacts_keep_their_privacy() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let hub = organisation(&app, "Diversity Hub").await;
    let issued = app.gql_as(Some(&admin), "mutation($o: ID!) { issueApiToken(input: { organisation: $o, name: \"crm\" }) { secret } }", json!({ "o": hub })).await;
    let partner = issued["data"]["issueApiToken"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let (grassroots, _) = app.project_ref("PL-DH-GRASSROOTS").await;
    let milestone = app
        .gql_as(Some(&partner), "mutation($p: ID!) { addMilestone(input: { project: $p, title: [{ language: \"pl\", text: \"Raport końcowy\" }], dueDate: \"2024-12-31\" }) { milestone { id title } } }", json!({ "p": grassroots }))
        .await;
    assert_eq!(
        milestone["data"]["addMilestone"]["milestone"]["title"], "Raport końcowy",
        "{milestone}"
    );
    let add_contact =
        "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id name email } } }";
    let contact =
        json!({ "project": grassroots, "name": "Anna Nowak", "email": "anna@example.pl" });
    assert_eq!(
        code_and_field(
            &app.gql_as(Some(&partner), add_contact, json!({ "i": contact }))
                .await
        )
        .0,
        "FORBIDDEN"
    );

    let (finnish, _) = app.project_ref("FI-ELY-MONIMUOTOISUUS").await;
    let fi = app.token("COORDINATOR", &["FI"], None);
    let bad = app
        .gql_as(
            Some(&fi),
            add_contact,
            json!({ "i": { "project": finnish, "name": "Uusi Henkilö", "email": "not-an-email" } }),
        )
        .await;
    assert_eq!(code_and_field(&bad), ("BAD_USER_INPUT", "input.email"));
    let added = app.gql_as(Some(&fi), add_contact, json!({ "i": { "project": finnish, "name": "Uusi Henkilö", "email": "uusi@ely-keskus.fi" } })).await;
    assert_eq!(
        added["data"]["addContact"]["contact"]["email"], "uusi@ely-keskus.fi",
        "{added}"
    );
    let trail = app
        .gql_as(
            Some(&admin),
            "{ auditEvents(filter: { entities: [CONTACT] }) { nodes { action after } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        trail["data"]["auditEvents"]["nodes"][0]["action"],
        "addContact"
    );
    assert!(
        !trail.to_string().contains("uusi@ely-keskus.fi"),
        "no personal data in the audit trail"
    );
}

#[tokio::test]
async fn projects_are_deleted_only_without_dependants_and_their_links_can_be_replaced() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let delete = "mutation($id: ID!) { deleteProject(input: { id: $id }) { deletedId } }";
    let (blekinge, version) = app.project_ref("SE-BLEKINGE-JRT").await;
    let refused = app
        .gql_as(Some(&se), delete, json!({ "id": blekinge }))
        .await;
    let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("1 fundings") && message.contains("1 workshops"),
        "{refused}"
    );

    let relink = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version regions { nutsCode } participants { role organisation { name } } focusAreas { code label(lang: \"sv\") } } } }";
    let answer = app
        .gql_as(Some(&se), relink, json!({ "i": { "id": blekinge, "expectedVersion": version, "regions": [region(&app, "SE221").await, region(&app, "SE311").await], "participants": [{ "organisation": organisation(&app, "Region Blekinge").await, "role": "LEAD" }], "focusAreas": ["strategic_skills_supply"] } }))
        .await;
    let p = &answer["data"]["updateProject"]["project"];
    assert_eq!(
        p["regions"],
        json!([{ "nutsCode": "SE221" }, { "nutsCode": "SE311" }]),
        "{answer}"
    );
    assert_eq!(
        p["participants"],
        json!([{ "role": "LEAD", "organisation": { "name": "Region Blekinge" } }])
    );
    assert_eq!(
        p["focusAreas"],
        json!([{ "code": "STRATEGIC_SKILLS_SUPPLY", "label": "Strategisk kompetensförsörjning" }])
    );

    let created = app
        .gql_as(Some(&se), "mutation { createProject(input: { code: \"SE-TEMP\", originalLanguage: \"sv\", title: [{ language: \"sv\", text: \"Tillfälligt\" }], dates: { plannedStart: \"2027-01-01\", plannedEnd: \"2027-02-01\" }, country: \"SE\" }) { project { id } } }", json!({}))
        .await;
    let id = created["data"]["createProject"]["project"]["id"].clone();
    assert_eq!(
        app.gql_as(Some(&se), delete, json!({ "id": id })).await["data"]["deleteProject"]["deletedId"],
        id
    );
}

#[tokio::test]
async fn exchange_rates_are_set_by_admins_exactly() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let se = app.token("COORDINATOR", &["SE"], None);
    let set = "mutation($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { exchangeRate { currency date unitsPerEur source } } }";
    let input = json!({ "currency": "sek", "date": "2016-12-30", "unitsPerEur": "9.5525", "source": "ECB_REFERENCE" });
    assert_eq!(
        code_and_field(&app.gql_as(Some(&se), set, json!({ "i": input })).await).0,
        "FORBIDDEN"
    );
    let ok = app.gql_as(Some(&admin), set, json!({ "i": input })).await;
    assert_eq!(
        ok["data"]["setExchangeRate"]["exchangeRate"],
        json!({ "currency": "SEK", "date": "2016-12-30", "unitsPerEur": "9.5525", "source": "ECB_REFERENCE" }),
        "{ok}"
    );
    let mut precise = input.clone();
    precise["unitsPerEur"] = json!("9.1234567");
    assert_eq!(
        code_and_field(&app.gql_as(Some(&admin), set, json!({ "i": precise })).await),
        ("BAD_USER_INPUT", "input.unitsPerEur")
    );
    let mut euro = input.clone();
    euro["currency"] = json!("EUR");
    assert_eq!(
        code_and_field(&app.gql_as(Some(&admin), set, json!({ "i": euro })).await),
        ("BAD_USER_INPUT", "input.currency")
    );
}

#[tokio::test]
async fn a_contacts_audit_rows_hold_no_personal_data_and_are_filed_under_its_country() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let (project, _) = app.project_ref("SE-BLEKINGE-JRT").await;
    let added = app
        .gql_as(
            Some(&coordinator),
            "mutation($p: ID!) { addContact(input: { project: $p, name: \"Karin Lund\", email: \"karin.lund@example.se\", phone: \"+46 455 123 45\" }) { contact { id version } } }",
            json!({ "p": project }),
        )
        .await;
    let contact = &added["data"]["addContact"]["contact"];
    let updated = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!, $v: Int!) { updateContact(input: { id: $id, expectedVersion: $v, email: \"k.lund@example.se\" }) { contact { version } } }",
            json!({ "id": contact["id"], "v": contact["version"] }),
        )
        .await;
    assert_eq!(
        updated["data"]["updateContact"]["contact"]["version"], 2,
        "{updated}"
    );
    let trail = app
        .gql_as(
            Some(&coordinator),
            r#"{ auditEvents(filter: { entities: [CONTACT] }) { totalCount nodes { action country before after } } }"#,
            json!({}),
        )
        .await;
    let events = &trail["data"]["auditEvents"];
    assert_eq!(events["totalCount"], 2, "{trail}");
    assert_eq!(events["nodes"][0]["country"], "SE");
    let text = events.to_string();
    for personal in ["Karin", "Lund", "@", "+46"] {
        assert!(
            !text.contains(personal),
            "{personal} in the audit trail: {text}"
        );
    }
}
