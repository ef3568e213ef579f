//! Near-miss redirect URIs: a registered redirect URI changed in one small
//! way an attacker can exploit when the server matches loosely (RFC 9700
//! §2.1: authorization servers MUST use exact string matching; RFC 6749
//! §3.1.2.3: simple string comparison). Each shape is a URI the server must
//! treat as unregistered.

use std::net::IpAddr;

/// One way to change a registered redirect URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearMiss {
    /// `…/callback` -> `…/callback/extra`.
    ExtraPathSegment,
    /// `…/callback` -> `…/callback?extra=1`.
    ExtraQuery,
    /// `…/callback` <-> `…/callback/`.
    TrailingSlash,
    /// `…/callback` -> `…/CALLBACK`.
    PathCase,
    /// Another port on the same host.
    OtherPort,
    /// `http://attacker@host/…`.
    UserInfo,
    /// A subdomain of the host (`attacker.example.com`), or another address.
    OtherHost,
}

impl NearMiss {
    pub const ALL: [NearMiss; 7] = [
        NearMiss::ExtraPathSegment,
        NearMiss::ExtraQuery,
        NearMiss::TrailingSlash,
        NearMiss::PathCase,
        NearMiss::OtherPort,
        NearMiss::UserInfo,
        NearMiss::OtherHost,
    ];

    /// How Gherkin names it.
    pub fn words(self) -> &'static str {
        match self {
            NearMiss::ExtraPathSegment => "an extra path segment",
            NearMiss::ExtraQuery => "an extra query parameter",
            NearMiss::TrailingSlash => "a trailing slash toggled",
            NearMiss::PathCase => "the path in other case",
            NearMiss::OtherPort => "another port",
            NearMiss::UserInfo => "userinfo",
            NearMiss::OtherHost => "another subdomain or host",
        }
    }

    pub fn from_words(words: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.words() == words)
    }

    /// The near-miss of `registered`, or why this shape cannot be made
    /// from it.
    pub fn apply(self, registered: &str) -> Result<String, String> {
        let mut url = url::Url::parse(registered)
            .map_err(|e| format!("the redirect URI {registered:?} is not a URL: {e}"))?;
        let cannot = |what: &str| format!("cannot give {registered} {}: {what}", self.words());
        match self {
            NearMiss::ExtraPathSegment => {
                let path = url.path().trim_end_matches('/').to_owned();
                url.set_path(&format!("{path}/extra"));
            }
            NearMiss::ExtraQuery => {
                url.query_pairs_mut().append_pair("extra", "1");
            }
            NearMiss::TrailingSlash => {
                let path = url.path().to_owned();
                match path.strip_suffix('/') {
                    Some(trimmed) if !trimmed.is_empty() => url.set_path(trimmed),
                    Some(_) => return Err(cannot("its path is only /")),
                    None => url.set_path(&format!("{path}/")),
                }
            }
            NearMiss::PathCase => {
                let path = url.path().to_owned();
                let flipped: String = path
                    .chars()
                    .map(|c| match c {
                        'a'..='z' => c.to_ascii_uppercase(),
                        'A'..='Z' => c.to_ascii_lowercase(),
                        _ => c,
                    })
                    .collect();
                if flipped == path {
                    return Err(cannot("its path has no letters"));
                }
                url.set_path(&flipped);
            }
            NearMiss::OtherPort => {
                // RFC 8252 §7.3: for a loopback IP redirect URI the server
                // MUST allow any port (native apps pick one at run time), and
                // RFC 9700 §2.1 excepts exactly that from exact matching.
                if crate::profile::is_loopback(&url) {
                    return Err(cannot(
                        "it is a loopback redirect URI, where RFC 8252 §7.3 makes the server allow any port (the exception RFC 9700 §2.1 names)",
                    ));
                }
                let port = url
                    .port_or_known_default()
                    .ok_or_else(|| cannot("no port"))?;
                let other = if port == u16::MAX { port - 1 } else { port + 1 };
                url.set_port(Some(other)).map_err(|_| cannot("no port"))?;
            }
            NearMiss::UserInfo => {
                url.set_username("attacker")
                    .map_err(|_| cannot("it cannot carry userinfo"))?;
            }
            NearMiss::OtherHost => {
                let host = url.host_str().ok_or_else(|| cannot("no host"))?;
                let other = match host.trim_matches(['[', ']']).parse::<IpAddr>() {
                    Ok(IpAddr::V4(ip)) => {
                        let [a, b, c, d] = ip.octets();
                        let d = if d == u8::MAX { d - 1 } else { d + 1 };
                        std::net::Ipv4Addr::new(a, b, c, d).to_string()
                    }
                    Ok(IpAddr::V6(_)) => return Err(cannot("an IPv6 host")),
                    Err(_) => format!("attacker.{host}"),
                };
                url.set_host(Some(&other))
                    .map_err(|e| cannot(&e.to_string()))?;
            }
        }
        let near = url.to_string();
        match near == registered {
            true => Err(cannot("it comes out unchanged")),
            false => Ok(near),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_differs_from_the_registered_uri_in_one_way() {
        let r = "http://127.0.0.1:9/redirect_url/";
        let got: Vec<String> = NearMiss::ALL
            .iter()
            .filter(|n| **n != NearMiss::OtherPort)
            .map(|n| n.apply(r).unwrap())
            .collect();
        let port = NearMiss::OtherPort.apply(r).unwrap_err();
        assert!(port.contains("RFC 8252 §7.3"), "{port}");
        assert_eq!(
            got,
            [
                "http://127.0.0.1:9/redirect_url/extra",
                "http://127.0.0.1:9/redirect_url/?extra=1",
                "http://127.0.0.1:9/redirect_url",
                "http://127.0.0.1:9/REDIRECT_URL/",
                "http://attacker@127.0.0.1:9/redirect_url/",
                "http://127.0.0.2:9/redirect_url/",
            ]
        );
        let d = "https://app.example.com/cb";
        assert_eq!(
            NearMiss::OtherHost.apply(d).unwrap(),
            "https://attacker.app.example.com/cb"
        );
        assert_eq!(
            NearMiss::OtherPort.apply(d).unwrap(),
            "https://app.example.com:444/cb"
        );
        assert_eq!(
            NearMiss::TrailingSlash.apply(d).unwrap(),
            "https://app.example.com/cb/"
        );
        assert!(NearMiss::PathCase.apply("http://127.0.0.1:9/").is_err());
        for n in NearMiss::ALL {
            assert_eq!(NearMiss::from_words(n.words()), Some(n));
        }
    }
}
