#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One synthetic bank customer's attributes and churn probability (see ``SyntheticBankData``).
struct SyntheticCustomer {
    /// 350...850.
    var creditScore: Int
    /// 0 France, 1 Germany, 2 Spain.
    var geography: Int
    /// Female (else male).
    var isFemale: Bool
    /// 18...92.
    var age: Int
    /// 0...10 years.
    var tenure: Int
    /// Account balance in cents; 0 for about 36% of customers.
    var balanceCents: Int
    /// 1...4.
    var products: Int
    /// Holds a credit card.
    var hasCard: Bool
    /// Active member.
    var isActive: Bool
    /// Estimated salary in cents.
    var salaryCents: Int
    /// The probability of churning under the generating logistic model.
    var churnProbability: Double

    /// Draws a customer; the draws happen in a fixed order so that a seed fixes every value.
    /// `ageShift` years are added to the drawn age (still clipped to 18…92) before churn is
    /// modelled, so a shifted population's churn follows its own ages.
    init(random: inout SeededGenerator, ageShift: Int = 0) {
        creditScore = Int(min(max((650 + 97 * random.nextGaussian()).rounded(), 350), 850))
        let place = random.nextUnitDouble()
        geography = place < 0.5 ? 0 : (place < 0.75 ? 1 : 2)
        isFemale = random.nextUnitDouble() >= 0.55
        let years = 18 + exp(log(19.0) + 0.44 * random.nextGaussian())
        age = Int(min(max(years.rounded() + Double(ageShift), 18), 92))
        tenure = random.nextIndex(below: 11)
        // Nobody in Germany has a zero balance in the original; 48% elsewhere gives ~36% overall.
        let zeroBalance = random.nextUnitDouble() < 0.48 && geography != 1
        let balance = min(max(120_000 + 30_000 * random.nextGaussian(), 3_000), 260_000)
        balanceCents = zeroBalance ? 0 : Int((balance * 100).rounded())
        let productDraw = random.nextUnitDouble()
        products = productDraw < 0.50 ? 1 : (productDraw < 0.96 ? 2 : (productDraw < 0.99 ? 3 : 4))
        hasCard = random.nextUnitDouble() < 0.70
        isActive = random.nextUnitDouble() < 0.51
        salaryCents = 1_158 + random.nextIndex(below: 20_000_000 - 1_158)

        let ageDistance = (Double(age) - 54) / 11
        var logit = -3.3 + 3.6 * exp(-ageDistance * ageDistance)
        if geography == 1 { logit += 0.9 }
        if isFemale { logit += 0.55 }
        if !isActive { logit += age > 45 ? 1.5 : 0.9 }
        switch products {
        case 2: logit -= 1.6
        case 3: logit += 2.6
        case 4: logit += 4.5
        default: break
        }
        if balanceCents > 0 { logit += 0.25 }
        logit -= 0.0007 * Double(creditScore - 650)
        churnProbability = 1 / (1 + exp(-logit))
    }
}
