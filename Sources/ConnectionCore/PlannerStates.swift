/// The states a search holds, each once: their words one after another in one array, and
/// an open-addressing table of node numbers over them. A search may hold millions of
/// states; this keeps them in a few large arrays rather than one allocation each, so that
/// the memory they take is known and letting them go is immediate.
struct StateTable {
    private var words: [Int32] = []
    private var starts: [Int] = [0]
    private var hashes: [Int] = []
    /// Node numbers, -1 for an empty slot; a power of two long, at most half full.
    private var slots = [Int32](repeating: -1, count: 1024)

    /// The number of states held.
    var count: Int { hashes.count }

    /// The bytes the table has reserved.
    var bytes: Int { words.capacity * 4 + starts.capacity * 8 + hashes.capacity * 8 + slots.count * 4 }

    /// The state numbered `node`.
    subscript(node: Int) -> AbstractState { AbstractState(words: Array(words[starts[node]..<starts[node + 1]])) }

    /// The number of `state`, if the table holds it.
    func find(_ state: AbstractState) -> Int? {
        let hash = Self.hash(state.words)
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 {
            let node = Int(slots[slot])
            if hashes[node] == hash && words[starts[node]..<starts[node + 1]].elementsEqual(state.words) { return node }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds `state`, which the table does not hold, as the next number.
    mutating func insert(_ state: AbstractState) {
        let hash = Self.hash(state.words)
        words.append(contentsOf: state.words)
        starts.append(words.count)
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for node in hashes.indices { place(node) }
        } else {
            place(hashes.count - 1)
        }
    }

    private mutating func place(_ node: Int) {
        let mask = slots.count - 1
        var slot = hashes[node] & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(node)
    }

    /// A multiply-and-rotate hash of the words, mixed at the end so that its low bits,
    /// which pick the slot, depend on every word.
    private static func hash(_ words: [Int32]) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for w in words {
            h = (h ^ UInt64(UInt32(bitPattern: w))) &* 0xBF58_476D_1CE4_E5B9
            h = h << 23 | h >> 41
        }
        h ^= h >> 31
        h &*= 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return Int(truncatingIfNeeded: h & 0x7FFF_FFFF_FFFF_FFFF)
    }
}

/// A binary min-heap.
struct Heap<Element: Comparable> {
    private var items: [Element] = []

    /// The entries the heap has room for.
    var capacity: Int { items.capacity }

    mutating func push(_ item: Element) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { break }
            var smallest = left
            if left + 1 < items.count && items[left + 1] < items[left] { smallest = left + 1 }
            guard items[smallest] < items[parent] else { break }
            items.swapAt(smallest, parent)
            parent = smallest
        }
        return first
    }
}
