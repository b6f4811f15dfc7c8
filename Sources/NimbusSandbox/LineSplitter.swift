/// Splits a byte stream into lines without their newline; a line longer than `maximumLength` bytes comes out in
/// chunks of at most that many bytes, cut before a UTF-8 continuation byte so no character is split.
struct LineSplitter {
    /// CloudWatch Logs' maximum event size.
    static let maximumLength = 262_144

    let maximumLength: Int
    private var pending: [UInt8] = []
    /// Where the unscanned part of `pending` starts; bytes before `scanned` hold no newline.
    private var scanned = 0

    init(maximumLength: Int = Self.maximumLength) {
        self.maximumLength = maximumLength
    }

    /// Whether a partial line is held back, waiting for its newline.
    var hasPartialLine: Bool { !pending.isEmpty }

    /// Adds `bytes` and emits every complete line (and every full chunk of an overlong one).
    mutating func append(_ bytes: UnsafeRawBufferPointer, emit: (String) -> Void) {
        pending.append(contentsOf: bytes)
        var start = 0
        while true {
            if let newline = pending[(start + scanned)...].firstIndex(of: 10) {
                emitLine(pending[start..<newline], emit: emit)
                start = newline + 1
                scanned = 0
            } else if pending.count - start > maximumLength {
                let cut = boundary(start + maximumLength, after: start)
                emit(String(decoding: pending[start..<cut], as: UTF8.self))
                start = cut
                scanned = 0
            } else {
                scanned = pending.count - start
                break
            }
        }
        pending.removeFirst(start)
    }

    /// Emits the partial line, if any (the pipe closed or the child exited).
    mutating func flush(emit: (String) -> Void) {
        guard !pending.isEmpty else { return }
        emitLine(pending[...], emit: emit)
        pending.removeAll(keepingCapacity: true)
        scanned = 0
    }

    private func emitLine(_ line: ArraySlice<UInt8>, emit: (String) -> Void) {
        var start = line.startIndex
        while line.endIndex - start > maximumLength {
            let cut = boundary(start + maximumLength, after: start)
            emit(String(decoding: line[start..<cut], as: UTF8.self))
            start = cut
        }
        emit(String(decoding: line[start..<line.endIndex], as: UTF8.self))
    }

    /// `index`, moved back (at most 3 bytes) so it does not fall inside a UTF-8 sequence.
    private func boundary(_ index: Int, after start: Int) -> Int {
        var cut = index
        while cut > start + 1, cut > index - 3, pending[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }
}
