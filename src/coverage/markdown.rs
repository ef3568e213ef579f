//! The matrix as Markdown (`coverage --markdown`): the totals table (what
//! README shows) and the matrix, one row per requirement.

use super::matrix::{Matrix, Tally, Totals};

/// The totals table and the matrix.
pub fn render(matrix: &Matrix<'_>) -> String {
    let mut out = totals(matrix);
    out.push_str("\n| id | source | level | side | status | checks [fault that proves each] | scenarios | note or clause left |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for row in &matrix.rows {
        let r = row.requirement;
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.id,
            r.source_text,
            r.level,
            r.side,
            row.status,
            cell(&row.check_labels().join("; ")),
            row.scenarios.len(),
            cell(row.why.as_deref().unwrap_or("")),
        ));
    }
    out
}

/// The totals per document, party (the servers, the client) and bucket,
/// then all RFCs and all seeds.
pub fn totals(matrix: &Matrix<'_>) -> String {
    let mut out = String::from(
        "| source | side | level | requirements | covered | partial | uncovered | covered share |\n\
         | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let groups = matrix.documents.iter().map(|(d, t)| (d.clone(), t)).chain([
        ("**all RFCs**".to_owned(), &matrix.rfcs),
        ("**all seeds**".to_owned(), &matrix.seeds),
    ]);
    for (name, totals) in groups {
        for (party, bucket, tally) in totals.lines() {
            out.push_str(&line(&name, &party.to_string(), &bucket.to_string(), tally));
        }
    }
    let left_out = |t: &Totals| (t.untestable, t.not_counted);
    let (untestable, not_counted) = [&matrix.rfcs, &matrix.seeds]
        .into_iter()
        .map(left_out)
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    out.push_str(&format!(
        "\nNot counted: {untestable} requirements no black-box test can judge (each says why) and {not_counted} without any keyword.\n"
    ));
    out
}

fn line(name: &str, party: &str, bucket: &str, t: &Tally) -> String {
    format!(
        "| {name} | {party} | {bucket} | {} | {} | {} | {} | {} % |\n",
        t.total,
        t.covered,
        t.partial,
        t.uncovered,
        t.covered_percent()
    )
}

/// Text that is safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
