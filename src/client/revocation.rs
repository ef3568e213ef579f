//! Token revocation (RFC 7009): the client tells the server it no longer
//! needs a token. A POST to the profile's `revocation_path` with the token,
//! an optional `token_type_hint` and the client's authentication (§2.1);
//! the server answers 200 whether it revoked the token or never knew it
//! (§2.2).

use super::form_post::TokenForm;
use super::{ApiAttempt, OAuthClient};
use crate::profile::Endpoint;

/// The hints RFC 7009 §2.1 defines.
pub const ACCESS_TOKEN_HINT: &str = "access_token";
pub const REFRESH_TOKEN_HINT: &str = "refresh_token";

impl OAuthClient {
    /// Asks the server to revoke `form`'s token.
    pub async fn revoke(&self, form: &TokenForm) -> ApiAttempt {
        self.post_token_form(Endpoint::Revocation, form).await
    }
}
