//! The classifier on a small hand-made taxonomy: methods, evidence, ranking
//! invariants, scratch reuse and the batch API.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, StringArray};
use zhiye_core::Taxonomy;
use zhiye_text::{Classifier, ClassifierOptions, Method, RuleSet, Scratch, classify_batch};

const CSV: &str = "level,code,code_num,name,definition,tasks,csco_code_num,alias
1,2-00-00-00,2000000,专业技术人员,,,2000000,专业技术人员
2,2-02-00-00,2020000,工程技术人员,,,2020000,工程技术人员
3,2-02-10-00,2021000,信息和通信工程技术人员,,,2021000,信息和通信工程技术人员
4,2-02-10-03,2021003,计算机软件工程技术人员S,从事计算机软件需求分析、设计、编码、测试的工程技术人员。,1.分析软件需求 2.编写程序代码 3.测试软件,2021003,\"计算机软件工程技术人员S,软件工程师,Java开发工程师\"
2,2-06-00-00,2060000,经济和金融专业人员,,,2060000,经济和金融专业人员
4,2-06-03-00,2060300,会计专业人员,从事会计核算、财务报表编制的专业人员。,1.核算账目 2.编制财务报表,2060300,\"会计专业人员,会计,总账会计\"
2,4-01-00-00,4010000,批发与零售服务人员,,,4010000,批发与零售服务人员
3,4-01-02-00,4010200,销售人员,,,4010200,销售人员
4,4-01-02-01,4010201,营销员,从事商品推销、客户开发和维护的人员。,1.开发客户 2.推销商品 3.维护客户关系,4010201,\"营销员,销售代表,电话销售,招生老师\"
2,2-08-00-00,2080000,教学人员,,,2080000,\"教学人员,美术老师\"
3,2-08-02-00,2080200,中小学教师,,,2080200,中小学教师
4,2-08-02-01,2080201,高级中学教师,在高级中学从事教学的教师。,1.讲授高中课程,2080201,高级中学教师
4,2-08-02-04,2080204,小学教师,在小学从事教学的教师。,1.讲授小学课程,2080204,小学教师
1,4-00-00-00,4000000,社会生产服务和生活服务人员,,,4000000,社会生产服务和生活服务人员
1,6-00-00-00,6000000,生产制造及有关人员,,,6000000,生产制造及有关人员
2,6-18-00-00,6180000,机械制造基础加工人员,,,6180000,机械制造基础加工人员
3,6-18-01-00,6180100,机械冷加工人员,,,6180100,机械冷加工人员
4,6-18-01-01,6180101,车工,操作车床，进行工件旋转表面切削加工的人员。,1.操作数控车床 2.加工零件,6180101,\"车工,数控车工\"
";

const RULES: &str = r#"
[[rule]]
name = "teacher"
keyword = ["老师"]
code = "2-08"
[[rule]]
name = "lathe"
regex = "^车床.*工$"
code = "6-18-01-01"
[[synonym]]
from = ["老师"]
to = "教师"
"#;

fn taxonomy() -> Taxonomy {
    Taxonomy::from_reader(CSV.as_bytes(), Path::new("mini.csv")).unwrap()
}

fn classifier() -> Classifier {
    let cities = vec!["北京".to_string(), "上海市".to_string()];
    Classifier::new(&taxonomy(), &cities, &[], RuleSet::empty(), ClassifierOptions::default()).unwrap()
}

fn with_rules() -> Classifier {
    let tax = taxonomy();
    let rules = RuleSet::from_toml(RULES, Path::new("rules.toml"), &tax).unwrap();
    Classifier::new(&tax, &[], &[], rules, ClassifierOptions::default()).unwrap()
}

#[test]
fn alias_in_a_noisy_title() {
    let c = classifier();
    let mut s = Scratch::new();
    let o = c.classify("【急招】北京销售代表（双休）", None, &mut s);
    assert_eq!(o.code.unwrap().to_string(), "4-01-02-01");
    assert_eq!(o.method, Method::Alias);
    assert!(o.evidence.contains("exact=销售代表(alias)"), "{}", o.evidence);
    assert!(o.evidence.contains("city:北京") && o.evidence.contains("bracket:急招"), "{}", o.evidence);
    let o = c.classify("会计专业人员", None, &mut s);
    assert_eq!((o.code.unwrap().to_string().as_str(), o.method), ("2-06-03-00", Method::Exact));
}

