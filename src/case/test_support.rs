//! What the case readers' tests share: the shipped policies, loaded once, and
//! the full JSON reader's facts to compare the quick readers with.

use super::Facts;
use crate::check::ir::Program;
use crate::source::Source;

/// The shipped policies, loaded once for every test that reads cases.
pub fn shipped() -> &'static crate::Policy {
    static POLICY: std::sync::OnceLock<crate::Policy> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| match crate::Policy::load(["policies"]) {
        Ok(policy) => policy,
        Err(e) => panic!("the shipped policies do not load: {e}"),
    })
}

/// The full JSON reader's facts (tree with spans, then validation), or
/// `None` when it finds a problem.
pub fn full_facts(program: &Program, text: &str) -> Option<Facts> {
    let source = Source::new("case.json", text);
    let tree = super::json::parse(text).ok()?;
    super::from_tree(program, &source, &tree).ok()
}
