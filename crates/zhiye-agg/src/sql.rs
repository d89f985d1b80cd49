//! Every query of the aggregation, in one place; [`queries`] lists them in
//! the order they run.
//!
//! Two phases. First, *partials*: each scans the classified postings once
//! (table `postings`, see [`crate::tables::CLASSIFIED_COLUMNS`]) and groups
//! them by fine occupation (`fine`, `''` for unclassified postings) and a
//! breakdown, into small tables whose size depends on the taxonomy and the
//! calendar, not on the corpus. Then *roll-ups*: the partials are joined to
//! `levels(fine, id, cid, level, rank, code, name)` (four rows per occupation, one per
//! level it belongs to, and four with a null code for `''`) and summed, so one
//! `GROUP BY level, code` gives all four levels and every level sums to the
//! input.
//!
//! Definitions shared by every table:
//! - a posting is *counted* when it is not a repost (`dup_of IS NULL`);
//! - its vacancies are its head-count, or `missing_headcount` when the
//!   head-count is missing or unspecified, and 0 for a repost;
//! - wages, experience, education and AI mentions use counted postings only,
//!   one observation per posting (not weighted by head-count); a wage is the
//!   monthly middle of the parsed range;
//! - wage quantiles are read from wages binned at 1% in log (bin `round(100 ·
//!   ln wage)`): the q-quantile is the centre `exp(bin / 100)` of the first bin
//!   where the cumulative count reaches q · n (the inverted-CDF definition),
//!   within 0.5% of the exact order statistic.
//!
//! Every table is the same, to the bit, whatever the number of threads and
//! however the postings are split into files and row groups:
//! - every sum is exact. Floating-point addition is not associative, so a
//!   `SUM` of `DOUBLE` would depend in its last bits on how the engine
//!   partitions the rows; each real addend (a wage, a log-wage moment, a log
//!   share) is instead rounded once, per row, to a `DECIMAL(38, s)` (see
//!   [`WAGE`] and [`LOG`]), summed exactly in 128-bit integers and made a
//!   `DOUBLE` only after the last roll-up; counts are integer sums;
//! - the other aggregates (`MIN`, `MAX`, `COUNT`) and window sums (integers,
//!   cumulated over a unique key) do not depend on row order either, and no
//!   order-dependent statistical aggregate (`regr_*`, `avg`, `stddev`) is used;
//! - every published table ends with an `ORDER BY` on a unique key.

/// What the engine does with the result of a [`Query`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryRole {
    /// An intermediate table, read by the queries after it and not published.
    Partial,
    /// A published table, also read by the queries after it.
    Table,
}

/// One statement of the aggregation: its result is the table `name`, which
/// replaces any earlier table of that name (the breakdowns reuse `p_by`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// The result's table name (the file stem of a published table).
    pub name: String,
    /// A single `SELECT` (or `WITH … SELECT`).
    pub sql: String,
    /// Intermediate or published.
    pub role: QueryRole,
}

/// Every statement of the aggregation, in the order it must run: the
/// partials, the tables over them, then per breakdown its partial (`p_by`)
/// and its table. The inputs are `postings` (the classified postings) and
/// `levels` ([`crate::levels_table`]). The one list both DataFusion
/// ([`crate::aggregate`]) and `zhiye bench --compare-duckdb` run; the SQL
/// is portable to DuckDB given integer division (`SET integer_division = true`:
/// packed keys are split with `/` and `%` on integers).
pub fn queries(options: &AggregateOptions) -> Vec<Query> {
    let m = options.missing_headcount;
    let partial = |name: &str, sql: String| Query { name: name.into(), sql, role: QueryRole::Partial };
    let table = |name: &str, sql: String| Query { name: name.into(), sql, role: QueryRole::Table };
    let mut out = vec![
        partial("p_year", partial_year(m)),
        partial("p_bins", partial_wage_bins()),
        partial("p_premium", partial_premium()),
        partial("p_education", partial_education()),
    ];
    for by_year in [true, false] {
        for rank in RANKS {
            out.push(partial(&quantile_table(by_year, rank), quantiles(by_year, rank)));
        }
    }
    out.extend([
        // Later tables read earlier ones (`share_growth` reads `occupation_year`).
        table("occupation_year", occupation_year()),
        table("share_growth", share_growth()),
        table("experience_premium", experience_premium()),
        table("occupation_summary", occupation_summary()),
        table("education_mix", education_mix()),
    ]);
    let breakdowns = std::iter::once(("occupation_month".to_string(), "year, month", "vacancy_share".to_string()))
        .chain(
            options
                .dimensions
                .iter()
                .map(|d| (format!("occupation_{}", d.name()), d.name(), format!("share_of_{}", d.name()))),
        );
    for (name, columns, share) in breakdowns {
        out.push(partial("p_by", partial_counts(columns, m)));
        out.push(table(&name, occupation_by(columns, &share)));
    }
    out
}

