//! Market segments: the kind of labour market an occupation belongs to, and
//! the distributions that differ between them.

/// Kind of labour market an occupation belongs to; drives platforms,
/// cities, experience, education, pay slope and the wording of postings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Software, data, IT services.
    Tech,
    /// Engineering other than IT.
    Engineer,
    /// Research, health and teaching professionals.
    Science,
    /// Clerical, finance, legal, design, media.
    Office,
    /// Managers and officials.
    Manager,
    /// Sales and commercial agents.
    Sales,
    /// Personal and consumer services.
    Service,
    /// Manufacturing, construction, transport, farming.
    Blue,
}

impl Segment {
    pub(crate) const ALL: [Segment; 8] = [
        Segment::Tech,
        Segment::Engineer,
        Segment::Science,
        Segment::Office,
        Segment::Manager,
        Segment::Sales,
        Segment::Service,
        Segment::Blue,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn params(self) -> &'static SegmentParams {
        &SEGMENT_PARAMS[self.index()]
    }
}

/// Per-segment distributions. Orders: experience as [`crate::fields::Exp`],
/// education as [`crate::fields::Edu`], platforms as [`crate::fields::Platform`],
/// tiers as [`crate::tables::Tier`].
#[derive(Debug)]
pub(crate) struct SegmentParams {
    pub exp: [f64; 7],
    pub edu: [f64; 8],
    pub platforms: [f64; 6],
    pub tiers: [f64; 4],
    /// Scales the experience pay premium (blue-collar pay is flatter).
    pub exp_slope: f64,
    /// Chance that pay includes a 13th+ month (·13薪).
    pub bonus_months: f64,
    /// Mass hiring: head-counts of 10–50 are common.
    pub mass_hiring: bool,
}

static SEGMENT_PARAMS: [SegmentParams; 8] = [
    // Tech: experienced, bachelor's, BOSS直聘 and 拉勾, first-tier cities.
    SegmentParams {
        exp: [15., 5., 4., 30., 30., 14., 2.],
        edu: [8., 0., 0., 1., 22., 60., 8., 1.],
        platforms: [18., 15., 16.5, 17., 15., 5.],
        tiers: [50., 33., 13., 4.],
        exp_slope: 1.0,
        bonus_months: 0.35,
        mass_hiring: false,
    },
    // Engineer: bachelor's or 大专, 智联 and 前程无忧, spread over tiers.
    SegmentParams {
        exp: [20., 6., 5., 30., 25., 12., 2.],
        edu: [10., 0., 1., 5., 38., 40., 5., 1.],
        platforms: [26., 24., 13.2, 3., 10., 13.],
        tiers: [25., 35., 28., 12.],
        exp_slope: 0.9,
        bonus_months: 0.2,
        mass_hiring: false,
    },
    // Science: the most master's and doctor's degrees.
    SegmentParams {
        exp: [18., 8., 5., 28., 25., 13., 3.],
        edu: [5., 0., 0., 3., 25., 45., 18., 4.],
        platforms: [30., 25., 11., 2., 13., 10.],
        tiers: [30., 35., 25., 10.],
        exp_slope: 0.9,
        bonus_months: 0.15,
        mass_hiring: false,
    },
    // Office: 大专 or 本科, 1–3 years.
    SegmentParams {
        exp: [25., 6., 6., 32., 20., 9., 2.],
        edu: [12., 0., 1., 4., 37., 41., 4., 1.],
        platforms: [28., 25., 13.8, 3., 9., 10.],
        tiers: [32., 35., 23., 10.],
        exp_slope: 0.8,
        bonus_months: 0.18,
        mass_hiring: false,
    },
    // Manager: 5–10 years and more, 猎聘 strong, 面议 frequent.
    SegmentParams {
        exp: [8., 0., 0., 5., 30., 42., 15.],
        edu: [15., 0., 1., 2., 30., 43., 8., 1.],
        platforms: [20., 20., 9.9, 2., 35., 5.],
        tiers: [40., 35., 18., 7.],
        exp_slope: 0.8,
        bonus_months: 0.25,
        mass_hiring: false,
    },
    // Sales: experience rarely required, 58同城 strong, all tiers.
    SegmentParams {
        exp: [45., 8., 10., 25., 9., 3., 0.5],
        edu: [40., 3., 12., 10., 27., 8., 0., 0.],
        platforms: [24., 18., 12.1, 2., 3., 31.],
        tiers: [22., 33., 28., 17.],
        exp_slope: 0.55,
        bonus_months: 0.05,
        mass_hiring: true,
    },
    // Service: no requirements, 58同城 and BOSS, flat pay.
    SegmentParams {
        exp: [50., 6., 12., 22., 7., 2.5, 0.5],
        edu: [48., 8., 16., 12., 14., 2., 0., 0.],
        platforms: [18., 12., 13.8, 0.3, 0.5, 44.],
        tiers: [20., 32., 28., 20.],
        exp_slope: 0.45,
        bonus_months: 0.03,
        mass_hiring: true,
    },
    // Blue: no requirements, low degrees, 58同城, third-tier cities too.
    SegmentParams {
        exp: [52., 6., 10., 22., 8., 2., 0.5],
        edu: [45., 14., 17., 15., 8., 1., 0., 0.],
        platforms: [15., 15., 12.1, 0.1, 0.5, 47.],
        tiers: [15., 30., 30., 25.],
        exp_slope: 0.4,
        bonus_months: 0.03,
        mass_hiring: true,
    },
];
