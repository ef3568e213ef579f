//! The origins a run sent requests to, each with what the profile declares
//! there: the target, an endpoint on another origin (the token endpoint,
//! the API), a login origin, or nothing (a server led the suite there).
//!
//! The JSON report lists every origin; the terminal and HTML reports show
//! a short list, where many ports of one host (the embedded mock's
//! servers, one per scenario) make one line.

use url::Url;

use crate::client::Transport;
use crate::profile::Profile;

/// One origin the run sent requests to.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct OriginContacted {
    /// `scheme://host[:port]` (RFC 6454's serialisation).
    pub origin: String,
    pub requests: usize,
    /// What the run's profile declares on it ("the target", "token
    /// endpoint", ...); empty for an origin nothing declares.
    pub declared_as: Vec<String>,
}

/// What `profile` declares on which origin, when run against `target`:
/// the target itself, each endpoint the profile names, its issuer (where
/// the metadata is) and its login origins.
pub fn declared(target: &Url, profile: &Profile) -> Vec<(String, String)> {
    let origin = |url: &Url| url.origin().ascii_serialization();
    let mut out = vec![(origin(target), "the target".to_owned())];
    for (endpoint, url) in profile.endpoints(target) {
        out.push((origin(&url), endpoint.describe().to_owned()));
    }
    if let Some(issuer) = profile.issuer.as_deref().and_then(|i| Url::parse(i).ok()) {
        out.push((origin(&issuer), "issuer (metadata)".to_owned()));
    }
    if let Some(ac) = &profile.authorization_code {
        for login in ac.login.origins() {
            out.push((login.ascii_serialization(), "login origin".to_owned()));
        }
    }
    out
}

/// The origins contacted (`counts`, from the run's transport), each with
/// what `declared` says of it.
pub fn gather(counts: Vec<(String, usize)>, declared: &[(String, String)]) -> Vec<OriginContacted> {
    counts
        .into_iter()
        .map(|(origin, requests)| {
            let mut declared_as: Vec<String> = Vec::new();
            for (o, what) in declared {
                if *o == origin && !declared_as.contains(what) {
                    declared_as.push(what.clone());
                }
            }
            OriginContacted {
                origin,
                requests,
                declared_as,
            }
        })
        .collect()
}

/// The origins a run's `transport` sent requests to, each with what
/// `profile` declares there when run against a real server at `target`
/// (on the embedded mock, each scenario has a server of its own and
/// nothing is declared beyond it).
pub fn of_run(
    transport: &Transport,
    target: Option<&Url>,
    profile: Option<&Profile>,
) -> Vec<OriginContacted> {
    let declared = match (target, profile) {
        (Some(target), Some(profile)) => declared(target, profile),
        (Some(target), None) => vec![(
            target.origin().ascii_serialization(),
            "the target".to_owned(),
        )],
        _ => Vec::new(),
    };
    gather(transport.contacted().counts(), &declared)
}

/// A host with more ports than this contacted and none declared is shown
/// as one line.
const PORTS_SHOWN: usize = 3;

/// The short list the terminal and HTML reports show: each declared
/// origin on a line of its own; a host with many undeclared ports (the
/// embedded mock's servers) as one line.
pub fn short_list(origins: &[OriginContacted]) -> Vec<String> {
    let host = |o: &OriginContacted| -> String {
        Url::parse(&o.origin)
            .ok()
            .and_then(|u| Some(format!("{}://{}", u.scheme(), u.host_str()?)))
            .unwrap_or_else(|| o.origin.clone())
    };
    let undeclared_on = |h: &str| {
        origins
            .iter()
            .filter(|o| o.declared_as.is_empty() && host(o) == h)
            .collect::<Vec<_>>()
    };
    let mut lines = Vec::new();
    let mut grouped: Vec<String> = Vec::new();
    for o in origins {
        let h = host(o);
        let same_host = undeclared_on(&h);
        if o.declared_as.is_empty() && same_host.len() > PORTS_SHOWN {
            if !grouped.contains(&h) {
                let requests: usize = same_host.iter().map(|o| o.requests).sum();
                lines.push(format!(
                    "{h} on {} ports ({})",
                    same_host.len(),
                    requests_text(requests)
                ));
                grouped.push(h);
            }
            continue;
        }
        let what = if o.declared_as.is_empty() {
            "not declared in the profile".to_owned()
        } else {
            o.declared_as.join(", ")
        };
        lines.push(format!(
            "{} ({what}; {})",
            o.origin,
            requests_text(o.requests)
        ));
    }
    lines
}

