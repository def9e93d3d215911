//! Jurisdiction calendars: public holidays and adjusted working days, kept as
//! data files beside the policies (`calendar/<year>.toml`) so that a new year
//! is added without rebuilding. Working-day counts never guess: a date in a
//! year with no data is an error, not a weekday.
//!
//! [`Policy::load`](crate::Policy::load) reads the calendars beside the
//! policies by itself; [`load_dir`] reads them alone, to ask a calendar
//! directly (`deon calendar` does).
//!
//! ```
//! use std::collections::BTreeMap;
//! use chrono::NaiveDate;
//!
//! let mut calendars = BTreeMap::new();
//! let problems = deon::calendar::load_dir("policies".as_ref(), &mut calendars);
//! assert!(problems.is_empty());
//! let china = &calendars["CN"];
//! // National Day 2024: 1–7 October off, Saturday 12 October worked.
//! let day = |d| NaiveDate::from_ymd_opt(2024, 10, d).unwrap();
//! assert_eq!(china.is_working_day(day(3)), Ok(false));
//! assert_eq!(china.is_working_day(day(12)), Ok(true));
//! assert_eq!(china.roll_forward(day(3)), Ok(day(8)));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use crate::source::Source;

/// A malformed calendar file (code `deon::calendar::invalid`): bad TOML,
/// unknown keys, an adjusted working day that is not a weekend day, a
/// holiday range that runs backwards, or a year given twice. Read it through
/// `Display` and [`miette::Diagnostic`].
///
/// # Examples
///
/// ```
/// use std::collections::BTreeMap;
///
/// let mut calendars = BTreeMap::new();
/// let problems = deon::calendar::load_dir("policies".as_ref(), &mut calendars);
/// // Each problem would be a `deon::Problem::Calendar` (or `Load` for an unreadable file).
/// assert!(problems.iter().all(|p| matches!(p, deon::Problem::Calendar(_) | deon::Problem::Load(_))));
/// ```
#[derive(Debug, Error, Diagnostic, Clone)]
#[error("{message}")]
#[diagnostic(code(deon::calendar::invalid))]
pub struct CalendarError {
    message: String,
    #[source_code]
    src: NamedSource<Arc<str>>,
    #[label("here")]
    span: SourceSpan,
    #[help]
    help: Option<String>,
}

/// What a calendar file holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    jurisdiction: String,
    year: i32,
    notice: String,
    #[serde(default)]
    adjusted_working_days: Vec<toml::value::Datetime>,
    #[serde(default)]
    holiday: Vec<HolidayEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    name: String,
    #[serde(default)]
    name_zh: Option<String>,
    from: toml::value::Datetime,
    to: toml::value::Datetime,
}

/// A named block of days off.
///
/// # Examples
///
/// ```
/// # use std::collections::BTreeMap;
/// # let mut calendars = BTreeMap::new();
/// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
/// # let china = &calendars["CN"];
/// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let holiday = china.holiday_on(day(2024, 10, 3)).unwrap();
/// assert_eq!((holiday.from, holiday.to), (day(2024, 10, 1), day(2024, 10, 7)));
/// assert_eq!(holiday.name, "National Day");
/// assert_eq!(holiday.name_zh.as_deref(), Some("国庆节"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// The holiday's name in English.
    pub name: String,
    /// Its name in Chinese, if the file gives one.
    pub name_zh: Option<String>,
    /// The first day off.
    pub from: NaiveDate,
    /// The last day off.
    pub to: NaiveDate,
}

/// One jurisdiction's calendar, merged from its yearly files.
///
/// # Examples
///
/// ```
/// use std::collections::BTreeMap;
///
/// let mut calendars = BTreeMap::new();
/// deon::calendar::load_dir("policies".as_ref(), &mut calendars);
/// let china = &calendars["CN"];
/// assert_eq!(china.jurisdiction, "CN");
/// assert!(china.years.contains_key(&2026));
/// assert!(!china.holidays.is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    /// The jurisdiction, as the files name it (e.g. `CN`).
    pub jurisdiction: String,
    /// Year → the notice that set it.
    pub years: BTreeMap<i32, String>,
    /// Every holiday, in date order.
    pub holidays: Vec<Holiday>,
    days_off: BTreeSet<NaiveDate>,
    working_weekend_days: BTreeSet<NaiveDate>,
}

