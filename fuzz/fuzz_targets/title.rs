//! The title cleaner, normalisation and the repost key on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhiye_text::TitleCleaner;
use zhiye_text::normalize::normalize;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let cleaner = TitleCleaner::new(["北京", "上海"], ["急招"], ["北京烤鸭"]).unwrap();
    let _ = cleaner.clean(s);
    let n = normalize(s);
    assert_eq!(normalize(&n), n);
    let _ = zhiye_postings::dedup_key(s, s, s);
});
