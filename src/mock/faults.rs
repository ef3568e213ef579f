//! Ways the mock can misbehave on purpose.
//!
//! A conformance tool has to survive the servers it meets, so the mock can be
//! told to answer the token endpoint badly. Each fault is one scenario's
//! arrangement; a conforming mock has none.

/// A bad answer the token endpoint gives instead of its normal one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenEndpointFault {
    /// 500 with an HTML error page (that echoes the request body, as debug
    /// pages do, so redaction is exercised).
    HtmlErrorPage,
    /// 200 with a text body.
    NotJson,
    /// 200 with a JSON body cut off in the middle.
    TruncatedJson,
    /// 500 with an empty body.
    EmptyServerError,
    /// 200 with a JSON body of this many bytes.
    HugeBody(usize),
    /// Answers only after [`super::SLOW_DELAY_MS`] (served by a delayed route).
    Slow,
}
