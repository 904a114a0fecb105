//! The end-to-end harness: each test starts the real application in-process on a random
//! loopback port against a fresh database, and talks to it over HTTP like any client.
//!
//! SQLite is used unless `MOSAIC_TEST_DATABASE_URL` names a PostgreSQL server; then every test
//! gets its own schema there, dropped when the test ends.

use std::str::FromStr;

use mosaic::{Application, config::Config};
use sea_orm::{DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};
use serde_json::{Value, json};
use sqlx::{
    Connection, Executor, PgConnection,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};

pub const TEST_DATABASE_VAR: &str = "MOSAIC_TEST_DATABASE_URL";

enum Store {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, schema: String },
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Store::Postgres { server, schema } = self {
            let (server, schema) = (server.clone(), schema.clone());
            // Drop may run inside the test's runtime, so the cleanup gets a runtime of its own.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async move {
                    if let Ok(mut conn) = PgConnection::connect(&server).await {
                        let _ = conn
                            .execute(sqlx::AssertSqlSafe(format!(
                                "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
                            )))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub base: String,
    /// Where `/metrics` is served when the configuration names `metrics_bind`.
    pub metrics_address: Option<std::net::SocketAddr>,
    pub config: Config,
    pub client: reqwest::Client,
    /// A connection of the test's own to the same database, for arranging rows directly.
    pub db: DatabaseConnection,
    pub postgres: bool,
    _store: Store,
}

fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

impl TestApp {
    /// Starts Mosaic on a fresh database holding the seed programme.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let server = std::env::var(TEST_DATABASE_VAR)
            .ok()
            .filter(|s| !s.is_empty());
        Self::spawn_on(server, adjust).await
    }

    /// Starts Mosaic on a fresh schema of the PostgreSQL `server` (SQLite when `None`).
    pub async fn spawn_on(server: Option<String>, adjust: impl FnOnce(&mut Config)) -> Self {
        let (url, store, db, postgres) = match server {
            Some(server) => {
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::connect(&server)
                    .await
                    .expect("the test PostgreSQL server is reachable");
                conn.execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
                    .await
                    .expect("a test schema can be created");
                let url = with_search_path(&server, &schema);
                let pool = PgPoolOptions::new()
                    .max_connections(2)
                    .connect_with(PgConnectOptions::from_str(&url).expect("valid url"))
                    .await
                    .expect("test connection");
                let db = SqlxPostgresConnector::from_sqlx_postgres_pool(pool);
                (url, Store::Postgres { server, schema }, db, true)
            }
            None => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("mosaic.db").display()
                );
                let db = sqlite_connection(&url);
                (url, Store::Sqlite(dir), db, false)
            }
        };
        let mut config = Config::for_tests(url);
        adjust(&mut config);
        let app = Application::build(config.clone())
            .await
            .expect("the application starts");
        let base = format!("http://{}", app.address());
        let metrics_address = app.metrics_address();
        tokio::spawn(app.run_until_stopped());
        Self {
            base,
            metrics_address,
            config,
            client: modern_client(),
            db,
            postgres,
            _store: store,
        }
    }

    /// POSTs a GraphQL operation and returns the JSON answer (status is checked by callers).
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_with(query, variables, &[]).await
    }

    pub async fn gql_with(&self, query: &str, variables: Value, headers: &[(&str, &str)]) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the request is answered");
        response.json().await.expect("the answer is JSON")
    }

    /// A JWT signed for this app's configuration, as `mosaic token` would print it.
    pub fn token(
        &self,
        role: &str,
        countries: &[&str],
        organisation: Option<uuid::Uuid>,
    ) -> String {
        let keys = mosaic::auth::jwt::JwtKeys::from_config(&self.config).expect("keys");
        let request = mosaic::auth::jwt::TokenRequest {
            subject: format!("test-{}", role.to_lowercase()),
            role: mosaic::auth::jwt::parse_role(role).expect("a role"),
            countries: countries.iter().map(|c| (*c).to_owned()).collect(),
            organisation,
            ttl: std::time::Duration::from_secs(600),
        };
        keys.mint(&request).expect("a token")
    }

    /// POSTs an operation with `Authorization: Bearer <token>` (no header for `None`).
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        match token {
            Some(token) => {
                let bearer = format!("Bearer {token}");
                self.gql_with(query, variables, &[("Authorization", bearer.as_str())])
                    .await
            }
            None => self.gql(query, variables).await,
        }
    }

    /// POSTs with raw headers and returns the status and JSON body.
    pub async fn post_raw(&self, headers: &[(&str, &str)], body: Value) -> (u16, Value) {
        self.post_to(&self.base, headers, body).await
    }

    /// As `post_raw`, to the instance at `base` (one from `another_instance`).
    pub async fn post_to(&self, base: &str, headers: &[(&str, &str)], body: Value) -> (u16, Value) {
        let mut request = self.client.post(format!("{base}/graphql")).json(&body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the request is answered");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// `data` of a successful answer; fails the test with the errors otherwise.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let answer = self.gql(query, variables).await;
        assert!(
            answer.get("errors").is_none(),
            "unexpected errors: {answer:#}"
        );
        answer["data"].clone()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the request is answered")
    }

    /// A project's global id and version, looked up as an admin.
    pub async fn project_ref(&self, code: &str) -> (Value, i64) {
        let admin = self.token("ADMIN", &[], None);
        let answer = self
            .gql_as(
                Some(&admin),
                "query($c: String!) { project(code: $c) { id version } }",
                json!({ "c": code }),
            )
            .await;
        let p = &answer["data"]["project"];
        (p["id"].clone(), p["version"].as_i64().unwrap_or(0))
    }

    /// Starts another instance on this app's database (as a second server behind a load
    /// balancer would run) and answers its base URL.
    pub async fn another_instance(&self) -> String {
        let app = Application::build(self.config.clone())
            .await
            .expect("the second instance starts");
        let base = format!("http://{}", app.address());
        tokio::spawn(app.run_until_stopped());
        base
    }

    /// SQL statements the server has sent so far, read from `/metrics`.
    pub async fn statements(&self) -> u64 {
        let text = self
            .get("/metrics")
            .await
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|line| line.strip_prefix("mosaic_db_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("mosaic_db_statements_total is exported")
    }
}

/// A client that asks for `application/graphql-response+json` first, as current GraphQL
/// clients do; a request's own `Accept` header overrides it.
fn modern_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static(
            "application/graphql-response+json, application/json;q=0.9",
        ),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap_or_default()
}

