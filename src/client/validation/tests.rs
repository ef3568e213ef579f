use super::*;
use crate::mock::jwt;
use crate::mock::jwt::SigningAlg;

const ISS: &str = "https://login3.mock.test/";
const AUD: &str = "https://api.login3.mock.test/";

fn validator(clock: &Clock) -> JwtValidator {
    JwtValidator::new(jwt::jwks().unwrap().clone(), ISS, AUD, clock.clone())
}

fn claims(clock: &Clock) -> serde_json::Value {
    let now = clock.now_s();
    serde_json::json!({
        "iss": ISS, "aud": AUD, "sub": "c@clients",
        "iat": now, "nbf": now, "exp": now + 3600, "scope": "read:reports",
    })
}

fn refused(clock: &Clock, token: &str) -> ValidationError {
    validator(clock).validate(token).unwrap_err()
}

#[test]
fn rs256_and_es256_tokens_from_the_jwks_are_accepted() {
    let clock = Clock::manual();
    for (alg, kid) in [
        (SigningAlg::Rs256, jwt::KEY_ID),
        (SigningAlg::Es256, jwt::EC_KEY_ID),
    ] {
        let token = jwt::sign_with(alg, &claims(&clock)).unwrap();
        let ok = validator(&clock).validate(&token).unwrap();
        assert_eq!(ok.kid, kid);
        assert_eq!(ok.claims["scope"], "read:reports");
    }
}

#[test]
fn an_audience_array_holding_the_requested_audience_is_accepted() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c["aud"] = serde_json::json!(["https://other/", AUD]);
    let token = jwt::sign(&c).unwrap();
    assert!(validator(&clock).validate(&token).is_ok());
}

#[test]
fn alg_none_is_refused() {
    let clock = Clock::manual();
    let e = refused(&clock, &jwt::unsigned(&claims(&clock)));
    assert_eq!(e, ValidationError::AlgNone);
    assert!(e.to_string().contains("RFC 8725 §3.1"), "{e}");
}

#[test]
fn hs256_signed_with_the_public_key_is_refused_as_key_confusion() {
    let clock = Clock::manual();
    let e = refused(
        &clock,
        &jwt::hs256_with_public_key(&claims(&clock)).unwrap(),
    );
    assert_eq!(e.rule(), "key-confusion");
    assert!(e.to_string().contains("mock-rsa-1"), "{e}");
}

#[test]
fn an_unknown_kid_is_refused_naming_the_known_ones() {
    let clock = Clock::manual();
    let token =
        jwt::sign_with_kid(SigningAlg::Rs256, jwt::UNKNOWN_KEY_ID, &claims(&clock)).unwrap();
    let e = refused(&clock, &token);
    assert_eq!(e.rule(), "unknown-kid");
    let msg = e.to_string();
    assert!(
        msg.contains("mock-rsa-retired") && msg.contains("mock-ec-1"),
        "{msg}"
    );
    assert!(msg.contains("RFC 7515 §4.1.4"), "{msg}");
}

#[test]
fn a_missing_kid_is_refused() {
    let clock = Clock::manual();
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(jwt::RSA_PRIVATE_PEM.as_bytes()).unwrap();
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(Algorithm::RS256),
        &claims(&clock),
        &key,
    )
    .unwrap();
    assert_eq!(refused(&clock, &token), ValidationError::MissingKid);
}

#[test]
fn a_token_naming_the_ec_key_but_signed_rs256_is_a_key_mismatch() {
    let clock = Clock::manual();
    let token = jwt::sign_with_kid(SigningAlg::Rs256, jwt::EC_KEY_ID, &claims(&clock)).unwrap();
    assert_eq!(refused(&clock, &token).rule(), "key-mismatch");
}

#[test]
fn a_tampered_payload_fails_the_signature() {
    let clock = Clock::manual();
    let mut escalated = claims(&clock);
    escalated["scope"] = "admin".into();
    let token = jwt::tampered(SigningAlg::Es256, &claims(&clock), &escalated).unwrap();
    assert_eq!(refused(&clock, &token).rule(), "bad-signature");
}

