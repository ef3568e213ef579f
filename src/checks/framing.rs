//! What the authorization endpoint's pages say to a browser: that no other
//! site may frame them (RFC 9700 §4.16, clickjacking), and that no other
//! site's script may read them (RFC 9700 §2.6, CORS).
//!
//! RFC 9700 §4.16: "Authorization servers MUST prevent clickjacking
//! attacks. Multiple countermeasures are described in [RFC6819], including
//! the use of the X-Frame-Options HTTP response header field and
//! frame-busting JavaScript. In addition to those, authorization servers
//! SHOULD also use Content Security Policy (CSP) level 2 [CSP-2] or
//! greater." So a page with any of the three passes the MUST, and the
//! SHOULD asks for CSP's `frame-ancestors` on each page the MUST's check
//! found protected (a page with no protection at all is that check's
//! failure alone). "The client MAY permit being framed by some other
//! origin", so a `frame-ancestors` naming origins protects; one that admits
//! every origin (`*`, a bare scheme) does not.
//!
//! RFC 9700 §2.6: "CORS MUST NOT be supported at the Authorization
//! Endpoint". A preflight and a GET from another site's `Origin` are
//! judged: an `Access-Control-Allow-Origin` of `*` or of that origin fails.

use super::CheckOutcome;
use super::catalogue::{AUTHZ_NO_CORS, AUTHZ_PAGES_CSP, AUTHZ_PAGES_FRAME_PROTECTED};
pub use crate::client::cors::CorsAnswer;
use crate::client::login::PageSeen;

/// Whether an `X-Frame-Options` value keeps other sites from framing.
fn x_frame_options_protects(value: &str) -> bool {
    let v = value.trim().to_ascii_uppercase();
    v == "DENY" || v == "SAMEORIGIN" || v.starts_with("ALLOW-FROM ")
}

/// Whether a `frame-ancestors` directive admits only some origins.
fn frame_ancestors_protects(directive: &str) -> bool {
    let sources: Vec<String> = directive
        .split_whitespace()
        .skip(1)
        .map(str::to_ascii_lowercase)
        .collect();
    // An empty source list is 'none' (CSP2 §4.2.1).
    !sources.iter().any(|s| {
        matches!(
            s.as_str(),
            "*" | "http:" | "https:" | "http://*" | "https://*" | "*:"
        )
    })
}

/// How a page is protected against framing, if at all: "X-Frame-Options
/// DENY", "Content-Security-Policy frame-ancestors 'none'", "a frame-busting
/// script".
fn protections(page: &PageSeen) -> Vec<String> {
    let mut by: Vec<String> = page
        .x_frame_options
        .iter()
        .filter(|v| x_frame_options_protects(v))
        .map(|v| format!("X-Frame-Options {v}"))
        .collect();
    by.extend(
        page.frame_ancestors
            .iter()
            .filter(|d| frame_ancestors_protects(d))
            .map(|d| format!("Content-Security-Policy {d}")),
    );
    if page.frame_busting {
        by.push("a frame-busting script".into());
    }
    by
}

fn has_csp(page: &PageSeen) -> bool {
    page.frame_ancestors
        .iter()
        .any(|d| frame_ancestors_protects(d))
}

/// What a page has, for a failure: its headers as sent.
fn described(page: &PageSeen) -> String {
    let xfo = match page.x_frame_options.as_slice() {
        [] => "no X-Frame-Options".to_owned(),
        v => format!("X-Frame-Options {}", v.join(", ")),
    };
    let csp = match page.frame_ancestors.as_slice() {
        [] => "no Content-Security-Policy frame-ancestors".to_owned(),
        v => format!("Content-Security-Policy {}", v.join(", ")),
    };
    format!("{} ({xfo}, {csp}, no frame-busting script)", page.request)
}

/// The HTML pages among `pages` (a browser renders, and so could frame,
/// only those), or why there is nothing to judge.
fn html_pages<'a>(pages: &[&'a PageSeen]) -> Result<Vec<&'a PageSeen>, String> {
    let html: Vec<&PageSeen> = pages.iter().copied().filter(|p| p.html).collect();
    if html.is_empty() {
        return Err(if pages.is_empty() {
            "the authorization server showed no page (it redirected straight back), so there was no page to frame".into()
        } else {
            "none of the answers the login driver read was an HTML page a browser would render"
                .into()
        });
    }
    Ok(html)
}

