//! JWT access tokens (RFC 9068), judged on the authorization server that
//! issued them, for a profile that says its access tokens are JWTs: typed
//! `at+jwt` (§2.1), with the claims §2.2 requires, signed by a key of the
//! server's JWKS (§2.1, §4), from its issuer (§4) and for the resource the
//! token was asked for (§3).
//!
//! The header and claims are read without trusting them (each check says
//! what it saw); the signature is the [`JwtValidator`]'s to verify, and only
//! its signature rules are this module's verdict on it: a token it refused
//! for its issuer or audience was signed well, and those claims have their
//! own checks.
//!
//! [`JwtValidator`]: crate::client::validation::JwtValidator

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::validation::{ValidatedToken, ValidationError};

type Map = serde_json::Map<String, serde_json::Value>;

/// The claims §2.2 lists as REQUIRED.
pub const REQUIRED_CLAIMS: [&str; 7] = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"];

/// What the judge needs besides the token.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    /// The server's issuer identifier; `None`: the profile names none.
    pub issuer: Option<&'a str>,
    /// The resource or audience the token was asked for; `None`: none.
    pub audience: Option<&'a str>,
    /// The client that asked for the token.
    pub client_id: &'a str,
}

/// Every RFC 9068 check on one access token (`validated`: what the
/// validator made of it against the server's JWKS).
pub fn judge(
    token: &str,
    validated: &Result<ValidatedToken, ValidationError>,
    expected: Expected<'_>,
) -> Vec<CheckOutcome> {
    let (header, claims) = match read(token) {
        Ok(parts) => parts,
        Err(why) => {
            let not_run = |check| {
                CheckOutcome::not_run(
                    check,
                    "the access token is not a JWT: jwt-access-token-typ judges it",
                )
            };
            return vec![
                CheckOutcome::fail(&JWT_AT_TYP, format!("the access token is not a JWT: {why}")),
                not_run(&JWT_AT_CLAIMS),
                not_run(&JWT_AT_SIGNED),
                not_run(&JWT_AT_ISS),
                not_run(&JWT_AT_AUD),
            ];
        }
    };
    vec![
        typ(&header),
        required_claims(&claims, expected.client_id),
        signed(validated),
        issuer(&claims, expected.issuer),
        audience(&claims, expected.audience),
    ]
}

/// The header and the claims of a JWS compact serialization, unverified.
pub fn read(token: &str) -> Result<(Map, Map), String> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(format!("{} dot-separated parts instead of 3", parts.len()));
    }
    let part = |i: usize, name: &str| -> Result<Map, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(parts[i].trim_end_matches('='))
            .map_err(|_| format!("its {name} is not base64url"))?;
        serde_json::from_slice(&bytes).map_err(|_| format!("its {name} is not a JSON object"))
    };
    Ok((part(0, "header")?, part(1, "payload")?))
}

/// §2.1: `typ` is `at+jwt`, or `application/at+jwt` (RFC 7515 §4.1.9: a
/// media type, compared without case).
pub fn typ(header: &Map) -> CheckOutcome {
    let typ = header.get("typ").and_then(|v| v.as_str());
    let ok = typ.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t == "at+jwt" || t == "application/at+jwt"
    });
    CheckOutcome::expect(&JWT_AT_TYP, ok, || match header.get("typ") {
        None => "the JWT header has no typ".into(),
        Some(other) => format!("the JWT header's typ is {other}, not at+jwt"),
    })
}

/// §2.2: every REQUIRED claim is there (`exp` and `iat` NumericDates), and
/// `client_id` names the client that asked (RFC 8693 §4.3).
pub fn required_claims(claims: &Map, client_id: &str) -> CheckOutcome {
    let missing: Vec<&str> = REQUIRED_CLAIMS
        .into_iter()
        .filter(|c| match claims.get(*c) {
            None | Some(serde_json::Value::Null) => true,
            Some(v) if matches!(*c, "exp" | "iat") => !v.is_number(),
            Some(_) => false,
        })
        .collect();
    if !missing.is_empty() {
        return CheckOutcome::fail(
            &JWT_AT_CLAIMS,
            format!(
                "the JWT access token lacks {} (RFC 9068 §2.2 requires {})",
                missing.join(", "),
                REQUIRED_CLAIMS.join(", ")
            ),
        );
    }
    let named = claims.get("client_id").and_then(|v| v.as_str());
    CheckOutcome::expect(&JWT_AT_CLAIMS, named == Some(client_id), || {
        format!(
            "client_id is {}, not the client that asked for the token",
            claims["client_id"]
        )
    })
}

