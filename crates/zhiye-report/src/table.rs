//! HTML tables: numeric columns right-aligned, long tables cut with a note
//! pointing at the full CSV.

use std::fmt::Write as _;

use crate::escape::Escaped;
use crate::model::{Cell, Table};
use crate::scale::{group_thousands, number};

/// Appends `table` (and its notes) to `out`.
pub(crate) fn render(out: &mut String, table: &Table) {
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|j| {
            let mut cells = table.rows.iter().filter_map(|r| r.get(j)).filter(|c| !matches!(c, Cell::Missing));
            let first = cells.next();
            first.is_some_and(Cell::is_numeric) && cells.all(Cell::is_numeric)
        })
        .collect();
    // A column of whole numbers held as floats (counts weighted by head-count)
    // prints without decimals.
    let whole: Vec<bool> = (0..table.columns.len())
        .map(|j| {
            table.rows.iter().filter_map(|r| r.get(j)).all(|c| match c {
                Cell::Float { value, .. } => value.fract() == 0.0,
                _ => true,
            })
        })
        .collect();
    let class = |j: usize, extra: &str| match (numeric.get(j).copied().unwrap_or(false), extra.is_empty()) {
        (true, true) => r#" class="num""#.to_owned(),
        (true, false) => format!(r#" class="num {extra}""#),
        (false, true) => String::new(),
        (false, false) => format!(r#" class="{extra}""#),
    };

    out.push_str("<div class=\"table-wrap\"><table>");
    if !table.caption.is_empty() {
        let _ = write!(out, "<caption>{}</caption>", Escaped(&table.caption));
    }
    out.push_str("<thead><tr>");
    for (j, name) in table.columns.iter().enumerate() {
        let _ = write!(out, r#"<th scope="col"{}>{}</th>"#, class(j, ""), Escaped(name));
    }
    out.push_str("</tr></thead><tbody>");
    let shown = table.shown_rows();
    for row in &table.rows[..shown] {
        out.push_str("<tr>");
        for (j, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => {
                    let _ = write!(out, "<td{}>{}</td>", class(j, ""), Escaped(s));
                }
                Cell::Int(v) => {
                    let _ = write!(out, "<td{}>{}</td>", class(j, ""), group_thousands(&v.to_string()));
                }
                Cell::Float { value, decimals } => {
                    let decimals = if whole[j] { 0 } else { (*decimals).min(17) };
                    let _ = write!(out, "<td{}>{}</td>", class(j, ""), number(*value, decimals));
                }
                Cell::Missing => {
                    let _ = write!(out, "<td{}>–</td>", class(j, "na"));
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    if !table.note.is_empty() {
        let _ = writeln!(out, r#"<p class="table-note">{}</p>"#, Escaped(&table.note));
    }
    if shown < table.rows.len() {
        let _ = write!(out, r#"<p class="table-truncated">Showing the first {shown} of {} rows. "#, table.rows.len());
        match table.full_csv.as_deref().filter(|p| !p.is_empty()) {
            Some(csv) => {
                let _ = write!(out, r#"The full table is in <a href="{}">{}</a>."#, Escaped(csv), Escaped(csv));
            }
            None => out.push_str("The full table is not part of this report."),
        }
        out.push_str("</p>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize) -> Table {
        Table {
            caption: "职业 <top>".into(),
            columns: vec!["名称".into(), "n".into(), "share".into()],
            rows: (0..rows)
                .map(|i| {
                    vec![
                        Cell::Text(format!("职业{i}")),
                        if i == 1 { Cell::Missing } else { Cell::Int(i as i64) },
                        Cell::Float { value: -(i as f64) / 3000.0, decimals: 2 },
                    ]
                })
                .collect(),
            ..Table::default()
        }
    }

    fn html(t: &Table) -> String {
        let mut out = String::new();
        render(&mut out, t);
        out
    }

    #[test]
    fn numbers_are_right_aligned_and_fixed() {
        let out = html(&table(3));
        assert!(out.contains("<caption>职业 &lt;top&gt;</caption>"));
        assert!(out.contains(r#"<th scope="col">名称</th><th scope="col" class="num">n</th>"#), "{out}");
        assert!(out.contains(r#"<td>职业0</td><td class="num">0</td><td class="num">0.00</td>"#), "{out}");
        assert!(out.contains(r#"<td class="num na">–</td>"#), "{out}");
        assert!(!out.contains("table-truncated"));
    }

    #[test]
    fn counts_are_grouped_by_thousands_without_spurious_decimals() {
        let mut t = table(2);
        t.rows[0][1] = Cell::Int(1_234_567);
        for (i, row) in t.rows.iter_mut().enumerate() {
            row[2] = Cell::Float { value: 375_316.0 + i as f64, decimals: 3 };
        }
        let out = html(&t);
        assert!(out.contains(r#"<td class="num">1,234,567</td><td class="num">375,316</td>"#), "{out}");
        // A column with a fraction anywhere keeps its decimals.
        t.rows[1][2] = Cell::Float { value: 0.5, decimals: 3 };
        assert!(html(&t).contains(r#"<td class="num">375,316.000</td>"#));
    }

    #[test]
    fn long_tables_are_cut_with_a_link_to_the_csv() {
        let mut t = table(250);
        t.full_csv = Some("tables/occupations.csv".into());
        let out = html(&t);
        assert_eq!(out.matches("<tr>").count(), 1 + Table::DEFAULT_MAX_ROWS);
        assert!(
            out.contains(
                r#"Showing the first 200 of 250 rows. The full table is in <a href="tables/occupations.csv">"#
            )
        );
        t.full_csv = None;
        t.max_rows = Some(10);
        let out = html(&t);
        assert_eq!(out.matches("<tr>").count(), 11);
        assert!(out.contains("Showing the first 10 of 250 rows. The full table is not part of this report."));
    }
}
