//! Persisted documents. A client may send a document's SHA-256 instead of its text:
//! - automatic persisted queries (Apollo's protocol): an unknown hash answers
//!   `PERSISTED_QUERY_NOT_FOUND`, the client sends the text with its hash once, and from then on
//!   the hash alone runs on every instance (the documents are kept, bounded, in Redis when
//!   `MOSAIC_REDIS_URL` is set and it answers, in the database otherwise);
//! - trusted documents: with `MOSAIC_TRUSTED_DOCUMENTS`, callers other than ADMIN run only the
//!   documents of that manifest (as GraphQL Code Generator's client preset or Relay writes it),
//!   by hash, by `documentId` or by their exact text.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::Value;
use entity::enums::Role;
use entity::persisted_document;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

/// Documents one instance keeps in memory in front of the table.
const IN_MEMORY: usize = 1_000;
/// Documents the table keeps; the oldest go first. A client whose document was dropped
/// registers it again on its next `PERSISTED_QUERY_NOT_FOUND`.
const STORED: u64 = 10_000;

/// Where the text a request runs came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The request carried it.
    Text,
    /// Registered earlier by a client (automatic persisted queries).
    Automatic,
    /// The trusted manifest.
    Trusted,
}

/// Why a request's document cannot run: a request error with this code.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

