//! Figures, not assertions on time: requests per second `serve` answers and
//! judges on loopback, and the process's memory after 100,000 recorded
//! requests (recording is bounded). Ignored by default:
//! `cargo test --release --test integration serve_load -- --ignored --nocapture`.

use oauth_conformance::profile::Profile;
use oauth_conformance::serve::ProviderDouble;

const REQUESTS: usize = 100_000;
const TASKS: usize = 8;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "prints figures; run by hand"]
async fn load_figures() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let double = ProviderDouble::start(&Profile::load("401go").unwrap())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let creds = double.credentials().clone();
    let token_url = double.base_url().join("api/o/token/").unwrap();
    let api = double.base_url().join("api/example-endpoint").unwrap();
    let request = http
        .post(token_url.clone())
        .basic_auth(&creds.id, Some(creds.secret.expose()))
        .form(&[("grant_type", "client_credentials")]);
    let answer: serde_json::Value = request.send().await.unwrap().json().await.unwrap();
    let token = answer["access_token"].as_str().unwrap().to_owned();
    let before = rss_kib();
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (http, api, token) = (http.clone(), api.clone(), token.clone());
        let (token_url, creds) = (token_url.clone(), creds.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..REQUESTS / TASKS {
                // One token request in 100: the judge follows issued tokens too.
                if i % 100 == t {
                    let _ = http
                        .post(token_url.clone())
                        .basic_auth(&creds.id, Some(creds.secret.expose()))
                        .form(&[("grant_type", "client_credentials")])
                        .send()
                        .await;
                    continue;
                }
                let r = http
                    .get(api.clone())
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed();
    let report = double.report();
    println!(
        "{} requests in {:.1} s: {:.0} requests/s (client and server in one process, {TASKS} connections); RSS {} MiB before, {} MiB after",
        report.requests,
        elapsed.as_secs_f64(),
        report.requests as f64 / elapsed.as_secs_f64(),
        before / 1024,
        rss_kib() / 1024
    );
    assert!(report.requests as usize > REQUESTS);
}
