//! `participationSummary`: counts that equal the registrations behind them, hidden rows never
//! counted, and, for callers without rights to the people counted, counts perturbed by the
//! cell key method: consistent however asked, never 1 or 2, and not undone by differencing.

use std::collections::BTreeMap;

use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

const DIMENSIONS: [&str; 6] = [
    "GENDER", "AGE_BAND", "COUNTRY", "REGION", "PROJECT", "WORKSHOP",
];

/// A registration as an admin fetches it one by one, with its group keys and whether its
/// project is published (what anonymous callers may count).
struct Person {
    keys: BTreeMap<&'static str, String>,
    status: String,
    published: bool,
}

async fn everyone(app: &TestApp) -> Vec<Person> {
    let admin = app.token("ADMIN", &[], None);
    // Workshops a page of 40 at a time, each with all its registrations (at most 100).
    let mut workshops = Vec::new();
    let mut after = Value::Null;
    loop {
        let answer = app
            .gql_as(
                Some(&admin),
                r#"query($after: String) { workshops(first: 40, after: $after) {
                    pageInfo { hasNextPage endCursor } nodes { id venue { region { id } }
                    project { id published country { code } }
                    registrations(first: 100) { totalCount nodes { gender ageBand status } } } } }"#,
                json!({ "after": after }),
            )
            .await;
        assert!(answer.get("errors").is_none(), "{answer:#}");
        let page = &answer["data"]["workshops"];
        workshops.extend(page["nodes"].as_array().cloned().unwrap_or_default());
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let mut people = Vec::new();
    for w in &workshops {
        let p = &w["project"];
        let rows = w["registrations"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            w["registrations"]["totalCount"],
            rows.len(),
            "one page holds them all"
        );
        for r in &rows {
            people.push(Person {
                keys: BTreeMap::from([
                    ("GENDER", r["gender"].to_string()),
                    ("AGE_BAND", r["ageBand"].to_string()),
                    ("COUNTRY", p["country"]["code"].to_string()),
                    ("REGION", w["venue"]["region"]["id"].to_string()),
                    ("PROJECT", p["id"].to_string()),
                    ("WORKSHOP", w["id"].to_string()),
                ]),
                status: r["status"].as_str().unwrap_or_default().to_owned(),
                published: p["published"] == json!(true),
            });
        }
    }
    people
}

fn tally<'a>(
    people: impl Iterator<Item = &'a Person>,
    dims: &[&str],
) -> BTreeMap<Vec<String>, i64> {
    let mut out = BTreeMap::new();
    for person in people {
        let key = dims.iter().map(|d| person.keys[d].clone()).collect();
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

fn seated(p: &Person) -> bool {
    p.status == "REGISTERED" || p.status == "ATTENDED"
}

/// The answer as key → (count, perturbed).
async fn summary(
    app: &TestApp,
    token: Option<&str>,
    dims: &[&str],
    filter: &str,
) -> BTreeMap<Vec<String>, (i64, bool)> {
    let query = format!(
        "{{ participationSummary(groupBy: [{}], filter: {filter}) {{ gender ageBand country {{ code }}
            region {{ id }} project {{ id }} workshop {{ id }} count perturbed }} }}",
        dims.join(", ")
    );
    let answer = app.gql_as(token, &query, json!({})).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let mut out = BTreeMap::new();
    for g in answer["data"]["participationSummary"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let key = dims
            .iter()
            .map(|d| match *d {
                "GENDER" => g["gender"].to_string(),
                "AGE_BAND" => g["ageBand"].to_string(),
                "COUNTRY" => g["country"]["code"].to_string(),
                "REGION" => g["region"]["id"].to_string(),
                "PROJECT" => g["project"]["id"].to_string(),
                _ => g["workshop"]["id"].to_string(),
            })
            .collect();
        let cell = (
            g["count"].as_i64().unwrap_or(-1),
            g["perturbed"] == json!(true),
        );
        assert!(out.insert(key, cell).is_none(), "each group appears once");
    }
    out
}

