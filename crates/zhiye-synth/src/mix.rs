//! The occupation mix: which occupations boards advertise, how often, at
//! what pay, in which industries, and how that drifts over the years.
//!
//! Everything is keyed by code prefix (longest match wins), never by single
//! occupations, so the mix follows the taxonomy's structure: each `SHARE`
//! entry's mass is spread over the occupations it is the longest match for
//! with Zipf weights, ranking first the occupations with the most job-board
//! aliases (the names boards actually use).

use zhiye_core::Taxonomy;

use crate::rng::{Rng, Weighted, hash_str};
use crate::segment::Segment;
use crate::tables::{INDUSTRIES, industry_index};

/// Share of postings whose longest code-prefix match is the entry (in
/// percent before normalisation): sales, services, IT, manufacturing,
/// logistics and catering dominate; officials (1) are rare; 7 and 8 have
/// no occupations in the dictionary and so get none.
const SHARE: &[(&str, f64)] = &[
    ("1", 0.15),
    ("1-06", 1.6),
    ("2", 1.0),
    ("2-01", 0.4),
    ("2-02", 3.0),
    ("2-02-10", 7.0),
    ("2-02-18", 1.5),
    ("2-02-30", 1.5),
    ("2-02-38", 2.5),
    ("2-03", 0.2),
    ("2-04", 0.1),
    ("2-05", 2.2),
    ("2-06", 2.0),
    ("2-06-03", 2.0),
    ("2-06-07", 2.0),
    ("2-07", 0.6),
    ("2-08", 1.8),
    ("2-09", 1.8),
    ("2-10", 0.8),
    ("3", 0.4),
    ("3-01", 4.5),
    ("3-02", 1.2),
    ("4", 0.6),
    ("4-01", 6.0),
    ("4-01-02", 10.0),
    ("4-01-06", 2.0),
    ("4-02", 7.0),
    ("4-03", 7.0),
    ("4-04", 3.5),
    ("4-05", 1.5),
    ("4-06", 2.5),
    ("4-07", 5.0),
    ("4-08", 2.5),
    ("4-09", 0.4),
    ("4-10", 2.8),
    ("4-11", 0.15),
    ("4-12", 1.3),
    ("4-13", 2.2),
    ("4-14", 1.6),
    ("5", 0.4),
    ("6", 5.5),
    ("6-02", 0.6),
    ("6-05", 0.6),
    ("6-18", 1.2),
    ("6-20", 0.8),
    ("6-22", 0.6),
    ("6-24", 0.8),
    ("6-25", 1.8),
    ("6-29", 2.4),
    ("6-30", 1.0),
    ("6-31", 2.8),
    ("7", 0.02),
    ("8", 0.05),
];

/// Share of an occupation whose code matches no `SHARE` entry (other taxonomies).
const FALLBACK_SHARE: f64 = 0.05;

/// Zipf exponent within a `SHARE` group.
const ZIPF: f64 = 1.0;

/// Annual log-growth of an occupation's share of postings: IT, e-commerce,
/// new media and delivery grow; real estate and manufacturing shrink.
const GROWTH: &[(&str, f64)] = &[
    ("2-02-10", 0.05),
    ("2-02-38", 0.18),
    ("2-05", 0.03),
    ("2-08", -0.02),
    ("4-01-06", 0.10),
    ("4-02-07", 0.10),
    ("4-04", 0.05),
    ("4-06", -0.05),
    ("4-13", 0.05),
    ("4-14", 0.03),
    ("6", -0.03),
    ("6-25", 0.01),
];

/// Extra annual log-growth of digital (`S`) and green (`L`) occupations.
const DIGITAL_GROWTH: f64 = 0.03;
const GREEN_GROWTH: f64 = 0.04;

use Segment::{Blue, Engineer, Manager, Office, Sales, Science, Service, Tech};

const SEGMENTS: &[(&str, Segment)] = &[
    ("1", Manager),
    ("2", Office),
    ("2-01", Science),
    ("2-02", Engineer),
    ("2-02-10", Tech),
    ("2-02-38", Tech),
    ("2-03", Engineer),
    ("2-04", Engineer),
    ("2-05", Science),
    ("2-08", Science),
    ("3", Office),
    ("3-02", Service),
    ("4", Service),
    ("4-01", Sales),
    ("4-04", Tech),
    ("4-05", Sales),
    ("4-06", Sales),
    ("4-06-01", Service),
    ("4-07", Office),
    ("4-07-04", Service),
    ("4-07-05", Service),
    ("4-08", Office),
    ("4-08-05", Engineer),
    ("4-08-10", Engineer),
    ("4-12", Blue),
    ("4-13", Office),
    ("5", Blue),
    ("6", Blue),
    ("7", Blue),
];

