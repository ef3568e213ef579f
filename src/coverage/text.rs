//! The matrix as a readable terminal table (`coverage`): the totals, then
//! one line per requirement with its checks, how many scenarios judged
//! them, the faults that prove them, and what it leaves out.

use super::matrix::{Matrix, Status, Tally};

pub fn render(matrix: &Matrix<'_>) -> String {
    let mut out = String::from(
        "Coverage totals (covered: a check that ran and a fault proves it, every clause tested)\n\n",
    );
    out.push_str(&format!(
        "  {:<12} {:<7} {:<8} {:>5} {:>8} {:>8} {:>10} {:>8}\n",
        "source", "side", "level", "total", "covered", "partial", "uncovered", "share"
    ));
    let groups = matrix
        .documents
        .iter()
        .map(|(d, t)| (d.as_str(), t))
        .chain([("all RFCs", &matrix.rfcs), ("all seeds", &matrix.seeds)]);
    for (name, totals) in groups {
        for (party, bucket, tally) in totals.lines() {
            out.push_str(&line(name, &party.to_string(), &bucket.to_string(), tally));
        }
        if totals.untestable > 0 {
            out.push_str(&format!(
                "  {name:<12} {} not black-box checkable, not counted\n",
                totals.untestable
            ));
        }
    }
    out.push_str(&format!(
        "\n  {:<8} {:<9} {:<7} {:<28} {:<23} checks and faults / scenarios / note or clause left\n",
        "id", "status", "level", "source", "side"
    ));
    for row in &matrix.rows {
        let r = row.requirement;
        let mut detail = row.check_labels().join(", ");
        match row.scenarios.len() {
            0 => {}
            1 => detail.push_str(" / 1 scenario"),
            n => detail.push_str(&format!(" / {n} scenarios")),
        }
        if let Some(why) = &row.why {
            detail.push_str(&format!(" / {why}"));
        }
        out.push_str(&format!(
            "  {:<8} {:<9} {:<7} {:<28} {:<23} {}\n",
            r.id,
            mark(row.status),
            r.bucket,
            r.source_text,
            r.side,
            detail.trim_start_matches(" / ")
        ));
    }
    out
}

fn line(name: &str, party: &str, bucket: &str, t: &Tally) -> String {
    format!(
        "  {name:<12} {party:<7} {bucket:<8} {:>5} {:>8} {:>8} {:>10} {:>6} %\n",
        t.total,
        t.covered,
        t.partial,
        t.uncovered,
        t.covered_percent()
    )
}

fn mark(status: Status) -> String {
    status.to_string().to_uppercase()
}