#[test]
fn words_of_definitions_and_tasks_decide_without_an_alias() {
    let c = classifier();
    let mut s = Scratch::new();
    let o = c.classify("财务报表核算", None, &mut s);
    assert_eq!(o.code.unwrap().to_string(), "2-06-03-00", "{}", o.evidence);
    // Ranked by BM25 alone: whether it is trusted at fine level is the fitted confidence's call.
    assert!(matches!(o.method, Method::Bm25 | Method::Fallback), "{:?}", o.method);
    // The description helps when the title alone says nothing.
    let o = c.classify("储备干部", Some("负责开发客户，推销商品，维护客户关系"), &mut s);
    assert_eq!(o.code.unwrap().to_string(), "4-01-02-01", "{}", o.evidence);
}

#[test]
fn nothing_to_read_is_unclassified() {
    let c = classifier();
    let mut s = Scratch::new();
    // Latin letters shared with an alias (`avajx` ~ `java开发工程师`) are not evidence either.
    for t in ["", "！！！", "五险一金 双休", "avajx", "abcdefg"] {
        let o = c.classify(t, None, &mut s);
        assert_eq!((o.code, o.method, o.top.len()), (None, Method::Unclassified, 0), "{t:?}: {}", o.evidence);
    }
}

#[test]
fn similar_terms_are_evidence() {
    let c = classifier();
    let mut s = Scratch::new();
    let o = c.classify("Java开发", None, &mut s);
    assert_eq!(o.code.unwrap().to_string(), "2-02-10-03");
    assert!(o.evidence.contains("similar=java开发工程师(0."), "{}", o.evidence);
}

#[test]
fn ranking_invariants_hold() {
    let c = classifier();
    let mut s = Scratch::new();
    for t in ["数控车工", "软件测试", "销售", "会计", "java开发", "车床操作工"] {
        let o = c.classify(t, None, &mut s);
        assert!(o.top.len() <= c.options().top_k);
        assert!(o.top.windows(2).all(|w| w[0].1 >= w[1].1), "{t}: top not sorted");
        assert_eq!(Some(o.top[0].0), o.code);
        let second = o.top.get(1).map_or(0.0, |t| t.1);
        assert!((o.margin - (o.score - second)).abs() < 1e-6);
    }
}

#[test]
fn reused_scratch_equals_fresh_scratch() {
    let c = classifier();
    let titles = ["数控车工", "总账会计（五险一金）", "Java开发工程师 15k", "", "电话销售", "软件需求分析", "车工"];
    let mut shared = Scratch::new();
    for t in titles.iter().chain(titles.iter().rev()) {
        let a = c.classify(t, Some("编写程序代码"), &mut shared);
        let (code, top, ev) = (a.code, a.top.to_vec(), a.evidence.to_string());
        let mut fresh = Scratch::new();
        let b = c.classify(t, Some("编写程序代码"), &mut fresh);
        assert_eq!((code, top, ev), (b.code, b.top.to_vec(), b.evidence.to_string()), "{t}");
    }
}

#[test]
fn batch_matches_row_by_row() {
    let c = classifier();
    let titles = StringArray::from(vec![Some("数控车工"), None, Some("总账会计"), Some("！！")]);
    let descs = StringArray::from(vec![Some("操作车床"), Some("推销商品"), None, None]);
    let mut s = Scratch::new();
    let b = classify_batch(&c, &titles, Some(&descs), &mut s).unwrap();
    assert_eq!(b.num_rows(), 4);
    let codes = b.column_by_name("code").unwrap().as_string::<i32>();
    let methods = b.column_by_name("method").unwrap().as_string::<i32>();
    for i in 0..4 {
        let t = if titles.is_null(i) { "" } else { titles.value(i) };
        let d = (!descs.is_null(i)).then(|| descs.value(i));
        let o = c.classify(t, d, &mut s);
        assert_eq!(codes.is_null(i), o.code.is_none());
        if let Some(code) = o.code {
            assert_eq!(codes.value(i), code.to_string());
        }
        assert_eq!(methods.value(i), o.method.name());
    }
    let top = b.column_by_name("top_k").unwrap().as_list::<i32>();
    assert_eq!(top.value(3).len(), 0);
    let short = StringArray::from(vec![Some("x")]);
    assert!(classify_batch(&c, &titles, Some(&short), &mut s).is_err());
}

