//! Anonymous GET answers kept in memory, so that the many readers of the public programme
//! pages cost one execution per write rather than one per request.
//!
//! An answer is keyed by what it depends on: the query string (document or its hash,
//! variables, operation name), `Accept-Language` and `Accept`. It is kept only when it is
//! complete (no errors) and anonymous (no `Authorization`), and only while no write has been
//! heard since its execution began (`Events::generation`, which every instance's writes move
//! through PostgreSQL's NOTIFY): a write anywhere retires every kept answer at once, and while
//! this instance cannot hear the others nothing is served from memory. Kept answers also age
//! out after `MOSAIC_CACHE_MAX_AGE`, for what changes with the clock alone (a workshop that
//! has ended) and for writes made on SQLite by another process.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::events::Events;

type Key = [u8; 32];

/// What an entry costs besides its body (key, tag, media type, the LRU's node), so that many
/// tiny answers cannot hold far more memory than the budget says.
const ENTRY_OVERHEAD: usize = 256;

/// One kept answer.
#[derive(Clone)]
pub struct Kept {
    pub content_type: HeaderValue,
    pub etag: String,
    pub body: Bytes,
    generation: u64,
    stored: Instant,
}

impl Kept {
    /// The memory it holds, as the budget counts it.
    fn cost(&self) -> usize {
        self.body.len() + self.etag.len() + self.content_type.len() + ENTRY_OVERHEAD
    }

    /// Seconds a shared cache may still keep it: what is left of `max_age`.
    pub fn max_age_left(&self, max_age: Duration) -> u64 {
        max_age.saturating_sub(self.stored.elapsed()).as_secs()
    }
}

pub struct ResponseCache {
    events: Events,
    entries: Mutex<Store>,
    budget: usize,
    max_age: Duration,
}

struct Store {
    lru: LruCache<Key, Kept>,
    bytes: usize,
}

/// A request the cache may answer or keep the answer of, with the write count it began at.
pub struct Ticket {
    key: Key,
    generation: u64,
}

impl ResponseCache {
    /// A cache of `megabytes` (none when 0) whose answers `events` retires.
    pub fn new(events: Events, megabytes: u32, max_age: Duration) -> Self {
        Self {
            events,
            entries: Mutex::new(Store {
                lru: LruCache::unbounded(),
                bytes: 0,
            }),
            budget: usize::try_from(megabytes).unwrap_or(0) << 20,
            max_age,
        }
    }

    /// The events whose writes retire kept answers.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// A ticket for `req` if its answer may be kept: an anonymous GET while writes are heard.
    pub fn ticket(&self, req: &HttpRequest) -> Option<Ticket> {
        if !self.may_keep(req) {
            return None;
        }
        let generation = self.events.generation()?;
        let mut hash = Sha256::new();
        for part in [
            req.query_string(),
            header_text(req, header::ACCEPT_LANGUAGE),
            header_text(req, header::ACCEPT),
        ] {
            // Length-prefixed, so that no two different triples hash alike.
            hash.update(part.len().to_le_bytes());
            hash.update(part.as_bytes());
        }
        Some(Ticket {
            key: hash.finalize().into(),
            generation,
        })
    }

    /// Whether an answer to `req` may be kept: an anonymous GET, with a cache to keep it in.
    pub fn may_keep(&self, req: &HttpRequest) -> bool {
        self.budget > 0
            && !self.max_age.is_zero()
            && req.method() == actix_web::http::Method::GET
            && !req.headers().contains_key(header::AUTHORIZATION)
    }

    /// The kept answer for `ticket`, if no write came after it and it is young enough.
    pub fn get(&self, ticket: &Ticket) -> Option<Kept> {
        let mut store = self.entries.lock().ok()?;
        let fresh = store.lru.get(&ticket.key).map(|kept| {
            kept.generation == ticket.generation && kept.stored.elapsed() < self.max_age
        })?;
        if fresh {
            return store.lru.get(&ticket.key).cloned();
        }
        if let Some(stale) = store.lru.pop(&ticket.key) {
            store.bytes -= stale.cost();
        }
        None
    }