use crate::AggregateOptions;

/// `COUNTED` is true for postings that are not reposts.
const COUNTED: &str = "dup_of IS NULL";

/// The exact type wages (monthly CNY) are summed in: 10 decimals, far below
/// a yuan, and 28 integer digits, room for 800M wages of up to 10¹⁹ CNY each
/// (wages are parsed up to 10⁸).
const WAGE: &str = "DECIMAL(38, 10)";

/// The exact type log-wage moments (`ln wage`, `x · ln wage`, `ln² wage`) and
/// log shares are summed in: 16 decimals, at or below a `DOUBLE`'s resolution
/// for logs of a few units, and 22 integer digits (800M postings add at most
/// ~10¹³ when wages are below 10⁸ and experience below 256 years).
const LOG: &str = "DECIMAL(38, 16)";

fn vacancies(missing_headcount: u32) -> String {
    format!("CASE WHEN {COUNTED} THEN COALESCE(CAST(headcount AS BIGINT), {missing_headcount}) ELSE 0 END")
}

/// Counts, vacancies, wage sums and AI mentions per fine occupation × year.
fn partial_year(missing_headcount: u32) -> String {
    format!(
        "SELECT COALESCE(code, '') AS fine, year,
                COUNT(*) AS postings,
                SUM({vac}) AS vacancies,
                SUM(CASE WHEN {COUNTED} THEN 0 ELSE 1 END) AS duplicates,
                SUM(CASE WHEN {COUNTED} THEN 1 ELSE 0 END) AS counted,
                SUM(CASE WHEN {COUNTED} AND wage > 0 THEN 1 ELSE 0 END) AS wage_n,
                SUM(CASE WHEN {COUNTED} AND wage > 0 THEN CAST(wage AS {WAGE}) END) AS wage_sum,
                SUM(CASE WHEN {COUNTED} AND ai_mention THEN 1 ELSE 0 END) AS ai_n
         FROM postings GROUP BY COALESCE(code, ''), year",
        vac = vacancies(missing_headcount)
    )
}

/// Counted postings per fine occupation × year × log-wage bin. The bins
/// are the one partial whose size grows with the corpus (until every bin of
/// every occupation-year has been seen), so they are grouped on one packed
/// integer key, `(id · 10⁴ + year) · 10⁴ + bin` (year 0 when unknown), the
/// most compact grouping the engine has.
fn partial_wage_bins() -> String {
    format!(
        "WITH occ AS (SELECT DISTINCT fine, id FROM levels)
         SELECT (o.id * 10000 + COALESCE(CAST(p.year AS BIGINT), 0)) * 10000
                    + CAST(round(ln(p.wage) * 100.0) AS BIGINT) AS key,
                COUNT(*) AS n
         FROM postings p JOIN occ o ON COALESCE(p.code, '') = o.fine
         WHERE p.{COUNTED} AND p.wage >= 1
         GROUP BY 1"
    )
}