/// RFC 9700 §4.16 MUST: every HTML page the server showed (login, consent,
/// error) is protected against framing by one of the countermeasures the
/// section names.
pub fn frame_protected(pages: &[&PageSeen]) -> CheckOutcome {
    let check = &AUTHZ_PAGES_FRAME_PROTECTED;
    let html = match html_pages(pages) {
        Ok(html) => html,
        Err(why) => return CheckOutcome::skip(check, why),
    };
    let open: Vec<String> = html
        .iter()
        .filter(|p| protections(p).is_empty())
        .map(|p| described(p))
        .collect();
    CheckOutcome::expect(check, open.is_empty(), || {
        format!(
            "{} of {} pages the authorization server showed can be framed by any site: {}",
            open.len(),
            html.len(),
            open.join("; ")
        )
    })
}

/// RFC 9700 §4.16 SHOULD: the pages protected against framing are
/// protected by CSP's `frame-ancestors` too. Pages without any protection
/// are [`frame_protected`]'s failure; when every page is such, this check
/// is not run, naming it.
pub fn csp_frame_ancestors(pages: &[&PageSeen]) -> CheckOutcome {
    let check = &AUTHZ_PAGES_CSP;
    let html = match html_pages(pages) {
        Ok(html) => html,
        Err(why) => return CheckOutcome::skip(check, why),
    };
    let protected: Vec<&PageSeen> = html
        .into_iter()
        .filter(|p| !protections(p).is_empty())
        .collect();
    if protected.is_empty() {
        return CheckOutcome::not_run(
            check,
            "no page the authorization server showed is protected against framing at all, which authorize-pages-frame-protected judges",
        );
    }
    let without: Vec<String> = protected
        .iter()
        .filter(|p| !has_csp(p))
        .map(|p| {
            format!(
                "{} (protected only by {})",
                p.request,
                protections(p).join(" and ")
            )
        })
        .collect();
    CheckOutcome::expect(check, without.is_empty(), || {
        format!(
            "{} of {} pages send no Content-Security-Policy frame-ancestors: {}",
            without.len(),
            protected.len(),
            without.join("; ")
        )
    })
}

