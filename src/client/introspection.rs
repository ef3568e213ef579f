//! Token introspection (RFC 7662): what the server says of a token. A POST
//! to the profile's `introspection_path` with the token and the caller's
//! authentication (§2.1); the answer is a JSON object whose `active` says
//! whether the token is live (§2.2).

use super::form_post::TokenForm;
use super::{ApiAttempt, HttpAnswer, OAuthClient};
use crate::profile::Endpoint;

impl OAuthClient {
    /// Asks the server what it knows of `form`'s token.
    pub async fn introspect(&self, form: &TokenForm) -> ApiAttempt {
        self.post_token_form(Endpoint::Introspection, form).await
    }
}

/// An introspection answer read as RFC 7662 §2.2 describes it: the JSON
/// object, when the body is one.
pub fn members(answer: &HttpAnswer) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice::<serde_json::Value>(&answer.body) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}
