import Testing

@testable import ChurnML

@Suite("Table")
struct TableTests {
    typealias S = DataTestSupport

    @Test("column lookup by exact name")
    func lookup() throws {
        let table = try S.table("Age,Name\n30,Ann\n")
        #expect(table.columnIndex(named: "Name") == 1)
        #expect(table.columnIndex(named: "name") == nil)
        #expect(table.column(named: "Age") == .numeric([30]))
        #expect(table.column(named: "Missing") == nil)
    }

    @Test("rows(_:) keeps order, repeats and line numbers")
    func subset() throws {
        let table = try S.table("n,t\n10,a\n20,b\n\n30,c\n")
        #expect(table.lineNumbers == [2, 3, 5])
        let picked = table.rows([2, 0, 2])
        #expect(picked.rowCount == 3)
        #expect(picked.lineNumbers == [5, 2, 5])
        #expect(picked.column(named: "n") == .numeric([30, 10, 30]))
        #expect(picked.column(named: "t") == .text(["c", "a", "c"]))
        #expect(picked.source == "t.csv")
        #expect(table.rows([]).rowCount == 0)
    }

    @Test("displayValue: integers without .0, decimals as written, missing as empty")
    func display() throws {
        let table = try S.table("v,t\n42,x\n101348.88,NA\n-0,y\n1e2,z\n0.1,w\n,v\n-7.50,u\n")
        let shown = (0..<table.rowCount).map { table.displayValue(row: $0, column: 0) }
        #expect(shown == ["42", "101348.88", "0", "100", "0.1", "", "-7.5"])
        #expect(table.displayValue(row: 1, column: 1) == "")
        #expect(table.displayValue(row: 0, column: 1) == "x")
        #expect(ColumnData.format(1e20) == "1e+20")
        #expect(ColumnData.format(123_456_789_012) == "123456789012")
    }

    @Test("in-memory rows are typed like CSV fields")
    func fromRows() throws {
        let table = try Table(
            source: "request", columnNames: ["Age", "Geo", "Bal"],
            rows: [["42", "France", nil], [" 7 ", "NA", "1.5"], ["NaN", "Spain", ""]])
        #expect(table.rowCount == 3)
        #expect(table.lineNumbers == [1, 2, 3])
        #expect(table.column(named: "Age") == .numeric([42, 7, nil]))
        #expect(table.column(named: "Geo") == .text(["France", nil, "Spain"]))
        #expect(table.column(named: "Bal") == .numeric([nil, 1.5, nil]))
        let empty = try Table(source: "request", columnNames: ["a"], rows: [])
        #expect(empty.rowCount == 0)
        #expect(empty.columns == [.numeric([])])
    }

    @Test("in-memory rows: wrong length, empty and duplicate names are DataErrors")
    func fromRowsErrors() {
        let short = S.dataError {
            _ = try Table(source: "request", columnNames: ["a", "b"], rows: [["1", "2"], ["3"]])
        }
        #expect(short?.source == "request")
        #expect(short?.line == 2)
        #expect(short?.reason == "expected 2 fields, found 1")
        let duplicate = S.dataError { _ = try Table(source: "request", columnNames: ["a", "a"], rows: []) }
        #expect(duplicate?.column == "a")
        let empty = S.dataError { _ = try Table(source: "request", columnNames: ["a", ""], rows: []) }
        #expect(empty?.reason.contains("empty name") == true)
    }
}
