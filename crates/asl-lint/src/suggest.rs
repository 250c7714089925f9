//! "Did you mean …?" suggestions.

/// The candidate closest to `word` by edit distance, if close enough to be a
/// likely typo: at most a third of the word's length (at least 1 edit), and
/// never a complete rewrite of a short word.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        // An edit distance is at least the difference in length: skip the
        // costly comparison for candidates that cannot be close.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, _)| *distance <= limit && *distance < length)
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
