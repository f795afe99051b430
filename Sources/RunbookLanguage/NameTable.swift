#if canImport(Glibc)
    import Glibc
#endif

/// The distinct names of one parse, interned by their bytes: each spelling is decoded into
/// a `String` once, however often it appears, and each name gets a dense id the
/// interpreter uses to find the member without hashing the string again. Spellings that
/// are canonically equivalent (`Å` precomposed or as `A` and a ring) are one name, with
/// one id, as they are one member.
struct NameTable {
    /// The names, indexed by id: the first spelling met of each.
    private(set) var names: [String] = []
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

    /// The id of the name spelt by `name`, interning it when new.
    mutating func intern(_ name: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(name)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                let start = Int(starts[id])
                if Int(starts[id + 1]) - start == name.count
                    && bytes.withUnsafeBufferPointer({ equalBytes($0.baseAddress! + start, name.baseAddress!, name.count) })
                {
                    return spellingIDs[id]
                }
            }
            slot = (slot + 1) & mask
        }
        let text = String(decoding: name, as: UTF8.self)
        let id: Int32
        if let known = canonical[text] {
            id = known
        } else {
            id = Int32(names.count)
            names.append(text)
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

    /// A fast hash over 8 bytes at a time (names are short; the table compares bytes anyway).
    @inline(__always)
    private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(name.count)
        let raw = UnsafeRawBufferPointer(name)
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < raw.count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 32)
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            let start = Int(starts[id])
            let hash = bytes.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[start..<Int(starts[id + 1])]))
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
