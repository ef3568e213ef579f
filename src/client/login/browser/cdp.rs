//! A thin client of the Chrome DevTools Protocol over Chromium's debugging
//! pipe (`--remote-debugging-pipe`): no port is opened and no WebSocket is
//! needed. Chromium reads commands from its file descriptor 3 and writes
//! answers and events to its descriptor 4, each message one JSON object
//! ended by a NUL byte.
//!
//! Only what the login needs: [`Conn::call`] sends a command (to the
//! browser, or to a page's session with `sessionId`, "flat" mode) and waits
//! for its answer; a thread reads the pipe and routes each answer to its
//! waiter and each event to its page session's channel ([`Conn::listen`]),
//! so several logins share one browser. The methods used are Target.createTarget and
//! attachToTarget, Page.enable/navigate/handleJavaScriptDialog,
//! Runtime.evaluate, and Fetch.enable/requestPaused/fulfillRequest/
//! failRequest/continueRequest
//! (<https://chromedevtools.github.io/devtools-protocol/>).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use serde_json::{Value, json};

/// The largest message read from Chromium (a DOM snapshot, a paused request
/// with its body): past it the connection is dropped.
const MAX_MESSAGE: usize = 8 * 1024 * 1024;

/// Answers awaited, by command id, and each page session's events.
#[derive(Default)]
struct Router {
    pending: HashMap<u64, oneshot::Sender<Value>>,
    sessions: HashMap<String, mpsc::UnboundedSender<Value>>,
    closed: bool,
}

/// One DevTools connection, shared by the logins running in one browser.
pub struct Conn {
    to_browser: std::sync::Mutex<std::sync::mpsc::Sender<Vec<u8>>>,
    router: Arc<Mutex<Router>>,
    next_id: AtomicU64,
}

/// The two ends the child gets as its descriptors 3 and 4.
pub struct ChildEnds {
    pub reads: OwnedFd,
    pub writes: OwnedFd,
}

fn lock(router: &Mutex<Router>) -> std::sync::MutexGuard<'_, Router> {
    router.lock().unwrap_or_else(|e| e.into_inner())
}

impl Conn {
    /// The pipes for a browser about to start: our ends kept (a thread
    /// writes, a thread reads and routes), the child's returned for
    /// [`install`].
    pub fn pipes() -> std::io::Result<(Arc<Self>, ChildEnds)> {
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
        let router = Arc::new(Mutex::new(Router::default()));
        let routes = Arc::clone(&router);
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
                if let Ok(value) = serde_json::from_slice::<Value>(&message) {
                    route(&routes, value);
                }
            }
            // The browser is gone: every waiter hears it.
            let mut router = lock(&routes);
            router.closed = true;
            router.pending.clear();
            router.sessions.clear();
        });
        Ok((
            Arc::new(Self {
                to_browser: std::sync::Mutex::new(to_browser),
                router,
                next_id: AtomicU64::new(0),
            }),
            ChildEnds {
                reads: child_reads.into(),
                writes: child_writes.into(),
            },
        ))
    }

    fn post(&self, session: Option<&str>, method: &str, params: Value) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let _ = self
            .to_browser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(message.to_string().into_bytes());
        id
    }

    /// Sends `method` with `params` (to the page session `session`, or to
    /// the browser) and waits for its result; a protocol error is `Err`.
    pub async fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let (tx, rx) = oneshot::channel();
        // Registered before it is sent, so the answer cannot come first.
        let id = {
            let mut router = lock(&self.router);
            if router.closed {
                return Err("the browser closed its DevTools pipe".into());
            }
            let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
            router.pending.insert(id, tx);
            id
        };
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let _ = self
            .to_browser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(message.to_string().into_bytes());
        let answer = rx
            .await
            .map_err(|_| "the browser closed its DevTools pipe".to_owned())?;
        if let Some(error) = answer.get("error") {
            return Err(format!(
                "{method}: {}",
                error
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("error")
            ));
        }
        Ok(answer.get("result").cloned().unwrap_or(Value::Null))
    }

    /// Sends a command without waiting for its answer.
    pub fn send(&self, session: Option<&str>, method: &str, params: Value) {
        self.post(session, method, params);
    }

    /// The events of page session `session` from now on.
    pub fn listen(&self, session: &str) -> mpsc::UnboundedReceiver<Value> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.router).sessions.insert(session.to_owned(), tx);
        rx
    }

    /// Whether the browser is gone.
    pub fn is_closed(&self) -> bool {
        lock(&self.router).closed
    }

    /// Stops routing `session`'s events.
    pub fn forget(&self, session: &str) {
        lock(&self.router).sessions.remove(session);
    }
}

/// Hands an answer to its waiter and an event to its session.
fn route(router: &Mutex<Router>, message: Value) {
    let mut router = lock(router);
    if let Some(id) = message.get("id").and_then(Value::as_u64) {
        if let Some(waiter) = router.pending.remove(&id) {
            let _ = waiter.send(message);
        }
        return;
    }
    if let Some(session) = message.get("sessionId").and_then(Value::as_str)
        && let Some(events) = router.sessions.get(session)
    {
        let _ = events.send(message);
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
        if reads < 0 || writes < 0 || libc::dup2(reads, 3) < 0 || libc::dup2(writes, 4) < 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::close(reads);
        libc::close(writes);
    }
    Ok(())
}

use std::io::Read as _;
