//! Workshops and registrations: validated writes, and seats never oversold however many people
//! register at once.

use chrono::{Duration, Utc};
use entity::{audit_event, registration, workshop};
use mosaic_tests::{TestApp, first_code};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const CREATE: &str = r#"mutation($input: CreateWorkshopInput!) {
    createWorkshop(input: $input) { workshop { id version capacity seatsTaken waitlistCount status openToPublic localStartsAt } }
}"#;
const CANCEL: &str =
    "mutation($id: ID!) { cancelRegistration(input: { id: $id }) { registration { status } } }";
pub(crate) const REGISTER: &str = r#"mutation($input: RegisterForWorkshopInput!) {
    registerForWorkshop(input: $input) { registration { id status registeredAt } }
}"#;

async fn project_id(app: &TestApp, code: &str) -> Value {
    let data = app
        .data(
            "query($c: String!) { project(code: $c) { id } }",
            json!({ "c": code }),
        )
        .await;
    data["project"]["id"].clone()
}

fn workshop_input(project: &Value, capacity: i64, open: bool) -> Value {
    let starts = Utc::now() + Duration::days(30);
    json!({
        "project": project, "originalLanguage": "sv",
        "title": [{ "language": "sv", "text": "Uppföljningsworkshop" }, { "language": "en", "text": "Follow-up workshop" }],
        "startsAt": starts.to_rfc3339(), "endsAt": (starts + Duration::hours(3)).to_rfc3339(),
        "timeZone": "Europe/Stockholm", "format": "IN_PERSON", "language": "sv",
        "capacity": capacity, "openToPublic": open,
        "venue": { "name": "Kunskapskällan", "town": "Ronneby" }
    })
}

pub(crate) async fn create_workshop(
    app: &TestApp,
    token: &str,
    capacity: i64,
    open: bool,
) -> Value {
    let project = project_id(app, "SE-BLEKINGE-JRT").await;
    let answer = app
        .gql_as(
            Some(token),
            CREATE,
            json!({ "input": workshop_input(&project, capacity, open) }),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"]["createWorkshop"]["workshop"].clone()
}

pub(crate) fn person(workshop: &Value, n: usize) -> Value {
    json!({ "input": {
        "workshop": workshop["id"], "participantName": format!("Person {n}"),
        "email": format!("person{n}@example.se"), "gender": "WOMAN", "ageBand": "AGE_30_54",
        "consent": { "noticeVersion": "2026-11", "purposes": ["WORKSHOP_ADMINISTRATION"] }
    } })
}

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    (
        workshop::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        registration::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        audit_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
    )
}

#[tokio::test]
async fn fifty_people_at_once_for_ten_seats_make_ten_registered_and_forty_waitlisted() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, 10, true).await;
    assert_eq!(
        workshop["localStartsAt"]
            .as_str()
            .map(|s| s.ends_with("+01:00") || s.ends_with("+02:00")),
        Some(true)
    );

    let answers =
        futures_util::future::join_all((0..50).map(|n| app.gql(REGISTER, person(&workshop, n))))
            .await;
    let mut registered = Vec::new();
    let mut waitlisted = Vec::new();
    for answer in &answers {
        assert!(answer.get("errors").is_none(), "{answer}");
        let r = &answer["data"]["registerForWorkshop"]["registration"];
        let at = r["registeredAt"].as_str().unwrap_or_default().to_owned();
        match r["status"].as_str() {
            Some("REGISTERED") => registered.push(at),
            Some("WAITLISTED") => waitlisted.push(at),
            other => panic!("unexpected status {other:?}"),
        }
    }
    assert_eq!((registered.len(), waitlisted.len()), (10, 40));
    // Arrival order: everyone who got a seat came before everyone who waits.
    let last_seat = registered
        .iter()
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).expect("time"))
        .max();
    let first_wait = waitlisted
        .iter()
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).expect("time"))
        .min();
    assert!(last_seat <= first_wait);

    let seen = app
        .gql_as(
            Some(&coordinator),
            "query($id: ID!) { node(id: $id) { ... on Workshop { seatsTaken waitlistCount registrations(first: 100) { nodes { status } } } } }",
            json!({ "id": workshop["id"] }),
        )
        .await;
    assert_eq!(seen["data"]["node"]["seatsTaken"], 10);
    assert_eq!(seen["data"]["node"]["waitlistCount"], 40);
    assert_eq!(
        seen["data"]["node"]["registrations"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(50)
    );
    // Anonymous callers see the counts (perturbed, at most 2 off), never the people.
    let public = app
        .data("query($id: ID!) { node(id: $id) { ... on Workshop { seatsTaken registrations { nodes { email } } } } }", json!({ "id": workshop["id"] }))
        .await;
    let seats = public["node"]["seatsTaken"].as_i64().unwrap_or_default();
    assert!((8..=12).contains(&seats), "{public}");
    assert_eq!(public["node"]["registrations"]["nodes"], json!([]));
}