fn refusal(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

/// How far `Documents::resolve_held` got.
pub enum Step {
    Resolved(Resolved),
    /// A hash this instance does not hold: the database may.
    Stored(String),
}

/// What a request asks to run: its text, and the hash it wants the text kept under.
pub struct Resolved {
    pub source: Source,
    /// Set when the client sent both text and hash: the text is to be registered.
    pub register: Option<String>,
}

pub struct Documents {
    known: Mutex<lru::LruCache<String, Arc<str>>>,
    /// `MOSAIC_TRUSTED_DOCUMENTS`: id (usually the SHA-256) → text.
    trusted: Option<HashMap<String, Arc<str>>>,
    /// The SHA-256 of each trusted text, whatever id the manifest gives it (Relay's are not
    /// hashes): a listed document sent as text is that document.
    trusted_texts: HashSet<String>,
    /// Where documents are kept instead of the database (`MOSAIC_REDIS_URL`).
    shared: Option<super::shared::SharedDocuments>,
}

impl Documents {
    pub fn new(trusted: Option<HashMap<String, String>>) -> Self {
        let size = NonZeroUsize::new(IN_MEMORY).unwrap_or(NonZeroUsize::MIN);
        let trusted_texts = trusted
            .iter()
            .flat_map(|m| m.values().map(|text| sha256_hex(text)))
            .collect();
        Self {
            trusted_texts,
            shared: None,
            known: Mutex::new(lru::LruCache::new(size)),
            // `sha256:<hex>` (GraphQL Code Generator's keys) and `<hex>` name the same document.
            trusted: trusted.map(|m| {
                m.into_iter()
                    .map(|(k, v)| (unprefixed(&k).to_owned(), v.into()))
                    .collect()
            }),
        }
    }

    /// The same documents, kept in Redis for every instance while it answers.
    pub fn shared_through(mut self, redis: &super::shared::Redis) -> Self {
        self.shared = Some(super::shared::SharedDocuments::new(redis, STORED));
        self
    }

    /// Reads a manifest: a JSON object of document ids to document texts. Every document must
    /// parse, so a broken manifest stops the start rather than some later request.
    pub fn read_manifest(path: &std::path::Path) -> anyhow::Result<HashMap<String, String>> {
        use anyhow::Context as _;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read MOSAIC_TRUSTED_DOCUMENTS {}", path.display()))?;
        let manifest: HashMap<String, String> = serde_json::from_str(&text).with_context(|| {
            format!(
                "MOSAIC_TRUSTED_DOCUMENTS {} is not a JSON object of ids to documents",
                path.display()
            )
        })?;
        for (id, document) in &manifest {
            async_graphql::parser::parse_query(document).map_err(|e| {
                anyhow::anyhow!(
                    "trusted document {id} in {} is not GraphQL: {e}",
                    path.display()
                )
            })?;
        }
        Ok(manifest)
    }

    /// Fills `request.query` when the request names its document by hash or `documentId`.
    pub async fn resolve(
        &self,
        db: &DatabaseConnection,
        request: &mut async_graphql::Request,
        document_id: Option<&str>,
    ) -> Result<Resolved, Refusal> {
        match self.resolve_held(request, document_id)? {
            Step::Resolved(resolved) => Ok(resolved),
            Step::Stored(hash) => self.resolve_stored(db, request, &hash).await,
        }
    }

    /// `resolve` from what this instance holds (the manifest, its memory); a hash it does
    /// not hold is left for `resolve_stored`, which reads the database, so that callers can
    /// count that read against a rate limit first.
    pub fn resolve_held(
        &self,
        request: &mut async_graphql::Request,
        document_id: Option<&str>,
    ) -> Result<Step, Refusal> {
        let done = |source, register| Ok(Step::Resolved(Resolved { source, register }));
        let Some(id) = requested_id(request, document_id)? else {
            return done(Source::Text, None);
        };
        if !request.query.is_empty() {
            let hash = sha256_hex(&request.query);
            if self.trusted_text(&id).is_some_and(|t| *t == *request.query) {
                return done(Source::Trusted, None);
            }
            if unprefixed(&id) != hash {
                return Err(refusal(
                    "BAD_REQUEST",
                    "the document's SHA-256 is not the hash the request names",
                ));
            }
            return done(Source::Text, Some(hash));
        }
        if let Some(text) = self.trusted_text(&id) {
            request.query = text.to_string();
            return done(Source::Trusted, None);
        }
        let hash = unprefixed(&id).to_owned();
        if let Some(text) = self.lock().get(&hash).cloned() {
            request.query = text.to_string();
            return done(Source::Automatic, None);
        }
        Ok(Step::Stored(hash))
    }

    /// The document registered under `hash` on any instance, from Redis or the database.
    pub async fn resolve_stored(
        &self,
        db: &DatabaseConnection,
        request: &mut async_graphql::Request,
        hash: &str,
    ) -> Result<Resolved, Refusal> {
        let held = match &self.shared {
            Some(shared) => shared.find(hash).await.flatten(),
            None => None,
        };
        // Not in Redis: perhaps registered while Redis was away, or before it was used.
        let text = match held {
            Some(text) => Some(text),
            None => persisted_document::Entity::find_by_id(hash.to_owned())
                .one(db)
                .await
                .inspect_err(|error| tracing::warn!(%error, "persisted documents unreadable"))
                .ok()
                .flatten()
                .map(|row| row.document),
        };
        // Apollo's link looks for this code (and this message) to send the text.
        let Some(text) = text else {
            return Err(refusal(
                "PERSISTED_QUERY_NOT_FOUND",
                "PersistedQueryNotFound",
            ));
        };
        self.lock().put(hash.to_owned(), text.as_str().into());
        request.query = text;
        Ok(Resolved {
            source: Source::Automatic,
            register: None,
        })
    }

    /// `resolve` and `admits` at once, for a caller already known (on a socket). Answers the
    /// hash to register the text under, if any.
    pub async fn prepare(
        &self,
        db: &DatabaseConnection,
        request: &mut async_graphql::Request,
        role: Option<Role>,
    ) -> Result<Option<String>, Refusal> {
        let resolved = self.resolve(db, request, None).await?;
        self.admits(&resolved, &request.query, role)?;
        Ok(resolved.register)
    }

    /// Whether a caller may run a document from `source`: with a trusted manifest, only
    /// admins run documents outside it.
    pub fn admits(
        &self,
        resolved: &Resolved,
        query: &str,
        role: Option<Role>,
    ) -> Result<(), Refusal> {
        if self.trusted.is_none() {
            return Ok(());
        }
        if role == Some(Role::Admin) || resolved.source == Source::Trusted {
            return Ok(());
        }
        // The exact text of a listed document is that document.
        if self.trusted_texts.contains(&sha256_hex(query)) {
            return Ok(());
        }
        Err(match resolved.source {
            Source::Text => refusal(
                "QUERY_NOT_IN_SAFELIST",
                "this server runs only its trusted documents: send a listed document's id",
            ),
            _ => refusal(
                "PERSISTED_QUERY_NOT_IN_LIST",
                "the document is not one of this server's trusted documents",
            ),
        })
    }

    /// Keeps a document the client sent with its hash, for this instance and the others.
    /// Best effort: a document that is not kept is sent again on its next use.
    pub async fn register(
        &self,
        db: &DatabaseConnection,
        hash: String,
        request: &mut async_graphql::Request,
    ) {
        // Only documents that parse (the request keeps its parse): junk would only push real
        // ones out of the bound.
        if request.parsed_query().is_err() {
            return;
        }
        let text = request.query.as_str();
        {
            let mut known = self.lock();
            if known.contains(&hash) {
                return;
            }
            known.put(hash.clone(), text.into());
        }
        if let Some(shared) = &self.shared
            && shared.keep(&hash, text).await
        {
            return;
        }
        let row = persisted_document::ActiveModel {
            sha256: Set(hash),
            document: Set(text.to_owned()),
            created_at: Set(chrono::Utc::now()),
        };
        let inserted = persisted_document::Entity::insert(row)
            .on_conflict(
                OnConflict::column(persisted_document::Column::Sha256)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await;
        if let Err(error) = inserted.map(|_| ()).and(trim(db).await) {
            tracing::warn!(%error, "a persisted document was not stored");
        }
    }

    fn trusted_text(&self, id: &str) -> Option<Arc<str>> {
        self.trusted.as_ref()?.get(unprefixed(id)).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, lru::LruCache<String, Arc<str>>> {
        // A panic while holding the lock leaves a cache that is still consistent.
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Drops the oldest documents beyond the table's bound.
async fn trim(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let cutoff = persisted_document::Entity::find()
        .select_only()
        .column(persisted_document::Column::CreatedAt)
        .order_by_desc(persisted_document::Column::CreatedAt)
        .offset(STORED)
        .into_tuple::<chrono::DateTime<chrono::Utc>>()
        .one(db)
        .await?;
    if let Some(cutoff) = cutoff {
        persisted_document::Entity::delete_many()
            .filter(persisted_document::Column::CreatedAt.lte(cutoff))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The id a request names its document by: `extensions.persistedQuery.sha256Hash` (Apollo)
/// or `documentId` (GraphQL over HTTP's persisted documents).
fn requested_id(
    request: &async_graphql::Request,
    document_id: Option<&str>,
) -> Result<Option<String>, Refusal> {
    if let Some(id) = document_id {
        if id.is_empty() || id.len() > 200 {
            return Err(refusal("BAD_REQUEST", "documentId is empty or too long"));
        }
        return Ok(Some(id.to_owned()));
    }
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let Value::Object(fields) = persisted else {
        return Err(refusal(
            "BAD_REQUEST",
            "extensions.persistedQuery is not an object",
        ));
    };
    if fields.get("version") != Some(&Value::from(1)) {
        return Err(refusal(
            "PERSISTED_QUERY_NOT_SUPPORTED",
            "only version 1 of persisted queries is supported",
        ));
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(Some(hash.to_ascii_lowercase()))
        }
        _ => Err(refusal(
            "BAD_REQUEST",
            "extensions.persistedQuery.sha256Hash is not a SHA-256 in hex",
        )),
    }
}

/// A document id without the `sha256:` of GraphQL over HTTP's persisted documents.
fn unprefixed(id: &str) -> &str {
    id.strip_prefix("sha256:").unwrap_or(id)
}

/// Lower-case hex SHA-256 of a document's text, as clients compute it.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted() -> Documents {
        let query = "{ viewer { role } }".to_owned();
        Documents::new(Some(HashMap::from([(sha256_hex(&query), query)])))
    }

    fn from(source: Source) -> Resolved {
        Resolved {
            source,
            register: None,
        }
    }

    #[test]
    fn the_hash_is_the_hex_sha256_clients_compute() {
        assert_eq!(
            sha256_hex("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn only_admins_run_documents_outside_the_manifest() {
        let documents = trusted();
        let other = "{ projects { totalCount } }";
        let refused = documents.admits(&from(Source::Text), other, Some(Role::Coordinator));
        assert_eq!(refused.map_err(|r| r.code), Err("QUERY_NOT_IN_SAFELIST"));
        let refused = documents.admits(&from(Source::Automatic), other, None);
        assert_eq!(
            refused.map_err(|r| r.code),
            Err("PERSISTED_QUERY_NOT_IN_LIST")
        );
        assert!(
            documents
                .admits(&from(Source::Text), other, Some(Role::Admin))
                .is_ok()
        );
        assert!(
            documents
                .admits(&from(Source::Trusted), other, None)
                .is_ok()
        );
        // The listed text, sent in full, is the listed document.
        assert!(
            documents
                .admits(&from(Source::Text), "{ viewer { role } }", None)
                .is_ok()
        );
        // Without a manifest, everything runs.
        assert!(
            Documents::new(None)
                .admits(&from(Source::Text), other, None)
                .is_ok()
        );
    }

    #[test]
    fn a_persisted_query_names_a_version_1_sha256() {
        let mut request = async_graphql::Request::new("");
        let ask = |hash: &str, version: i32| {
            let object = async_graphql::indexmap::IndexMap::from([
                (async_graphql::Name::new("version"), Value::from(version)),
                (async_graphql::Name::new("sha256Hash"), Value::from(hash)),
            ]);
            Value::Object(object)
        };
        let hash = sha256_hex("{ __typename }");
        request
            .extensions
            .insert("persistedQuery".into(), ask(&hash.to_uppercase(), 1));
        assert_eq!(requested_id(&request, None), Ok(Some(hash.clone())));
        request
            .extensions
            .insert("persistedQuery".into(), ask(&hash, 2));
        let refused = requested_id(&request, None).map_err(|r| r.code);
        assert_eq!(refused, Err("PERSISTED_QUERY_NOT_SUPPORTED"));
        request
            .extensions
            .insert("persistedQuery".into(), ask("abc", 1));
        assert_eq!(
            requested_id(&request, None).map_err(|r| r.code),
            Err("BAD_REQUEST")
        );
        assert_eq!(
            requested_id(&request, Some("doc-7")),
            Ok(Some("doc-7".into()))
        );
    }
}