/// Sums for the regression of log wage on the minimum years required, per
/// fine occupation, over counted postings with both: the years `x` are
/// integers, summed as such; the terms with `y = ln wage` are computed per
/// posting in `DOUBLE` and summed exactly as [`LOG`].
fn partial_premium() -> String {
    format!(
        "SELECT COALESCE(code, '') AS fine,
                COUNT(*) AS n,
                SUM(x) AS sx, SUM(CAST(y AS {LOG})) AS sy, SUM(x * x) AS sxx,
                SUM(CAST(x * y AS {LOG})) AS sxy, SUM(CAST(y * y AS {LOG})) AS syy,
                SUM(CASE WHEN x >= 3 THEN 1 ELSE 0 END) AS n_3plus,
                SUM(CASE WHEN x >= 3 THEN CAST(wage AS {WAGE}) END) AS wage_3plus,
                SUM(CASE WHEN x = 0 THEN 1 ELSE 0 END) AS n_none,
                SUM(CASE WHEN x = 0 THEN CAST(wage AS {WAGE}) END) AS wage_none
         FROM (SELECT code, wage, CAST(exp_min AS BIGINT) AS x, ln(wage) AS y FROM postings
               WHERE {COUNTED} AND wage > 0 AND exp_min IS NOT NULL)
         GROUP BY COALESCE(code, '')"
    )
}

/// Postings and vacancies per fine occupation × `columns` (e.g. `year, month`).
fn partial_counts(columns: &str, missing_headcount: u32) -> String {
    format!(
        "SELECT COALESCE(code, '') AS fine, {columns}, COUNT(*) AS postings, SUM({vac}) AS vacancies
         FROM postings GROUP BY COALESCE(code, ''), {columns}",
        vac = vacancies(missing_headcount)
    )
}

/// Counted postings per fine occupation × required education (ordinal).
fn partial_education() -> String {
    format!(
        "SELECT COALESCE(code, '') AS fine, education, COUNT(*) AS postings
         FROM postings WHERE {COUNTED} AND education IS NOT NULL
         GROUP BY COALESCE(code, ''), education"
    )
}

/// The levels, by rank (large 0 … fine 3).
const RANKS: [u8; 4] = [0, 1, 2, 3];

/// Name of the partial holding the wage quantiles of one level.
fn quantile_table(by_year: bool, rank: u8) -> String {
    format!("p_wage_{}{rank}", if by_year { "year" } else { "all" })
}

/// The four levels' quantile partials, as one relation.
fn quantiles_union(by_year: bool) -> String {
    RANKS.map(|r| format!("SELECT * FROM {} ", quantile_table(by_year, r))).join("UNION ALL ")
}

/// Wage quantiles per code of the level of `rank` (× year when `by_year`),
/// from `p_bins`: the bins are rolled up to the level on packed keys `(cid ·
/// 10⁴ + year) · 10⁴ + bin` (year 0 when pooled or unknown), cumulated in bin
/// order, and the codes joined back last. One level per statement: the bins
/// are the one partial that grows with the corpus, and rolling them up to
/// all four levels at once held four times as many rows in the window sort.
fn quantiles(by_year: bool, rank: u8) -> String {
    let (year_part, year_out) = if by_year {
        ("(k.key / 10000) % 10000 * 10000", ", CAST(NULLIF(q.g % 10000, 0) AS INT) AS year")
    } else {
        ("0", "")
    };
    format!(
        "WITH r AS (
             SELECT l.cid * 100000000 + {year_part} + k.key % 10000 AS key, SUM(k.n) AS n
             FROM p_bins k JOIN levels l ON k.key / 100000000 = l.id AND l.rank = {rank}
             GROUP BY 1
         ), c AS (
             SELECT key / 10000 AS g, key % 10000 AS bin,
                    SUM(n) OVER (PARTITION BY key / 10000 ORDER BY key ROWS UNBOUNDED PRECEDING) AS cum,
                    SUM(n) OVER (PARTITION BY key / 10000) AS total
             FROM r
         ), q AS (
             SELECT g,
                    exp(CAST(MIN(CASE WHEN cum >= 0.25 * total THEN bin END) AS DOUBLE) / 100.0) AS wage_p25,
                    exp(CAST(MIN(CASE WHEN cum >= 0.5 * total THEN bin END) AS DOUBLE) / 100.0) AS wage_median,
                    exp(CAST(MIN(CASE WHEN cum >= 0.75 * total THEN bin END) AS DOUBLE) / 100.0) AS wage_p75
             FROM c GROUP BY g
         )
         SELECT l.level, COALESCE(l.code, '') AS code{year_out}, q.wage_p25, q.wage_median, q.wage_p75
         FROM q JOIN (SELECT DISTINCT level, cid, code FROM levels WHERE rank = {rank}) l ON q.g / 10000 = l.cid"
    )
}