#[tokio::test]
async fn cancelling_a_seat_promotes_the_longest_waiting_person() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, 2, true).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let answer = app.gql(REGISTER, person(&workshop, n)).await;
        ids.push(answer["data"]["registerForWorkshop"]["registration"].clone());
    }
    let statuses: Vec<&str> = ids.iter().filter_map(|r| r["status"].as_str()).collect();
    assert_eq!(
        statuses,
        ["REGISTERED", "REGISTERED", "WAITLISTED", "WAITLISTED"]
    );

    let anonymous = app.gql(CANCEL, json!({ "id": ids[0]["id"] })).await;
    assert_eq!(first_code(&anonymous), "UNAUTHENTICATED");
    let done = app
        .gql_as(Some(&coordinator), CANCEL, json!({ "id": ids[0]["id"] }))
        .await;
    assert_eq!(
        done["data"]["cancelRegistration"]["registration"]["status"],
        "CANCELLED"
    );
    let list = app
        .gql_as(
            Some(&coordinator),
            "query($id: ID!) { node(id: $id) { ... on Workshop { seatsTaken waitlistCount registrations { nodes { participantName status } } } } }",
            json!({ "id": workshop["id"] }),
        )
        .await;
    assert_eq!(
        list["data"]["node"],
        json!({ "seatsTaken": 2, "waitlistCount": 1, "registrations": { "nodes": [
            { "participantName": "Person 0", "status": "CANCELLED" },
            { "participantName": "Person 1", "status": "REGISTERED" },
            { "participantName": "Person 2", "status": "REGISTERED" },
            { "participantName": "Person 3", "status": "WAITLISTED" },
        ] } })
    );
    let attend = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!) { markAttendance(input: { id: $id }) { registration { status } } }",
            json!({ "id": ids[1]["id"] }),
        )
        .await;
    assert_eq!(
        attend["data"]["markAttendance"]["registration"]["status"],
        "ATTENDED"
    );
}

/// Sets the workshop's capacity, as its coordinator, at the version it has now.
async fn set_capacity(app: &TestApp, token: &str, workshop: &Value, capacity: i64) {
    let now = app
        .gql_as(
            Some(token),
            "query($id: ID!) { node(id: $id) { ... on Workshop { version } } }",
            json!({ "id": workshop["id"] }),
        )
        .await;
    let answer = app
        .gql_as(
            Some(token),
            "mutation($input: UpdateWorkshopInput!) { updateWorkshop(input: $input) { workshop { capacity } } }",
            json!({ "input": {
                "id": workshop["id"], "expectedVersion": now["data"]["node"]["version"],
                "capacity": capacity
            } }),
        )
        .await;
    assert_eq!(
        answer["data"]["updateWorkshop"]["workshop"]["capacity"], capacity,
        "{answer}"
    );
}

