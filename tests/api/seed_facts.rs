//! The seed programme's facts, as the source documents state them, are queryable.

use mosaic_tests::TestApp;
use serde_json::{Value, json};

async fn project(app: &TestApp, code: &str) -> Value {
    let data = app
        .data(
            r#"query($code: String!) { project(code: $code) {
                code title titleTranslations { language text original } originalLanguage
                status startDate endDate published illustrativeFields
                country { code } regions { nutsCode nutsVersion }
                participants { role organisation { name } }
                leadOrganisation { name }
                fundings { nodes { amount currency kind funder { name(lang: "en") } periodStart periodEnd } }
                workshops(first: 10) { totalCount nodes {
                    title(lang: "en") localStartsAt localEndsAt timeZone format capacity illustrativeFields
                    venue { name address town region { nutsCode } }
                    agenda { startsAt endsAt title(lang: "en") }
                } }
                milestones { title(lang: "en") }
                focusAreas { code } targetGroups { code }
            } }"#,
            json!({ "code": code }),
        )
        .await;
    assert!(!data["project"].is_null(), "project {code} exists");
    data["project"].clone()
}

fn texts<'a>(list: &'a Value, path: &[&str]) -> Vec<&'a str> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| path.iter().try_fold(item, |v, key| v.get(*key))?.as_str())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_four_countries_with_their_currencies_and_zones() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            "{ countries { code currency timeZone defaultLanguage name(lang: \"en\") } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["countries"],
        json!([
            { "code": "FI", "currency": "EUR", "timeZone": "Europe/Helsinki", "defaultLanguage": "fi", "name": "Finland" },
            { "code": "PL", "currency": "PLN", "timeZone": "Europe/Warsaw", "defaultLanguage": "pl", "name": "Poland" },
            { "code": "SE", "currency": "SEK", "timeZone": "Europe/Stockholm", "defaultLanguage": "sv", "name": "Sweden" },
            { "code": "SI", "currency": "EUR", "timeZone": "Europe/Ljubljana", "defaultLanguage": "sl", "name": "Slovenia" },
        ])
    );
}

#[tokio::test]
async fn regions_carry_nuts_2024_codes_and_kymenlaakso_its_2021_code_too() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ regions(first: 100, filter: { nutsCodes: ["SE311", "SE221", "FI1C7", "FI1C4", "FI1C5", "PL213", "SI041"] }) {
                totalCount nodes { nutsCode nutsVersion level name parent { nutsCode } country { code } }
            } }"#,
            json!({}),
        )
        .await;
    let nodes = &data["regions"]["nodes"];
    let find = |code: &str| {
        nodes
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["nutsCode"] == code)
            .cloned()
    };
    assert_eq!(data["regions"]["totalCount"], 7);
    let varmland = find("SE311").expect("Värmland");
    assert_eq!(varmland["name"], "Värmlands län");
    assert_eq!(varmland["level"], 3);
    assert_eq!(varmland["parent"]["nutsCode"], "SE31");
    assert_eq!(find("SE221").expect("Blekinge")["name"], "Blekinge län");
    let kymenlaakso_2024 = find("FI1C7").expect("Kymenlaakso 2024");
    let kymenlaakso_2021 = find("FI1C4").expect("Kymenlaakso 2021");
    assert_eq!(kymenlaakso_2024["nutsVersion"], 2024);
    assert_eq!(kymenlaakso_2021["nutsVersion"], 2021);
    assert_eq!(kymenlaakso_2024["name"], kymenlaakso_2021["name"]);
    assert_eq!(
        find("FI1C5").expect("Etelä-Karjala")["name"],
        "Etelä-Karjala"
    );
    let krakow = find("PL213").expect("Kraków");
    assert_eq!(krakow["name"], "Miasto Kraków");
    assert_eq!(krakow["parent"]["nutsCode"], "PL21");
    assert_eq!(
        find("SI041").expect("Osrednjeslovenska")["country"]["code"],
        "SI"
    );
}

