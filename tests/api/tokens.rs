//! Authentication: every kind of bad token is refused with 401 and never served as anonymous;
//! a partner API token lives, works and dies as promised.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode, get_current_timestamp};
use mosaic_tests::{TestApp, first_code};
use serde_json::{Value, json};

pub(crate) const SECRET: &str = "test-secret-of-the-end-to-end-suite-0123456789";
pub(crate) const VIEWER: &str =
    "{ viewer { authenticated role countries subject organisationId } }";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

pub(crate) fn claims(extra: Value) -> Value {
    let now = get_current_timestamp();
    let mut base = json!({ "sub": "someone", "role": "ADMIN", "countries": [], "exp": now + 600 });
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            if v.is_null() {
                base.remove(k);
            } else {
                base.insert(k.clone(), v.clone());
            }
        }
    }
    base
}

pub(crate) fn hs256(secret: &[u8], claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("signed")
}

pub(crate) async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    let bearer = format!("Bearer {token}");
    let (status, body) = app
        .post_raw(
            &[("Authorization", bearer.as_str())],
            json!({ "query": VIEWER }),
        )
        .await;
    assert_eq!(status, 401, "{why}: {body}");
    assert_eq!(first_code(&body), "UNAUTHENTICATED", "{why}: {body}");
    assert!(body.get("data").is_none(), "{why}: nothing is executed");
}

#[tokio::test]
async fn bad_tokens_are_refused_with_401_never_served_as_anonymous() {
    let app = TestApp::spawn().await;
    let now = get_current_timestamp();
    let good = hs256(SECRET.as_bytes(), &claims(json!({})));
    // The control: the same kind of token, correctly made, is accepted.
    let accepted = app.gql_as(Some(&good), VIEWER, json!({})).await;
    assert_eq!(accepted["data"]["viewer"]["role"], "ADMIN");

    let header_none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(json!({})).to_string());
    let alg_none = format!("{header_none}.{payload}.");
    assert_refused(&app, &alg_none, "alg none").await;

    assert_refused(
        &app,
        &hs256(SECRET.as_bytes(), &claims(json!({ "exp": now - 600 }))),
        "expired",
    )
    .await;
    assert_refused(
        &app,
        &hs256(SECRET.as_bytes(), &claims(json!({ "nbf": now + 3600 }))),
        "not yet valid",
    )
    .await;
    assert_refused(
        &app,
        &hs256(SECRET.as_bytes(), &claims(json!({ "exp": null }))),
        "missing exp",
    )
    .await;
    assert_refused(
        &app,
        &hs256(b"another-secret-another-secret-another", &claims(json!({}))),
        "other secret",
    )
    .await;

    let parts: Vec<&str> = good.split('.').collect();
    let forged =
        URL_SAFE_NO_PAD.encode(claims(json!({ "role": "ADMIN", "sub": "mallory" })).to_string());
    assert_refused(
        &app,
        &format!("{}.{forged}.{}", parts[0], parts[2]),
        "tampered payload",
    )
    .await;
    let mut signature = parts[2].to_owned();
    let last = if signature.ends_with('A') { 'B' } else { 'A' };
    signature.pop();
    signature.push(last);
    assert_refused(
        &app,
        &format!("{}.{}.{signature}", parts[0], parts[1]),
        "flipped signature",
    )
    .await;
    assert_refused(&app, "garbage", "garbage").await;
    assert_refused(
        &app,
        &hs256(SECRET.as_bytes(), &claims(json!({ "role": "EMPEROR" }))),
        "unknown role",
    )
    .await;
    assert_refused(
        &app,
        &hs256(SECRET.as_bytes(), &claims(json!({ "role": "PARTNER" }))),
        "partner without org",
    )
    .await;
    assert_refused(&app, "mos_not-a-real-token", "unknown API token").await;

    let (status, body) = app
        .post_raw(
            &[("Authorization", "Basic dXNlcjpwYXNz")],
            json!({ "query": VIEWER }),
        )
        .await;
    assert_eq!(
        (status, first_code(&body)),
        (401, "UNAUTHENTICATED"),
        "Basic scheme"
    );

    let huge = format!("Bearer {}", "a".repeat(200 * 1024));
    let (status, _) = app
        .post_raw(
            &[("Authorization", huge.as_str())],
            json!({ "query": VIEWER }),
        )
        .await;
    assert_eq!(status, 431, "a 200 kB header");
}