/// "1 request", "3 requests".
fn requests_text(n: usize) -> String {
    match n {
        1 => "1 request".to_owned(),
        n => format!("{n} requests"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn each_origin_is_named_with_what_the_profile_declares_there() {
        let mut profile = Profile::load("rfc6749").unwrap();
        profile.token.path = "http://localhost:8794/token".into();
        profile.issuer = Some("http://127.0.0.1:8794".into());
        let target = url("http://127.0.0.1:8794/");
        let origins = gather(
            vec![
                ("http://127.0.0.1:8794".into(), 5),
                ("http://localhost:8794".into(), 3),
                ("https://elsewhere.example".into(), 1),
            ],
            &declared(&target, &profile),
        );
        assert_eq!(
            origins[0].declared_as,
            vec![
                "the target",
                "authorization endpoint",
                "API probe",
                "scoped API probe",
                "issuer (metadata)"
            ]
        );
        assert_eq!(origins[1].declared_as, vec!["token endpoint"]);
        assert!(origins[2].declared_as.is_empty());
        let lines = short_list(&origins);
        assert_eq!(
            lines[1],
            "http://localhost:8794 (token endpoint; 3 requests)"
        );
        assert_eq!(
            lines[2],
            "https://elsewhere.example (not declared in the profile; 1 request)"
        );
    }

    #[test]
    fn many_undeclared_ports_of_one_host_make_one_line() {
        let counts = (0..40)
            .map(|p| (format!("http://127.0.0.1:{}", 40000 + p), 2))
            .chain([("http://localhost:40001".into(), 1)])
            .collect();
        let lines = short_list(&gather(counts, &[]));
        assert_eq!(
            lines,
            vec![
                "http://127.0.0.1 on 40 ports (80 requests)",
                "http://localhost:40001 (not declared in the profile; 1 request)",
            ]
        );
    }

    #[test]
    fn the_terminal_json_and_html_reports_name_the_origins_contacted() {
        let report = crate::report::RunReport {
            target: "http://127.0.0.1:8794/".into(),
            origins: gather(
                vec![
                    ("http://127.0.0.1:8794".into(), 5),
                    ("http://localhost:8794".into(), 3),
                ],
                &[
                    ("http://127.0.0.1:8794".into(), "the target".into()),
                    ("http://localhost:8794".into(), "token endpoint".into()),
                ],
            ),
            ..Default::default()
        };
        let terminal = crate::report::terminal::summary(&report);
        assert!(
            terminal.contains(
                "Origins contacted:\n  http://127.0.0.1:8794 (the target; 5 requests)\n  http://localhost:8794 (token endpoint; 3 requests)\n"
            ),
            "{terminal}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&crate::report::json::render(&report).unwrap()).unwrap();
        assert_eq!(
            json["origins_contacted"][1],
            serde_json::json!({"origin": "http://localhost:8794", "requests": 3, "declared_as": ["token endpoint"]})
        );
        let html = crate::report::html::render(&report).unwrap();
        assert!(
            html.contains("<dt>Origins contacted</dt><dd>http://127.0.0.1:8794 (the target; 5 requests); http://localhost:8794 (token endpoint; 3 requests)</dd>"),
            "{html}"
        );
    }
}
