//! When a cached access token expires, and when to renew it: plain
//! arithmetic on milliseconds, so every rule has a unit test.
//!
//! Where the expiry comes from is a provider question, answered by the
//! profile: `expires_in` counted from when the client asked (RFC 6749 §5.1)
//! is authoritative and the token is opaque to the client (RFC 9068 §6),
//! unless the profile opts in to reading `exp` from a JWT access token
//! (seed 002: "parse it [...] and get the exact UNIX timestamp when the
//! access token expires"). A token with neither lives as long as the guide
//! documents.

use std::time::Duration;

/// The lifetime a client assumes for a token whose response has no
/// `expires_in` when the provider documents none either: short, so an
/// unknown lifetime costs a few renewals rather than refused calls.
pub const UNDOCUMENTED_LIFETIME_S: u64 = 300;

/// Where an expiry time was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpirySource {
    /// The JWT access token's `exp` claim (profile `read_jwt_exp = true`).
    JwtExp,
    /// The token response's `expires_in`, counted from the request time.
    ExpiresIn,
    /// Neither was usable: the lifetime the provider's guide documents.
    Documented,
}

impl std::fmt::Display for ExpirySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::JwtExp => "the JWT's exp",
            Self::ExpiresIn => "expires_in",
            Self::Documented => "the documented lifetime",
        })
    }
}

/// What the client knows about a token's life, in UNIX milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    /// When the client asked for the token: the safe origin for
    /// `expires_in`, since the server started counting no earlier.
    pub issued_at_ms: i64,
    pub expires_at_ms: i64,
    pub source: ExpirySource,
}

/// What a token response says about expiry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExpiryFacts {
    /// `expires_in`, seconds.
    pub expires_in_s: Option<u64>,
    /// `exp` of a JWT access token, UNIX seconds, if one was readable.
    pub jwt_exp_s: Option<i64>,
}

/// Decides a token's expiry. `exp` is used only when `read_jwt_exp` is set
/// (and present); otherwise `expires_in`; otherwise `documented_lifetime_s`.
pub fn expiry(
    issued_at_ms: i64,
    facts: ExpiryFacts,
    read_jwt_exp: bool,
    documented_lifetime_s: u64,
) -> Expiry {
    let after = |seconds: u64| {
        issued_at_ms.saturating_add(
            i64::try_from(seconds)
                .unwrap_or(i64::MAX)
                .saturating_mul(1000),
        )
    };
    let (expires_at_ms, source) = match (read_jwt_exp, facts.jwt_exp_s, facts.expires_in_s) {
        (true, Some(exp), _) => (exp.saturating_mul(1000), ExpirySource::JwtExp),
        (_, _, Some(seconds)) => (after(seconds), ExpirySource::ExpiresIn),
        _ => (after(documented_lifetime_s), ExpirySource::Documented),
    };
    Expiry {
        issued_at_ms,
        expires_at_ms,
        source,
    }
}

impl Expiry {
    /// When to renew: `margin` before expiry, but never earlier than half
    /// the token's life. Without that floor a margin longer than a short
    /// lifetime would renew on every call, exactly what seed 002 warns
    /// against ("your server would also have to make more requests than
    /// necessary").
    pub fn renew_at_ms(&self, margin: Duration) -> i64 {
        let margin_ms = i64::try_from(margin.as_millis()).unwrap_or(i64::MAX);
        let lifetime_ms = self.expires_at_ms.saturating_sub(self.issued_at_ms).max(0);
        let half_life = self.issued_at_ms.saturating_add(lifetime_ms / 2);
        self.expires_at_ms.saturating_sub(margin_ms).max(half_life)
    }

    /// Whether the token may still be handed out at `now_ms`.
    pub fn is_fresh(&self, now_ms: i64, margin: Duration) -> bool {
        now_ms < self.renew_at_ms(margin)
    }

    /// Whether the token is past its expiry at `now_ms` (margin aside).
    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms >= self.expires_at_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000;
    const MIN: Duration = Duration::from_secs(60);

    fn facts(expires_in_s: Option<u64>, jwt_exp_s: Option<i64>) -> ExpiryFacts {
        ExpiryFacts {
            expires_in_s,
            jwt_exp_s,
        }
    }

    #[test]
    fn expires_in_counts_from_the_request_time() {
        let e = expiry(T0, facts(Some(3600), None), false, 99);
        assert_eq!(e.expires_at_ms, T0 + 3_600_000);
        assert_eq!(e.source, ExpirySource::ExpiresIn);
    }

    #[test]
    fn jwt_exp_wins_only_when_the_profile_reads_it() {
        let exp_s = T0 / 1000 + 1800;
        let read = expiry(T0, facts(Some(86_400), Some(exp_s)), true, 99);
        assert_eq!(
            (read.expires_at_ms, read.source),
            (exp_s * 1000, ExpirySource::JwtExp)
        );
        let opaque = expiry(T0, facts(Some(86_400), Some(exp_s)), false, 99);
        assert_eq!(
            (opaque.expires_at_ms, opaque.source),
            (T0 + 86_400_000, ExpirySource::ExpiresIn)
        );
    }

    #[test]
    fn read_jwt_exp_without_a_jwt_falls_back_to_expires_in() {
        let e = expiry(T0, facts(Some(60), None), true, 99);
        assert_eq!(e.source, ExpirySource::ExpiresIn);
    }

    #[test]
    fn neither_falls_back_to_the_documented_lifetime() {
        let e = expiry(T0, facts(None, None), true, 3600);
        assert_eq!(
            (e.expires_at_ms, e.source),
            (T0 + 3_600_000, ExpirySource::Documented)
        );
    }

    #[test]
    fn renewal_is_a_margin_before_expiry() {
        let e = expiry(T0, facts(Some(3600), None), false, 0);
        assert_eq!(e.renew_at_ms(MIN), T0 + 59 * 60_000);
        assert!(e.is_fresh(T0 + 59 * 60_000 - 1, MIN));
        assert!(!e.is_fresh(T0 + 59 * 60_000, MIN));
        assert!(!e.is_expired(T0 + 59 * 60_000));
        assert!(e.is_expired(T0 + 60 * 60_000));
    }

    #[test]
    fn a_margin_longer_than_the_lifetime_renews_at_half_life_not_every_call() {
        let e = expiry(T0, facts(Some(30), None), false, 0);
        assert_eq!(e.renew_at_ms(MIN), T0 + 15_000);
        assert!(e.is_fresh(T0, MIN));
    }

    #[test]
    fn an_exp_already_past_is_never_fresh() {
        let e = expiry(T0, facts(Some(3600), Some(T0 / 1000 - 10)), true, 0);
        assert!(!e.is_fresh(T0, Duration::ZERO));
        assert!(e.is_expired(T0));
    }

    #[test]
    fn absurd_lifetimes_saturate_instead_of_overflowing() {
        let e = expiry(T0, facts(Some(u64::MAX), None), false, 0);
        assert_eq!(e.expires_at_ms, i64::MAX);
        assert!(e.is_fresh(T0, MIN));
    }
}
