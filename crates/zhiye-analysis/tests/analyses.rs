//! Industry, demographic, task-group and outcome analyses on hand-computed fixtures.

mod common;

use std::collections::BTreeMap;

use common::{close, code, example, example_scores, labels};
use zhiye_analysis::analyses::{
    GroupEmployment, IndustryExposure, IndustryWeight, Relation, TaskGroupMember, demographic_exposure, group_table,
    industry_exposure, industry_table, read_group_industry, read_occupation_industry, read_task_groups, relate,
    task_group_exposure, task_group_table,
};
use zhiye_analysis::exposure::{ExposureOptions, ExposureScores};
use zhiye_analysis::stats::{pearson, spearman, wls};
use zhiye_core::Level;

fn weight(c: &str, level: Level, industry: &str, weight: f64) -> IndustryWeight {
    IndustryWeight { code: code(c), level, industry: industry.into(), weight }
}

#[test]
fn industry_exposure_renormalises_over_scored_classes() {
    let scores = BTreeMap::from([(code("2-02"), 0.5), (code("3-01"), 0.8)]);
    let rows = [
        weight("2-02-10-03", Level::Fine, "I", 3.0),
        weight("2-02-01-01", Level::Fine, "I", 1.0),
        weight("3-01-02-02", Level::Fine, "I", 4.0),
        weight("4-04-05-01", Level::Fine, "I", 2.0),
        // Coarser than the join level: unscored, and not a class at the join level.
        weight("2", Level::Large, "I", 2.0),
        weight("6-20-03-01", Level::Fine, "C", 5.0),
    ];
    let out = industry_exposure(&rows, &scores, Level::Medium).unwrap();
    assert_eq!(out.len(), 2);
    let i = &out[0];
    // (4 × 0.5 + 4 × 0.8) / 8 over the scored weight 8 of 12.
    assert_eq!(i.industry, "I");
    close(i.exposure.unwrap(), 0.65);
    assert_eq!((i.total_weight, i.scored_weight, i.n_occupations, i.n_scored), (12.0, 8.0, 3, 2));
    close(i.coverage.unwrap(), 8.0 / 12.0);
    let c = &out[1];
    assert_eq!((c.exposure, c.coverage, c.n_scored), (None, Some(0.0), 0));
    assert_eq!(industry_table(&out).rows.len(), 2);

    // At the fine level the same rows join occupation by occupation.
    let fine = BTreeMap::from([(code("2-02-10-03"), 1.0), (code("2-02-01-01"), 0.0)]);
    let out = industry_exposure(&rows, &fine, Level::Fine).unwrap();
    close(out[0].exposure.unwrap(), 0.75);
    assert_eq!(out[0].n_occupations, 4);

    let bad = [weight("2-02-10-03", Level::Fine, "I", -1.0)];
    let err = industry_exposure(&bad, &scores, Level::Medium).unwrap_err().to_string();
    assert!(err.contains("item 1") && err.contains("-1"), "{err}");
}

fn industry(name: &str, exposure: Option<f64>) -> IndustryExposure {
    IndustryExposure {
        industry: name.into(),
        exposure,
        total_weight: 1.0,
        scored_weight: 1.0,
        n_occupations: 1,
        n_scored: 1,
        coverage: Some(1.0),
    }
}

fn employment(group: &str, industry: &str, employment: f64) -> GroupEmployment {
    GroupEmployment { group: group.into(), industry: industry.into(), employment }
}

#[test]
fn demographic_exposure_weights_industries_by_employment() {
    let industries = [industry("I", Some(0.65)), industry("A", Some(0.2)), industry("C", None)];
    let rows = [
        employment("16-24", "I", 10.0),
        employment("16-24", "A", 30.0),
        employment("16-24", "C", 60.0),
        employment("55+", "C", 5.0),
        employment("other", "Q", 1.0),
    ];
    let out = demographic_exposure(&rows, &industries).unwrap();
    assert_eq!(out.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), ["16-24", "55+", "other"]);
    // (10 × 0.65 + 30 × 0.2) / 40, covering 40 of 100.
    close(out[0].exposure.unwrap(), 0.3125);
    close(out[0].coverage.unwrap(), 0.4);
    assert_eq!((out[0].n_industries, out[0].n_scored), (3, 2));
    assert_eq!((out[1].exposure, out[2].exposure), (None, None));
    assert_eq!(group_table(&out).columns[0], "group");
    assert!(demographic_exposure(&[employment("g", "I", f64::NAN)], &industries).is_err());
}

