public import SpearCore
public import SpearDNS
public import SpearDomains
public import SpearMIME

/// Judges whether a message's sender is spoofed, with evidence an analyst can check in the headers.
public struct SenderAnalyzer: SenderStage {
    public let config: SenderConfig
    public var keys: DKIMKeySource
    public var dns: DNSCache?
    public let psl: PublicSuffixList?
    let detector: LookalikeDetector
    let lookalikes = LookalikeCache()
    let recipientLookalikes: RecipientLookalikes
    let organizations = SharedMemo<String, String?>()
    let prefetchMemo = SenderPrefetch.Memo()
    /// SPF results of this run by client address, sender, HELO and domain: the answers they came from are the
    /// run's (cached), so the same server sending for the same domain gets the same result. Not kept: temperror,
    /// which a resolver back from an outage may turn into an answer.
    let spfResults = SharedMemo<SPFKey, SPFResult>(limit: 20_000)

    struct SPFKey: Hashable, Sendable {
        let ip: String, sender: String, helo: String, domain: String
    }
    let lists: SenderDomainLists
    /// What the spool taught (issue #14), and the same arranged for a lookup per message.
    public let knowledge: SpoolKnowledge
    let learned: LearnedIndex?

    /// `dns` nil: no DMARC policy lookups and no SPF evaluation (offline, or keys from a file). `knowledge`: MX
    /// operators and correspondents learned from a store (`learn(from:rules:)`); a configured trust list wins
    /// over learned operators.
    public init(config: SenderConfig = SenderConfig(), keys: DKIMKeySource, dns: DNSCache?, psl: PublicSuffixList? = PublicSuffixList.system,
                knowledge: SpoolKnowledge = SpoolKnowledge()) {
        self.knowledge = knowledge
        self.learned = knowledge.isEmpty ? nil : LearnedIndex(knowledge, psl: psl)
        self.config = config
        self.keys = keys
        self.dns = dns
        self.psl = psl
        self.lists = SenderDomainLists(config)
        self.detector = LookalikeDetector(protected: config.protectedDomains + LookalikeDetector.wellKnown, psl: psl)
        self.recipientLookalikes = RecipientLookalikes(psl: psl)
    }

