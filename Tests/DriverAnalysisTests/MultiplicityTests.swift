import DriverAnalysis
import Fixtures
import Testing

/// Holm and Benjamini–Hochberg against R 4.2.2 `p.adjust(p, "holm")` and `p.adjust(p, "BH")`
/// for p = (0.01, 0.04, 0.03, 0.005, 0.2, 0.5).
@Suite("Multiple-testing adjustment")
struct MultiplicityTests {
    @Test func matchesRPAdjust() {
        let p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5]
        let (holm, bh) = Multiplicity.adjust(p)
        let rHolm = [0.05, 0.12, 0.12, 0.03, 0.4, 0.5], rBH = [0.03, 0.06, 0.06, 0.03, 0.24, 0.5]
        for k in p.indices {
            expectClose(holm[k], rHolm[k], relative: 1e-15)
            expectClose(bh[k], rBH[k], relative: 1e-15)
        }
        let withGap = Multiplicity.adjust([0.01, .nan, 0.02])
        #expect(withGap.holm[1].isNaN && withGap.holm[0] == 0.02 && withGap.benjaminiHochberg[2] == 0.02)
    }
}
