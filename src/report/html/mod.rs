//! The HTML report (`run --html FILE`) and the features as documentation
//! (`docs --html FILE`): one self-contained page, styles and script inline,
//! nothing fetched, readable without the script and on paper.
//!
//! One more view of the same records: the page is built from
//! [`RunReport::redacted`] (or [`DocsReport::redacted`]) into a page model
//! ([`page::Page`]), which askama templates (`templates/`, escaping every
//! value) lay out. No HTML is put together by hand.

pub mod checks;
pub mod nav;
pub mod page;
pub mod prose;
pub mod scenarios;
pub mod status;

use askama::Template;

use super::ReportError;
use super::docs::DocsReport;
use super::results::RunReport;
use page::Page;
#[allow(unused_imports)] // the templates match on them
use prose::Block;
use status::Badge;

/// The page's styles: system fonts only, light colours of readable
/// contrast, one column on a narrow window, a print layout.
const STYLE: &str = include_str!("templates/style.css");

/// The filters (failed only, by tag, by source): without it, the whole page.
const SCRIPT: &str = include_str!("templates/filters.js");

#[derive(Template)]
#[template(path = "page.html")]
struct PageTemplate<'a> {
    page: &'a Page,
    style: &'static str,
    script: &'static str,
    version: &'static str,
    /// The marks a run page explains.
    legend: [Badge; 5],
}

/// The report of a run, from its redacted records.
pub fn render(report: &RunReport) -> Result<String, ReportError> {
    render_page(&Page::of_run(&report.redacted()))
}

/// The features as documentation, from their redacted records.
pub fn render_docs(docs: &DocsReport) -> Result<String, ReportError> {
    render_page(&Page::of_docs(&docs.redacted()))
}

fn render_page(page: &Page) -> Result<String, ReportError> {
    PageTemplate {
        page,
        style: STYLE,
        script: SCRIPT,
        version: env!("CARGO_PKG_VERSION"),
        legend: [
            Badge::Passed,
            Badge::Failed,
            Badge::Skipped,
            Badge::NotRun,
            Badge::NotReached,
        ],
    }
    .render()
    .map_err(|e| ReportError::Html(e.to_string()))
}

#[cfg(test)]
mod tests;
