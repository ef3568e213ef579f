//! Fetching the authorization server's metadata and checking it (RFC 8414).

use cucumber::{then, when};
use serde_json::{Map, Value};

use super::world::{ConformanceWorld, MetadataFetch, StepResult, ensure};
use crate::checks::metadata as checks;
use crate::checks::{CheckOutcome, Verdict};
use crate::client::{metadata, well_known};

/// The issuer whose metadata the scenario fetches: the mock's own (its base
/// URL), or the profile's `issuer` on a real target.
fn issuer(w: &ConformanceWorld) -> Result<String, String> {
    if w.on_mock() {
        return Ok(w.mock()?.issuer());
    }
    let profile = w.profile()?;
    profile.issuer.clone().ok_or_else(|| {
        format!(
            "profile {} names no issuer (issuer): tag the scenario @needs_issuer",
            profile.name
        )
    })
}

/// GETs the metadata at the RFC 8414 §3.1 URI formed from the issuer (an
/// origin the profile declares with `issuer`, the target's or another);
/// after a 404 there, at OpenID Connect discovery's URI, where a server
/// without RFC 8414 metadata publishes it.
#[when("the client fetches the authorization server metadata")]
async fn fetch(w: &mut ConformanceWorld) -> StepResult {
    let issuer = issuer(w)?;
    let parsed = match url::Url::parse(&issuer) {
        Ok(url) => url,
        Err(e) => return Err(w.not_run(format!("the issuer {issuer:?} is not a URL: {e}"))),
    };
    let transport = w.client()?.transport();
    let answer = metadata::fetch(transport, &well_known::rfc8414(&parsed))
        .await
        .map_err(|e| format!("no answer to the metadata request: {e}"))?;
    let openid = match answer.status {
        404 => metadata::fetch(transport, &well_known::openid(&parsed))
            .await
            .ok(),
        _ => None,
    };
    w.metadata = Some(MetadataFetch {
        issuer,
        answer,
        openid,
    });
    Ok(())
}

fn fetched(w: &ConformanceWorld) -> Result<&MetadataFetch, String> {
    w.metadata
        .as_ref()
        .ok_or_else(|| "the metadata was not fetched yet".into())
}

/// Where the fetched metadata was published.
fn published(fetch: &MetadataFetch) -> checks::Published<'_> {
    checks::Published {
        rfc8414: &fetch.answer,
        openid: fetch.openid.as_ref(),
    }
}

/// Records a member check. Without a document there is nothing to judge:
/// the scenario is not run, with the reason. A check skipped for another
/// reason (the https scheme of a loopback issuer) is reported as skipped,
/// in a scenario that passes on what it could judge.
fn record_judged(
    w: &mut ConformanceWorld,
    judge: impl FnOnce(Option<&Map<String, Value>>, &str) -> CheckOutcome,
) -> StepResult {
    let fetch = fetched(w)?;
    let doc = metadata::document(published(fetch).judged());
    let outcome = judge(doc.as_ref(), &fetch.issuer);
    let no_document = match (&doc, &outcome.verdict) {
        (None, Verdict::Skip(why)) => Some(why.clone()),
        _ => None,
    };
    w.record_one(outcome)?;
    match no_document {
        Some(why) => Err(w.not_run(why)),
        None => Ok(()),
    }
}

#[then("the metadata is a JSON object served with 200 as application/json")]
async fn response(w: &mut ConformanceWorld) -> StepResult {
    let outcome = checks::response_where_published(published(fetched(w)?));
    w.record_one(outcome)
}

#[then("the metadata's issuer is identical to the issuer its URL was formed from")]
async fn issuer_identical(w: &mut ConformanceWorld) -> StepResult {
    record_judged(w, checks::issuer_identical)
}

#[then("the metadata has the members RFC 8414 §2 requires")]
async fn required_members(w: &mut ConformanceWorld) -> StepResult {
    record_judged(w, |doc, _| checks::required_members(doc))
}

#[then("the metadata's issuer is an https URL without query or fragment")]
async fn issuer_url(w: &mut ConformanceWorld) -> StepResult {
    record_judged(w, |doc, _| checks::issuer_url(doc))
}

/// The harness's view of `metadata-response` on a server that publishes no
/// RFC 8414 document: judged without being recorded, as recording a lone
/// skip would set the scenario aside (a scenario passes only when something
/// was judged, and the checks after this step judge the OpenID document).
#[then(expr = "the metadata response check skips, naming {string}")]
async fn response_skips(w: &mut ConformanceWorld, needle: String) -> StepResult {
    let outcome = checks::response_where_published(published(fetched(w)?));
    match &outcome.verdict {
        Verdict::Skip(why) => ensure(why.contains(&needle), || {
            format!("metadata-response was skipped, but the reason does not name {needle:?}: {why}")
        }),
        other => Err(format!("metadata-response was not skipped: {other:?}")),
    }
}
