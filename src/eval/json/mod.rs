//! A decision written as JSON into a byte buffer: exactly what serde_json
//! writes for its owned [`Report`](crate::Report) (tests/decision.rs holds
//! the two to the same bytes), without building the report. Policy text
//! is copied as it was escaped when the policy was checked
//! (`check::json`); only text from the case is escaped here.

mod penalties;

use chrono::NaiveDate;

use super::decision::{Decision, Entry, Exemption, Outcome, StepKind, part};
use crate::case::Slot;
use crate::check::ir::{CExpr, FactId, Program};
use crate::json::{date, date_text, display, escape_into, int, string};
use crate::report::model::{Explain, Exposure, FineRange, Likelihood, NoteAbout};
use crate::value::Value;

impl Decision<'_> {
    /// Appends the decision's report as compact JSON: the bytes
    /// `serde_json::to_vec(&decision.report())` gives, written straight
    /// from the decision. Reuse `out` across decisions to save allocations.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None).explained(deon::Explain::Failing);
    /// let mut out = Vec::new();
    /// decision.write_json(&mut out);
    /// assert_eq!(out, serde_json::to_vec(&decision.report()).unwrap());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) {
        if !self.program.json.covers(self.program) {
            // Only a program made without the checker lacks its pieces.
            let _ = serde_json::to_writer(out, &self.report());
            return;
        }
        Writer {
            decision: self,
            program: self.program,
            out,
        }
        .report();
    }

    /// Appends the decision's report as indented JSON: the bytes
    /// `serde_json::to_vec_pretty(&decision.report())` gives.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// let mut out = Vec::new();
    /// decision.write_json_pretty(&mut out);
    /// assert_eq!(out, serde_json::to_vec_pretty(&decision.report()).unwrap());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn write_json_pretty(&self, out: &mut Vec<u8>) {
        let mut compact = Vec::new();
        self.write_json(&mut compact);
        crate::json::pretty(&compact, out);
    }
}

/// Serialising a decision serialises its owned report, for any serialiser;
/// [`Decision::write_json`] writes the same JSON without building it.
impl serde::Serialize for Decision<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.report().serialize(serializer)
    }
}

struct Writer<'w, 'd> {
    decision: &'w Decision<'d>,
    program: &'d Program,
    out: &'w mut Vec<u8>,
}

