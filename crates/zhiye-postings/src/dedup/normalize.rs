//! Normalisation of the fields of a de-duplication key: [`normalize_company`]
//! (legal forms, trade words, regions), [`normalize_title`] (bracketed board
//! noise, punctuation, case) and [`normalize_city`]. Each writes into the
//! caller's buffer and allocates nothing else.

use zhiye_text::normalize::is_ideograph_letter;

/// Legal forms and generic trade words stripped from the end of a company
/// name, longest first so that `股份有限公司` wins over `有限公司` and
/// `网络科技` over `科技`. Latin forms are spelled as they are after spaces and
/// punctuation are gone (`Co., Ltd.` → `coltd`). The industry words are the
/// ones that vary between listings of one employer (`科技` vs `网络技术`);
/// words that tell trades apart (`餐饮管理`, `贸易`) are kept.
pub(super) const COMPANY_SUFFIXES: &[&str] = &[
    "有限责任公司",
    "股份有限公司",
    "网络科技",
    "网络技术",
    "信息技术",
    "信息科技",
    "有限公司",
    "股份公司",
    "corporation",
    "分公司",
    "办事处",
    "总公司",
    "limited",
    "公司",
    "集团",
    "控股",
    "科技",
    "技术",
    "分店",
    "coltd",
    "group",
    "corp",
    "gmbh",
    "ltd",
    "inc",
    "llc",
];

/// Suffixes after which a trailing place names a branch (`…有限公司深圳分公司`).
const BRANCH_SUFFIXES: &[&str] = &["分公司", "办事处", "分店"];

/// Places recognised in brackets (`字节跳动（北京）科技有限公司`): the
/// provincial-level divisions and the larger cities. A bracketed name ending in
/// 市 or 省 counts as a place too.
const REGIONS: &[&str] = &[
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
    "广州",
    "深圳",
    "成都",
    "杭州",
    "武汉",
    "西安",
    "苏州",
    "南京",
    "长沙",
    "郑州",
    "东莞",
    "青岛",
    "沈阳",
    "宁波",
    "昆明",
    "合肥",
    "佛山",
    "福州",
    "无锡",
    "厦门",
    "济南",
    "大连",
    "哈尔滨",
    "温州",
    "南宁",
    "长春",
    "泉州",
    "石家庄",
    "贵阳",
    "南昌",
    "金华",
    "常州",
    "南通",
    "嘉兴",
    "太原",
    "徐州",
    "惠州",
    "珠海",
    "中山",
    "台州",
    "烟台",
    "兰州",
    "绍兴",
    "海口",
    "潍坊",
    "保定",
    "镇江",
    "洛阳",
    "乌鲁木齐",
    "呼和浩特",
    "银川",
    "西宁",
    "芜湖",
    "襄阳",
    "宜昌",
    "赣州",
    "桂林",
    "江门",
    "湖州",
    "盐城",
    "扬州",
    "廊坊",
    "临沂",
    "绵阳",
    "唐山",
    "淄博",
    "汕头",
    "湛江",
    "柳州",
    "株洲",
    "岳阳",
    "九江",
    "泰州",
    "连云港",
    "淮安",
    "宿迁",
    "威海",
    "济宁",
    "德州",
    "邯郸",
    "沧州",
    "大庆",
    "鞍山",
    "包头",
    "三亚",
    "拉萨",
    "漳州",
    "莆田",
    "揭阳",
    "肇庆",
    "清远",
    "韶关",
    "茂名",
    "宜宾",
    "南充",
    "泸州",
    "遵义",
    "曲靖",
    "蚌埠",
    "阜阳",
    "安庆",
    "马鞍山",
    "滁州",
    "衢州",
    "丽水",
    "舟山",
    "上饶",
    "宜春",
    "商丘",
    "南阳",
    "新乡",
    "许昌",
    "开封",
    "宝鸡",
    "咸阳",
    "榆林",
    "鄂尔多斯",
];

/// Longest bracketed part (in characters) that is dropped as a tag; a longer
/// one is text in parentheses, kept. Also bounds the look-ahead for the
/// closing bracket, so cleaning stays linear on malformed input.
const MAX_BRACKETED: usize = 40;

/// Full width → half width, ideographic space → space; everything else kept.
#[inline]
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Whether `c` (folded) opens a bracketed tag. `《》「」『』〈〉` are quotes
/// around names (`《王者荣耀》运营`), not tags: their content is kept.
#[inline]
fn is_open(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '【' | '〔' | '〖')
}

/// Whether `c` (folded) closes a bracketed tag; any closer matches any opener,
/// since boards mix `（双休)`.
#[inline]
fn is_close(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '】' | '〕' | '〗')
}

