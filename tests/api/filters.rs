//! List filters: countries, status, regions, organisations, dates and text search.

use mosaic_tests::{TestApp, first_code};
use serde_json::{Value, json};

async fn project_codes(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .data(
            "query($filter: ProjectFilter) { projects(first: 100, filter: $filter) { totalCount nodes { code } } }",
            json!({ "filter": filter }),
        )
        .await;
    let codes: Vec<String> = data["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["code"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        data["projects"]["totalCount"],
        codes.len(),
        "totalCount agrees with the rows"
    );
    codes
}

#[tokio::test]
async fn projects_filter_by_country_status_region_and_date() {
    let app = TestApp::spawn().await;
    assert_eq!(
        project_codes(&app, json!({ "countries": ["fi"] })).await,
        ["FI-ELY-MONIMUOTOISUUS"]
    );
    assert_eq!(
        project_codes(&app, json!({ "nutsCodes": ["SE"] })).await,
        [
            "SE-BLEKINGE-JRT",
            "SE-BLEKINGE-JRT-NSY",
            "SE-BLEKINGE-JRT-SKF",
            "SE-BLEKINGE-JRT-SL",
            "SE-TVV-JRT-2016",
            "SE-VARMLAND-RRC"
        ]
    );
    assert_eq!(
        project_codes(&app, json!({ "nutsCodes": ["SE31"] })).await,
        ["SE-VARMLAND-RRC"]
    );
    // Every seeded project has ended: none claims to be running (PL-DH-GRASSROOTS did, until
    // its end in 2024 was noticed).
    assert_eq!(
        project_codes(&app, json!({ "statuses": ["ACTIVE", "PLANNED"] })).await,
        Vec::<String>::new()
    );
    assert_eq!(
        project_codes(
            &app,
            json!({ "statuses": ["COMPLETED"], "countries": ["PL"] })
        )
        .await,
        ["PL-DH-GRASSROOTS"]
    );
    assert_eq!(
        project_codes(
            &app,
            json!({ "activeFrom": "2022-01-01", "activeTo": "2022-06-30" })
        )
        .await,
        ["FI-ELY-MONIMUOTOISUUS"]
    );
    assert_eq!(
        project_codes(&app, json!({ "focusAreas": ["ACCESSIBLE_HIRING"] })).await,
        ["URBACT-TECHDIVERSITY-SI"]
    );
    assert_eq!(
        project_codes(
            &app,
            json!({ "targetGroups": ["YOUNG_RESEARCHERS"], "countries": ["SI"] })
        )
        .await,
        ["URBACT-TECHDIVERSITY", "URBACT-TECHDIVERSITY-SI"]
    );
}

#[tokio::test]
async fn text_search_matches_titles_in_any_language_and_codes() {
    let app = TestApp::spawn().await;
    assert_eq!(
        project_codes(&app, json!({ "search": "grassroot" })).await,
        ["PL-DH-GRASSROOTS"]
    );
    // The English translation of a Finnish title.
    assert_eq!(
        project_codes(&app, json!({ "search": "working life" })).await,
        ["FI-ELY-MONIMUOTOISUUS"]
    );
    assert_eq!(
        project_codes(&app, json!({ "search": "Blekinge" })).await,
        [
            "SE-BLEKINGE-JRT",
            "SE-BLEKINGE-JRT-NSY",
            "SE-BLEKINGE-JRT-SKF",
            "SE-BLEKINGE-JRT-SL"
        ]
    );
    // LIKE wildcards in the term are matched literally.
    assert!(
        project_codes(&app, json!({ "search": "%" }))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn filtering_by_a_funder_finds_the_projects_it_takes_part_in() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ organisations(filter: { search: "Tillväxtverket" }) { nodes { id name } } }"#,
            json!({}),
        )
        .await;
    let id = data["organisations"]["nodes"][0]["id"].clone();
    assert_eq!(
        project_codes(&app, json!({ "organisations": [id] })).await,
        ["SE-BLEKINGE-JRT", "SE-TVV-JRT-2016", "SE-VARMLAND-RRC"]
    );
}

