//! What the fuzz targets share: the shipped policies, loaded once, and
//! structure-aware generators of cases and expressions (`arbitrary`), so that
//! long chains, deep brackets and wide lines are reached, not only what
//! random bytes happen to spell.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Result, Unstructured};
use deon::Policy;

/// The policies in `policies/`, loaded once per process.
pub fn shipped() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies");
        match Policy::load([dir]) {
            Ok(policy) => policy,
            Err(e) => panic!("the shipped policies do not load: {e}"),
        }
    })
}

/// A small policy set whose facts cover every kind of value, for generated
/// expressions.
pub const SMALL: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 jurisdiction "CN" }
enum Kind "K." { a "A." b "B." c "C." }
facts {
  r "R." {
    on: date? "On."
    at: date "At."
    yes: bool "Yes."
    no: bool "No."
    n: int "N."
    m: int? "M."
    s: text? "S."
    kind: Kind "Kind."
    kinds: set of Kind "Kinds."
    fine: money "Fine."
    kept: duration? "Kept."
  }
}
define d1 as r.yes and r.n > 3
define d2 as d1 or r.kind = a
rule one { cite "Art 1" when r.on is set and d2 must "do it" within 5 days of r.on done on r.on }
rule two { cite "Art 2" when r.yes must not "do that" breached when r.no }
rule three { cite "Art 3" when r.at > 2020-01-01 must "keep" done when r.kind in {a, b} }
"#;

/// `SMALL`, checked once.
pub fn small() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| match Policy::from_sources([("small.deon", SMALL)]) {
        Ok(policy) => policy,
        Err(e) => panic!("the small policy does not check: {e:?}"),
    })
}

/// An expression over `SMALL`'s facts, written out as text. Deep and long
/// shapes are likely: chains of one operator, brackets, `not`s.
#[derive(Debug)]
pub enum Expr {
    Atom(Atom),
    Not(Box<Expr>),
    Binary(Box<Expr>, Op, Box<Expr>),
    Brackets(Box<Expr>),
    IsSet(Box<Expr>, bool),
    In(Box<Expr>, Vec<u8>, bool),
    /// The same operator between many operands: `a and a and a …`.
    Chain(Op, Vec<Expr>),
}

#[derive(Debug, Arbitrary, Clone, Copy)]
pub enum Op {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::And => "and",
            Op::Or => "or",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Add => "+",
            Op::Sub => "-",
        }
    }
}

#[derive(Debug, Arbitrary)]
pub enum Atom {
    Fact(u8),
    Int(i64),
    Date(i32, u8, u8),
    Duration(i64, u8),
    Text(String),
    Bool(bool),
    Enum(u8),
    Today,
    Def(bool),
}

const FACTS: [&str; 12] = [
    "r.on", "r.at", "r.yes", "r.no", "r.n", "r.m", "r.s", "r.kind", "r.kinds", "r.fine", "r.kept",
    "r.bogus",
];
const UNITS: [&str; 6] = ["days", "working days", "weeks", "months", "years", "day"];

impl<'a> Arbitrary<'a> for Expr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        expr(u, 0)
    }
}

fn expr(u: &mut Unstructured<'_>, depth: u32) -> Result<Expr> {
    if depth > 40 || u.is_empty() {
        return Ok(Expr::Atom(Atom::arbitrary(u)?));
    }
    let next = depth + 1;
    Ok(match u.int_in_range(0..=7)? {
        0 | 1 => Expr::Atom(Atom::arbitrary(u)?),
        2 => Expr::Not(Box::new(expr(u, next)?)),
        3 => Expr::Binary(
            Box::new(expr(u, next)?),
            Op::arbitrary(u)?,
            Box::new(expr(u, next)?),
        ),
        4 => Expr::Brackets(Box::new(expr(u, next)?)),
        5 => Expr::IsSet(Box::new(expr(u, next)?), bool::arbitrary(u)?),
        6 => Expr::In(
            Box::new(expr(u, next)?),
            Vec::arbitrary(u)?,
            bool::arbitrary(u)?,
        ),
        _ => {
            // Long chains: up to a few hundred operands, around the limits.
            let op = Op::arbitrary(u)?;
            let n = u.int_in_range(2..=600)?;
            let first = expr(u, next)?;
            let mut items = vec![first];
            for _ in 1..n {
                items.push(Expr::Atom(Atom::arbitrary(u)?));
            }
            Expr::Chain(op, items)
        }
    })
}

impl Expr {
    /// The expression as Deon text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Expr::Atom(atom) => atom.write(out),
            Expr::Not(inner) => {
                out.push_str("not ");
                inner.write(out);
            }
            Expr::Binary(l, op, r) => {
                l.write(out);
                out.push(' ');
                out.push_str(op.text());
                out.push(' ');
                r.write(out);
            }
            Expr::Brackets(inner) => {
                out.push('(');
                inner.write(out);
                out.push(')');
            }
            Expr::IsSet(inner, set) => {
                inner.write(out);
                out.push_str(if *set { " is set" } else { " is unset" });
            }
            Expr::In(inner, values, negated) => {
                inner.write(out);
                out.push_str(if *negated { " not in {" } else { " in {" });
                for (i, v) in values.iter().take(8).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(["a", "b", "c", "d"][usize::from(*v % 4)]);
                }
                out.push('}');
            }
            Expr::Chain(op, items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                        out.push_str(op.text());
                        out.push(' ');
                    }
                    item.write(out);
                }
            }
        }
    }
}

