//! The control API under `/_conformance/` (loopback clients only): faults
//! on cue, the server's clock, a reset, the judgement so far. Bad input is a
//! 400 that says why; nothing here stops the server.
//!
//! - `GET  /_conformance/` what the server is: endpoints, client id, user;
//! - `GET  /_conformance/faults` the faults on and every known name;
//! - `POST /_conformance/faults` `{"fault": NAME, "times": N, "seconds": S}`;
//! - `POST /_conformance/clock` `{"advance_s": S}`;
//! - `POST /_conformance/reset` every fault off, the clock back;
//! - `GET  /_conformance/report` the judgement so far, as JSON.

use std::time::Duration;

use serde_json::{Value, json};

use crate::mock::http::{MockRequest, MockResponse};

use super::cues::{Fault, MAX_SLOW_S};
use super::{CONTROL_PREFIX, Shared, advance, endpoints, lock, reset};

/// The longest clock move one request may ask for: ten years.
const MAX_ADVANCE_S: f64 = 10.0 * 365.0 * 86_400.0;

fn bad(why: impl Into<String>) -> MockResponse {
    MockResponse::json(400, &json!({ "error": why.into() }))
}

/// Answers one control request.
pub(super) fn handle(shared: &Shared, req: &MockRequest) -> MockResponse {
    let what = req
        .path
        .strip_prefix(CONTROL_PREFIX)
        .unwrap_or("")
        .trim_end_matches('/');
    match (req.method.as_str(), what) {
        ("GET", "") => info(shared),
        ("GET", "faults") => faults(shared),
        ("POST", "faults") => match body(req) {
            Ok(v) => switch_on(shared, &v),
            Err(r) => r,
        },
        ("POST", "clock") => match body(req) {
            Ok(v) => clock(shared, &v),
            Err(r) => r,
        },
        ("POST", "reset") => {
            reset(shared);
            MockResponse::json(
                200,
                &json!({"reset": true, "faults": [], "clock_offset_s": 0}),
            )
        }
        ("GET", "report") => {
            MockResponse::json(200, &super::report::ServeReport::of(shared).to_json())
        }
        (_, "" | "faults" | "clock" | "reset" | "report") => MockResponse::json(
            405,
            &json!({"error": format!("{} is not allowed here", req.method)}),
        ),
        _ => MockResponse::json(
            404,
            &json!({
                "error": "no such control endpoint",
                "endpoints": [
                    "GET /_conformance/", "GET /_conformance/faults",
                    "POST /_conformance/faults", "POST /_conformance/clock",
                    "POST /_conformance/reset", "GET /_conformance/report",
                ],
            }),
        ),
    }
}

/// The body as a JSON object, or the 400 that says why not.
fn body(req: &MockRequest) -> Result<serde_json::Map<String, Value>, MockResponse> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad("the body must be a JSON object")),
        Err(e) => Err(bad(format!("the body is not JSON: {e}"))),
    }
}

fn info(shared: &Shared) -> MockResponse {
    let identity = &shared.identity;
    let endpoints: serde_json::Map<String, Value> = endpoints(shared)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect();
    MockResponse::json(
        200,
        &json!({
            "profile": shared.profile.name,
            "base_url": shared.base_url.as_str(),
            "endpoints": endpoints,
            "client_id": identity.client.id,
            "username": identity.username,
            "redirect_uris": identity.redirect_uris,
            "secrets": "the client secret and the password are never shown: see --env-file",
        }),
    )
}

fn faults(shared: &Shared) -> MockResponse {
    let active: Vec<Value> = lock(&shared.cues)
        .active
        .iter()
        .map(|c| json!({"fault": c.name, "remaining": c.remaining}))
        .collect();
    let known: Vec<Value> = Fault::known()
        .into_iter()
        .map(|(name, what)| json!({"fault": name, "what": what}))
        .collect();
    MockResponse::json(200, &json!({"active": active, "known": known}))
}

/// A positive whole number, or why not.
fn positive(v: &Value, name: &str) -> Result<u64, String> {
    match v.as_u64() {
        Some(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "{name} must be a whole number of at least 1, not {v}"
        )),
    }
}

fn switch_on(shared: &Shared, body: &serde_json::Map<String, Value>) -> MockResponse {
    let Some(name) = body.get("fault").and_then(Value::as_str) else {
        return bad(
            "the body needs \"fault\": the name of a fault (GET /_conformance/faults lists them)",
        );
    };
    let times = match body.get("times") {
        None | Some(Value::Null) => None,
        Some(v) => match positive(v, "times") {
            Ok(n) => Some(n),
            Err(e) => return bad(e),
        },
    };
    let seconds = match body.get("seconds") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(s) if s <= MAX_SLOW_S => Some(s),
            _ => {
                return bad(format!(
                    "seconds must be a whole number from 0 to {MAX_SLOW_S}, not {v}"
                ));
            }
        },
    };
    let Some(fault) = Fault::from_name(name, seconds) else {
        let known: Vec<String> = Fault::known().into_iter().map(|(n, _)| n).collect();
        return MockResponse::json(
            400,
            &json!({
                "error": format!("unknown fault {name:?}"),
                "known": known,
            }),
        );
    };
    lock(&shared.cues).switch_on(name, fault, times);
    MockResponse::json(200, &json!({"on": name, "times": times}))
}

fn clock(shared: &Shared, body: &serde_json::Map<String, Value>) -> MockResponse {
    let Some(v) = body.get("advance_s") else {
        return bad(
            "the body needs \"advance_s\": how many seconds to move the server's clock forward",
        );
    };
    let Some(s) = v.as_f64() else {
        return bad(format!("advance_s must be a number of seconds, not {v}"));
    };
    if !(0.0..=MAX_ADVANCE_S).contains(&s) {
        return bad(format!(
            "advance_s must be from 0 to {MAX_ADVANCE_S} (the clock only moves forward), not {s}"
        ));
    }
    advance(shared, Duration::from_secs_f64(s));
    let offset_ms = lock(&shared.state).clock_offset_ms;
    MockResponse::json(
        200,
        &json!({"advanced_s": s, "clock_offset_s": offset_ms as f64 / 1000.0}),
    )
}