#[test]
fn task_groups_average_members_at_their_own_level() {
    let labels = labels("code,model,run,label\n2-02-10-03,A,1,E1\n2-02-10-01,A,1,E0\n3-01-02-02,A,1,E2\n").unwrap();
    let scores = ExposureScores::compute(&labels, &ExposureOptions::default());
    let member = |c: &str, level: Level, group: &str, weight: Option<f64>| TaskGroupMember {
        code: code(c),
        level,
        group: group.into(),
        weight,
    };
    let members = [
        member("2-02-10-03", Level::Fine, "g1", Some(3.0)),
        member("2-02-10-01", Level::Fine, "g1", Some(1.0)),
        member("2-02-10", Level::Small, "g2", None),
        member("3-01-02-02", Level::Fine, "g2", Some(2.0)),
        member("4-04-05-01", Level::Fine, "g2", Some(9.0)),
    ];
    let out = task_group_exposure(&members, &scores);
    // g1: mean(1, 0) = 0.5; weighted (3 × 1 + 1 × 0) / 4 = 0.75.
    assert_eq!((out[0].n_members, out[0].n_scored), (2, 2));
    close(out[0].mean.unwrap(), 0.5);
    close(out[0].weighted_mean.unwrap(), 0.75);
    // g2: small 2-02-10 = mean(1, 0) = 0.5 and 3-01-02-02 = 0.5; 4-04-05-01 unscored;
    // a scored member without a weight leaves the weighted mean undefined.
    assert_eq!((out[1].n_members, out[1].n_scored), (3, 2));
    close(out[1].mean.unwrap(), 0.5);
    assert_eq!(out[1].weighted_mean, None);
    assert_eq!(task_group_table(&out).rows.len(), 2);
}

#[test]
fn relate_reports_correlations_fit_and_points() {
    let raw = [
        (code("2-02"), 0.48, 9.1, 120.0),
        (code("2-03"), 0.17, 8.3, 40.0),
        (code("3-01"), 0.90, 8.9, 300.0),
        (code("4-04"), 0.92, 9.4, 80.0),
        (code("6-20"), 0.08, 8.5, 500.0),
        (code("5-01"), f64::NAN, 8.0, 10.0),
        (code("2-04"), 0.3, 8.7, -1.0),
    ];
    let r = relate("log_wage", &raw);
    assert_eq!((r.n, r.dropped, r.points.len()), (5, 2, 5));
    let (x, y, w): (Vec<f64>, Vec<f64>, Vec<f64>) = (
        raw[..5].iter().map(|p| p.1).collect(),
        raw[..5].iter().map(|p| p.2).collect(),
        raw[..5].iter().map(|p| p.3).collect(),
    );
    assert_eq!(r.pearson, pearson(&x, &y));
    assert_eq!(r.spearman, spearman(&x, &y));
    assert_eq!(r.fit, wls(&x, &y, &w));
    let table = Relation::summary_table(std::slice::from_ref(&r));
    assert_eq!(table.rows[0].len(), table.columns.len());
    assert_eq!(r.points_table(Level::Medium).rows[0][0].to_string(), "2-02");
}

#[test]
fn example_files_read_and_combine() {
    let scores = example_scores();
    let medium = scores.scores(Level::Medium);
    let rows = read_occupation_industry(example("occupation_industry.example.csv")).unwrap();
    assert_eq!(rows.len(), 13);
    let industries = industry_exposure(&rows, &medium, Level::Medium).unwrap();
    let it = &industries[0];
    assert_eq!(it.industry, "信息传输、软件和信息技术服务业");
    let want =
        (1500.0 * medium[&code("2-02")] + 500.0 * medium[&code("4-04")] + 150.0 * medium[&code("3-01")]) / 2150.0;
    close(it.exposure.unwrap(), want);
    // Public administration: half its weight is on 1-01-00-01, in excluded large class 1.
    let public = industries.iter().find(|i| i.industry.starts_with("公共管理")).unwrap();
    close(public.coverage.unwrap(), 0.5);

    let groups = read_group_industry(example("age_industry.example.csv")).unwrap();
    let by_age = demographic_exposure(&groups, &industries).unwrap();
    assert_eq!(
        by_age.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(),
        ["16-24", "25-34", "35-44", "45-54", "55-64"]
    );
    assert!(by_age.iter().all(|g| g.coverage == Some(1.0)));
    // Younger workers sit more in the exposed IT industry.
    assert!(by_age[0].exposure.unwrap() > by_age[4].exposure.unwrap());

    let members = read_task_groups(example("task_groups.example.csv")).unwrap();
    let tasks = task_group_exposure(&members, &scores);
    assert_eq!(tasks.len(), 4);
    let routine = tasks.iter().find(|t| t.group == "常规认知").unwrap();
    assert_eq!((routine.n_members, routine.n_scored), (3, 2));
    assert!(tasks.iter().all(|t| t.weighted_mean.is_some()));
}

#[test]
fn input_errors_name_file_row_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let err = read_occupation_industry(write("oi.csv", "code,industry,weight\n2-02-10-03,I,1\n2-02-10-03,I,-2\n"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("oi.csv: row 2, field weight") && err.contains("negative"), "{err}");
    let err = read_group_industry(write("g.csv", "group,industry,employment\n16-24,I,1\n16-24,I,2\n"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("g.csv: row 2") && err.contains("first on row 1"), "{err}");
    let err = read_task_groups(write("t.csv", "code,group\n2-02-10-03,a\n2-02-1,b\n")).unwrap_err().to_string();
    assert!(err.contains("t.csv: row 2, field code"), "{err}");
    let err = read_group_industry(write("h.csv", "group,industry\n")).unwrap_err().to_string();
    assert!(err.contains("missing column \"employment\""), "{err}");
}
