//! The mock's view of HTTP: plain values, so handlers are pure functions that
//! unit tests call without a server.

#[derive(Clone, Debug, Default)]
pub struct MockRequest {
    pub method: String,
    pub path: String,
    /// The path with its query string, as requested.
    pub path_and_query: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The first value of parameter `name` in decoded pairs (a form body or a
/// query string).
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl MockRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The parameters of the query string, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self
            .path_and_query
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    pub fn from_httpmock(req: &httpmock::HttpMockRequest) -> Self {
        Self {
            method: req.method_str().to_owned(),
            path: req.uri().path().to_owned(),
            path_and_query: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            headers: req
                .headers_vec()
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                .collect(),
            body: req.body_vec(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MockResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl MockResponse {
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Sets a header, replacing any of the same name.
    pub fn replace_header(self, name: &str, value: impl Into<String>) -> Self {
        self.without_header(name).header(name, value)
    }

    /// Drops every header of that name.
    pub fn without_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// An RFC 6749 §5.2 error response.
    pub fn oauth_error(status: u16, error: &str, description: &str) -> Self {
        Self::json(
            status,
            &serde_json::json!({ "error": error, "error_description": description }),
        )
        .header("cache-control", "no-store")
        .header("pragma", "no-cache")
    }

    pub fn into_httpmock(self) -> httpmock::HttpMockResponse {
        let mut builder = httpmock::HttpMockResponse::builder().status(self.status);
        for (n, v) in self.headers {
            builder = builder.header(n, v);
        }
        builder.body(self.body).build()
    }
}