#[tokio::test]
async fn bad_filter_values_are_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    for (filter, field) in [
        (json!({ "countries": ["Finland"] }), "filter.countries"),
        (json!({ "regions": ["not-an-id"] }), "filter.regions"),
        (json!({ "nutsCodes": ["S"] }), "filter.nutsCodes"),
        (
            json!({ "activeFrom": "2022-01-01", "activeTo": "2021-01-01" }),
            "filter.activeTo",
        ),
        (json!({ "search": "x".repeat(201) }), "filter.search"),
    ] {
        let answer = app
            .gql(
                "query($f: ProjectFilter) { projects(filter: $f) { totalCount } }",
                json!({ "f": filter }),
            )
            .await;
        assert_eq!(first_code(&answer), "BAD_USER_INPUT", "{filter}");
        assert_eq!(
            answer["errors"][0]["extensions"]["field"], field,
            "{filter}"
        );
    }
}

#[tokio::test]
async fn workshops_filter_by_time_format_and_project() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ online: workshops(filter: { formats: [ONLINE] }) { totalCount nodes { title(lang: "en") } }
                 in2022: workshops(filter: { startsFrom: "2022-01-01T00:00:00Z", startsTo: "2023-01-01T00:00:00Z" }) { totalCount }
                 ronneby: workshops(filter: { search: "ronneby" }) { nodes { venue { name } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["online"]["totalCount"], 1);
    assert_eq!(
        data["online"]["nodes"][0]["title"],
        "Webinar: what diversity brings to a workplace"
    );
    assert_eq!(data["in2022"]["totalCount"], 3);
    assert_eq!(
        data["ronneby"]["nodes"],
        json!([{ "venue": { "name": "Kunskapskällan" } }])
    );
}

#[tokio::test]
async fn search_matches_words_in_every_language_whatever_the_case_and_accents() {
    let app = TestApp::spawn().await;
    // Swedish: the same organisation however it is typed, and by a word's beginning.
    for term in [
        "Tillväxtverket",
        "TILLVÄXTVERKET",
        "tillvaxtverket",
        "tillväxt",
    ] {
        let data = app
            .data(
                "query($q: String) { organisations(filter: { search: $q }) { nodes { name(lang: \"sv\") } } }",
                json!({ "q": term }),
            )
            .await;
        assert_eq!(
            data["organisations"]["nodes"],
            json!([{ "name": "Tillväxtverket" }]),
            "{term}"
        );
    }
    // Finnish: Ä and Ö in upper and lower case, and a hyphenated name's parts.
    for term in ["TYÖELÄMÄN", "työelämän", "tyoelaman monimuotoisuudella"] {
        assert_eq!(
            project_codes(&app, json!({ "search": term })).await,
            ["FI-ELY-MONIMUOTOISUUS"],
            "{term}"
        );
    }
    // Polish: Ł has no decomposition of its own and is folded to l.
    for term in ["MAŁOPOLSKIE", "małopolskie", "malopolskie"] {
        let data = app
            .data(
                "query($q: String) { regions(filter: { search: $q }) { nodes { nutsCode } } }",
                json!({ "q": term }),
            )
            .await;
        assert_eq!(
            data["regions"]["nodes"].as_array().map(Vec::len),
            Some(1),
            "{term}"
        );
    }
    // Slovenian: Č, Š and Ž.
    for term in ["NAČRT", "načrt", "nacrt"] {
        assert_eq!(
            project_codes(&app, json!({ "search": term })).await,
            ["URBACT-TECHDIVERSITY", "URBACT-TECHDIVERSITY-SI"],
            "{term}"
        );
    }
    // Only words count: JSON syntax and punctuation match nothing, not everything.
    for term in ["\"", "{", ":", "\"}"] {
        let found = project_codes(&app, json!({ "search": term })).await;
        assert!(found.is_empty(), "{term} matched {found:?}");
    }
}

