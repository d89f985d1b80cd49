//! Every query of the aggregation, in one place.
//!
//! The inputs are two tables registered by [`crate::tables`]:
//!
//! - `postings`: the classified postings (one row per input posting; see
//!   [`crate::tables::CLASSIFIED_COLUMNS`]);
//! - `levels(fine, level, rank, code, name)`: four rows per fine occupation, one for
//!   each level it rolls up to, plus four rows for the empty key `''` with a
//!   null code, which carry unclassified postings to every level so that
//!   totals reconcile with the input.
//!
//! Joining the two multiplies each posting by four, and one `GROUP BY level,
//! code` then computes every level at once. Definitions shared by all tables:
//!
//! - a posting is *counted* when it is not a repost (`dup_of IS NULL`);
//! - its vacancies are its head-count, or `missing_headcount` when the
//!   head-count is missing or unspecified, and 0 for a repost;
//! - wages, experience and education statistics use counted postings only,
//!   one observation per posting (not weighted by head-count).

/// The joined view every table reads from.
pub(crate) fn base_view(missing_headcount: u32) -> String {
    format!(
        "CREATE VIEW base AS
         SELECT l.level, l.rank, l.code, l.name, p.year, p.month, p.city, p.industry, p.platform,
                p.dup_of IS NULL AS counted,
                CASE WHEN p.dup_of IS NULL THEN COALESCE(CAST(p.headcount AS BIGINT), {missing_headcount})
                     ELSE 0 END AS vac,
                CASE WHEN p.dup_of IS NULL AND p.wage > 0 THEN p.wage END AS wage,
                CASE WHEN p.dup_of IS NULL THEN CAST(p.exp_min AS DOUBLE) END AS exp_min,
                CASE WHEN p.dup_of IS NULL THEN p.education END AS education,
                CASE WHEN p.dup_of IS NULL THEN CAST(p.ai_mention AS INT) END AS ai
         FROM postings p JOIN levels l ON COALESCE(p.code, '') = l.fine"
    )
}

/// Wage and AI-mention columns shared by the per-year and pooled tables.
/// Exact quantiles hold every wage of a group in memory; the default
/// t-digest (`approx_percentile_cont`) keeps memory flat whatever the corpus
/// size, and is exact for small groups.
fn wage_columns(exact: bool) -> String {
    let q = |p: f64| {
        if exact {
            format!("percentile_cont({p}) WITHIN GROUP (ORDER BY wage)")
        } else {
            format!("approx_percentile_cont({p}) WITHIN GROUP (ORDER BY wage)")
        }
    };
    format!(
        "COUNT(wage) AS wage_n,
         AVG(wage) AS wage_mean,
         {} AS wage_median,
         {} AS wage_p25,
         {} AS wage_p75,
         AVG(CAST(ai AS DOUBLE)) AS ai_share",
        q(0.5),
        q(0.25),
        q(0.75)
    )
}

/// Per level × code × year: postings, vacancies, the vacancy share of the
/// year's vacancies (all postings, classified or not), wages, AI mentions.
pub(crate) fn occupation_year(exact: bool) -> String {
    let wage_columns = wage_columns(exact);
    format!(
        "SELECT level, code, name, year,
                COUNT(*) AS postings,
                CAST(SUM(vac) AS BIGINT) AS vacancies,
                CAST(SUM(CASE WHEN counted THEN 0 ELSE 1 END) AS BIGINT) AS duplicates,
                CAST(SUM(vac) AS DOUBLE) / SUM(SUM(vac)) OVER (PARTITION BY level, year) AS vacancy_share,
                {wage_columns}
         FROM base GROUP BY level, rank, code, name, year
         ORDER BY rank, code NULLS LAST, year NULLS LAST"
    )
}

/// Per level × code × year × month: postings and vacancies.
pub(crate) fn occupation_month() -> String {
    "SELECT level, code, name, year, month,
            COUNT(*) AS postings,
            CAST(SUM(vac) AS BIGINT) AS vacancies,
            CAST(SUM(vac) AS DOUBLE) / SUM(SUM(vac)) OVER (PARTITION BY level, year, month) AS vacancy_share
     FROM base GROUP BY level, rank, code, name, year, month
     ORDER BY rank, code NULLS LAST, year NULLS LAST, month NULLS LAST"
        .to_string()
}

/// Per level × code × a breakdown column (`city`, `industry` or `platform`):
/// postings, vacancies and the code's share of the breakdown value's
/// vacancies (the occupation intensity of an industry, for instance).
pub(crate) fn occupation_by(dimension: &str) -> String {
    format!(
        "SELECT level, code, name, {dimension},
                COUNT(*) AS postings,
                CAST(SUM(vac) AS BIGINT) AS vacancies,
                CAST(SUM(vac) AS DOUBLE) / SUM(SUM(vac)) OVER (PARTITION BY level, {dimension}) AS share_of_{dimension}
         FROM base GROUP BY level, rank, code, name, {dimension}
         ORDER BY rank, code NULLS LAST, {dimension} NULLS LAST"
    )
}

