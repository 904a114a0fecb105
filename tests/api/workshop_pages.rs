//! A page of projects, and a project's page of workshops, load only the columns their
//! selection reads. Every field must answer the same either way: each field of `Project` and
//! of `Workshop`, read alone on a page, answers as it does over the whole row (`nodes(ids:)`);
//! so does each field of a project's fundings, organisations and regions, which load only the
//! columns their selection reads too.

use mosaic_tests::TestApp;
use serde_json::{Value, json};

/// The type's kind once lists and non-nulls are unwrapped.
fn named_kind(t: &Value) -> &str {
    match t["kind"].as_str() {
        Some("LIST" | "NON_NULL") => named_kind(&t["ofType"]),
        other => other.unwrap_or_default(),
    }
}

/// Workshops by id, each with its answer to `field`, over every project's page `page`.
fn by_id(projects: &Value, page: &str, field: &str) -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    for project in projects.as_array().into_iter().flatten() {
        for node in project[page]["nodes"].as_array().into_iter().flatten() {
            out.push((node["id"].clone(), node[field].clone()));
        }
    }
    out.sort_by_key(|(id, _)| id.to_string());
    out
}

/// One selection for each field of `type_name` that takes no required argument: the field's
/// name for a scalar, the selection `objects` gives for an object (a field missing there
/// fails the test, so that a new field is compared too).
async fn selections(app: &TestApp, type_name: &str, objects: &[(&str, &str)]) -> Vec<String> {
    let fields = app
        .data(
            r#"query($name: String!) { __type(name: $name) { fields { name
                args { type { kind } }
                type { kind ofType { kind ofType { kind ofType { kind } } } } } } }"#,
            json!({ "name": type_name }),
        )
        .await;
    fields["__type"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["args"]
                .as_array()
                .is_none_or(|args| args.iter().all(|a| a["type"]["kind"] != "NON_NULL"))
        })
        .filter_map(|f| {
            let name = f["name"].as_str()?;
            if matches!(named_kind(&f["type"]), "SCALAR" | "ENUM") {
                return Some(name.to_owned());
            }
            let listed = objects.iter().find(|(field, _)| *field == name);
            Some(
                listed
                    .unwrap_or_else(|| panic!("{type_name}.{name}: add what to select of it"))
                    .1
                    .to_owned(),
            )
        })
        .collect()
}

/// Each selection read alone on a page (`page` of the selection, answering rows by id as
/// `rows` finds them) answers as it does over whole rows (`nodes(ids:)`); the answers compared.
async fn compare_with_whole_rows(
    app: &TestApp,
    token: &str,
    type_name: &str,
    selections: &[String],
    page: impl Fn(&str) -> String,
    rows: impl Fn(&Value, &str) -> Vec<(Value, Value)>,
) -> usize {
    let mut compared = 0;
    for selection in selections {
        let field = selection.split([' ', '(']).next().unwrap_or_default();
        let answer = app.gql_as(Some(token), &page(selection), json!({})).await;
        assert!(answer.get("errors").is_none(), "{field}: {answer:#}");
        let paged = rows(&answer["data"], field);
        let ids: Vec<Value> = paged.iter().map(|(id, _)| id.clone()).collect();
        let mut whole = Vec::new();
        for chunk in ids.chunks(100) {
            let query = format!(
                "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {type_name} {{ id {selection} }} }} }}"
            );
            let answer = app
                .gql_as(Some(token), &query, json!({ "ids": chunk }))
                .await;
            assert!(answer.get("errors").is_none(), "{field}: {answer:#}");
            for node in answer["data"]["nodes"].as_array().into_iter().flatten() {
                whole.push((node["id"].clone(), node[field].clone()));
            }
        }
        whole.sort_by_key(|(id, _)| id.to_string());
        assert_eq!(paged, whole, "{type_name}.{field}");
        compared += paged.len();
    }
    compared
}

