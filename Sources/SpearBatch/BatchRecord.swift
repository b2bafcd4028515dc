import SpearCore
import SpearCampaigns
import SpearScan

/// One JSON Lines record of a batch: the `scan` JSON of the message plus where it came from in the spool and
/// what links it to other messages (so a report can find campaigns without a store).
struct BatchRecord: Encodable {
    var report: ScanReport
    var offset: Int?
    var campaign: CampaignMessage

    enum Extra: String, CodingKey { case offset, recipients, fingerprints }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: Extra.self)
        try c.encode(offset, forKey: .offset)
        try c.encode(campaign.recipients, forKey: .recipients)
        try c.encode(campaign.fingerprints, forKey: .fingerprints)
    }
}

/// A message the batch could not read or scan, as a JSON Lines record.
struct FailureRecord: Encodable {
    var source: String
    var offset: Int?
    var error: String

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(offset, forKey: .offset)
        try c.encode(error, forKey: .error)
    }

    enum CodingKeys: String, CodingKey { case source, offset, error }
}
