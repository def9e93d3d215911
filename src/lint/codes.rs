//! The lint codes, their short names (for `allow`) and their long
//! explanations (for `deon explain`).

/// The kinds of warning the linter reports. Each has a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LintCode {
    /// A fact no condition reads.
    UnusedFact,
    /// A rule whose roles and `when` conditions can never all hold.
    NeverHolds,
    /// An `unless` or an `exception to` that can never apply.
    NeverFires,
    /// A deadline that runs from an optional fact the rule does not check.
    UnguardedAnchor,
    /// A review note whose condition can never hold.
    ReviewOnNothing,
    /// An obligation and a prohibition of the same act that can bind the same party.
    Conflict,
    /// An `allow` naming a code that does not exist.
    UnknownAllow,
}

impl LintCode {
    /// Every lint code.
    pub const ALL: [LintCode; 7] = [
        LintCode::UnusedFact,
        LintCode::NeverHolds,
        LintCode::NeverFires,
        LintCode::UnguardedAnchor,
        LintCode::ReviewOnNothing,
        LintCode::Conflict,
        LintCode::UnknownAllow,
    ];

    /// The stable code, e.g. `deon::lint::conflict`.
    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::UnusedFact => "deon::lint::unused_fact",
            LintCode::NeverHolds => "deon::lint::never_holds",
            LintCode::NeverFires => "deon::lint::never_fires",
            LintCode::UnguardedAnchor => "deon::lint::unguarded_anchor",
            LintCode::ReviewOnNothing => "deon::lint::review_on_nothing",
            LintCode::Conflict => "deon::lint::conflict",
            LintCode::UnknownAllow => "deon::lint::unknown_allow",
        }
    }

    /// The name `allow` takes: the code's last part, e.g. `conflict`.
    pub fn name(self) -> &'static str {
        self.as_str().rsplit("::").next().unwrap_or("")
    }
}

/// Codes of checker warnings that `allow` may also silence.
pub const CHECK_WARNINGS: [&str; 2] = ["deon::check::missing_citation", "deon::check::missing_doc"];

/// The full code for a name written after `allow` or given to `deon
/// explain`: `conflict`, `lint::conflict` or `deon::lint::conflict`.
pub fn resolve(name: &str) -> Option<&'static str> {
    let short = name.rsplit("::").next().unwrap_or(name);
    LintCode::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(CHECK_WARNINGS)
        .find(|code| *code == name || code.rsplit("::").next() == Some(short))
}

/// The long explanation of a warning code, with an example, as `deon
/// explain` prints it. Accepts the forms [`resolve`] does.
///
/// # Examples
///
/// ```
/// let text = deon::lint::explain("conflict").unwrap();
/// assert!(text.starts_with("deon::lint::conflict"));
/// assert!(deon::lint::explain("no_such_lint").is_none());
/// ```
pub fn explain(name: &str) -> Option<&'static str> {
    Some(match resolve(name)? {
        "deon::lint::unused_fact" => UNUSED_FACT,
        "deon::lint::never_holds" => NEVER_HOLDS,
        "deon::lint::never_fires" => NEVER_FIRES,
        "deon::lint::unguarded_anchor" => UNGUARDED_ANCHOR,
        "deon::lint::review_on_nothing" => REVIEW_ON_NOTHING,
        "deon::lint::conflict" => CONFLICT,
        "deon::lint::unknown_allow" => UNKNOWN_ALLOW,
        "deon::check::missing_citation" => MISSING_CITATION,
        "deon::check::missing_doc" => MISSING_DOC,
        _ => return None,
    })
}

const UNUSED_FACT: &str = r#"deon::lint::unused_fact: a fact is declared but nothing reads it

A fact declared in a `facts` block is something every case may be asked to
supply. When no rule, role, definition or penalty reads it, supplying it
changes nothing: either a condition that should use it is missing, or the
fact is left over from an earlier draft.

Example:

    facts {
      party "The party." {
        roles: set of Role "Every role the party holds."
        headcount: int "Number of employees."   // warned: nothing reads it
      }
    }

Fix: use the fact in the condition that needs it, or remove it. To keep it
on purpose, say why in an `allow` on the rule it belongs with:

    allow unused_fact "kept for the size threshold of the 2026 revision"
"#;

const NEVER_HOLDS: &str = r#"deon::lint::never_holds: a rule's or a tier's conditions can never hold

The rule's roles and `when` conditions contradict each other, so no case can
reach the rule: it is `not_applicable` to everybody. The linter tries every
combination of the booleans, enum values, role sets and date orderings the
conditions read; none satisfies them all.

Example:

    rule notify "..." {
      cite "Art. 7"
      when vulnerability.aware_on is set
      when vulnerability.aware_on is unset     // contradicts the line above
      must "notify the regulator"
    }

