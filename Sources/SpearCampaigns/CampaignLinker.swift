public import SpearCore

/// Groups messages into campaigns in memory: union-find over exact fingerprints, plus MinHash near-identity for
/// families. Used for batch JSON Lines (no store) and as the reference the SQLite store's incremental campaigns
/// are tested against.
public struct CampaignLinker: Sendable {
    public private(set) var messages: [CampaignMessage] = []
    private var parent: [Int] = []
    private var exact: [String: Int] = [:]
    private var bands: [Int64: [Int]] = [:]
    private var signatures: [MinHash?] = []
    /// Pairs of messages whose texts are near-identical.
    public private(set) var similarPairs: [(Int, Int)] = []
    private var known = Set<String>()

    public init() {}

    /// Adds a message (a second copy of the same raw message is ignored) and links it to earlier ones.
    public mutating func add(_ message: CampaignMessage) {
        guard known.insert(message.sha256).inserted else { return }
        let index = messages.count
        messages.append(message)
        parent.append(index)
        var keys = message.fingerprints.payloads.map { "p:" + $0 }
        if let text = message.fingerprints.text { keys.append("t:" + text) }
        for key in keys {
            if let other = exact[key] { union(other, index) } else { exact[key] = index }
        }
        let signature = message.fingerprints.minhash.flatMap { MinHash(hex: $0) }
        signatures.append(signature)
        guard let signature else { return }
        var candidates = Set<Int>()
        for (band, key) in signature.bandKeys.enumerated() {
            let bucket = Int64(band) << 56 ^ key
            candidates.formUnion(bands[bucket, default: []])
            bands[bucket, default: []].append(index)
        }
        for other in candidates.sorted() {
            guard let theirs = signatures[other], signature.similarity(to: theirs) >= MinHash.similarityThreshold,
                  messages[other].fingerprints.text != message.fingerprints.text else { continue }
            similarPairs.append((other, index))
        }
    }

    /// The campaigns, largest first. `linkSimilar` makes near-identical text count as the same text.
    public func campaigns(rule: BulkRule, linkSimilar: Bool = false, domainOf: (String) -> String = { $0 }) -> [Campaign] {
        var sets = self
        if linkSimilar { for (a, b) in similarPairs { sets.union(a, b) } }
        var members: [Int: [Int]] = [:]
        for i in messages.indices { members[sets.find(i), default: []].append(i) }
        // Ids follow first appearance, so they are stable for the same input order.
        let roots = members.keys.sorted { members[$0]![0] < members[$1]![0] }
        var id: [Int: String] = [:]
        for (n, root) in roots.enumerated() { id[root] = "c\(n + 1)" }
        var similar: [Int: Set<String>] = [:]
        for (a, b) in similarPairs {
            let ra = sets.find(a), rb = sets.find(b)
            guard ra != rb else { continue }
            similar[ra, default: []].insert(id[rb]!)
            similar[rb, default: []].insert(id[ra]!)
        }
        return roots.map { root in
            Campaign(id: id[root]!, members: members[root]!.map { messages[$0] }, rule: rule, domainOf: domainOf,
                     similarCampaignIDs: similar[root, default: []].sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count })
        }
    }

    /// The campaign id of each message (by SHA-256), as `campaigns` numbers them.
    public func campaignOf(rule: BulkRule, linkSimilar: Bool = false, domainOf: (String) -> String = { $0 }) -> [String: Campaign] {
        var result: [String: Campaign] = [:]
        for campaign in campaigns(rule: rule, linkSimilar: linkSimilar, domainOf: domainOf) {
            for sha in campaign.messageSHA256 { result[sha] = campaign }
        }
        return result
    }

    private mutating func find(_ i: Int) -> Int {
        var root = i
        while parent[root] != root { root = parent[root] }
        var node = i
        while parent[node] != root { let next = parent[node]; parent[node] = root; node = next }
        return root
    }

    private mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
