//! [`OccupationYear`]: postings and vacancies per occupation × year, as group
//! state in flat vectors indexed by occupation, mergeable across threads. The
//! main pass counts with it; the published tables must reconcile with it.
//!
//! It is `serde`-serializable (e.g. as JSON, one per partition) as
//! `{"occupations": n, "blocks": [{"year", "postings", "vacancies",
//! "duplicates"}, …]}`, blocks in increasing year order (no year first), each
//! vector `n + 1` long; deserializing checks both.

/// Counts for one year (or for postings without a date: `year == None`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct YearBlock {
    year: Option<i32>,
    /// Indexed by occupation; the last slot is "unclassified".
    postings: Vec<u64>,
    vacancies: Vec<u64>,
    duplicates: Vec<u64>,
}

/// Postings and vacancies per occupation × year. Occupations are numbered
/// `0..occupations` (the classifier's document order); unclassified postings
/// are counted too, so that totals reconcile with the input.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "UncheckedOccupationYear")]
pub struct OccupationYear {
    occupations: usize,
    /// In increasing year order (`None` first), as the binary search expects.
    blocks: Vec<YearBlock>,
}

/// [`OccupationYear`] as read, before its invariants are checked.
#[derive(serde::Deserialize)]
struct UncheckedOccupationYear {
    occupations: usize,
    blocks: Vec<YearBlock>,
}

impl TryFrom<UncheckedOccupationYear> for OccupationYear {
    type Error = String;

    fn try_from(u: UncheckedOccupationYear) -> Result<OccupationYear, String> {
        let slots = u.occupations.checked_add(1).ok_or("too many occupations")?;
        for b in &u.blocks {
            for (name, v) in [("postings", &b.postings), ("vacancies", &b.vacancies), ("duplicates", &b.duplicates)] {
                if v.len() != slots {
                    return Err(format!(
                        "year {:?}: {} {name} counts for {} occupations (expected {slots}, the last for unclassified)",
                        b.year,
                        v.len(),
                        u.occupations
                    ));
                }
            }
        }
        if let Some(w) = u.blocks.windows(2).find(|w| w[0].year >= w[1].year) {
            return Err(format!("year blocks out of order: {:?} before {:?}", w[0].year, w[1].year));
        }
        Ok(OccupationYear { occupations: u.occupations, blocks: u.blocks })
    }
}

/// One output row of [`OccupationYear::rows`].
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OccupationYearRow {
    /// Occupation number, `None` for unclassified postings.
    pub occupation: Option<usize>,
    /// Year, `None` for postings without a date.
    pub year: Option<i32>,
    /// Postings.
    pub postings: u64,
    /// Vacancies (Σ head-count of the postings that are not reposts).
    pub vacancies: u64,
    /// Postings that repost a vacancy counted elsewhere.
    pub duplicates: u64,
    /// Share of the year's vacancies.
    pub vacancy_share: f64,
}

impl OccupationYear {
    /// Empty counts for `occupations` occupations.
    pub fn new(occupations: usize) -> OccupationYear {
        OccupationYear { occupations, blocks: Vec::new() }
    }

    fn block(&mut self, year: Option<i32>) -> &mut YearBlock {
        let pos = match self.blocks.binary_search_by(|b| b.year.cmp(&year)) {
            Ok(i) => i,
            Err(i) => {
                let n = self.occupations + 1;
                self.blocks
                    .insert(i, YearBlock { year, postings: vec![0; n], vacancies: vec![0; n], duplicates: vec![0; n] });
                i
            }
        };
        &mut self.blocks[pos]
    }

    /// Counts one posting; a repost (`duplicate`) adds no vacancies.
    #[inline]
    pub fn add(&mut self, occupation: Option<usize>, year: Option<i32>, vacancies: u32, duplicate: bool) {
        let slot = occupation.filter(|&o| o < self.occupations).unwrap_or(self.occupations);
        let b = self.block(year);
        b.postings[slot] += 1;
        if duplicate {
            b.duplicates[slot] += 1;
        } else {
            b.vacancies[slot] += u64::from(vacancies);
        }
    }

    /// Adds another partial count (from another thread or partition).
    pub fn merge(&mut self, other: &OccupationYear) {
        assert_eq!(self.occupations, other.occupations, "merging counts of different taxonomies");
        for ob in &other.blocks {
            let b = self.block(ob.year);
            for (a, x) in b.postings.iter_mut().zip(&ob.postings) {
                *a += x;
            }
            for (a, x) in b.vacancies.iter_mut().zip(&ob.vacancies) {
                *a += x;
            }
            for (a, x) in b.duplicates.iter_mut().zip(&ob.duplicates) {
                *a += x;
            }
        }
    }