/// Cancelling a cancelled registration answers it as it is, and its workshop's subscribers
/// hear nothing: the write changed nothing, so it is rolled back rather than announced.
#[tokio::test]
async fn cancelling_again_changes_nothing_and_nobody_hears_of_it() {
    use mosaic_tests::Heard;
    use std::time::Duration as Wait;

    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, 10, true).await;
    let registered = app.gql(REGISTER, person(&workshop, 0)).await;
    let id = registered["data"]["registerForWorkshop"]["registration"]["id"].clone();
    let cancel = async || {
        let answer = app
            .gql_as(Some(&coordinator), CANCEL, json!({ "id": id }))
            .await;
        let status = &answer["data"]["cancelRegistration"]["registration"]["status"];
        assert_eq!(status, "CANCELLED", "{answer}");
    };
    cancel().await;
    // An anonymous read the server keeps (on PostgreSQL, once its listener is up) stays kept:
    // no instance is told of a change.
    let read = async || {
        let before = app.statements().await;
        app.get("/graphql?query=%7Bcountries%7Bcode%7D%7D").await;
        app.statements().await - before
    };
    let mut warm = false;
    for _ in 0..200 {
        if read().await == 0 {
            warm = true;
            break;
        }
        tokio::time::sleep(Wait::from_millis(25)).await;
    }
    assert!(warm, "the anonymous read is kept");
    cancel().await;
    assert_eq!(
        read().await,
        0,
        "the kept read outlives the repeated cancellation"
    );

    let mut socket = app
        .socket(json!({ "Authorization": format!("Bearer {coordinator}") }))
        .await;
    socket
        .send(json!({ "id": "s", "type": "subscribe", "payload": {
            "query": "subscription($w: [ID!]) { workshopEvents(filter: { workshops: $w }) { kind } }",
            "variables": { "w": [workshop["id"]] }
        } }))
        .await;
    // The subscription is live once it hears a change; then it is left to go quiet.
    let mut capacity = 10;
    let mut live = false;
    for _ in 0..20 {
        capacity += 1;
        set_capacity(&app, &coordinator, &workshop, capacity).await;
        if let Ok(Heard::Message(_)) =
            tokio::time::timeout(Wait::from_millis(500), socket.next()).await
        {
            live = true;
            break;
        }
    }
    assert!(live, "the subscription heard a change of capacity");
    while tokio::time::timeout(Wait::from_millis(500), socket.next())
        .await
        .is_ok()
    {}

    cancel().await;
    set_capacity(&app, &coordinator, &workshop, capacity + 1).await;
    assert!(read().await > 0, "a real change retires the kept read");
    let Heard::Message(next) = socket.next().await else {
        panic!("the socket closed");
    };
    assert_eq!(
        next["payload"]["data"]["workshopEvents"]["kind"], "UPDATED",
        "the repeated cancellation was not announced: {next}"
    );
}

#[tokio::test]
async fn registration_is_refused_when_closed_cancelled_or_not_public() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let members_only = create_workshop(&app, &coordinator, 10, false).await;
    let anonymous = app.gql(REGISTER, person(&members_only, 1)).await;
    assert_eq!(first_code(&anonymous), "UNAUTHENTICATED");
    let viewer = app.token("VIEWER", &[], None);
    let signed_in = app
        .gql_as(Some(&viewer), REGISTER, person(&members_only, 1))
        .await;
    assert_eq!(
        signed_in["data"]["registerForWorkshop"]["registration"]["status"],
        "REGISTERED"
    );

    let cancelled = create_workshop(&app, &coordinator, 10, true).await;
    let cancel = app
        .gql_as(
            Some(&coordinator),
            "mutation($id: ID!, $v: Int!) { cancelWorkshop(input: { id: $id, expectedVersion: $v }) { workshop { status version } } }",
            json!({ "id": cancelled["id"], "v": cancelled["version"] }),
        )
        .await;
    assert_eq!(
        cancel["data"]["cancelWorkshop"]["workshop"],
        json!({ "status": "CANCELLED", "version": 2 })
    );
    let late = app.gql(REGISTER, person(&cancelled, 2)).await;
    // Anonymous callers no longer see a cancelled workshop at all.
    assert_eq!(first_code(&late), "NOT_FOUND");
    let late = app
        .gql_as(Some(&coordinator), REGISTER, person(&cancelled, 2))
        .await;
    assert_eq!(
        (
            first_code(&late),
            late["errors"][0]["extensions"]["field"].as_str()
        ),
        ("BAD_USER_INPUT", Some("input.workshop"))
    );

    // The seed's Ronneby workshop was in 2017: registration closed long ago.
    let past = app
        .data(
            r#"{ workshops(filter: { search: "Ronneby" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let old = json!({ "id": past["workshops"]["nodes"][0]["id"] });
    let answer = app
        .gql_as(Some(&coordinator), REGISTER, person(&old, 3))
        .await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
}

