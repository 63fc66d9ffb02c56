/// Registry opcodes, 0x0100–0x01FF (wire.md "Registry"). Each carries one ``JSONDocument`` each
/// way: the request and response types are the ``RegistryCall`` types of this folder.
extension Opcode {
    /// 0x0100 DatasetRegister (write): names a dataset blob uploaded with the blob opcodes.
    public static let datasetRegister = Opcode(rawValue: 0x0100)
    /// 0x0101 DatasetList.
    public static let datasetList = Opcode(rawValue: 0x0101)
    /// 0x0102 DatasetShow.
    public static let datasetShow = Opcode(rawValue: 0x0102)
    /// 0x0110 ModelPublish (write): publishes a bundle blob uploaded with the blob opcodes.
    public static let modelPublish = Opcode(rawValue: 0x0110)
    /// 0x0111 ModelShow.
    public static let modelShow = Opcode(rawValue: 0x0111)
    /// 0x0112 ModelList.
    public static let modelList = Opcode(rawValue: 0x0112)
    /// 0x0113 ModelSearch.
    public static let modelSearch = Opcode(rawValue: 0x0113)
    /// 0x0114 ModelDelete (write).
    public static let modelDelete = Opcode(rawValue: 0x0114)
    /// 0x0115 AliasSet (write).
    public static let aliasSet = Opcode(rawValue: 0x0115)
    /// 0x0116 AliasRemove (write).
    public static let aliasRemove = Opcode(rawValue: 0x0116)
    /// 0x0117 AliasHistory.
    public static let aliasHistory = Opcode(rawValue: 0x0117)
    /// 0x0118 GC (write).
    public static let registryGC = Opcode(rawValue: 0x0118)
    /// 0x0119 DeploymentReport (write).
    public static let deploymentReport = Opcode(rawValue: 0x0119)
    /// 0x011A Deployments.
    public static let deployments = Opcode(rawValue: 0x011A)
    /// 0x011B Events: the poll form of the event log.
    public static let registryEvents = Opcode(rawValue: 0x011B)
    /// 0x011C ModelPublishInline (write): ModelPublish with the bundle's bytes in the same request.
    public static let modelPublishInline = Opcode(rawValue: 0x011C)

    /// The registry's read-only opcodes.
    public static let registryReads: [Opcode] = [
        .datasetList, .datasetShow, .modelShow, .modelList, .modelSearch, .aliasHistory, .deployments, .registryEvents,
    ]
    /// The registry's state-changing opcodes (they need the token when one is configured).
    public static let registryWrites: [Opcode] = [
        .datasetRegister, .modelPublish, .modelDelete, .aliasSet, .aliasRemove, .registryGC, .deploymentReport,
        .modelPublishInline,
    ]
}
