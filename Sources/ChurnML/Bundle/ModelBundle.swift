/// Everything needed to predict with a trained model, in one value that is written as one file:
/// schema, fitted preprocessing, network, decision threshold, test metrics, curves and lineage.
///
/// The file layout is safetensors (see `Protocols/bundle.md` and `BundleCodec`).
public struct ModelBundle: Sendable, Equatable {
    /// The bundle format this build writes and reads.
    public static let formatVersion = 1
    /// The value of the `format` metadata key that marks a Churn model file.
    public static let formatName = "churn.model"

    /// Roles of the training table's columns.
    public var schema: Schema
    /// Fitted imputation, encoders and scaler.
    public var pipeline: FeaturePipeline
    /// The trained network.
    public var network: DenseNetwork
    /// Probability at or above which a customer is labelled as churning.
    public var threshold: Double
    /// Metrics on the held-out test rows (nil when trained without a test split).
    public var metrics: ClassificationMetrics?
    /// ROC and PR curves on the held-out test rows.
    public var curves: EvaluationCurves?
    /// Where the model came from.
    public var lineage: Lineage
    /// The F1 and profit thresholds and the policy that picked `threshold` (nil in bundles made before
    /// threshold policies, or without rows to choose on).
    public var thresholds: DecisionThresholds?
    /// Importance, profit, lift, calibration and segments on the held-out test rows (nil without a test split).
    public var insights: ModelInsights?
    /// The training distribution of each input column and of the score, for drift monitoring (nil in
    /// bundles made before it).
    public var baseline: DriftBaseline?

    /// Assembles a bundle.
    public init(
        schema: Schema, pipeline: FeaturePipeline, network: DenseNetwork, threshold: Double,
        metrics: ClassificationMetrics?, curves: EvaluationCurves?, lineage: Lineage,
        thresholds: DecisionThresholds? = nil, insights: ModelInsights? = nil, baseline: DriftBaseline? = nil
    ) {
        self.schema = schema
        self.pipeline = pipeline
        self.network = network
        self.threshold = threshold
        self.metrics = metrics
        self.curves = curves
        self.lineage = lineage
        self.thresholds = thresholds
        self.insights = insights
        self.baseline = baseline
    }
}