/// §2.1 "JWT access tokens MUST be signed", with a key the server provides
/// (§4): the validator's signature rules.
pub fn signed(validated: &Result<ValidatedToken, ValidationError>) -> CheckOutcome {
    match validated {
        Ok(_) => CheckOutcome::pass(&JWT_AT_SIGNED),
        Err(e) if signature_rule(e) => CheckOutcome::fail(&JWT_AT_SIGNED, e.to_string()),
        // Refused for a claim, after its signature verified.
        Err(_) => CheckOutcome::pass(&JWT_AT_SIGNED),
    }
}

/// Whether the validator refused the token before its signature verified.
fn signature_rule(e: &ValidationError) -> bool {
    !matches!(
        e,
        ValidationError::WrongIssuer { .. }
            | ValidationError::WrongAudience { .. }
            | ValidationError::MissingClaim { .. }
            | ValidationError::Expired { .. }
            | ValidationError::NotYetValid { .. }
    )
}

/// §4: `iss` is exactly the issuer identifier.
pub fn issuer(claims: &Map, issuer: Option<&str>) -> CheckOutcome {
    let Some(issuer) = issuer else {
        return CheckOutcome::skip(
            &JWT_AT_ISS,
            "the profile names no issuer to compare iss with (issuer)",
        );
    };
    let iss = claims.get("iss");
    CheckOutcome::expect(
        &JWT_AT_ISS,
        iss.and_then(|v| v.as_str()) == Some(issuer),
        || match iss {
            None => "the JWT access token has no iss".into(),
            Some(v) => format!("iss is {v}, not the issuer {issuer:?}"),
        },
    )
}