#[tokio::test]
async fn a_page_of_projects_answers_every_field_as_the_whole_row_does() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    // A project under way, whose status turns on its end date: the seed's have all ended.
    let created = app
        .gql_as(
            Some(&admin),
            r#"mutation { createProject(input: { code: "SE-UNDER-WAY", originalLanguage: "sv",
                title: [{ language: "sv", text: "Pågår" }],
                dates: { plannedStart: "2024-01-01", plannedEnd: "2099-12-31" }, country: "SE" })
                { project { status } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        created["data"]["createProject"]["project"]["status"], "ACTIVE",
        "{created:#}"
    );
    let objects = [
        ("titleTranslations", "titleTranslations { language text }"),
        (
            "summaryTranslations",
            "summaryTranslations { language text }",
        ),
        (
            "dates",
            "dates { plannedStart { value } actualEnd { value } }",
        ),
        ("country", "country { code }"),
        ("countries", "countries { code }"),
        ("regions", "regions { nutsCode }"),
        ("resourceCentre", "resourceCentre { id }"),
        ("parent", "parent { id }"),
        ("subProjects", "subProjects(first: 3) { nodes { id } }"),
        ("participants", "participants { role organisation { id } }"),
        ("leadOrganisation", "leadOrganisation { id }"),
        ("documents", "documents { id }"),
        ("programme", "programme { id }"),
        ("budget", "budget { currency }"),
        ("fundings", "fundings(first: 3) { nodes { id } }"),
        ("workshops", "workshops(first: 3) { nodes { id } }"),
        ("contacts", "contacts(first: 3) { nodes { id } }"),
        ("focusAreas", "focusAreas { code }"),
        ("targetGroups", "targetGroups { code }"),
        ("results", "results { id }"),
        ("milestones", "milestones { id }"),
    ];
    let selections = selections(&app, "Project", &objects).await;
    assert!(selections.len() > 30, "{selections:?}");
    let compared = compare_with_whole_rows(
        &app,
        &admin,
        "Project",
        &selections,
        |selection| format!("{{ projects(first: 100) {{ nodes {{ id {selection} }} }} }}"),
        |data, field| {
            let mut rows: Vec<(Value, Value)> = data["projects"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|node| (node["id"].clone(), node[field].clone()))
                .collect();
            rows.sort_by_key(|(id, _)| id.to_string());
            rows
        },
    )
    .await;
    assert!(compared > 100, "only {compared} answers compared");
}

#[tokio::test]
async fn a_page_answers_every_field_as_the_whole_row_does() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    // Each field with what to select of it: objects by the fields of theirs it shows.
    let objects = [
        ("project", "project { id }"),
        ("titleTranslations", "titleTranslations { language text }"),
        (
            "descriptionTranslations",
            "descriptionTranslations { language text }",
        ),
        ("venue", "venue { name address town region { id } }"),
        ("registrations", "registrations(first: 2) { nodes { id } }"),
        ("agenda", "agenda { startsAt title }"),
        ("targetGroups", "targetGroups { code }"),
        ("documents", "documents { id }"),
    ];
    let selections = selections(&app, "Workshop", &objects).await;
    assert!(selections.len() > 25, "{selections:?}");
    let compared = compare_with_whole_rows(
        &app,
        &admin,
        "Workshop",
        &selections,
        |selection| {
            format!(
                "{{ projects(first: 100) {{ nodes {{ workshops(first: 20) {{ nodes {{ id {selection} }} }} }} }} }}"
            )
        },
        |data, field| by_id(&data["projects"]["nodes"], "workshops", field),
    )
    .await;
    assert!(compared > 100, "only {compared} answers compared");

    // The long fields themselves, however they are asked for, are the stored ones.
    let asked = app
        .gql_as(
            Some(&admin),
            r#"{ projects(first: 100) { nodes {
                   spread: workshops(first: 20) { nodes { id ...Long } }
                   inline: workshops(first: 20) { edges { node { id ... on Workshop {
                       description targetGroups { code } illustrativeFields } } } } } } }
               fragment Long on Workshop { description targetGroups { code } illustrativeFields }"#,
            json!({}),
        )
        .await;
    assert!(asked.get("errors").is_none(), "{asked:#}");
    let mut described = 0;
    for project in asked["data"]["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let spread = &project["spread"]["nodes"];
        for (i, node) in spread.as_array().into_iter().flatten().enumerate() {
            let by_node = app
                .gql_as(
                    Some(&admin),
                    "query($id: ID!) { node(id: $id) { ... on Workshop {
                        description targetGroups { code } illustrativeFields } } }",
                    json!({ "id": node["id"] }),
                )
                .await;
            let stored = &by_node["data"]["node"];
            for field in ["description", "targetGroups", "illustrativeFields"] {
                assert_eq!(node[field], stored[field], "{field} by a fragment");
                assert_eq!(
                    project["inline"]["edges"][i]["node"][field], stored[field],
                    "{field} by an inline fragment under edges"
                );
            }
            described += usize::from(
                stored["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
            );
        }
    }
    assert!(
        described > 5,
        "only {described} workshops with a description"
    );
}