/// Per level × code × year: postings, vacancies, the vacancy share of the
/// year's vacancies (all postings, classified or not), wages, AI mentions.
fn occupation_year() -> String {
    format!(
        "WITH y AS (
             SELECT l.level, l.rank, l.code, l.name, p.year,
                    SUM(p.postings) AS postings, SUM(p.vacancies) AS vacancies, SUM(p.duplicates) AS duplicates,
                    SUM(p.counted) AS counted, SUM(p.wage_n) AS wage_n, SUM(p.wage_sum) AS wage_sum,
                    SUM(p.ai_n) AS ai_n
             FROM p_year p JOIN levels l ON p.fine = l.fine
             GROUP BY l.level, l.rank, l.code, l.name, p.year
         ), q AS ({quantiles})
         SELECT y.level, y.code, y.name, y.year,
                CAST(y.postings AS BIGINT) AS postings,
                CAST(y.vacancies AS BIGINT) AS vacancies,
                CAST(y.duplicates AS BIGINT) AS duplicates,
                CAST(y.vacancies AS DOUBLE) / SUM(y.vacancies) OVER (PARTITION BY y.level, y.year) AS vacancy_share,
                CAST(y.wage_n AS BIGINT) AS wage_n,
                CAST(y.wage_sum AS DOUBLE) / CAST(NULLIF(y.wage_n, 0) AS DOUBLE) AS wage_mean,
                q.wage_median, q.wage_p25, q.wage_p75,
                CAST(y.ai_n AS DOUBLE) / CAST(NULLIF(y.counted, 0) AS DOUBLE) AS ai_share
         FROM y LEFT JOIN q ON y.level = q.level AND COALESCE(y.code, '') = q.code
                           AND COALESCE(y.year, -1) = COALESCE(q.year, -1)
         ORDER BY y.rank, y.code NULLS LAST, y.year NULLS LAST",
        quantiles = quantiles_union(true)
    )
}

/// Per level × code × `columns` (a breakdown such as `year, month` or
/// `industry`): postings, vacancies, and the code's share of the vacancies of
/// each breakdown value (the occupation intensity of an industry, say).
fn occupation_by(columns: &str, share_name: &str) -> String {
    let p_columns: String = columns.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
    let nulls_last: String = columns.split(", ").map(|c| format!(", {c} NULLS LAST")).collect();
    format!(
        "SELECT level, code, name, {columns},
                CAST(postings AS BIGINT) AS postings,
                CAST(vacancies AS BIGINT) AS vacancies,
                CAST(vacancies AS DOUBLE) / SUM(vacancies) OVER (PARTITION BY level, {columns}) AS {share_name}
         FROM (SELECT l.level, l.rank, l.code, l.name, {p_columns},
                      SUM(p.postings) AS postings, SUM(p.vacancies) AS vacancies
               FROM p_by p JOIN levels l ON p.fine = l.fine
               GROUP BY l.level, l.rank, l.code, l.name, {p_columns})
         ORDER BY rank, code NULLS LAST{nulls_last}"
    )
}

