//! Starting up: production insists on configured keys; development makes and keeps its own.

use mosaic::auth::jwt::{JwtKeys, TokenRequest};
use mosaic::config::{Config, Environment};
use mosaic::{Application, auth::jwt::parse_role};

fn sqlite_in(dir: &tempfile::TempDir) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("mosaic.db").display()
    )
}

#[tokio::test]
async fn production_refuses_to_start_without_keys_and_says_which() {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = Config::for_tests(sqlite_in(&dir));
    config.environment = Environment::Production;
    config.jwt_secret = None;
    let Err(error) = Application::build(config).await else {
        panic!("production started without keys");
    };
    let message = format!("{error:#}");
    assert!(
        message.contains("MOSAIC_JWT_SECRET") && message.contains("MOSAIC_JWT_PUBLIC_KEY"),
        "{message}"
    );
    assert!(
        !dir.path().join("mosaic.db").exists(),
        "refused before touching the database"
    );

    let mut weak = Config::for_tests(sqlite_in(&dir));
    weak.environment = Environment::Production;
    weak.jwt_secret = Some("short".into());
    let Err(error) = Application::build(weak).await else {
        panic!("a short secret was accepted");
    };
    assert!(format!("{error:#}").contains("MOSAIC_JWT_SECRET"));
}

#[tokio::test]
async fn development_makes_a_secret_once_and_keeps_it_beside_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = Config::for_tests(sqlite_in(&dir));
    config.jwt_secret = None;
    let first = JwtKeys::from_config(&config).expect("keys");
    let kept = first
        .dev_secret_file
        .clone()
        .expect("a development secret was made");
    assert_eq!(kept.parent(), Some(dir.path()), "beside the database");
    let token = first
        .mint(&TokenRequest {
            subject: "dev".into(),
            role: parse_role("ADMIN").expect("role"),
            countries: vec![],
            organisation: None,
            ttl: std::time::Duration::from_secs(60),
        })
        .expect("minted");
    // A restart (or `mosaic token` in the same place) uses the same secret.
    let second = JwtKeys::from_config(&config).expect("keys");
    assert!(second.verify(&token).is_ok(), "tokens survive a restart");
}
