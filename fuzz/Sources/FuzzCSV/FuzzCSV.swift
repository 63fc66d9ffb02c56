import CFuzzerDriver
import Foundation
import ChurnML

/// libFuzzer entry point: the input is a CSV file. It is parsed by ``CSVReader`` (both passes:
/// scanning and column typing) and, when it parses, its schema is inferred. Any trap is a finding;
/// a ``DataError`` is the expected outcome for a malformed file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let table = try? CSVReader.parse(bytes, source: "fuzz.csv") else { return 0 }
    _ = try? SchemaInference.infer(table, target: nil, overrides: nil)
    return 0
}

/// Runs libFuzzer's loop over ``fuzzCSV(_:_:)`` with the command-line options (corpus directories,
/// `-max_total_time=…`).
@main
enum FuzzCSVMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzCSV))
    }
}
