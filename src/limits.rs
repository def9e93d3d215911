//! The limits that keep hostile input from costing unbounded time or memory,
//! in one place: their defaults, the ceilings the stack allows, and the
//! names `deon --limit NAME=VALUE` takes (docs/reliability.md has the table).

use std::fmt;
use std::path::Path;

use crate::{Diagnostics, Policy};

/// How much input Deon accepts. Every field has a default
/// ([`Limits::DEFAULT`]); a policy set loaded with
/// [`Policy::load_with_limits`] or [`Policy::from_sources_with_limits`]
/// keeps its limits and applies them to the cases and batch lines it reads.
///
/// The two depth limits (`nesting`, `expression_operators`) bound recursion,
/// so they can be lowered freely but raised only up to
/// [`Limits::MAX_NESTING`] and [`Limits::MAX_EXPRESSION_OPERATORS`]; larger
/// values are clamped.
///
/// # Examples
///
/// ```
/// use deon::{Limits, Policy};
///
/// let limits = Limits { expression_operators: 2, ..Limits::default() };
/// let text = r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { r "R." { a: bool "A." b: bool "B." c: bool "C." d: bool "D." } }
///     define all_four as r.a and r.b and r.c and r.d
/// "#;
/// assert!(Policy::from_sources([("p.deon", text)]).is_ok());
/// let refused = Policy::from_sources_with_limits([("p.deon", text)], limits).unwrap_err();
/// assert!(refused.problems[0].to_string().contains("more than 2 operators"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one policy file, counted as read.
    pub policy_file_bytes: u64,
    /// Bytes of one case file or policy-test file, counted as read.
    pub case_file_bytes: u64,
    /// Bracket nesting in a policy or an expression.
    pub nesting: usize,
    /// Operators (`and`, `+`, `is set`, …) in one expression.
    pub expression_operators: usize,
    /// Rules in a policy set.
    pub rules: usize,
    /// Facts in a policy set's schema.
    pub facts: usize,
    /// Bytes of one text value in a case.
    pub string_bytes: usize,
    /// Bytes of one line of a batch; a longer line gets an error record.
    pub batch_line_bytes: usize,
    /// Problems drawn on a terminal before `… and N more problems`
    /// (0 draws them all); JSON diagnostics are never capped.
    pub errors_shown: usize,
}

impl Limits {
    /// The defaults.
    pub const DEFAULT: Limits = Limits {
        policy_file_bytes: 8 << 20,
        case_file_bytes: 64 << 20,
        nesting: 64,
        expression_operators: 256,
        rules: 100_000,
        facts: 100_000,
        string_bytes: 1 << 20,
        batch_line_bytes: 64 << 20,
        errors_shown: 50,
    };

    /// The deepest bracket nesting any setting allows.
    pub const MAX_NESTING: usize = 128;
    /// The most operators in one expression any setting allows: with
    /// [`Limits::MAX_NESTING`], this keeps the checker's and evaluator's
    /// recursion within a 2 MiB thread stack.
    pub const MAX_EXPRESSION_OPERATORS: usize = 512;

    /// The names [`Limits::set`] takes, in the order of the fields.
    pub const NAMES: [&'static str; 9] = [
        "policy_file_bytes",
        "case_file_bytes",
        "nesting",
        "expression_operators",
        "rules",
        "facts",
        "string_bytes",
        "batch_line_bytes",
        "errors_shown",
    ];

