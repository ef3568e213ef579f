//! Time as something we can hold still.
//!
//! Token lifetimes are minutes, hours and days long. A scenario that says "the
//! token is 59 minutes old" must take no real time, so everything that asks
//! "what time is it?" (the mock server issuing and expiring tokens, the client
//! deciding when to renew) asks a [`Clock`], and a scenario shares one
//! [`Clock::manual`] between both sides and moves it forward by hand.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of UNIX time in milliseconds. Cloning shares the same time.
#[derive(Clone, Debug)]
pub struct Clock {
    kind: ClockKind,
}

#[derive(Clone, Debug)]
enum ClockKind {
    System,
    /// Milliseconds since the epoch, moved only by [`Clock::advance`].
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// The machine's wall clock.
    pub fn system() -> Self {
        Self {
            kind: ClockKind::System,
        }
    }

    /// A clock that starts at the current wall time and only moves when told.
    pub fn manual() -> Self {
        Self {
            kind: ClockKind::Manual(Arc::new(AtomicI64::new(system_now_ms()))),
        }
    }

    /// Milliseconds since the UNIX epoch.
    pub fn now_ms(&self) -> i64 {
        match &self.kind {
            ClockKind::System => system_now_ms(),
            ClockKind::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// Whole seconds since the UNIX epoch, as JWT `iat`/`exp` use them.
    pub fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves a manual clock forward. A system clock cannot be moved: the
    /// caller asked for virtual time on a target that has none, which is a
    /// scenario mistake, reported as an error rather than ignored.
    pub fn advance(&self, by: Duration) -> Result<(), ClockError> {
        match &self.kind {
            ClockKind::System => Err(ClockError::NotManual),
            ClockKind::Manual(ms) => {
                let by = i64::try_from(by.as_millis()).map_err(|_| ClockError::TooFar)?;
                ms.fetch_add(by, Ordering::SeqCst);
                Ok(())
            }
        }
    }

    pub fn is_manual(&self) -> bool {
        matches!(self.kind, ClockKind::Manual(_))
    }

    /// Lets `by` pass: a manual clock moves at once; on the system clock
    /// (a real server, whose clock nobody here can move) the caller really
    /// waits, but only when `by` is within `allowed`, the real wait the
    /// profile permits, so a run never stalls for hours by surprise.
    pub async fn pass(&self, by: Duration, allowed: Duration) -> Result<(), ClockError> {
        match &self.kind {
            ClockKind::Manual(_) => self.advance(by),
            ClockKind::System if by <= allowed => {
                tokio::time::sleep(by).await;
                Ok(())
            }
            ClockKind::System => Err(ClockError::WaitTooLong {
                needed_s: by.as_secs(),
                allowed_s: allowed.as_secs(),
            }),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClockError {
    #[error(
        "time can only be moved on the embedded mock target (virtual time); tag this scenario @mock"
    )]
    NotManual,
    #[error("cannot move the clock that far")]
    TooFar,
    #[error(
        "this needs {needed_s} s of real time on a real server and the profile allows waiting {allowed_s} s (max_wait_s)"
    )]
    WaitTooLong { needed_s: u64, allowed_s: u64 },
}

fn system_now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_it() {
        let clock = Clock::manual();
        let shared = clock.clone();
        let start = clock.now_ms();
        assert_eq!(clock.now_ms(), start);
        shared.advance(Duration::from_secs(59 * 60)).unwrap();
        assert_eq!(clock.now_ms(), start + 59 * 60 * 1000);
    }

    #[tokio::test]
    async fn passing_time_moves_a_manual_clock_without_waiting() {
        let clock = Clock::manual();
        let start = clock.now_ms();
        let hour = Duration::from_secs(3600);
        clock.pass(hour, Duration::ZERO).await.unwrap();
        assert_eq!(clock.now_ms(), start + 3_600_000);
    }

    #[tokio::test]
    async fn passing_time_on_the_system_clock_waits_only_as_long_as_allowed() {
        let clock = Clock::system();
        let before = std::time::Instant::now();
        clock
            .pass(Duration::from_millis(20), Duration::from_secs(1))
            .await
            .unwrap();
        assert!(before.elapsed() >= Duration::from_millis(20));
        assert_eq!(
            clock
                .pass(Duration::from_secs(61), Duration::from_secs(60))
                .await,
            Err(ClockError::WaitTooLong {
                needed_s: 61,
                allowed_s: 60
            })
        );
        // Exactly the allowed wait is allowed.
        assert_eq!(clock.pass(Duration::ZERO, Duration::ZERO).await, Ok(()));
    }

    #[test]
    fn system_clock_refuses_to_move() {
        assert_eq!(
            Clock::system().advance(Duration::from_secs(1)),
            Err(ClockError::NotManual)
        );
    }
}
