import ChurnML

extension RiskBand {
    /// CSS colour of the band.
    var color: String {
        switch self {
        case .low: "#2e7d32"
        case .moderate: "#f9a825"
        case .high: "#ef6c00"
        case .veryHigh: "#c62828"
        }
    }
}