/// Median monthly pay in 2017, yuan, for 1–3 years of experience in a
/// second-tier city: IT and finance pay most, services least.
const WAGE: &[(&str, f64)] = &[
    ("1", 14000.0),
    ("1-06", 16000.0),
    ("2", 7500.0),
    ("2-01", 8500.0),
    ("2-02", 8500.0),
    ("2-02-10", 10000.0),
    ("2-02-38", 12500.0),
    ("2-03", 6000.0),
    ("2-05", 8000.0),
    ("2-05-08", 5500.0),
    ("2-06", 8000.0),
    ("2-06-03", 6500.0),
    ("2-06-09", 9000.0),
    ("2-06-11", 13000.0),
    ("2-07", 8500.0),
    ("2-08", 7000.0),
    ("2-09", 7500.0),
    ("2-10", 7000.0),
    ("3", 5000.0),
    ("3-02", 4200.0),
    ("4", 5000.0),
    ("4-01", 6000.0),
    ("4-02", 6000.0),
    ("4-02-06", 5000.0),
    ("4-03", 4500.0),
    ("4-04", 7500.0),
    ("4-05", 6500.0),
    ("4-06", 6500.0),
    ("4-06-01", 4800.0),
    ("4-07", 5500.0),
    ("4-08", 6500.0),
    ("4-10", 4500.0),
    ("4-12", 5500.0),
    ("4-13", 5800.0),
    ("4-14", 5000.0),
    ("5", 4000.0),
    ("6", 5000.0),
    ("6-29", 6500.0),
    ("6-30", 5500.0),
];

