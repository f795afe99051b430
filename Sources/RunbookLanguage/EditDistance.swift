/// Did-you-mean suggestions by edit distance.
public enum Suggest {
    /// The candidate closest to `word`, when it is close enough to be what was meant.
    /// Case does not count: `DISCONNECT-STRANDS-USERS` suggests `disconnect-strands-users`.
    /// A word that is one of the candidates is already right: nothing is suggested for it.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        if candidates.contains(word) { return nil }
        let limit = max(1, min(3, word.count / 3 + 1))
        let folded = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates where candidate != word {
            let d = distance(folded, candidate.lowercased(), limit: limit)
            if d <= limit && (best == nil || d < best!.1) { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance, with adjacent transpositions counted as one edit; stops
    /// early (returning `limit + 1`) once it exceeds `limit`.
    public static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = min(d, previous2[j - 2] + 1)
                }
                current[j] = d
                rowMin = min(rowMin, d)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
