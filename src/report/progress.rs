//! The progress line of a long run: scenarios done of the total, and what
//! the run is waiting for with its remaining seconds (a token's lifetime on
//! a real server, up to the profile's `max_wait_s`).
//!
//! Drawn on standard error only when it is a terminal; hidden otherwise
//! (a pipe, a CI log, `cargo test`), so machine-read output never carries it.
//! Nested runs (the fault proofs) have none of their own.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A handle on the run's progress line; cloning shares the line.
#[derive(Clone, Debug)]
pub struct Progress(ProgressBar);

impl Default for Progress {
    fn default() -> Self {
        Self::hidden()
    }
}

impl Progress {
    /// A line on standard error when it is a terminal, else hidden.
    pub fn on_terminal() -> Self {
        match std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            true => Self::drawn_to(ProgressDrawTarget::stderr()),
            false => Self::hidden(),
        }
    }

    /// No line at all.
    pub fn hidden() -> Self {
        Self(ProgressBar::hidden())
    }

    /// A line drawn to `target` (a terminal; tests use an in-memory one).
    pub fn drawn_to(target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            ProgressStyle::with_template("{pos}/{len} scenarios [{elapsed}] {wide_msg}")
                .expect("a valid progress template"),
        );
        Self(bar)
    }

    pub fn is_hidden(&self) -> bool {
        self.0.is_hidden()
    }

    /// How many scenarios the run starts (cucumber counts them once the
    /// features are parsed and filtered).
    pub fn set_total(&self, scenarios: u64) {
        self.0.set_length(scenarios);
        self.0.tick();
    }

    pub fn scenario_done(&self) {
        self.0.inc(1);
    }

    /// Shows "waiting N s: what" and counts down each second until the
    /// returned guard is dropped (the wait ended).
    pub fn waiting(&self, what: &str, how_long: Duration) -> Waiting {
        if self.0.is_hidden() {
            return Waiting(None);
        }
        let bar = self.0.clone();
        let what = what.to_owned();
        let countdown = tokio::spawn(async move {
            let end = tokio::time::Instant::now() + how_long;
            loop {
                let left = end.saturating_duration_since(tokio::time::Instant::now());
                bar.set_message(waiting_message(&what, left));
                if left.is_zero() {
                    break;
                }
                tokio::time::sleep(left.min(Duration::from_secs(1))).await;
            }
        });
        Waiting(Some((countdown, self.0.clone())))
    }

    /// Removes the line: the summary follows.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// "waiting 59 s: the access token's lifetime to pass".
fn waiting_message(what: &str, left: Duration) -> String {
    format!("waiting {} s: {what}", left.as_secs_f64().ceil() as u64)
}

/// A wait shown on the progress line; dropping it clears the message.
#[derive(Debug)]
pub struct Waiting(Option<(tokio::task::JoinHandle<()>, ProgressBar)>);

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Some((countdown, bar)) = self.0.take() {
            countdown.abort();
            bar.set_message("");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::InMemoryTerm;

    fn on_memory() -> (Progress, InMemoryTerm) {
        let term = InMemoryTerm::new(4, 100);
        let progress = Progress::drawn_to(ProgressDrawTarget::term_like(Box::new(term.clone())));
        (progress, term)
    }

    #[test]
    fn the_line_counts_scenarios_done_of_the_total() {
        let (progress, term) = on_memory();
        progress.set_total(3);
        progress.scenario_done();
        progress.scenario_done();
        progress.0.tick();
        assert!(
            term.contents().starts_with("2/3 scenarios"),
            "{}",
            term.contents()
        );
        progress.finish();
        assert_eq!(
            term.contents().trim(),
            "",
            "the line is cleared for the summary"
        );
    }

    #[tokio::test]
    async fn a_wait_shows_its_remaining_seconds_until_it_ends() {
        let (progress, term) = on_memory();
        progress.set_total(1);
        let wait = progress.waiting(
            "the access token's lifetime to pass",
            Duration::from_secs(90),
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        progress.0.tick();
        assert!(
            term.contents()
                .contains("waiting 90 s: the access token's lifetime to pass"),
            "{}",
            term.contents()
        );
        drop(wait);
        progress.0.tick();
        assert!(!term.contents().contains("waiting"), "{}", term.contents());
    }

    #[test]
    fn the_remaining_seconds_round_up() {
        assert_eq!(
            waiting_message("x", Duration::from_millis(1500)),
            "waiting 2 s: x"
        );
        assert_eq!(waiting_message("x", Duration::ZERO), "waiting 0 s: x");
    }

    #[test]
    fn a_hidden_line_shows_no_wait() {
        assert!(Progress::hidden().is_hidden());
        assert!(
            Progress::hidden()
                .waiting("x", Duration::from_secs(1))
                .0
                .is_none()
        );
    }
}