/// Industries that advertise an occupation, by prefix. A posting draws its
/// industry here with probability 1 − `GENERIC_INDUSTRY`, else from the
/// general employer mix (accountants, drivers, clerks work everywhere).
const INDUSTRY_MIX: &[(&str, &[(&str, f64)])] = &[
    ("1", &[("政府/公共事业/非营利机构", 3.0), ("金融/投资/证券", 1.0), ("房地产/建筑/建材/工程", 1.0)]),
    ("2-01", &[("教育/培训/院校", 3.0), ("医药/生物工程", 2.0), ("电子/半导体/集成电路", 1.0)]),
    (
        "2-02",
        &[
            ("机械/设备/重工", 3.0),
            ("电气/电力/水利", 2.0),
            ("仪器仪表/工业自动化", 2.0),
            ("电子/半导体/集成电路", 2.0),
            ("汽车/摩托车", 2.0),
            ("房地产/建筑/建材/工程", 2.0),
            ("化工/石化", 1.0),
            ("能源/矿产/采掘/冶炼", 1.0),
        ],
    ),
    (
        "2-02-10",
        &[
            ("互联网/电子商务", 5.0),
            ("计算机软件", 5.0),
            ("IT服务/系统集成", 3.0),
            ("通信/网络设备", 1.0),
            ("电子/半导体/集成电路", 1.0),
            ("金融/投资/证券", 1.0),
        ],
    ),
    ("2-02-18", &[("房地产/建筑/建材/工程", 8.0), ("家居/室内设计/装饰装潢", 1.0)]),
    (
        "2-02-38",
        &[("互联网/电子商务", 4.0), ("计算机软件", 4.0), ("IT服务/系统集成", 2.0), ("电子/半导体/集成电路", 2.0)],
    ),
    ("2-05", &[("医疗/护理/卫生", 6.0), ("医药/生物工程", 2.0)]),
    ("2-06", &[("金融/投资/证券", 3.0), ("银行", 2.0), ("保险", 1.0), ("专业服务/咨询/财会/法律", 3.0)]),
    ("2-06-08", &[("人力资源服务", 4.0), ("专业服务/咨询/财会/法律", 1.0)]),
    ("2-07", &[("专业服务/咨询/财会/法律", 5.0), ("政府/公共事业/非营利机构", 1.0)]),
    ("2-08", &[("教育/培训/院校", 8.0)]),
    ("2-09", &[("文化/传媒/娱乐/体育", 4.0), ("广告/会展/公关", 3.0), ("互联网/电子商务", 2.0)]),
    ("2-10", &[("文化/传媒/娱乐/体育", 5.0), ("教育/培训/院校", 1.0), ("互联网/电子商务", 1.0)]),
    ("3-02", &[("物业管理/商业中心", 4.0), ("政府/公共事业/非营利机构", 1.0)]),
    (
        "4-01",
        &[
            ("零售/批发", 3.0),
            ("快速消费品(食品/饮料/化妆品)", 2.0),
            ("贸易/进出口", 2.0),
            ("房地产/建筑/建材/工程", 1.0),
            ("互联网/电子商务", 1.0),
            ("教育/培训/院校", 1.0),
            ("汽车/摩托车", 1.0),
            ("医药/生物工程", 1.0),
        ],
    ),
    ("4-01-06", &[("互联网/电子商务", 6.0), ("零售/批发", 2.0)]),
    ("4-02", &[("物流/仓储", 5.0), ("交通/运输", 4.0), ("零售/批发", 1.0), ("互联网/电子商务", 1.0)]),
    ("4-03", &[("餐饮服务", 6.0), ("酒店/旅游", 3.0)]),
    ("4-04", &[("互联网/电子商务", 3.0), ("IT服务/系统集成", 3.0), ("通信/网络设备", 2.0), ("计算机软件", 2.0)]),
    ("4-05", &[("银行", 3.0), ("保险", 3.0), ("金融/投资/证券", 3.0)]),
    ("4-06", &[("房地产/建筑/建材/工程", 5.0), ("物业管理/商业中心", 3.0)]),
    ("4-07", &[("人力资源服务", 2.0), ("专业服务/咨询/财会/法律", 2.0), ("互联网/电子商务", 1.0)]),
    ("4-07-04", &[("酒店/旅游", 5.0), ("文化/传媒/娱乐/体育", 1.0)]),
    (
        "4-08",
        &[
            ("广告/会展/公关", 3.0),
            ("家居/室内设计/装饰装潢", 2.0),
            ("文化/传媒/娱乐/体育", 2.0),
            ("互联网/电子商务", 1.0),
        ],
    ),
    ("4-10", &[("生活服务(美容/保健/家政)", 6.0), ("物业管理/商业中心", 2.0)]),
    (
        "4-12",
        &[
            ("汽车/摩托车", 3.0),
            ("家具/家电/玩具/礼品", 2.0),
            ("生活服务(美容/保健/家政)", 2.0),
            ("机械/设备/重工", 1.0),
        ],
    ),
    ("4-13", &[("文化/传媒/娱乐/体育", 3.0), ("教育/培训/院校", 3.0), ("互联网/电子商务", 3.0)]),
    ("4-14", &[("生活服务(美容/保健/家政)", 3.0), ("文化/传媒/娱乐/体育", 2.0), ("医疗/护理/卫生", 2.0)]),
    ("5", &[("农/林/牧/渔", 8.0)]),
    (
        "6",
        &[
            ("机械/设备/重工", 3.0),
            ("电子/半导体/集成电路", 2.0),
            ("汽车/摩托车", 2.0),
            ("化工/石化", 1.0),
            ("服装/纺织/皮革", 1.0),
            ("快速消费品(食品/饮料/化妆品)", 1.0),
            ("家具/家电/玩具/礼品", 1.0),
            ("印刷/包装/造纸", 1.0),
        ],
    ),
    ("6-02", &[("快速消费品(食品/饮料/化妆品)", 6.0)]),
    ("6-04", &[("服装/纺织/皮革", 6.0)]),
    ("6-05", &[("服装/纺织/皮革", 6.0)]),
    ("6-11", &[("化工/石化", 5.0)]),
    ("6-12", &[("医药/生物工程", 5.0)]),
    ("6-16", &[("能源/矿产/采掘/冶炼", 5.0)]),
    ("6-17", &[("能源/矿产/采掘/冶炼", 5.0)]),
    ("6-22", &[("汽车/摩托车", 6.0)]),
    ("6-24", &[("电气/电力/水利", 4.0), ("机械/设备/重工", 1.0)]),
    ("6-25", &[("电子/半导体/集成电路", 6.0), ("通信/网络设备", 1.0)]),
    ("6-28", &[("电气/电力/水利", 4.0), ("能源/矿产/采掘/冶炼", 2.0)]),
    ("6-29", &[("房地产/建筑/建材/工程", 6.0), ("家居/室内设计/装饰装潢", 2.0)]),
];

/// Chance that a posting's industry comes from the general employer mix.
pub(crate) const GENERIC_INDUSTRY: f64 = 0.2;

