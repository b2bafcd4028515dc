import SpearCampaigns

extension BulkRule {
    /// The `campaigns` counter this rule's unit counts: both stores keep the same two, so one place names them.
    var countColumn: String {
        unit == .address ? "distinct_recipients" : "distinct_domains"
    }
}