#[tokio::test]
async fn vocabularies_are_translated_terms_admins_extend_without_a_schema_change() {
    let app = TestApp::spawn().await;
    // Every term has its label in the programme's languages; Accept-Language picks one.
    let terms = app
        .gql_with(
            r#"{ focus: terms(vocabulary: FOCUS_AREA) { code label labelTranslations { language } }
                 areas: terms(vocabulary: ACTION_AREA) { code label(lang: "sv") } }"#,
            json!({}),
            &[("Accept-Language", "pl")],
        )
        .await;
    let focus = terms["data"]["focus"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(focus.len() >= 20, "{terms}");
    for term in &focus {
        let languages: Vec<&str> = term["labelTranslations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["language"].as_str())
            .collect();
        for language in ["en", "sv", "fi", "pl", "sl"] {
            assert!(languages.contains(&language), "{term}");
        }
    }
    let mainstreaming = focus.iter().find(|t| t["code"] == "GENDER_MAINSTREAMING");
    assert!(
        mainstreaming.is_some_and(|t| t["label"] != "GENDER_MAINSTREAMING"),
        "{terms}"
    );
    assert_eq!(terms["data"]["areas"].as_array().map(Vec::len), Some(5));
    assert!(
        terms["data"]["areas"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| t["label"] == "Landsbygdsutveckling"),
        "{terms}"
    );

    // A code that is no term is refused on its field; admins add the term, then it is used.
    let se = app.token("COORDINATOR", &["SE"], None);
    let admin = app.token("ADMIN", &[], None);
    let (id, version) = app.project_ref("SE-BLEKINGE-JRT").await;
    const UPDATE: &str = "mutation($i: UpdateProjectInput!) {
        updateProject(input: $i) { project { version focusAreas { code label(lang: \"fi\") } } } }";
    let unknown = app
        .gql_as(
            Some(&se),
            UPDATE,
            json!({ "i": { "id": id, "expectedVersion": version, "focusAreas": ["CARE_WORK"] } }),
        )
        .await;
    assert_eq!(
        mosaic_tests::code_and_field(&unknown),
        ("BAD_USER_INPUT", "input.focusAreas"),
        "{unknown}"
    );
    const CREATE: &str =
        "mutation($i: CreateTermInput!) { createTerm(input: $i) { term { code label version } } }";
    let term = json!({ "i": { "vocabulary": "FOCUS_AREA", "code": "care_work", "originalLanguage": "en",
        "label": [{ "language": "en", "text": "Care work" }, { "language": "fi", "text": "Hoivatyö" }] } });
    let refused = app.gql_as(Some(&se), CREATE, term.clone()).await;
    assert_eq!(mosaic_tests::first_code(&refused), "FORBIDDEN", "{refused}");
    let created = app.gql_as(Some(&admin), CREATE, term.clone()).await;
    assert_eq!(
        created["data"]["createTerm"]["term"],
        json!({ "code": "CARE_WORK", "label": "Care work", "version": 1 }),
        "{created}"
    );
    let twice = app.gql_as(Some(&admin), CREATE, term).await;
    assert_eq!(
        mosaic_tests::code_and_field(&twice),
        ("BAD_USER_INPUT", "input.code"),
        "{twice}"
    );
    let used = app
        .gql_as(
            Some(&se),
            UPDATE,
            json!({ "i": { "id": id, "expectedVersion": version, "focusAreas": ["CARE_WORK"] } }),
        )
        .await;
    assert_eq!(
        used["data"]["updateProject"]["project"]["focusAreas"],
        json!([{ "code": "CARE_WORK", "label": "Hoivatyö" }]),
        "{used}"
    );
    let relabelled = app
        .gql_as(
            Some(&admin),
            "mutation($i: UpdateTermInput!) { updateTerm(input: $i) { term { label(lang: \"sv\") version } } }",
            json!({ "i": { "vocabulary": "FOCUS_AREA", "code": "CARE_WORK", "expectedVersion": 1,
                "label": [{ "language": "en", "text": "Care work" }, { "language": "sv", "text": "Omsorgsarbete" }] } }),
        )
        .await;
    assert_eq!(
        relabelled["data"]["updateTerm"]["term"],
        json!({ "label": "Omsorgsarbete", "version": 2 }),
        "{relabelled}"
    );
}
