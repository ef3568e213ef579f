//! The token manager's rules, each shown on the mock server: reuse, renewal
//! before expiry, one shared renewal, retry after rejection, and its faults.

use super::*;
use crate::client::{Limits, Transport};
use crate::mock::{ApiFault, MockAuthServer, TokenEndpointFault};
use crate::profile::Profile;

async fn setup(profile: &str, margin: Duration) -> (MockAuthServer, TokenManager, Clock) {
    setup_faulty(profile, margin, None).await
}

async fn setup_faulty(
    profile: &str,
    margin: Duration,
    fault: Option<ClientFault>,
) -> (MockAuthServer, TokenManager, Clock) {
    let clock = Clock::manual();
    let profile = Profile::load(profile).unwrap();
    let mock = MockAuthServer::start(&profile, clock.clone()).await;
    let credentials = mock.register_random_client();
    let client = OAuthClient::new(
        profile,
        mock.base_url(),
        credentials,
        Transport::new(Limits::default()).unwrap(),
    )
    .with_fault(fault);
    let manager = TokenManager::new(
        client,
        clock.clone(),
        ManagerConfig {
            margin,
            ..ManagerConfig::default()
        },
    );
    (mock, manager, clock)
}

#[tokio::test]
async fn the_cached_token_is_reused_until_the_margin_then_renewed() {
    let (mock, manager, clock) = setup("401go", DEFAULT_MARGIN).await;
    let first = manager.access_token().await.unwrap();
    clock.advance(Duration::from_secs(58 * 60)).unwrap();
    assert_eq!(manager.access_token().await.unwrap(), first);
    assert_eq!(mock.token_requests(), 1);
    clock.advance(Duration::from_secs(60)).unwrap();
    let second = manager.access_token().await.unwrap();
    assert_ne!(second, first);
    assert_eq!((mock.token_requests(), manager.renewals()), (2, 2));
}

#[tokio::test]
async fn the_manager_shows_its_margin_and_the_token_it_holds() {
    let margin = Duration::from_secs(5);
    let (_mock, manager, _clock) = setup("401go", margin).await;
    assert_eq!(manager.config().margin, margin);
    assert!(
        manager.cached().is_none(),
        "no token before the first request"
    );
    let token = manager.access_token().await.unwrap();
    let cached = manager.cached().expect("the token just fetched is held");
    assert_eq!((&cached.token, cached.generation), (&token, 1));
}