/// A lazy connection: the file appears once the application has created it.
fn sqlite_connection(url: &str) -> DatabaseConnection {
    let options = SqliteConnectOptions::from_str(url)
        .expect("valid url")
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options);
    SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
}

/// The UUID inside a global id, as the server itself decodes it.
pub fn uuid_of(id: &Value) -> uuid::Uuid {
    mosaic::ids::decode(id.as_str().unwrap_or_default())
        .and_then(|(_, key)| uuid::Uuid::parse_str(&key).ok())
        .expect("a global id holding a UUID")
}

/// The code and `extensions.field` of the first error of an answer.
pub fn code_and_field(answer: &Value) -> (&str, &str) {
    (
        first_code(answer),
        answer["errors"][0]["extensions"]["field"]
            .as_str()
            .unwrap_or_default(),
    )
}

/// The error code of the first error of an answer.
pub fn first_code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

/// A published Swedish project row with the given code and dates, for arranging data directly.
pub fn project_row(code: &str, start: chrono::NaiveDate) -> entity::project::ActiveModel {
    use sea_orm::ActiveValue::Set;
    let now = chrono::Utc::now();
    entity::project::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        code: Set(code.to_owned()),
        acronym: Set(None),
        title: Set(json!({ "en": code })),
        summary: Set(json!({ "en": "" })),
        language: Set("en".into()),
        status: Set(entity::enums::ProjectStatus::Active),
        start_date: Set(start),
        end_date: Set(start),
        country_code: Set("SE".into()),
        resource_centre_id: Set(None),
        parent_id: Set(None),
        gender_marker: Set(1),
        published: Set(true),
        illustrative: Set(false),
        illustrative_fields: Set(json!([])),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A `graphql-transport-ws` client on one socket, as the npm `graphql-ws` client speaks it.
pub struct Socket {
    stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

/// How a socket ended, or what it answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    Message(Value),
    Closed(u16),
}

impl TestApp {
    /// Opens a WebSocket on `/graphql` with optional extra upgrade headers (`Origin`).
    pub async fn socket_with(
        &self,
        headers: &[(&str, &str)],
    ) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = format!("{}/graphql", self.base.replacen("http", "ws", 1));
        let mut request = url.into_client_request()?;
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            reqwest::header::HeaderValue::from_static("graphql-transport-ws"),
        );
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (
                reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                reqwest::header::HeaderValue::from_str(value),
            ) {
                request.headers_mut().insert(name, value);
            }
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Socket { stream })
    }

    /// A socket past `connection_init` with this payload, acknowledged.
    pub async fn socket(&self, init: Value) -> Socket {
        let mut socket = self
            .socket_with(&[])
            .await
            .expect("the upgrade is accepted");
        socket
            .send(json!({ "type": "connection_init", "payload": init }))
            .await;
        assert_eq!(
            socket.next().await,
            Heard::Message(json!({ "type": "connection_ack" }))
        );
        socket
    }
}

impl Socket {
    pub async fn send(&mut self, message: Value) {
        use futures_util::SinkExt;
        let text = message.to_string();
        let _ = self
            .stream
            .send(tokio_tungstenite::tungstenite::Message::text(text))
            .await;
    }