/// A working-day question about a year the calendar has no data for: the
/// year.
///
/// # Examples
///
/// ```
/// # use std::collections::BTreeMap;
/// # let mut calendars = BTreeMap::new();
/// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
/// # let china = &calendars["CN"];
/// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// use deon::calendar::MissingYear;
///
/// assert_eq!(china.is_working_day(day(2031, 3, 3)), Err(MissingYear(2031)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingYear(pub i32);

fn date_of(value: &toml::value::Datetime) -> Option<NaiveDate> {
    match (value.date, value.time) {
        (Some(d), None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

impl Calendar {
    /// Adds one year's file to the calendar.
    pub(crate) fn add_file(&mut self, source: &Source) -> Result<(), Box<CalendarError>> {
        let error = |message: String, span: std::ops::Range<usize>, help: Option<&str>| {
            Box::new(CalendarError {
                message,
                src: source.named(),
                span: SourceSpan::new(span.start.into(), span.end.saturating_sub(span.start)),
                help: help.map(str::to_string),
            })
        };
        let file: CalendarFile = toml::from_str(&source.text).map_err(|e| {
            error(
                format!("this calendar file is not valid: {}", e.message()),
                e.span().unwrap_or(0..0),
                Some("see policies/cn/calendar/README.md for the format"),
            )
        })?;
        let whole = 0..source.text.len().min(1);
        if !self.jurisdiction.is_empty()
            && !self.jurisdiction.eq_ignore_ascii_case(&file.jurisdiction)
        {
            return Err(error(
                format!(
                    "this file is for {}, but its folder holds the calendar of {}",
                    file.jurisdiction, self.jurisdiction
                ),
                whole,
                None,
            ));
        }
        if self.years.contains_key(&file.year) {
            return Err(error(
                format!("{} has two calendar files", file.year),
                whole,
                Some("merge them into one"),
            ));
        }
        self.jurisdiction = file.jurisdiction.to_uppercase();
        for day in &file.adjusted_working_days {
            let Some(date) = date_of(day) else {
                return Err(error(
                    format!("{day} is not a date"),
                    whole,
                    Some("write dates as YYYY-MM-DD"),
                ));
            };
            if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(error(
                    format!(
                        "{date} is listed as an adjusted working day but is a {}",
                        date.weekday()
                    ),
                    whole,
                    Some("only Saturdays and Sundays can be adjusted working days"),
                ));
            }
            self.working_weekend_days.insert(date);
        }
        for entry in &file.holiday {
            let (Some(from), Some(to)) = (date_of(&entry.from), date_of(&entry.to)) else {
                return Err(error(
                    format!("the dates of {} are not plain dates", entry.name),
                    whole,
                    Some("write dates as YYYY-MM-DD"),
                ));
            };
            if to < from || (to - from).num_days() > 31 {
                return Err(error(
                    format!(
                        "{} runs from {from} to {to}, which is not a holiday period",
                        entry.name
                    ),
                    whole,
                    None,
                ));
            }
            let mut day = from;
            while day <= to {
                self.days_off.insert(day);
                day = day
                    .checked_add_days(Days::new(1))
                    .unwrap_or(to + Days::new(1));
            }
            self.holidays.push(Holiday {
                name: entry.name.clone(),
                name_zh: entry.name_zh.clone(),
                from,
                to,
            });
        }
        self.holidays.sort_by_key(|h| h.from);
        self.years.insert(file.year, file.notice);
        Ok(())
    }

    /// Everything the calendar says, one item a line, for the policy set's
    /// content hash: the same calendar always gives the same text.
    pub(crate) fn canonical_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = format!("calendar {}\n", self.jurisdiction);
        for (year, notice) in &self.years {
            let _ = writeln!(out, "year {year} {notice:?}");
        }
        for h in &self.holidays {
            let _ = writeln!(
                out,
                "holiday {} {} {:?} {:?}",
                h.from, h.to, h.name, h.name_zh
            );
        }
        for day in &self.days_off {
            let _ = writeln!(out, "off {day}");
        }
        for day in &self.working_weekend_days {
            let _ = writeln!(out, "work {day}");
        }
        out
    }

    /// Whether `date` is a working day; `Err` when its year has no data.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Spring Festival 2021 ran 11–17 February; Saturday 20 February was worked.
    /// assert_eq!(china.is_working_day(day(2021, 2, 11)), Ok(false));
    /// assert_eq!(china.is_working_day(day(2021, 2, 20)), Ok(true));
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, MissingYear> {
        if !self.years.contains_key(&date.year()) {
            return Err(MissingYear(date.year()));
        }
        if self.working_weekend_days.contains(&date) {
            return Ok(true);
        }
        if self.days_off.contains(&date) {
            return Ok(false);
        }
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// Whether `date` is a weekend day that is worked to make up for a
    /// holiday.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert!(china.is_adjusted_working_day(day(2021, 2, 20)));
    /// assert!(!china.is_adjusted_working_day(day(2021, 2, 21)));
    /// ```
    pub fn is_adjusted_working_day(&self, date: NaiveDate) -> bool {
        self.working_weekend_days.contains(&date)
    }

    /// The holiday `date` falls in, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert!(china.holiday_on(day(2024, 10, 1)).is_some());
    /// assert!(china.holiday_on(day(2024, 10, 8)).is_none());
    /// ```
    pub fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays
            .iter()
            .find(|h| h.from <= date && date <= h.to)
    }

    /// The `n`th working day after `date` (the day itself not counted).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Two working days after Wednesday 10 February 2021, before the Spring Festival.
    /// assert_eq!(china.add_working_days(day(2021, 2, 10), 2), Ok(day(2021, 2, 19)));
    /// ```
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, MissingYear> {
        let mut day = date;
        let mut counted = 0;
        while counted < n {
            day = day.succ_opt().ok_or(MissingYear(day.year()))?;
            if self.is_working_day(day)? {
                counted += 1;
            }
        }
        Ok(day)
    }

    /// The `n`th working day before `date` (the day itself not counted): the
    /// mirror of [`Calendar::add_working_days`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(china.sub_working_days(day(2021, 2, 19), 2), Ok(day(2021, 2, 10)));
    /// ```
    pub fn sub_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, MissingYear> {
        let mut day = date;
        let mut counted = 0;
        while counted < n {
            day = day.pred_opt().ok_or(MissingYear(day.year()))?;
            if self.is_working_day(day)? {
                counted += 1;
            }
        }
        Ok(day)
    }

    /// `date` if it is a working day, else the next working day (Civil Code Art. 203).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(china.roll_forward(day(2024, 10, 3)), Ok(day(2024, 10, 8)));
    /// assert_eq!(china.roll_forward(day(2024, 10, 8)), Ok(day(2024, 10, 8)));
    /// ```
    pub fn roll_forward(&self, date: NaiveDate) -> Result<NaiveDate, MissingYear> {
        let mut day = date;
        while !self.is_working_day(day)? {
            day = day.succ_opt().ok_or(MissingYear(day.year()))?;
        }
        Ok(day)
    }
}

impl Calendar {
    /// A year as twelve month grids: `*` marks a day off for a holiday, `+` a
    /// weekend day that is worked. Then the list of holidays and adjusted days.
    /// This is what `deon calendar` prints.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let mut calendars = BTreeMap::new();
    /// # deon::calendar::load_dir("policies".as_ref(), &mut calendars);
    /// # let china = &calendars["CN"];
    /// # let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let view = china.year_view(2024).unwrap();
    /// assert!(view.starts_with("CN 2024"));
    /// assert!(china.year_view(2031).is_err());
    /// ```
    pub fn year_view(&self, year: i32) -> Result<String, MissingYear> {
        use std::fmt::Write as _;
        let notice = self.years.get(&year).ok_or(MissingYear(year))?;
        let mut out = String::new();
        let _ = writeln!(out, "{} {year} — {notice}", self.jurisdiction);
        let _ = writeln!(
            out,
            "  * holiday (day off)   + adjusted working day (weekend day worked)"
        );
        for month in 1..=12u32 {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", first.format("%B %Y"));
            let _ = writeln!(out, " Mo  Tu  We  Th  Fr  Sa  Su");
            let offset = first.weekday().num_days_from_monday() as usize;
            let mut line = "    ".repeat(offset);
            let mut day = first;
            while day.month() == month {
                let mark = if self.is_adjusted_working_day(day) {
                    '+'
                } else if self.days_off.contains(&day) {
                    '*'
                } else {
                    ' '
                };
                let _ = write!(line, "{:>3}{mark}", day.day());
                if day.weekday() == Weekday::Sun {
                    let _ = writeln!(out, "{}", line.trim_end());
                    line.clear();
                }
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => break,
                }
            }
            if !line.trim().is_empty() {
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "Holidays:");
        for h in self
            .holidays
            .iter()
            .filter(|h| h.from.year() == year || h.to.year() == year)
        {
            let zh = h
                .name_zh
                .as_deref()
                .map_or(String::new(), |z| format!(" ({z})"));
            let days = (h.to - h.from).num_days() + 1;
            let _ = writeln!(
                out,
                "  {} to {}  {}{zh}, {days} day{}",
                h.from,
                h.to,
                h.name,
                if days == 1 { "" } else { "s" }
            );
        }
        let worked: Vec<String> = self
            .working_weekend_days
            .iter()
            .filter(|d| d.year() == year)
            .map(|d| format!("{} ({})", d, d.format("%a")))
            .collect();
        if !worked.is_empty() {
            let _ = writeln!(out, "Adjusted working days: {}", worked.join(", "));
        }
        Ok(out)
    }
}

/// Loads every `calendar/*.toml` under `dir` into `calendars`, keyed by
/// jurisdiction in upper case, and returns the problems found (a file that
/// cannot be read, or is malformed).
///
/// # Examples
///
/// ```
/// use std::collections::BTreeMap;
///
/// let mut calendars = BTreeMap::new();
/// let problems = deon::calendar::load_dir("policies".as_ref(), &mut calendars);
/// assert!(problems.is_empty());
/// assert_eq!(calendars.keys().collect::<Vec<_>>(), ["CN"]);
/// ```
pub fn load_dir(dir: &Path, calendars: &mut BTreeMap<String, Calendar>) -> Vec<crate::Problem> {
    load_files(
        calendar_files(dir),
        crate::Limits::DEFAULT.policy_file_bytes,
        calendars,
    )
}

/// Every `calendar/*.toml` file under `dir`, sorted.
pub(crate) fn calendar_files(dir: &Path) -> Vec<std::path::PathBuf> {
    if dir.is_dir() {
        crate::load::files_under(dir, 16, |path| {
            path.extension().is_some_and(|e| e == "toml")
                && path
                    .parent()
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| n == "calendar")
        })
        .unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// Loads calendar files into `calendars`, returning the problems found.
pub(crate) fn load_files(
    files: Vec<std::path::PathBuf>,
    max_bytes: u64,
    calendars: &mut BTreeMap<String, Calendar>,
) -> Vec<crate::Problem> {
    let (sources, mut problems) = read_files(files, max_bytes);
    for source in &sources {
        if let Err(e) = add_source(source, calendars) {
            problems.push(crate::Problem::Calendar(*e));
        }
    }
    problems
}

/// Reads calendar files, without interpreting them; the problems are files
/// that cannot be read. A calendar file is held to the same size limit as a
/// policy file (`max_bytes`), since it is read from the same folders.
pub(crate) fn read_files(
    files: Vec<std::path::PathBuf>,
    max_bytes: u64,
) -> (Vec<Source>, Vec<crate::Problem>) {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match crate::load::read_text(&path, max_bytes) {
            Ok(source) => sources.push(source),
            Err(e) => problems.push(crate::Problem::Load(e)),
        }
    }
    (sources, problems)
}

/// Adds one calendar file to the calendar of the jurisdiction it names.
pub(crate) fn add_source(
    source: &Source,
    calendars: &mut BTreeMap<String, Calendar>,
) -> Result<(), Box<CalendarError>> {
    // The jurisdiction is read from the file; peek at it to pick the calendar.
    let key = toml::from_str::<toml::Table>(&source.text)
        .ok()
        .and_then(|t| {
            t.get("jurisdiction")
                .and_then(|j| j.as_str())
                .map(str::to_uppercase)
        })
        .unwrap_or_default();
    calendars.entry(key).or_default().add_file(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn china() -> Calendar {
        let mut calendars = BTreeMap::new();
        let problems = load_dir(Path::new("policies/cn"), &mut calendars);
        assert!(problems.is_empty(), "{problems:?}");
        calendars.remove("CN").unwrap()
    }

    #[test]
    fn a_holiday_runs_forwards_for_at_most_a_month() {
        let add = |from: &str, to: &str| {
            let text = format!(
                "jurisdiction = \"CN\"\nyear = 2030\nnotice = \"n\"\n\n[[holiday]]\nname = \"H\"\nfrom = {from}\nto = {to}\n"
            );
            Calendar::default().add_file(&Source::new("2030.toml", text))
        };
        assert!(add("2030-05-01", "2030-05-05").is_ok());
        assert!(add("2030-05-01", "2030-05-01").is_ok());
        assert!(
            add("2030-05-01", "2030-06-01").is_ok(),
            "31 days after its start"
        );
        // Backwards by a few days, and far too long.
        for (from, to) in [("2030-05-05", "2030-05-01"), ("2030-05-01", "2030-06-20")] {
            let Err(error) = add(from, to) else {
                panic!("{from} to {to} should be refused");
            };
            assert!(
                error.message.contains("not a holiday period"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn the_canonical_text_changes_with_any_day_of_the_calendar() {
        let text = |to: &str, worked: &str| {
            let file = format!(
                "jurisdiction = \"CN\"\nyear = 2030\nnotice = \"n\"\nadjusted_working_days = [{worked}]\n\n[[holiday]]\nname = \"H\"\nfrom = 2030-05-01\nto = {to}\n"
            );
            let mut calendar = Calendar::default();
            assert!(calendar.add_file(&Source::new("2030.toml", file)).is_ok());
            calendar.canonical_text()
        };
        // The policy set's content hash is made from this text: the same
        // calendar must give the same text, and any change a different one.
        let base = text("2030-05-05", "2030-04-27");
        assert_eq!(base, text("2030-05-05", "2030-04-27"));
        assert_ne!(base, text("2030-05-04", "2030-04-27"));
        assert_ne!(base, text("2030-05-05", "2030-05-11"));
    }

    #[test]
    fn shipped_years_load() {
        let cal = china();
        for year in 2019..=2026 {
            assert!(cal.years.contains_key(&year), "no calendar for {year}");
        }
    }

    #[test]
    fn spring_festival_2021_and_its_adjusted_saturday() {
        let cal = china();
        // Spring Festival 2021 ran 11-17 February; Saturday 20 February was a working day.
        assert_eq!(cal.is_working_day(d("2021-02-11")), Ok(false));
        assert_eq!(cal.is_working_day(d("2021-02-20")), Ok(true));
        // Two working days after Wednesday 10 February: the 18th and 19th.
        assert_eq!(
            cal.add_working_days(d("2021-02-10"), 2),
            Ok(d("2021-02-19"))
        );
        // Three: Saturday the 20th counts.
        assert_eq!(
            cal.add_working_days(d("2021-02-10"), 3),
            Ok(d("2021-02-20"))
        );
    }

    #[test]
    fn national_day_2024() {
        let cal = china();
        // 1-7 October 2024 off; Sunday 29 September and Saturday 12 October worked.
        assert_eq!(
            cal.add_working_days(d("2024-09-27"), 1),
            Ok(d("2024-09-29"))
        );
        assert_eq!(
            cal.add_working_days(d("2024-09-30"), 1),
            Ok(d("2024-10-08"))
        );
        assert_eq!(cal.roll_forward(d("2024-10-03")), Ok(d("2024-10-08")));
        assert_eq!(cal.is_working_day(d("2024-10-12")), Ok(true));
    }

    #[test]
    fn a_year_without_data_is_an_error_not_a_guess() {
        let cal = china();
        assert_eq!(cal.is_working_day(d("2031-03-03")), Err(MissingYear(2031)));
        assert_eq!(
            cal.add_working_days(d("2026-12-30"), 5),
            Err(MissingYear(2027))
        );
    }
}
