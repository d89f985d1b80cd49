//! The structured fields as each board prints them: platform, pay,
//! experience, education and head-count.
//!
//! The formats are those of real board pages (智联 `8千-1.2万·13薪`, 前程无忧
//! `0.8-1.2万/月`, BOSS `15-25K`, 拉勾 `10k-20k`, 猎聘 `18-30万`, 58同城
//! `4000-6000元/月` …), so parsers meet the variety they meet in practice.

use crate::rng::Rng;
use crate::segment::{Segment, SegmentParams};

/// Job board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Platform {
    Zhilian,
    Job51,
    Boss,
    Lagou,
    Liepin,
    Tongcheng,
}

impl Platform {
    pub(crate) const ALL: [Platform; 6] =
        [Platform::Zhilian, Platform::Job51, Platform::Boss, Platform::Lagou, Platform::Liepin, Platform::Tongcheng];

    /// The `platform` column value.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Platform::Zhilian => "zhilian",
            Platform::Job51 => "51job",
            Platform::Boss => "boss",
            Platform::Lagou => "lagou",
            Platform::Liepin => "liepin",
            Platform::Tongcheng => "58",
        }
    }

    /// Factor on the platform's share `t` years after January 2017: BOSS直聘
    /// rose fast over 2017–2022, 前程无忧 and 拉勾 lost ground.
    pub(crate) fn drift(self, t: f64) -> f64 {
        let rate: f64 = match self {
            Platform::Zhilian => 1.0,
            Platform::Job51 => 0.93,
            Platform::Boss => 1.25,
            Platform::Lagou => 0.9,
            Platform::Liepin => 1.03,
            Platform::Tongcheng => 0.98,
        };
        rate.powf(t)
    }

    /// Whether the board shows a head-count at all.
    fn shows_headcount(self) -> bool {
        matches!(self, Platform::Zhilian | Platform::Job51 | Platform::Tongcheng)
    }
}

/// Experience requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Exp {
    Any,
    Fresh,
    Under1,
    Y1to3,
    Y3to5,
    Y5to10,
    Over10,
}

impl Exp {
    pub(crate) const ALL: [Exp; 7] =
        [Exp::Any, Exp::Fresh, Exp::Under1, Exp::Y1to3, Exp::Y3to5, Exp::Y5to10, Exp::Over10];

    /// Pay relative to 1–3 years, before the segment's slope.
    pub(crate) fn premium(self) -> f64 {
        match self {
            Exp::Any => 0.95,
            Exp::Fresh => 0.72,
            Exp::Under1 => 0.8,
            Exp::Y1to3 => 1.0,
            Exp::Y3to5 => 1.32,
            Exp::Y5to10 => 1.7,
            Exp::Over10 => 2.1,
        }
    }

    /// Minimum years for the description's requirement line (0: none).
    pub(crate) fn years(self) -> u32 {
        match self {
            Exp::Any | Exp::Fresh => 0,
            Exp::Under1 | Exp::Y1to3 => 1,
            Exp::Y3to5 => 3,
            Exp::Y5to10 => 5,
            Exp::Over10 => 10,
        }
    }

