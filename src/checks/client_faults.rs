//! Which client check each [`ClientFault`] breaks: the client-side twin of
//! the mock's `server_faults!` table.
//!
//! A client fault makes the suite's own client break one rule in a whole run
//! (see `client::fault`); the fault proofs
//! (`features/harness/client_fault_proofs.feature`) show that exactly that
//! check fails. A fault that cannot break its rule alone names the other
//! checks it necessarily fails in [`ClientFaultProof::also`]: a rule stated
//! twice, by an RFC and by the guides (the Bearer header: RFC 6750 §2.1
//! SHOULD, every seed documents it), or a token in the query besides the
//! header, which is also two methods at once (RFC 6750 §2).

use super::Check;
use super::catalogue::*;
use crate::client::ClientFault;

/// What a client fault must fail, and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientFaultProof {
    /// The check the fault is for.
    pub check: &'static Check,
    /// Checks the fault necessarily fails with it: the same rule stated by
    /// another source, or a rule the same misstep breaks too (empty for most
    /// faults).
    pub also: &'static [&'static Check],
}

/// The Bearer header rule, as the guides state it too.
static BEARER_DOCUMENTED: [&Check; 1] = [&API_BEARER_DOCUMENTED];

/// A token in the query besides the header is two methods at once.
static ONE_METHOD: [&Check; 1] = [&API_ONE_TOKEN_METHOD];

/// A code exchange without client_id is not authenticated in the body either.
static CLIENT_AUTHENTICATED: [&Check; 1] = [&REQ_CLIENT_AUTHENTICATED];

/// The check `fault` breaks. Exhaustive: a new fault cannot lack its check.
pub fn proof_of(fault: ClientFault) -> ClientFaultProof {
    use ClientFault::*;
    let only = |check: &'static Check| ClientFaultProof { check, also: &[] };
    match fault {
        TokenRequestAsGet => only(&REQ_POST),
        JsonTokenRequest => only(&REQ_FORM_ENCODED),
        OmitsGrantType => only(&REQ_GRANT_TYPE),
        RawBasicCredentials => only(&REQ_BASIC_ENCODING),
        TwoAuthenticationMethods => only(&REQ_ONE_AUTH_METHOD),
        CredentialsInQuery => only(&REQ_NO_SECRET_IN_URL),
        OmitsCodeVerifier => only(&PKCE_VERIFIER_SENT),
        OmitsExchangeClientId => ClientFaultProof {
            check: &REQ_CLIENT_ID,
            also: &CLIENT_AUTHENTICATED,
        },
        SlashedRedirectUriAtExchange => only(&CODE_EXCHANGE_PARAMS),
        RefreshTokenUnderOtherName => only(&REFRESH_PARAMS),
        WidensScopeOnRefresh => only(&REFRESH_SCOPE_WITHIN_GRANT),
        RepeatsGrantType => only(&CLIENT_PARAMS_ONCE),
        BadCharacterVerifier => only(&PKCE_VERIFIER_SYNTAX),
        AsksForTokenResponseType => only(&AUTHZ_REQ_RESPONSE_TYPE),
        OmitsClientId => only(&AUTHZ_REQ_CLIENT_ID),
        OmitsRedirectUri => only(&AUTHZ_REQ_REDIRECT_URI),
        PlainPkceChallenge => only(&PKCE_S256_CHALLENGE),
        ReusesState => only(&STATE_FRESH),
        IgnoresCallbackState => only(&CALLBACK_STATE_CHECKED),
        IgnoresCallbackIss => only(&CALLBACK_ISS_CHECKED),
        ReusesPkceVerifier => only(&PKCE_VERIFIER_FRESH),
        KeepsOldRefreshToken => only(&REFRESH_TOKEN_REPLACED),
        TokenToRevokeInQuery => only(&REVOCATION_REQUEST_SHAPE),
        RefusesUnknownMembers => only(&RESP_UNKNOWN_MEMBERS_IGNORED),
        CommaSeparatedScope => only(&REQ_SCOPE),
        UsesPasswordGrant => only(&REQ_NO_PASSWORD_GRANT),
        AcceptsReplayedCallback => only(&CALLBACK_SINGLE_USE),
        RefusesUnknownCallbackParams => only(&CALLBACK_UNKNOWN_PARAMS_IGNORED),
        SendsSecretsOverPlainHttp => only(&CLIENT_REQUIRES_TLS),
        AcceptsAnyCertificate => only(&CLIENT_VALIDATES_TLS),
        TokenNotInAuthorizationHeader => ClientFaultProof {
            check: &API_BEARER_HEADER,
            also: &BEARER_DOCUMENTED,
        },
        TokenAlsoInQuery => ClientFaultProof {
            check: &API_TOKEN_NOT_IN_QUERY,
            also: &ONE_METHOD,
        },
        TokenAlsoInBody => only(&API_ONE_TOKEN_METHOD),
        TokenInCookie => only(&API_NO_TOKEN_COOKIE),
        FollowsApiRedirects => only(&API_TOKEN_STAYS_AT_ORIGIN),
        OmitsBodySecret => only(&REQ_CLIENT_AUTHENTICATED),
        RequestsTokenPerCall => only(&CLIENT_REUSES_TOKEN),
        RenewsAfterExpiry => only(&CLIENT_RENEWS_EARLY),
        OneRenewalPerTask => only(&CLIENT_SINGLE_FLIGHT),
        IgnoresInvalidToken => only(&CLIENT_RENEWS_ON_INVALID_TOKEN),
        SkipsTokenValidation => only(&CLIENT_REFUSES_INVALID_TOKEN),
    }
}