#[tokio::test]
async fn counts_for_those_with_rights_equal_the_registrations_fetched_one_by_one() {
    let app = TestApp::spawn().await;
    let people = everyone(&app).await;
    assert!(people.len() > 300, "the seed's illustrative participants");
    let admin = app.token("ADMIN", &[], None);
    let sweden = app.token("COORDINATOR", &["SE"], None);
    let mut combos: Vec<Vec<&str>> = vec![vec![], DIMENSIONS.to_vec()];
    combos.extend(DIMENSIONS.iter().map(|d| vec![*d]));
    combos.push(vec!["GENDER", "AGE_BAND", "COUNTRY"]);
    for dims in &combos {
        let want: BTreeMap<_, _> = tally(people.iter().filter(|p| seated(p)), dims)
            .into_iter()
            .map(|(k, n)| (k, (n, false)))
            .collect();
        assert_eq!(
            summary(&app, Some(&admin), dims, "{}").await,
            want,
            "admin, {dims:?}"
        );
    }
    // A coordinator asking only about its own country sees exact counts, even small ones.
    let swedes = people
        .iter()
        .filter(|p| seated(p) && p.keys["COUNTRY"] == "\"SE\"");
    let want: BTreeMap<_, _> = tally(swedes, &["GENDER", "AGE_BAND"])
        .into_iter()
        .map(|(k, n)| (k, (n, false)))
        .collect();
    assert!(want.values().any(|(n, _)| *n < 5), "small cells exist");
    let got = summary(
        &app,
        Some(&sweden),
        &["GENDER", "AGE_BAND"],
        r#"{ countries: ["SE"] }"#,
    )
    .await;
    assert_eq!(got, want);
    // Statuses are a filter: the cancelled registrations are counted when asked for.
    let cancelled = people.iter().filter(|p| p.status == "CANCELLED").count() as i64;
    assert!(cancelled > 0);
    let got = summary(&app, Some(&admin), &[], r#"{ statuses: [CANCELLED] }"#).await;
    assert_eq!(got, BTreeMap::from([(vec![], (cancelled, false))]));
}

/// What the cell key method may publish for a true count.
fn plausible(real: i64, published: i64) -> bool {
    match real {
        0 => published == 0,
        1 | 2 => published == 0 || published == 3,
        _ => published >= 3 && (published - real).abs() <= 2,
    }
}

#[tokio::test]
async fn callers_without_rights_get_perturbed_counts_the_same_however_they_ask() {
    let app = TestApp::spawn().await;
    let people = everyone(&app).await;
    let viewer = app.token("VIEWER", &[], None);
    let sweden = app.token("COORDINATOR", &["SE"], None);
    let mut changed = 0;
    for (who, token) in [
        ("anonymous", None),
        ("viewer", Some(viewer.as_str())),
        ("SE coordinator", Some(sweden.as_str())),
    ] {
        for dims in [
            vec!["GENDER"],
            vec!["GENDER", "COUNTRY"],
            vec!["AGE_BAND", "COUNTRY"],
            vec!["GENDER", "AGE_BAND", "COUNTRY"],
            vec!["GENDER", "WORKSHOP"],
        ] {
            // What the caller may count: seated people of published projects (for the SE
            // coordinator, no Swedish project is a draft).
            let truth = tally(people.iter().filter(|p| seated(p) && p.published), &dims);
            let got = summary(&app, token, &dims, "{}").await;
            for (key, (count, perturbed)) in &got {
                let real = truth.get(key).copied().unwrap_or(0);
                assert!(*perturbed, "{who} {dims:?} {key:?}");
                assert!(
                    plausible(real, *count),
                    "{who} {dims:?} {key:?}: {real} published as {count}"
                );
                changed += i64::from(*count != real);
            }
            // A group perturbed to nobody is left out; every other group is there.
            for (key, real) in &truth {
                assert!(
                    got.contains_key(key) || *real <= 2,
                    "{who} {dims:?} {key:?}: {real} people missing"
                );
            }
            // The same people give the same count, whichever filter selected them.
            let countries = r#"{ countries: ["SE", "FI", "PL", "SI"] }"#;
            assert_eq!(
                summary(&app, token, &dims, countries).await,
                got,
                "{who} {dims:?}: the same cells"
            );
        }
    }
    assert!(changed > 0, "some counts were perturbed");
}

/// The attack from the issue: the total of a set of workshops with and without one more; the
/// difference used to give each of its small cells exactly.
#[tokio::test]
async fn differencing_two_totals_does_not_recover_a_workshops_small_counts() {
    let app = TestApp::spawn().await;
    let people = everyone(&app).await;
    let public: Vec<&Person> = people.iter().filter(|p| seated(p) && p.published).collect();
    let mut workshops: Vec<String> = public.iter().map(|p| p.keys["WORKSHOP"].clone()).collect();
    workshops.sort();
    workshops.dedup();
    let by_gender = |ids: &[&String]| {
        let app = &app;
        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        let filter = format!("{{ workshops: [{}] }}", ids.join(", "));
        async move { summary(app, None, &["GENDER"], &filter).await }
    };
    let (mut small, mut pairs, mut recovered) = (0, 0, 0);
    for target in &workshops {
        let truth = tally(
            public
                .iter()
                .copied()
                .filter(|p| &p.keys["WORKSHOP"] == target),
            &["GENDER"],
        );
        for (gender, real) in truth.iter().filter(|(_, n)| (1..5).contains(*n)) {
            // Each cell is attacked from three sets: every workshop but one of the next three
            // (after the target) that have people of this gender. The totals then vary from pair to
            // pair, so one lucky noise on a total shared by all cannot decide the tally.
            let of_gender: Vec<&String> = workshops
                .iter()
                .filter(|w| {
                    public
                        .iter()
                        .any(|p| &p.keys["WORKSHOP"] == *w && p.keys["GENDER"] == gender[0])
                })
                .collect();
            let at = of_gender.iter().position(|w| *w == target).unwrap_or(0);
            for step in 1..of_gender.len().min(4) {
                let left_out = of_gender[(at + step) % of_gender.len()];
                let without: Vec<&String> = workshops
                    .iter()
                    .filter(|w| *w != target && *w != left_out)
                    .collect();
                let mut with = without.clone();
                with.push(target);
                let count = |cells: BTreeMap<Vec<String>, (i64, bool)>| {
                    cells.get(gender).map_or(0, |(n, _)| *n)
                };
                let difference = count(by_gender(&with).await) - count(by_gender(&without).await);
                assert!(
                    (difference - real).abs() <= 4,
                    "the difference stays within twice the largest noise"
                );
                pairs += 1;
                recovered += i64::from(difference == *real);
            }
            small += 1;
        }
    }
    assert!(small >= 10, "the seed has small cells to attack: {small}");
    assert!(
        pairs >= 30,
        "each small cell is attacked from several sets: {pairs}"
    );
    // Two noises agree by chance for about a third of the pairs (in 60 runs: 1 to 20 of 36, mean
    // 11.5), so 80 % is far out of chance's reach; without the noise every pair gives its cell.
    assert!(
        recovered * 10 < pairs * 8,
        "{recovered} of {pairs} differences gave a small cell exactly"
    );
}

#[tokio::test]
async fn a_drafts_participants_are_never_counted_for_those_who_cannot_see_it() {
    let app = TestApp::spawn().await;
    let people = everyone(&app).await;
    let in_draft = people.iter().filter(|p| seated(p) && !p.published).count() as i64;
    assert!(in_draft > 0, "the seed's draft has registrations");
    let all = people.iter().filter(|p| seated(p)).count() as i64;
    let admin = app.token("ADMIN", &[], None);
    let poland = app.token("COORDINATOR", &["PL"], None);
    let finland = app.token("COORDINATOR", &["FI"], None);
    let total = |token: Option<String>| {
        let app = &app;
        async move {
            let got = summary(app, token.as_deref(), &[], "{}").await;
            got.get(&Vec::<String>::new()).copied()
        }
    };
    for (who, token) in [("anonymous", None), ("FI coordinator", Some(finland))] {
        let (count, perturbed) = total(token).await.unwrap_or_default();
        assert!(
            perturbed && plausible(all - in_draft, count),
            "{who}: {count} for {}",
            all - in_draft
        );
    }
    // Poland's coordinator counts its draft too; the other countries' people are perturbed.
    let (count, perturbed) = total(Some(poland)).await.unwrap_or_default();
    assert!(perturbed && plausible(all, count), "{count} for {all}");
    assert_eq!(total(Some(admin)).await, Some((all, false)));
}

#[tokio::test]
async fn bad_participation_filters_name_their_field() {
    let app = TestApp::spawn().await;
    for (filter, field) in [
        (r#"{ countries: ["Sweden"] }"#, "filter.countries"),
        (
            r#"{ dateFrom: "2024-02-01", dateTo: "2024-01-01" }"#,
            "filter.dateTo",
        ),
        (r#"{ workshops: ["UHJvamVjdDox"] }"#, "filter.workshops"),
    ] {
        let answer = app
            .gql(
                &format!(
                    "{{ participationSummary(groupBy: [GENDER], filter: {filter}) {{ count }} }}"
                ),
                json!({}),
            )
            .await;
        assert_eq!(
            code_and_field(&answer),
            ("BAD_USER_INPUT", field),
            "{filter}: {answer}"
        );
    }
}

/// What each kind of caller is told, counted both ways: from the kept counts (a coarse summary)
/// and from the registrations (the same summary with a `from` date before everything, which
/// the kept counts cannot answer).
async fn both_ways_agree(app: &TestApp, stage: &str) {
    let callers = [
        None,
        Some(app.token("VIEWER", &[], None)),
        Some(app.token("COORDINATOR", &["SE"], None)),
        Some(app.token("COORDINATOR", &["PL", "FI"], None)),
        Some(app.token("ADMIN", &[], None)),
    ];
    let dims = ["GENDER", "AGE_BAND", "COUNTRY"];
    for caller in &callers {
        for statuses in [
            "",
            "statuses: [REGISTERED, ATTENDED, WAITLISTED, CANCELLED]",
        ] {
            for grouping in [&dims[..], &dims[..1], &dims[2..], &[]] {
                let kept = summary(
                    app,
                    caller.as_deref(),
                    grouping,
                    &format!("{{ {statuses} }}"),
                )
                .await;
                let counted = summary(
                    app,
                    caller.as_deref(),
                    grouping,
                    &format!(r#"{{ dateFrom: "1900-01-01", {statuses} }}"#),
                )
                .await;
                assert_eq!(kept, counted, "{stage}: {caller:?} {grouping:?} {statuses}");
            }
        }
    }
}

async fn write(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    let answer = app.gql_as(Some(token), query, variables).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"].clone()
}

async fn admin_total(app: &TestApp) -> Option<i64> {
    let admin = app.token("ADMIN", &[], None);
    Some(summary(app, Some(&admin), &[], "{}").await[&Vec::<String>::new()].0)
}

#[tokio::test]
async fn kept_counts_follow_every_write_and_agree_with_the_registrations() {
    let app = TestApp::spawn().await;
    both_ways_agree(&app, "seeded").await;
    let before = admin_total(&app).await;
    let admin = app.token("ADMIN", &[], None);
    let sweden = app.token("COORDINATOR", &["SE"], None);
    let poland = app.token("COORDINATOR", &["PL"], None);
    let ids = write(
        &app,
        &admin,
        r#"{ a: project(code: "SE-BLEKINGE-JRT") { id }
             b: project(code: "PL-PROUD-TO-SUPPORT") { id version published } }"#,
        json!({}),
    )
    .await;
    assert_eq!(ids["b"]["published"], json!(false), "the seed's draft");

    let create = r#"mutation($input: CreateWorkshopInput!) { createWorkshop(input: $input) { workshop { id version } } }"#;
    let starts = chrono::Utc::now() + chrono::Duration::days(30);
    let workshop = |project: &serde_json::Value, zone: &str, language: &str| {
        json!({ "input": {
            "project": project, "originalLanguage": language,
            "title": [{ "language": language, "text": "Counted" }],
            "startsAt": starts.to_rfc3339(), "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339(),
            "timeZone": zone, "format": "ONLINE", "language": language,
            "capacity": 3, "openToPublic": true
        } })
    };
    let swedish = write(
        &app,
        &sweden,
        create,
        workshop(&ids["a"]["id"], "Europe/Stockholm", "sv"),
    )
    .await["createWorkshop"]["workshop"]
        .clone();
    let polish = write(
        &app,
        &poland,
        create,
        workshop(&ids["b"]["id"], "Europe/Warsaw", "pl"),
    )
    .await["createWorkshop"]["workshop"]
        .clone();

    // Registrations at once, to two projects: 3 seats each, the rest wait.
    let register = r#"mutation($input: RegisterForWorkshopInput!) { registerForWorkshop(input: $input) { registration { id status } } }"#;
    let genders = ["WOMAN", "MAN", "NON_BINARY", "UNDISCLOSED"];
    let answers = futures_util::future::join_all((0..12).map(|n| {
        let w = if n % 2 == 0 { &swedish } else { &polish };
        app.gql_as(
            Some(&admin),
            register,
            json!({ "input": {
                "workshop": w["id"], "participantName": format!("Person {n}"),
                "email": format!("p{n}@example.org"), "gender": genders[n % 4], "ageBand": "AGE_30_54",
                "consent": { "noticeVersion": "2026-11", "purposes": ["WORKSHOP_ADMINISTRATION"] }
            } }),
        )
    }))
    .await;
    let registered: Vec<(String, String)> = answers
        .iter()
        .map(|a| {
            assert!(a.get("errors").is_none(), "{a:#}");
            let r = &a["data"]["registerForWorkshop"]["registration"];
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            (text(&r["id"]), text(&r["status"]))
        })
        .collect();
    both_ways_agree(&app, "after registrations").await;
    assert_eq!(
        admin_total(&app).await,
        before.map(|n| n + 6),
        "six seats taken, six people waiting"
    );

    for (id, _) in &registered[..3] {
        write(
            &app,
            &admin,
            "mutation($id: ID!) { cancelRegistration(input: { id: $id }) { registration { status } } }",
            json!({ "id": id }),
        )
        .await;
    }
    let Some((seated, _)) = registered[3..].iter().find(|(_, s)| s == "REGISTERED") else {
        panic!("someone among the rest holds a seat: {registered:?}");
    };
    write(
        &app,
        &admin,
        "mutation($id: ID!) { markAttendance(input: { id: $id }) { registration { status } } }",
        json!({ "id": seated }),
    )
    .await;
    both_ways_agree(&app, "after cancellations and attendance").await;

    write(
        &app,
        &poland,
        "mutation($input: PublishProjectInput!) { publishProject(input: $input) { project { published } } }",
        json!({ "input": { "id": ids["b"]["id"], "published": true, "expectedVersion": ids["b"]["version"] } }),
    )
    .await;
    both_ways_agree(&app, "after publishing the draft").await;

    write(
        &app,
        &sweden,
        "mutation($id: ID!, $v: Int!) { cancelWorkshop(input: { id: $id, expectedVersion: $v }) { workshop { status } } }",
        json!({ "id": swedish["id"], "v": swedish["version"] }),
    )
    .await;
    both_ways_agree(&app, "after cancelling a workshop").await;
}
