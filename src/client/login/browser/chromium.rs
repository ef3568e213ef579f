//! Finding Chromium and starting it for one login: headless, a fresh
//! profile directory removed afterwards, the DevTools protocol on a pipe,
//! and a proxy that goes nowhere, so that a request the login does not
//! fulfil itself (see [`super`]) cannot leave the browser.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use std::sync::{Arc, Mutex, Weak};

use super::cdp::{self, Conn};
use crate::profile::LoginSettings;

/// The variable naming the Chromium to run.
pub const CHROMIUM_VARIABLE: &str = "OAUTH_CONFORMANCE_CHROMIUM";
/// Names looked for on `PATH`.
const NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// A Chromium found, and who said where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chromium {
    pub path: PathBuf,
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// How to get one, for a message.
pub const INSTALL_HINT: &str = "install Chromium (Debian/Ubuntu: apt-get install chromium) or set OAUTH_CONFORMANCE_CHROMIUM to its path";

impl Chromium {
    /// The profile's `chromium`, else [`CHROMIUM_VARIABLE`], else the
    /// first of [`NAMES`] on `PATH`. `Err` says what was tried and how to
    /// get one.
    pub fn find(settings: &LoginSettings) -> Result<Self, String> {
        Self::find_with(settings, |n| std::env::var(n).ok())
    }

    pub fn find_with(
        settings: &LoginSettings,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let given = [
            (
                "authorization_code.login.chromium",
                settings.chromium.clone(),
            ),
            (CHROMIUM_VARIABLE, env(CHROMIUM_VARIABLE)),
        ];
        for (by, path) in given {
            if let Some(path) = path.filter(|p| !p.trim().is_empty()) {
                let path = PathBuf::from(path);
                return if is_executable(&path) {
                    Ok(Self { path })
                } else {
                    Err(format!(
                        "no Chromium at {} ({by}): {INSTALL_HINT}",
                        path.display()
                    ))
                };
            }
        }
        let dirs = env("PATH").unwrap_or_default();
        NAMES
            .iter()
            .flat_map(|name| std::env::split_paths(&dirs).map(move |d| d.join(name)))
            .find(|p| is_executable(p))
            .map(|path| Self { path })
            .ok_or_else(|| {
                format!(
                    "no Chromium was found ({CHROMIUM_VARIABLE} is not set and none of {} is on PATH): {INSTALL_HINT}",
                    NAMES.join(", ")
                )
            })
    }
}

/// A running headless Chromium; killed, and its profile directory
/// removed, when the last login using it is done.
pub struct Browser {
    pub conn: Arc<Conn>,
    path: PathBuf,
    child: std::process::Child,
    _profile: tempfile::TempDir,
}

/// The browser the logins running now share (each in a browser context of
/// its own: its own cookies, storage and cache, disposed after it).
static SHARED: Mutex<Weak<Browser>> = Mutex::new(Weak::new());

impl Browser {
    /// The browser running now, or a new one.
    pub fn shared(chromium: &Chromium) -> Result<Arc<Self>, String> {
        let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(browser) = slot.upgrade()
            && browser.path == chromium.path
            && !browser.conn.is_closed()
        {
            return Ok(browser);
        }
        let browser = Arc::new(Self::start(chromium)?);
        *slot = Arc::downgrade(&browser);
        Ok(browser)
    }

    fn start(chromium: &Chromium) -> Result<Self, String> {
        let profile = tempfile::Builder::new()
            .prefix("oauth-conformance-login-")
            .tempdir()
            .map_err(|e| format!("could not make the browser's profile directory: {e}"))?;
        let (conn, ends) =
            Conn::pipes().map_err(|e| format!("could not make the DevTools pipes: {e}"))?;
        let mut command = std::process::Command::new(&chromium.path);
        command
            .args([
                "--headless",
                "--remote-debugging-pipe",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--disable-breakpad",
                // Several logins share the browser, each in a page of its
                // own: none may be throttled as a page in the background.
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-renderer-backgrounding",
                "--mute-audio",
                "--password-store=basic",
                "--use-mock-keychain",
                // Every page request is fulfilled by the suite; anything
                // else meets a proxy that does not exist.
                "--proxy-server=http://127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>",
                "--window-size=1024,768",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Chromium's sandbox cannot run as root; there it must be told.
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            command.arg("--no-sandbox");
        }
        // SAFETY: the closure only calls async-signal-safe functions
        // (fcntl, dup2, close) on descriptors it owns.
        unsafe {
            command.pre_exec(move || cdp::install(&ends));
        }
        let child = command
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", chromium.path.display()))?;
        Ok(Self {
            conn,
            path: chromium.path.clone(),
            child,
            _profile: profile,
        })
    }
}

/// How long a closing browser is given to end its own processes before it
/// is killed.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl Drop for Browser {
    /// Asks the browser to close (it ends its renderers and helpers), waits
    /// a bounded while, then kills what is left of it; the profile
    /// directory goes after.
    fn drop(&mut self) {
        self.conn.send(None, "Browser.close", serde_json::json!({}));
        let start = std::time::Instant::now();
        while start.elapsed() < CLOSE_WAIT {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
