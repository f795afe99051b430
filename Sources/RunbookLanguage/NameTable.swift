/// The distinct names of one parse, interned by their bytes: each spelling is decoded into
/// a `String` once, however often it appears, and each name gets a dense id the
/// interpreter uses to find the member without hashing the string again. Spellings that
/// are canonically equivalent (`Å` precomposed or as `A` and a ring) are one name, with
/// one id, as they are one member.
struct NameTable {
    /// The names, indexed by id: the first spelling met of each.
    private(set) var names: [String] = []
    /// The bytes of each name's text, by id: how long a token that spells it is.
    private(set) var byteCounts: [Int32] = []
    /// The id of each name, by its text (which compares by canonical equivalence).
    private var canonical: [String: Int32] = [:]
    /// The bytes of each distinct spelling, and the id it names.
    private var bytes: [UInt8] = []
    private var starts: [Int32] = [0]
    private var spellingIDs: [Int32] = []
    /// Open addressing: a spelling's index + 1 in the low 32 bits and the high 32 bits of
    /// its hash above them (so a probe rarely has to look at the bytes), or 0 for an
    /// empty slot.
    private var slots = [UInt64](repeating: 0, count: 1024)

    /// The id of the name spelt by `name`, interning it when new. `readable` is how many
    /// bytes may be read from the name's start (the rest of its buffer), so that a short
    /// name is hashed in whole words.
    mutating func intern(_ name: UnsafeBufferPointer<UInt8>, readable: Int) -> Int32 {
        let hash = Self.hash(name, readable: readable)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        // The spelling's index when it is known; otherwise -1 - the empty slot it goes in.
        let found: Int = slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { bytes in
                starts.withUnsafeBufferPointer { starts in
                    let mask = slots.count &- 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return -1 - slot }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let spelling = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                            let start = Int(starts[spelling])
                            if Int(starts[spelling &+ 1]) &- start == name.count
                                && equalBytes(bytes.baseAddress! + start, name.baseAddress!, name.count)
                            {
                                return spelling
                            }
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
        if found >= 0 { return spellingIDs[found] }
        return add(name, tag: tag, slot: -1 - found)
    }

    /// Interns a spelling not seen before, in the empty `slot`.
    private mutating func add(_ name: UnsafeBufferPointer<UInt8>, tag: UInt64, slot: Int) -> Int32 {
        let text = String(decoding: name, as: UTF8.self)
        let id: Int32
        if let known = canonical[text] {
            id = known
        } else {
            id = Int32(names.count)
            names.append(text)
            byteCounts.append(Int32(truncatingIfNeeded: text.utf8.count))
            canonical[text] = id
        }
        let spelling = spellingIDs.count
        spellingIDs.append(id)
        bytes.append(contentsOf: name)
        starts.append(Int32(bytes.count))
        slots[slot] = tag | UInt64(spelling + 1)
        if spellingIDs.count * 2 > slots.count { grow() }
        return id
    }

    /// A fast hash over 8 bytes at a time (names are short; the table compares bytes
    /// anyway), with a full finalizer (MurmurHash3's fmix64) so that names differing only
    /// in their last bytes still spread over the low bits the table is indexed by.
    @inline(__always)
    private static func hash(_ name: UnsafeBufferPointer<UInt8>, readable: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(name.count)
        guard let base = name.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        let count = name.count
        var offset = 0
        while offset &+ 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset &+= 8
        }
        let rest = count &- offset
        if rest > 0 {
            var tail: UInt64 = 0
            if offset &+ 8 <= readable {
                tail = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & ((1 << (8 &* UInt64(rest))) &- 1)
            } else {
                for i in 0..<rest { tail |= UInt64(base[offset &+ i]) << (8 &* UInt64(i)) }
            }
            hash ^= tail
        }
        hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            let start = Int(starts[id])
            let hash = bytes.withUnsafeBufferPointer {
                let name = UnsafeBufferPointer(rebasing: $0[start..<Int(starts[id + 1])])
                return Self.hash(name, readable: name.count)
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
