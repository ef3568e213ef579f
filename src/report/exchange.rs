//! The HTTP exchanges behind a failed scenario, as records every report
//! shows the same way.
//!
//! A record is made from what the scenario's World holds: the requests the
//! client recorded, in the order sent, each with the answer (or the
//! transport error) its token or API attempt kept. Every string field is
//! redacted on its own when the record is made, and a body is redacted
//! before it is cut to [`BODY_PREVIEW_BYTES`].

use crate::client::{ApiAttempt, HttpAnswer, HttpRequest, TokenAttempt};
use crate::redact::{self, field};

/// How much of a body a record shows.
pub const BODY_PREVIEW_BYTES: usize = 1024;

/// How many of a scenario's exchanges are kept (the last ones: the failure
/// is at the end).
pub const MAX_EXCHANGES: usize = 10;

/// One request and what came back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExchangeRecord {
    /// Its place among the scenario's exchanges, from 1.
    pub number: usize,
    pub request: RequestRecord,
    pub response: Option<ResponseRecord>,
    /// Why there is no response: the transport error, or that none was kept.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    pub headers: Vec<HeaderRecord>,
    pub body: Option<BodyPreview>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResponseRecord {
    pub status: u16,
    pub headers: Vec<HeaderRecord>,
    pub body: Option<BodyPreview>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HeaderRecord {
    pub name: String,
    pub value: String,
}

/// The start of a body, redacted, then cut.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BodyPreview {
    pub text: String,
    /// The whole body's size.
    pub bytes: usize,
    /// Whether `text` stops before the end of the body (it then ends in `…`).
    pub truncated: bool,
}

impl BodyPreview {
    fn of(body: &[u8]) -> Self {
        let (text, truncated) = redact::preview_cut(body, BODY_PREVIEW_BYTES);
        Self {
            text,
            bytes: body.len(),
            truncated,
        }
    }
}

fn headers(list: &[(String, String)]) -> Vec<HeaderRecord> {
    list.iter()
        .map(|(name, value)| HeaderRecord {
            name: field(name),
            value: redact::header(name, value),
        })
        .collect()
}

/// What a request led to, as the World keeps it.
pub struct Attempt<'a> {
    pub request: &'a HttpRequest,
    pub answer: Result<&'a HttpAnswer, String>,
}

impl<'a> Attempt<'a> {
    pub fn of_token(t: &'a TokenAttempt) -> Self {
        let answer = match (&t.answer, &t.outcome) {
            (Some(answer), _) => Ok(answer),
            (None, Err(e)) => Err(e.to_string()),
            (None, Ok(_)) => Err(NOT_KEPT.into()),
        };
        Self {
            request: &t.request,
            answer,
        }
    }

    pub fn of_api(a: &'a ApiAttempt) -> Self {
        Self {
            request: &a.request,
            answer: a.outcome.as_ref().map_err(ToString::to_string),
        }
    }
}

const NOT_KEPT: &str = "no answer was kept for this request";

impl ExchangeRecord {
    /// The record of one exchange, every field redacted on its own.
    pub fn new(number: usize, request: &HttpRequest, answer: Result<&HttpAnswer, &str>) -> Self {
        let (response, error) = match answer {
            Ok(a) => (
                Some(ResponseRecord {
                    status: a.status,
                    headers: headers(&a.headers),
                    body: (!a.body.is_empty()).then(|| BodyPreview::of(&a.body)),
                }),
                None,
            ),
            Err(e) => (None, Some(field(e))),
        };
        Self {
            number,
            request: RequestRecord {
                method: field(&request.method),
                url: field(request.url.as_str()),
                headers: headers(&request.headers),
                body: request.body.as_deref().map(BodyPreview::of),
            },
            response,
            error,
        }
    }

    /// "POST http://127.0.0.1:1234/token"
    pub fn request_line(&self) -> String {
        format!("{} {}", self.request.method, self.request.url)
    }

    /// "401 application/json", or why there was no answer.
    pub fn response_line(&self) -> String {
        match (&self.response, &self.error) {
            (Some(r), _) => {
                let content_type = r
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-type"))
                    .map_or("(no content type)", |h| h.value.as_str());
                format!("{} {content_type}", r.status)
            }
            (None, Some(e)) => format!("no answer: {e}"),
            (None, None) => format!("no answer: {NOT_KEPT}"),
        }
    }