    /// The experience text as `platform` prints it; `None` is a missing cell.
    pub(crate) fn text(self, platform: Platform, rng: &mut Rng) -> Option<&'static str> {
        use Exp::*;
        let coin = rng.chance(0.5);
        Some(match platform {
            Platform::Zhilian => match self {
                Any => "经验不限",
                Fresh => "无经验",
                Under1 => "1年以下",
                Y1to3 => "1-3年",
                Y3to5 => "3-5年",
                Y5to10 => "5-10年",
                Over10 => "10年以上",
            },
            Platform::Job51 => match self {
                Any if coin => return None,
                Any => "无工作经验",
                Fresh if coin => "在校生/应届生",
                Fresh => "无工作经验",
                Under1 => "1年工作经验",
                Y1to3 if coin => "1年工作经验",
                Y1to3 => "2年工作经验",
                Y3to5 => "3-4年工作经验",
                Y5to10 if coin => "5-7年工作经验",
                Y5to10 => "8-9年工作经验",
                Over10 => "10年以上工作经验",
            },
            Platform::Boss => match self {
                Any => "经验不限",
                Fresh if coin => "在校/应届",
                Fresh => "应届生",
                Under1 => "1年以内",
                Y1to3 => "1-3年",
                Y3to5 => "3-5年",
                Y5to10 => "5-10年",
                Over10 => "10年以上",
            },
            Platform::Lagou => match self {
                Any => "不限",
                Fresh => "应届毕业生",
                Under1 => "1年以下",
                Y1to3 => "1-3年",
                Y3to5 => "3-5年",
                Y5to10 => "5-10年",
                Over10 => "10年以上",
            },
            Platform::Liepin => match self {
                Any => "经验不限",
                Fresh if coin => "应届生",
                Fresh => "经验不限",
                Under1 => "1年以上",
                Y1to3 if coin => "1年以上",
                Y1to3 => "2年以上",
                Y3to5 if coin => "3年以上",
                Y3to5 => "4年以上",
                Y5to10 if coin => "5年以上",
                Y5to10 => "8年以上",
                Over10 => "10年以上",
            },
            Platform::Tongcheng => match self {
                Any if coin => "不限",
                Any => "经验不限",
                Fresh => "无经验",
                Under1 => "1年以下",
                Y1to3 if coin => "1-2年",
                Y1to3 => "1-3年",
                Y3to5 => "3-5年",
                Y5to10 if coin => "6-7年",
                Y5to10 => "5-10年",
                Over10 => "10年以上",
            },
        })
    }
}

/// Education requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Edu {
    Any,
    JuniorHigh,
    HighSchool,
    Vocational,
    Associate,
    Bachelor,
    Master,
    Doctor,
}

impl Edu {
    pub(crate) const ALL: [Edu; 8] = [
        Edu::Any,
        Edu::JuniorHigh,
        Edu::HighSchool,
        Edu::Vocational,
        Edu::Associate,
        Edu::Bachelor,
        Edu::Master,
        Edu::Doctor,
    ];

    /// Pay relative to a requirement-free posting of the same occupation.
    pub(crate) fn premium(self) -> f64 {
        match self {
            Edu::Any => 0.97,
            Edu::JuniorHigh => 0.9,
            Edu::HighSchool => 0.92,
            Edu::Vocational => 0.94,
            Edu::Associate => 0.98,
            Edu::Bachelor => 1.05,
            Edu::Master => 1.18,
            Edu::Doctor => 1.35,
        }
    }

    /// The degree as descriptions name it (`本科及以上学历`).
    pub(crate) fn word(self) -> Option<&'static str> {
        match self {
            Edu::Any => None,
            Edu::JuniorHigh => Some("初中"),
            Edu::HighSchool => Some("高中"),
            Edu::Vocational => Some("中专"),
            Edu::Associate => Some("大专"),
            Edu::Bachelor => Some("本科"),
            Edu::Master => Some("硕士"),
            Edu::Doctor => Some("博士"),
        }
    }

    /// The education text as `platform` prints it; `None` is a missing cell.
    pub(crate) fn text(self, platform: Platform, rng: &mut Rng) -> Option<&'static str> {
        use Edu::*;
        let coin = rng.chance(0.5);
        Some(match platform {
            Platform::Zhilian | Platform::Boss => match self {
                Any if coin && platform == Platform::Zhilian => "不限",
                Any => "学历不限",
                JuniorHigh => "初中及以下",
                HighSchool => "高中",
                Vocational => "中专/中技",
                Associate => "大专",
                Bachelor => "本科",
                Master => "硕士",
                Doctor => "博士",
            },
            Platform::Job51 => match self {
                Any => return None,
                JuniorHigh => "初中及以下",
                HighSchool => "高中",
                Vocational if coin => "中专",
                Vocational => "中技",
                Associate => "大专",
                Bachelor => "本科",
                Master => "硕士",
                Doctor => "博士",
            },
            // 拉勾 offers only these five levels.
            Platform::Lagou => match self {
                Any | JuniorHigh | HighSchool | Vocational => "不限",
                Associate => "大专",
                Bachelor => "本科",
                Master => "硕士",
                Doctor => "博士",
            },
            Platform::Liepin => match self {
                Any => "学历不限",
                JuniorHigh | HighSchool | Vocational => "中专/中技及以上",
                Associate => "大专及以上",
                Bachelor if coin => "统招本科",
                Bachelor => "本科及以上",
                Master => "硕士及以上",
                Doctor => "博士",
            },
            Platform::Tongcheng => match self {
                Any => "不限",
                JuniorHigh => "初中",
                HighSchool => "高中",
                Vocational => "中专/技校",
                Associate => "大专",
                Bachelor => "本科",
                Master | Doctor => "硕士",
            },
        })
    }
}