/// The value of the longest prefix of `code` in `table` (prefixes are whole
/// code parts, so `4-01` never matches `4-010…`).
fn lookup<'a, T>(table: &'a [(&str, T)], code: &str) -> Option<(usize, &'a T)> {
    table
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| code.starts_with(p) && code[p.len()..].starts_with('-'))
        .max_by_key(|(_, (p, _))| p.len())
        .map(|(i, (_, v))| (i, v))
}

/// A board name usable as a title base; `parts` holds the halves of
/// `A/B` names when each half can stand alone.
#[derive(Debug)]
pub(crate) struct TitleBase {
    pub text: String,
    pub parts: Vec<String>,
}

/// A task item of the dictionary, ready for a description.
#[derive(Debug)]
pub(crate) struct Task {
    pub text: String,
    pub chars: usize,
    /// Starts with a verb such as 负责, so no 负责 is prefixed.
    pub verb: bool,
}

/// What the generator knows about one occupation.
#[derive(Debug)]
pub(crate) struct Occupation {
    pub code: String,
    pub name: String,
    pub titles: Vec<TitleBase>,
    pub tasks: Vec<Task>,
    /// One-sentence duty derived from the definition, for occupations
    /// without tasks.
    pub duty: String,
    pub segment: Segment,
    /// Median monthly pay in 2017, yuan.
    pub wage: f64,
    /// Index into [`industry_tables`] (the last one is the general mix).
    pub industries: usize,
    /// Share in the mix of January 2017.
    pub weight: f64,
    /// Annual log-growth of the share.
    pub growth: f64,
}

/// Builds the occupation profiles of a taxonomy, in `occupations()` order.
pub(crate) fn occupations(tax: &Taxonomy) -> Vec<Occupation> {
    let classes = tax.classes();
    let mut occs: Vec<Occupation> = Vec::with_capacity(tax.occupations().len());
    let mut groups: Vec<Option<usize>> = Vec::with_capacity(occs.capacity());
    for &ci in tax.occupations() {
        let c = &classes[ci];
        let code = c.code.to_string();
        let h = hash_str(&code);
        let mut noise = Rng::new(h);
        let segment = lookup(SEGMENTS, &code).map_or(Segment::Office, |(_, s)| *s);
        let wage = lookup(WAGE, &code).map_or(6000.0, |(_, w)| *w) * (0.12 * noise.normal()).exp();
        let growth = lookup(GROWTH, &code).map_or(0.0, |(_, g)| *g)
            + if c.digital { DIGITAL_GROWTH } else { 0.0 }
            + if c.green { GREEN_GROWTH } else { 0.0 };
        let industries = lookup(INDUSTRY_MIX, &code).map_or(INDUSTRY_MIX.len(), |(i, _)| i);
        groups.push(lookup(SHARE, &code).map(|(i, _)| i));
        occs.push(Occupation {
            code,
            name: c.name.clone(),
            titles: c.aliases.iter().filter_map(|a| title_base(a)).collect(),
            tasks: c.tasks.iter().filter_map(|t| task(t)).collect(),
            duty: duty(&c.definition, &c.name),
            segment,
            wage,
            industries,
            weight: 0.0,
            growth,
        });
    }
    // Zipf within each SHARE group: most aliases first, ties by code hash.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); SHARE.len() + 1];
    for (i, g) in groups.iter().enumerate() {
        members[g.unwrap_or(SHARE.len())].push(i);
    }
    for (g, list) in members.iter_mut().enumerate() {
        list.sort_by_key(|&i| (std::cmp::Reverse(occs[i].titles.len()), hash_str(&occs[i].code)));
        let share = SHARE.get(g).map_or(FALLBACK_SHARE, |(_, s)| *s);
        let harmonic: f64 = (1..=list.len()).map(|r| (r as f64).powf(-ZIPF)).sum();
        for (rank, &i) in list.iter().enumerate() {
            let jitter = (0.25 * Rng::new(hash_str(&occs[i].code) ^ 1).normal()).exp();
            let share = if g == SHARE.len() { share * list.len() as f64 } else { share };
            occs[i].weight = share * ((rank + 1) as f64).powf(-ZIPF) / harmonic * jitter;
        }
    }
    occs
}

/// The occupation mix of a month, `t` years after January 2017.
pub(crate) fn month_mix(occs: &[Occupation], t: f64) -> Option<Weighted> {
    let w: Vec<f64> = occs.iter().map(|o| o.weight * (o.growth * t).exp()).collect();
    Weighted::new(&w)
}

