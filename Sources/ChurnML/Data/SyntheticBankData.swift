/// Deterministic synthetic customers in the format of the Kaggle "Churn Modelling" bank file, for
/// tests, demos and benchmarks of any size.
///
/// Same 14 columns and number formats as the original, LF line endings. Marginals follow the
/// original: CreditScore ~ N(650, 97) clipped to 350...850; Geography France 50% / Germany 25% /
/// Spain 25%; Gender 55% Male; Age right-skewed (18 + log-normal, median 37) clipped to 18...92;
/// Tenure uniform 0...10; Balance 0 for about 36% (never for Germany, as in the original), else
/// ~ N(120k, 30k); NumOfProducts 1/2/3/4 with 50/46/3/1%; HasCrCard 70%; IsActiveMember 51%;
/// EstimatedSalary uniform 11.58...199,992 with 2 decimals; Surname from 200 built-in names;
/// CustomerId distinct 8-digit numbers (for up to 2^26 rows).
///
/// Exited (about 20%) comes from a logistic model with the original's relationships: a strong rise
/// with age peaking around 54, Germany, female and inactive customers higher (inactivity more so
/// past 45), 3–4 products very high, 2 products low, a non-zero balance slightly higher, and a weak
/// decrease with credit score. The generating probabilities rank customers with ROC-AUC about 0.87.
public enum SyntheticBankData {
    /// The column names, as in the Kaggle file.
    public static let header: [String] = [
        "RowNumber", "CustomerId", "Surname", "CreditScore", "Geography", "Gender", "Age", "Tenure", "Balance",
        "NumOfProducts", "HasCrCard", "IsActiveMember", "EstimatedSalary", "Exited",
    ]

    /// `rows` customers as CSV bytes (header first, LF line endings); identical bytes for the same
    /// arguments. A negative `rows` counts as 0. From row `shiftFrom` on (1-based) every customer is
    /// `ageShift` years older (a drifted population: its churn follows its ages); the draws are the
    /// same, so the other columns do not change.
    public static func csv(rows: Int, seed: UInt64, ageShift: Int = 0, shiftFrom: Int = 1) -> [UInt8] {
        let rowCount = max(rows, 0)
        var sink = ByteSink(capacity: 128 + rowCount * 80)
        sink.append(Array(header.joined(separator: ",").utf8))
        sink.append(0x0A)
        let surnames = SyntheticSurnames.all.map { Array($0.utf8) }
        let geographies = ["France", "Germany", "Spain"].map { Array($0.utf8) }
        let genders = ["Male", "Female"].map { Array($0.utf8) }
        var random = SeededGenerator(seed: seed)
        let idKey = (multiplier: (random.next() & 0x3FF_FFFF) | 1, offset: random.next() & 0x3FF_FFFF)
        for row in 0..<rowCount {
            let customer = SyntheticCustomer(random: &random, ageShift: row + 1 >= shiftFrom ? ageShift : 0)
            sink.append(decimal: row + 1)
            sink.append(0x2C)
            sink.append(decimal: customerId(row, key: idKey))
            sink.append(0x2C)
            sink.append(surnames[random.nextIndex(below: surnames.count)])
            sink.append(0x2C)
            sink.append(decimal: customer.creditScore)
            sink.append(0x2C)
            sink.append(geographies[customer.geography])
            sink.append(0x2C)
            sink.append(genders[customer.isFemale ? 1 : 0])
            sink.append(0x2C)
            sink.append(decimal: customer.age)
            sink.append(0x2C)
            sink.append(decimal: customer.tenure)
            sink.append(0x2C)
            sink.append(hundredths: customer.balanceCents)
            sink.append(0x2C)
            sink.append(decimal: customer.products)
            sink.append(0x2C)
            sink.append(customer.hasCard ? 0x31 : 0x30)
            sink.append(0x2C)
            sink.append(customer.isActive ? 0x31 : 0x30)
            sink.append(0x2C)
            sink.append(hundredths: customer.salaryCents)
            sink.append(0x2C)
            sink.append(random.nextUnitDouble() < customer.churnProbability ? 0x31 : 0x30)
            sink.append(0x0A)
        }
        return sink.bytes
    }

    /// Writes ``csv(rows:seed:ageShift:shiftFrom:)`` to `path`, replacing any file there. Throws
    /// ``DataError`` naming the path when it cannot be written.
    public static func write(rows: Int, seed: UInt64, ageShift: Int = 0, shiftFrom: Int = 1, to path: String) throws {
        try FileBytes.write(csv(rows: rows, seed: seed, ageShift: ageShift, shiftFrom: shiftFrom), to: path)
    }

    /// A distinct 8-digit id for each `row < 2^26`: a seeded bijection of the 26-bit row number
    /// (odd multiply, add, xor-shift — each invertible modulo 2^26), offset by 10,000,000.
    static func customerId(_ row: Int, key: (multiplier: UInt64, offset: UInt64)) -> Int {
        let mask: UInt64 = 0x3FF_FFFF
        var x = UInt64(truncatingIfNeeded: row) & mask
        x = (x &* key.multiplier &+ key.offset) & mask
        x ^= x >> 13
        x = (x &* 0x2C1_B3C5) & mask
        x ^= x >> 11
        return 10_000_000 + Int(x)
    }
}