    public func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders? = nil) -> SenderReport {
        analyze(message, parsed: parsed, arrival: nil)
    }

    /// `arrival`: the milter's view of the message (client, HELO, envelope), which SPF checks instead of the
    /// Received headers, and whose envelope sender is the envelope (a Return-Path in an arriving message is the
    /// sender's own text).
    public func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders?, arrival: Arrival?) -> SenderReport {
        let headers = message.headers
        func addresses(_ name: String) -> [Address] {
            headers.all(name).flatMap { AddressParser.parse($0.unfolded).addresses }
        }
        let from = parsed?.from ?? addresses("from")
        let returnPath = arrival?.mailFrom ?? parsed.map { $0.returnPath.flatMap { $0.isEmpty ? nil : $0 } }
            ?? headers.first("return-path").flatMap { AddressParser.parse($0.unfolded).addresses.first?.address }
        let received = headers.all("received").map { ReceivedHeader.parse($0.unfolded) }
        var context = SenderContext(
            config: config, psl: psl, from: from.first, fromCount: from.count, sender: addresses("sender").first,
            replyTo: parsed?.replyTo ?? addresses("reply-to"),
            returnPath: returnPath,
            recordedEnvelope: nil, messageIDDomain: nil, date: headers.text("date").flatMap(MailDate.parse),
            received: received, isMailingList: false, listDomains: [], authResults: [], dkim: [], lists: lists,
            organizations: organizations)
        // The organisations the message is addressed to: protected against lookalikes for this message, and the
        // ones whose border MX can be told apart from forgeries by position.
        var recipientOrgs: [String] = []
        for d in RecipientDomains.collect(headers, topReceived: received.first) {
            if let o = context.org(d), !recipientOrgs.contains(o) { recipientOrgs.append(o) }
        }
        context.recipientOrgs = recipientOrgs.filter { !context.isFreeMail($0) }
        // A learned MX operator (a provider in front of the recipients' organisation) is a border like the
        // organisation's own; a configured trust list wins over it.
        let operators = learnedTrust?.operatorOrgs(of: context.recipientOrgs) ?? []
        context.border = RecipientBorder.find(headers, received: received, recipientOrganizations: Set(recipientOrgs + operators),
                                              organization: context.org)
        if let border = context.border, !recipientOrgs.contains(border.organization) { context.border?.learned = true }
        let ar = AuthenticationResultsParser.parse(headers, received: received, trustedIDs: lists.trustedIDs,
                                                   trustedRelays: lists.trusted, border: context.border,
                                                   organization: context.org)
        context.authResults = ar
        // The envelope sender as a trusted server recorded it, when there is no Return-Path.
        context.recordedEnvelope = ar.filter(\.trusted).lazy.flatMap(\.results).compactMap { $0.properties["smtp.mailfrom"] }.first
            ?? context.firstTrustedHop?.envelopeFrom
        if let id = headers.first("message-id")?.text, let at = id.lastIndex(of: "@") {
            context.messageIDDomain = String(id[id.index(after: at)...]).trimmingCharacters(in: "<> \t").lowercased()
        }
        let listHeaders = ["list-id", "list-post", "list-unsubscribe", "list-help", "list-subscribe"]
        let precedence = headers.first("precedence").map { ASCIIBytes.lowercased($0.unfolded) } ?? []
        context.isMailingList = listHeaders.contains { headers.first($0) != nil }
            || ASCIIBytes.find(Array("list".utf8), in: precedence) != nil || ASCIIBytes.find(Array("bulk".utf8), in: precedence) != nil
        for name in ["list-id", "list-post"] {
            if let text = headers.text(name) { context.listDomains.formUnion(Self.domains(in: text)) }
        }

        // DKIM, with alignment against the From domain.
        var dkim = DKIMVerifier(keys: keys).verify(message)
        for k in dkim.indices where dkim[k].result == "pass" {
            guard let d = dkim[k].domain, let f = context.fromDomain else { continue }
            if d == f { dkim[k].alignment = "strict" } else if context.org(d) == context.fromOrg { dkim[k].alignment = "relaxed" }
        }
        context.dkim = dkim

        let spfInputs = Self.spfInputs(context, arrival: arrival)
        if let dns, let spfInputs { context.spf = Self.evaluateSPF(spfInputs, dns: dns, memo: spfResults) }
        if let dns, let fromDomain = context.fromDomain, from.count == 1 {
            let known = context
            context.dmarc = DMARCEvaluator(dns: dns, org: { known.org($0) }).evaluate(fromDomain: fromDomain, dkim: dkim, spf: context.spf)
        }
        // What the message tells the spool, and what the knowledge learned from it applies here: the same
        // decisions `effect(of:)` makes from a stored observation, so that rescoring compares like with like.
        let top = received.first?.by?.lowercased()
        var observation = SenderObservation(
            recipientOrgs: context.recipientOrgs,
            deliveredOrg: RecipientDomains.receiving(headers, topReceived: received.first).flatMap { context.org($0) }
                .flatMap { context.isFreeMail($0) ? nil : $0 } ?? (context.recipientOrgs.count == 1 ? context.recipientOrgs[0] : nil),
            relayOrg: top.flatMap { context.org($0) }, relayHost: top,
            stamp: ar.first(where: { $0.trusted && $0.trustBasis != "configured" })?.authservID.lowercased(),
            fromOrg: context.fromOrg, fromName: LearnedIndex.nameKey(context.from?.name), authenticated: context.fromAuthenticated,
            fromFreeMail: context.isFreeMail(context.fromDomain),
            day: received.first?.date.map { String($0.iso8601.prefix(10)) })
        context.correspondentMatch = correspondentMatch(observation)
        observation.applied = effect(of: observation)

        let checks: [any SenderCheck] = [
            EnvelopeAlignmentCheck(), SenderHeaderCheck(), ReplyToCheck(), DisplayNameCheck(), LookalikeCheck(detector: detector, cache: lookalikes, recipients: recipientLookalikes),
            MessageIDCheck(), DateSkewCheck(), FirstHopCheck(), AuthResultsCheck(), DKIMCheck(), SPFCheck(), DMARCCheck(),
            CorrespondentCheck(),
        ]
        var indicators = checks.flatMap { $0.evaluate(context) }
        if from.count != 1 {
            indicators.append(SenderIndicator(id: from.isEmpty ? "no_from" : "multiple_from", weight: from.isEmpty ? 20 : 30,
                                              evidence: from.isEmpty ? "no From address" : "\(from.count) From addresses: readers show different senders",
                                              axis: .name))
        }
        if psl == nil {
            indicators.append(SenderIndicator(id: "public_suffix_list_missing", weight: 0,
                                              evidence: "\(PublicSuffixList.defaultPath) is missing: organisational domains guessed from the last labels"))
        }
        // Enough to say the domain is authentic? An envelope to compare, a trusted result, a DKIM verdict, or
        // strong header evidence. The name can always be judged when there is a From.
        let evidence = context.envelopeOrg != nil || ar.contains(where: \.trusted) || dkim.contains { $0.result == "pass" || $0.result == "fail" }
            || indicators.contains { $0.axis == .domain && $0.weight >= 35 }
        let domainVerdict = SenderReport.AxisVerdict(indicators: indicators, axis: .domain, decidable: evidence)
        let nameVerdict = SenderReport.AxisVerdict(indicators: indicators, axis: .name, decidable: !from.isEmpty)
        // Each axis is bounded at 0 before they are added: a DMARC pass can bring the domain's score to 0, never
        // below, so it cannot pay for a dishonest name; weak evidence on both axes still adds up.
        let score = min(100, domainVerdict.score + nameVerdict.score)
        let spoofed: Bool? = score >= SenderReport.AxisVerdict.threshold ? true
            : (domainVerdict.spoofed == false && nameVerdict.spoofed == false ? false : nil)

        var summary = AuthResultsSummary(trusted: ar.contains(where: \.trusted), spf: nil, dkim: nil, dmarc: nil, dmarcPolicy: nil, headers: ar)
        let pool = summary.trusted ? ar.filter(\.trusted) : ar
        for h in pool {
            for r in h.results {
                switch r.method {
                case "spf" where summary.spf == nil: summary.spf = r.result
                case "dkim" where summary.dkim == nil: summary.dkim = r.result
                case "dmarc" where summary.dmarc == nil: summary.dmarc = r.result
                default: break
                }
            }
        }
        summary.dmarcPolicy = context.dmarc?.policy
        var report = SenderReport(spoofed: spoofed, score: score, domain: domainVerdict, name: nameVerdict, indicators: indicators, dkim: dkim, authResults: summary, spf: context.spf)
        report.dmarc = context.dmarc
        report.observation = observation
        report.clientAddress = spfInputs?.ip.description
        return report
    }

    // MARK: - Spool learning (issue #14)

    public func applying(_ knowledge: SpoolKnowledge) -> any SenderStage {
        SenderAnalyzer(config: config, keys: keys, dns: dns, psl: psl, knowledge: knowledge)
    }

    public func learn(from evidence: SpoolEvidence, rules: LearningRules) -> SpoolKnowledge {
        SpoolLearner.learn(evidence, rules: rules, detector: detector, psl: psl)
    }

    /// What this analyzer's knowledge applies to a message with this observation; `analyze` records exactly this
    /// as `observation.applied`.
    public func effect(of o: SenderObservation) -> LearnedEffect {
        LearnedEffect(operatorOrg: learnedTrust?.operatorOrg(recipientOrgs: o.recipientOrgs, relayOrg: o.relayOrg),
                      match: correspondentMatch(o)?.effect)
    }

    /// The learned knowledge whose operators count: none when a trust list is configured (the list wins).
    private var learnedTrust: LearnedIndex? { lists.trusted.isEmpty ? learned : nil }

    private func correspondentMatch(_ o: SenderObservation) -> LearnedIndex.CorrespondentMatch? {
        learned?.match(fromOrg: o.fromOrg, fromName: o.fromName, fromFreeMail: o.fromFreeMail, recipientOrgs: o.recipientOrgs,
                       detector: detector)
    }

    /// What SPF checks: at arrival, the connecting client, its HELO and the envelope sender (unless the client
    /// authenticated, a submission SPF says nothing of, or is internal: a relay or filter in front of this MTA,
    /// whose Received headers then name the Internet client); otherwise the client and HELO of the first trusted
    /// external hop and the Return-Path (else what a trusted server recorded).
    struct SPFInputs {
        var ip: SPFAddress
        var helo: String
        var envelope: String
        var atArrival: Bool
    }

    static func spfInputs(_ context: SenderContext, arrival: Arrival?) -> SPFInputs? {
        if let arrival {
            if arrival.authenticated { return nil }
            let text = arrival.clientAddress.map { $0.hasPrefix("IPv6:") ? String($0.dropFirst(5)) : $0 }
            if let ip = text.flatMap(SPFAddress.init), !ip.isInternal {
                return SPFInputs(ip: ip, helo: heloName(arrival.helo), envelope: arrival.mailFrom ?? context.envelope ?? "", atArrival: true)
            }
        }
        guard let (hop, ip) = spfClient(context) else { return nil }
        return SPFInputs(ip: ip, helo: heloName(hop.from), envelope: context.envelope ?? "", atArrival: false)
    }

    /// A HELO name as SPF uses it: lower-cased, an address literal's brackets dropped.
    private static func heloName(_ name: String?) -> String {
        (name ?? "").lowercased().trimmingCharacters(in: "[]")
    }

    /// SPF for the envelope sender (a null sender checks the HELO name). nil when there is no identity to check.
    static func evaluateSPF(_ inputs: SPFInputs, dns: DNSCache, memo: SharedMemo<SPFKey, SPFResult>? = nil) -> SPFResult? {
        let ip = inputs.ip, helo = inputs.helo
        let envelope = inputs.envelope.trimmingCharacters(in: "<> \t")
        let sender: String
        let domain: String
        var identity = "mailfrom"
        if let at = envelope.lastIndex(of: "@"), envelope.index(after: at) < envelope.endIndex {
            domain = envelope[envelope.index(after: at)...].lowercased()
            sender = at == envelope.startIndex ? "postmaster" + envelope : envelope
        } else if SPFEvaluator.isValidDomain(helo) {
            domain = helo
            sender = "postmaster@" + helo
            identity = "helo"
        } else {
            return nil
        }
        let key = SPFKey(ip: ip.description, sender: sender, helo: helo, domain: domain)
        var result: SPFResult
        if let known = memo?.cached(key) {
            result = known
        } else {
            var evaluator = SPFEvaluator(dns: dns, ip: ip, sender: sender, helo: helo)
            let (code, why) = evaluator.checkHost(domain)
            result = SPFResult(result: code, domain: domain, ip: ip.description, explanation: why, lookups: evaluator.lookups)
            if code != .temperror { memo?.remember(key, result) }
        }
        result.atArrival = inputs.atArrival
        result.helo = helo.isEmpty ? nil : helo
        result.identity = identity
        return result
    }

    /// The hop and client address SPF checks: with trusted relays configured, the entry hop they identify;
    /// without, the topmost Received whose client is on the Internet (the hops above it, mailbox servers and
    /// filters, have internal addresses, and SPF of one of those would fail every message).
    static func spfClient(_ context: SenderContext) -> (ReceivedHeader, SPFAddress)? {
        let configured = !context.lists.trusted.isEmpty
        return internetClient(configured ? [context.firstTrustedHop].compactMap { $0 } : context.received)
    }

    /// The first hop whose client address is on the Internet, and that address (the client SPF checks).
    static func internetClient(_ hops: some Sequence<ReceivedHeader>) -> (ReceivedHeader, SPFAddress)? {
        for hop in hops {
            if let text = hop.ip, let address = SPFAddress(text), !address.isInternal { return (hop, address) }
        }
        return nil
    }

    static func domains(in text: String) -> [String] {
        text.split(whereSeparator: { " <>@:;,\"".contains($0) }).map(String.init).filter { $0.contains(".") && !$0.contains("/") }
    }
}