/// §3: `aud` (a string or an array of strings, RFC 7519 §4.1.3) names the
/// resource the token was asked for.
pub fn audience(claims: &Map, audience: Option<&str>) -> CheckOutcome {
    let Some(audience) = audience else {
        return CheckOutcome::skip(
            &JWT_AT_AUD,
            "the profile names no resource the token is for (token.resource or token.audience)",
        );
    };
    let aud = claims.get("aud");
    let names = match aud {
        Some(serde_json::Value::String(a)) => a == audience,
        Some(serde_json::Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(audience)),
        _ => false,
    };
    CheckOutcome::expect(&JWT_AT_AUD, names, || match aud {
        None => "the JWT access token has no aud".into(),
        Some(v) => format!("aud is {v}, which does not name {audience:?}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;

    fn jwt(header: serde_json::Value, claims: serde_json::Value) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    }

    fn good_claims() -> serde_json::Value {
        serde_json::json!({
            "iss": "https://as.example", "exp": 2, "aud": ["https://api.example"],
            "sub": "c@clients", "client_id": "c", "iat": 1, "jti": "j"
        })
    }

    const EXPECTED: Expected<'static> = Expected {
        issuer: Some("https://as.example"),
        audience: Some("https://api.example"),
        client_id: "c",
    };

    fn verdicts(token: &str, validated: Result<ValidatedToken, ValidationError>) -> Vec<Verdict> {
        judge(token, &validated, EXPECTED)
            .into_iter()
            .map(|o| o.verdict)
            .collect()
    }

    fn ok() -> Result<ValidatedToken, ValidationError> {
        Ok(ValidatedToken {
            alg: jsonwebtoken::Algorithm::RS256,
            kid: "k".into(),
            claims: Default::default(),
        })
    }

    #[test]
    fn a_good_token_passes_every_check() {
        for typ in ["at+jwt", "application/AT+JWT"] {
            let token = jwt(serde_json::json!({"typ": typ}), good_claims());
            assert!(verdicts(&token, ok()).iter().all(|v| *v == Verdict::Pass));
        }
    }

    #[test]
    fn each_rule_fails_alone() {
        let fails = |token: &str, validated| {
            judge(token, &validated, EXPECTED)
                .into_iter()
                .filter(|o| o.failed())
                .map(|o| o.check.id)
                .collect::<Vec<_>>()
        };
        let header = serde_json::json!({"typ": "at+jwt"});
        let typed_jwt = jwt(serde_json::json!({"typ": "JWT"}), good_claims());
        assert_eq!(fails(&typed_jwt, ok()), ["jwt-access-token-typ"]);
        let untyped = jwt(serde_json::json!({}), good_claims());
        assert_eq!(fails(&untyped, ok()), ["jwt-access-token-typ"]);
        for claim in REQUIRED_CLAIMS {
            let mut claims = good_claims();
            claims.as_object_mut().unwrap().remove(claim);
            let expected: &[&str] = match claim {
                "iss" => &["jwt-access-token-claims", "jwt-access-token-iss"],
                "aud" => &["jwt-access-token-claims", "jwt-access-token-aud"],
                _ => &["jwt-access-token-claims"],
            };
            assert_eq!(
                fails(&jwt(header.clone(), claims), ok()),
                expected,
                "{claim}"
            );
        }
        let mut string_exp = good_claims();
        string_exp["exp"] = "2".into();
        assert_eq!(
            fails(&jwt(header.clone(), string_exp), ok()),
            ["jwt-access-token-claims"]
        );
        let mut other_client = good_claims();
        other_client["client_id"] = "d".into();
        assert_eq!(
            fails(&jwt(header.clone(), other_client), ok()),
            ["jwt-access-token-claims"]
        );
        let mut other_iss = good_claims();
        other_iss["iss"] = "https://as.example/".into();
        assert_eq!(
            fails(&jwt(header.clone(), other_iss), ok()),
            ["jwt-access-token-iss"]
        );
        let mut other_aud = good_claims();
        other_aud["aud"] = "https://other.example".into();
        assert_eq!(
            fails(&jwt(header.clone(), other_aud), ok()),
            ["jwt-access-token-aud"]
        );
        let good = jwt(header, good_claims());
        let unknown_kid = Err(ValidationError::UnknownKid {
            kid: "x".into(),
            known: "k".into(),
        });
        assert_eq!(fails(&good, unknown_kid), ["jwt-access-token-signed"]);
        assert_eq!(
            fails(&good, Err(ValidationError::AlgNone)),
            ["jwt-access-token-signed"]
        );
        let claim_refusal = Err(ValidationError::WrongAudience {
            found: "x".into(),
            expected: "y".into(),
        });
        assert!(fails(&good, claim_refusal).is_empty());
    }

    #[test]
    fn an_opaque_token_fails_typ_alone_and_the_rest_is_not_run() {
        let outcomes = judge("opaque-token", &Err(ValidationError::AlgNone), EXPECTED);
        assert!(matches!(&outcomes[0].verdict, Verdict::Fail(d) if d.contains("not a JWT")));
        assert!(outcomes[1..].iter().all(
            |o| matches!(&o.verdict, Verdict::NotRun(r) if r.contains("jwt-access-token-typ"))
        ));
    }

    #[test]
    fn without_issuer_or_audience_those_checks_skip_naming_the_field() {
        let token = jwt(serde_json::json!({"typ": "at+jwt"}), good_claims());
        let outcomes = judge(
            &token,
            &ok(),
            Expected {
                issuer: None,
                audience: None,
                client_id: "c",
            },
        );
        assert!(matches!(&outcomes[3].verdict, Verdict::Skip(r) if r.contains("(issuer)")));
        assert!(matches!(&outcomes[4].verdict, Verdict::Skip(r) if r.contains("token.resource")));
    }
}