    /// Keeps `body` for `ticket` unless a write was heard since the ticket was taken (the
    /// answer may predate it) or it would take more than an eighth of the budget.
    pub fn keep(&self, ticket: Ticket, content_type: HeaderValue, etag: String, body: Bytes) {
        if body.len() > self.budget / 8 || self.events.generation() != Some(ticket.generation) {
            return;
        }
        let Ok(mut store) = self.entries.lock() else {
            return;
        };
        let kept = Kept {
            content_type,
            etag,
            body,
            generation: ticket.generation,
            stored: Instant::now(),
        };
        store.bytes += kept.cost();
        if let Some(replaced) = store.lru.put(ticket.key, kept) {
            store.bytes -= replaced.cost();
        }
        while store.bytes > self.budget {
            match store.lru.pop_lru() {
                Some((_, oldest)) => store.bytes -= oldest.cost(),
                None => break,
            }
        }
    }
}

fn header_text(req: &HttpRequest, name: header::HeaderName) -> &str {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn cache(megabytes: u32) -> ResponseCache {
        ResponseCache::new(Events::in_process(), megabytes, Duration::from_secs(10))
    }

    fn ticket_for(cache: &ResponseCache, req: &HttpRequest) -> Ticket {
        match cache.ticket(req) {
            Some(ticket) => ticket,
            None => panic!("no ticket for an anonymous GET"),
        }
    }

    fn json() -> HeaderValue {
        HeaderValue::from_static("application/json")
    }

    #[test]
    fn a_write_retires_what_was_kept_and_what_was_running() {
        let cache = cache(1);
        let req = TestRequest::get()
            .uri("/graphql?query=%7Bx%7D")
            .to_http_request();
        let ticket = ticket_for(&cache, &req);
        cache.keep(ticket, json(), "\"a\"".into(), Bytes::from_static(b"{}"));
        let again = ticket_for(&cache, &req);
        assert_eq!(
            cache.get(&again).map(|k| k.body),
            Some(Bytes::from_static(b"{}"))
        );

        // An answer whose execution a write overtook is not kept.
        let running = ticket_for(&cache, &req);
        cache.events().changed();
        cache.keep(running, json(), "\"b\"".into(), Bytes::from_static(b"old"));
        let after = ticket_for(&cache, &req);
        assert!(cache.get(&after).is_none());
    }

    #[test]
    fn callers_languages_and_media_types_are_kept_apart() {
        let cache = cache(1);
        let plain = TestRequest::get().uri("/graphql?query=q").to_http_request();
        let swedish = TestRequest::get()
            .uri("/graphql?query=q")
            .insert_header((header::ACCEPT_LANGUAGE, "sv"))
            .to_http_request();
        let signed_in = TestRequest::get()
            .uri("/graphql?query=q")
            .insert_header((header::AUTHORIZATION, "Bearer x"))
            .to_http_request();
        assert!(cache.ticket(&signed_in).is_none());
        let ticket = ticket_for(&cache, &plain);
        cache.keep(ticket, json(), "\"c\"".into(), Bytes::from_static(b"en"));
        let other = ticket_for(&cache, &swedish);
        assert!(cache.get(&other).is_none());
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let cache = cache(1);
        let big = Bytes::from(vec![b' '; 100 << 10]);
        for n in 0..40 {
            let req = TestRequest::get()
                .uri(&format!("/graphql?query=q{n}"))
                .to_http_request();
            let ticket = ticket_for(&cache, &req);
            cache.keep(ticket, json(), "\"d\"".into(), big.clone());
        }
        let Ok(store) = cache.entries.lock() else {
            panic!("the lock is poisoned");
        };
        assert!(store.bytes <= 1 << 20, "{} bytes kept", store.bytes);
        let each = big.len() + 3 + json().len() + ENTRY_OVERHEAD;
        assert_eq!(store.bytes, store.lru.len() * each);
        assert!(store.lru.len() >= 9);
    }
}
