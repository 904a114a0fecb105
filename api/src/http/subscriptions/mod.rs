//! GraphQL over WebSocket on `/graphql`: `graphql-transport-ws`, and the legacy `graphql-ws`.
//!
//! `actix-ws` carries the frames (its outgoing queue is bounded), async-graphql's `WebSocket`
//! speaks the protocol, and this module adds what a production server needs around them:
//! the token from `connection_init`'s payload (a bad one closes with 4403), a cap on sockets
//! per caller (4429) and on operations per socket, the same document limits, introspection
//! rule and rate limit as HTTP, keep-alive pings, and dropping clients that stop reading.

mod operations;

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, Session};
use async_graphql::Data;
use async_graphql::dataloader::DataLoader;
use async_graphql::http::{WebSocket, WsMessage};
use futures_util::stream::{self, BoxStream, StreamExt};

use self::operations::{Guarded, Running};
use super::AppState;
use super::rate_limit;
use crate::graphql::context::RequestContext;
use crate::graphql::loaders::Loaders;

/// The protocols spoken, preferred first.
const PROTOCOLS: [&str; 2] = ["graphql-transport-ws", "graphql-ws"];
/// A server ping this often; a client silent for `IDLE` (no pong, no message) is closed.
const PING_EVERY: Duration = Duration::from_secs(15);
const IDLE: Duration = Duration::from_secs(50);
/// `connection_init` must arrive this soon after the upgrade (graphql-transport-ws: 4408).
const INIT_WITHIN: Duration = Duration::from_secs(10);
/// A client that does not take a message within this time is dropped as too slow.
const SEND_WITHIN: Duration = Duration::from_secs(10);
/// How long a socket whose credential failed keeps sending what is already on its way.
const DRAIN_WITHIN: Duration = Duration::from_millis(200);
/// Client messages waiting for the protocol; more at once closes the socket.
const INBOX: usize = 64;

/// Open sockets per caller, so one caller cannot hold every connection.
#[derive(Default)]
pub struct Sockets(Mutex<HashMap<String, u32>>);

/// One socket counted for its caller until dropped.
pub struct SocketPermit {
    sockets: web::Data<AppState>,
    key: String,
}

impl Sockets {
    fn acquire(state: &web::Data<AppState>, key: String) -> Option<SocketPermit> {
        let mut open = state.sockets.0.lock().ok()?;
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= state.limits.max_sockets {
            return None;
        }
        *count += 1;
        Some(SocketPermit {
            sockets: state.clone(),
            key,
        })
    }
}

impl Drop for SocketPermit {
    fn drop(&mut self) {
        if let Ok(mut open) = self.sockets.sockets.0.lock()
            && let Some(count) = open.get_mut(&self.key)
        {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// What `connection_init` decided, read by the socket loop.
#[derive(Default)]
struct Handshake {
    /// A close code and reason to use instead of the protocol library's generic one.
    refusal: Option<(u16, String)>,
    acknowledged: bool,
    permit: Option<SocketPermit>,
    /// Signalled when an operation finds the credential no longer valid.
    lost: Option<Arc<tokio::sync::Notify>>,
    /// When the credential expires: the socket closes with 4403 then.
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The credential, checked again every `RECHECK_EVERY` while the socket is open.
    credential: Option<HeaderMap>,
}

/// The credential a socket was opened with, checked again before every operation: a token
/// revoked or expired since `connection_init` ends the socket (4403) instead of serving it.
#[derive(Clone)]
struct Credential {
    headers: HeaderMap,
    /// Wakes the socket loop to close with 4403 once a re-check fails.
    lost: Arc<tokio::sync::Notify>,
}

/// `GET /graphql` with `Upgrade: websocket`.
pub async fn upgrade(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let (response, session, messages) = actix_ws::handle_with_protocols(&req, body, &PROTOCOLS)?;
    let chosen = response
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|p| p.to_str().ok())
        .and_then(|p| async_graphql::http::WebSocketProtocols::from_str(p).ok());
    let Some(protocol) = chosen else {
        return Ok(HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body("ask for the graphql-transport-ws (or legacy graphql-ws) subprotocol\n"));
    };
    if !origin_allowed(&req, &state.cors_origins) {
        // A page of another site must not ride a visitor's network position or cookies-free
        // token into a socket: browsers send `Origin`, and only ours and the CORS list pass.
        return Ok(HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("this origin may not open a WebSocket here (MOSAIC_CORS_ORIGINS)\n"));
    }
    let peer = state.client_ip(&req);
    let languages = super::graphql::languages(&req);
    actix_web::rt::spawn(serve(state, session, messages, protocol, peer, languages));
    Ok(response)
}

/// No `Origin` (not a browser), the API's own origin (GraphiQL), or a configured one.
fn origin_allowed(req: &HttpRequest, allowed: &[String]) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let own = req.connection_info().host().to_owned();
    let same_site = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|host| host.eq_ignore_ascii_case(&own));
    same_site || allowed.iter().any(|a| a.eq_ignore_ascii_case(origin))
}

