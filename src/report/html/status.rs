//! How a page shows a status: a word, a symbol and a CSS class, never
//! colour alone.

use crate::report::Verdict;

/// The status of a step, a run of a scenario, a scenario or a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// A statement, without a run (the docs page).
    Stated,
    /// A step after the one that stopped its scenario.
    NotReached,
    Skipped,
    NotRun,
    Passed,
    Failed,
}

impl Status {
    pub fn of(outcome: &Verdict) -> Self {
        match outcome {
            Verdict::Pass => Status::Passed,
            Verdict::Fail(_) => Status::Failed,
            Verdict::Skip(_) => Status::Skipped,
            Verdict::NotRun(_) => Status::NotRun,
        }
    }

    /// The status of several runs together: failed when one failed, else
    /// passed when one passed, else not run, else skipped.
    pub fn overall(all: impl IntoIterator<Item = Status>) -> Self {
        all.into_iter()
            .max_by_key(|s| match s {
                Status::Failed => 5,
                Status::Passed => 4,
                Status::NotRun => 3,
                Status::Skipped => 2,
                Status::NotReached => 1,
                Status::Stated => 0,
            })
            .unwrap_or(Status::Stated)
    }

    /// The CSS class, also the value the filters read (`data-status`).
    pub fn class(&self) -> &'static str {
        match self {
            Status::Stated => "stated",
            Status::NotReached => "not-reached",
            Status::Skipped => "skipped",
            Status::NotRun => "not-run",
            Status::Passed => "passed",
            Status::Failed => "failed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Status::Stated => "statement",
            Status::NotReached => "not reached",
            Status::Skipped => "skipped",
            Status::NotRun => "not run",
            Status::Passed => "passed",
            Status::Failed => "failed",
        }
    }

    pub fn symbol(&self) -> &'static str {
        match self {
            Status::Stated => "•",
            Status::NotReached => "·",
            Status::Skipped => "–",
            Status::NotRun => "?",
            Status::Passed => "✓",
            Status::Failed => "✗",
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
        use Status::*;
        assert_eq!(Status::overall([Passed, Failed, Skipped]), Failed);
        assert_eq!(Status::overall([Skipped, Passed]), Passed);
        assert_eq!(Status::overall([Skipped, NotRun]), NotRun);
        assert_eq!(Status::overall([]), Stated);
        assert_eq!(Status::of(&Verdict::NotRun("x".into())).class(), "not-run");
    }
}
