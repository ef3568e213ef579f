//! The mock's answers about scope that are no fault: what a request that
//! names no scope is granted (RFC 6749 §3.3: a pre-defined default).

use super::*;

#[test]
fn an_authorization_request_without_scope_gets_the_default_scope() {
    // 401go's mock names a default; rfc6749's grants every scope the
    // client may have.
    for (profile, default) in [("401go", "read write"), ("rfc6749", "read write")] {
        let mut state = mock(profile, None);
        let code = code(&mut state);
        let answer = json(&exchange(&mut state, A, &code, MOCK_REDIRECT_URI));
        assert_eq!(answer["scope"], default, "{profile}");
    }
}
