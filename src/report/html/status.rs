//! How a page shows a status: a word, a symbol and a CSS class, never
//! colour alone. A [`Badge`] is presentation only: the verdict it shows is
//! a [`Verdict`]; the badge adds what only a page needs (a statement
//! without a run, a step after the one that stopped its scenario).

use crate::report::Verdict;

/// How a page shows the status of a step, a run of a scenario, a scenario
/// or a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Badge {
    /// A statement, without a run (the docs page).
    Stated,
    /// A step after the one that stopped its scenario.
    NotReached,
    Skipped,
    NotRun,
    Passed,
    Failed,
}

impl Badge {
    pub fn of(outcome: &Verdict) -> Self {
        match outcome {
            Verdict::Pass => Badge::Passed,
            Verdict::Fail(_) => Badge::Failed,
            Verdict::Skip(_) => Badge::Skipped,
            Verdict::NotRun(_) => Badge::NotRun,
        }
    }

    /// The status of several runs together: failed when one failed, else
    /// passed when one passed, else not run, else skipped.
    pub fn overall(all: impl IntoIterator<Item = Badge>) -> Self {
        all.into_iter()
            .max_by_key(|s| match s {
                Badge::Failed => 5,
                Badge::Passed => 4,
                Badge::NotRun => 3,
                Badge::Skipped => 2,
                Badge::NotReached => 1,
                Badge::Stated => 0,
            })
            .unwrap_or(Badge::Stated)
    }

    /// The CSS class, also the value the filters read (`data-status`).
    pub fn class(&self) -> &'static str {
        match self {
            Badge::Stated => "stated",
            Badge::NotReached => "not-reached",
            Badge::Skipped => "skipped",
            Badge::NotRun => "not-run",
            Badge::Passed => "passed",
            Badge::Failed => "failed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Badge::Stated => "statement",
            Badge::NotReached => "not reached",
            Badge::Skipped => "skipped",
            Badge::NotRun => "not run",
            Badge::Passed => "passed",
            Badge::Failed => "failed",
        }
    }

    pub fn symbol(&self) -> &'static str {
        match self {
            Badge::Stated => "•",
            Badge::NotReached => "·",
            Badge::Skipped => "–",
            Badge::NotRun => "?",
            Badge::Passed => "✓",
            Badge::Failed => "✗",
        }
    }
}

/// The message of an outcome that has one.
pub fn reason(outcome: &Verdict) -> Option<&str> {
    match outcome {
        Verdict::Pass => None,
        Verdict::Fail(m) | Verdict::Skip(m) | Verdict::NotRun(m) => Some(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_outweighs_a_pass_which_outweighs_a_skip() {
        use Badge::*;
        assert_eq!(Badge::overall([Passed, Failed, Skipped]), Failed);
        assert_eq!(Badge::overall([Skipped, Passed]), Passed);
        assert_eq!(Badge::overall([Skipped, NotRun]), NotRun);
        assert_eq!(Badge::overall([]), Stated);
        assert_eq!(Badge::of(&Verdict::NotRun("x".into())).class(), "not-run");
    }
}