impl<'d> Writer<'_, 'd> {
    fn raw(&mut self, bytes: &str) {
        self.out.extend_from_slice(bytes.as_bytes());
    }

    fn report(&mut self) {
        let decision = self.decision;
        let program = self.program;
        self.raw(r#"{"as_of":"#);
        date(self.out, decision.as_of);
        self.raw(r#","regulations":["#);
        for (n, regulation) in program.regulations.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            if let Some(head) = program.json.regulations.get(n) {
                self.raw(head);
            }
            let in_force = super::in_force(
                regulation.status,
                regulation.effective,
                regulation.repealed,
                decision.as_of,
            );
            self.raw(if in_force { "true}" } else { "false}" });
        }
        self.raw(r#"],"findings":["#);
        for (n, entry) in decision.entries.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            self.finding(entry);
        }
        self.raw(r#"],"totals":"#);
        self.exposure(&decision.totals);
        self.raw(r#","unknown_facts":"#);
        self.fact_names(&decision.unknown_facts);
        if decision.explain != Explain::All {
            self.raw(r#","explain":""#);
            self.raw(decision.explain.as_str());
            self.out.push(b'"');
        }
        self.out.push(b'}');
    }

    fn fact_name(&mut self, id: FactId) {
        if let Some(json) = self.program.json.facts.get(id as usize) {
            self.raw(json);
        }
    }

    fn fact_names(&mut self, ids: &[FactId]) {
        self.out.push(b'[');
        for (n, &id) in ids.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            self.fact_name(id);
        }
        self.out.push(b']');
    }

    /// An expression's text as a JSON string.
    fn expr(&mut self, expr: &CExpr) {
        match expr.text.json() {
            Some(json) => self.raw(json),
            None => string(self.out, &expr.text),
        }
    }

    fn finding(&mut self, entry: &Entry<'_>) {
        let decision = self.decision;
        let program = self.program;
        let Some(rule) = program.json.rules.get(entry.rule as usize) else {
            return;
        };
        let terse = decision.explain == Explain::None;
        self.raw(&rule.head);
        if !terse {
            self.raw(&rule.action);
        }
        self.raw(r#","status":""#);
        self.raw(entry.status.key());
        self.out.push(b'"');
        if !terse {
            self.raw(r#","summary":"#);
            display(self.out, &decision.sentence(entry));
        }
        for (key, day) in [(r#","due":"#, entry.due), (r#","done_on":"#, entry.done_on)] {
            if let Some(day) = day {
                self.raw(key);
                date(self.out, day);
            }
        }
        for (key, days) in [
            (r#","days_left":"#, entry.days_left),
            (r#","days_overdue":"#, entry.days_overdue),
            (r#","days_outstanding":"#, entry.outstanding),
        ] {
            if let Some(days) = days {
                self.raw(key);
                int(self.out, days);
            }
        }
        if let Some(exemption) = entry.exempted_by {
            self.raw(r#","exempted_by":"#);
            match exemption {
                Exemption::Unless(expr) => self.expr(expr),
                Exemption::Rule(other) => self.rule_mention("rule ", other, ""),
            }
        }
        let depends = part(&decision.unknown, entry.depends);
        if !depends.is_empty() {
            self.raw(r#","depends_on":"#);
            self.fact_names(depends);
        }
        let mut steps = decision.shown_steps(entry).peekable();
        if steps.peek().is_some() {
            self.raw(r#","explanation":["#);
            for (n, step) in steps.enumerate() {
                if n > 0 {
                    self.out.push(b',');
                }
                self.step(entry, step);
            }
            self.out.push(b']');
        }
        let records = part(&decision.penalties, entry.penalties);
        if !records.is_empty() {
            self.raw(r#","penalties":["#);
            for (n, record) in records.iter().enumerate() {
                if n > 0 {
                    self.out.push(b',');
                }
                self.penalty(record);
            }
            self.out.push(b']');
        }
        if !matches!(entry.basis, super::decision::Basis::None) {
            self.raw(r#","breach_basis":"#);
            display(self.out, &entry.basis);
        }
        self.raw(r#","exposure":"#);
        self.exposure(&entry.exposure);
        let notes = part(&decision.notes, entry.notes);
        if !notes.is_empty() {
            self.raw(r#","review_notes":["#);
            for (n, note) in notes.iter().enumerate() {
                if n > 0 {
                    self.out.push(b',');
                }
                self.note(note);
            }
            self.out.push(b']');
        }
        self.out.push(b'}');
    }

    /// `"<before><rule name><after>"`.
    fn rule_mention(&mut self, before: &str, rule: u32, after: &str) {
        self.out.push(b'"');
        self.raw(before);
        if let Some(json) = self.program.json.rules.get(rule as usize) {
            self.raw(&json.name);
        }
        self.raw(after);
        self.out.push(b'"');
    }

    fn step(&mut self, entry: &Entry<'_>, step: &StepKind<'_>) {
        let decision = self.decision;
        let words = &self.program.words;
        self.raw(r#"{"clause":"#);
        self.raw(step.clause(words).json());
        self.raw(r#","condition":"#);
        match step {
            StepKind::Condition { expr, .. } => self.expr(expr),
            StepKind::Exception { rule, .. } => self.rule_mention("rule ", *rule, " applies"),
            StepKind::RollOver { from, .. } => {
                self.out.push(b'"');
                date_text(self.out, *from);
                self.raw(r#" is a rest day""#);
            }
            StepKind::Due(_) => self.raw(words.last_day.json()),
            StepKind::NoCalendar { .. } => {
                display(self.out, &decision.synthetic_condition(entry, step));
            }
        }
        self.raw(r#","outcome":"#);
        match step {
            StepKind::Condition { outcome, .. } => self.outcome(*outcome),
            StepKind::Exception { applies, .. } => self.raw(match applies {
                Some(true) => words.yes.json(),
                Some(false) => words.no.json(),
                None => words.unknown.json(),
            }),
            StepKind::NoCalendar { .. } => self.raw(words.no_calendar.json()),
            StepKind::RollOver { to: day, .. } | StepKind::Due(day) => date(self.out, *day),
        }
        if let StepKind::Condition { facts, .. } = step {
            let facts = part(&decision.reads, *facts);
            if !facts.is_empty() {
                self.raw(r#","facts":"#);
                self.fact_values(facts);
            }
        }
        self.out.push(b'}');
    }

    /// What a condition came to, as explanations show it.
    fn outcome(&mut self, outcome: Outcome) {
        let words = &self.program.words;
        match outcome {
            Outcome::True => self.raw(words.yes.json()),
            Outcome::False => self.raw(words.no.json()),
            Outcome::Null => self.raw(words.null.json()),
            Outcome::Unknown => self.raw(words.unknown.json()),
            Outcome::Date(day) => date(self.out, day),
            Outcome::Value(index) => match self.decision.values.get(index as usize) {
                Some(value) => self.value(value),
                None => self.raw(words.unknown.json()),
            },
        }
    }

    /// A value as a reader would write it (`ShowValue`), as a JSON string.
    fn value(&mut self, value: &Value) {
        match value {
            Value::Bool(true) => self.raw(r#""true""#),
            Value::Bool(false) => self.raw(r#""false""#),
            Value::Date(day) => date(self.out, *day),
            Value::Int(n) => {
                self.out.push(b'"');
                int(self.out, *n);
                self.out.push(b'"');
            }
            Value::Text(text) => {
                self.raw(r#""\""#);
                escape_into(self.out, text);
                self.raw(r#"\"""#);
            }
            other => display(self.out, &super::expr::ShowValue(self.program, other)),
        }
    }

    /// Facts and their values: `[{"fact":…,"value":…},…]`.
    fn fact_values(&mut self, ids: &[FactId]) {
        let words = &self.program.words;
        self.out.push(b'[');
        for (n, &id) in ids.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            self.raw(r#"{"fact":"#);
            self.fact_name(id);
            self.raw(r#","value":"#);
            match self.decision.facts.slots.get(id as usize) {
                Some(Slot::Known(value)) => self.value(value),
                Some(Slot::Null) => self.raw(words.null.json()),
                _ => self.raw(words.unknown.json()),
            }
            self.out.push(b'}');
        }
        self.out.push(b']');
    }

    fn exposure(&mut self, exposure: &Exposure) {
        self.raw(r#"{"entity":"#);
        self.fine(&exposure.entity);
        self.raw(r#","person_in_charge":"#);
        self.fine(&exposure.person_in_charge);
        self.raw(r#","individual":"#);
        self.fine(&exposure.individual);
        self.out.push(b'}');
    }

    fn fine(&mut self, fine: &FineRange) {
        if *fine == FineRange::default() {
            self.raw(r#"{"min":0,"max":0}"#);
            return;
        }
        self.raw(r#"{"min":"#);
        int(self.out, fine.min);
        self.raw(r#","max":"#);
        int(self.out, fine.max);
        for (key, n) in [
            (r#","certain_max":"#, fine.certain_max),
            (r#","possible_min":"#, fine.possible_min),
            (r#","escalated":"#, fine.escalated),
        ] {
            if n != 0 {
                self.raw(key);
                int(self.out, n);
            }
        }
        self.out.push(b'}');
    }

    fn likelihood(&mut self, likelihood: Likelihood) {
        self.raw(match likelihood {
            Likelihood::Applies => r#""applies""#,
            Likelihood::DoesNotApply => r#""does_not_apply""#,
            Likelihood::Possible => r#""possible""#,
        });
    }

    fn note(&mut self, note: &super::decision::NoteRecord<'_>) {
        self.raw(r#"{"text":"#);
        self.raw(note.text.json());
        self.raw(match note.about {
            NoteAbout::Rule => r#","about":"rule""#,
            NoteAbout::Penalty => r#","about":"penalty""#,
            NoteAbout::Tier => r#","about":"tier""#,
            NoteAbout::Link => r#","about":"link""#,
        });
        if let Some(penalty) = note.penalty {
            self.raw(r#","penalty":"#);
            self.penalty_name(penalty);
        }
        if let Some(tier) = note.tier {
            self.raw(r#","tier":"#);
            self.raw(tier.json());
        }
        if let Some(condition) = note.condition {
            self.raw(r#","condition":"#);
            self.expr(condition);
        }
        if note.unknown {
            self.raw(r#","condition_unknown":true"#);
        }
        self.out.push(b'}');
    }

    fn penalty_name(&mut self, penalty: u32) {
        if let Some(json) = self.program.json.penalties.get(penalty as usize) {
            self.raw(&json.name);
        }
    }
}

/// `none in force on <date>`, as a penalty's version when none is.
fn no_version(out: &mut Vec<u8>, day: NaiveDate) {
    out.extend_from_slice(br#""none in force on "#);
    date_text(out, day);
    out.push(b'"');
}