/// Share growth per level × code from the `occupation_year` table, between
/// the first and last year with postings (over all codes): the compound
/// annual growth rate of the vacancy share, and the slope of the log share on
/// the year (a log-linear trend over the years where the share is positive).
/// The slope is the OLS slope from exact sums over those years: the year `t`,
/// counted from the first year, as an integer, and the log share `y` and
/// `t · y` as [`LOG`] (an engine's `regr_slope` accumulates in `DOUBLE`, in
/// an order that depends on its partitions).
fn share_growth() -> String {
    format!(
        "WITH span AS (
             SELECT MIN(year) AS first_year, MAX(year) AS last_year FROM occupation_year WHERE year IS NOT NULL
         ), shares AS (
             SELECT o.level, r.rank, o.code, o.year, span.first_year, span.last_year, o.vacancy_share,
                    CAST(o.year - span.first_year AS BIGINT) AS t,
                    CASE WHEN o.vacancy_share > 0 THEN ln(o.vacancy_share) END AS y
             FROM occupation_year o
             JOIN (SELECT DISTINCT level, rank FROM levels) r ON o.level = r.level
             CROSS JOIN span
             WHERE o.year IS NOT NULL AND o.code IS NOT NULL
         ), s AS (
             SELECT level, rank, code, first_year, last_year,
                    MAX(CASE WHEN year = first_year THEN vacancy_share END) AS share_first,
                    MAX(CASE WHEN year = last_year THEN vacancy_share END) AS share_last,
                    SUM(CASE WHEN y IS NOT NULL THEN 1 ELSE 0 END) AS k,
                    CAST(SUM(CASE WHEN y IS NOT NULL THEN t END) AS DOUBLE) AS st,
                    CAST(SUM(CASE WHEN y IS NOT NULL THEN t * t END) AS DOUBLE) AS stt,
                    CAST(SUM(CAST(y AS {LOG})) AS DOUBLE) AS sy,
                    CAST(SUM(CAST(t * y AS {LOG})) AS DOUBLE) AS sty
             FROM shares
             GROUP BY level, rank, code, first_year, last_year
         )
         SELECT level, code, first_year, last_year, share_first, share_last,
                power(share_last / share_first, 1.0 / CAST(last_year - first_year AS DOUBLE)) - 1.0 AS share_cagr,
                CASE WHEN k >= 2
                     THEN (sty - st * sy / CAST(k AS DOUBLE)) / (stt - st * st / CAST(k AS DOUBLE)) END AS share_trend,
                CAST(k AS BIGINT) AS trend_years
         FROM s
         ORDER BY rank, code"
    )
}

/// The experience premium per level × code, pooled over years: the OLS slope
/// of log monthly wage on the minimum years required, from the summed
/// moments, its standard error `sqrt(RSS / (n - 2) / Sxx)`, and the ratio of
/// the mean wage of postings asking 3+ years to that of postings asking none.
fn experience_premium() -> String {
    "WITH s AS (
         SELECT l.level, l.rank, l.code,
                CAST(SUM(p.n) AS DOUBLE) AS n, CAST(SUM(p.sx) AS DOUBLE) AS sx, CAST(SUM(p.sy) AS DOUBLE) AS sy,
                CAST(SUM(p.sxx) AS DOUBLE) AS sxx, CAST(SUM(p.sxy) AS DOUBLE) AS sxy,
                CAST(SUM(p.syy) AS DOUBLE) AS syy,
                CAST(SUM(p.wage_3plus) AS DOUBLE) / CAST(NULLIF(SUM(p.n_3plus), 0) AS DOUBLE) AS wage_3plus,
                CAST(SUM(p.wage_none) AS DOUBLE) / CAST(NULLIF(SUM(p.n_none), 0) AS DOUBLE) AS wage_none
         FROM p_premium p JOIN levels l ON p.fine = l.fine
         WHERE l.code IS NOT NULL
         GROUP BY l.level, l.rank, l.code
     ), m AS (
         SELECT level, rank, code, n, sxx - sx * sx / n AS ssxx, sxy - sx * sy / n AS ssxy, syy - sy * sy / n AS ssyy,
                wage_3plus, wage_none
         FROM s
     )
     SELECT level, code, CAST(n AS BIGINT) AS premium_n,
            CASE WHEN ssxx > 0 THEN ssxy / ssxx END AS premium_slope,
            CASE WHEN n > 2 AND ssxx > 0
                 THEN sqrt(greatest(ssyy - ssxy * ssxy / ssxx, 0.0) / (n - 2.0) / ssxx) END AS premium_se,
            wage_3plus / wage_none AS premium_ratio_3plus
     FROM m ORDER BY rank, code"
        .to_string()
}