async fn serve(
    state: web::Data<AppState>,
    mut session: Session,
    messages: actix_ws::MessageStream,
    protocol: async_graphql::http::WebSocketProtocols,
    peer: Option<IpAddr>,
    languages: Vec<String>,
) {
    let handshake = Arc::new(Mutex::new(Handshake::default()));
    let (inbox, inbox_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(INBOX);
    let incoming = tokio_stream(inbox_rx);
    let init = {
        let state = state.clone();
        let handshake = handshake.clone();
        move |payload: serde_json::Value| {
            connection_init(state, handshake, payload, peer, languages)
        }
    };
    let executor = Guarded {
        state: state.clone(),
        peer,
    };
    let mut protocol_stream = WebSocket::new(executor, incoming, protocol)
        .on_connection_init(init)
        .boxed();
    let mut messages = messages
        .max_frame_size(super::MAX_BODY_BYTES)
        .aggregate_continuations();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let init_deadline = tokio::time::sleep(INIT_WITHIN);
    tokio::pin!(init_deadline);
    let mut last_heard = Instant::now();
    let mut recheck = tokio::time::interval(state.socket_recheck);
    recheck.tick().await;
    let lost = Arc::new(tokio::sync::Notify::new());
    if let Ok(mut h) = handshake.lock() {
        h.lost = Some(lost.clone());
    }
    // Far away until `connection_init` names an expiry.
    let expiry = tokio::time::sleep(Duration::from_secs(365 * 24 * 3600));
    tokio::pin!(expiry);
    let mut expiry_set = false;

    let close = loop {
        tokio::select! {
            incoming = messages.next() => match incoming {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    last_heard = Instant::now();
                    if inbox.try_send(text.as_bytes().to_vec()).is_err() {
                        break Some((4429, "too many messages at once".to_owned()));
                    }
                }
                Some(Ok(AggregatedMessage::Binary(bytes))) => {
                    last_heard = Instant::now();
                    if inbox.try_send(bytes.to_vec()).is_err() {
                        break Some((4429, "too many messages at once".to_owned()));
                    }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    last_heard = Instant::now();
                    if session.pong(&bytes).await.is_err() {
                        break None;
                    }
                }
                Some(Ok(AggregatedMessage::Pong(_))) => last_heard = Instant::now(),
                Some(Ok(AggregatedMessage::Close(_))) | Some(Err(_)) | None => break None,
            },
            outgoing = protocol_stream.next() => match outgoing {
                Some(WsMessage::Text(text)) => {
                    match tokio::time::timeout(SEND_WITHIN, session.text(text)).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => break None,
                        Err(_) => {
                            tracing::warn!("WebSocket client not reading; dropped");
                            break Some((1008, "too slow to take messages".to_owned()));
                        }
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    let refusal = handshake.lock().ok().and_then(|mut h| h.refusal.take());
                    break Some(refusal.unwrap_or_else(|| match code {
                        // graphql-transport-ws: subscribing before the handshake is 4401.
                        1011 => (4401, "Unauthorized".to_owned()),
                        _ => (code, reason),
                    }));
                }
                None => break None,
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > IDLE {
                    break Some((1001, "no answer to pings".to_owned()));
                }

                if session.ping(b"").await.is_err() {
                    break None;
                }
            }
            _ = &mut init_deadline, if !acknowledged(&handshake) => {
                break Some((4408, "Connection initialisation timeout".to_owned()));
            }
            // A revoked token ends its subscriptions too, not only its next operation.
            _ = recheck.tick() => {
                if !still_valid(&state, &handshake).await {
                    break Some((4403, "Forbidden: the credential is no longer valid".to_owned()));
                }
            }
            _ = lost.notified() => {
                // The refusal went out; its `complete` follows at once: send what comes within
                // DRAIN_WITHIN in all, then close.
                let drained = async {
                    while let Some(WsMessage::Text(text)) = protocol_stream.next().await {
                        if session.text(text).await.is_err() {
                            break;
                        }
                    }
                };
                let _ = tokio::time::timeout(DRAIN_WITHIN, drained).await;
                break Some((4403, "Forbidden: the credential is no longer valid".to_owned()));
            }
            _ = &mut expiry, if expiry_set => {
                break Some((4403, "Forbidden: the credential has expired".to_owned()));
            }
        }
        if !expiry_set && let Some(at) = expires_at(&handshake) {
            expiry_set = true;
            let left = (at - chrono::Utc::now()).to_std().unwrap_or_default();
            expiry.as_mut().reset(tokio::time::Instant::now() + left);
        }
    };
    // Subscriptions end (their streams are dropped) before the socket's permit is released.
    drop(protocol_stream);
    let reason = close.map(|(code, description)| CloseReason {
        code: CloseCode::from(code),
        description: Some(description),
    });
    let _ = session.close(reason).await;
    drop(handshake);
}

