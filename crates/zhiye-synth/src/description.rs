//! Descriptions: 岗位职责 from the occupation's dictionary tasks (lightly
//! rephrased and renumbered), 任职要求 consistent with the structured
//! fields, then benefits and sometimes place, hours and a closing line.
//! Lengths stay within 150–600 characters but for a few terse postings.

use std::borrow::Cow;

use crate::fields::{Edu, Exp, push_u};
use crate::mix::Occupation;
use crate::phrases::{
    ADDRESS_AREAS, BENEFIT_HEADERS, BENEFITS, BENEFITS_SALES, BENEFITS_TECH, BENEFITS_WORKER, CLOSINGS, COMPANY_KINDS,
    HOURS_OFFICE, HOURS_WORKER, REQ_HEADERS, SOFT_SKILLS, TASK_HEADERS, TASK_TAILS, majors, skills,
};
use crate::rng::Rng;
use crate::segment::Segment;

pub(crate) const MIN_CHARS: usize = 150;
pub(crate) const MAX_CHARS: usize = 600;

/// What a description is made of.
#[derive(Debug)]
pub(crate) struct DescParts<'a> {
    pub occ: &'a Occupation,
    /// The board name used in the title, for `3年以上X相关工作经验`.
    pub base_title: &'a str,
    pub exp: Exp,
    pub edu: Edu,
    pub city: &'a str,
    pub district: Option<&'a str>,
    pub company: Option<&'a str>,
}

/// How list items are numbered.
#[derive(Clone, Copy, Debug)]
enum Numbering {
    Dot,
    Comma,
    Paren,
    Bullet,
    Plain,
}

/// A character-counting writer with a hard ceiling, and the posting's layout.
struct Out<'b> {
    buf: &'b mut String,
    chars: usize,
    /// Between sections and list items: a line break, or nothing in
    /// scraped text that lost its breaks.
    sep: &'static str,
    numbering: Numbering,
}

impl Out<'_> {
    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.chars += s.chars().count();
    }

    fn sep(&mut self) {
        self.buf.push_str(self.sep);
        self.chars += self.sep.chars().count();
    }

    fn room(&self) -> usize {
        MAX_CHARS.saturating_sub(self.chars)
    }
}

/// Writes a description into `buf`.
pub(crate) fn write_description(rng: &mut Rng, p: &DescParts<'_>, buf: &mut String) {
    buf.clear();
    let segment = p.occ.segment;
    // Scraped text often loses its line breaks.
    let sep = match rng.unit() {
        r if r < 0.6 => "\n",
        r if r < 0.9 => "",
        _ => " ",
    };
    let numbering = match rng.below(9) {
        0..=2 => Numbering::Comma,
        3..=5 => Numbering::Dot,
        6 => Numbering::Paren,
        7 => Numbering::Bullet,
        _ => Numbering::Plain,
    };
    let mut out = Out { buf, chars: 0, sep, numbering };
    // How wordy this employer is: more tasks, requirements and extras.
    let v = rng.unit();
    if rng.chance(0.1 + 0.4 * v)
        && let Some(company) = p.company
    {
        intro(rng, &mut out, company);
    }
    let terse = rng.chance(0.015);
    out.push(rng.pick(TASK_HEADERS));
    out.sep();
    // Keep room for requirements and benefits after the tasks.
    let task_budget = if terse { MAX_CHARS } else { MAX_CHARS.saturating_sub(190) };
    let k = if terse { 1 } else { 3 + (v * 4.0) as usize };
    tasks(rng, &mut out, p.occ, task_budget, k, 0.2 + 0.3 * v);
    if terse {
        return;
    }
    out.sep();
    requirements(rng, &mut out, p, 1 + (v * 2.99) as usize, (v * 2.5) as usize);
    if rng.chance(0.7 + 0.25 * v) {
        out.sep();
        benefits(rng, &mut out, segment);
    }
    if rng.chance(0.15 + 0.35 * v) {
        place(rng, &mut out, p);
    }
    if rng.chance(0.1 + 0.3 * v) {
        let hours = if matches!(segment, Segment::Service | Segment::Blue) { HOURS_WORKER } else { HOURS_OFFICE };
        line(&mut out, rng.pick(hours));
    }
    if rng.chance(0.1 + 0.3 * v) {
        line(&mut out, rng.pick(CLOSINGS));
    }
    // Pad short postings the way boards do: more soft requirements, closing words.
    let mut guard = 0;
    while out.chars < MIN_CHARS && guard < 8 {
        guard += 1;
        let filler = if guard % 2 == 1 { rng.pick(SOFT_SKILLS) } else { rng.pick(CLOSINGS) };
        line(&mut out, filler);
    }
}

