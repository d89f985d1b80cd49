//! Descriptive statistics, correlations and least-squares fits over `f64`
//! slices, with the Student-t p-values they need.
//!
//! Every function returns `None` rather than NaN when its result is undefined
//! (too few points, zero variance, a non-finite input), so a missing number is
//! always visible to the caller.

mod correlation;
mod describe;
mod regression;
mod special;

pub use correlation::{Correlation, pearson, ranks, spearman, stars};
pub use describe::{mean, quantile, std_dev, weighted_mean};
pub use regression::{Fit, ols, wls};
pub use special::{beta_inc, ln_gamma, student_t_two_sided_p};

/// Whether every value is finite.
fn all_finite(xs: &[f64]) -> bool {
    xs.iter().all(|x| x.is_finite())
}
