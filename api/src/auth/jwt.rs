//! JWT verification (and, for development and scripts, minting) with `jsonwebtoken`.
//!
//! Each configured key has its own algorithm allow-list: the HS256 secret verifies only HS256,
//! a public key only its own family, so a token signed with HMAC over a public key is refused.

use std::time::Duration;

use anyhow::{Context, bail};
use entity::enums::Role;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Caller, Credential, Principal, rejected};
use crate::config::Config;
use crate::domain::codes::CountryCode;
use crate::error::ApiError;

/// Seconds of clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 30;
const MIN_SECRET_BYTES: usize = 32;
const DEV_SECRET_FILE: &str = "mosaic-dev-jwt.secret";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default)]
    pub countries: Vec<String>,
    /// Organisation id (a UUID or a global id), for partners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
}

/// `aud` is one string or an array of them (RFC 7519, 4.1.3); identity providers send both.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Subjects Mosaic writes itself into the audit trail; a token claiming one would pose as
/// an anonymous caller or an API token there.
fn is_reserved_subject(subject: &str) -> bool {
    let subject = subject.trim().to_ascii_lowercase();
    subject.is_empty() || subject == "anonymous" || subject.starts_with("api-token:")
}

pub struct JwtKeys {
    /// Verification keys, each with the one algorithm it accepts.
    verifiers: Vec<(Algorithm, DecodingKey)>,
    signer: Option<EncodingKey>,
    issuer: Option<String>,
    audience: Option<String>,
    /// `MOSAIC_JWT_MAX_TTL`: the longest lifetime a token may claim.
    max_ttl: Duration,
    /// Where the development secret was kept, if one was made.
    pub dev_secret_file: Option<std::path::PathBuf>,
}

fn public_key(pem: &[u8]) -> anyhow::Result<(Algorithm, DecodingKey)> {
    if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
        return Ok((Algorithm::RS256, key));
    }
    if let Ok(key) = DecodingKey::from_ec_pem(pem) {
        return Ok((Algorithm::ES256, key));
    }
    if let Ok(key) = DecodingKey::from_ed_pem(pem) {
        return Ok((Algorithm::EdDSA, key));
    }
    bail!("MOSAIC_JWT_PUBLIC_KEY is not an RSA, EC P-256 or Ed25519 public key in PEM form")
}

/// Reads the development secret kept beside the database, making it on first start.
fn development_secret(config: &Config) -> anyhow::Result<(String, std::path::PathBuf)> {
    let path = config.data_dir().join(DEV_SECRET_FILE);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= MIN_SECRET_BYTES {
            return Ok((existing, path));
        }
    }
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(&path, &secret).with_context(|| {
        format!(
            "cannot keep the development JWT secret in {}",
            path.display()
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok((secret, path))
}

impl JwtKeys {
    /// The keys of this configuration. Production refuses to run without configured keys.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let mut verifiers = Vec::new();
        let mut signer = None;
        let mut dev_secret_file = None;
        let mut secret = config.jwt_secret.clone();
        if secret.is_none() && config.jwt_public_key.is_none() {
            if config.is_production() {
                bail!(
                    "MOSAIC_ENV=production needs MOSAIC_JWT_SECRET (HS256, at least {MIN_SECRET_BYTES} bytes) or MOSAIC_JWT_PUBLIC_KEY (PEM file) to verify tokens"
                );
            }
            let (made, path) = development_secret(config)?;
            secret = Some(made);
            dev_secret_file = Some(path);
        }
        if let Some(secret) = secret {
            if secret.len() < MIN_SECRET_BYTES {
                bail!("MOSAIC_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long");
            }
            verifiers.push((
                Algorithm::HS256,
                DecodingKey::from_secret(secret.as_bytes()),
            ));
            signer = Some(EncodingKey::from_secret(secret.as_bytes()));
        }
        if let Some(path) = &config.jwt_public_key {
            let pem = std::fs::read(path).with_context(|| {
                format!("cannot read MOSAIC_JWT_PUBLIC_KEY file {}", path.display())
            })?;
            verifiers.push(public_key(&pem)?);
        }
        Ok(Self {
            verifiers,
            signer,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            max_ttl: config.jwt_max_ttl,
            dev_secret_file,
        })
    }

    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        let invalid = || rejected("the token is not valid");
        let header = decode_header(token).map_err(|_| invalid())?;
        let (algorithm, key) = self
            .verifiers
            .iter()
            .find(|(alg, _)| *alg == header.alg)
            .ok_or_else(|| rejected("the token's algorithm is not accepted"))?;
        let mut validation = Validation::new(*algorithm);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        let mut required = vec!["exp", "sub"];
        if let Some(issuer) = &self.issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        match &self.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
        let data = decode::<Claims>(token, key, &validation).map_err(|error| {
            tracing::debug!(%error, "JWT refused");
            match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    rejected("the token has expired")
                }
                jsonwebtoken::errors::ErrorKind::ImmatureSignature => {
                    rejected("the token is not valid yet")
                }
                _ => invalid(),
            }
        })?;
        let claims = data.claims;
        let now = jsonwebtoken::get_current_timestamp();
        let lifetime = claims
            .exp
            .saturating_sub(claims.iat.unwrap_or(now).min(now));
        if lifetime > self.max_ttl.as_secs().saturating_add(LEEWAY_SECONDS) {
            return Err(rejected(
                "the token lives longer than this server accepts (MOSAIC_JWT_MAX_TTL)",
            ));
        }
        if is_reserved_subject(&claims.sub) {
            return Err(rejected("the token's subject is reserved"));
        }
        caller_from_claims(claims)
    }

    /// Whether this configuration holds a signing secret (a public key only verifies).
    pub fn can_mint(&self) -> bool {
        self.signer.is_some()
    }

    /// Signs a token for this configuration (development, scripts, tests).
    pub fn mint(&self, request: &TokenRequest) -> anyhow::Result<String> {
        if is_reserved_subject(&request.subject) {
            bail!("the subject `{}` is reserved", request.subject);
        }
        if request.ttl > self.max_ttl {
            bail!(
                "the lifetime is longer than MOSAIC_JWT_MAX_TTL ({})",
                humantime::format_duration(self.max_ttl)
            );
        }
        let Some(signer) = &self.signer else {
            bail!(
                "tokens can only be minted with MOSAIC_JWT_SECRET; this configuration only verifies"
            );
        };
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: request.subject.clone(),
            role: role_name(request.role).to_owned(),
            countries: request.countries.clone(),
            org: request.organisation.map(|o| o.to_string()),
            exp: now + request.ttl.as_secs(),
            nbf: None,
            iat: Some(now),
            iss: self.issuer.clone(),
            aud: self.audience.clone().map(Audience::One),
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, signer)?)
    }
}