fn acknowledged(handshake: &Mutex<Handshake>) -> bool {
    handshake.lock().map(|h| h.acknowledged).unwrap_or(true)
}

/// Whether the socket's credential still authenticates (anonymous sockets always do). A
/// database that cannot answer keeps the socket: it is not the credential that failed.
async fn still_valid(state: &web::Data<AppState>, handshake: &Mutex<Handshake>) -> bool {
    let Some(headers) = handshake.lock().ok().and_then(|h| h.credential.clone()) else {
        return true;
    };
    !matches!(
        state.authenticate(&headers).await,
        Err(error) if error != crate::error::ApiError::Unavailable
    )
}

fn expires_at(handshake: &Mutex<Handshake>) -> Option<chrono::DateTime<chrono::Utc>> {
    handshake.lock().ok().and_then(|h| h.expires_at)
}

fn tokio_stream(mut rx: tokio::sync::mpsc::Receiver<Vec<u8>>) -> BoxStream<'static, Vec<u8>> {
    stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed()
}

/// Authenticates the token in the payload (`Authorization` or `authorization`, as GraphiQL
/// and graphql-ws clients send it) and builds the connection's context.
async fn connection_init(
    state: web::Data<AppState>,
    handshake: Arc<Mutex<Handshake>>,
    payload: serde_json::Value,
    peer: Option<IpAddr>,
    languages: Vec<String>,
) -> async_graphql::Result<Data> {
    let refuse = |code: u16, reason: &str| {
        if let Ok(mut h) = handshake.lock() {
            h.refusal = Some((code, reason.to_owned()));
        }
        async_graphql::Error::new(reason.to_owned())
    };
    let mut headers = HeaderMap::new();
    let token = payload
        .get("Authorization")
        .or_else(|| payload.get("authorization"));
    match token {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(token)) => {
            let value = HeaderValue::from_str(token).map_err(|_| refuse(4403, "Forbidden"))?;
            headers.insert(header::AUTHORIZATION, value);
        }
        // A credential that is there but not a string is refused, never taken as anonymous.
        Some(_) => return Err(refuse(4403, "Forbidden: Authorization must be a string")),
    }
    let caller = match state.authenticate(&headers).await {
        Ok(caller) => caller,
        // The database, not the credential, failed: retryable, and not a guess.
        Err(crate::error::ApiError::Unavailable) => {
            return Err(refuse(1013, "Try again later: the database is unavailable"));
        }
        Err(_) => {
            // Guessing tokens counts against the address, as over HTTP.
            let _ = state.rates.check(&rate_limit::ip_key(peer)).await;
            return Err(refuse(4403, "Forbidden"));
        }
    };
    let key = rate_limit::key(&caller, peer);
    if state.rates.check(&key).await.is_err() {
        return Err(refuse(4429, "Too many requests"));
    }
    let Some(permit) = Sockets::acquire(&state, key) else {
        return Err(refuse(4429, "Too many connections"));
    };
    let lost = match handshake.lock() {
        Ok(mut h) => {
            h.acknowledged = true;
            h.permit = Some(permit);
            h.expires_at = caller.expires_at();
            h.credential = (!caller.is_anonymous()).then(|| headers.clone());
            h.lost.clone().unwrap_or_default()
        }
        Err(_) => return Err(refuse(1011, "Internal error")),
    };
    let loaders = DataLoader::new(
        Loaders {
            db: state.db.clone(),
            caller: caller.clone(),
        },
        |batch| {
            tokio::spawn(batch);
        },
    );
    let mut data = Data::default();
    data.insert(RequestContext {
        caller: caller.clone(),
        languages,
        db: state.db.clone(),
    });
    data.insert(loaders);
    data.insert(caller);
    data.insert(Running::default());
    data.insert(Credential { headers, lost });
    Ok(data)
}
