//! "Did you mean …?" suggestions.

/// The candidate closest to `word` by edit distance, if close enough to be a
/// likely typo: at most a third of the word's length (at least 1 edit), and
/// never a complete rewrite of a short word.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, _)| *distance <= limit && *distance < word.chars().count())
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(closest("Dnoe", ["Done", "Start"]), Some("Done"));
        assert_eq!(closest("Tpye", ["Type", "Next"]), Some("Type"));
        assert_eq!(closest("Completely", ["Done"]), None);
        assert_eq!(closest("B", ["A"]), None);
    }
}
