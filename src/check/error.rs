//! Problems the checker finds. One type for all of them, with a stable code
//! per kind, so every problem in every file can be reported in one pass.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};

use crate::source::{Source, Span};

/// The kinds of problem the checker reports; each has a stable diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckCode {
    UnknownFact,
    UnknownName,
    UnknownType,
    UnknownEnumValue,
    UnknownRole,
    UnknownPenalty,
    UnknownRule,
    TypeMismatch,
    UnguardedOptional,
    Duplicate,
    DefinitionCycle,
    ExceptionCycle,
    MissingCitation,
    MissingDoc,
    MissingModality,
    ConflictingClauses,
    MissingBreach,
    Unsupported,
    RuleOutsideRegulation,
    Header,
}

impl CheckCode {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckCode::UnknownFact => "deon::check::unknown_fact",
            CheckCode::UnknownName => "deon::check::unknown_name",
            CheckCode::UnknownType => "deon::check::unknown_type",
            CheckCode::UnknownEnumValue => "deon::check::unknown_enum_value",
            CheckCode::UnknownRole => "deon::check::unknown_role",
            CheckCode::UnknownPenalty => "deon::check::unknown_penalty",
            CheckCode::UnknownRule => "deon::check::unknown_rule",
            CheckCode::TypeMismatch => "deon::check::type_mismatch",
            CheckCode::UnguardedOptional => "deon::check::unguarded_optional",
            CheckCode::Duplicate => "deon::check::duplicate",
            CheckCode::DefinitionCycle => "deon::check::definition_cycle",
            CheckCode::ExceptionCycle => "deon::check::exception_cycle",
            CheckCode::MissingCitation => "deon::check::missing_citation",
            CheckCode::MissingDoc => "deon::check::missing_doc",
            CheckCode::MissingModality => "deon::check::missing_modality",
            CheckCode::ConflictingClauses => "deon::check::conflicting_clauses",
            CheckCode::MissingBreach => "deon::check::missing_breach",
            CheckCode::Unsupported => "deon::check::unsupported",
            CheckCode::RuleOutsideRegulation => "deon::check::rule_outside_regulation",
            CheckCode::Header => "deon::check::header",
        }
    }

    /// Warnings do not stop a policy set from loading.
    pub fn is_warning(self) -> bool {
        matches!(self, CheckCode::MissingCitation | CheckCode::MissingDoc)
    }
}

/// One problem in a policy file.
#[derive(Clone)]
pub struct CheckError {
    pub code: CheckCode,
    pub message: String,
    pub help: Option<String>,
    src: NamedSource<Arc<str>>,
    labels: Vec<(Span, String)>,
}

impl CheckError {
    pub fn new(code: CheckCode, source: &Source, span: Span, message: impl Into<String>) -> Self {
        CheckError {
            code,
            message: message.into(),
            help: None,
            src: source.named(),
            labels: vec![(span, String::new())],
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        if let Some(first) = self.labels.first_mut() {
            first.1 = text.into();
        }
        self
    }

    pub fn also(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_warning(&self) -> bool {
        self.code.is_warning()
    }
}

impl fmt::Debug for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CheckError {}

impl Diagnostic for CheckError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(if self.is_warning() {
            Severity::Warning
        } else {
            Severity::Error
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().map(|(span, text)| {
            let text = (!text.is_empty()).then(|| text.clone());
            LabeledSpan::new_with_span(text, *span)
        })))
    }
}

/// Names close to `wanted`, best first, for "did you mean" help.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_len = wanted.chars().count();
    let mut best: Vec<(usize, &str)> = candidates
        .into_iter()
        // The distance is at least the difference in length: a candidate
        // too far off in length is skipped without the quadratic
        // comparison, so a huge unknown value costs no more than reading it.
        .filter(|c| {
            let len = c.chars().count();
            len.abs_diff(wanted_len) <= wanted_len.max(len) / 3 + 1 || c.ends_with(wanted)
        })
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, c)| {
            *d <= (wanted.chars().count().max(c.chars().count()) / 3).max(1)
                || c.ends_with(&format!(".{wanted}"))
        })
        .collect();
    best.sort();
    best.dedup();
    match best.as_slice() {
        [] => None,
        [(_, one), ..] => Some(format!("did you mean `{one}`?")),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_near_name() {
        let names = [
            "vulnerability.aware_on",
            "vulnerability.filed_on",
            "party.roles",
        ];
        assert_eq!(
            suggest("vulnerability.awre_on", names).as_deref(),
            Some("did you mean `vulnerability.aware_on`?")
        );
        assert_eq!(suggest("completely_different", names), None);
    }
}
