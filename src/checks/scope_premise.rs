//! What a scope check must have asked for before it can judge.
//!
//! A scope scenario proves something only when its request is the one the
//! rule is about: a refresh that asks for *less* than the grant, several
//! scopes in one parameter, a scope the client was not given asked for
//! alone and alongside one it was given. Each function here gives that
//! request, or `Err` with why there is none, naming the profile field that
//! would give it: the step skips the scenario with that reason. Asking for
//! something else instead (the whole grant, the one scope there is) would
//! pass on a server that breaks the rule.

use crate::profile::Profile;

/// The space-separated values of `scope`.
fn values(scope: &str) -> Vec<&str> {
    scope.split(' ').filter(|s| !s.is_empty()).collect()
}

/// The premise of `refresh-rotated-scope-identical` (RFC 6749 §6): a
/// refresh that asks for less than the grant, so that a server which gives
/// the new refresh token the scope of that refresh, not of the grant, is
/// seen. The part to ask for is the grant's first scope; `granted` is the
/// grant's scope (`None`: unknown, the client asked for none and the server
/// did not say).
pub fn part_of_grant(granted: Option<&str>) -> Result<String, String> {
    let Some(granted) = granted else {
        return Err(
            "neither the code exchange's answer nor the authorization request named a scope, so the grant's scope is unknown and no refresh can ask for part of it (authorization_code.default_scope: two scopes or more the client may be granted)"
                .into(),
        );
    };
    match values(granted)[..] {
        [first, _, ..] => Ok(first.to_owned()),
        _ => Err(format!(
            "the grant's scope {granted:?} has fewer than two scopes, so no refresh can ask for part of it (authorization_code.default_scope: two scopes or more the client may be granted)"
        )),
    }
}

/// The premise of `token-request-scope` (RFC 6749 §3.3: a list of
/// space-delimited strings): several scopes the client may be granted, to
/// see them travel as one parameter. One scope shows nothing of that.
pub fn several_scopes(profile: &Profile) -> Result<String, String> {
    let name = &profile.name;
    match profile.token.scope.as_deref() {
        Some(scope) if values(scope).len() >= 2 => Ok(scope.to_owned()),
        Some(scope) => Err(format!(
            "profile {name} names one scope the client may be granted ({scope:?}), which shows nothing of how several travel (token.scope: two scopes or more)"
        )),
        None => Err(format!(
            "profile {name} names no scope the client may be granted (token.scope: two scopes or more)"
        )),
    }
}

/// How a request for a scope the client was not given is made: that scope
/// alone, or alongside the scopes it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeniedScope {
    Alone,
    WithGiven,
}

/// The scope to ask for: `token.denied_scope`, alone or after
/// `token.scope`. RFC 6749 §3.3 lets a server ignore part of a request and
/// requires it to say what it granted when that differs: alone, a server
/// that drops the scope it does not know has nothing left of the request,
/// and must still say what it granted.
pub fn denied_scope_request(profile: &Profile, how: DeniedScope) -> Result<String, String> {
    let name = &profile.name;
    let denied = profile.token.denied_scope.as_deref().ok_or_else(|| {
        format!("profile {name} names no scope the client may not be granted (token.denied_scope)")
    })?;
    match how {
        DeniedScope::Alone => Ok(denied.to_owned()),
        DeniedScope::WithGiven => match profile.token.scope.as_deref() {
            Some(given) => Ok(format!("{given} {denied}")),
            None => Err(format!(
                "profile {name} names no scope the client may be granted to ask for alongside the one it may not (token.scope)"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_grant_of_two_scopes_or_more_has_a_part_to_ask_for() {
        assert_eq!(part_of_grant(Some("read write")), Ok("read".into()));
        assert_eq!(part_of_grant(Some(" a  b c")), Ok("a".into()));
        // One scope, none, or an unknown grant: asking for "part" would ask
        // for the whole grant, and a server that narrows would pass.
        for granted in [Some("read"), Some(""), None] {
            let why = part_of_grant(granted).unwrap_err();
            assert!(why.contains("authorization_code.default_scope"), "{why}");
        }
    }

    #[test]
    fn several_scopes_need_two_in_the_profile() {
        let mut p = Profile::load("rfc6749").unwrap();
        assert_eq!(several_scopes(&p), Ok("read write".into()));
        for one in [Some("read".to_owned()), None] {
            p.token.scope = one;
            let why = several_scopes(&p).unwrap_err();
            assert!(why.contains("token.scope: two scopes or more"), "{why}");
        }
    }

    #[test]
    fn a_denied_scope_is_asked_for_alone_or_with_the_given_ones() {
        let mut p = Profile::load("401go").unwrap();
        assert_eq!(
            denied_scope_request(&p, DeniedScope::Alone),
            Ok("admin".into())
        );
        assert_eq!(
            denied_scope_request(&p, DeniedScope::WithGiven),
            Ok("read write admin".into())
        );
        // Without a given scope, the mixed request is skipped, never sent
        // as the lone one.
        p.token.scope = None;
        assert_eq!(
            denied_scope_request(&p, DeniedScope::Alone),
            Ok("admin".into())
        );
        let why = denied_scope_request(&p, DeniedScope::WithGiven).unwrap_err();
        assert!(why.contains("(token.scope)"), "{why}");
        p.token.denied_scope = None;
        for how in [DeniedScope::Alone, DeniedScope::WithGiven] {
            let why = denied_scope_request(&p, how).unwrap_err();
            assert!(why.contains("(token.denied_scope)"), "{why}");
        }
    }
}
