//! The REPL's input handling: lines as a script feeds them (joined while
//! unfinished), completion, hints and highlighting at every position.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut session = deon::repl::Session::from_policy(deon_fuzz::small().clone());
    let mut buffer = String::new();
    for line in text.lines().take(64) {
        // Commands that read files or folders are left out: they would read
        // the machine, not the input.
        let trimmed = line.trim_start();
        if [":load", ":case", ":reload", ":l ", ":c "]
            .iter()
            .any(|c| trimmed.starts_with(c))
        {
            continue;
        }
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(line);
        let tokens = session.highlight_tokens(&buffer);
        assert_eq!(
            tokens.iter().map(|t| t.range().len()).sum::<usize>(),
            buffer.len(),
            "tokens do not cover the input"
        );
        for pos in (0..=buffer.len())
            .filter(|&p| buffer.is_char_boundary(p))
            .step_by(7)
        {
            let _ = session.complete(&buffer, pos);
            let _ = session.hint(&buffer, pos);
        }
        if deon::repl::needs_more_input(&buffer) {
            continue;
        }
        let out = session.handle(&buffer);
        let _ = out.text();
        buffer.clear();
    }
    if !buffer.is_empty() {
        // Input that ends inside an entry is an error, said plainly.
        let out = session.handle(&buffer);
        if deon::repl::needs_more_input(&buffer) {
            assert!(out.has_errors());
        }
    }
});