#[tokio::test]
async fn the_organisations_the_documents_name() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            "{ organisations(first: 100) { totalCount nodes { name kind country { code } } } }",
            json!({}),
        )
        .await;
    let names = texts(&data["organisations"]["nodes"], &["name"]);
    for name in [
        "Tillväxtverket",
        "Region Värmland",
        "Region Blekinge",
        "Kaakkois-Suomen ELY-keskus",
        "Työterveyslaitos",
        "Diversity Hub",
        "Proud to Support",
        "Konsulat Generalny USA w Krakowie",
        "URBACT",
    ] {
        assert!(names.contains(&name), "{name} is among {names:?}");
    }
}

#[tokio::test]
async fn the_varmland_resource_centre_with_its_five_action_areas() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ resourceCentres { totalCount nodes {
                name(lang: "sv") actionAreas { code } region { nutsCode } hostOrganisation { name }
            } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["resourceCentres"]["totalCount"], 1);
    assert_eq!(
        data["resourceCentres"]["nodes"][0],
        json!({
            "name": "Regionalt resurscentrum för jämställd tillväxt",
            "actionAreas": [
                { "code": "ENTREPRENEURSHIP_AND_INNOVATIVE_ENVIRONMENTS" },
                { "code": "SKILLS_SUPPLY_AND_LABOUR_SUPPLY" },
                { "code": "ACCESSIBILITY" },
                { "code": "STRATEGIC_CROSS_BORDER_COOPERATION" },
                { "code": "RURAL_DEVELOPMENT" }
            ],
            "region": { "nutsCode": "SE311" },
            "hostOrganisation": { "name": "Region Värmland" }
        })
    );
}

#[tokio::test]
async fn the_finnish_project_has_149_500_eur_from_tyoterveyslaitos() {
    let app = TestApp::spawn().await;
    let p = project(&app, "FI-ELY-MONIMUOTOISUUS").await;
    assert_eq!(p["title"], "Työelämän monimuotoisuudella tuloksiin");
    assert_eq!(p["originalLanguage"], "fi");
    assert_eq!(p["startDate"], "2021-08-01");
    assert_eq!(p["endDate"], "2022-12-31");
    assert_eq!(p["leadOrganisation"]["name"], "Kaakkois-Suomen ELY-keskus");
    assert_eq!(
        p["fundings"]["nodes"],
        json!([{
            "amount": "149500.00", "currency": "EUR", "kind": "GRANT",
            "funder": { "name": "Finnish Institute of Occupational Health" },
            "periodStart": "2021-08-01", "periodEnd": "2022-12-31"
        }])
    );
    assert_eq!(texts(&p["regions"], &["nutsCode"]), ["FI1C5", "FI1C7"]);
    // Trainings, webinars and networking events.
    let formats = texts(&p["workshops"]["nodes"], &["format"]);
    assert_eq!(p["workshops"]["totalCount"], 3);
    assert!(formats.contains(&"ONLINE") && formats.contains(&"IN_PERSON"));
    let translations = &p["titleTranslations"];
    assert_eq!(
        translations[0],
        json!({ "language": "fi", "text": "Työelämän monimuotoisuudella tuloksiin", "original": true })
    );
    assert!(texts(translations, &["language"]).contains(&"en"));
}

