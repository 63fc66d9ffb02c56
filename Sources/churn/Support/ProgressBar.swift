import ChurnML
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line training progress bar on standard error, drawn only when standard error is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let width = 30

    /// A bar that draws when `enabled` and standard error is a terminal.
    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    /// Redraws the bar for a finished epoch.
    func update(_ report: EpochReport) {
        guard enabled else { return }
        let filled = report.epochs > 0 ? width * report.epoch / report.epochs : width
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        var line = "\rEpoch \(report.epoch)/\(report.epochs) [\(bar)] loss \(Self.format(report.loss))"
        if let validationLoss = report.validationLoss { line += " val_loss \(Self.format(validationLoss))" }
        if let accuracy = report.validationAccuracy { line += " val_acc \(Self.format(accuracy))" }
        line += " \(Self.format(report.elapsedSeconds, digits: 1))s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// A number with a fixed count of decimals.
    static func format(_ value: Double, digits: Int = 4) -> String {
        String(format: "%.\(digits)f", value)
    }
}