/// One alias table per `INDUSTRY_MIX` entry, then the general employer mix.
pub(crate) fn industry_tables() -> Vec<Weighted> {
    let mut out: Vec<Weighted> = INDUSTRY_MIX
        .iter()
        .map(|(_, mix)| {
            let mut w = vec![0.0; INDUSTRIES.len()];
            for (name, x) in mix.iter() {
                // Names are checked by a unit test; an unknown one just drops out.
                if let Some(i) = industry_index(name) {
                    w[i] += x;
                }
            }
            Weighted::fixed(&w)
        })
        .collect();
    out.push(general_industries());
    out
}

fn general_industries() -> Weighted {
    let w: Vec<f64> = INDUSTRIES.iter().map(|i| i.share).collect();
    Weighted::fixed(&w)
}

/// Expected share of postings per industry under a mix: sizes the company pool.
pub(crate) fn industry_demand(occs: &[Occupation]) -> Vec<f64> {
    let general: Vec<f64> = {
        let total: f64 = INDUSTRIES.iter().map(|i| i.share).sum();
        INDUSTRIES.iter().map(|i| i.share / total).collect()
    };
    let mut demand = vec![0.0; INDUSTRIES.len()];
    for o in occs {
        let specific = INDUSTRY_MIX.get(o.industries).map(|(_, mix)| {
            let mut w = vec![0.0; INDUSTRIES.len()];
            for (name, x) in mix.iter() {
                if let Some(i) = industry_index(name) {
                    w[i] += x;
                }
            }
            let t: f64 = w.iter().sum();
            w.iter().map(|x| x / t.max(f64::MIN_POSITIVE)).collect::<Vec<_>>()
        });
        for (i, d) in demand.iter_mut().enumerate() {
            let p = match &specific {
                Some(s) => (1.0 - GENERIC_INDUSTRY) * s[i] + GENERIC_INDUSTRY * general[i],
                None => general[i],
            };
            *d += o.weight * p;
        }
    }
    demand
}

fn title_base(alias: &str) -> Option<TitleBase> {
    let text = alias.trim();
    let n = text.chars().count();
    if n == 0 || n > 24 {
        return None;
    }
    let parts: Vec<String> = text.split('/').map(str::trim).map(String::from).collect();
    let parts = if parts.len() > 1 && parts.iter().all(|p| p.chars().count() >= 2) { parts } else { Vec::new() };
    Some(TitleBase { text: text.to_string(), parts })
}

fn task(t: &str) -> Option<Task> {
    let text = t.trim().trim_end_matches(['。', '；', ';', '.', '，', ',']).trim();
    if text.is_empty() {
        return None;
    }
    let verb = ["负责", "参与", "协助", "组织", "完成", "根据", "按照", "依据"].iter().any(|v| text.starts_with(v));
    Some(Task { text: text.to_string(), chars: text.chars().count(), verb })
}

/// A duty sentence from a definition: `从事X的人员。` → `负责X等工作`.
fn duty(definition: &str, name: &str) -> String {
    let d = definition.trim().trim_end_matches(['。', '.']);
    if d.is_empty() {
        return format!("负责{name}相关工作");
    }
    let Some(body) = d.strip_prefix("从事") else { return d.to_string() };
    // Drop the subject ("…的工程技术人员"): what is left is the duty.
    let body = match body.rfind('的') {
        Some(i) if body[i..].ends_with("人员") && i > 0 => &body[..i],
        _ => body,
    };
    if body.ends_with("工作") { format!("负责{body}") } else { format!("负责{body}等工作") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_name_real_industries_and_codes_match_whole_parts() {
        for (p, mix) in INDUSTRY_MIX {
            for (name, _) in mix.iter() {
                assert!(industry_index(name).is_some(), "{p}: unknown industry {name}");
            }
        }
        let t = [("4-01", 1), ("4-01-02", 2), ("4", 3)];
        assert_eq!(lookup(&t, "4-01-02-01").map(|x| *x.1), Some(2));
        assert_eq!(lookup(&t, "4-10-01-01").map(|x| *x.1), Some(3));
        assert_eq!(lookup(&t, "5-01-01-01"), None);
    }

    #[test]
    fn duties_from_definitions() {
        assert_eq!(duty("从事市场调查、营销策划等工作的人员。", "营销员"), "负责市场调查、营销策划等工作");
        assert_eq!(duty("从事通信网络规划的工程技术人员。", "x"), "负责通信网络规划等工作");
        assert_eq!(duty("", "收银员"), "负责收银员相关工作");
        assert_eq!(title_base("C/C++").unwrap().parts.len(), 0);
        assert_eq!(title_base("生产领班/组长").unwrap().parts, ["生产领班", "组长"]);
    }
}
