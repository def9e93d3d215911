//! Byte offsets ↔ line and column, with columns counted in UTF-16 code units
//! as the Language Server Protocol counts them by default.

/// Where each line of a text starts, for converting positions both ways.
///
/// # Examples
///
/// ```
/// use deon::analysis::LineIndex;
///
/// // `事` is one UTF-16 unit and three bytes; `𝄞` is two units and four bytes.
/// let text = "title \"事件\"\ncite \"𝄞 x\"\n";
/// let index = LineIndex::new(text);
/// let x = text.find('x').unwrap();
/// assert_eq!(index.position(x), (1, 9));
/// assert_eq!(index.offset(1, 9), Some(x));
/// ```
#[derive(Clone, Debug)]
pub struct LineIndex {
    text: String,
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> LineIndex {
        LineIndex::from_text(text.to_string())
    }

    /// Indexes a text it takes.
    pub fn from_text(text: String) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The text indexed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 0-based line and UTF-16 column of a byte offset. An offset inside
    /// a character counts as its start; past the end, as the end.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        (to_u32(line), to_u32(column))
    }

    /// The byte offset of a 0-based line and UTF-16 column. A column past the
    /// line's end is its end; a column inside a surrogate pair is the
    /// character's start; a line past the end is `None`.
    pub fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let start = *self.starts.get(line as usize)?;
        let end = self
            .starts
            .get(line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            units += c.len_utf16();
            if units > column as usize {
                return Some(start + i);
            }
        }
        Some(end)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_units_on_chinese_lines() {
        let text = "rule 通报 {\n  cite \"《网络安全法》第六十条\" // 注\n}\n";
        let index = LineIndex::new(text);
        let cite = text.find("第六十条").unwrap_or(0);
        // `  cite "《网络安全法》` is 2 + 4 + 1 + 1 + 7 = 15 units, and 29 bytes.
        assert_eq!(cite, text.find('\n').unwrap_or(0) + 1 + 29);
        assert_eq!(index.position(cite), (1, 15));
        assert_eq!(index.offset(1, 15), Some(cite));
        let brace = text.find('{').unwrap_or(0);
        assert_eq!(index.position(brace), (0, 8));
        assert_eq!(index.offset(0, 8), Some(brace));
        // The end of a line, and past it.
        assert_eq!(index.offset(1, 999), text.find("\n}"));
        assert_eq!(index.offset(9, 0), None);
        // Every character boundary goes there and back.
        for (i, _) in text.char_indices() {
            let (line, column) = index.position(i);
            assert_eq!(index.offset(line, column), Some(i), "offset {i}");
        }
    }

    #[test]
    fn an_offset_inside_a_character_is_its_start() {
        let index = LineIndex::new("事x");
        assert_eq!(index.position(1), (0, 0));
        assert_eq!(index.position(3), (0, 1));
        assert_eq!(index.position(99), (0, 2));
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_is_the_characters_start() {
        let index = LineIndex::new("𝄞y");
        assert_eq!(index.offset(0, 1), Some(0));
        assert_eq!(index.offset(0, 2), Some(4));
    }
}
