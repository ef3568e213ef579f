//! Token requests a server must refuse: a parameter given twice, two client
//! authentication methods at once, a client id it never issued, the
//! password grant (RFC 6749 §2.3, §3.2, §5.2; RFC 9700 §2.4). Each is a
//! [`Misstep`]; the refusal is judged by the steps of [`super::token`]
//! ("the token endpoint refuses with error …", "issues no token").

use cucumber::when;
use rand::RngCore as _;

use super::token::form_encoded_only;
use super::world::{ConformanceWorld, StepResult};
use crate::client::login::UserLogin;
use crate::client::{ClientCredentials, GrantType, Misstep, Secret, TokenRequest};
use crate::sandbox::{Identity, Target};

async fn send(w: &mut ConformanceWorld, request: TokenRequest) -> StepResult {
    let attempt = w.client()?.request_token(&request).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("the client sends a token request with grant_type twice")]
async fn grant_type_twice(w: &mut ConformanceWorld) -> StepResult {
    // A JSON object cannot carry a member twice.
    form_encoded_only(w)?;
    send(
        w,
        TokenRequest::client_credentials().misstep(Misstep::RepeatedParameter),
    )
    .await
}

#[when("the client authenticates with HTTP Basic and in the body at once")]
async fn two_auth_methods(w: &mut ConformanceWorld) -> StepResult {
    send(
        w,
        TokenRequest::client_credentials().misstep(Misstep::TwoAuthMethods),
    )
    .await
}

#[when("a client id the server never issued requests an access token")]
async fn unknown_client(w: &mut ConformanceWorld) -> StepResult {
    let mut bytes = [0u8; 6];
    rand::rng().fill_bytes(&mut bytes);
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let client = w.client()?.clone();
    let unknown = ClientCredentials::new(
        format!("conformance-never-issued-{suffix}"),
        client.credentials.secret.expose(),
    );
    let attempt = client
        .with_credentials(unknown)
        .request_token(&TokenRequest::client_credentials().misstep(Misstep::UnknownClient))
        .await;
    w.token_attempts.push(attempt);
    Ok(())
}

/// The test user whose password the password grant would trade: the mock's,
/// or the configured one on a real target. Without one the scenario is
/// skipped: a made-up user's password would be refused by any server, and
/// prove nothing.
fn test_user(w: &mut ConformanceWorld) -> Result<UserLogin, String> {
    let found = match &w.ctx()?.target {
        Target::Sandbox(s) => s
            .settings
            .user()
            .map(|(username, password)| UserLogin { username, password })
            .map_err(|missing| format!("no test user is configured ({missing})")),
        Target::Mock => match w.mock()?.user() {
            Some(u) => Ok(UserLogin {
                username: u.username,
                password: Secret::new(u.password),
            }),
            None => Err(format!(
                "the mock has a test user only for a profile with an authorization code flow, and profile {} has none",
                w.profile()?.name
            )),
        },
    };
    let user = found.map_err(|why| w.skip(why))?;
    // A password the server does not know would be refused by any server:
    // with a user the pre-flight could not log in, a refusal proves nothing.
    w.identity(Identity::User)?;
    Ok(user)
}

#[when("the client asks for a token with the test user's password")]
async fn password_grant(w: &mut ConformanceWorld) -> StepResult {
    let user = test_user(w)?;
    let request = TokenRequest::client_credentials()
        .grant(GrantType::Other("password".into()))
        .param("username", user.username)
        .param("password", user.password.expose())
        .misstep(Misstep::PasswordGrant);
    send(w, request).await
}
