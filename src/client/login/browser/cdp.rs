//! A thin client of the Chrome DevTools Protocol over Chromium's debugging
//! pipe (`--remote-debugging-pipe`): no port is opened and no WebSocket is
//! needed. Chromium reads commands from its file descriptor 3 and writes
//! answers and events to its descriptor 4, each message one JSON object
//! ended by a NUL byte.
//!
//! Only what the login needs: [`Cdp::call`] sends a command (to the browser,
//! or to a page's session with `sessionId`, "flat" mode) and waits for its
//! answer, keeping the events that arrive meanwhile; [`Cdp::event`] hands
//! them out in order. The methods used are Target.createTarget and
//! attachToTarget, Page.enable/navigate/handleJavaScriptDialog,
//! Runtime.evaluate, and Fetch.enable/requestPaused/fulfillRequest/
//! failRequest/continueRequest
//! (<https://chromedevtools.github.io/devtools-protocol/>).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, OwnedFd};

use serde_json::{Value, json};

/// The largest message read from Chromium (a DOM snapshot, a paused request
/// with its body): past it the connection is dropped.
const MAX_MESSAGE: usize = 8 * 1024 * 1024;

/// One DevTools connection.
pub struct Cdp {
    to_browser: std::sync::mpsc::Sender<Vec<u8>>,
    from_browser: tokio::sync::mpsc::UnboundedReceiver<Value>,
    next_id: u64,
    events: VecDeque<Value>,
}

/// The two ends the child gets as its descriptors 3 and 4.
pub struct ChildEnds {
    pub reads: OwnedFd,
    pub writes: OwnedFd,
}

impl Cdp {
    /// The pipes for a browser about to start: our ends kept, the child's
    /// returned for [`install`].
    pub fn pipes() -> std::io::Result<(Self, ChildEnds)> {
        let (child_reads, we_write) = std::io::pipe()?;
        let (we_read, child_writes) = std::io::pipe()?;
        let (to_browser, outgoing) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut pipe = we_write;
            for mut message in outgoing {
                message.push(0);
                if pipe.write_all(&message).is_err() {
                    break;
                }
            }
        });
        let (incoming, from_browser) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(we_read);
            let mut message = Vec::new();
            loop {
                message.clear();
                match (&mut reader)
                    .take(MAX_MESSAGE as u64)
                    .read_until(0, &mut message)
                {
                    Ok(0) | Err(_) => break,
                    Ok(_) if message.last() != Some(&0) => break,
                    Ok(_) => {}
                }
                message.pop();
                if std::env::var_os("OC_CDP_DEBUG").is_some() { eprintln!("<< {}", String::from_utf8_lossy(&message).chars().take(300).collect::<String>()); }
                if let Ok(value) = serde_json::from_slice::<Value>(&message)
                    && incoming.send(value).is_err()
                {
                    break;
                }
            }
        });
        Ok((
            Self {
                to_browser,
                from_browser,
                next_id: 0,
                events: VecDeque::new(),
            },
            ChildEnds {
                reads: child_reads.into(),
                writes: child_writes.into(),
            },
        ))
    }

    /// Sends `method` with `params` (to the page session `session`, or to
    /// the browser) and waits for its result; a protocol error is `Err`.
    pub async fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.to_browser
            .send(message.to_string().into_bytes())
            .map_err(|_| "the browser closed its DevTools pipe".to_owned())?;
        loop {
            let Some(message) = self.from_browser.recv().await else {
                return Err("the browser closed its DevTools pipe".into());
            };
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = message.get("error") {
                    return Err(format!(
                        "{method}: {}",
                        error
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or("error")
                    ));
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
            if message.get("method").is_some() {
                self.events.push_back(message);
            }
        }
    }

    /// Sends a command without waiting for its answer.
    pub fn send(&mut self, session: &str, method: &str, params: Value) {
        self.next_id += 1;
        let message =
            json!({"id": self.next_id, "method": method, "params": params, "sessionId": session});
        let _ = self.to_browser.send(message.to_string().into_bytes());
    }

    /// The next event (`None`: the browser is gone).
    pub async fn event(&mut self) -> Option<Value> {
        if let Some(event) = self.events.pop_front() {
            return Some(event);
        }
        loop {
            let message = self.from_browser.recv().await?;
            if message.get("method").is_some() {
                return Some(message);
            }
        }
    }
}

/// Makes `ends` the child's descriptors 3 (it reads) and 4 (it writes).
/// Runs between fork and exec: only async-signal-safe calls.
pub fn install(ends: &ChildEnds) -> std::io::Result<()> {
    // SAFETY: fcntl and dup2 on descriptors this process owns; both are
    // async-signal-safe. Each end is first moved above 4, so that placing
    // one never closes the other.
    unsafe {
        let reads = libc::fcntl(ends.reads.as_raw_fd(), libc::F_DUPFD, 10);
        let writes = libc::fcntl(ends.writes.as_raw_fd(), libc::F_DUPFD, 10);
        if reads < 0
            || writes < 0
            || libc::dup2(reads, 3) < 0
            || libc::dup2(writes, 4) < 0
        {
            return Err(std::io::Error::last_os_error());
        }
        libc::close(reads);
        libc::close(writes);
    }
    Ok(())
}

use std::io::Read as _;