/// Appends `s` on a new line if it fits under the ceiling.
fn line(out: &mut Out<'_>, s: &str) {
    if out.room() > s.chars().count() + 1 {
        out.sep();
        out.push(s);
    }
}

fn intro(rng: &mut Rng, out: &mut Out<'_>, company: &str) {
    out.push("公司简介：");
    out.push(company);
    out.push("成立于");
    let mut year = String::with_capacity(4);
    push_u(&mut year, rng.between(1998, 2016));
    out.push(&year);
    out.push("年，是一家");
    out.push(rng.pick(COMPANY_KINDS));
    out.push("。");
    out.sep();
}

fn number(out: &mut Out<'_>, n: u32) {
    let mut s = String::with_capacity(8);
    match out.numbering {
        Numbering::Dot => {
            push_u(&mut s, n);
            s.push('.');
        }
        Numbering::Comma => {
            push_u(&mut s, n);
            s.push('、');
        }
        Numbering::Paren => {
            s.push('（');
            push_u(&mut s, n);
            s.push('）');
        }
        Numbering::Bullet => s.push_str("● "),
        Numbering::Plain => {}
    }
    out.push(&s);
}

/// Item terminator: `；` within running text, `；`/`。`/nothing between lines.
fn end_item(rng: &mut Rng, out: &mut Out<'_>, last: bool) {
    if out.sep.is_empty() || matches!(rng.below(3), 0) {
        out.push(if last { "。" } else { "；" });
    } else if rng.chance(0.5) {
        out.push("。");
    }
    if !last {
        out.sep();
    }
}

fn tasks(rng: &mut Rng, out: &mut Out<'_>, occ: &Occupation, budget: usize, k: usize, tail: f64) {
    let n = occ.tasks.len();
    let mut chosen = [0usize; 6];
    let k = k.min(n).min(chosen.len());
    // Distinct task indices in dictionary order (partial selection sampling).
    let mut picked = 0;
    for i in 0..n {
        if picked == k {
            break;
        }
        if rng.below(n - i) < k - picked {
            chosen[picked] = i;
            picked += 1;
        }
    }
    let tail = k > 1 && rng.chance(tail);
    let total = picked + usize::from(tail) + usize::from(n == 0);
    let mut written = 0;
    let mut item = 1u32;
    let mut emit = |rng: &mut Rng, out: &mut Out<'_>, text: &str, chars: usize, verb: bool, left: usize| {
        let prefix = !verb && rng.chance(0.35);
        let need = chars + if prefix { 2 } else { 0 } + 6;
        if out.chars + need > budget {
            return false;
        }
        number(out, item);
        if prefix {
            out.push("负责");
        }
        out.push(text);
        end_item(rng, out, left == 1);
        item += 1;
        true
    };
    let mut left = total;
    if n == 0 {
        let d = &occ.duty;
        if emit(rng, out, d, d.chars().count(), true, left) {
            written += 1;
        }
        left -= 1;
    }
    for &i in &chosen[..picked] {
        let t = &occ.tasks[i];
        if emit(rng, out, &t.text, t.chars, t.verb, left) {
            written += 1;
        }
        left -= 1;
    }
    if tail {
        let t = rng.pick(TASK_TAILS);
        if emit(rng, out, t, t.chars().count(), true, left) {
            written += 1;
        }
    }
    if written == 0 {
        // Every chosen task is too long: cut the first one at the budget.
        let text = occ.tasks.get(chosen[0]).map_or(occ.duty.as_str(), |t| t.text.as_str());
        let room = budget.saturating_sub(out.chars + 2).max(20);
        let cut: String = text.chars().take(room).collect();
        out.push(&cut);
        out.push("。");
    }
}