    /// Sets one limit by name, from text such as `100000`, `64KiB` or
    /// `8MiB`: the form of `deon --limit NAME=VALUE`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut limits = deon::Limits::default();
    /// limits.set("case_file_bytes", "2MiB")?;
    /// assert_eq!(limits.case_file_bytes, 2 << 20);
    /// limits.set("nesting", "100000")?;
    /// assert_eq!(limits.nesting, deon::Limits::MAX_NESTING);
    /// assert!(limits.set("case_file_bytes", "lots").is_err());
    /// assert!(limits.set("no_such_limit", "1").is_err());
    /// # Ok::<(), String>(())
    /// ```
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let n = parse_size(value).ok_or_else(|| {
            format!("`{value}` is not a number (a whole number, optionally with KiB, MiB or GiB)")
        })?;
        let small = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        match name {
            "policy_file_bytes" => self.policy_file_bytes = n,
            "case_file_bytes" => self.case_file_bytes = n,
            "nesting" => self.nesting = small(n).min(Self::MAX_NESTING),
            "expression_operators" => {
                self.expression_operators = small(n).min(Self::MAX_EXPRESSION_OPERATORS);
            }
            "rules" => self.rules = small(n),
            "facts" => self.facts = small(n),
            "string_bytes" => self.string_bytes = small(n),
            "batch_line_bytes" => self.batch_line_bytes = small(n),
            "errors_shown" => self.errors_shown = small(n),
            _ => {
                return Err(format!(
                    "no limit is called `{name}`; the limits are {}",
                    Self::NAMES.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The limits with the depth limits clamped to their ceilings.
    pub(crate) fn clamped(self) -> Limits {
        Limits {
            nesting: self.nesting.min(Self::MAX_NESTING),
            expression_operators: self
                .expression_operators
                .min(Self::MAX_EXPRESSION_OPERATORS),
            ..self
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl fmt::Display for Limits {
    /// One `name = value` line per limit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values = [
            self.policy_file_bytes,
            self.case_file_bytes,
            self.nesting as u64,
            self.expression_operators as u64,
            self.rules as u64,
            self.facts as u64,
            self.string_bytes as u64,
            self.batch_line_bytes as u64,
            self.errors_shown as u64,
        ];
        for (name, value) in Self::NAMES.iter().zip(values) {
            writeln!(f, "{name} = {value}")?;
        }
        Ok(())
    }
}

/// A policy set larger than its limits allow.
#[derive(Clone, Debug, thiserror::Error, miette::Diagnostic)]
#[error("the policies declare {count} {what}, more than the {limit} Deon accepts")]
#[diagnostic(
    code(deon::limits::too_many),
    help("split the policy set, or raise the limit: `--limit {name}=N`, or `Limits::{name}`")
)]
pub struct TooMany {
    pub what: &'static str,
    pub name: &'static str,
    pub count: usize,
    pub limit: usize,
}

/// Runs `f` with at least a comfortable margin of stack, growing it onto the
/// heap when the thread's own runs low. Every recursion whose depth input
/// decides (expressions, chains of definitions) goes through this, so no
/// thread's stack size, and no build profile, can make it overflow.
#[inline]
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    const RED_ZONE: usize = 128 * 1024;
    const GROW_BY: usize = 4 * 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, GROW_BY, f)
}

/// `123`, `64KiB`, `8MiB`, `1GiB` (also `K`, `M`, `G`), as a number of units.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits);
    let number: u64 = number.parse().ok()?;
    let shift = match suffix.trim() {
        "" => 0,
        "K" | "KiB" => 10,
        "M" | "MiB" => 20,
        "G" | "GiB" => 30,
        _ => return None,
    };
    number.checked_mul(1 << shift)
}

impl Policy {
    /// [`Policy::load`] with limits of one's own. The policy set keeps them:
    /// the cases, policy tests and batch lines it reads are held to them.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Limits, Policy};
    ///
    /// let small = Limits { policy_file_bytes: 100, ..Limits::default() };
    /// let refused = Policy::load_with_limits(["policies"], small).unwrap_err();
    /// assert!(refused.problems.iter().all(|p| p.to_string().contains("more than the 100 bytes")));
    ///
    /// let policy = Policy::load_with_limits(["policies"], Limits::default())?;
    /// assert_eq!(policy.limits(), &Limits::default());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn load_with_limits<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
        limits: Limits,
    ) -> Result<Policy, Diagnostics> {
        Policy::load_limited(paths, limits.clamped())
    }

    /// [`Policy::from_sources`] with limits of one's own (see
    /// [`Policy::load_with_limits`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Limits, Policy};
    ///
    /// let limits = Limits { string_bytes: 4, ..Limits::default() };
    /// let policy = Policy::from_sources_with_limits([("p.deon", r#"
    ///     facts { r "R." { s: text? "S." } }
    /// "#)], limits)?;
    /// assert!(policy.case_from_json(&serde_json::json!({"r": {"s": "four"}})).is_ok());
    /// assert!(policy.case_from_json(&serde_json::json!({"r": {"s": "fifty"}})).is_err());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn from_sources_with_limits<N: AsRef<str>, T: AsRef<str>>(
        sources: impl IntoIterator<Item = (N, T)>,
        limits: Limits,
    ) -> Result<Policy, Diagnostics> {
        Policy::from_sources_limited(sources, limits.clamped())
    }

    /// The limits the policy set was loaded with, which hold for the cases
    /// it reads.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("empty.deon", "")])?;
    /// assert_eq!(policy.limits().case_file_bytes, 64 << 20);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn limits(&self) -> &Limits {
        &self.program.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_suffixes() {
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("3KiB"), Some(3 << 10));
        assert_eq!(parse_size("3 MiB"), Some(3 << 20));
        assert_eq!(parse_size("2G"), Some(2 << 30));
        for bad in ["", "MiB", "-1", "1.5MiB", "1TiB", "99999999999999999999"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        assert_eq!(parse_size("18446744073709551615G"), None);
    }

    #[test]
    fn every_name_sets_its_own_field() {
        for (i, name) in Limits::NAMES.iter().enumerate() {
            let mut limits = Limits::default();
            limits.set(name, "7").unwrap_or_default();
            let shown = limits.to_string();
            let changed: Vec<&str> = shown
                .lines()
                .zip(Limits::default().to_string().lines())
                .filter(|(a, b)| a != b)
                .map(|(a, _)| a)
                .collect();
            assert_eq!(changed, [format!("{name} = 7")], "field {i}");
        }
    }
}
