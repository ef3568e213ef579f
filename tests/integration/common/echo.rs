//! A loopback server that echoes every request back in its error answers,
//! as misconfigured servers and debugging proxies do: the request line, every
//! header (the Authorization header too) and the body, in JSON or HTML, with
//! status 400, 401 or 500 in turn. The authorization endpoint serves a login
//! form (so the login driver sends the password), whose action carries the
//! authorization request's query (so the state comes back too).
//!
//! [`start_changing`] starts one that echoes every value it got with one
//! character changed instead, as a server that mangles what it echoes does
//! (a case folded, a `+` read as a space): what is left on either side of the
//! change is still the secret.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Starts the server on 127.0.0.1; returns its base URL. It serves until
/// the test process ends.
pub fn start(authorize_path: &'static str) -> String {
    serve_on(authorize_path, false)
}

/// Like [`start`], with every value echoed with its middle character
/// changed to `~`: each form and query value, and the secret inside the
/// Basic credentials (decoded, changed, and base64-encoded again).
pub fn start_changing(authorize_path: &'static str) -> String {
    serve_on(authorize_path, true)
}

fn serve_on(authorize_path: &'static str, change: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let count = count.clone();
            std::thread::spawn(move || {
                let _ = serve(stream, authorize_path, &count, change);
            });
        }
    });
    url
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.trim_end().split_once(':') {
            headers.push((n.to_owned(), v.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0usize);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Request {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

fn serve(
    mut stream: TcpStream,
    authorize_path: &str,
    count: &AtomicUsize,
    change: bool,
) -> std::io::Result<()> {
    let request = read_request(&stream)?;
    let n = count.fetch_add(1, Ordering::SeqCst);
    let (status, content_type, body, extra) =
        if request.method == "GET" && request.target.starts_with(authorize_path) {
            let query = request.target.split_once('?').map_or("", |(_, q)| q);
            let form = format!(
                "<html><body><form method=\"post\" action=\"/login/?{}\">\
             <input name=\"username\"><input type=\"password\" name=\"password\">\
             <button type=\"submit\">Log in</button></form></body></html>",
                html_escape(query)
            );
            (200, "text/html", form, Vec::new())
        } else if change {
            echo_changed(&request, n)
        } else {
            echo(&request, n)
        };
    let mut head = format!(
        "HTTP/1.1 {status} Echo\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

/// The request, echoed back with an error status.
fn echo(r: &Request, n: usize) -> (u16, &'static str, String, Vec<(String, String)>) {
    let status = [400, 401, 500][n % 3];
    let authorization = r
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let headers: Vec<String> = r.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    let extra = vec![
        (
            "www-authenticate".to_owned(),
            format!(
                "Bearer error=\"invalid_token\", error_description=\"you sent {}\"",
                authorization.replace('"', "'")
            ),
        ),
        ("x-echo-authorization".to_owned(), authorization.clone()),
    ];
    if n.is_multiple_of(2) {
        let body = serde_json::json!({
            "error": "invalid_request",
            "error_description": format!("you sent {} with {} to {} {}", r.body, authorization, r.method, r.target),
            "echo": {"headers": headers, "body": r.body},
        });
        (status, "application/json", body.to_string(), extra)
    } else {
        let body = format!(
            "<html><body><h1>{status}</h1><pre>{}\n{}\n{} {}\n{}</pre></body></html>",
            html_escape(&r.body),
            html_escape(&authorization),
            html_escape(&r.method),
            html_escape(&r.target),
            html_escape(&headers.join("\n"))
        );
        (status, "text/html", body, extra)
    }
}

/// `value` with its middle character changed to `~` (`^` when it was one).
fn changed(value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    let middle = chars.len() / 2;
    if let Some(c) = chars.get_mut(middle) {
        *c = if *c == '~' { '^' } else { '~' };
    }
    chars.into_iter().collect()
}

/// Every value the request carried, each changed: the form body's and the
/// query's values, and the secret and the whole credentials of a Basic
/// `Authorization` header (decoded, changed, encoded again).
fn changed_values(r: &Request) -> Vec<String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    let query = r.target.split_once('?').map_or("", |(_, q)| q);
    let mut values: Vec<String> = form_urlencoded::parse(r.body.as_bytes())
        .chain(form_urlencoded::parse(query.as_bytes()))
        .map(|(_, v)| changed(&v))
        .collect();
    let basic = r
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    if let Some((id, secret)) = basic.as_deref().and_then(|p| p.split_once(':')) {
        let secret: String = form_urlencoded::parse(format!("s={secret}").as_bytes())
            .map(|(_, v)| v.into_owned())
            .collect();
        values.push(changed(&secret));
        values.push(STANDARD.encode(changed(&format!("{id}:{secret}"))));
    }
    values
}

/// The request's values, each echoed with a character changed, with an
/// error status: in JSON or HTML, and in a challenge's description.
fn echo_changed(r: &Request, n: usize) -> (u16, &'static str, String, Vec<(String, String)>) {
    let status = [400, 401, 500][n % 3];
    let values = changed_values(r).join(" | ");
    let extra = vec![(
        "www-authenticate".to_owned(),
        format!(
            "Bearer error=\"invalid_token\", error_description=\"you sent {}\"",
            values.replace('"', "'")
        ),
    )];
    if n.is_multiple_of(2) {
        let body = serde_json::json!({
            "error": "invalid_request",
            "error_description": format!("unexpected values: {values}"),
        });
        (status, "application/json", body.to_string(), extra)
    } else {
        let body = format!(
            "<html><body><h1>{status}</h1><p>unexpected values: {}</p></body></html>",
            html_escape(&values)
        );
        (status, "text/html", body, extra)
    }
}