    /// The record with every string field redacted again, with what the
    /// registry knows now.
    pub fn redacted(&self) -> Self {
        let headers = |list: &[HeaderRecord]| -> Vec<HeaderRecord> {
            list.iter()
                .map(|h| HeaderRecord {
                    name: field(&h.name),
                    value: field(&h.value),
                })
                .collect()
        };
        let body = |b: &Option<BodyPreview>| {
            b.as_ref().map(|b| BodyPreview {
                text: field(&b.text),
                bytes: b.bytes,
                truncated: b.truncated,
            })
        };
        Self {
            number: self.number,
            request: RequestRecord {
                method: field(&self.request.method),
                url: field(&self.request.url),
                headers: headers(&self.request.headers),
                body: body(&self.request.body),
            },
            response: self.response.as_ref().map(|r| ResponseRecord {
                status: r.status,
                headers: headers(&r.headers),
                body: body(&r.body),
            }),
            error: self.error.as_deref().map(field),
        }
    }
}

/// A scenario's exchanges in the order the client sent the requests, each
/// with the answer its attempt kept; attempts whose request the client did
/// not record (one that could not be built) come last. The last
/// [`MAX_EXCHANGES`] are kept, numbered by their place among all.
pub fn gather(sent: &[HttpRequest], attempts: Vec<Attempt<'_>>) -> Vec<ExchangeRecord> {
    let mut unmatched: Vec<Option<Attempt<'_>>> = attempts.into_iter().map(Some).collect();
    let mut all: Vec<(&HttpRequest, Result<&HttpAnswer, String>)> = Vec::new();
    for request in sent {
        let attempt = unmatched
            .iter_mut()
            .find(|a| a.as_ref().is_some_and(|a| a.request == request))
            .and_then(Option::take);
        all.push((
            request,
            attempt.map_or_else(|| Err(NOT_KEPT.to_owned()), |a| a.answer),
        ));
    }
    all.extend(
        unmatched
            .into_iter()
            .flatten()
            .map(|a| (a.request, a.answer)),
    );
    let skip = all.len().saturating_sub(MAX_EXCHANGES);
    all.iter()
        .enumerate()
        .skip(skip)
        .map(|(i, (request, answer))| {
            ExchangeRecord::new(
                i + 1,
                request,
                answer.as_ref().copied().map_err(String::as_str),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            url: format!("http://u:p4ss@127.0.0.1:9{path}").parse().unwrap(),
            headers: vec![("authorization".into(), "Basic Zm9vOmJhcg==".into())],
            body: Some(b"grant_type=client_credentials&client_secret=s3cr3t-value".to_vec()),
        }
    }

    fn answer(body: &str) -> HttpAnswer {
        HttpAnswer {
            url: "http://127.0.0.1:9/token".parse().unwrap(),
            status: 401,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn every_field_is_redacted_and_the_body_cut_after() {
        let long = format!("{{\"echo\":\"{}\"}}", "z".repeat(2000));
        let record = ExchangeRecord::new(1, &request("/token"), Ok(&answer(&long)));
        assert_eq!(record.request.url, "http://[REDACTED]@127.0.0.1:9/token");
        assert_eq!(record.request.headers[0].value, "Basic [REDACTED]");
        let body = record.request.body.as_ref().unwrap();
        assert_eq!(
            body.text,
            "grant_type=client_credentials&client_secret=[REDACTED]"
        );
        let shown = record.response.as_ref().unwrap().body.as_ref().unwrap();
        assert!(shown.truncated && shown.bytes == long.len());
        assert!(shown.text.ends_with('…') && shown.text.len() <= BODY_PREVIEW_BYTES + 3);
        assert_eq!(record.response_line(), "401 application/json");
        assert_eq!(record.redacted(), record);
    }

    #[test]
    fn exchanges_follow_the_order_sent_and_keep_the_last_ones() {
        let (a, b) = (request("/a"), request("/b"));
        let (ans_a, ans_b) = (answer("{}"), answer("[]"));
        let attempts = vec![
            Attempt {
                request: &b,
                answer: Ok(&ans_b),
            },
            Attempt {
                request: &a,
                answer: Ok(&ans_a),
            },
        ];
        let got = gather(&[a.clone(), b.clone(), a.clone()], attempts);
        let lines: Vec<(usize, String, String)> = got
            .iter()
            .map(|e| (e.number, e.request.url.clone(), e.response_line()))
            .collect();
        assert_eq!(lines[0].2, "401 application/json");
        assert_eq!(lines[1].2, "401 application/json");
        assert_eq!(lines[2].2, format!("no answer: {NOT_KEPT}"));
        assert!(lines[1].1.ends_with("/b"));
        let many: Vec<HttpRequest> = (0..15).map(|i| request(&format!("/{i}"))).collect();
        let got = gather(&many, Vec::new());
        assert_eq!(got.len(), MAX_EXCHANGES);
        assert_eq!(got[0].number, 6);
        assert!(got[9].request.url.ends_with("/14"));
    }
}