fn requirements(rng: &mut Rng, out: &mut Out<'_>, p: &DescParts<'_>, n_skills: usize, n_soft: usize) {
    let segment = p.occ.segment;
    let mut lines: [Option<Cow<'static, str>>; 7] = Default::default();
    let mut k = 0;
    if rng.chance(0.85) {
        let mut s = String::with_capacity(48);
        match p.edu.word() {
            Some(w) => {
                if p.edu == Edu::Bachelor && rng.chance(0.3) {
                    s.push_str("统招");
                }
                s.push_str(w);
                s.push_str("及以上学历");
                let m = majors(segment);
                if !m.is_empty() {
                    s.push('，');
                    s.push_str(rng.pick(m));
                    s.push_str(if rng.chance(0.5) { "等相关专业" } else { "相关专业优先" });
                }
            }
            None => {
                s.push_str(if rng.chance(0.5) { "学历不限" } else { "学历不限，有相关经验者优先" })
            }
        }
        lines[k] = Some(Cow::Owned(s));
        k += 1;
    }
    if rng.chance(0.85) {
        let mut s = String::with_capacity(48);
        match p.exp {
            Exp::Any => s.push_str(rng.pick(&["经验不限，欢迎优秀应届毕业生", "无经验可培训", "有相关工作经验者优先"])),
            Exp::Fresh => s.push_str(rng.pick(&["应届毕业生优先", "接受应届毕业生及实习生", "欢迎应届生投递"])),
            e => {
                push_u(&mut s, e.years());
                s.push_str("年以上");
                s.push_str(p.base_title);
                s.push_str("相关工作经验");
                if e >= Exp::Y5to10 && rng.chance(0.5) {
                    s.push_str("，有团队管理经验者优先");
                }
            }
        }
        lines[k] = Some(Cow::Owned(s));
        k += 1;
    }
    // Consecutive entries from a random start: distinct lines without bookkeeping.
    for (pool, n) in [(skills(segment), n_skills.min(3)), (SOFT_SKILLS, n_soft.min(2))] {
        let first = rng.below(pool.len());
        for j in 0..n.min(pool.len()) {
            lines[k] = Some(Cow::Borrowed(pool[(first + j) % pool.len()]));
            k += 1;
        }
    }
    out.push(rng.pick(REQ_HEADERS));
    out.sep();
    let mut item = 1;
    let last = lines[..k]
        .iter()
        .rposition(|l| l.as_ref().is_some_and(|l| out.chars + l.chars().count() + 6 <= MAX_CHARS.saturating_sub(40)));
    for (j, l) in lines[..k].iter().enumerate() {
        let Some(l) = l else { continue };
        // Leave room for benefits; drop what does not fit.
        if out.chars + l.chars().count() + 6 > MAX_CHARS.saturating_sub(40) {
            continue;
        }
        number(out, item);
        out.push(l);
        end_item(rng, out, Some(j) >= last);
        item += 1;
    }
}

fn benefits(rng: &mut Rng, out: &mut Out<'_>, segment: Segment) {
    let header = rng.pick(BENEFIT_HEADERS);
    let extra: &[&str] = match segment {
        Segment::Tech => BENEFITS_TECH,
        Segment::Service | Segment::Blue => BENEFITS_WORKER,
        Segment::Sales => BENEFITS_SALES,
        _ => &[],
    };
    let joiner = rng.pick(&["、", "，", " ", ","]);
    let n = rng.between(3, 7) as usize;
    let mut s = String::with_capacity(96);
    s.push_str(header);
    let (mut used, mut count) = (0u64, 0);
    for _ in 0..n * 2 {
        if count == n {
            break;
        }
        // Segment extras come first half the time, as boards list the selling points first.
        let from_extra = !extra.is_empty() && rng.chance(0.4);
        let (list, offset) = if from_extra { (extra, 32) } else { (BENEFITS, 0) };
        let i = rng.below(list.len());
        if used & (1 << (i + offset)) != 0 {
            continue;
        }
        used |= 1 << (i + offset);
        if count > 0 {
            s.push_str(joiner);
        }
        s.push_str(list[i]);
        count += 1;
    }
    if out.room() > s.chars().count() {
        out.push(&s);
    }
}

fn place(rng: &mut Rng, out: &mut Out<'_>, p: &DescParts<'_>) {
    let mut s = String::with_capacity(48);
    s.push_str(if rng.chance(0.7) { "工作地点：" } else { "上班地址：" });
    s.push_str(p.city);
    s.push('市');
    if let Some(d) = p.district {
        s.push_str(d);
    }
    s.push_str(rng.pick(ADDRESS_AREAS));
    line(out, &s);
}
