//! Reading `WWW-Authenticate` challenges (RFC 9110 §11.6.1, RFC 6750 §3).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// One challenge: its scheme and its auth-params (names lower-cased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: BTreeMap<String, String>,
}

static PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z0-9_!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))"#)
        .expect("static regex")
});

impl Challenge {
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// The characters of an RFC 9110 §5.6.2 token.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Whether the list element that starts `rest` (after a comma) begins a new
/// challenge: a scheme, that is a token not followed by `=` (an auth-param
/// is `token BWS "=" ...`, RFC 9110 §11.2).
fn begins_challenge(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t', ',']);
    let token = rest.find(|c| !is_tchar(c)).unwrap_or(rest.len());
    token > 0
        && !rest[token..]
            .trim_start_matches([' ', '\t'])
            .starts_with('=')
}

/// The challenges of one header value, each as its own text: RFC 9110
/// §11.6.1 lets one value carry several, separated by commas (proxies and
/// gateways combine them), so a challenge ends where an element begins
/// with a scheme. Commas inside quoted strings do not count.
pub fn split_challenges(value: &str) -> Vec<&str> {
    let mut starts = vec![0];
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in value.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ',' && begins_challenge(&value[i + 1..]) {
            starts.push(i + 1);
        }
    }
    starts.push(value.len() + 1);
    starts
        .windows(2)
        .map(|w| value[w[0]..w[1] - 1].trim_matches([' ', '\t', ',']))
        .filter(|c| !c.is_empty())
        .collect()
}

/// Parses the first challenge of one header value (see [`parse_all`] for
/// every one).
pub fn parse(value: &str) -> Option<Challenge> {
    split_challenges(value).first().and_then(|c| parse_one(c))
}

fn parse_one(value: &str) -> Option<Challenge> {
    let value = value.trim();
    let (scheme, rest) = match value.split_once(char::is_whitespace) {
        Some((s, r)) => (s, r),
        None => (value, ""),
    };
    if scheme.is_empty() {
        return None;
    }
    let params = PARAM
        .captures_iter(rest)
        .map(|c| {
            let name = c[1].to_ascii_lowercase();
            let value = c
                .get(2)
                .or_else(|| c.get(3))
                .map(|m| m.as_str().replace("\\\"", "\""))
                .unwrap_or_default();
            (name, value)
        })
        .collect();
    Some(Challenge {
        scheme: scheme.to_owned(),
        params,
    })
}

/// Every challenge in every header value given.
pub fn parse_all<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Challenge> {
    values
        .into_iter()
        .flat_map(split_challenges)
        .filter_map(parse_one)
        .collect()
}

/// How often each attribute appears in each Bearer challenge of one header
/// value (lower-cased names); empty when it holds none. Unlike [`parse`],
/// repeats are counted, not merged; another scheme's attributes in the same
/// value are not a Bearer challenge's.
pub fn bearer_attribute_counts(value: &str) -> Vec<BTreeMap<String, usize>> {
    split_challenges(value)
        .into_iter()
        .filter_map(|challenge| {
            let (scheme, rest) = challenge
                .split_once(char::is_whitespace)
                .unwrap_or((challenge, ""));
            scheme.eq_ignore_ascii_case("bearer").then(|| {
                let mut counts = BTreeMap::new();
                for caps in PARAM.captures_iter(rest) {
                    *counts.entry(caps[1].to_ascii_lowercase()).or_insert(0) += 1;
                }
                counts
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_repeated_attributes_of_a_bearer_challenge() {
        let counts =
            bearer_attribute_counts(r#"Bearer realm="a", error="invalid_token", realm="a""#);
        assert_eq!((counts[0]["realm"], counts[0]["error"]), (2, 1));
        let quoted = bearer_attribute_counts(r#"Bearer realm="a", error_description="realm=b""#);
        assert_eq!(quoted[0]["realm"], 1, "a quoted value is not an attribute");
        assert!(bearer_attribute_counts(r#"Basic realm="a""#).is_empty());
        // Another challenge in the same value (RFC 9110 §11.6.1) is its own.
        let two = bearer_attribute_counts(
            r#"Bearer realm="api", error="invalid_token", DPoP realm="api", error="invalid_token", algs="ES256""#,
        );
        assert_eq!(two.len(), 1);
        assert_eq!((two[0]["realm"], two[0]["error"]), (1, 1));
        assert!(!two[0].contains_key("algs"));
    }

    #[test]
    fn one_value_may_hold_several_challenges() {
        assert_eq!(
            split_challenges(r#"Basic realm="a, b", Bearer realm="x", error=invalid_token"#),
            [
                r#"Basic realm="a, b""#,
                r#"Bearer realm="x", error=invalid_token"#
            ]
        );
        assert_eq!(split_challenges("Negotiate, Basic"), ["Negotiate", "Basic"]);
        assert_eq!(
            split_challenges(r#"Bearer realm = "x" , scope="a b""#),
            [r#"Bearer realm = "x" , scope="a b""#]
        );
        assert_eq!(
            split_challenges(r#"Bearer error_description="a \"q\", Basic x""#).len(),
            1
        );
        let all = parse_all([
            r#"Bearer realm="api", Basic realm="api""#,
            "DPoP algs=ES256",
        ]);
        let schemes: Vec<&str> = all.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Bearer", "Basic", "DPoP"]);
        assert_eq!(all[0].param("realm"), Some("api"));
        assert!(split_challenges("").is_empty());
    }

    #[test]
    fn parses_bearer_with_error() {
        let c = parse(r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#).unwrap();
        assert!(c.is("bearer"));
        assert_eq!(c.param("error"), Some("invalid_token"));
        assert_eq!(c.param("realm"), Some("example"));
        assert_eq!(
            c.param("error_description"),
            Some("The access token expired")
        );
    }

    #[test]
    fn parses_bare_scheme_and_token_params() {
        assert_eq!(parse("Bearer").unwrap().params.len(), 0);
        let c = parse("Basic realm=api").unwrap();
        assert_eq!(c.param("REALM"), Some("api"));
        assert!(parse("  ").is_none());
    }
}