#[tokio::test]
async fn blekinge_has_5_2_msek_from_tillvaxtverket_and_the_ronneby_workshop() {
    let app = TestApp::spawn().await;
    let p = project(&app, "SE-BLEKINGE-JRT").await;
    assert_eq!(p["title"], "Jämställd regional tillväxt Blekinge");
    assert_eq!(
        (p["startDate"].as_str(), p["endDate"].as_str()),
        (Some("2016-01-01"), Some("2018-12-31"))
    );
    assert_eq!(p["fundings"]["nodes"][0]["amount"], "5200000.00");
    assert_eq!(p["fundings"]["nodes"][0]["currency"], "SEK");
    assert_eq!(
        p["fundings"]["nodes"][0]["funder"]["name"],
        "Swedish Agency for Economic and Regional Growth"
    );
    assert_eq!(
        p["focusAreas"],
        json!([
            { "code": "NORM_FREE_STUDY_AND_CAREER_CHOICE" },
            { "code": "STRATEGIC_SKILLS_SUPPLY" },
            { "code": "SYSTEMATIC_MANAGEMENT" }
        ])
    );
    let workshop = &p["workshops"]["nodes"][0];
    assert_eq!(
        workshop["venue"],
        json!({ "name": "Kunskapskällan", "address": "Softcenter etapp 8", "town": "Ronneby", "region": { "nutsCode": "SE221" } })
    );
    assert_eq!(workshop["timeZone"], "Europe/Stockholm");
    assert!(
        workshop["localStartsAt"]
            .as_str()
            .unwrap_or_default()
            .contains("T08:30:00.000+01:00")
    );
    assert!(
        workshop["localEndsAt"]
            .as_str()
            .unwrap_or_default()
            .contains("T12:00:00.000+01:00")
    );
    assert_eq!(
        workshop["agenda"],
        json!([
            { "startsAt": "08:30:00", "endsAt": "09:00:00", "title": "Coffee and sandwiches" },
            { "startsAt": "09:00:00", "endsAt": "12:00:00", "title": "Workshop" }
        ])
    );
    // The document gives no date: the seed says so.
    assert!(
        workshop["illustrativeFields"]
            .as_array()
            .is_some_and(|f| f.contains(&json!("startsAt")))
    );
}

#[tokio::test]
async fn the_diversity_hub_academy_sessions_and_their_topics() {
    let app = TestApp::spawn().await;
    let p = project(&app, "PL-DH-GRASSROOTS").await;
    assert_eq!(p["leadOrganisation"]["name"], "Diversity Hub");
    let funders: Vec<&str> = p["participants"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|part| part["role"] == "FUNDER")
        .filter_map(|part| part["organisation"]["name"].as_str())
        .collect();
    assert_eq!(funders, ["Konsulat Generalny USA w Krakowie"]);
    let titles = texts(&p["workshops"]["nodes"], &["title"]);
    assert_eq!(
        titles,
        [
            "Grassroots academy: finding an internal sponsor",
            "Grassroots academy: building a business case",
            "Grassroots academy: co-designing with target groups",
            "Grassroots academy: building impact and sustainability",
            "Grassroots academy: measuring social impact",
        ]
    );
    let milestones = texts(&p["milestones"], &["title"]).join(" | ");
    assert!(milestones.contains("D&I Changemakers conference in Kraków"));
    assert!(milestones.contains("at least 12 entries, 3 categories"));
}

#[tokio::test]
async fn techdiversity_is_a_network_with_a_slovenian_city_project() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ project(code: "URBACT-TECHDIVERSITY") {
                startDate endDate targetGroups { code }
                subProjects { nodes { code regions { nutsCode } focusAreas { code } parent { code } } }
            } }"#,
            json!({}),
        )
        .await;
    let network = &data["project"];
    assert_eq!(
        (network["startDate"].as_str(), network["endDate"].as_str()),
        (Some("2023-07-01"), Some("2025-12-31"))
    );
    assert_eq!(
        network["targetGroups"],
        json!([
            { "code": "MINORITIES" },
            { "code": "PERSONS_WITH_DISABILITIES" },
            { "code": "WOMEN" },
            { "code": "YOUNG_RESEARCHERS" }
        ])
    );
    let city = &network["subProjects"]["nodes"][0];
    assert_eq!(city["code"], "URBACT-TECHDIVERSITY-SI");
    assert_eq!(city["parent"]["code"], "URBACT-TECHDIVERSITY");
    assert_eq!(city["regions"], json!([{ "nutsCode": "SI041" }]));
    assert_eq!(city["focusAreas"].as_array().map(Vec::len), Some(8));
}