#[test]
fn wrong_issuer_and_wrong_audience_are_refused() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c["iss"] = "https://impostor/".into();
    assert_eq!(
        refused(&clock, &jwt::sign(&c).unwrap()).rule(),
        "wrong-issuer"
    );
    let mut c = claims(&clock);
    c["aud"] = "https://another-api/".into();
    let e = refused(&clock, &jwt::sign(&c).unwrap());
    assert_eq!(e.rule(), "wrong-audience");
    assert!(e.to_string().contains(AUD), "{e}");
    let mut c = claims(&clock);
    c.as_object_mut().unwrap().remove("aud");
    assert_eq!(
        refused(&clock, &jwt::sign(&c).unwrap()).rule(),
        "wrong-audience"
    );
}

#[test]
fn exp_is_required() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(
        refused(&clock, &jwt::sign(&c).unwrap()),
        ValidationError::MissingClaim { claim: "exp" }
    );
}

#[test]
fn exp_is_forgiven_within_the_leeway_only() {
    let clock = Clock::manual();
    let token = jwt::sign(&claims(&clock)).unwrap();
    clock.advance(Duration::from_secs(3600 + 59)).unwrap();
    assert!(validator(&clock).validate(&token).is_ok());
    // Without leeway the same moment is already too late.
    let strict = validator(&clock).with_leeway(Duration::ZERO);
    assert_eq!(strict.validate(&token).unwrap_err().rule(), "expired");
    clock.advance(Duration::from_secs(1)).unwrap();
    assert_eq!(
        refused(&clock, &token),
        ValidationError::Expired {
            ago_s: 60,
            leeway_s: 60
        }
    );
}

#[test]
fn nbf_is_forgiven_within_the_leeway_only() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c["nbf"] = (clock.now_s() + 60).into();
    assert!(validator(&clock).validate(&jwt::sign(&c).unwrap()).is_ok());
    c["nbf"] = (clock.now_s() + 61).into();
    let e = refused(&clock, &jwt::sign(&c).unwrap());
    assert_eq!(e.rule(), "not-yet-valid");
    assert!(e.to_string().contains("RFC 7519 §4.1.5"), "{e}");
}

#[test]
fn time_rule_edges() {
    assert!(time_rules::before_exp(999, 1000, 0));
    assert!(!time_rules::before_exp(1000, 1000, 0));
    assert!(time_rules::before_exp(1059, 1000, 60));
    assert!(time_rules::after_nbf(1000, 1000, 0));
    assert!(!time_rules::after_nbf(999, 1000, 0));
    assert!(time_rules::after_nbf(940, 1000, 60));
    assert!(!time_rules::after_nbf(939, 1000, 60));
}

#[test]
fn other_algorithms_and_garbage_are_refused() {
    let clock = Clock::manual();
    assert_eq!(refused(&clock, "abc").rule(), "malformed");
    assert_eq!(refused(&clock, "!!.e30.").rule(), "malformed");
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"EdDSA","kid":"mock-rsa-1"}"#);
    let e = refused(&clock, &format!("{header}.e30.sig"));
    assert_eq!(e.rule(), "unsupported-algorithm");
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"NONE"}"#);
    assert_eq!(
        refused(&clock, &format!("{header}.e30.")),
        ValidationError::AlgNone
    );
}

#[test]
fn an_audience_array_without_the_requested_audience_is_refused() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c["aud"] = serde_json::json!(["https://other/", "https://another-api/"]);
    let e = refused(&clock, &jwt::sign(&c).unwrap());
    assert_eq!(e.rule(), "wrong-audience");
    assert!(e.to_string().contains("https://another-api/"), "{e}");
}

#[test]
fn a_single_string_audience_is_accepted_only_when_it_is_the_requested_one() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c["aud"] = AUD.into();
    assert!(validator(&clock).validate(&jwt::sign(&c).unwrap()).is_ok());
    c["aud"] = format!("{AUD}other").into();
    let e = refused(&clock, &jwt::sign(&c).unwrap());
    assert_eq!(e.rule(), "wrong-audience");
}

/// NumericDate values may be fractional seconds (RFC 7519 §2).
#[test]
fn fractional_exp_and_nbf_are_read_to_the_millisecond() {
    let clock = Clock::manual();
    let strict = validator(&clock).with_leeway(Duration::ZERO);
    let now = clock.now_ms() as f64 / 1000.0;
    let with = |name: &str, value: f64| {
        let mut c = claims(&clock);
        c[name] = value.into();
        jwt::sign(&c).unwrap()
    };
    assert!(strict.validate(&with("exp", now + 0.5)).is_ok());
    assert_eq!(
        strict.validate(&with("exp", now - 0.5)).unwrap_err().rule(),
        "expired"
    );
    assert!(strict.validate(&with("nbf", now - 0.5)).is_ok());
    assert_eq!(
        strict.validate(&with("nbf", now + 0.5)).unwrap_err().rule(),
        "not-yet-valid"
    );
    // With the default leeway, 59.5 s late is forgiven and 60.5 s is not.
    assert!(validator(&clock).validate(&with("exp", now - 59.5)).is_ok());
    assert_eq!(
        refused(&clock, &with("exp", now - 60.5)),
        ValidationError::Expired {
            ago_s: 60,
            leeway_s: 60
        }
    );
}