#[tokio::test]
async fn issuer_and_audience_are_checked_when_configured() {
    let app = TestApp::spawn_with(|c| {
        c.jwt_issuer = Some("https://idp.example".into());
        c.jwt_audience = Some("mosaic".into());
    })
    .await;
    let right = claims(json!({ "iss": "https://idp.example", "aud": "mosaic" }));
    let ok = app
        .gql_as(Some(&hs256(SECRET.as_bytes(), &right)), VIEWER, json!({}))
        .await;
    assert_eq!(ok["data"]["viewer"]["authenticated"], true);
    // `mosaic token` mints for the configuration, issuer and audience included.
    let minted = app.token("VIEWER", &[], None);
    assert_eq!(
        app.gql_as(Some(&minted), VIEWER, json!({})).await["data"]["viewer"]["role"],
        "VIEWER"
    );
    let wrong_iss = claims(json!({ "iss": "https://evil.example", "aud": "mosaic" }));
    assert_refused(&app, &hs256(SECRET.as_bytes(), &wrong_iss), "wrong issuer").await;
    let wrong_aud = claims(json!({ "iss": "https://idp.example", "aud": "somebody-else" }));
    assert_refused(
        &app,
        &hs256(SECRET.as_bytes(), &wrong_aud),
        "wrong audience",
    )
    .await;
    let no_iss = claims(json!({ "aud": "mosaic" }));
    assert_refused(&app, &hs256(SECRET.as_bytes(), &no_iss), "missing issuer").await;
}

#[tokio::test]
async fn an_rs256_identity_provider_is_trusted_and_hmac_over_its_public_key_is_not() {
    let dir = tempfile::tempdir().expect("dir");
    let public = dir.path().join("idp.pem");
    std::fs::write(&public, fixture("rs256-public.pem")).expect("write key");
    let app = TestApp::spawn_with(|c| {
        c.jwt_secret = None;
        c.jwt_public_key = Some(public.clone());
    })
    .await;
    let private = EncodingKey::from_rsa_pem(&fixture("rs256-private.pem")).expect("private key");
    let signed = encode(
        &Header::new(Algorithm::RS256),
        &claims(json!({ "role": "VIEWER" })),
        &private,
    )
    .expect("signed");
    let ok = app.gql_as(Some(&signed), VIEWER, json!({})).await;
    assert_eq!(ok["data"]["viewer"]["role"], "VIEWER");
    // The classic confusion attack: HS256 keyed with the public key's PEM text.
    let confused = hs256(&fixture("rs256-public.pem"), &claims(json!({})));
    assert_refused(&app, &confused, "HS256 signed with the RS256 public key").await;
}

#[tokio::test]
async fn viewer_tells_each_caller_who_it_is() {
    let app = TestApp::spawn().await;
    let anonymous = app.data(VIEWER, json!({})).await;
    assert_eq!(
        anonymous["viewer"],
        json!({ "authenticated": false, "role": null, "countries": [], "subject": null, "organisationId": null })
    );
    let coordinator = app.token("COORDINATOR", &["SE", "FI"], None);
    let answer = app.gql_as(Some(&coordinator), VIEWER, json!({})).await;
    assert_eq!(
        answer["data"]["viewer"],
        json!({ "authenticated": true, "role": "COORDINATOR", "countries": ["SE", "FI"], "subject": "test-coordinator", "organisationId": null })
    );
}

const ISSUE: &str = r#"mutation($input: IssueApiTokenInput!) {
    issueApiToken(input: $input) { secret token { id name role countryScope revokedAt lastUsedAt organisation { name } } }
}"#;

