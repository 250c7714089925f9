//! Byte offsets to line/column positions, in UTF-8 characters (terminals,
//! `--format json`) and in UTF-16 code units (the Language Server Protocol).

/// Line starts of one text, computed once.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

/// A position with a 1-based line and a 1-based column counted in Unicode
/// scalar values (what editors and terminals show).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// A position as LSP wants it: 0-based line, 0-based UTF-16 code unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf16Pos {
    pub line: u32,
    pub character: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        LineIndex { line_starts }
    }

    /// The 0-based line holding `offset` and that line's start offset.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line, self.line_starts[line] as usize)
    }

    /// Clamps `offset` into `text` and back to a character boundary.
    fn clamp(text: &str, offset: usize) -> usize {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = Self::clamp(text, offset);
        let (line, start) = self.line_of(offset);
        LineCol {
            line: line as u32 + 1,
            column: text[start..offset].chars().count() as u32 + 1,
        }
    }

    /// 0-based line and UTF-16 column of a byte offset.
    pub fn utf16(&self, text: &str, offset: usize) -> Utf16Pos {
        let offset = Self::clamp(text, offset);
        let (line, start) = self.line_of(offset);
        Utf16Pos {
            line: line as u32,
            character: text[start..offset].encode_utf16().count() as u32,
        }
    }

    /// The byte offset of an LSP position (clamped to the line's end).
    pub fn offset_of_utf16(&self, text: &str, pos: Utf16Pos) -> usize {
        let Some(&start) = self.line_starts.get(pos.line as usize) else {
            return text.len();
        };
        let start = start as usize;
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= pos.character || c == '\n' {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        text.len()
    }

    /// The text of the 0-based line `line`, without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.line_starts.get(line) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |&e| e as usize);
        text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "{\n  \"é😀\": 1\n}";
        let idx = LineIndex::new(text);
        let one = text.find('1').unwrap();
        assert_eq!(idx.line_col(text, one), LineCol { line: 2, column: 9 });
        // 8 characters precede the 1, but 9 UTF-16 units (😀 takes two).
        assert_eq!(
            idx.utf16(text, one),
            Utf16Pos {
                line: 1,
                character: 9
            }
        );
        assert_eq!(
            idx.offset_of_utf16(
                text,
                Utf16Pos {
                    line: 1,
                    character: 9
                }
            ),
            one
        );
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_text(text, 1), "  \"é😀\": 1");
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let text = "aé";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 99), LineCol { line: 1, column: 3 });
        assert_eq!(idx.line_col(text, 2), LineCol { line: 1, column: 2 });
        assert_eq!(
            idx.offset_of_utf16(
                text,
                Utf16Pos {
                    line: 7,
                    character: 0
                }
            ),
            3
        );
    }

    #[test]
    fn crlf_lines() {
        let text = "a\r\nb";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_text(text, 0), "a");
    }
}