/// Each answer to `field` of the objects `at` finds under every project, by id.
fn under_projects(data: &Value, field: &str, at: fn(&Value) -> Vec<&Value>) -> Vec<(Value, Value)> {
    let mut out: Vec<(Value, Value)> = data["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(at)
        .filter(|row| !row.is_null())
        .map(|row| (row["id"].clone(), row[field].clone()))
        .collect();
    out.sort_by_key(|(id, _)| id.to_string());
    out
}

fn list(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

#[tokio::test]
async fn fundings_organisations_and_regions_answer_every_field_as_the_whole_row_does() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);

    let fundings = selections(
        &app,
        "Funding",
        &[
            ("project", "project { id }"),
            ("funder", "funder { id }"),
            ("drawnFrom", "drawnFrom { id }"),
        ],
    )
    .await;
    assert!(fundings.len() > 15, "{fundings:?}");
    let compared = compare_with_whole_rows(
        &app,
        &admin,
        "Funding",
        &fundings,
        |selection| {
            format!(
                "{{ projects(first: 30) {{ nodes {{ fundings(first: 20) {{ nodes {{ id {selection} }} }} }} }} }}"
            )
        },
        |data, field| by_id(&data["projects"]["nodes"], "fundings", field),
    )
    .await;
    assert!(compared > 100, "only {compared} funding answers compared");

    // An organisation is read as a lead, a participant and a funder.
    let organisations = selections(
        &app,
        "Organisation",
        &[
            ("nameTranslations", "nameTranslations { language text }"),
            ("country", "country { code }"),
            ("region", "region { id }"),
        ],
    )
    .await;
    assert!(organisations.len() > 10, "{organisations:?}");
    let compared = compare_with_whole_rows(
        &app,
        &admin,
        "Organisation",
        &organisations,
        |selection| {
            format!(
                "{{ projects(first: 30) {{ nodes {{ leadOrganisation {{ id {selection} }}
                    participants {{ organisation {{ id {selection} }} }}
                    fundings(first: 20) {{ nodes {{ funder {{ id {selection} }} }} }} }} }} }}"
            )
        },
        |data, field| {
            under_projects(data, field, |project| {
                let mut found = vec![&project["leadOrganisation"]];
                found.extend(list(&project["participants"]).map(|p| &p["organisation"]));
                found.extend(list(&project["fundings"]["nodes"]).map(|f| &f["funder"]));
                found
            })
        },
    )
    .await;
    assert!(
        compared > 100,
        "only {compared} organisation answers compared"
    );

    let regions = selections(
        &app,
        "Region",
        &[
            ("nameTranslations", "nameTranslations { language text }"),
            ("country", "country { code }"),
            ("parent", "parent { id }"),
        ],
    )
    .await;
    assert!(regions.len() > 8, "{regions:?}");
    let compared = compare_with_whole_rows(
        &app,
        &admin,
        "Region",
        &regions,
        |selection| {
            format!("{{ projects(first: 30) {{ nodes {{ regions {{ id {selection} }} }} }} }}")
        },
        |data, field| under_projects(data, field, |project| list(&project["regions"]).collect()),
    )
    .await;
    assert!(compared > 20, "only {compared} region answers compared");
}
