public import ArgumentParser
import SpearCampaigns

/// How campaigns are labelled bulk-type: the NPA's rule (10 or more places) and what counts as a place.
struct BulkOptionGroup: ParsableArguments {
    @Option(help: "Distinct recipients (or domains) from which a campaign is bulk-type.")
    var bulkThreshold: Int = 10

    @Option(help: "Count distinct recipient addresses (address) or organisations (domain).")
    var bulkUnit: BulkRule.Unit = .address

    @Flag(help: "Count near-identical (personalised) text as the same text: families become one campaign.")
    var linkSimilar = false

    var rule: BulkRule { BulkRule(threshold: bulkThreshold, unit: bulkUnit) }

    func validate() throws {
        if bulkThreshold < 1 { throw ValidationError("--bulk-threshold must be at least 1") }
    }
}

extension BulkRule.Unit: ExpressibleByArgument {}