    /// The next protocol message or the close code, within ten seconds.
    pub async fn next(&mut self) -> Heard {
        use futures_util::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        let deadline = std::time::Duration::from_secs(10);
        loop {
            let Ok(next) = tokio::time::timeout(deadline, self.stream.next()).await else {
                return Heard::Closed(0);
            };
            match next {
                Some(Ok(Message::Text(text))) => {
                    return Heard::Message(serde_json::from_str(&text).unwrap_or(Value::Null));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Heard::Closed(frame.map_or(1005, |f| u16::from(f.code)));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Heard::Closed(1006),
            }
        }
    }

    /// Runs one operation and returns its `next` payload (or the `error` message's payload).
    pub async fn run(&mut self, id: &str, query: &str, variables: Value) -> Heard {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
        let answer = self.next().await;
        if let Heard::Message(message) = &answer
            && message["type"] == "next"
        {
            // The operation's `complete` follows its one result.
            let _ = self.next().await;
        }
        answer
    }
}

/// A Redis of the test's own, on a free loopback port, stopped when dropped: tests never touch
/// a Redis the machine runs for others. `None` when the machine has no `redis-server` and
/// `MOSAIC_TEST_REDIS` is not `required` (CI installs it and requires it: `.ci/run`).
pub struct RedisServer {
    child: std::process::Child,
    pub url: String,
}

impl RedisServer {
    pub async fn start() -> Option<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let spawned = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(error) if std::env::var("MOSAIC_TEST_REDIS").as_deref() != Ok("required") => {
                eprintln!(
                    "skipped: no redis-server here ({error}); Debian: apt install redis-server"
                );
                return None;
            }
            Err(error) => panic!("redis-server is required and cannot start: {error}"),
        };
        let server = Self {
            child,
            url: format!("redis://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut answer = [0u8; 7];
                if stream.write_all(b"PING\r\n").await.is_ok()
                    && stream.read_exact(&mut answer).await.is_ok()
                    && &answer == b"+PONG\r\n"
                {
                    return Some(server);
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("redis-server did not start on port {port}");
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A PostgreSQL primary and its streaming replica of the test's own, started by
/// `scripts/replica.sh` in a temporary folder and stopped when dropped. `None` on the SQLite
/// run of the suite (`MOSAIC_TEST_DATABASE_URL` unset): replicas are PostgreSQL's.
pub struct ReplicaPair {
    dir: tempfile::TempDir,
    pub primary_port: u16,
    pub replica_port: u16,
}

impl ReplicaPair {
    pub fn start() -> Option<Self> {
        if std::env::var(TEST_DATABASE_VAR).map_or(true, |v| v.is_empty()) {
            eprintln!("skipped: read replicas are tested on the PostgreSQL run");
            return None;
        }
        let tools = std::process::Command::new("bash")
            .args([
                "-c",
                "ls /usr/lib/postgresql/*/bin/pg_basebackup || command -v pg_basebackup",
            ])
            .output()
            .is_ok_and(|o| o.status.success());
        if !tools && std::env::var("MOSAIC_TEST_REPLICA").as_deref() != Ok("required") {
            eprintln!("skipped: no pg_basebackup here (Debian: apt install postgresql)");
            return None;
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        // The clusters run as the postgres user, who must reach the folder.
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("the folder is opened to the postgres user");
        let out = std::process::Command::new("bash")
            .arg(Self::script())
            .arg("start")
            .arg(dir.path().join("pg"))
            .output()
            .expect("scripts/replica.sh runs");
        let printed = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "scripts/replica.sh start failed: {printed}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = |name: &str| -> u16 {
            printed
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|p| p.trim().parse().ok())
                .unwrap_or_else(|| panic!("no {name} in {printed}"))
        };
        Some(Self {
            primary_port: port("PRIMARY_PORT="),
            replica_port: port("REPLICA_PORT="),
            dir,
        })
    }

    fn script() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/replica.sh")
    }

    /// The server URL of the primary.
    pub fn primary(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres",
            self.primary_port
        )
    }

    /// `url` of the primary, pointed at the replica instead.
    pub fn on_replica(&self, url: &str) -> String {
        url.replace(
            &format!(":{}/", self.primary_port),
            &format!(":{}/", self.replica_port),
        )
    }

    /// Stops `which` (`replica`, `primary` or `all`) at once, as a crash would.
    pub fn stop(&self, which: &str) {
        let _ = std::process::Command::new("bash")
            .arg(Self::script())
            .arg("stop")
            .arg(self.dir.path().join("pg"))
            .arg(which)
            .status();
    }
}

impl Drop for ReplicaPair {
    fn drop(&mut self) {
        self.stop("all");
    }
}
