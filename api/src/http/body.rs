//! Reading a request body within a size limit and a time limit. actix-web cuts slow headers
//! but waits for a body as long as bytes trickle in, so a client sending one byte a second
//! could hold a connection (and a worker's attention) for as long as it liked.

use std::time::Duration;

use actix_web::web::{self, BytesMut};
use futures_util::StreamExt as _;

pub enum BodyError {
    /// Over the limit (413), read no further.
    TooLarge,
    /// Not complete within `MOSAIC_CLIENT_BODY_TIMEOUT` (408).
    TooSlow,
    /// The client broke off or sent malformed chunks (400).
    Broken,
}

/// The whole body, at most `max` bytes, arriving within `within`.
pub async fn read(
    mut payload: web::Payload,
    declared: Option<usize>,
    max: usize,
    within: Duration,
) -> Result<web::Bytes, BodyError> {
    if declared.is_some_and(|length| length > max) {
        return Err(BodyError::TooLarge);
    }
    let reading = async {
        let mut body = BytesMut::with_capacity(declared.unwrap_or(0).min(max));
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| BodyError::Broken)?;
            if body.len() + chunk.len() > max {
                return Err(BodyError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    tokio::time::timeout(within, reading)
        .await
        .unwrap_or(Err(BodyError::TooSlow))
}
