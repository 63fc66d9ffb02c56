/// Shrinks a curve to a bounded number of points for storage in a model bundle.
enum CurveThinning {
    /// At most `maxPoints` of `points`, keeping the first and last and evenly spaced indices in
    /// between: index `round(k · (n − 1) / (m − 1))` for `k = 0 ..< m`. Because `m < n`, the step
    /// is above 1 and the indices are strictly increasing, so no point is taken twice.
    static func thinned(_ points: [CurvePoint], maxPoints: Int) -> [CurvePoint] {
        let n = points.count
        guard maxPoints > 0 else { return [] }
        guard n > maxPoints else { return points }
        guard maxPoints > 1 else { return [points[0]] }
        let m = maxPoints
        var result: [CurvePoint] = []
        result.reserveCapacity(m)
        for k in 0..<m {
            // Rounded k * (n - 1) / (m - 1), in integers (k * (n - 1) < n², no overflow for any
            // array that fits in memory).
            let index = (k * (n - 1) + (m - 1) / 2) / (m - 1)
            result.append(points[index])
        }
        return result
    }
}