/// RFC 9700 §2.6 MUST NOT: no answer of the authorization endpoint admits
/// another site's `origin` to read it. Any answer that admits it (`*` or
/// that origin) fails; no answer to a request is no verdict on it.
pub fn no_cors(answers: &[CorsAnswer], origin: &str) -> CheckOutcome {
    let check = &AUTHZ_NO_CORS;
    let admitting: Vec<String> = answers
        .iter()
        .filter(|a| a.status.is_ok())
        .filter(|a| {
            a.allow_origin
                .as_deref()
                .is_some_and(|o| o.trim() == "*" || o.trim().eq_ignore_ascii_case(origin))
        })
        .map(|a| {
            let credentials = a
                .allow_credentials
                .as_deref()
                .map(|c| format!(", Access-Control-Allow-Credentials: {c}"))
                .unwrap_or_default();
            format!(
                "{} -> {} with Access-Control-Allow-Origin: {}{credentials}",
                a.request,
                a.status.as_ref().map_or(0, |s| *s),
                a.allow_origin.as_deref().unwrap_or_default()
            )
        })
        .collect();
    if !admitting.is_empty() {
        return CheckOutcome::fail(
            check,
            format!(
                "the authorization endpoint supports CORS: a request from {origin} was admitted: {}",
                admitting.join("; ")
            ),
        );
    }
    let unanswered: Vec<String> = answers
        .iter()
        .filter_map(|a| {
            a.status
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", a.request))
        })
        .collect();
    if !unanswered.is_empty() || answers.is_empty() {
        return CheckOutcome::not_run(
            check,
            format!(
                "no verdict on CORS at the authorization endpoint: no answer to {}",
                unanswered.join("; ")
            ),
        );
    }
    CheckOutcome::pass(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(xfo: &[&str], csp: &[&str], busting: bool) -> PageSeen {
        PageSeen {
            request: "GET http://127.0.0.1:9/authorize -> 200".into(),
            status: 200,
            html: true,
            x_frame_options: xfo.iter().map(|s| (*s).to_owned()).collect(),
            frame_ancestors: csp.iter().map(|s| (*s).to_owned()).collect(),
            frame_busting: busting,
        }
    }

    #[test]
    fn any_countermeasure_the_rfc_names_protects_a_page() {
        for protected in [
            page(&["DENY"], &[], false),
            page(&["sameorigin"], &[], false),
            page(&["ALLOW-FROM https://ext.example.org:8000"], &[], false),
            page(&[], &["frame-ancestors 'none'"], false),
            page(
                &[],
                &["frame-ancestors https://ext.example.org:8000"],
                false,
            ),
            page(&[], &["frame-ancestors"], false),
            page(&[], &[], true),
        ] {
            assert!(!frame_protected(&[&protected]).failed(), "{protected:?}");
        }
        for open in [
            page(&[], &[], false),
            page(&["ALLOWALL"], &[], false),
            page(&[], &["frame-ancestors *"], false),
            page(&[], &["frame-ancestors https:"], false),
        ] {
            let outcome = frame_protected(&[&page(&["DENY"], &[], false), &open]);
            assert!(outcome.failed(), "{open:?}");
            assert!(
                outcome.describe().contains("1 of 2 pages"),
                "{}",
                outcome.describe()
            );
        }
    }

    #[test]
    fn csp_is_asked_of_protected_pages_and_steps_aside_for_open_ones() {
        let xfo_only = page(&["DENY"], &[], false);
        let both = page(&["DENY"], &["frame-ancestors 'none'"], false);
        let open = page(&[], &[], false);
        assert!(csp_frame_ancestors(&[&both]).verdict == super::super::Verdict::Pass);
        let said = csp_frame_ancestors(&[&both, &xfo_only]);
        assert!(said.failed() && said.describe().contains("X-Frame-Options DENY"));
        // Open pages are the MUST's; alone, the SHOULD is not run naming it.
        assert!(csp_frame_ancestors(&[&both, &open]).verdict == super::super::Verdict::Pass);
        let aside = csp_frame_ancestors(&[&open]);
        assert!(aside.is_not_run() && aside.describe().contains("authorize-pages-frame-protected"));
    }

    #[test]
    fn no_page_or_no_html_page_is_a_skip() {
        assert!(matches!(
            frame_protected(&[]).verdict,
            super::super::Verdict::Skip(_)
        ));
        let json = PageSeen {
            html: false,
            ..page(&[], &[], false)
        };
        assert!(matches!(
            csp_frame_ancestors(&[&json]).verdict,
            super::super::Verdict::Skip(_)
        ));
    }

    fn cors(allow: Option<&str>, status: Result<u16, String>) -> CorsAnswer {
        CorsAnswer {
            request: "OPTIONS http://127.0.0.1:9/authorize (preflight)".into(),
            status,
            allow_origin: allow.map(str::to_owned),
            allow_credentials: Some("true".into()),
        }
    }

    #[test]
    fn an_answer_that_admits_the_foreign_origin_fails() {
        const SITE: &str = "https://cross-site.invalid";
        for admits in ["*", SITE] {
            let outcome = no_cors(&[cors(None, Ok(200)), cors(Some(admits), Ok(204))], SITE);
            assert!(outcome.failed());
            assert!(
                outcome
                    .describe()
                    .contains("Access-Control-Allow-Credentials: true")
            );
        }
        assert!(
            no_cors(&[cors(Some("https://app.example"), Ok(200))], SITE).verdict
                == super::super::Verdict::Pass
        );
        assert!(
            no_cors(&[cors(None, Ok(404)), cors(None, Ok(302))], SITE).verdict
                == super::super::Verdict::Pass
        );
        assert!(
            no_cors(
                &[cors(None, Ok(200)), cors(None, Err("timeout".into()))],
                SITE
            )
            .is_not_run()
        );
    }
}