/// Every check some client fault proves, with the fault ("a client that
/// …"): what the
/// coverage matrix counts as a fault proof.
pub fn proven_checks() -> Vec<(&'static str, &'static str)> {
    ClientFault::ALL
        .iter()
        .flat_map(|f| {
            let proof = proof_of(*f);
            std::iter::once(proof.check)
                .chain(proof.also.iter().copied())
                .map(move |c| (c.id, f.described()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Side;
    use std::collections::HashSet;

    #[test]
    fn every_client_check_is_proven_by_a_client_fault_and_only_client_checks_are() {
        let proven: HashSet<&str> = proven_checks().iter().map(|(id, _)| *id).collect();
        for check in ALL.iter().filter(|c| c.side == Side::Client) {
            assert!(
                proven.contains(check.id),
                "client check {} has no client fault: add one to client::fault and to proof_of",
                check.id
            );
        }
        for id in &proven {
            let check = ALL.iter().find(|c| c.id == *id).unwrap();
            assert_eq!(check.side, Side::Client, "{id} is not a client check");
        }
        let own: HashSet<&str> = ClientFault::ALL
            .iter()
            .map(|f| proof_of(*f).check.id)
            .collect();
        assert_eq!(own.len(), ClientFault::ALL.len(), "one fault per check");
    }

    /// The proof feature's table and the fault table must not drift apart:
    /// every client fault has its row, with its check, level and source.
    #[test]
    fn the_client_proof_feature_has_a_row_for_every_fault() {
        let (path, mut rows) =
            crate::proof::tests::table_rows("features/harness/client_fault_proofs.feature");
        rows.retain(|r| r[0] != "switch");
        for fault in ClientFault::ALL {
            let proof = proof_of(fault);
            let row = rows
                .iter()
                .find(|r| r[0] == fault.words())
                .unwrap_or_else(|| panic!("no row for {fault:?} in {}", path.display()));
            assert_eq!(row[1], proof.check.id, "{fault:?}");
            assert_eq!(row[2], proof.check.level.to_string(), "{fault:?}");
            assert_eq!(row[3], proof.check.source, "{fault:?}");
            let also: Vec<&str> = proof.also.iter().map(|c| c.id).collect();
            assert_eq!(
                row.get(4).map(String::as_str).unwrap_or(""),
                also.join(", "),
                "{fault:?}"
            );
        }
        assert_eq!(rows.len(), ClientFault::ALL.len());
    }
}