impl Atom {
    fn write(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Atom::Fact(i) => out.push_str(FACTS[usize::from(*i) % FACTS.len()]),
            Atom::Int(n) => {
                let _ = write!(out, "{}", n.unsigned_abs());
            }
            Atom::Date(y, m, d) => {
                let _ = write!(
                    out,
                    "{:04}-{:02}-{:02}",
                    y.rem_euclid(10_000),
                    m % 14,
                    d % 33
                );
            }
            Atom::Duration(n, unit) => {
                let _ = write!(
                    out,
                    "{} {}",
                    n.unsigned_abs(),
                    UNITS[usize::from(*unit) % UNITS.len()]
                );
            }
            Atom::Text(t) => {
                let _ = write!(out, "{:?}", t);
            }
            Atom::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Atom::Enum(i) => out.push_str(["a", "b", "c", "zz"][usize::from(*i % 4)]),
            Atom::Today => out.push_str("today"),
            Atom::Def(first) => out.push_str(if *first { "d1" } else { "d2" }),
        }
    }
}

/// A JSON case for the shipped policies: keys mostly from the fact schema,
/// values of every kind, some huge or out of range.
#[derive(Debug)]
pub struct Case(pub serde_json::Value);

impl<'a> Arbitrary<'a> for Case {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        static PATHS: OnceLock<Vec<String>> = OnceLock::new();
        let paths = PATHS.get_or_init(|| {
            shipped()
                .declarations()
                .facts
                .iter()
                .map(|f| f.path.clone())
                .collect()
        });
        let mut root = serde_json::Map::new();
        if bool::arbitrary(u)? {
            root.insert("as_of".into(), date_value(u)?);
        }
        let n = u.int_in_range(0..=40)?;
        for _ in 0..n {
            let path = if paths.is_empty() || u.ratio(1, 20)? {
                String::arbitrary(u)?
            } else {
                paths[u.choose_index(paths.len())?].clone()
            };
            insert(&mut root, &path, value(u, 0)?);
        }
        Ok(Case(serde_json::Value::Object(root)))
    }
}

fn insert(root: &mut serde_json::Map<String, serde_json::Value>, path: &str, v: serde_json::Value) {
    let mut parts = path.split('.').peekable();
    let mut map = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            map.insert(part.to_string(), v);
            return;
        }
        let entry = map
            .entry(part.to_string())
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if !entry.is_object() {
            *entry = serde_json::Value::Object(Default::default());
        }
        match entry {
            serde_json::Value::Object(inner) => map = inner,
            _ => return,
        }
    }
}

fn date_value(u: &mut Unstructured<'_>) -> Result<serde_json::Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => serde_json::Value::String(String::arbitrary(u)?),
        1 => serde_json::json!("9999-12-31"),
        2 => serde_json::json!("0000-01-01"),
        _ => serde_json::Value::String(format!(
            "{:04}-{:02}-{:02}",
            u.int_in_range(1990..=2035)?,
            u.int_in_range(1..=12)?,
            u.int_in_range(1..=31)?
        )),
    })
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<serde_json::Value> {
    Ok(match u.int_in_range(0..=11)? {
        0 => serde_json::Value::Null,
        1 => serde_json::Value::Bool(bool::arbitrary(u)?),
        2 => serde_json::json!(i64::arbitrary(u)?),
        3 => serde_json::json!(f64::arbitrary(u)?),
        4 | 5 => date_value(u)?,
        6 => serde_json::Value::String(format!(
            "{} {}",
            u64::arbitrary(u)?,
            UNITS[u.choose_index(UNITS.len())?]
        )),
        7 => serde_json::Value::String("x".repeat(u.int_in_range(0..=100_000)?)),
        8 if depth < 4 => {
            let n = u.int_in_range(0..=6)?;
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(value(u, depth + 1)?);
            }
            serde_json::Value::Array(items)
        }
        9 if depth < 4 => {
            let mut map = serde_json::Map::new();
            for _ in 0..u.int_in_range(0..=4)? {
                map.insert(String::arbitrary(u)?, value(u, depth + 1)?);
            }
            serde_json::Value::Object(map)
        }
        _ => serde_json::Value::String(String::arbitrary(u)?),
    })
}

/// What every report must satisfy, whatever the case: the human and JSON
/// renderings exist, the JSON is JSON, and the two agree on statuses.
pub fn check_decision(policy: &Policy, case: &deon::Case) {
    let decision = policy.decide(case, None);
    let report = decision.report();
    let mut written = Vec::new();
    decision.write_json(&mut written);
    let json = match String::from_utf8(written) {
        Ok(json) => json,
        Err(e) => panic!("a decision's JSON is not UTF-8: {e}"),
    };
    let again = match serde_json::to_string(&report) {
        Ok(json) => json,
        Err(e) => panic!("a report does not serialise: {e}"),
    };
    assert_eq!(json, again, "a decision's JSON differs from its report's");
    let options = deon::report::human::Options {
        verbose: true,
        ..Default::default()
    };
    let text = deon::report::human::render(&report, options);
    assert!(!text.is_empty());
}
