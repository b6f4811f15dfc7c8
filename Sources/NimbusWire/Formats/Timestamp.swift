/// AWS timestamp formats: `iso8601`, `rfc822` (HTTP dates) and `unixTimestamp`.
///
/// All values are seconds since 1970-01-01T00:00:00Z (UTC); parsing accepts what
/// botocore sends, formatting produces what AWS returns.
package enum Timestamp {
    /// Parses `2026-01-02T03:04:05Z`, with optional fractional seconds and a `±hh:mm` offset.
    package static func parseISO8601(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == 45, let month = number(5..<7), bytes[7] == 45, let day = number(8..<10),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == 32,
            let hour = number(11..<13), bytes[13] == 58, let minute = number(14..<16), bytes[16] == 58,
            let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = number((index + 1)..<(index + 3)), index + 3 < bytes.count, bytes[index + 3] == 58,
                let minutes = number((index + 4)..<(index + 6))
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count, let base = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return Double(base - offset) + fraction
    }

    /// Parses an HTTP date, `Fri, 02 Jan 2026 03:04:05 GMT`.
    package static func parseHTTPDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
            let month = monthNames.firstIndex(of: String(parts[2])).map({ $0 + 1 })
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            let seconds = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return Double(seconds)
    }

    /// Parses any of the three formats, trying the one the model names first.
    package static func parse(_ text: String, preferred format: String?) -> Double? {
        switch format {
        case "rfc822": return parseHTTPDate(text) ?? parseISO8601(text) ?? Double(text)
        case "unixTimestamp": return Double(text) ?? parseISO8601(text) ?? parseHTTPDate(text)
        default: return parseISO8601(text) ?? parseHTTPDate(text) ?? Double(text)
        }
    }

    /// `2026-01-02T03:04:05.123Z`; milliseconds only when the value has a fraction.
    package static func iso8601(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        let millis = Int(((seconds - Double(whole)) * 1000).rounded())
        let parts = civil(whole)
        var text = "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))"
        if millis > 0 { text += ".\(pad(min(millis, 999), 3))" }
        return text + "Z"
    }

    /// `Fri, 02 Jan 2026 03:04:05 GMT`.
    package static func httpDate(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        let parts = civil(whole)
        let weekday = weekdayNames[((whole / 86_400 % 7) + 7 + 4) % 7]
        return
            "\(weekday), \(pad(parts.day)) \(monthNames[parts.month - 1]) \(parts.year) \(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)) GMT"
    }

    /// `20260102T030405Z`, the SigV4 `X-Amz-Date` format.
    package static func amzDate(_ seconds: Double) -> String {
        let parts = civil(Int(seconds.rounded(.down)))
        return "\(pad(parts.year, 4))\(pad(parts.month))\(pad(parts.day))T\(pad(parts.hour))\(pad(parts.minute))\(pad(parts.second))Z"
    }

    /// Parses the SigV4 `X-Amz-Date` format, `20260102T030405Z`.
    package static func parseAmzDate(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        let digits = bytes[0..<8] + bytes[9..<15]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func field(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        guard
            let seconds = epochSeconds(
                year: field(0..<4),
                month: field(4..<6),
                day: field(6..<8),
                hour: field(9..<11),
                minute: field(11..<13),
                second: field(13..<15)
            )
        else { return nil }
        return Double(seconds)
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Days from civil date, after Howard Hinnant's algorithm; `nil` for out-of-range fields.
    private static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func civil(_ seconds: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }
}
