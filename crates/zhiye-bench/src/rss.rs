//! Peak resident memory per measured segment, from `/proc` (Linux).
//!
//! Writing `5` to `/proc/self/clear_refs` resets the process's high-water mark
//! (`VmHWM`) to its current resident size, so the mark read after a segment is
//! the segment's own peak. Resetting also erases the process peak, so the
//! largest mark seen is kept here. Elsewhere every figure is `None`.

use std::path::Path;

/// Tracks peaks across segments.
#[derive(Debug)]
pub(crate) struct RssMeter {
    /// Whether the kernel let us reset the mark (otherwise a segment's peak
    /// is the process peak so far).
    resettable: bool,
    /// Largest mark seen, bytes.
    process_peak: Option<u64>,
}

/// A segment's memory: resident size at its start and its peak, bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) start: Option<u64>,
    pub(crate) peak: Option<u64>,
}

impl RssMeter {
    pub(crate) fn new() -> RssMeter {
        // The mark before the first reset covers start-up.
        let process_peak = read_status().map(|s| s.hwm);
        let resettable = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        RssMeter { resettable, process_peak }
    }

    pub(crate) fn resettable(&self) -> bool {
        self.resettable
    }

    /// Starts a segment; returns the resident size now.
    pub(crate) fn start(&mut self) -> Option<u64> {
        self.observe();
        if self.resettable {
            self.resettable = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        }
        read_status().map(|s| s.rss)
    }

    /// Ends a segment begun with [`RssMeter::start`]: its peak, never below
    /// its start (the kernel's resident counts are approximate by a few pages
    /// per thread, so the mark read may be).
    pub(crate) fn stop(&mut self, start: Option<u64>) -> Segment {
        let peak = self.observe().map(|p| start.map_or(p, |s| p.max(s)));
        Segment { start, peak }
    }

    /// The process's peak over every segment and between them.
    pub(crate) fn process_peak(&mut self) -> Option<u64> {
        self.observe();
        self.process_peak
    }

    fn observe(&mut self) -> Option<u64> {
        let hwm = read_status().map(|s| s.hwm)?;
        self.process_peak = Some(self.process_peak.map_or(hwm, |p| p.max(hwm)));
        Some(hwm)
    }
}

struct Status {
    hwm: u64,
    rss: u64,
}

fn read_status() -> Option<Status> {
    let text = std::fs::read_to_string(Path::new("/proc/self/status")).ok()?;
    Some(Status { hwm: field_kb(&text, "VmHWM:")? * 1024, rss: field_kb(&text, "VmRSS:")? * 1024 })
}

/// The value of a `Name:   1234 kB` line.
fn field_kb(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_lines() {
        let s = "Name:\tzhiye\nVmHWM:\t  123456 kB\nVmRSS:\t    2048 kB\n";
        assert_eq!(field_kb(s, "VmHWM:"), Some(123_456));
        assert_eq!(field_kb(s, "VmRSS:"), Some(2048));
        assert_eq!(field_kb(s, "VmSwap:"), None);
    }

    #[test]
    fn a_segment_sees_its_own_allocation() {
        let mut meter = RssMeter::new();
        if read_status().is_none() {
            return; // not Linux
        }
        let start = meter.start();
        let big = vec![1u8; 64 << 20];
        std::hint::black_box(&big);
        let seg = meter.stop(start);
        drop(big);
        assert!(seg.peak.unwrap() >= seg.start.unwrap() + (60 << 20), "{seg:?}");
        assert!(meter.process_peak().unwrap() >= seg.peak.unwrap());
    }
}