#[tokio::test]
async fn invalid_workshop_and_registration_input_is_refused_with_its_field_and_nothing_is_written()
{
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, 5, true).await;
    let project = project_id(&app, "SE-BLEKINGE-JRT").await;
    let before = counts(&app).await;
    let with = |key: &str, value: Value| {
        let mut input = workshop_input(&project, 5, true);
        input[key] = value;
        input
    };
    let starts = Utc::now() + Duration::days(30);
    for (input, field) in [
        (
            with("endsAt", json!((starts - Duration::hours(1)).to_rfc3339())),
            "input.endsAt",
        ),
        (with("capacity", json!(-1)), "input.capacity"),
        (with("timeZone", json!("Europe/Atlantis")), "input.timeZone"),
        (with("language", json!("!!")), "input.language"),
        (
            with(
                "registrationDeadline",
                json!((starts + Duration::days(1)).to_rfc3339()),
            ),
            "input.registrationDeadline",
        ),
        (
            with(
                "title",
                json!([{ "language": "sv", "text": "x".repeat(301) }]),
            ),
            "input.title",
        ),
        (
            with("project", json!("UHJvamVjdDpub3BlCg")),
            "input.project",
        ),
    ] {
        let answer = app
            .gql_as(Some(&coordinator), CREATE, json!({ "input": input }))
            .await;
        assert_eq!(first_code(&answer), "BAD_USER_INPUT", "{answer}");
        assert_eq!(
            answer["errors"][0]["extensions"]["field"], field,
            "{answer}"
        );
    }
    for (key, value, field) in [
        ("email", json!("not-an-email"), "input.email"),
        ("participantName", json!(" "), "input.participantName"),
        (
            "participantName",
            json!("x".repeat(201)),
            "input.participantName",
        ),
        ("workshop", json!("garbage"), "input.workshop"),
    ] {
        let mut input = person(&workshop, 9);
        input["input"][key] = value;
        let answer = app.gql(REGISTER, input).await;
        assert_eq!(first_code(&answer), "BAD_USER_INPUT", "{answer}");
        assert_eq!(
            answer["errors"][0]["extensions"]["field"], field,
            "{answer}"
        );
    }
    assert_eq!(
        counts(&app).await,
        before,
        "no workshop, registration or audit row was written"
    );
}

#[tokio::test]
async fn workshop_updates_are_versioned_audited_and_scoped() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, 5, true).await;
    let (_, _, audit_before) = counts(&app).await;
    let update = "mutation($input: UpdateWorkshopInput!) { updateWorkshop(input: $input) { workshop { capacity version } } }";
    let ok = app
        .gql_as(
            Some(&coordinator),
            update,
            json!({ "input": { "id": workshop["id"], "expectedVersion": 1, "capacity": 8 } }),
        )
        .await;
    assert_eq!(
        ok["data"]["updateWorkshop"]["workshop"],
        json!({ "capacity": 8, "version": 2 })
    );
    let stale = app
        .gql_as(
            Some(&coordinator),
            update,
            json!({ "input": { "id": workshop["id"], "expectedVersion": 1, "capacity": 9 } }),
        )
        .await;
    assert_eq!(first_code(&stale), "CONFLICT");
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 2);
    let finnish = app.token("COORDINATOR", &["FI"], None);
    let foreign = app
        .gql_as(
            Some(&finnish),
            update,
            json!({ "input": { "id": workshop["id"], "expectedVersion": 2, "capacity": 1 } }),
        )
        .await;
    assert_eq!(first_code(&foreign), "FORBIDDEN");
    let (_, _, audit_after) = counts(&app).await;
    assert_eq!(
        audit_after,
        audit_before + 1,
        "one audit row for the one write that happened"
    );
}

