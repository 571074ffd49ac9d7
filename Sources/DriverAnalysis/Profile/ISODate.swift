/// ISO 8601 calendar dates and date-times, read strictly (no locale, no guessing of day/month
/// order): `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`, optionally with fractional
/// seconds (`.sss`), a space instead of `T`, and a zone (`Z`, `±HH:MM`, `±HHMM`; none = UTC).
///
/// Values are seconds since 1970-01-01T00:00:00Z (proleptic Gregorian calendar, days from
/// civil by Hinnant's algorithm), so dates and date-times compare on one axis.
/// Complexity: O(length of the text).
public enum ISODate {
    /// Seconds since the Unix epoch, or `nil` when `text` (trimmed) is not one of the forms
    /// above or names an impossible date or time (2023-02-29, 24:00, month 13).
    ///
    /// - Parameter text: an ISO 8601 date or date-time, surrounding spaces allowed.
    public static func seconds(_ text: String) -> Double? {
        var reader = Reader(bytes: Array(text.utf8).trimmedSpaces)
        guard let year = reader.digits(4), reader.take("-"), let month = reader.digits(2), reader.take("-"),
              let day = reader.digits(2), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if reader.atEnd { return seconds }
        guard reader.take("T") || reader.take("t") || reader.take(" "),
              let hour = reader.digits(2), reader.take(":"), let minute = reader.digits(2), hour < 24, minute < 60 else { return nil }
        seconds += Double(hour * 3_600 + minute * 60)
        if reader.take(":") {
            guard let second = reader.digits(2), second < 60 else { return nil }
            seconds += Double(second)
            if reader.take(".") || reader.take(",") {
                var scale = 0.1, any = false
                while let digit = reader.digits(1) { seconds += Double(digit) * scale; scale /= 10; any = true }
                guard any else { return nil }
            }
        }
        if reader.atEnd || (reader.take("Z") || reader.take("z")) && reader.atEnd { return seconds }
        let sign: Double
        if reader.take("+") { sign = 1 } else if reader.take("-") { sign = -1 } else { return nil }
        guard let zoneHours = reader.digits(2), zoneHours < 24 else { return nil }
        _ = reader.take(":")
        guard let zoneMinutes = reader.digits(2), zoneMinutes < 60, reader.atEnd else { return nil }
        return seconds - sign * Double(zoneHours * 3_600 + zoneMinutes * 60)
    }

    /// Days from 1970-01-01 to the date (negative before it).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A cursor over ASCII bytes.
    struct Reader {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position == bytes.count }

        /// Consumes `character` if it is next.
        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(truncatingIfNeeded: character.value) else { return false }
            position += 1
            return true
        }

        /// Consumes exactly `count` ASCII digits and returns their value.
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for k in position..<(position + count) {
                let digit = Int(bytes[k]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            position += count
            return value
        }
    }
}

extension Array where Element == UInt8 {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmedSpaces: [UInt8] {
        var start = startIndex, end = endIndex
        while start < end, self[start] == 0x20 || self[start] == 0x09 { start += 1 }
        while end > start, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return Array(self[start..<end])
    }
}
