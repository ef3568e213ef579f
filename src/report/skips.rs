//! Showing a scenario that was set aside as skipped or not run, not as
//! failed.
//!
//! cucumber has no "skip this scenario" for a step to return, and an unmatched
//! step is already turned into a failure (so typos cannot pass). A step that
//! finds its scenario does not apply here (a capability the profile lacks),
//! or that it cannot drive it (a setting nobody gave, a page it does not
//! understand), records why in the World and fails; the writers below read
//! that from the World and show the step as skipped, and the report keeps
//! the two apart: neither is a verdict on the server.

use cucumber::event::{Cucumber, Feature, RetryableScenario, Rule, Scenario, Step};
use cucumber::{Event, Writer, parser};

use crate::checks::Verdict;

/// A World that can say why its scenario was set aside: a
/// [`Verdict::Skip`] (it does not apply here: a `@mock` scenario on a real
/// target, a capability the profile does not declare, a premise not met)
/// or a [`Verdict::NotRun`] (it applies, but the suite could not ask).
pub trait SkipReason {
    fn set_aside(&self) -> Option<Verdict>;
}

/// Why a failed step event really set its scenario aside, if it did.
pub fn set_aside_by<W: SkipReason>(step: &Step<W>) -> Option<Verdict> {
    match step {
        Step::Failed(_, _, Some(world), _) => world.set_aside(),
        _ => None,
    }
}

/// Wraps a writer (cucumber's terminal output) so deliberate skips reach it
/// as skipped steps.
#[derive(Debug)]
pub struct ShowSkips<Wr>(pub Wr);

fn as_skip<W: SkipReason>(ev: Scenario<W>) -> Scenario<W> {
    match ev {
        Scenario::Step(s, step) if set_aside_by(&step).is_some() => {
            Scenario::Step(s, Step::Skipped)
        }
        Scenario::Background(s, step) if set_aside_by(&step).is_some() => {
            Scenario::Background(s, Step::Skipped)
        }
        other => other,
    }
}

fn retryable<W: SkipReason>(r: RetryableScenario<W>) -> RetryableScenario<W> {
    RetryableScenario {
        event: as_skip(r.event),
        retries: r.retries,
    }
}

impl<W, Wr> Writer<W> for ShowSkips<Wr>
where
    W: cucumber::World + SkipReason,
    Wr: Writer<W>,
{
    type Cli = Wr::Cli;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, cli: &Self::Cli) {
        let event = event.map(|ev| {
            ev.map(|c| match c {
                Cucumber::Feature(f, Feature::Scenario(sc, r)) => {
                    Cucumber::Feature(f, Feature::Scenario(sc, retryable(r)))
                }
                Cucumber::Feature(f, Feature::Rule(rule, Rule::Scenario(sc, r))) => {
                    Cucumber::Feature(f, Feature::Rule(rule, Rule::Scenario(sc, retryable(r))))
                }
                other => other,
            })
        });
        self.0.handle_event(event, cli).await;
    }
}
