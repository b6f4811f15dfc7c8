import Testing

@testable import NimbusSQS

@Suite struct MessageTableTests {
    /// The table answers like one dictionary: lookups, replacements, removals and the count,
    /// for sequences that land in every shard (and negative ones).
    @Test func behavesLikeADictionary() {
        var table = MessageTable()
        var reference: [Int64: QueuedMessage] = [:]
        for n in -5..<1_000 where n % 7 != 3 {
            table[Int64(n)] = message(n)
            reference[Int64(n)] = message(n)
        }
        table[12] = message(12, at: 5)  // a replacement does not count twice
        reference[12] = message(12, at: 5)
        for n in stride(from: 0, to: 1_000, by: 5) {
            #expect(table.removeValue(forKey: Int64(n))?.sequence == reference.removeValue(forKey: Int64(n))?.sequence)
        }
        table[11] = nil
        reference[11] = nil
        table[3] = nil  // never there
        #expect(table.removeValue(forKey: 3) == nil)

        #expect(table.count == reference.count)
        #expect(!table.isEmpty)
        #expect(table[12]?.sentAt == 5)
        #expect(table[11] == nil)
        #expect(table[-5]?.messageID == "m-5")
        #expect(Set(table.values.map(\.sequence)) == Set(reference.keys))
        #expect(table.values.count { _ in true } == reference.count)
    }

    @Test func emptiesCompletely() {
        var table = MessageTable()
        for n in 0..<200 { table[Int64(n)] = message(n) }
        for n in 0..<200 { _ = table.removeValue(forKey: Int64(n)) }
        #expect(table.isEmpty)
        #expect(table.count == 0)
        #expect(Array(table.values).isEmpty)
    }
}