#[test]
fn a_refusal_for_nbf_says_how_far_ahead_it_is() {
    let clock = Clock::manual();
    // On a whole second, so that nbf, in whole seconds, is exactly 61 s ahead.
    let to_next_second = 1000 - clock.now_ms().rem_euclid(1000);
    clock
        .advance(Duration::from_millis(to_next_second as u64))
        .unwrap();
    let mut c = claims(&clock);
    c["nbf"] = (clock.now_s() + 61).into();
    assert_eq!(
        refused(&clock, &jwt::sign(&c).unwrap()),
        ValidationError::NotYetValid {
            ahead_s: 61,
            leeway_s: 60
        }
    );
}

/// A validator whose JWKS holds `extra` besides the mock's keys.
fn validator_with(clock: &Clock, extra: serde_json::Value) -> JwtValidator {
    let mut jwks = jwt::jwks().unwrap().clone();
    jwks.keys.push(serde_json::from_value(extra).unwrap());
    JwtValidator::new(jwks, ISS, AUD, clock.clone())
}

#[test]
fn a_key_of_the_right_type_declared_for_another_algorithm_is_a_key_mismatch() {
    let clock = Clock::manual();
    let mut jwks = jwt::jwks().unwrap().clone();
    for key in &mut jwks.keys {
        if key.common.key_id.as_deref() == Some(jwt::KEY_ID) {
            key.common.key_algorithm = Some(jsonwebtoken::jwk::KeyAlgorithm::PS256);
        }
    }
    let v = JwtValidator::new(jwks, ISS, AUD, clock.clone());
    let e = v
        .validate(&jwt::sign(&claims(&clock)).unwrap())
        .unwrap_err();
    assert_eq!(e.rule(), "key-mismatch");
    assert!(e.to_string().contains("PS256 (RSA key)"), "{e}");
}

#[test]
fn a_token_naming_a_symmetric_or_okp_key_is_a_key_mismatch_naming_the_key_type() {
    let clock = Clock::manual();
    for (jwk, kind) in [
        (
            serde_json::json!({"kty": "oct", "kid": "shared", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQ"}),
            "an symmetric (oct) key",
        ),
        (
            serde_json::json!({"kty": "OKP", "kid": "okp", "crv": "Ed25519",
                "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
            "an OKP key",
        ),
    ] {
        let kid = jwk["kid"].as_str().unwrap().to_owned();
        let v = validator_with(&clock, jwk);
        let token = jwt::sign_with_kid(SigningAlg::Rs256, &kid, &claims(&clock)).unwrap();
        let e = v.validate(&token).unwrap_err();
        assert_eq!(e.rule(), "key-mismatch", "{kid}");
        assert!(e.to_string().contains(kind), "{e}");
    }
}

#[test]
fn an_unknown_kid_against_a_jwks_without_kids_says_so() {
    let clock = Clock::manual();
    let v = JwtValidator::new(JwkSet { keys: vec![] }, ISS, AUD, clock.clone());
    let e = v
        .validate(&jwt::sign(&claims(&clock)).unwrap())
        .unwrap_err();
    assert_eq!(e.rule(), "unknown-kid");
    assert!(e.to_string().contains("no keys with a kid"), "{e}");
}

#[test]
fn a_wrong_issuer_refusal_names_the_issuer_found() {
    let clock = Clock::manual();
    let mut c = claims(&clock);
    c["iss"] = "https://impostor/".into();
    let e = refused(&clock, &jwt::sign(&c).unwrap());
    assert!(
        e.to_string().contains("iss is \"https://impostor/\""),
        "{e}"
    );
    c.as_object_mut().unwrap().remove("iss");
    let e = refused(&clock, &jwt::sign(&c).unwrap());
    assert!(e.to_string().contains("iss is missing"), "{e}");
}
