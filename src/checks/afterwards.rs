//! What a token did when it was used again after a revocation or a
//! rotation: worked, was refused, or could not be told. Shared by the
//! revocation and rotation checks, which judge a server by it.

use crate::client::{ApiAttempt, TokenAttempt, TokenError};

/// How a token fared when it was presented again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Afterwards {
    /// It worked: a token response, or a 2xx from the API. What came.
    Worked(String),
    /// It was refused: an OAuth error, or a 4xx (not 429) from the API.
    Refused(String),
    /// Nothing that tells: no answer, a 429 or a 5xx, a page that is no
    /// OAuth error. Why.
    Untold(String),
}

impl Afterwards {
    /// A refresh (or any token request) presenting the token.
    pub fn of_refresh(attempt: &TokenAttempt) -> Self {
        match &attempt.outcome {
            Ok(_) => Self::Worked("the token endpoint issued a token for it".into()),
            Err(TokenError::Refused { status, error }) => Self::Refused(format!(
                "the token endpoint refused it: {status} {}",
                error.error
            )),
            Err(e) => Self::Untold(format!("the refresh got no usable answer: {e}")),
        }
    }

    /// An API call presenting the access token.
    pub fn of_api(attempt: &ApiAttempt) -> Self {
        match &attempt.outcome {
            Ok(answer) => match answer.status {
                200..=299 => Self::Worked(format!("the API accepted it ({})", answer.status)),
                429 => Self::Untold("the API answered 429 (too many requests)".into()),
                400..=499 => Self::Refused(format!("the API refused it ({})", answer.status)),
                status => Self::Untold(format!(
                    "the API answered {status}, neither an acceptance nor a refusal"
                )),
            },
            Err(e) => Self::Untold(format!("the API did not answer: {e}")),
        }
    }
}