/// Pay of a vacancy, in yuan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Pay {
    /// Monthly range and the months paid a year (12 to 16).
    Monthly { lo: u32, hi: u32, months: u8 },
    /// Daily range (interns, day labour).
    Daily { lo: u32, hi: u32 },
    /// 面议.
    Negotiable,
}

impl Pay {
    /// Draws the pay of a vacancy whose expected monthly pay is `mid`.
    pub(crate) fn draw(rng: &mut Rng, mid: f64, segment: Segment, intern: bool, platform: Platform) -> Pay {
        let p: &SegmentParams = segment.params();
        let negotiable = match (platform, segment) {
            (Platform::Liepin, _) => 0.15,
            (_, Segment::Manager) => 0.12,
            _ => 0.03,
        };
        if rng.chance(negotiable) {
            return Pay::Negotiable;
        }
        let daily = if intern {
            0.5
        } else if matches!(segment, Segment::Service | Segment::Blue) {
            0.02
        } else {
            0.0
        };
        if rng.chance(daily) {
            let base = if intern { 80.0 + mid / 60.0 } else { mid / 22.0 };
            let lo = round_to(base * (0.85 + 0.15 * rng.unit()), 10.0).max(50);
            let hi = round_to(f64::from(lo) * rng.pick(&[1.1, 1.2, 1.25, 1.33, 1.5]), 10.0).max(lo + 10);
            return Pay::Daily { lo, hi };
        }
        let spread: f64 = if segment == Segment::Sales {
            rng.pick(&[1.5, 2.0, 2.0, 2.5, 3.0])
        } else {
            rng.pick(&[1.2, 1.25, 1.33, 1.4, 1.5, 1.5, 1.6, 2.0])
        };
        let lo = nice(mid * (0.78 + 0.14 * rng.unit()));
        let hi = nice(f64::from(lo) * spread).max(lo + step(lo));
        let months = if rng.chance(p.bonus_months) { rng.pick(&[13, 13, 13, 14, 14, 15, 16]) } else { 12 };
        Pay::Monthly { lo, hi, months }
    }

    /// Writes the pay as `platform` prints it; `false` for a missing cell.
    pub(crate) fn write(self, platform: Platform, rng: &mut Rng, buf: &mut String) -> bool {
        buf.clear();
        match (self, platform) {
            (Pay::Negotiable, Platform::Job51) => {} // 51job leaves the cell empty
            (Pay::Negotiable, _) => buf.push_str("面议"),
            (Pay::Daily { lo, hi }, Platform::Zhilian) => {
                push_u(buf, lo);
                buf.push('-');
                push_u(buf, hi);
                buf.push_str("/天");
            }
            (Pay::Daily { lo, .. }, Platform::Job51 | Platform::Tongcheng) => {
                push_u(buf, lo);
                buf.push_str("元/天");
            }
            (Pay::Daily { lo, hi }, _) => {
                push_u(buf, lo);
                buf.push('-');
                push_u(buf, hi);
                buf.push_str("元/天");
            }
            (Pay::Monthly { lo, hi, months }, p) => write_monthly(buf, p, lo, hi, months, rng),
        }
        true
    }
}

