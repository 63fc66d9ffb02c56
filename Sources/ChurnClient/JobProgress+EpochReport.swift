import ChurnML
import Wire

extension JobProgress {
    /// The wire form of one epoch's report. (Wire cannot depend on ChurnML, so the protocol keeps its
    /// own copy of the fields; this is the one place that maps them.)
    public init(jobID: Int64, report: EpochReport) {
        self.init(
            jobID: jobID, epoch: report.epoch, epochs: report.epochs, loss: report.loss,
            validationLoss: report.validationLoss, validationAccuracy: report.validationAccuracy,
            elapsedSeconds: report.elapsedSeconds)
    }
}