/// What `mosaic token` asks for.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub subject: String,
    pub role: Role,
    pub countries: Vec<String>,
    pub organisation: Option<Uuid>,
    pub ttl: Duration,
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Viewer => "VIEWER",
        Role::Partner => "PARTNER",
        Role::Coordinator => "COORDINATOR",
        Role::Admin => "ADMIN",
    }
}

pub fn parse_role(name: &str) -> Option<Role> {
    match name.trim().to_ascii_uppercase().as_str() {
        "VIEWER" => Some(Role::Viewer),
        "PARTNER" => Some(Role::Partner),
        "COORDINATOR" => Some(Role::Coordinator),
        "ADMIN" => Some(Role::Admin),
        _ => None,
    }
}

/// An organisation reference in a claim: a UUID or a global id.
pub fn parse_organisation(value: &str) -> Option<Uuid> {
    Uuid::parse_str(value)
        .ok()
        .or_else(|| crate::ids::decode_uuid("org", value, crate::ids::Kind::Organisation).ok())
}

fn caller_from_claims(claims: Claims) -> Result<Caller, ApiError> {
    let role = parse_role(&claims.role).ok_or_else(|| rejected("the token's role is unknown"))?;
    let countries = claims
        .countries
        .iter()
        .map(|c| CountryCode::parse(c).map(CountryCode::into_inner))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| rejected("the token's countries are not ISO country codes"))?;
    let organisation_id = match &claims.org {
        Some(org) => Some(
            parse_organisation(org)
                .ok_or_else(|| rejected("the token's org is not an organisation id"))?,
        ),
        None => None,
    };
    let principal = match role {
        Role::Viewer => Principal::Viewer,
        Role::Admin => Principal::Admin,
        Role::Partner => Principal::Partner {
            organisation: organisation_id
                .ok_or_else(|| rejected("a PARTNER token needs the `org` claim"))?,
            scope: None,
        },
        Role::Coordinator if countries.is_empty() => {
            return Err(rejected("a COORDINATOR token needs its `countries`"));
        }
        Role::Coordinator => Principal::Coordinator { countries },
    };
    Ok(Caller {
        principal,
        credential: Credential::Jwt {
            subject: claims.sub,
            expires_at: i64::try_from(claims.exp)
                .ok()
                .and_then(|exp| chrono::DateTime::from_timestamp(exp, 0)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_mosaic_writes_itself_are_reserved() {
        for sub in [
            "anonymous",
            "Anonymous",
            "api-token:0193",
            " API-TOKEN:x",
            "",
        ] {
            assert!(is_reserved_subject(sub), "{sub:?}");
        }
        assert!(!is_reserved_subject("alice@example.org"));
    }

    #[test]
    fn an_audience_is_one_string_or_many() {
        let one: Claims = serde_json::from_value(serde_json::json!({
            "sub": "a", "role": "ADMIN", "exp": 1, "aud": "mosaic"
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(one.aud, Some(Audience::One(_))));
        let many: Claims = serde_json::from_value(serde_json::json!({
            "sub": "a", "role": "ADMIN", "exp": 1, "aud": ["other", "mosaic"]
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(many.aud, Some(Audience::Many(v)) if v.len() == 2));
    }
}