/// The education mix per level × code: counted postings by required level
/// (ordinal 0 不限 … 6 博士; postings whose requirement was not parsed are
/// left out) and their share of the code's postings with a parsed requirement.
fn education_mix() -> String {
    "SELECT level, code, name, education,
            CASE education WHEN 0 THEN '不限' WHEN 1 THEN '初中' WHEN 2 THEN '高中/中专' WHEN 3 THEN '大专'
                           WHEN 4 THEN '本科' WHEN 5 THEN '硕士' WHEN 6 THEN '博士' END AS education_name,
            CAST(postings AS BIGINT) AS postings,
            CAST(postings AS DOUBLE) / SUM(postings) OVER (PARTITION BY level, code) AS share
     FROM (SELECT l.level, l.rank, l.code, l.name, p.education, SUM(p.postings) AS postings
           FROM p_education p JOIN levels l ON p.fine = l.fine
           GROUP BY l.level, l.rank, l.code, l.name, p.education)
     ORDER BY rank, code NULLS LAST, education"
        .to_string()
}

/// One row per level × code, pooled over the whole period: the table the
/// analyses read (share of all vacancies, wages, AI mentions, then growth and
/// premium joined in).
fn occupation_summary() -> String {
    format!(
        "WITH y AS (
             SELECT l.level, l.rank, l.code, l.name,
                    SUM(p.postings) AS postings, SUM(p.vacancies) AS vacancies, SUM(p.counted) AS counted,
                    SUM(p.wage_n) AS wage_n, SUM(p.wage_sum) AS wage_sum, SUM(p.ai_n) AS ai_n
             FROM p_year p JOIN levels l ON p.fine = l.fine
             GROUP BY l.level, l.rank, l.code, l.name
         ), q AS ({quantiles})
         SELECT y.level, y.code, y.name,
                CAST(y.postings AS BIGINT) AS postings,
                CAST(y.vacancies AS BIGINT) AS vacancies,
                CAST(y.vacancies AS DOUBLE) / SUM(y.vacancies) OVER (PARTITION BY y.level) AS vacancy_share,
                CAST(y.wage_n AS BIGINT) AS wage_n,
                CAST(y.wage_sum AS DOUBLE) / CAST(NULLIF(y.wage_n, 0) AS DOUBLE) AS wage_mean,
                q.wage_median, q.wage_p25, q.wage_p75,
                CAST(y.ai_n AS DOUBLE) / CAST(NULLIF(y.counted, 0) AS DOUBLE) AS ai_share,
                g.share_cagr, g.share_trend,
                e.premium_n, e.premium_slope, e.premium_se, e.premium_ratio_3plus
         FROM y
         LEFT JOIN q ON y.level = q.level AND COALESCE(y.code, '') = q.code
         LEFT JOIN share_growth g ON y.level = g.level AND y.code = g.code
         LEFT JOIN experience_premium e ON y.level = e.level AND y.code = e.code
         ORDER BY y.rank, y.code NULLS LAST",
        quantiles = quantiles_union(false)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dimension;

    #[test]
    fn queries_run_partials_before_the_tables_that_read_them() {
        let options = AggregateOptions { dimensions: vec![Dimension::Industry, Dimension::City], ..Default::default() };
        let q = queries(&options);
        let names: Vec<&str> = q.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "p_year",
                "p_bins",
                "p_premium",
                "p_education",
                "p_wage_year0",
                "p_wage_year1",
                "p_wage_year2",
                "p_wage_year3",
                "p_wage_all0",
                "p_wage_all1",
                "p_wage_all2",
                "p_wage_all3",
                "occupation_year",
                "share_growth",
                "experience_premium",
                "occupation_summary",
                "education_mix",
                "p_by",
                "occupation_month",
                "p_by",
                "occupation_industry",
                "p_by",
                "occupation_city",
            ]
        );
        for (i, query) in q.iter().enumerate() {
            assert_eq!(query.role == QueryRole::Partial, query.name.starts_with("p_"), "{}", query.name);
            // Every table a query reads is an input or an earlier result.
            let wages = RANKS.map(|r| [quantile_table(true, r), quantile_table(false, r)]);
            let inputs = ["p_year", "p_bins", "p_premium", "p_education", "p_by", "occupation_year", "share_growth"];
            for read in inputs.iter().map(|s| s.to_string()).chain(wages.into_iter().flatten()) {
                if query.sql.contains(&format!(" {read} ")) {
                    assert!(q[..i].iter().any(|e| e.name == read), "{} reads {read} before it exists", query.name);
                }
            }
        }
        assert!(q[20].sql.contains("share_of_industry") && q[22].sql.contains("share_of_city"));
    }
}