fn write_monthly(buf: &mut String, platform: Platform, lo: u32, hi: u32, months: u8, rng: &mut Rng) {
    let bonus = |buf: &mut String| {
        if months > 12 {
            buf.push('·');
            push_u(buf, u32::from(months));
            buf.push('薪');
        }
    };
    match platform {
        Platform::Zhilian => {
            let r = rng.unit();
            if r < 0.08 {
                push_u(buf, lo);
                buf.push('-');
                push_u(buf, hi);
                buf.push_str("元/月");
            } else if r < 0.25 && lo >= 10_000 {
                // 1.2-2万·13薪: one unit for both ends.
                push_scaled(buf, lo, 10_000);
                buf.push('-');
                push_scaled(buf, hi, 10_000);
                buf.push('万');
            } else {
                push_qianwan(buf, lo);
                buf.push('-');
                push_qianwan(buf, hi);
            }
            bonus(buf);
        }
        Platform::Job51 => {
            let r = rng.unit();
            if hi >= 20_000 && r < 0.5 {
                push_u(buf, annual(lo, 12));
                buf.push('-');
                push_u(buf, annual(hi, 12).max(annual(lo, 12) + 1));
                buf.push_str("万/年");
            } else if r > 0.98 {
                push_scaled(buf, hi, 1000);
                buf.push_str("千以下/月");
            } else if hi < 10_000 {
                push_scaled(buf, lo, 1000);
                buf.push('-');
                push_scaled(buf, hi, 1000);
                buf.push_str("千/月");
            } else {
                push_scaled(buf, lo, 10_000);
                buf.push('-');
                push_scaled(buf, hi, 10_000);
                buf.push_str("万/月");
            }
        }
        Platform::Boss => {
            let (l, h) = kilo(lo, hi);
            push_u(buf, l);
            buf.push('-');
            push_u(buf, h);
            buf.push('K');
            bonus(buf);
        }
        Platform::Lagou => {
            let (l, h) = kilo(lo, hi);
            push_u(buf, l);
            buf.push_str("k-");
            push_u(buf, h);
            buf.push('k');
            if rng.chance(0.3) {
                bonus(buf);
            }
        }
        Platform::Liepin => {
            if rng.chance(0.75) {
                let m = u32::from(months);
                let l = annual(lo, m);
                push_u(buf, l);
                buf.push('-');
                push_u(buf, annual(hi, m).max(l + 1));
                buf.push('万');
            } else {
                let (l, h) = kilo(lo, hi);
                push_u(buf, l);
                buf.push('-');
                push_u(buf, h);
                buf.push('k');
                bonus(buf);
            }
        }
        Platform::Tongcheng => {
            let r = rng.unit();
            push_u(buf, lo);
            if r < 0.1 {
                buf.push_str("以上");
            } else {
                buf.push('-');
                push_u(buf, hi);
                if r < 0.9 {
                    buf.push_str("元/月");
                }
            }
        }
    }
}

/// Writes the head-count as the platform prints it; `false` for a missing cell.
pub(crate) fn write_headcount(rng: &mut Rng, segment: Segment, platform: Platform, buf: &mut String) -> bool {
    buf.clear();
    if !platform.shows_headcount() || rng.chance(if platform == Platform::Zhilian { 0.3 } else { 0.03 }) {
        return false;
    }
    // 0 stands for 若干 ("several").
    const FEW: &[(u32, f64)] = &[(1, 50.0), (2, 20.0), (3, 12.0), (5, 8.0), (0, 10.0)];
    const MANY: &[(u32, f64)] =
        &[(1, 15.0), (2, 12.0), (3, 12.0), (5, 15.0), (10, 15.0), (20, 8.0), (30, 4.0), (50, 3.0), (0, 16.0)];
    let table = if segment.params().mass_hiring { MANY } else { FEW };
    let total: f64 = table.iter().map(|x| x.1).sum();
    let mut r = rng.unit() * total;
    let mut n = table[table.len() - 1].0;
    for &(v, w) in table {
        if r < w {
            n = v;
            break;
        }
        r -= w;
    }
    let style = rng.unit();
    match (platform, n) {
        (Platform::Job51, 0) if style < 0.5 => buf.push_str("若干人"),
        (Platform::Job51, n) if style < 0.5 => {
            push_u(buf, n);
            buf.push('人');
        }
        (Platform::Tongcheng, 0) if style < 0.5 => buf.push_str("若干"),
        (_, 0) => buf.push_str("招若干人"),
        (_, n) => {
            buf.push('招');
            push_u(buf, n);
            buf.push('人');
        }
    }
    true
}

/// Rounds to the steps boards use: 500 below 10k, 1000 below 100k, then 10k.
fn nice(v: f64) -> u32 {
    let v = v.max(1000.0);
    let s = step_f(v);
    round_to(v, s).max(1000)
}

fn step_f(v: f64) -> f64 {
    if v < 10_000.0 {
        500.0
    } else if v < 100_000.0 {
        1000.0
    } else {
        10_000.0
    }
}

fn step(v: u32) -> u32 {
    step_f(f64::from(v)) as u32
}

fn round_to(v: f64, s: f64) -> u32 {
    ((v / s).round() * s) as u32
}