/// Whether `c` is a CJK ideograph.
#[inline]
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Byte length of the bracketed part opening at the start of `s` (opener
/// included), if it closes within [`MAX_BRACKETED`] characters.
fn bracketed_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (n, (i, c)) in s.char_indices().enumerate() {
        if n > MAX_BRACKETED + 1 {
            return None;
        }
        let f = fold(c);
        if is_open(f) {
            depth += 1;
        } else if is_close(f) {
            depth -= 1;
            if depth == 0 {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// Appends the key characters of `s` to `out`: folded, lower case, letters and
/// digits only (`+` and `#` after a Latin letter, digit, `+` or `#`, for `C++`
/// and `C#`). With `drop_brackets`, bracketed parts are skipped and each one's
/// content (between the brackets) is handed to `bracket`.
fn push_key_chars<'s>(s: &'s str, out: &mut String, drop_brackets: bool, mut bracket: impl FnMut(&'s str)) {
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let f = fold(c);
        if drop_brackets
            && is_open(f)
            && let Some(len) = bracketed_len(&s[i..])
        {
            let content = &s[i + c.len_utf8()..i + len];
            let close = content.chars().next_back().map_or(0, char::len_utf8);
            bracket(&content[..content.len() - close]);
            i += len;
            continue;
        }
        i += c.len_utf8();
        if !push_lower_alphanumeric(f, out)
            && (f == '+' || f == '#')
            && out.chars().next_back().is_some_and(|p| p.is_ascii_alphanumeric() || p == '+' || p == '#')
        {
            out.push(f);
        }
    }
}

/// Pushes `c` in lower case if it is a letter or digit, and says whether it
/// was. Ideographs, most of a Chinese name, have no case: they skip the
/// Unicode tables, whose search was a few percent of a run.
#[inline]
fn push_lower_alphanumeric(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        let keep = c.is_ascii_alphanumeric();
        if keep {
            out.push(c.to_ascii_lowercase());
        }
        keep
    } else if is_ideograph_letter(c) {
        out.push(c);
        true
    } else if c.is_alphanumeric() {
        out.extend(c.to_lowercase());
        true
    } else {
        false
    }
}

/// Key characters of `s` into `out` with bracketed parts dropped, or kept
/// when nothing is left outside them (`【急招】` alone is still a title).
fn key_chars_into<'s>(s: &'s str, out: &mut String, bracket: impl FnMut(&'s str)) {
    out.clear();
    out.reserve(s.len());
    push_key_chars(s, out, true, bracket);
    if out.is_empty() {
        push_key_chars(s, out, false, |_| {});
    }
}

/// The place named by a bracketed part of a company name, if it is one
/// (`（北京）`, `(深圳市)`): a listed region, or a Chinese name ending in 市/省.
fn bracket_region(content: &str) -> Option<&str> {
    let t = content.trim();
    let stem = t.strip_suffix(['市', '省']).unwrap_or(t);
    if let Some(r) = REGIONS.iter().find(|&&r| r == stem) {
        return Some(r);
    }
    let n = stem.chars().count();
    (stem.len() < t.len() && (2..=4).contains(&n) && stem.chars().all(is_han)).then_some(stem)
}

/// Removes the 市 or 省 after a leading place of two to four Chinese characters
/// (`深圳市华智` → `深圳华智`), so that the registered form and the bracketed
/// form (`华智（深圳）`) meet. Any such prefix qualifies: the rule is applied to
/// every copy of a name alike, so it cannot split a vacancy.
fn drop_leading_admin(out: &mut String) {
    let Some((n, (i, c))) = out.char_indices().enumerate().take(5).find(|(_, (_, c))| matches!(c, '市' | '省'))
    else {
        return;
    };
    let end = i + c.len_utf8();
    if n >= 2 && end < out.len() && out[..i].chars().all(is_han) {
        out.replace_range(i..end, "");
    }
}

/// Drops a trailing place name (a listed region, optionally with 市/省), if it
/// leaves something.
fn strip_trailing_region(out: &mut String) {
    let t = out.strip_suffix(['市', '省']).unwrap_or(out);
    if let Some(r) = REGIONS.iter().find(|&&r| t.len() > r.len() && t.ends_with(r)) {
        let keep = t.len() - r.len();
        out.truncate(keep);
    }
}

/// Normalises a company name into `out` (cleared first) for [`dedup_key`](super::dedup_key):
///
/// 1. Full width → half width, Latin lower case; spaces, punctuation and
///    bracketed parts dropped (`（北京）`, `(有限合伙)`). A name that is all
///    brackets keeps their content.
/// 2. The longest matching suffix is stripped from the end, repeatedly, until
///    none matches or the match is the whole remaining name, which is kept:
///    never empty. Suffixes: legal forms (`有限责任公司`, `股份有限公司`,
///    `有限公司`, `股份公司`, `总公司`, `分公司`, `办事处`, `分店`, `公司`,
///    `集团`, `控股`; `co., ltd.`, `ltd`, `limited`, `inc`, `llc`, `corp`,
///    `corporation`, `gmbh`, `group`) and the trade words one employer varies
///    (`网络科技`, `网络技术`, `信息技术`, `信息科技`, `科技`, `技术`).
///    A branch's place is stripped with it (`…有限公司深圳分公司` → `…`).
/// 3. The place: a leading `北京市` loses its 市 (and `广东省` its 省); a place
///    in brackets that was dropped in step 1 is put in front, unless the name
///    already starts with it, so `字节跳动（北京）科技有限公司` and
///    `北京字节跳动科技有限公司` both give `北京字节跳动`.
///
/// Allocates nothing once `out` has the capacity of `name`.
pub fn normalize_company(name: &str, out: &mut String) {
    let mut region: Option<&str> = None;
    key_chars_into(name, out, |content| {
        if region.is_none() {
            region = bracket_region(content);
        }
    });
    while let Some(suffix) = COMPANY_SUFFIXES.iter().find(|s| out.ends_with(*s)) {
        if suffix.len() == out.len() {
            break;
        }
        out.truncate(out.len() - suffix.len());
        if BRANCH_SUFFIXES.contains(suffix) {
            strip_trailing_region(out);
        }
    }
    drop_leading_admin(out);
    if let Some(r) = region
        && !out.starts_with(r)
    {
        // Fits in the capacity reserved for `name`: the brackets around `r` were dropped.
        out.insert_str(0, r);
    }
}

/// Normalises a job title into `out` (cleared first) for [`dedup_key`](super::dedup_key): full
/// width → half width, lower case, spaces, punctuation and bracketed tags
/// dropped (`【急招】Java开发工程师（双休）` → `java开发工程师`). `+` and `#` stay
/// after Latin letters (`c++`, `c#`). Recruiting words outside brackets
/// (`急聘-`) stay: the de-duplicator only needs every copy of a title to agree.
///
/// Allocates nothing once `out` has the capacity of `title`.
pub fn normalize_title(title: &str, out: &mut String) {
    key_chars_into(title, out, |_| {});
}

/// Whether `c` (folded) separates a city from its district (`上海-浦东新区`,
/// `北京·海淀区`, `深圳 南山区`, `杭州/西湖区`, `北京(海淀)`).
#[inline]
fn is_city_separator(c: char) -> bool {
    matches!(c, '-' | '·' | '・' | '•' | '/' | '\\' | '|' | ',' | '、' | '(' | '[' | '【' | '—' | '–' | '_')
        || c.is_whitespace()
}

/// Normalises a city into `out` (cleared first) for [`dedup_key`](super::dedup_key): the part
/// before the first separator (`-·/`, space, comma, bracket), folded and lower
/// case, punctuation dropped; a leading province (`广东省深圳市` → `深圳市`,
/// `…自治区`) is skipped, then the name is cut at a 市 that is not its first
/// character (`上海市`, `上海市浦东新区` → `上海`), and a trailing 省 is
/// stripped (`广东省` → `广东`).
///
/// Allocates nothing once `out` has the capacity of `city`.
pub fn normalize_city(city: &str, out: &mut String) {
    out.clear();
    out.reserve(city.len());
    let t = city.trim_start_matches(|c| is_city_separator(fold(c)));
    for c in t.chars().map(fold) {
        if is_city_separator(c) {
            break;
        }
        push_lower_alphanumeric(c, out);
    }
    for province in ["省", "自治区"] {
        if let Some(i) = out.find(province)
            && i > 0
            && i + province.len() < out.len()
        {
            out.replace_range(..i + province.len(), "");
        }
    }
    if let Some(i) = out.find('市')
        && i > 0
    {
        out.truncate(i);
    }
    if out.len() > '省'.len_utf8() && out.ends_with('省') {
        out.truncate(out.len() - '省'.len_utf8());
    }
}

#[cfg(test)]
mod tests {
    use super::push_lower_alphanumeric;

    /// The shortcut for ideographs and ASCII is the standard test and case
    /// mapping, for every character.
    #[test]
    fn lower_alphanumeric_is_the_standard_one() {
        let mut got = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            got.clear();
            let kept = push_lower_alphanumeric(c, &mut got);
            let want: String = if c.is_alphanumeric() { c.to_lowercase().collect() } else { String::new() };
            assert_eq!((kept, got.as_str()), (c.is_alphanumeric(), want.as_str()), "{c:?}");
        }
    }
}
