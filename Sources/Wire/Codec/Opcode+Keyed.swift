extension Opcode {
    /// The writes a client sends as keyed requests (wire.md §2.4) and a server applies at most once
    /// per key: dataset register (push), model publish (chunked and inline), model delete, alias
    /// set and remove, SubmitJob and CancelJob. Other writes (gc, deployment reports, blob
    /// uploads) have the same effect when repeated.
    public static let keyedWrites: Set<Opcode> = [
        .datasetRegister, .modelPublish, .modelPublishInline, .modelDelete, .aliasSet, .aliasRemove, .submitJob,
        .cancelJob,
    ]
}