pub async fn organisation_id(app: &TestApp, name: &str) -> Value {
    let data = app
        .data(
            "query($q: String) { organisations(filter: { search: $q }) { nodes { id name } } }",
            json!({ "q": name }),
        )
        .await;
    data["organisations"]["nodes"][0]["id"].clone()
}

/// `issueApiToken`'s payload for a new token of the named organisation, issued by an admin.
pub(crate) async fn issue_as_admin(app: &TestApp, organisation: &str, name: &str) -> Value {
    let admin = app.token("ADMIN", &[], None);
    let id = organisation_id(app, organisation).await;
    let issued = app
        .gql_as(
            Some(&admin),
            ISSUE,
            json!({ "input": { "organisation": id, "name": name } }),
        )
        .await;
    issued["data"]["issueApiToken"].clone()
}

/// Revokes token `id` as an admin; the answer has no errors. Returns the revoked token.
pub(crate) async fn revoke_as_admin(app: &TestApp, id: &Value) -> Value {
    let admin = app.token("ADMIN", &[], None);
    let revoked = app
        .gql_as(
            Some(&admin),
            "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { revokedAt } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(revoked.get("errors").is_none(), "{revoked}");
    revoked["data"]["revokeApiToken"]["token"].clone()
}

#[tokio::test]
async fn a_partner_api_token_is_issued_used_and_revoked() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let diversity_hub = organisation_id(&app, "Diversity Hub").await;
    let payload = &issue_as_admin(&app, "Diversity Hub", "Diversity Hub CRM").await;
    let secret = payload["secret"]
        .as_str()
        .expect("the secret is shown once")
        .to_owned();
    assert!(
        secret.starts_with("mos_") && secret.len() >= 4 + 43,
        "256 random bits: {secret}"
    );
    assert_eq!(payload["token"]["role"], "PARTNER");
    assert_eq!(payload["token"]["countryScope"], Value::Null);
    assert_eq!(payload["token"]["organisation"]["name"], "Diversity Hub");

    // Used: it acts as PARTNER of Diversity Hub and sees the draft the organisation takes part in.
    let seen = app
        .gql_as(Some(&secret), r#"{ viewer { role countries organisationId } project(code: "PL-PROUD-TO-SUPPORT") { code } }"#, json!({}))
        .await;
    assert_eq!(
        seen["data"]["viewer"],
        json!({ "role": "PARTNER", "countries": [], "organisationId": diversity_hub })
    );
    assert_eq!(seen["data"]["project"]["code"], "PL-PROUD-TO-SUPPORT");

    // Listed without its secret, with its last use recorded.
    let listed = app
        .gql_as(
            Some(&admin),
            "{ apiTokens { nodes { id name lastUsedAt } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["apiTokens"]["nodes"][0]["name"],
        "Diversity Hub CRM"
    );
    assert!(listed["data"]["apiTokens"]["nodes"][0]["lastUsedAt"].is_string());
    assert!(!listed.to_string().contains(&secret));

    let revoked = revoke_as_admin(&app, &payload["token"]["id"]).await;
    assert!(revoked["revokedAt"].is_string());
    assert_refused(&app, &secret, "revoked API token").await;
}

#[tokio::test]
async fn an_expired_api_token_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let organisation = organisation_id(&app, "Diversity Hub").await;
    let past = app
        .gql_as(Some(&admin), ISSUE, json!({ "input": { "organisation": organisation, "name": "x", "expiresAt": "2020-01-01T00:00:00Z" } }))
        .await;
    assert_eq!(past["errors"][0]["extensions"]["field"], "input.expiresAt");
    // Expire one directly in the database, as time would.
    let issued = app
        .gql_as(
            Some(&admin),
            ISSUE,
            json!({ "input": { "organisation": organisation, "name": "short-lived" } }),
        )
        .await;
    let secret = issued["data"]["issueApiToken"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    entity::api_token::Entity::update_many()
        .col_expr(
            entity::api_token::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(entity::api_token::Column::Name.eq("short-lived"))
        .exec(&app.db)
        .await
        .expect("expired");
    assert_refused(&app, &secret, "expired API token").await;
}

#[tokio::test]
async fn the_token_command_mints_tokens_the_server_accepts() {
    use clap::Parser;
    let app = TestApp::spawn().await;
    let cli = mosaic::cli::Cli::try_parse_from([
        "mosaic",
        "token",
        "--role",
        "coordinator",
        "--country",
        "se",
        "--country",
        "FI",
        "--ttl",
        "2h",
    ])
    .expect("the command line parses");
    let Some(mosaic::cli::Command::Token(args)) = cli.command else {
        panic!("the token subcommand");
    };
    let keys = mosaic::auth::jwt::JwtKeys::from_config(&app.config).expect("keys");
    let token = keys
        .mint(&args.request().expect("a valid request"))
        .expect("minted");
    let answer = app.gql_as(Some(&token), VIEWER, json!({})).await;
    assert_eq!(answer["data"]["viewer"]["countries"], json!(["SE", "FI"]));
    let partner =
        mosaic::cli::Cli::try_parse_from(["mosaic", "token", "--role", "PARTNER"]).expect("parses");
    let Some(mosaic::cli::Command::Token(args)) = partner.command else {
        panic!("the token subcommand");
    };
    assert!(args.request().is_err(), "a PARTNER token needs --org");
}

/// The field rights of `updateProject` from outside, with a partner's API token: its
/// descriptions yes, every other field FORBIDDEN by name, and a refusal changes nothing.
#[tokio::test]
async fn a_partner_token_describes_its_project_and_is_refused_every_other_field_by_name() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let payload = issue_as_admin(&app, "Diversity Hub", "Diversity Hub CRM").await;
    let secret = payload["secret"].as_str().unwrap_or_default().to_owned();
    let (project, version) = app.project_ref("PL-PROUD-TO-SUPPORT").await;
    const UPDATE: &str =
        "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version } } }";

    let described = app
        .gql_as(
            Some(&secret),
            UPDATE,
            json!({ "i": { "id": project, "expectedVersion": version,
                "title": [{ "language": "pl", "text": "Dumni, by wspierać" }] } }),
        )
        .await;
    assert_eq!(
        described["data"]["updateProject"]["project"]["version"],
        version + 1,
        "{described}"
    );

    let (_, version) = app.project_ref("PL-PROUD-TO-SUPPORT").await;
    for (field, value) in [
        ("acronym", json!("PTS")),
        ("status", json!("COMPLETED")),
        ("dates", json!({ "plannedEnd": "2030-12-31" })),
        ("programme", Value::Null),
        ("budget", json!({ "currency": "PLN", "total": "1.00" })),
        ("genderMarker", json!(3)),
        ("regions", json!([])),
        ("participants", json!([])),
        ("focusAreas", json!(["STEM"])),
        ("targetGroups", json!(["YOUTH"])),
    ] {
        let mut input = json!({ "id": project, "expectedVersion": version });
        input[field] = value;
        let refused = app
            .gql_as(Some(&secret), UPDATE, json!({ "i": input }))
            .await;
        assert_eq!(first_code(&refused), "FORBIDDEN", "{field}: {refused}");
        let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&format!("input.{field}")),
            "{field}: {message}"
        );
    }
    let (_, after) = app.project_ref("PL-PROUD-TO-SUPPORT").await;
    assert_eq!(after, version, "a refused update changed the project");

    // The audit trail of the token's issue holds neither its secret nor its digest.
    let trail = app
        .gql_as(
            Some(&admin),
            r#"{ auditEvents(filter: { entities: [API_TOKEN] }) { nodes { action after } } }"#,
            json!({}),
        )
        .await;
    let issued = &trail["data"]["auditEvents"]["nodes"][0];
    assert_eq!(issued["action"], "issueApiToken", "{trail}");
    assert_eq!(issued["after"]["name"], "Diversity Hub CRM", "{trail}");
    let text = trail.to_string();
    assert!(
        !text.contains("secret") && !text.contains(&secret[4..]),
        "{text}"
    );
}