/// Both ends in whole thousands, the upper strictly above the lower.
fn kilo(lo: u32, hi: u32) -> (u32, u32) {
    let l = ((lo + 500) / 1000).max(1);
    (l, ((hi + 500) / 1000).max(l + 1))
}

/// Annual pay in whole 万 for `months` months of `monthly`.
fn annual(monthly: u32, months: u32) -> u32 {
    ((u64::from(monthly) * u64::from(months) + 5000) / 10_000) as u32
}

/// `8千` below 10 000, `1.2万` from there.
fn push_qianwan(buf: &mut String, v: u32) {
    if v < 10_000 {
        push_scaled(buf, v, 1000);
        buf.push('千');
    } else {
        push_scaled(buf, v, 10_000);
        buf.push('万');
    }
}

/// `v / unit` with up to two decimals, trailing zeros dropped (`0.85`, `1.2`, `2`).
pub(crate) fn push_scaled(buf: &mut String, v: u32, unit: u32) {
    let hundredths = (u64::from(v) * 100 + u64::from(unit) / 2) / u64::from(unit);
    push_u64(buf, hundredths / 100);
    let frac = hundredths % 100;
    if frac != 0 {
        buf.push('.');
        buf.push(char::from(b'0' + (frac / 10) as u8));
        if frac % 10 != 0 {
            buf.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

pub(crate) fn push_u(buf: &mut String, v: u32) {
    push_u64(buf, u64::from(v));
}

/// Decimal digits without `format!` (hot path).
pub(crate) fn push_u64(buf: &mut String, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        buf.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pay: Pay, platform: Platform, seed: u64) -> String {
        let mut buf = String::new();
        pay.write(platform, &mut Rng::new(seed), &mut buf);
        buf
    }

    #[test]
    fn number_helpers() {
        let mut b = String::new();
        push_scaled(&mut b, 8500, 10_000);
        b.push(' ');
        push_scaled(&mut b, 12_000, 10_000);
        b.push(' ');
        push_scaled(&mut b, 20_000, 10_000);
        b.push(' ');
        push_u64(&mut b, 0);
        push_u64(&mut b, 907);
        assert_eq!(b, "0.85 1.2 2 0907");
        assert_eq!(kilo(9500, 10_000), (10, 11));
        assert_eq!(annual(15_000, 13), 20);
    }

    #[test]
    fn pay_formats() {
        let m = Pay::Monthly { lo: 8000, hi: 12_000, months: 13 };
        let texts: Vec<String> = (0..40).map(|s| show(m, Platform::Zhilian, s)).collect();
        assert!(texts.contains(&"8千-1.2万·13薪".to_string()), "{texts:?}");
        assert!(texts.contains(&"8000-12000元/月·13薪".to_string()), "{texts:?}");
        assert_eq!(show(m, Platform::Boss, 1), "8-12K·13薪");
        let j: Vec<String> = (0..40).map(|s| show(m, Platform::Job51, s)).collect();
        assert!(j.contains(&"0.8-1.2万/月".to_string()), "{j:?}");
        let l: Vec<String> = (0..40).map(|s| show(m, Platform::Liepin, s)).collect();
        assert!(l.contains(&"10-16万".to_string()), "{l:?}");
        let t: Vec<String> = (0..40).map(|s| show(m, Platform::Tongcheng, s)).collect();
        assert!(t.contains(&"8000以上".to_string()) && t.contains(&"8000-12000元/月".to_string()), "{t:?}");
        assert_eq!(show(Pay::Monthly { lo: 6000, hi: 8000, months: 12 }, Platform::Lagou, 0), "6k-8k");
        assert_eq!(show(Pay::Daily { lo: 150, hi: 200 }, Platform::Job51, 0), "150元/天");
        assert_eq!(show(Pay::Negotiable, Platform::Job51, 0), "");
        assert_eq!(show(Pay::Negotiable, Platform::Boss, 0), "面议");
    }

    #[test]
    fn drawn_pay_is_ordered() {
        let mut rng = Rng::new(3);
        for i in 0..10_000 {
            let mid = 2000.0 + f64::from(i) * 7.0;
            match Pay::draw(&mut rng, mid, Segment::Sales, i % 7 == 0, Platform::Boss) {
                Pay::Monthly { lo, hi, months } => assert!(lo < hi && (12..=16).contains(&months)),
                Pay::Daily { lo, hi } => assert!(lo < hi),
                Pay::Negotiable => {}
            }
        }
    }
}