#[test]
fn an_occupation_rule_decides() {
    let c = with_rules();
    let mut s = Scratch::new();
    let o = c.classify("车床操作工", None, &mut s);
    assert_eq!((o.code.unwrap().to_string().as_str(), o.method, o.rule), ("6-18-01-01", Method::Rule, Some("lathe")));
    assert!(o.evidence.contains("rule=lathe"), "{}", o.evidence);
}

#[test]
fn a_deciding_rule_outranks_an_alias_but_not_a_name() {
    // A convention that codes these titles elsewhere than the taxonomy's own terms.
    let rules = r#"
[[rule]]
name = "convention"
title = ["软件工程师", "会计专业人员"]
code = "4-01-02-01"
"#;
    let tax = taxonomy();
    let rules = RuleSet::from_toml(rules, Path::new("rules.toml"), &tax).unwrap();
    let c = Classifier::new(&tax, &[], &[], rules, ClassifierOptions::default()).unwrap();
    let mut s = Scratch::new();
    // 软件工程师 is an alias of 2-02-10-03: the rule, which has weighed it, decides.
    let o = c.classify("软件工程师", None, &mut s);
    assert_eq!((o.code.unwrap().to_string().as_str(), o.method), ("4-01-02-01", Method::Rule), "{}", o.evidence);
    assert!(o.evidence.contains("exact=软件工程师(alias)"), "the alias stays in the evidence: {}", o.evidence);
    // An occupation's own name is stronger than any rule.
    let o = c.classify("会计专业人员", None, &mut s);
    assert_eq!((o.code.unwrap().to_string().as_str(), o.method), ("2-06-03-00", Method::Exact), "{}", o.evidence);
}

#[test]
fn a_group_rule_restricts_and_synonyms_find_the_taxonomy_word() {
    let c = with_rules();
    let mut s = Scratch::new();
    // 老师 → teachers only; the synonym 教师 and 小学 choose the class.
    let o = c.classify("小学语文老师", None, &mut s);
    assert_eq!(o.code.unwrap().to_string(), "2-08-02-04", "{}", o.evidence);
    assert_eq!(o.rule, Some("teacher"));
    // No evidence inside the group: a teacher, but no fine class is trusted.
    let o = c.classify("老师", None, &mut s);
    assert!(o.code.unwrap().to_string().starts_with("2-08"));
    assert!(o.level < zhiye_core::Level::Fine, "{:?} {}", o.level, o.evidence);
    assert_eq!(o.method, Method::Fallback);
    // An occupation's own alias outside the group lifts the restriction.
    let o = c.classify("招生老师", None, &mut s);
    assert_eq!((o.code.unwrap().to_string().as_str(), o.method), ("4-01-02-01", Method::Alias), "{}", o.evidence);
}

#[test]
fn a_group_name_restricts_to_the_group() {
    let c = classifier();
    let mut s = Scratch::new();
    // 美术老师 is an alias of the medium class 教学人员, not of an occupation.
    let o = c.classify("美术老师", None, &mut s);
    assert!(o.code.unwrap().to_string().starts_with("2-08"), "{}", o.evidence);
    assert!(o.evidence.contains("group=2-08-00-00"), "{}", o.evidence);
}

#[test]
fn confidence_follows_the_evidence() {
    let c = classifier();
    let mut s = Scratch::new();
    let strong = c.classify("数控车工", None, &mut s);
    let (strong_score, strong_level) = (strong.score, strong.level);
    assert!(strong_score > 0.9 && strong_level == zhiye_core::Level::Fine, "{strong_score} {strong_level:?}");
    let weak = c.classify("客户", None, &mut s);
    assert!(weak.score < strong_score, "{} vs {strong_score}", weak.score);
    let sum: f32 = weak.top.iter().map(|t| t.1).sum();
    assert!(sum <= 1.0 + 1e-6, "confidences are a distribution: {sum}");
}
