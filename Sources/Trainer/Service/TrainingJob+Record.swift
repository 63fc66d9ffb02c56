import ChurnClient
import ChurnML
import Wire

extension TrainingJob {
    /// The job as the wire reports it (``JobRecord``).
    public var record: JobRecord {
        JobRecord(
            id: id, dataset: dataset, modelName: modelName,
            options: (try? TrainingOptionsCodec.encode(configuration)) ?? [:], target: target, tags: tags, state: state,
            error: error, notes: notes, attempts: attempts, submittedMillis: submittedMillis, startedMillis: startedMillis,
            finishedMillis: finishedMillis, progress: progress.map { JobProgress(jobID: id, report: $0) },
            result: result.map(\.outcome))
    }
}

extension JobResult {
    /// The result as the wire reports it (``JobOutcome``).
    public var outcome: JobOutcome {
        JobOutcome(
            datasetSHA256: datasetSHA256, bundleSHA256: bundleSHA256, modelVersion: modelVersion,
            metrics: testMetrics.map(JobResult.indexedMetrics) ?? [:], trainSeconds: trainSeconds, epochsRun: epochsRun,
            fetchMillis: fetchMillis, trainMillis: trainMillis, publishMillis: publishMillis, promotion: promotion)
    }

    /// The metrics by name, as the registry indexes them: `accuracy`, `precision`, `recall`, `f1`,
    /// `roc_auc`, `pr_auc`, `log_loss`, `brier`, leaving out undefined and non-finite ones.
    public static func indexedMetrics(_ metrics: ClassificationMetrics) -> [String: Double] {
        let candidates: [(String, Double?)] = [
            ("accuracy", metrics.accuracy), ("precision", metrics.precision), ("recall", metrics.recall),
            ("f1", metrics.f1), ("roc_auc", metrics.rocAUC), ("pr_auc", metrics.prAUC),
            ("log_loss", metrics.logLoss), ("brier", metrics.brier),
        ]
        var result: [String: Double] = [:]
        for (key, value) in candidates {
            if let value, value.isFinite { result[key] = value }
        }
        return result
    }
}
