//! [`MonthBatches`]: the postings of one month, built row by row into Arrow
//! builders with reused buffers, reposts included.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;
use std::sync::Arc;

use arrow_array::builder::{Date32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use zhiye_ingest::posting_schema;

use crate::calendar::{first_day, month_len, weekday, years_since_2017};
use crate::description::{DescParts, write_description};
use crate::fields::{Edu, Exp, Pay, Platform, push_u64, write_headcount};
use crate::generator::Generator;
use crate::mix::{GENERIC_INDUSTRY, month_mix};
use crate::rng::{Rng, Weighted, derive};
use crate::segment::Segment;
use crate::tables::{CITIES, INDUSTRIES};
use crate::title::{Rank, TitleParts, write_title};

/// Annual pay growth (nominal, about what boards showed over 2017–2022).
const WAGE_GROWTH: f64 = 1.05;
/// Log-normal spread of pay between vacancies of the same kind.
const PAY_SIGMA: f64 = 0.18;
/// Chance that a posting is in the employer's home city.
const HOME_CITY: f64 = 0.85;
/// Rows after which a repost appears, at most.
const REPOST_DELAY_ROWS: u32 = 3000;

/// Iterator over the record batches of one month (see [`Generator::month_batches`]).
pub struct MonthBatches<'g> {
    g: &'g Generator,
    month: Option<MonthClock>,
    rng: Rng,
    mix: Weighted,
    platforms: Vec<Weighted>,
    general_industry: usize,
    target: u64,
    produced: u64,
    batch_rows: usize,
    spawn: f64,
    pending: BinaryHeap<Pending>,
    seq: u64,
    buf: Buffers,
}

impl fmt::Debug for MonthBatches<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MonthBatches")
            .field("month", &self.month.as_ref().map(|m| m.label.as_str()))
            .field("target", &self.target)
            .field("produced", &self.produced)
            .finish()
    }
}

/// Calendar facts of the month.
struct MonthClock {
    /// `YYYYMM`, for posting ids.
    label: String,
    first_day: i32,
    days: u32,
    wage_level: f64,
}

/// Reused text buffers: no allocation per posting on the hot path.
#[derive(Default)]
struct Buffers {
    base: String,
    title: String,
    desc: String,
    pay: String,
    headcount: String,
    city: String,
    id: String,
}

/// A vacancy waiting to be reposted on another platform.
struct Repost {
    occ: usize,
    segment: Segment,
    platform: Platform,
    day: u32,
    exp: Exp,
    edu: Edu,
    title: String,
    desc: Option<String>,
    company: Option<String>,
    city: Option<String>,
    industry: Option<&'static str>,
    pay: Option<String>,
}

/// Heap entry: the earliest row first, ties by creation order.
struct Pending {
    at: u64,
    seq: u64,
    post: Box<Repost>,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// The Arrow builders of one batch, in schema order.
struct Columns {
    id: StringBuilder,
    platform: StringBuilder,
    posted_at: Date32Builder,
    title: StringBuilder,
    description: StringBuilder,
    company: StringBuilder,
    city: StringBuilder,
    industry: StringBuilder,
    salary: StringBuilder,
    experience: StringBuilder,
    education: StringBuilder,
    headcount: StringBuilder,
    true_code: StringBuilder,
}

impl Columns {
    fn new(rows: usize) -> Columns {
        let s = |bytes_per_row: usize| StringBuilder::with_capacity(rows, rows * bytes_per_row);
        Columns {
            id: s(24),
            platform: s(6),
            posted_at: Date32Builder::with_capacity(rows),
            title: s(30),
            description: s(1100),
            company: s(36),
            city: s(12),
            industry: s(24),
            salary: s(14),
            experience: s(10),
            education: s(8),
            headcount: s(8),
            true_code: s(10),
        }
    }

    fn finish(mut self) -> RecordBatch {
        let cols: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.platform.finish()),
            Arc::new(self.posted_at.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.description.finish()),
            Arc::new(self.company.finish()),
            Arc::new(self.city.finish()),
            Arc::new(self.industry.finish()),
            Arc::new(self.salary.finish()),
            Arc::new(self.experience.finish()),
            Arc::new(self.education.finish()),
            Arc::new(self.headcount.finish()),
            Arc::new(self.true_code.finish()),
        ];
        // The builders follow posting_schema() column for column; a mismatch
        // is a bug of this file, caught by every test.
        RecordBatch::try_new(posting_schema(), cols).expect("columns follow posting_schema()")
    }
}