A tier of a penalty is warned about the same way when its condition never
holds in a case that reaches a rule linking to the penalty: the step of the
scale it encodes is never reached.

    penalty art_20 "..." {
      cite "Art. 20"
      warning
      tier "serious, for a small enterprise" when party.small and party.refused {
        fine 10,000 to 100,000 CNY on the entity
      }
    }
    rule file_report "..." {
      cite "Art. 7"
      when not party.small          // only large enterprises: the tier never holds
      must "file the report"
      penalty art_20
    }

Fix: correct the condition that was meant differently (often an `and` that
should be an `or`, or a negation the wrong way round).
"#;

const NEVER_FIRES: &str = r#"deon::lint::never_fires: an exception or `unless` can never apply

An `unless` condition that is false in every case the rule reaches, or an
`exception to` rule that can never reach a party the excepted rule reaches,
exempts nobody. The linter searches the finite part of the fact space (roles,
enums, booleans, date orderings) for a case where both hold and finds none.

Example:

    rule report "..." {
      cite "Art. 5"
      applies to product_provider
      must "report"
      unless product_provider not in party.roles   // never true for a provider
    }

Fix: write the exception for the parties it is meant to exempt, or remove it.
"#;

const UNGUARDED_ANCHOR: &str = r#"deon::lint::unguarded_anchor: a deadline runs from an optional fact that may be unset

A deadline such as `within 2 days of vulnerability.aware_on` needs its date.
When the fact is optional and the rule can apply while it is `null`, the
deadline has nothing to run from and the finding cannot say when the act is
due.

Example:

    rule file "..." {
      cite "Art. 7"
      when vulnerability.known or vulnerability.aware_on is set
      must "file the vulnerability"
      within 2 days of vulnerability.aware_on   // unset when only `known` holds
    }

Fix: guard the rule with `when <fact> is set` (or a definition that implies
it), so the rule applies only once the event has happened.
"#;

const REVIEW_ON_NOTHING: &str = r#"deon::lint::review_on_nothing: a review note can never be shown

A `review "..." [when <condition>]` note is shown on a finding only when its
condition holds, and only on findings it touches: a rule's on the rule's
findings, a penalty's, a version's or a tier's on the findings that expose
the penalty (a tier's only when the tier may be reached). The note is never
shown, so the caveat it carries never reaches a lawyer, when

- its condition never holds in a case that reaches its rule (or a rule
  linking to its penalty), together with its tier's condition;
- it stands in a penalty that no rule links to;
- it stands in a tier that is never reached (`never_holds`).

Example:

    rule file "..." {
      cite "Art. 7"
      when party.kind is organisation
      must "file"
      review "the filing duty of individuals is arguable" when party.kind is individual
    }

Fix: attach the note where its condition can hold, correct the condition, or
link the penalty from the rule it belongs with.
"#;

const CONFLICT: &str = r#"deon::lint::conflict: an obligation and a prohibition of the same act can bind the same party

A `must` and a `must not` of the same act (the same words, ignoring case and
spacing) cannot both be obeyed. The linter searches the finite part of the
fact space (roles, enums, booleans, date orderings) for one case in which
both rules bind the party: in force on the same day, a role and every `when`
holding, no `unless` and no exception applying. When it finds one, the
warning carries that case as a case file; `deon lint --examples DIR` writes
it, and `deon eval` on it shows both rules applying.

Example:

    rule must_publish "..." {
      cite "Art. 9"
      applies to platform
      must "publish the vulnerability details"
    }
    rule no_publication "..." {
      cite "Art. 10"
      when vulnerability.unpatched
      must not "publish the vulnerability details"
    }

A platform with an unpatched vulnerability must and must not publish.

Fix: make one rule an `exception to` the other, add the missing `unless`, or
narrow a `when` so the two cannot meet. If the statute itself conflicts, say
so with `allow conflict "reason"` on either rule.
"#;

const UNKNOWN_ALLOW: &str = r#"deon::lint::unknown_allow: an `allow` names no warning

`allow <name> "reason"` on a rule silences one kind of warning in that rule.
The name must be a warning's code or its last part: unused_fact,
never_holds, never_fires, unguarded_anchor, review_on_nothing, conflict,
missing_citation or missing_doc.

Example:

    allow conflicts "Art. 9 and Art. 10 overlap"   // should be `conflict`

Fix: correct the name.
"#;

const MISSING_CITATION: &str = r#"deon::check::missing_citation: a rule or penalty cites no article

Every rule and penalty should say where in the regulation it comes from, so
a lawyer can hold it against the text. The citation is shown on every
finding and in the catalogue (`deon doc`).

Example:

    rule file "..." {
      must "file the report"       // warned: no `cite`
    }

Fix: add `cite "Art. 7(2)"` (repeat `cite` for several articles).
"#;

const MISSING_DOC: &str = r#"deon::check::missing_doc: a fact has no description

A fact's description tells the person filling in a case what to supply, and
for an optional fact what `null` means.

Example:

    facts { vulnerability "The vulnerability." { aware_on: date? } }

Fix: `aware_on: date? "Day the party learned of it; null if it has not."`
"#;