/// Share growth per level × code from the `occupation_year` table, between
/// the first and last year with postings (over all codes): the compound
/// annual growth rate of the vacancy share, and the slope of the log share on
/// the year (a log-linear trend over the years where the share is positive).
pub(crate) fn share_growth() -> String {
    "WITH span AS (
         SELECT MIN(year) AS first_year, MAX(year) AS last_year FROM occupation_year WHERE year IS NOT NULL
     ), shares AS (
         SELECT level, code, year, vacancy_share FROM occupation_year WHERE year IS NOT NULL AND code IS NOT NULL
     )
     SELECT s.level, s.code, span.first_year, span.last_year,
            MAX(CASE WHEN s.year = span.first_year THEN s.vacancy_share END) AS share_first,
            MAX(CASE WHEN s.year = span.last_year THEN s.vacancy_share END) AS share_last,
            power(MAX(CASE WHEN s.year = span.last_year THEN s.vacancy_share END)
                    / MAX(CASE WHEN s.year = span.first_year THEN s.vacancy_share END),
                  1.0 / CAST(span.last_year - span.first_year AS DOUBLE)) - 1.0 AS share_cagr,
            regr_slope(CASE WHEN s.vacancy_share > 0 THEN ln(s.vacancy_share) END, CAST(s.year AS DOUBLE))
                AS share_trend,
            CAST(regr_count(CASE WHEN s.vacancy_share > 0 THEN ln(s.vacancy_share) END, CAST(s.year AS DOUBLE))
                AS BIGINT) AS trend_years
     FROM shares s CROSS JOIN span
     GROUP BY s.level, s.code, span.first_year, span.last_year"
        .to_string()
}

/// The experience premium per level × code, pooled over years: the OLS slope
/// of log monthly wage on the minimum years required, its standard error
/// `sqrt((Syy - b·Sxy) / (n - 2) / Sxx)`, and the ratio of the mean wage of
/// postings asking 3+ years to that of postings asking none.
pub(crate) fn experience_premium() -> String {
    "WITH x AS (
         SELECT level, rank, code, ln(wage) AS y, exp_min AS x, wage FROM base
         WHERE code IS NOT NULL AND wage IS NOT NULL AND exp_min IS NOT NULL
     ), r AS (
         SELECT level, rank, code,
                regr_count(y, x) AS n,
                regr_slope(y, x) AS slope,
                regr_syy(y, x) AS syy, regr_sxy(y, x) AS sxy, regr_sxx(y, x) AS sxx,
                AVG(CASE WHEN x >= 3 THEN wage END) AS wage_3plus,
                AVG(CASE WHEN x = 0 THEN wage END) AS wage_none
         FROM x GROUP BY level, rank, code
     )
     SELECT level, code, CAST(n AS BIGINT) AS premium_n, slope AS premium_slope,
            CASE WHEN n > 2 AND sxx > 0 THEN sqrt(greatest(syy - slope * sxy, 0.0) / CAST(n - 2 AS DOUBLE) / sxx)
            END AS premium_se,
            wage_3plus / wage_none AS premium_ratio_3plus
     FROM r ORDER BY rank, code"
        .to_string()
}

/// The education mix per level × code: counted postings by required level
/// (ordinal 0 不限 … 6 博士; null when the requirement was not parsed) and
/// their share of the code's postings with a parsed requirement.
pub(crate) fn education_mix() -> String {
    "SELECT level, code, name, education,
            CASE education WHEN 0 THEN '不限' WHEN 1 THEN '初中' WHEN 2 THEN '高中/中专' WHEN 3 THEN '大专'
                           WHEN 4 THEN '本科' WHEN 5 THEN '硕士' WHEN 6 THEN '博士' END AS education_name,
            COUNT(*) AS postings,
            CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER (PARTITION BY level, code) AS share
     FROM base WHERE counted AND education IS NOT NULL
     GROUP BY level, rank, code, name, education
     ORDER BY rank, code NULLS LAST, education"
        .to_string()
}

/// One row per level × code, pooled over the whole period: the table the
/// analyses read (share of all vacancies, wages, AI mentions, then growth and
/// premium joined in).
pub(crate) fn occupation_summary(exact: bool) -> String {
    let wage_columns = wage_columns(exact);
    format!(
        "WITH pooled AS (
             SELECT level, rank, code, name,
                    COUNT(*) AS postings,
                    CAST(SUM(vac) AS BIGINT) AS vacancies,
                    CAST(SUM(vac) AS DOUBLE) / SUM(SUM(vac)) OVER (PARTITION BY level) AS vacancy_share,
                    {wage_columns}
             FROM base GROUP BY level, rank, code, name
         )
         SELECT p.level, p.code, p.name, p.postings, p.vacancies, p.vacancy_share,
                p.wage_n, p.wage_mean, p.wage_median, p.wage_p25, p.wage_p75, p.ai_share,
                g.share_cagr, g.share_trend,
                e.premium_n, e.premium_slope, e.premium_se, e.premium_ratio_3plus
         FROM pooled p
         LEFT JOIN share_growth g ON p.level = g.level AND p.code = g.code
         LEFT JOIN experience_premium e ON p.level = e.level AND p.code = e.code
         ORDER BY p.rank, p.code NULLS LAST"
    )
}