#[tokio::test]
async fn a_client_with_the_one_renewal_fault_starts_a_renewal_per_caller() {
    let (mock, manager, _clock) = setup_faulty(
        "401go",
        DEFAULT_MARGIN,
        Some(ClientFault::OneRenewalPerTask),
    )
    .await;
    let (a, b) = (manager.access_token(), manager.access_token());
    let (a, b) = futures::future::join(a, b).await;
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(
        mock.token_requests(),
        2,
        "the fault breaks the shared renewal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tasks_share_one_renewal() {
    let (mock, manager, _clock) = setup("rfc6749", DEFAULT_MARGIN).await;
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let m = manager.clone();
            tokio::spawn(async move { m.access_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(t.await.unwrap().unwrap());
    }
    assert_eq!(mock.token_requests(), 1);
    assert!(tokens.iter().all(|t| *t == tokens[0]));
}

#[tokio::test]
async fn a_failed_renewal_is_shared_then_forgotten() {
    let (mock, manager, _clock) = setup("401go", DEFAULT_MARGIN).await;
    mock.set_token_endpoint_fault(Some(TokenEndpointFault::EmptyServerError));
    let results = futures::future::join_all((0..20).map(|_| manager.access_token())).await;
    assert_eq!(mock.token_requests(), 1);
    let errors: Vec<String> = results
        .into_iter()
        .map(|r| r.unwrap_err().to_string())
        .collect();
    assert!(errors.iter().all(|e| *e == errors[0]), "{errors:?}");
    assert!(
        errors[0].contains("renewal #1") && errors[0].contains("500"),
        "{}",
        errors[0]
    );
    mock.set_token_endpoint_fault(None);
    assert!(manager.access_token().await.is_ok());
    assert_eq!(mock.token_requests(), 2);
}

#[tokio::test]
async fn callers_join_the_queue_when_they_call_not_when_they_poll() {
    let (mock, manager, _clock) = setup("401go", DEFAULT_MARGIN).await;
    mock.set_token_endpoint_fault(Some(TokenEndpointFault::EmptyServerError));
    let waiting: Vec<_> = (0..10).map(|_| manager.access_token()).collect();
    let mut errors = Vec::new();
    // Awaited one after the other: the renewal is over long before the
    // last is polled, yet each was queued for it when it was called.
    for future in waiting {
        errors.push(future.await.unwrap_err().to_string());
    }
    assert!(errors.iter().all(|e| *e == errors[0]), "{errors:?}");
    assert_eq!(mock.token_requests(), 1);
    // A caller after the failure starts a new renewal.
    let late = manager.access_token().await.unwrap_err().to_string();
    assert!(late.contains("renewal #2"), "{late}");
    assert_eq!(mock.token_requests(), 2);
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let (_mock, manager, _clock) = setup("json-body", DEFAULT_MARGIN).await;
    let token = manager.current().await.unwrap();
    let shown = format!("{token:?} {manager:?}");
    assert!(!shown.contains(token.token.expose()), "{shown}");
    assert!(shown.contains("generation: 1"), "{shown}");
}

#[tokio::test]
async fn a_rejected_token_is_renewed_and_the_call_retried_once() {
    let (mock, manager, _clock) = setup("401go", DEFAULT_MARGIN).await;
    manager.access_token().await.unwrap();
    mock.revoke_all_tokens();
    let call = manager.call_api().await.unwrap();
    assert!(call.retried());
    assert_eq!(call.last().outcome.as_ref().unwrap().status, 200);
    assert_eq!(mock.token_requests(), 2);
}

#[tokio::test]
async fn a_token_rejected_again_is_not_retried_in_a_loop() {
    let (mock, manager, _clock) = setup("401go", DEFAULT_MARGIN).await;
    mock.set_api_fault(Some(ApiFault::RejectEveryToken));
    let call = manager.call_api().await.unwrap();
    assert_eq!(call.attempts.len(), 2);
    assert_eq!(call.last().outcome.as_ref().unwrap().status, 401);
    assert_eq!((mock.token_requests(), mock.api_requests()), (2, 2));
}

#[tokio::test]
async fn exp_is_read_only_where_the_profile_says_so() {
    use crate::client::expiry::ExpirySource;
    use crate::mock::AccessTokenFault;
    for (profile, source, lifetime_s) in [
        ("json-body", ExpirySource::JwtExp, 1800),
        ("login3", ExpirySource::ExpiresIn, 86_400),
    ] {
        let (mock, manager, _clock) = setup(profile, DEFAULT_MARGIN).await;
        mock.set_access_token_fault(Some(AccessTokenFault::ExpDisagrees { exp_after_s: 1800 }));
        let token = manager.current().await.unwrap();
        assert_eq!(token.expiry.source, source, "{profile}");
        let lifetime_ms = token.expiry.expires_at_ms - token.expiry.issued_at_ms;
        // exp has whole seconds; the request time has milliseconds.
        assert!(
            (lifetime_ms - lifetime_s * 1000).abs() < 1000,
            "{profile}: {lifetime_ms}"
        );
    }
}

/// RFC 6750 §3.1: only a 401 with a Bearer challenge saying
/// `invalid_token` refuses the token itself.
#[test]
fn only_a_401_bearer_invalid_token_rejects_the_token() {
    use crate::checks::test_support::answer;
    for (status, challenge, rejects) in [
        (401, "Bearer error=\"invalid_token\"", true),
        (401, "Bearer error=\"insufficient_scope\"", false),
        (401, "Basic error=\"invalid_token\"", false),
        (403, "Bearer error=\"invalid_token\"", false),
    ] {
        let a = answer(status, &[("www-authenticate", challenge)], "");
        assert_eq!(a.rejects_token(), rejects, "{status} {challenge}");
    }
    assert!(!answer(401, &[], "").rejects_token());
}

#[test]
fn a_retried_call_has_two_attempts_and_ends_with_the_second() {
    let once = Authorized { attempts: vec![1] };
    assert_eq!((once.retried(), *once.last()), (false, 1));
    let twice = Authorized {
        attempts: vec![1, 2],
    };
    assert_eq!((twice.retried(), *twice.last()), (true, 2));
    let e = RenewalError::Invalid {
        generation: 3,
        source: ValidationError::AlgNone,
    };
    assert_eq!(e.generation(), 3);
}
