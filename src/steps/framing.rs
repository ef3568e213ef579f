//! What the authorization endpoint's pages say to a browser: frame
//! protection on every page the login driver fetched (RFC 9700 §4.16), and
//! no CORS for another site's script (RFC 9700 §2.6).

use cucumber::{then, when};

use super::world::{ConformanceWorld, StepResult};
use crate::checks::framing;
use crate::client::cors;
use crate::client::login::forgery::CROSS_SITE_ORIGIN;

#[then("every page the authorization server showed is protected against framing")]
async fn pages_frame_protected(w: &mut ConformanceWorld) -> StepResult {
    let pages: Vec<_> = w
        .code_flow
        .attempts
        .iter()
        .flat_map(|a| a.journey.pages.iter())
        .collect();
    w.record(vec![
        framing::frame_protected(&pages),
        framing::csp_frame_ancestors(&pages),
    ])
}

#[when("another site's script requests the authorization URL, with a preflight and without")]
async fn cross_site_script(w: &mut ConformanceWorld) -> StepResult {
    let redirect_uri = w.redirect_uri()?;
    let scope = w
        .profile()?
        .authorization_code
        .as_ref()
        .ok_or("this profile documents no authorization code flow")?
        .default_scope
        .clone();
    let client = w.client()?;
    let request = client.authorization_request(&redirect_uri, scope);
    let url = request.url(&client.profile, &client.base_url)?;
    let answers = cors::probe(client.transport(), &url).await;
    w.code_flow.cors = answers;
    Ok(())
}

#[then("the authorization endpoint admitted no other site's script")]
async fn no_cors(w: &mut ConformanceWorld) -> StepResult {
    let outcome = framing::no_cors(&w.code_flow.cors, CROSS_SITE_ORIGIN);
    w.record_one(outcome)
}
