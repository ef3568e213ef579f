//! What every part of the mock that hands out a secret shares: how the
//! secret is made, and how long codes and refresh tokens live.
//!
//! Both endpoints issue codes (the authorization endpoint on consent, the
//! token endpoint when it invents one for a faulty server), so these live
//! below both rather than in either.

use base64::Engine as _;
use rand::RngCore as _;

use crate::profile::Profile;

/// Authorization codes live ten minutes (RFC 6749 §4.1.2 recommends at most 10).
pub const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// How long a refresh token lives when the profile does not say.
const DEFAULT_REFRESH_LIFETIME_DAYS: u64 = 30;

const DAY_MS: i64 = 86_400_000;

/// 256 random bits, base64url: every token, code, session id and secret the
/// mock hands out, so none can be guessed from another.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// How long a refresh token lives: the profile's documented lifetime (seed
/// 001: 30 days), in milliseconds of the mock's clock.
pub fn refresh_lifetime_ms(profile: &Profile) -> i64 {
    let days = profile
        .authorization_code
        .as_ref()
        .and_then(|a| a.refresh_lifetime_days)
        .unwrap_or(DEFAULT_REFRESH_LIFETIME_DAYS);
    i64::try_from(days).unwrap_or(30) * DAY_MS
}