impl<'g> MonthBatches<'g> {
    pub(crate) fn new(g: &'g Generator, m: usize, batch_rows: usize) -> MonthBatches<'g> {
        let opts = g.options();
        let ym = g.month(m);
        let t = ym.map_or(0.0, years_since_2017);
        let month = ym.map(|ym| {
            let mut label = String::with_capacity(6);
            push_u64(&mut label, ym.year as u64 * 100 + u64::from(ym.month));
            MonthClock {
                label,
                first_day: first_day(ym).to_epoch_days(),
                days: month_len(ym),
                wage_level: WAGE_GROWTH.powf(t),
            }
        });
        let mix = month_mix(&g.occs, t).unwrap_or_else(|| Weighted::fixed(&vec![1.0; g.occs.len()]));
        let platforms = Segment::ALL
            .iter()
            .map(|s| {
                let w: Vec<f64> = Platform::ALL.iter().zip(s.params().platforms).map(|(p, w)| w * p.drift(t)).collect();
                Weighted::fixed(&w)
            })
            .collect();
        let r = opts.repost_rate;
        MonthBatches {
            g,
            month,
            rng: Rng::new(derive(opts.seed, m as u64)),
            mix,
            platforms,
            general_industry: g.industry_tables.len() - 1,
            target: g.postings_in_month(m),
            produced: 0,
            batch_rows,
            spawn: if r < 1.0 { r / (1.0 - r) } else { 0.0 },
            pending: BinaryHeap::new(),
            seq: 0,
            buf: Buffers::default(),
        }
    }

    fn row(&mut self, cols: &mut Columns, clock: &MonthClock) {
        let remaining = self.target - self.produced;
        let due = self.pending.peek().is_some_and(|p| p.at <= self.produced || remaining <= self.pending.len() as u64);
        if due && let Some(p) = self.pending.pop() {
            self.repost(cols, clock, &p.post);
        } else {
            self.original(cols, clock);
        }
        self.produced += 1;
    }

    fn posting_id(&mut self, clock: &MonthClock) {
        let b = &mut self.buf.id;
        b.clear();
        b.push_str("syn-");
        push_u64(b, self.g.options.seed);
        b.push('-');
        b.push_str(&clock.label);
        b.push('-');
        push_u64(b, self.produced);
    }

    fn original(&mut self, cols: &mut Columns, clock: &MonthClock) {
        let g = self.g;
        let rng = &mut self.rng;
        let b = &mut self.buf;
        let oi = self.mix.sample(rng);
        let occ = &g.occs[oi];
        let segment = occ.segment;
        let sp = segment.params();
        let table = if rng.chance(GENERIC_INDUSTRY) { self.general_industry } else { occ.industries };
        let industry = g.industry_tables[table].sample(rng);
        let company = &g.companies.companies[g.companies.pick(industry, rng)];
        let ci = if rng.chance(HOME_CITY) { company.city } else { g.city_tables[segment.index()].sample(rng) };
        let city = &CITIES[ci];
        let district =
            if !city.districts.is_empty() && rng.chance(0.6) { Some(rng.pick(city.districts)) } else { None };
        let platform = Platform::ALL[self.platforms[segment.index()].sample(rng)];
        let exp = Exp::ALL[g.exp_tables[segment.index()].sample(rng)];
        let edu = Edu::ALL[g.edu_tables[segment.index()].sample(rng)];
        let rank = Rank::draw(rng, exp, segment);
        let mid = occ.wage
            * exp.premium().powf(sp.exp_slope)
            * edu.premium()
            * city.tier.wage_factor()
            * clock.wage_level
            * if company.big { 1.08 } else { 1.0 }
            * (PAY_SIGMA * rng.normal()).exp();
        let pay = Pay::draw(rng, mid, segment, rank.intern(), platform);
        match &g.board_titles {
            Some(t) => t.write(rng, occ, city.name, &mut b.base, &mut b.title),
            None => {
                let parts = TitleParts { occ, rank, pay, city: city.name, district, trade_name: &company.trade };
                write_title(rng, &parts, &mut b.base, &mut b.title);
            }
        }
        let company_name = (!rng.chance(0.005)).then_some(company.name.as_str());
        let has_desc = !rng.chance(0.01);
        if has_desc {
            let parts =
                DescParts { occ, base_title: &b.base, exp, edu, city: city.name, district, company: company_name };
            write_description(rng, &parts, &mut b.desc);
        }
        // City as the board prints it: mostly the bare name.
        b.city.clear();
        b.city.push_str(city.name);
        match (platform, district) {
            (Platform::Job51 | Platform::Liepin, Some(d)) if rng.chance(0.5) => {
                b.city.push('-');
                b.city.push_str(d);
            }
            (Platform::Zhilian, Some(d)) if rng.chance(0.3) => {
                b.city.push('·');
                b.city.push_str(d);
            }
            _ if rng.chance(0.03) => b.city.push('市'),
            _ => {}
        }
        let has_city = !rng.chance(0.003);
        let industry_null = if platform == Platform::Boss { 0.2 } else { 0.03 };
        let industry_name = (!rng.chance(industry_null)).then_some(INDUSTRIES[industry].name);
        let has_pay = pay.write(platform, rng, &mut b.pay) && !rng.chance(0.01);
        let day = draw_day(rng, clock);

        self.posting_id(clock);
        let b = &self.buf;
        let rng = &mut self.rng;
        cols.id.append_value(&b.id);
        cols.platform.append_value(platform.name());
        if rng.chance(0.002) {
            cols.posted_at.append_null();
        } else {
            cols.posted_at.append_value(clock.first_day + day as i32);
        }
        cols.title.append_value(&b.title);
        cols.description.append_option(has_desc.then_some(b.desc.as_str()));
        cols.company.append_option(company_name);
        cols.city.append_option(has_city.then_some(b.city.as_str()));
        cols.industry.append_option(industry_name);
        cols.salary.append_option(has_pay.then_some(b.pay.as_str()));
        append_levels(rng, cols, platform, segment, exp, edu, &mut self.buf.headcount);
        cols.true_code.append_value(&occ.code);

        let room = self.target - self.produced - 1 > self.pending.len() as u64;
        if room && self.rng.chance(self.spawn) {
            let b = &self.buf;
            let post = Repost {
                occ: oi,
                segment,
                platform,
                day,
                exp,
                edu,
                title: b.title.clone(),
                desc: has_desc.then(|| b.desc.clone()),
                company: company_name.map(String::from),
                city: has_city.then(|| b.city.clone()),
                industry: industry_name,
                pay: has_pay.then(|| b.pay.clone()),
            };
            let at = self.produced + 1 + u64::from(self.rng.between(1, REPOST_DELAY_ROWS));
            self.seq += 1;
            self.pending.push(Pending { at, seq: self.seq, post: Box::new(post) });
        }
    }

    /// The same vacancy a few days later on another platform: same company,
    /// title, city, code, pay and text; the levels as the new board prints them.
    fn repost(&mut self, cols: &mut Columns, clock: &MonthClock, p: &Repost) {
        let rng = &mut self.rng;
        let table = &self.platforms[p.segment.index()];
        let mut platform = p.platform;
        for _ in 0..8 {
            platform = Platform::ALL[table.sample(rng)];
            if platform != p.platform {
                break;
            }
        }
        if platform == p.platform {
            let i = Platform::ALL.iter().position(|&q| q == platform).unwrap_or(0);
            platform = Platform::ALL[(i + 1) % Platform::ALL.len()];
        }
        let day = (p.day + rng.between(1, 6)).min(clock.days - 1);
        self.posting_id(clock);
        let rng = &mut self.rng;
        cols.id.append_value(&self.buf.id);
        cols.platform.append_value(platform.name());
        cols.posted_at.append_value(clock.first_day + day as i32);
        cols.title.append_value(&p.title);
        cols.description.append_option(p.desc.as_deref());
        cols.company.append_option(p.company.as_deref());
        cols.city.append_option(p.city.as_deref());
        cols.industry.append_option(p.industry);
        cols.salary.append_option(p.pay.as_deref());
        append_levels(rng, cols, platform, p.segment, p.exp, p.edu, &mut self.buf.headcount);
        cols.true_code.append_value(&self.g.occs[p.occ].code);
    }
}

/// Experience, education and head-count cells.
fn append_levels(
    rng: &mut Rng,
    cols: &mut Columns,
    platform: Platform,
    segment: Segment,
    exp: Exp,
    edu: Edu,
    headcount: &mut String,
) {
    // 前程无忧 pages sometimes shift the degree into the experience slot.
    let exp_text =
        if platform == Platform::Job51 && rng.chance(0.03) { edu.text(platform, rng) } else { exp.text(platform, rng) };
    cols.experience.append_option(exp_text.filter(|_| !rng.chance(0.01)));
    cols.education.append_option(edu.text(platform, rng).filter(|_| !rng.chance(0.02)));
    let has = write_headcount(rng, segment, platform, headcount);
    cols.headcount.append_option(has.then_some(headcount.as_str()));
}

/// A day of the month (0-based), weekdays about twice as likely as weekends.
fn draw_day(rng: &mut Rng, clock: &MonthClock) -> u32 {
    loop {
        let d = rng.below(clock.days as usize) as u32;
        if weekday(clock.first_day + d as i32) < 5 || rng.chance(0.45) {
            return d;
        }
    }
}

impl Iterator for MonthBatches<'_> {
    type Item = RecordBatch;

    fn next(&mut self) -> Option<RecordBatch> {
        let clock = self.month.take()?;
        let rows = usize::try_from(self.target - self.produced).unwrap_or(usize::MAX).min(self.batch_rows);
        if rows == 0 {
            return None;
        }
        let mut cols = Columns::new(rows);
        for _ in 0..rows {
            self.row(&mut cols, &clock);
        }
        self.month = Some(clock);
        Some(cols.finish())
    }
}
