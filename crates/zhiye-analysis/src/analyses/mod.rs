//! Medium-level analyses that join exposure to labour-market outcomes, each
//! returning a table-ready struct and the points for a chart.
//!
//! - [`relate`]: exposure against an outcome per class (wages, the experience
//!   premium, vacancy shares, share growth; the paper's Figs. 3, 4, 8, 9).
//! - [`industry_exposure`]: industries as weighted mixes of occupations (Fig. 6).
//! - [`demographic_exposure`]: groups as weighted mixes of industries (Fig. 7).
//! - [`task_group_exposure`]: composite task groups of occupations (Fig. 5).

mod demographic;
mod industry;
mod relate;
mod task_groups;

pub use demographic::{GroupEmployment, GroupExposure, demographic_exposure, group_table, read_group_industry};
pub use industry::{IndustryExposure, IndustryWeight, industry_exposure, industry_table, read_occupation_industry};
pub use relate::{Relation, RelationPoint, relate};
pub use task_groups::{TaskGroupExposure, TaskGroupMember, read_task_groups, task_group_exposure, task_group_table};
