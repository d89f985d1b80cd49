//! The canonical posting schema: what every import produces and every stage reads.

use std::sync::{Arc, LazyLock};

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Column names of the canonical posting schema, in order.
pub mod col {
    /// Unique id within the corpus (string: platforms use their own id formats).
    pub const POSTING_ID: &str = "posting_id";
    /// Job board, e.g. `zhilian`, `boss`, `51job`.
    pub const PLATFORM: &str = "platform";
    /// Date the posting was published (Date32).
    pub const POSTED_AT: &str = "posted_at";
    /// Job title as posted.
    pub const TITLE: &str = "title";
    /// Full description (岗位职责 / 任职要求 …).
    pub const DESCRIPTION: &str = "description";
    /// Employer name.
    pub const COMPANY: &str = "company";
    /// City of the job.
    pub const CITY: &str = "city";
    /// Employer's industry as given by the board.
    pub const INDUSTRY: &str = "industry";
    /// Salary as posted, e.g. `8千-1.2万·13薪`.
    pub const SALARY_TEXT: &str = "salary_text";
    /// Experience requirement as posted, e.g. `3-5年`.
    pub const EXPERIENCE_TEXT: &str = "experience_text";
    /// Education requirement as posted, e.g. `本科`.
    pub const EDUCATION_TEXT: &str = "education_text";
    /// Head-count as posted, e.g. `招3人`, `若干`.
    pub const HEADCOUNT_TEXT: &str = "headcount_text";
    /// Known OCD code, for evaluation on synthetic or labelled data; null otherwise.
    pub const TRUE_CODE: &str = "true_code";
}

static POSTING_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        text(col::POSTING_ID, false),
        text(col::PLATFORM, false),
        Field::new(col::POSTED_AT, DataType::Date32, true),
        text(col::TITLE, true),
        text(col::DESCRIPTION, true),
        text(col::COMPANY, true),
        text(col::CITY, true),
        text(col::INDUSTRY, true),
        text(col::SALARY_TEXT, true),
        text(col::EXPERIENCE_TEXT, true),
        text(col::EDUCATION_TEXT, true),
        text(col::HEADCOUNT_TEXT, true),
        text(col::TRUE_CODE, true),
    ]))
});

/// The canonical posting schema.
pub fn posting_schema() -> SchemaRef {
    POSTING_SCHEMA.clone()
}