#[tokio::test]
async fn the_audit_trail_shows_writes_to_admins_and_coordinators_of_the_country() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, 5, true).await;
    let _ = app.gql(REGISTER, person(&workshop, 1)).await;
    let query = r#"{ auditEvents(filter: { entities: [REGISTRATION], actor: "anonymous" }) { totalCount nodes { action actorKind country after } } }"#;
    let admin = app.token("ADMIN", &[], None);
    let seen = app.gql_as(Some(&admin), query, json!({})).await;
    assert_eq!(seen["data"]["auditEvents"]["totalCount"], 1);
    let event = &seen["data"]["auditEvents"]["nodes"][0];
    assert_eq!(
        (
            event["action"].as_str(),
            event["actorKind"].as_str(),
            event["country"].as_str()
        ),
        (Some("registerForWorkshop"), Some("ANONYMOUS"), Some("SE"))
    );
    assert!(
        !event["after"].to_string().contains("person1@example.se"),
        "no personal data in the audit trail"
    );
    let swedish = app.gql_as(Some(&coordinator), query, json!({})).await;
    assert_eq!(swedish["data"]["auditEvents"]["totalCount"], 1);
    let finnish = app.token("COORDINATOR", &["FI"], None);
    let none = app.gql_as(Some(&finnish), query, json!({})).await;
    assert_eq!(none["data"]["auditEvents"]["totalCount"], 0);
    let viewer = app.token("VIEWER", &[], None);
    assert_eq!(
        first_code(&app.gql_as(Some(&viewer), query, json!({})).await),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn every_kind_of_event_registers_alike_and_participation_groups_by_kind_and_year() {
    let app = TestApp::spawn().await;
    // The seed gives each event its kind, as its document calls it.
    let seeded = app
        .data(
            r#"{ webinars: workshops(filter: { kinds: [WEBINAR] }) { nodes { title(lang: "en") kind } }
                 trainings: workshops(filter: { kinds: [TRAINING] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        seeded["webinars"]["nodes"],
        json!([{ "title": "Webinar: what diversity brings to a workplace", "kind": "WEBINAR" }]),
        "{seeded}"
    );
    assert_eq!(seeded["trainings"]["totalCount"], 6, "{seeded}");

    // A webinar with two seats: registration, capacity and the waiting list as for any event.
    let se = app.token("COORDINATOR", &["SE"], None);
    let project = project_id(&app, "SE-BLEKINGE-JRT").await;
    let mut input = workshop_input(&project, 2, true);
    input["kind"] = json!("WEBINAR");
    input["format"] = json!("ONLINE");
    let created = app
        .gql_as(Some(&se), CREATE, json!({ "input": input }))
        .await;
    let webinar = created["data"]["createWorkshop"]["workshop"].clone();
    assert!(created.get("errors").is_none(), "{created}");
    let mut statuses = Vec::new();
    for n in 0..3 {
        let answer = app.gql(REGISTER, person(&webinar, n)).await;
        statuses.push(answer["data"]["registerForWorkshop"]["registration"]["status"].clone());
    }
    assert_eq!(
        statuses,
        vec![
            json!("REGISTERED"),
            json!("REGISTERED"),
            json!("WAITLISTED")
        ]
    );

    // Grouped by kind and by year, as the SE coordinator (who may see Swedish people).
    let year = (Utc::now() + Duration::days(30)).format("%Y").to_string();
    let grouped = app
        .gql_as(
            Some(&se),
            r#"{ participationSummary(groupBy: [KIND, YEAR], filter: { countries: ["SE"] }) {
                    kind year count perturbed } }"#,
            json!({}),
        )
        .await;
    let groups = grouped["data"]["participationSummary"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        groups.contains(
            &json!({ "kind": "WEBINAR", "year": year.parse::<i64>().unwrap_or_default(),
            "count": 2, "perturbed": false })
        ),
        "{grouped}"
    );
    assert!(
        groups
            .iter()
            .any(|g| g["kind"] == "WORKSHOP" && g["year"] == 2017),
        "{grouped}"
    );
    // The kind can change, and the lists follow.
    let changed = app
        .gql_as(
            Some(&se),
            r#"mutation($i: UpdateWorkshopInput!) { updateWorkshop(input: $i) { workshop { kind } } }"#,
            json!({ "i": { "id": webinar["id"], "expectedVersion": webinar["version"], "kind": "TRAINING" } }),
        )
        .await;
    assert_eq!(
        changed["data"]["updateWorkshop"]["workshop"]["kind"], "TRAINING",
        "{changed}"
    );
}

#[tokio::test]
async fn only_the_projects_managers_delete_a_workshop() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &se, 5, true).await;
    // Region Blekinge leads the project: a partner with rights to describe it.
    let blekinge: uuid::Uuid = {
        entity::organisation::Entity::find()
            .all(&app.db)
            .await
            .expect("organisations")
            .into_iter()
            .find(|o| o.name.to_string().contains("Region Blekinge"))
            .map(|o| o.id)
            .expect("Region Blekinge")
    };
    let partner = app.token("PARTNER", &[], Some(blekinge));
    let delete = "mutation($i: DeleteInput!) { deleteWorkshop(input: $i) { deletedId } }";
    let refused = app
        .gql_as(
            Some(&partner),
            delete,
            json!({ "i": { "id": workshop["id"] } }),
        )
        .await;
    assert_eq!(first_code(&refused), "FORBIDDEN", "{refused}");
    let done = app
        .gql_as(Some(&se), delete, json!({ "i": { "id": workshop["id"] } }))
        .await;
    assert_eq!(
        done["data"]["deleteWorkshop"]["deletedId"], workshop["id"],
        "{done}"
    );
}
