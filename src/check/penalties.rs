//! Check: roles and penalties: who is liable, the tiers and sanctions a
//! penalty names, and the review notes that go with them.

use std::collections::HashMap;

use super::Checker;
use super::error::{CheckCode, CheckError};
use super::expr::{ExprChecker, Guards};
use super::ir::*;
use crate::source::{Source, Span, Spanned};
use crate::syntax::ast;
use crate::value::Type;

impl Checker {
    pub(super) fn collect_roles(&mut self, roles: Vec<(FileId, ast::RoleDecl)>) {
        let mut seen: HashMap<String, (FileId, Span)> = HashMap::new();
        for (file, role) in roles {
            if let Some(&first) = seen.get(&role.name.node) {
                self.duplicate("role", &role.name.node, file, role.name.span, first);
                continue;
            }
            if role.name.node == "anyone" {
                let source = self.source(file);
                self.push(
                    CheckError::new(
                        CheckCode::Duplicate,
                        &source,
                        role.name.span,
                        "`anyone` is built in: it binds every party",
                    )
                    .help("choose another name"),
                );
                continue;
            }
            seen.insert(role.name.node.clone(), (file, role.name.span));
            let source = self.source(file);
            let condition = ExprChecker {
                checker: self,
                source: &source,
            }
            .check_as(&role.condition, Type::BOOL, &Guards::new());
            if let Some(condition) = condition {
                self.program.roles.push(RoleInfo {
                    label: format!("applies to {}", role.name.node).into(),
                    name: role.name.node.clone(),
                    doc: role.doc.as_ref().map(|d| d.node.clone()),
                    condition,
                    file,
                });
            }
        }
    }

    pub(super) fn collect_penalties(&mut self, penalties: Vec<(FileId, ast::PenaltyDecl)>) {
        let mut seen: HashMap<String, (FileId, Span)> = HashMap::new();
        for (file, penalty) in penalties {
            if let Some(&first) = seen.get(&penalty.name.node) {
                self.duplicate(
                    "penalty",
                    &penalty.name.node,
                    file,
                    penalty.name.span,
                    first,
                );
                continue;
            }
            seen.insert(penalty.name.node.clone(), (file, penalty.name.span));
            let source = self.source(file);
            if penalty.cites.is_empty() {
                let error = CheckError::new(
                    CheckCode::MissingCitation,
                    &source,
                    penalty.name.span,
                    format!("penalty `{}` cites no article", penalty.name.node),
                )
                .help("add `cite \"Art. ...\"` so readers can find the provision it comes from");
                self.push(error);
            }
            if (!penalty.body.sanctions.is_empty() || !penalty.body.tiers.is_empty())
                && !penalty.versions.is_empty()
            {
                let error = CheckError::new(
                    CheckCode::ConflictingClauses,
                    &source,
                    penalty.name.span,
                    format!(
                        "penalty `{}` has sanctions both inside and outside its versions",
                        penalty.name.node
                    ),
                )
                .help("put every sanction and tier inside a `version \"...\" from <date> { ... }` block");
                self.push(error);
                continue;
            }
            let mut versions = Vec::new();
            let mut reviews = Vec::new();
            if penalty.versions.is_empty() {
                let (sanctions, tiers) = self.check_penalty_body(&source, &penalty.body);
                versions.push(PenaltyVersionInfo {
                    label: None,
                    from: None,
                    cites: Vec::new(),
                    reviews: self.check_reviews(&source, &penalty.body.reviews, &Guards::new()),
                    tiers,
                    sanctions,
                });
            } else {
                reviews = self.check_reviews(&source, &penalty.body.reviews, &Guards::new());
            }
            let mut seen_dates: HashMap<chrono::NaiveDate, Span> = HashMap::new();
            for version in &penalty.versions {
                if let Some(&first) = seen_dates.get(&version.node.from) {
                    let error = CheckError::new(
                        CheckCode::Duplicate,
                        &source,
                        version.span,
                        "two versions of a penalty start on the same day",
                    )
                    .also(first, "the other version")
                    .help("each version takes over from the one before on its own date");
                    self.push(error);
                    continue;
                }
                seen_dates.insert(version.node.from, version.span);
                let (sanctions, tiers) = self.check_penalty_body(&source, &version.node.body);
                versions.push(PenaltyVersionInfo {
                    label: Some(version.node.label.clone()),
                    from: Some(version.node.from),
                    cites: version.node.cites.iter().map(|c| c.node.clone()).collect(),
                    reviews: self.check_reviews(
                        &source,
                        &version.node.body.reviews,
                        &Guards::new(),
                    ),
                    tiers,
                    sanctions,
                });
            }
            versions.sort_by_key(|v| v.from);
            self.program.penalties.push(PenaltyInfo {
                name: penalty.name.node.clone(),
                doc: penalty.doc.as_ref().map(|d| d.node.clone()),
                cites: penalty.cites.iter().map(|c| c.node.clone()).collect(),
                reviews,
                versions,
            });
        }
    }