    /// Total postings counted.
    pub fn total_postings(&self) -> u64 {
        self.blocks.iter().flat_map(|b| &b.postings).sum()
    }

    /// Unclassified postings counted.
    pub fn unclassified_postings(&self) -> u64 {
        self.blocks.iter().map(|b| b.postings[self.occupations]).sum()
    }

    /// Non-empty rows, by year then occupation (unclassified last).
    pub fn rows(&self) -> impl Iterator<Item = OccupationYearRow> + '_ {
        self.blocks.iter().flat_map(move |b| {
            let total: u64 = b.vacancies.iter().sum();
            (0..=self.occupations).filter(move |&o| b.postings[o] > 0).map(move |o| OccupationYearRow {
                occupation: (o < self.occupations).then_some(o),
                year: b.year,
                postings: b.postings[o],
                vacancies: b.vacancies[o],
                duplicates: b.duplicates[o],
                vacancy_share: if total > 0 { b.vacancies[o] as f64 / total as f64 } else { 0.0 },
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_merge_like_a_naive_reference() {
        // Pseudo-random postings, split over two partial counts, against a map.
        let mut a = OccupationYear::new(5);
        let mut b = OccupationYear::new(5);
        let mut naive = std::collections::BTreeMap::new();
        let mut x = 12345u64;
        for i in 0..10_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let occ = ((x >> 33) % 6) as usize; // 5 = unclassified
            let year = if (x >> 20).is_multiple_of(50) { None } else { Some(2017 + ((x >> 40) % 6) as i32) };
            let vac = 1 + ((x >> 50) % 3) as u32;
            let o = (occ < 5).then_some(occ);
            let dup = (x >> 45).is_multiple_of(7);
            if i % 2 == 0 { &mut a } else { &mut b }.add(o, year, vac, dup);
            let e = naive.entry((year, occ)).or_insert((0u64, 0u64, 0u64));
            e.0 += 1;
            if dup {
                e.2 += 1;
            } else {
                e.1 += u64::from(vac);
            }
        }
        a.merge(&b);
        assert_eq!(a.total_postings(), 10_000);
        let got: Vec<_> =
            a.rows().map(|r| ((r.year, r.occupation.unwrap_or(5)), (r.postings, r.vacancies, r.duplicates))).collect();
        let want: Vec<_> = naive.into_iter().collect();
        assert_eq!(got, want);
        for year in [Some(2017), None] {
            let s: f64 = a.rows().filter(|r| r.year == year).map(|r| r.vacancy_share).sum();
            assert!((s - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn counts_round_trip_through_json() {
        let mut a = OccupationYear::new(3);
        a.add(Some(1), Some(2021), 2, false);
        a.add(None, Some(2020), 1, false);
        a.add(Some(2), None, 4, false);
        a.add(Some(1), Some(2021), 2, true);
        let json = serde_json::to_string(&a).unwrap();
        let back: OccupationYear = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        // Still a working count: merging and adding find the same blocks.
        let mut merged = back.clone();
        merged.merge(&a);
        merged.add(Some(0), Some(2020), 1, false);
        assert_eq!(merged.total_postings(), 2 * a.total_postings() + 1);
        assert_eq!(merged.rows().count(), a.rows().count() + 1);
        let rows: Vec<OccupationYearRow> = a.rows().collect();
        let back: Vec<OccupationYearRow> = serde_json::from_str(&serde_json::to_string(&rows).unwrap()).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn json_that_breaks_the_invariants_is_rejected() {
        let block = |year: &str, n: usize| {
            let v = vec!["0"; n].join(",");
            format!(r#"{{"year":{year},"postings":[{v}],"vacancies":[{v}],"duplicates":[{v}]}}"#)
        };
        let doc = |blocks: &[String]| format!(r#"{{"occupations":2,"blocks":[{}]}}"#, blocks.join(","));
        assert!(serde_json::from_str::<OccupationYear>(&doc(&[block("null", 3), block("2020", 3)])).is_ok());
        let short = serde_json::from_str::<OccupationYear>(&doc(&[block("2020", 2)])).unwrap_err();
        assert!(short.to_string().contains("expected 3"), "{short}");
        let unsorted = serde_json::from_str::<OccupationYear>(&doc(&[block("2021", 3), block("2020", 3)]));
        assert!(unsorted.unwrap_err().to_string().contains("out of order"));
        let twice = serde_json::from_str::<OccupationYear>(&doc(&[block("2020", 3), block("2020", 3)]));
        assert!(twice.is_err());
    }
}
