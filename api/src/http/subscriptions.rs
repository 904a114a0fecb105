//! GraphQL over WebSocket on `/graphql`: `graphql-transport-ws`, and the legacy `graphql-ws`.
//!
//! `actix-ws` carries the frames (its outgoing queue is bounded), async-graphql's `WebSocket`
//! speaks the protocol, and this module adds what a production server needs around them:
//! the token from `connection_init`'s payload (a bad one closes with 4403), a cap on sockets
//! per caller (4429) and on operations per socket, the same document limits, introspection
//! rule and rate limit as HTTP, keep-alive pings, and dropping clients that stop reading.

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, Session};
use async_graphql::dataloader::DataLoader;
use async_graphql::http::{WebSocket, WsMessage};
use async_graphql::{Data, Executor, Request, Response, ServerError};
use futures_util::stream::{self, BoxStream, StreamExt};

use super::AppState;
use super::rate_limit;
use crate::auth::{self, Caller};
use crate::graphql::context::RequestContext;
use crate::graphql::limits;
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
    let peer = req.peer_addr().map(|a| a.ip());
    let languages = super::graphql::languages(&req);
    actix_web::rt::spawn(serve(state, session, messages, protocol, peer, languages));
    Ok(response)
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
        .or_else(|| payload.get("authorization"))
        .and_then(|v| v.as_str());
    if let Some(token) = token {
        let value = HeaderValue::from_str(token).map_err(|_| refuse(4403, "Forbidden"))?;
        headers.insert(header::AUTHORIZATION, value);
    }
    let caller = match auth::authenticate(&headers, &state.jwt, &state.db).await {
        Ok(caller) => caller,
        Err(_) => {
            // Guessing tokens counts against the address, as over HTTP.
            let _ = state.rates.check(&rate_limit::ip_key(peer));
            return Err(refuse(4403, "Forbidden"));
        }
    };
    let key = rate_limit::key(&caller, peer);
    if state.rates.check(&key).is_err() {
        return Err(refuse(4429, "Too many requests"));
    }
    let Some(permit) = Sockets::acquire(&state, key) else {
        return Err(refuse(4429, "Too many connections"));
    };
    if let Ok(mut h) = handshake.lock() {
        h.acknowledged = true;
        h.permit = Some(permit);
    }
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
    Ok(data)
}

/// Operations running on one socket.
#[derive(Default)]
struct Running(Arc<AtomicU32>);

/// Checks each operation on a socket as `http::graphql` checks each request.
#[derive(Clone)]
struct Guarded {
    state: web::Data<AppState>,
    peer: Option<IpAddr>,
}

impl Executor for Guarded {
    async fn execute(&self, request: Request) -> Response {
        self.state.schema.execute(request).await
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let state = &self.state;
        let caller = session_data
            .as_ref()
            .and_then(|d| d.get(&std::any::TypeId::of::<Caller>()))
            .and_then(|c| c.downcast_ref::<Caller>())
            .cloned()
            .unwrap_or_else(Caller::anonymous);
        match limits::check_request(&mut request, &state.limits) {
            Err(exceeded) => return refusal("QUERY_TOO_COMPLEX", &exceeded.message),
            Ok(shape) if shape.introspects && !state.introspection.allows(caller.role) => {
                return refusal(
                    "FORBIDDEN",
                    "schema introspection is not available to this caller",
                );
            }
            Ok(_) => {}
        }
        if state
            .rates
            .check(&rate_limit::key(&caller, self.peer))
            .is_err()
        {
            return refusal("RATE_LIMITED", "too many requests; slow down");
        }
        let running = session_data
            .as_ref()
            .and_then(|d| d.get(&std::any::TypeId::of::<Running>()))
            .and_then(|r| r.downcast_ref::<Running>())
            .map(|r| r.0.clone())
            .unwrap_or_default();
        if running.fetch_add(1, Ordering::SeqCst) >= state.limits.max_subscriptions {
            running.fetch_sub(1, Ordering::SeqCst);
            return refusal(
                "TOO_MANY_SUBSCRIPTIONS",
                &format!(
                    "at most {} operations at once on one connection",
                    state.limits.max_subscriptions
                ),
            );
        }
        let slot = Slot(running);
        if !state.introspection.allows(caller.role) {
            request = request.disable_introspection();
        }
        state
            .schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .map(move |response| {
                let _held = &slot;
                response
            })
            .boxed()
    }
}

/// Frees an operation's place on its socket when its stream ends or is stopped.
struct Slot(Arc<AtomicU32>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A one-message answer refusing an operation, with its code.
fn refusal(code: &'static str, message: &str) -> BoxStream<'static, Response> {
    let mut error = ServerError::new(message.to_owned(), None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    stream::once(async move { Response::from_errors(vec![error]) }).boxed()
}