    /// The sanctions of a penalty body, the first step's then each tier's,
    /// and its tiers.
    fn check_penalty_body(
        &mut self,
        source: &Source,
        body: &ast::PenaltyBody,
    ) -> (Vec<SanctionInfo>, Vec<TierInfo>) {
        let mut sanctions = self.check_sanctions(source, &body.sanctions, None);
        let mut tiers = Vec::new();
        let mut names: HashMap<&str, Span> = HashMap::new();
        for tier in &body.tiers {
            if let Some(&first) = names.get(tier.node.name.as_str()) {
                let error = CheckError::new(
                    CheckCode::Duplicate,
                    source,
                    tier.span,
                    format!("two tiers are called \"{}\"", tier.node.name),
                )
                .also(first, "the other tier")
                .help("name each tier after the step of the statute it encodes");
                self.push(error);
                continue;
            }
            names.insert(tier.node.name.as_str(), tier.span);
            if tier.node.sanctions.is_empty() {
                let error = CheckError::new(
                    CheckCode::ConflictingClauses,
                    source,
                    tier.span,
                    format!("tier \"{}\" imposes nothing", tier.node.name),
                )
                .help("list the sanctions of this step inside its braces");
                self.push(error);
            }
            let condition = match &tier.node.condition {
                Some(c) => match (ExprChecker {
                    checker: self,
                    source,
                })
                .check_as(c, Type::BOOL, &Guards::new())
                {
                    Some(c) => Some(c),
                    None => continue,
                },
                None => None,
            };
            let index = tiers.len() as u32;
            sanctions.extend(self.check_sanctions(source, &tier.node.sanctions, Some(index)));
            tiers.push(TierInfo {
                name: tier.node.name.as_str().into(),
                condition,
                reviews: self.check_reviews(source, &tier.node.reviews, &Guards::new()),
            });
        }
        (sanctions, tiers)
    }

    pub(crate) fn check_reviews(
        &mut self,
        source: &Source,
        reviews: &[Spanned<ast::Review>],
        guards: &Guards,
    ) -> Vec<ReviewInfo> {
        let mut out = Vec::new();
        for review in reviews {
            if let Some(info) = self.check_review(source, review, guards) {
                out.push(info);
            }
        }
        out
    }

    pub(crate) fn check_review(
        &mut self,
        source: &Source,
        review: &Spanned<ast::Review>,
        guards: &Guards,
    ) -> Option<ReviewInfo> {
        if review.node.text.trim().is_empty() {
            let error = CheckError::new(
                CheckCode::MissingDoc,
                source,
                review.span,
                "a review note says nothing",
            )
            .help("say what a reviewer must check, e.g. `review \"amount unverified against the amended text\"`");
            self.push(error);
        }
        let condition = match &review.node.condition {
            Some(c) => Some(
                ExprChecker {
                    checker: self,
                    source,
                }
                .check_as(c, Type::BOOL, guards)?,
            ),
            None => None,
        };
        Some(ReviewInfo {
            text: review.node.text.as_str().into(),
            condition,
        })
    }

    fn check_sanctions(
        &mut self,
        source: &Source,
        sanctions: &[Spanned<ast::Sanction>],
        tier: Option<u32>,
    ) -> Vec<SanctionInfo> {
        let mut out = Vec::new();
        for sanction in sanctions {
            let condition = match &sanction.condition {
                Some(c) => match (ExprChecker {
                    checker: self,
                    source,
                })
                .check_as(c, Type::BOOL, &Guards::new())
                {
                    Some(c) => Some(c),
                    None => continue,
                },
                None => None,
            };
            out.push(SanctionInfo {
                kind: sanction.kind.clone(),
                condition,
                discretionary: sanction.discretionary,
                tier,
                choice: sanction.choice,
            });
        }
        out
    }

    pub(super) fn penalty_id(&self, name: &str) -> Option<PenaltyId> {
        self.program
            .penalties
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as PenaltyId)
    }

    pub(super) fn role_id(&self, name: &str) -> Option<RoleId> {
        self.program
            .roles
            .iter()
            .position(|r| r.name == name)
            .map(|i| i as RoleId)
    }
}
