//! Bearer secrets (API tokens, registrants' manage tokens): a prefix and 256 random bits;
//! only the SHA-256 digest is stored.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// A new secret starting with `prefix`, and the digest to store in its place.
pub fn generate(prefix: &str) -> Result<(String, String), ApiError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    let secret = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let digest = digest(&secret);
    Ok((secret, digest))
}

pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
