import Foundation
import Testing

@testable import ChurnML

@Suite("SyntheticBankData")
struct SyntheticBankDataTests {
    typealias S = DataTestSupport

    /// 20,000 generated rows, parsed; shared by the statistical tests.
    static let sample: Table? = try? CSVReader.parse(
        SyntheticBankData.csv(rows: 20_000, seed: 2024), source: "synthetic")

    /// Column `name` of the sample as numbers.
    private func numbers(_ name: String) throws -> [Double] {
        let table = try #require(Self.sample)
        return S.numbers(table.column(named: name)).map { $0 ?? .nan }
    }

    /// Column `name` of the sample as text.
    private func texts(_ name: String) throws -> [String] {
        let table = try #require(Self.sample)
        return S.texts(table.column(named: name)).map { $0 ?? "" }
    }

    /// Churn rate over the rows where `include` holds.
    private func churnRate(where include: (Int) -> Bool) throws -> Double {
        let exited = try numbers("Exited")
        var churned = 0.0
        var count = 0.0
        for row in exited.indices where include(row) {
            churned += exited[row]
            count += 1
        }
        return churned / count
    }

    @Test("header and format: the Kaggle columns, LF line endings, one line per row")
    func format() {
        #expect(
            SyntheticBankData.header == [
                "RowNumber", "CustomerId", "Surname", "CreditScore", "Geography", "Gender", "Age", "Tenure", "Balance",
                "NumOfProducts", "HasCrCard", "IsActiveMember", "EstimatedSalary", "Exited",
            ])
        let bytes = SyntheticBankData.csv(rows: 50, seed: 1)
        #expect(!bytes.contains(0x0D))
        #expect(bytes.filter { $0 == 0x0A }.count == 51)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(SyntheticBankData.header.joined(separator: ",") + "\n"))
        #expect(
            String(decoding: SyntheticBankData.csv(rows: 0, seed: 1), as: UTF8.self)
                == SyntheticBankData.header.joined(separator: ",") + "\n")
    }

    @Test("deterministic: same seed same bytes, different seed different bytes")
    func determinism() {
        let first = SyntheticBankData.csv(rows: 2_000, seed: 99)
        #expect(first == SyntheticBankData.csv(rows: 2_000, seed: 99))
        #expect(first != SyntheticBankData.csv(rows: 2_000, seed: 100))
        // A longer file starts with the shorter one: rows do not depend on the row count.
        #expect(Array(SyntheticBankData.csv(rows: 3_000, seed: 99).prefix(first.count)) == first)
    }

    @Test("round trip through CSVReader and SchemaInference gives the bank roles")
    func roundTrip() throws {
        let table = try #require(Self.sample)
        #expect(table.rowCount == 20_000)
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        #expect(schema.target == "Exited")
        #expect(schema.positiveLabel == "1")
        #expect(
            schema.columns.map(\.role) == [
                .id, .id, .id, .numeric, .categorical, .binary, .numeric, .numeric, .numeric, .numeric, .binary,
                .binary,
                .numeric, .target,
            ])
        // RowNumber runs 1...n, CustomerId is distinct and 8 digits.
        #expect(try numbers("RowNumber") == (1...20_000).map(Double.init))
        let ids = try numbers("CustomerId")
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0 >= 10_000_000 && $0 <= 99_999_999 })
    }

    @Test("churn rate is about 20%, and clearly higher for ages 50+ than under 35")
    func churnRates() throws {
        let overall = try churnRate { _ in true }
        #expect(overall >= 0.15 && overall <= 0.25, "churn rate \(overall)")
        let ages = try numbers("Age")
        let old = try churnRate { ages[$0] >= 50 }
        let young = try churnRate { ages[$0] < 35 }
        #expect(old > young + 0.2, "50+: \(old), under 35: \(young)")
    }

    @Test("churn follows the real file's directions: Germany, female, inactive, 3-4 products up; 2 products down")
    func churnDirections() throws {
        let geography = try texts("Geography")
        let gender = try texts("Gender")
        let active = try numbers("IsActiveMember")
        let products = try numbers("NumOfProducts")
        #expect(try churnRate { geography[$0] == "Germany" } > churnRate { geography[$0] == "France" } + 0.05)
        #expect(try churnRate { gender[$0] == "Female" } > churnRate { gender[$0] == "Male" } + 0.03)
        #expect(try churnRate { active[$0] == 0 } > churnRate { active[$0] == 1 } + 0.05)
        let one = try churnRate { products[$0] == 1 }
        #expect(try churnRate { products[$0] == 2 } < one)
        #expect(try churnRate { products[$0] >= 3 } > 0.5)
    }

    @Test("marginals are plausible")
    func marginals() throws {
        let count = 20_000.0
        func share(_ values: [String], _ value: String) -> Double {
            Double(values.filter { $0 == value }.count) / count
        }
        func share(_ values: [Double], _ include: (Double) -> Bool) -> Double {
            Double(values.filter(include).count) / count
        }
        let geography = try texts("Geography")
        #expect(abs(share(geography, "France") - 0.50) < 0.02)
        #expect(abs(share(geography, "Germany") - 0.25) < 0.02)
        #expect(abs(share(try texts("Gender"), "Male") - 0.55) < 0.02)
        let credit = try numbers("CreditScore")
        #expect(credit.allSatisfy { $0 >= 350 && $0 <= 850 })
        #expect(abs(credit.reduce(0, +) / count - 650) < 5)
        let ages = try numbers("Age").sorted()
        #expect(ages.first ?? 0 >= 18 && ages.last ?? 100 <= 92)
        #expect(ages[10_000] >= 35 && ages[10_000] <= 39)  // median about 37
        #expect(try numbers("Tenure").allSatisfy { $0 >= 0 && $0 <= 10 && $0 == $0.rounded() })
        #expect(abs(share(try numbers("Balance")) { $0 == 0 } - 0.36) < 0.03)
        let products = try numbers("NumOfProducts")
        #expect(abs(share(products) { $0 == 1 } - 0.50) < 0.02)
        #expect(abs(share(products) { $0 == 2 } - 0.46) < 0.02)
        #expect(abs(share(try numbers("HasCrCard")) { $0 == 1 } - 0.70) < 0.02)
        #expect(abs(share(try numbers("IsActiveMember")) { $0 == 1 } - 0.51) < 0.02)
        let salary = try numbers("EstimatedSalary")
        #expect(salary.allSatisfy { $0 >= 11 && $0 <= 200_000 && abs($0 * 100 - ($0 * 100).rounded()) < 1e-6 })
        #expect(Set(try texts("Surname")).count == SyntheticSurnames.all.count)
        #expect(Set(SyntheticSurnames.all).count == 200)
    }

    @Test("write(to:) writes the same bytes; an unwritable path is a DataError naming it")
    func write() throws {
        let path = S.temporaryPath("synthetic.csv")
        try SyntheticBankData.write(rows: 300, seed: 5, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect([UInt8](written) == SyntheticBankData.csv(rows: 300, seed: 5))
        let bad = S.temporaryPath("no-such-dir") + "/x.csv"
        let error = S.dataError { try SyntheticBankData.write(rows: 1, seed: 1, to: bad) }
        #expect(error?.source == bad)
    }

    @Test(
        "an age shift from a row on: earlier rows unchanged, later ones older by the shift (clipped at 92), churn following the ages"
    )
    func ageShift() throws {
        let plain = try CSVReader.parse(SyntheticBankData.csv(rows: 4000, seed: 9), source: "plain.csv")
        let shifted = try CSVReader.parse(
            SyntheticBankData.csv(rows: 4000, seed: 9, ageShift: 20, shiftFrom: 2001), source: "shifted.csv")
        guard case .numeric(let before) = try #require(plain.column(named: "Age")),
            case .numeric(let after) = try #require(shifted.column(named: "Age")),
            case .numeric(let exitedBefore) = try #require(plain.column(named: "Exited")),
            case .numeric(let exitedAfter) = try #require(shifted.column(named: "Exited"))
        else {
            Issue.record("Age and Exited are numbers")
            return
        }
        #expect(Array(before[0..<2000]) == Array(after[0..<2000]))
        #expect(Array(exitedBefore[0..<2000]) == Array(exitedAfter[0..<2000]))
        for row in 2000..<4000 {
            #expect(after[row] == min((before[row] ?? 0) + 20, 92), "row \(row + 1)")
        }
        for name in ["CustomerId", "CreditScore", "Geography", "Balance", "EstimatedSalary"] {
            #expect(plain.column(named: name) == shifted.column(named: name), "\(name)")
        }
        // The generating model peaks at 54: 20 years older, the younger majority churns more.
        let share = { (values: ArraySlice<Double?>) in values.filter { $0 == 1 }.count }
        #expect(share(exitedAfter[2000...]) > share(exitedBefore[2000...]) + 100)
    }
}
