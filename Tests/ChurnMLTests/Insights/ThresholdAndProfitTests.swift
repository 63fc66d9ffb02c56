import Testing

@testable import ChurnML

@Suite("Decision thresholds and the profit curve")
struct ThresholdAndProfitTests {
    // Eight customers, four churners, worked by hand below.
    let scores: [Float] = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1]
    let labels: [Float] = [1, 1, 0, 1, 0, 0, 1, 0]

    @Test("the F1 threshold is the cut with the best F1 (hand-worked: 0.6 gives 0.75)")
    func f1ByHand() throws {
        // Cuts (TP, FP): 0.9 (1,0) 0.4 · 0.8 (2,0) 0.667 · 0.7 (2,1) 0.571 · 0.6 (3,1) 0.75 · 0.4 (3,2) 0.667
        // · 0.3 (3,3) 0.6 · 0.2 (4,3) 0.727 · 0.1 (4,4) 0.667 — F1 = 2TP / (TP + FP + P), P = 4.
        let chosen = try DecisionThresholds.choose(
            policy: .f1, labels: labels, scores: scores, economics: .defaults, selectedOn: "validation")
        #expect(abs(chosen.f1 - 0.6) < 1e-6)
        #expect(abs(chosen.applied - 0.6) < 1e-6)
        #expect(chosen.selectionRows == 8)
    }

    @Test("the profit threshold and curve match a hand computation")
    func profitByHand() throws {
        // Offer 100, customer 1000, save rate 0.5: +500 per churner reached, −100 per customer targeted.
        // Cuts: 400, 800, 700, 1100, 1000, 900, 1300, 1200 → best 1300 at 0.2 (7 targeted, 4 churners).
        let economics = RetentionEconomics(offerCost: 100, customerValue: 1000, saveRate: 0.5)
        let curve = ProfitCurve.compute(labels: labels, scores: scores, economics: economics)
        #expect(curve.points.map(\.profit) == [0, 400, 800, 700, 1100, 1000, 900, 1300, 1200])
        #expect(curve.points.map(\.targeted) == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(curve.best.profit == 1300)
        #expect(abs(curve.best.threshold - 0.2) < 1e-6)
        #expect(curve.best.churners == 4)
        let chosen = try DecisionThresholds.choose(
            policy: .profit, labels: labels, scores: scores, economics: economics, selectedOn: "training")
        #expect(abs(chosen.applied - 0.2) < 1e-6)

        // A dearer offer (400): 100, 200, −200, −100, −500, −900, −800, −1200 → best 200 at 0.8.
        let dear = RetentionEconomics(offerCost: 400, customerValue: 1000, saveRate: 0.5)
        let dearCurve = ProfitCurve.compute(labels: labels, scores: scores, economics: dear)
        #expect(dearCurve.best.profit == 200)
        #expect(abs(dearCurve.best.threshold - 0.8) < 1e-6)

        // An offer nobody is worth (cost above any saving): target nobody, threshold above every score.
        let hopeless = RetentionEconomics(offerCost: 600, customerValue: 1000, saveRate: 0.5)
        let none = try DecisionThresholds.choose(
            policy: .profit, labels: labels, scores: scores, economics: hopeless, selectedOn: "training")
        #expect(none.profit > 0.9 && none.profit < 1)
        #expect(ProfitCurve.compute(labels: labels, scores: scores, economics: hopeless).best.targeted == 0)
    }

    @Test("on random data the chosen thresholds beat every other cut (naive loop)")
    func bruteForce() throws {
        var generator = SeededGenerator(seed: 7)
        let count = 300
        let scores = (0..<count).map { _ in Float((generator.nextUnitDouble() * 50).rounded() / 50) }  // many ties
        let labels = scores.map { generator.nextUnitDouble() < Double($0) ? Float(1) : 0 }
        let economics = RetentionEconomics(offerCost: 60, customerValue: 400, saveRate: 0.4)
        let chosen = try DecisionThresholds.choose(
            policy: .f1, labels: labels, scores: scores, economics: economics, selectedOn: "validation")
        func counts(_ t: Double) -> (tp: Int, fp: Int) {
            var tp = 0
            var fp = 0
            for i in 0..<count where Double(scores[i]) >= t {
                if labels[i] == 1 { tp += 1 } else { fp += 1 }
            }
            return (tp, fp)
        }
        let positives = labels.filter { $0 == 1 }.count
        func f1(_ t: Double) -> Double {
            let c = counts(t)
            return 2 * Double(c.tp) / Double(c.tp + c.fp + positives)
        }
        func profit(_ t: Double) -> Double {
            let c = counts(t)
            return Double(c.tp) * 0.4 * 400 - Double(c.tp + c.fp) * 60
        }
        for candidate in Set(scores) {
            #expect(f1(chosen.f1) >= f1(Double(candidate)) - 1e-12)
            #expect(profit(chosen.profit) >= profit(Double(candidate)) - 1e-9)
        }
    }

    @Test("threshold policies parse, print and refuse nonsense")
    func policyText() throws {
        #expect(try ThresholdPolicy(parsing: "f1") == .f1)
        #expect(try ThresholdPolicy(parsing: "PROFIT") == .profit)
        #expect(try ThresholdPolicy(parsing: "fixed:0.35") == .fixed(0.35))
        #expect(ThresholdPolicy.fixed(0.35).description == "fixed:0.35")
        for bad in ["", "best", "fixed:", "fixed:1", "fixed:0", "fixed:abc", "fixed:-0.2"] {
            #expect(throws: InsightsError.self) { try ThresholdPolicy(parsing: bad) }
        }
    }

    @Test("economics: expected value, break-even, validation names the option")
    func economics() throws {
        let economics = RetentionEconomics(offerCost: 100, customerValue: 1000, saveRate: 0.25)
        #expect(economics.expectedValue(probability: 0.8) == 0.8 * 0.25 * 1000 - 100)
        #expect(economics.breakEvenProbability == 0.4)
        #expect(throws: InsightsError.invalidOption(option: "save-rate", message: "must be in (0, 1], got 1.5")) {
            try RetentionEconomics(offerCost: 1, customerValue: 1, saveRate: 1.5).validate()
        }
        #expect(throws: InsightsError.self) {
            try RetentionEconomics(offerCost: -1, customerValue: 1, saveRate: 0.5).validate()
        }
        #expect(throws: InsightsError.self) {
            try RetentionEconomics(offerCost: 1, customerValue: 0, saveRate: 0.5).validate()
        }
    }
}
