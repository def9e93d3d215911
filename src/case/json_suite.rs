//! Both JSON case readers against RFC 8259: the `y_` (must accept) and `n_`
//! (must refuse) cases of JSONTestSuite (github.com/nst/JSONTestSuite, MIT
//! licence in JSONTestSuite-LICENSE next to this file), written inline, and
//! a differential test against serde_json on damaged JSON.
//!
//! Left out of the suite: the `n_` files that are not UTF-8 (a case is read
//! as `&str`, so they cannot reach a reader) and the `i_` files, whose
//! answer is the implementation's choice; of those, Deon accepts a leading
//! byte-order mark and refuses numbers past `f64` and lone surrogates, as
//! serde_json does.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use proptest::prelude::*;

use super::test_support::{full_facts, shipped};
use super::{direct, json, tree::ReadProblem};
use crate::check::ir::Program;

/// JSON that every reader must accept as JSON.
const YES: &[(&str, &str)] = &[
    ("array_arraysWithSpaces", "[[]   ]"),
    ("array_empty-string", r#"[""]"#),
    ("array_empty", "[]"),
    ("array_ending_with_newline", "[\"a\"]\n"),
    ("array_false", "[false]"),
    ("array_heterogeneous", r#"[null, 1, "1", {}]"#),
    ("array_null", "[null]"),
    ("array_with_1_and_newline", "[1\n]"),
    ("array_with_leading_space", " [1]"),
    ("array_with_several_null", "[1,null,null,null,2]"),
    ("array_with_trailing_space", "[2] "),
    ("number", "[123e65]"),
    ("number_0e+1", "[0e+1]"),
    ("number_0e1", "[0e1]"),
    ("number_after_space", "[ 4]"),
    (
        "number_double_close_to_zero",
        "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]",
    ),
    ("number_int_with_exp", "[20e1]"),
    ("number_minus_zero", "[-0]"),
    ("number_negative_int", "[-123]"),
    ("number_negative_one", "[-1]"),
    ("number_negative_zero", "[-0]"),
    ("number_real_capital_e", "[1E22]"),
    ("number_real_capital_e_neg_exp", "[1E-2]"),
    ("number_real_capital_e_pos_exp", "[1E+2]"),
    ("number_real_exponent", "[123e45]"),
    ("number_real_fraction_exponent", "[123.456e78]"),
    ("number_real_neg_exp", "[1e-2]"),
    ("number_real_pos_exponent", "[1e+2]"),
    ("number_simple_int", "[123]"),
    ("number_simple_real", "[123.456789]"),
    ("object", r#"{"asd":"sdf", "dfg":"fgh"}"#),
    ("object_basic", r#"{"asd":"sdf"}"#),
    ("object_duplicated_key", r#"{"a":"b","a":"c"}"#),
    ("object_duplicated_key_and_value", r#"{"a":"b","a":"b"}"#),
    ("object_empty", "{}"),
    ("object_empty_key", r#"{"":0}"#),
    ("object_escaped_null_in_key", r#"{"foo\u0000bar": 42}"#),
    (
        "object_extreme_numbers",
        r#"{ "min": -1.0e+28, "max": 1.0e+28 }"#,
    ),
    (
        "object_long_strings",
        r#"{"x":[{"id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}], "id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#,
    ),
    ("object_simple", r#"{"a":[]}"#),
    (
        "object_string_unicode",
        r#"{"title":"\u041f\u043e\u043b\u0442\u043e\u0440\u0430 \u0417\u0435\u043c\u043b\u0435\u043a\u043e\u043f\u0430" }"#,
    ),
    ("object_with_newlines", "{\n\"a\": \"b\"\n}"),
    (
        "string_1_2_3_bytes_UTF-8_sequences",
        r#"["\u0060\u012a\u12AB"]"#,
    ),
    ("string_accepted_surrogate_pair", r#"["\uD801\udc37"]"#),
    (
        "string_accepted_surrogate_pairs",
        r#"["\ud83d\ude39\ud83d\udc8d"]"#,
    ),
    ("string_allowed_escapes", r#"["\"\\\/\b\f\n\r\t"]"#),
    ("string_backslash_and_u_escaped_zero", r#"["\\u0000"]"#),
    ("string_backslash_doublequotes", r#"["\""]"#),
    ("string_comments", r#"["a/*b*/c/*d//e"]"#),
    ("string_double_escape_a", r#"["\\a"]"#),
    ("string_double_escape_n", r#"["\\n"]"#),
    ("string_escaped_control_character", r#"["\u0012"]"#),
    ("string_escaped_noncharacter", r#"["\uFFFF"]"#),
    ("string_in_array", r#"["asd"]"#),
    ("string_in_array_with_leading_space", r#"[ "asd"]"#),
    ("string_last_surrogates_1_and_2", r#"["\uDBFF\uDFFF"]"#),
    ("string_nbsp_uescaped", r#"["new\u00A0line"]"#),
    ("string_nonCharacterInUTF-8_U+10FFFF", "[\"\u{10FFFF}\"]"),
    ("string_nonCharacterInUTF-8_U+FFFF", "[\"\u{FFFF}\"]"),
    ("string_null_escape", r#"["\u0000"]"#),
    ("string_one-byte-utf-8", r#"["\u002c"]"#),
    ("string_pi", "[\"π\"]"),
    ("string_reservedCharacterInUTF-8_U+1BFFF", "[\"\u{1BFFF}\"]"),
    ("string_simple_ascii", r#"["asd "]"#),
    ("string_space", r#"" ""#),
    (
        "string_surrogates_U+1D11E_MUSICAL_SYMBOL_G_CLEF",
        r#"["\uD834\uDd1e"]"#,
    ),
    ("string_three-byte-utf-8", r#"["\u0821"]"#),
    ("string_two-byte-utf-8", r#"["\u0123"]"#),
    ("string_u+2028_line_sep", "[\"\u{2028}\"]"),
    ("string_u+2029_par_sep", "[\"\u{2029}\"]"),
    ("string_uEscape", r#"["\u0061\u30af\u30EA\u30b9"]"#),
    ("string_uescaped_newline", r#"["new\u000Aline"]"#),
    ("string_unescaped_char_delete", "[\"\u{7f}\"]"),
    ("string_unicode", r#"["\uA66D"]"#),
    ("string_unicodeEscapedBackslash", r#"["\u005C"]"#),
    ("string_unicode_2", "[\"⍂㈴⍂\"]"),
    ("string_unicode_U+10FFFE_nonchar", r#"["\uDBFF\uDFFE"]"#),
    ("string_unicode_U+1FFFE_nonchar", r#"["\uD83F\uDFFE"]"#),
    ("string_unicode_U+200B_ZERO_WIDTH_SPACE", r#"["\u200B"]"#),
    ("string_unicode_U+2064_invisible_plus", r#"["\u2064"]"#),
    ("string_unicode_U+FDD0_nonchar", r#"["\uFDD0"]"#),
    ("string_unicode_U+FFFE_nonchar", r#"["\uFFFE"]"#),
    ("string_unicode_escaped_double_quote", r#"["\u0022"]"#),
    ("string_utf8", "[\"€𝄞\"]"),
    ("string_with_del_character", "[\"a\u{7f}a\"]"),
    ("structure_lonely_false", "false"),
    ("structure_lonely_int", "42"),
    ("structure_lonely_negative_real", "-0.1"),
    ("structure_lonely_null", "null"),
    ("structure_lonely_string", r#""asd""#),
    ("structure_lonely_true", "true"),
    ("structure_string_empty", r#""""#),
    ("structure_trailing_newline", "[\"a\"]\n"),
    ("structure_true_in_array", "[true]"),
    ("structure_whitespace_array", " [] "),
];

/// Text that is not JSON, which every reader must refuse.
const NO: &[(&str, &str)] = &[
    ("array_1_true_without_comma", "[1 true]"),
    ("array_colon_instead_of_comma", r#"["": 1]"#),
    ("array_comma_after_close", r#"[""],"#),
    ("array_comma_and_number", "[,1]"),
    ("array_double_comma", "[1,,2]"),
    ("array_double_extra_comma", r#"["x",,]"#),
    ("array_extra_close", r#"["x"]]"#),
    ("array_extra_comma", r#"["",]"#),
    ("array_incomplete", r#"["x""#),
    ("array_incomplete_invalid_value", "[x"),
    ("array_inner_array_no_comma", "[3[4]]"),
    ("array_items_separated_by_semicolon", "[1:2]"),
    ("array_just_comma", "[,]"),
    ("array_just_minus", "[-]"),
    ("array_missing_value", r#"[   , ""]"#),
    ("array_newlines_unclosed", "[\"a\",\n4\n,1,"),
    ("array_number_and_comma", "[1,]"),
    ("array_number_and_several_commas", "[1,,]"),
    ("array_spaces_vertical_tab_formfeed", "[\"\u{b}a\"\\f]"),
    ("array_star_inside", "[*]"),
    ("array_unclosed", r#"["""#),
    ("array_unclosed_trailing_comma", "[1,"),
    ("array_unclosed_with_new_lines", "[1,\n1\n,1"),
    ("array_unclosed_with_object_inside", "[{}"),
    ("incomplete_false", "[fals]"),
    ("incomplete_null", "[nul]"),
    ("incomplete_true", "[tru]"),
    ("multidigit_number_then_00", "123\u{0}"),
    ("number_++", "[++1234]"),
    ("number_+1", "[+1]"),
    ("number_+Inf", "[+Inf]"),
    ("number_-01", "[-01]"),
    ("number_-1.0.", "[-1.0.]"),
    ("number_-2.", "[-2.]"),
    ("number_-NaN", "[-NaN]"),
    ("number_.-1", "[.-1]"),
    ("number_.2e-3", "[.2e-3]"),
    ("number_0.1.2", "[0.1.2]"),
    ("number_0.3e+", "[0.3e+]"),
    ("number_0.3e", "[0.3e]"),
    ("number_0.e1", "[0.e1]"),
    ("number_0_capital_E+", "[0E+]"),
    ("number_0_capital_E", "[0E]"),
    ("number_0e+", "[0e+]"),
    ("number_0e", "[0e]"),
    ("number_1.0e+", "[1.0e+]"),
    ("number_1.0e-", "[1.0e-]"),
    ("number_1.0e", "[1.0e]"),
    ("number_1_000", "[1 000.0]"),
    ("number_1eE2", "[1eE2]"),
    ("number_2.e+3", "[2.e+3]"),
    ("number_2.e-3", "[2.e-3]"),
    ("number_2.e3", "[2.e3]"),
    ("number_9.e+", "[9.e+]"),
    ("number_-00.0", "[-00.0]"),
    ("number_00.0", "[00.0]"),
    ("number_Inf", "[Inf]"),
    ("number_NaN", "[NaN]"),
    ("number_U+FF11_fullwidth_digit_one", "[\u{FF11}]"),
    ("number_expression", "[1+2]"),
    ("number_hex_1_digit", "[0x1]"),
    ("number_hex_2_digits", "[0x42]"),
    ("number_infinity", "[Infinity]"),
    ("number_invalid+-", "[0e+-1]"),
    ("number_invalid-negative-real", "[-123.123foo]"),
    ("number_minus_infinity", "[-Infinity]"),
    ("number_minus_sign_with_trailing_garbage", "[-foo]"),
    ("number_minus_space_1", "[- 1]"),
    ("number_neg_int_starting_with_zero", "[-012]"),
    ("number_neg_real_without_int_part", "[-.123]"),
    ("number_neg_with_garbage_at_end", "[-1x]"),
    ("number_real_garbage_after_e", "[1ea]"),
    ("number_real_without_fractional_part", "[1.]"),
    ("number_starting_with_dot", "[.123]"),
    ("number_with_alpha", "[1.2a-3]"),
    ("number_with_alpha_char", "[1.8011670033376514H-308]"),
    ("number_with_leading_zero", "[012]"),
    ("object_bad_value", r#"["x", truth]"#),
    ("object_bracket_key", r#"{[: "x"}"#),
    ("object_comma_instead_of_colon", r#"{"x", null}"#),
    ("object_double_colon", r#"{"x"::"b"}"#),
    ("object_emoji", "{🇨🇭}"),
    ("object_garbage_at_end", r#"{"a":"a" 123}"#),
    ("object_key_with_single_quotes", "{key: 'value'}"),
    ("object_missing_colon", r#"{"a" b}"#),
    ("object_missing_key", r#"{:"b"}"#),
    ("object_missing_semicolon", r#"{"a" "b"}"#),
    ("object_missing_value", r#"{"a":"#),
    ("object_no-colon", r#"{"a""#),
    ("object_non_string_key", "{1:1}"),
    (
        "object_non_string_key_but_huge_number_instead",
        "{9999E9999:1}",
    ),
    ("object_repeated_null_null", "{null:null,null:null}"),
    ("object_several_trailing_commas", r#"{"id":0,,,,,}"#),
    ("object_single_quote", "{'a':0}"),
    ("object_trailing_comma", r#"{"id":0,}"#),
    ("object_trailing_comment", r#"{"a":"b"}/**/"#),
    ("object_trailing_comment_open", r#"{"a":"b"}/**//"#),
    ("object_trailing_comment_slash_open", r#"{"a":"b"}//"#),
    (
        "object_trailing_comment_slash_open_incomplete",
        r#"{"a":"b"}/"#,
    ),
    ("object_two_commas_in_a_row", r#"{"a":"b",,"c":"d"}"#),
    ("object_unquoted_key", r#"{a: "b"}"#),
    ("object_unterminated-value", r#"{"a":"a"#),
    ("object_with_single_string", r#"{ "foo" : "bar", "a" }"#),
    ("object_with_trailing_garbage", r#"{"a":"b"}#"#),
    ("single_space", " "),
    ("string_1_surrogate_then_escape", r#"["\uD800\"]"#),
    ("string_1_surrogate_then_escape_u", r#"["\uD800\u"]"#),
    ("string_1_surrogate_then_escape_u1", r#"["\uD800\u1"]"#),
    ("string_1_surrogate_then_escape_u1x", r#"["\uD800\u1x"]"#),
    ("string_accentuated_char_no_quotes", "[é]"),
    ("string_backslash_00", "[\"\\\u{0}\"]"),
    ("string_escape_x", r#"["\x00"]"#),
    ("string_escaped_backslash_bad", r#"["\\\"]"#),
    ("string_escaped_ctrl_char_tab", "[\"\\\t\"]"),
    ("string_escaped_emoji", "[\"\\🌀\"]"),
    ("string_incomplete_escape", r#"["\"]"#),
    ("string_incomplete_escaped_character", r#"["\u00A"]"#),
    ("string_incomplete_surrogate", r#"["\uD834\uDd"]"#),
    (
        "string_incomplete_surrogate_escape_invalid",
        r#"["\uD800\uD800\x"]"#,
    ),
    ("string_invalid_backslash_esc", r#"["\a"]"#),
    ("string_invalid_unicode_escape", r#"["\uqqqq"]"#),
    ("string_leading_uescaped_thinspace", r#"[\u0020"asd"]"#),
    ("string_no_quotes_with_bad_escape", r"[\n]"),
    ("string_single_doublequote", "\""),
    ("string_single_quote", "['single quote']"),
    ("string_single_string_no_double_quotes", "abc"),
    ("string_start_escape_unclosed", "[\"\\"),
    ("string_unescaped_ctrl_char", "[\"a\u{0}a\"]"),
    ("string_unescaped_newline", "[\"new\nline\"]"),
    ("string_unescaped_tab", "[\"\t\"]"),
    ("string_unicode_CapitalU", r#""\UA66D""#),
    ("string_with_trailing_garbage", r#"""x"#),
    ("structure_U+2060_word_joined", "[\u{2060}]"),
    ("structure_UTF8_BOM_no_data", "\u{feff}"),
    ("structure_angle_bracket_.", "<.>"),
    ("structure_angle_bracket_null", "[<null>]"),
    ("structure_array_trailing_garbage", "[1]x"),
    ("structure_array_with_extra_array_close", "[1]]"),
    ("structure_array_with_unclosed_string", r#"["asd]"#),
    ("structure_ascii-unicode-identifier", "aå"),
    ("structure_capitalized_True", "[True]"),
    ("structure_close_unopened_array", "1]"),
    ("structure_comma_instead_of_closing_brace", r#"{"x": true,"#),
    ("structure_double_array", "[][]"),
    ("structure_end_array", "]"),
    ("structure_lone-open-bracket", "["),
    ("structure_no_data", ""),
    ("structure_null-byte-outside-string", "[\u{0}]"),
    ("structure_number_with_trailing_garbage", "2@"),
    ("structure_object_followed_by_closing_object", "{}}"),
    ("structure_object_unclosed_no_value", r#"{"":"#),
    ("structure_object_with_comment", r#"{"a":/*comment*/"b"}"#),
    (
        "structure_object_with_trailing_garbage",
        r#"{"a": true} "x""#,
    ),
    ("structure_open_array_apostrophe", "['"),
    ("structure_open_array_comma", "[,"),
    ("structure_open_array_open_object", "[{"),
    ("structure_open_array_open_string", "[\"a"),
    ("structure_open_array_string", "[\"a\""),
    ("structure_open_object", "{"),
    ("structure_open_object_close_array", "{]"),
    ("structure_open_object_comma", "{,"),
    ("structure_open_object_open_array", "{["),
    ("structure_open_object_open_string", "{\"a"),
    ("structure_open_object_string_with_apostrophes", "{'a'"),
    ("structure_open_open", r#"["\{["\{["\{["\{"#),
    ("structure_single_star", "*"),
    ("structure_trailing_#", r##"{"a":"b"}#{}"##),
    ("structure_uescaped_LF_before_string", r#"[\u000A""]"#),
    ("structure_unclosed_array", "[1"),
    ("structure_unclosed_array_partial_null", "[ false, nul"),
    ("structure_unclosed_array_unfinished_false", "[ true, fals"),
    ("structure_unclosed_array_unfinished_true", "[ false, tru"),
    ("structure_unclosed_object", r#"{"asd":"asd""#),
    ("structure_unicode-identifier", "å"),
    ("structure_whitespace_U+2060_word_joiner", "[\u{2060}]"),
    ("structure_whitespace_formfeed", "[\u{c}]"),
    // Two of the suite's `i_` cases, whose answer is the parser's choice:
    // past `f64`, refused as serde_json refuses them.
    (
        "i_number_huge_exp",
        "[0.4e00669999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999969999999006]",
    ),
    ("i_number_real_pos_overflow", "[123123e100000]"),
];

/// What the full reader makes of a text.
#[derive(Debug, PartialEq)]
enum Verdict {
    Json,
    NotJson,
    /// Past the nesting limit, where it stops without reading on.
    TooDeep,
}

fn full(text: &str) -> Verdict {
    match json::parse(text) {
        Ok(_) => Verdict::Json,
        Err(problem) => classify(&problem),
    }
}

/// A key given twice is valid JSON refused by Deon's own reading rule
/// (docs/language.md, `deon::case::syntax`); reading stops at the nesting
/// limit.
fn classify(problem: &ReadProblem) -> Verdict {
    if problem.message.contains("appears twice") {
        Verdict::Json
    } else if problem.message.contains("nests more than") {
        Verdict::TooDeep
    } else {
        Verdict::NotJson
    }
}

fn serde_accepts(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

/// The quick reader, with the test's policy; it may give up on any text.
fn quick(program: &Program, text: &str) -> bool {
    direct::read(program, text).is_some()
}

#[test]
fn jsontestsuite_y_cases_are_json_to_both_readers() {
    let policy = shipped();
    let mut accepted = Vec::new();
    for (name, text) in YES {
        assert!(serde_accepts(text), "y_{name}: the table is wrong");
        assert_eq!(full(text), Verdict::Json, "y_{name}: {text}");
        // Only `{}` is a case of the shipped policies; the quick reader
        // leaves the others to the full one, which says why they are not.
        if let Some(quick) = direct::read(policy.program(), text) {
            let full = full_facts(policy.program(), text);
            assert!(
                full.is_some_and(|full| quick.slots == full.slots),
                "y_{name}"
            );
            accepted.push(*name);
        }
    }
    assert_eq!(accepted, ["object_empty"]);
    assert_eq!(YES.len(), 95);
}

#[test]
fn jsontestsuite_n_cases_are_refused_by_both_readers() {
    let policy = shipped();
    let deep = [
        ("structure_100000_opening_arrays", "[".repeat(100_000)),
        (
            "structure_open_array_object",
            r#"[{"":"#.repeat(50_000) + "\n",
        ),
    ];
    let all = NO
        .iter()
        .map(|&(name, text)| (name, text.to_string()))
        .chain(deep);
    let mut count = 0;
    for (name, text) in all {
        assert!(!serde_accepts(&text), "n_{name}: the table is wrong");
        assert_ne!(full(&text), Verdict::Json, "n_{name}: {text}");
        assert!(!quick(policy.program(), &text), "n_{name}: {text}");
        // Also where the quick reader reads a value of each kind (when
        // that is still not JSON: ` ` in a list is an empty list).
        for wrapped in wrappings(&text).iter().filter(|w| !serde_accepts(w)) {
            assert!(!quick(policy.program(), wrapped), "n_{name}: {wrapped}");
        }
        count += 1;
    }
    assert_eq!(count, 180);
}

/// `text` in the places of a case where the quick reader reads a value: a
/// text, a whole number, an amount, a true/false, a list, a date.
fn wrappings(text: &str) -> Vec<String> {
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    [
        r#"{"party": {"kind": VALUE}}"#,
        r#"{"party": {"roles": [VALUE]}}"#,
        r#"{"hosting": {"records_kept": VALUE}}"#,
        r#"{"as_of": VALUE}"#,
    ]
    .iter()
    .flat_map(|shape| [shape.replace("VALUE", text), shape.replace("VALUE", inner)])
    .collect()
}

/// A small valid JSON text with odd numbers, escapes, whitespace and nesting.
fn json_text() -> impl Strategy<Value = String> {
    let ws = proptest::sample::select(vec!["", "", " ", "\n", "\t", "\r\n  "]);
    let number = (
        proptest::option::of(Just("-")),
        proptest::sample::select(vec!["0", "7", "10", "123456789", "9223372036854775808"]),
        proptest::option::of(proptest::sample::select(vec![".0", ".5", ".000123"])),
        proptest::option::of(proptest::sample::select(vec![
            "e3", "E+2", "e-7", "e308", "E-400",
        ])),
    )
        .prop_map(|(sign, int, frac, exp)| {
            format!(
                "{}{int}{}{}",
                sign.unwrap_or_default(),
                frac.unwrap_or_default(),
                exp.unwrap_or_default()
            )
        });
    let piece = proptest::sample::select(vec![
        "a",
        "é",
        "预警",
        "😀",
        r"\n",
        r#"\""#,
        r"\\",
        r"\/",
        r"\b",
        r"\f",
        r"\t",
        r"\u00e9",
        r"\uD83D\uDE00",
        r"\u0000",
        " ",
        "'",
    ]);
    let string = proptest::collection::vec(piece, 0..4).prop_map(|p| format!("\"{}\"", p.concat()));
    let leaf = prop_oneof![
        number,
        string.clone(),
        proptest::sample::select(vec!["true", "false", "null"]).prop_map(String::from),
    ];
    leaf.prop_recursive(4, 24, 4, move |inner| {
        let item =
            (ws.clone(), inner.clone(), ws.clone()).prop_map(|(a, v, b)| format!("{a}{v}{b}"));
        prop_oneof![
            proptest::collection::vec(item.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec((string.clone(), item), 0..4).prop_map(|entries| {
                let entries: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", entries.join(","))
            }),
        ]
    })
}

/// Damage: bytes inserted, deleted or replaced, from a set of pieces that
/// make near-JSON.
fn damaged(base: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(vec![
        "", "", "0", "00", "-", "+", ".", "e", "E", ",", ":", "[", "]", "{", "}", "\"", "\\",
        "\\u", "\\uD800", "\\uDC00", "u0041", "x", "'", " ", "\t", "\n", "\u{b}", "\u{c}", "\u{0}",
        "\u{1f}", "\u{a0}", "/", "/**/", "true", "nul", "NaN", "Infinity", "1.", ".5", "007",
    ]);
    let edit = (any::<prop::sample::Index>(), 0..3usize, piece);
    (base, proptest::collection::vec(edit, 0..3)).prop_map(|(mut text, edits)| {
        for (at, delete, piece) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + delete).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, piece);
        }
        text
    })
}

/// A shipped-policy case, printed compactly or pretty.
fn case_text() -> impl Strategy<Value = String> {
    (any::<u64>(), any::<bool>()).prop_map(|(seed, pretty)| {
        let case = super::direct::casegen::case(&mut super::direct::casegen::Rng::new(seed));
        if pretty {
            serde_json::to_string_pretty(&case).unwrap_or_default()
        } else {
            serde_json::to_string(&case).unwrap_or_default()
        }
    })
}

/// serde_json's answer, or `None` where the two differ on purpose: nesting
/// past serde_json's 128 levels (past Deon's 64 is checked apart).
fn serde_verdict(text: &str) -> Option<bool> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => Some(true),
        Err(e) if e.to_string().contains("recursion limit") => None,
        Err(_) => Some(false),
    }
}

fn agree(program: &Program, text: &str) -> Result<(), TestCaseError> {
    let Some(serde) = serde_verdict(text) else {
        return Ok(());
    };
    let full = full(text);
    if full != Verdict::TooDeep {
        prop_assert_eq!(full == Verdict::Json, serde, "full reader on {:?}", text);
    }
    if direct::read(program, text).is_some() {
        prop_assert!(serde, "quick reader accepts {:?}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn both_readers_agree_with_serde_json_on_near_json(text in damaged(json_text())) {
        agree(shipped_program(), &text)?;
    }

    #[test]
    fn both_readers_agree_with_serde_json_on_damaged_cases(text in damaged(case_text())) {
        agree(shipped_program(), &text)?;
    }
}

fn shipped_program() -> &'static Program {
    shipped().program()
}
