/// An unevaluated sum `high + low` of two doubles (~106-bit significand).
///
/// Used where double rounding is amplified: the continued fraction of the incomplete beta
/// function with a large shape parameter (Student t and F with 10⁵–10⁷ degrees of freedom,
/// i.e. regressions on survey-sized data) loses about `a·ε` in double. Algorithms of Dekker
/// (1971) and Hida, Li & Bailey (2001) with error-free `twoSum`/`twoProduct`.
struct DoubleDouble: Sendable {
    var high: Double
    var low: Double

    init(_ value: Double) { high = value; low = 0 }
    init(high: Double, low: Double) { self.high = high; self.low = low }

    var value: Double { high + low }

    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let z = s - a
        return DoubleDouble(high: s, low: (a - (s - z)) + (b - z))
    }

    @inline(__always)
    static func fastTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(high: s, low: b - (s - a))
    }

    @inline(__always)
    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        var s = twoSum(a.high, b.high)
        let t = twoSum(a.low, b.low)
        s.low += t.high
        s = fastTwoSum(s.high, s.low)
        s.low += t.low
        return fastTwoSum(s.high, s.low)
    }

    @inline(__always)
    static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(high: -a.high, low: -a.low) }

    @inline(__always)
    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

    @inline(__always)
    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = a.high * b.high
        var e = (-p).addingProduct(a.high, b.high)
        e += a.high * b.low + a.low * b.high
        return fastTwoSum(p, e)
    }

    @inline(__always)
    static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.high / b.high
        let r = a - b * DoubleDouble(q1)
        let q2 = r.high / b.high
        let r2 = r - b * DoubleDouble(q2)
        let q3 = r2.high / b.high
        return fastTwoSum(q1, q2) + DoubleDouble(q3)
    }
}
