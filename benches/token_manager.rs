//! Benchmark: 10,000 concurrent API calls through one token manager,
//! straddling one token expiry, against the embedded mock on 127.0.0.1.
//!
//! Reports how many token requests the mock received while the calls ran
//! (seed 002's queue says exactly one: the renewal), the wall time, and the
//! cost of handing out a cached token. Exits non-zero if the renewal was not
//! exactly one request or if any call failed. Not a test: timings are
//! printed, never asserted.
//!
//!     cargo bench --bench token_manager
//!
//! The clock is virtual: half the calls start, the clock jumps past the
//! token's expiry, the other half start. Calls of the first half that reach
//! the API after the jump are refused with 401 invalid_token and retried
//! once with the renewed token.

mod common;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt as _;
use oauth_conformance::client::{
    ApiAttempt, Limits, ManagerConfig, OAuthClient, Presentation, TokenManager, Transport,
};
use oauth_conformance::clock::Clock;
use oauth_conformance::mock::MockAuthServer;
use oauth_conformance::profile::Profile;
use tokio::sync::Semaphore;

const CALLS: usize = 10_000;
/// HTTP requests in flight at once (every call still waits for its token
/// concurrently; this only bounds open connections).
const IN_FLIGHT: usize = 256;
const CACHED_ITERATIONS: u32 = 1_000_000;

fn main() -> ExitCode {
    common::run(run())
}

async fn run() -> Result<(), String> {
    let profile = Profile::load("401go").map_err(|e| e.to_string())?;
    let lifetime = Duration::from_secs(
        profile
            .token
            .expected_lifetime_s
            .ok_or("profile 401go documents no lifetime")?,
    );
    let clock = Clock::manual();
    let mock = MockAuthServer::start(&profile, clock.clone()).await;
    let credentials = mock.register_random_client();
    let transport = Transport::new(Limits::default()).map_err(|e| e.to_string())?;
    let client = OAuthClient::new(profile, mock.base_url(), credentials, transport);
    let manager = TokenManager::new(client.clone(), clock.clone(), ManagerConfig::default());

    // Warm up: the first token and the connection pool.
    manager.access_token().await.map_err(|e| e.to_string())?;
    let before = mock.token_requests();
    let api_before = mock.api_requests();

    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let call = |manager: &TokenManager| {
        let gate = gate.clone();
        let client = client.clone();
        manager.send(move |token| {
            let gate = gate.clone();
            let client = client.clone();
            async move {
                let _permit = gate.acquire_owned().await;
                client
                    .call_api(&Presentation::Bearer(token.expose().to_owned()))
                    .await
            }
        })
    };

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CALLS);
    for _ in 0..CALLS / 2 {
        tasks.push(tokio::spawn(call(&manager)));
    }
    clock
        .advance(lifetime + Duration::from_secs(1))
        .map_err(|e| e.to_string())?;
    for _ in CALLS / 2..CALLS {
        tasks.push(tokio::spawn(call(&manager)));
    }
    let mut failed = 0usize;
    let mut retried = 0usize;
    for task in tasks {
        let outcome = task.await.map_err(|e| format!("a task panicked: {e}"))?;
        match outcome {
            Ok(authorized) => {
                retried += usize::from(authorized.retried());
                if !accepted(authorized.last()) {
                    failed += 1;
                }
            }
            Err(_) => failed += 1,
        }
    }
    let wall = started.elapsed();
    let token_requests = mock.token_requests() - before;
    let api_requests = mock.api_requests() - api_before;

    // The cost of a cached token: the synchronous cache read behind every
    // call, and the whole `access_token().await` (which copies the token).
    let started = Instant::now();
    for _ in 0..CACHED_ITERATIONS {
        let token = manager
            .current()
            .now_or_never()
            .ok_or("the cached token was not ready at once")?
            .map_err(|e| e.to_string())?;
        std::hint::black_box(token);
    }
    let current_ns = started.elapsed().as_nanos() / u128::from(CACHED_ITERATIONS);
    let started = Instant::now();
    for _ in 0..CACHED_ITERATIONS {
        let token = manager.access_token().await.map_err(|e| e.to_string())?;
        std::hint::black_box(token);
    }
    let access_ns = started.elapsed().as_nanos() / u128::from(CACHED_ITERATIONS);
    let renewals_during_cached_loop = mock.token_requests() - before - token_requests;

    println!("token manager benchmark (embedded mock on 127.0.0.1, profile 401go, virtual clock)");
    println!(
        "  concurrent API calls            {CALLS} ({} before the expiry, {} after; at most {IN_FLIGHT} HTTP requests in flight)",
        CALLS / 2,
        CALLS - CALLS / 2
    );
    println!("  token requests during the calls {token_requests} (must be 1)");
    println!(
        "  API requests answered           {api_requests} ({retried} calls retried once after 401 invalid_token)"
    );
    println!("  failed calls                    {failed}");
    println!(
        "  wall time                       {:.1} ms",
        wall.as_secs_f64() * 1000.0
    );
    println!(
        "  throughput                      {:.0} calls/s",
        CALLS as f64 / wall.as_secs_f64()
    );
    println!("  cached token, current()         {current_ns} ns/op ({CACHED_ITERATIONS} calls)");
    println!("  cached token, access_token()    {access_ns} ns/op ({CACHED_ITERATIONS} calls)");

    if token_requests != 1 {
        return Err(format!("{token_requests} token requests instead of 1"));
    }
    if renewals_during_cached_loop != 0 {
        return Err("the cached-token loop requested tokens".into());
    }
    if failed != 0 {
        return Err(format!("{failed} calls failed"));
    }
    Ok(())
}

fn accepted(attempt: &ApiAttempt) -> bool {
    attempt
        .outcome
        .as_ref()
        .is_ok_and(|answer| (200..300).contains(&answer.status))
}
