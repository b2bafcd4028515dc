/// What one message tells the spool about its sender and its recipients' mail servers: the raw material of
/// learned trust and learned correspondents (issue #14). The sender stage fills it; the store keeps one per
/// message and aggregates them; the JSON does not carry it.
public struct SenderObservation: Sendable, Hashable {
    /// The recipients' organisational domains, the receiving side's first (the topmost Received's `for`,
    /// Delivered-To, X-Original-To), then To and Cc; free-mail providers left out. At most eight.
    public var recipientOrgs: [String]
    /// The recipient organisation the receiving side named (the topmost Received's `for`, Delivered-To,
    /// X-Original-To), else the only one To and Cc name; nil otherwise. Learning counts the message under it: the
    /// sender writes To and Cc, and could otherwise shift an organisation's figures with addresses of its choice.
    public var deliveredOrg: String?
    /// The organisation, and the host, that wrote the topmost Received: whoever delivered the message to the spool.
    public var relayOrg: String?
    public var relayHost: String?
    /// The authserv-id of the first Authentication-Results trusted by position (above the border's entry hop).
    public var stamp: String?
    public var fromOrg: String?
    /// The From display name as a key (NFKC, no white space, lower-cased); nil when there is none.
    public var fromName: String?
    /// The From domain authenticated itself (aligned DKIM we verified, or a trusted dmarc=pass).
    public var authenticated: Bool
    /// The day (YYYY-MM-DD, in the server's own offset) the topmost Received says the message was delivered:
    /// written by the delivering server, not by the sender (whose Date could spread five messages over ten days).
    /// nil without a dated Received.
    public var day: String?
    public var fromFreeMail: Bool
    /// What learning changed in this message's verdict when it was scored: the MX operator whose border was
    /// used, and the correspondent match ("lookalike:<org>", "name:<org>"). Rescoring compares these with what
    /// the knowledge learned since would apply.
    public var applied: LearnedEffect

    public init(recipientOrgs: [String], deliveredOrg: String? = nil, relayOrg: String?, relayHost: String?, stamp: String?, fromOrg: String?,
                fromName: String?, authenticated: Bool, fromFreeMail: Bool, day: String? = nil, applied: LearnedEffect = LearnedEffect()) {
        self.day = day
        self.recipientOrgs = recipientOrgs
        self.deliveredOrg = deliveredOrg
        self.relayOrg = relayOrg
        self.relayHost = relayHost
        self.stamp = stamp
        self.fromOrg = fromOrg
        self.fromName = fromName
        self.authenticated = authenticated
        self.fromFreeMail = fromFreeMail
        self.applied = applied
    }
}

/// What learned knowledge does to one message's verdict: the border of a learned MX operator was used, and a
/// correspondent was imitated (its domain by a lookalike, or a person's name at a free-mail address).
public struct LearnedEffect: Sendable, Hashable {
    public var operatorOrg: String?
    public var match: String?

    public init(operatorOrg: String? = nil, match: String? = nil) {
        self.operatorOrg = operatorOrg
        self.match = match
    }
}

/// An organisation that delivers nearly all of a recipient organisation's mail (its MX: the organisation's own,
/// or a filtering or hosting provider in front of it), learned from who wrote the topmost Received.
public struct LearnedOperator: Sendable, Hashable, Codable {
    public var recipientOrg: String
    public var operatorOrg: String
    /// Messages to the recipient organisation whose topmost Received the operator wrote, of `total`.
    public var messages: Int
    public var total: Int
    /// The authserv-ids its trusted Authentication-Results carry, most frequent first, with their counts.
    public var stamps: [Count]
    /// Its hosts seen on top, most frequent first.
    public var hosts: [Count]

    public struct Count: Sendable, Hashable, Codable {
        public var value: String
        public var messages: Int
        public init(value: String, messages: Int) {
            self.value = value
            self.messages = messages
        }
    }

    public init(recipientOrg: String, operatorOrg: String, messages: Int, total: Int, stamps: [Count] = [], hosts: [Count] = []) {
        self.recipientOrg = recipientOrg
        self.operatorOrg = operatorOrg
        self.messages = messages
        self.total = total
        self.stamps = stamps
        self.hosts = hosts
    }

    public var share: Double { total == 0 ? 0 : Double(messages) / Double(total) }

    enum CodingKeys: String, CodingKey {
        case recipientOrg = "recipient_org", operatorOrg = "operator", messages, total, stamps, hosts
    }
}

/// A sender organisation a recipient organisation really corresponds with: authenticated mail over time.
public struct Correspondent: Sendable, Hashable, Codable {
    public var recipientOrg: String
    public var senderOrg: String
    /// Authenticated messages from the sender organisation to the recipient organisation, and on how many days.
    public var messages: Int
    public var days: Int
    /// The first day (YYYY-MM-DD) of that correspondence.
    public var firstSeen: String
    /// Authenticated messages the other way, from the recipient organisation to the sender organisation (replies,
    /// or its own mail in the same spool): correspondence in both directions admits with less history.
    public var replies: Int
    /// Set when learning refused it: the domain it imitates (a correspondent with more history, a recipient
    /// organisation, or a protected or well-known domain). A refused candidate protects nothing.
    public var refusedAsLookalikeOf: String?

    public init(recipientOrg: String, senderOrg: String, messages: Int, days: Int, firstSeen: String, replies: Int = 0,
                refusedAsLookalikeOf: String? = nil) {
        self.recipientOrg = recipientOrg
        self.senderOrg = senderOrg
        self.messages = messages
        self.days = days
        self.firstSeen = firstSeen
        self.replies = replies
        self.refusedAsLookalikeOf = refusedAsLookalikeOf
    }

    enum CodingKeys: String, CodingKey {
        case recipientOrg = "recipient_org", senderOrg = "sender_org", messages, days, firstSeen = "first_seen", replies,
             refusedAsLookalikeOf = "refused_as_lookalike_of"
    }
}

/// A display name seen on a correspondent's authenticated mail to a recipient organisation.
public struct CorrespondentName: Sendable, Hashable, Codable {
    public var recipientOrg: String
    public var senderOrg: String
    /// The name key (`SenderObservation.fromName`).
    public var name: String
    public var messages: Int

    public init(recipientOrg: String, senderOrg: String, name: String, messages: Int) {
        self.recipientOrg = recipientOrg
        self.senderOrg = senderOrg
        self.name = name
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey { case recipientOrg = "recipient_org", senderOrg = "sender_org", name, messages }
}

/// The thresholds and caps of learning. A cap that is reached is reported (`SpoolKnowledge.capped`).
public struct LearningRules: Sendable, Hashable {
    /// An operator: at least this many messages to the recipient organisation, and this share of them on top.
    public var operatorMinMessages = 20
    public var operatorMinShare = 0.9
    /// A correspondent: at least this many authenticated messages on this many distinct days, or one
    /// authenticated message each way.
    public var correspondentMinMessages = 3
    public var correspondentMinDays = 2
    /// What is held in memory for the scan, whatever the store's size.
    public var maxCorrespondents = 50_000
    /// Per recipient organisation, so that one organisation's candidates cannot crowd out the others'.
    public var maxCorrespondentsPerOrganization = 2_000
    public var maxNames = 100_000

    public init() {}
}

/// What a store's observations support, before learning's rules pick from them (`SenderStage.learn`).
public struct SpoolEvidence: Sendable {
    /// Every (recipient organisation, top relay organisation) with its count and the recipient's total.
    public var relays: [LearnedOperator]
    /// Every (recipient organisation, sender organisation) with authenticated mail, strongest first.
    public var correspondents: [Correspondent]
    /// Names on authenticated mail, per (recipient organisation, sender organisation).
    public var names: [CorrespondentName]
    /// True when the store held more candidates than the caps let through.
    public var capped: [String]

    public init(relays: [LearnedOperator], correspondents: [Correspondent], names: [CorrespondentName], capped: [String] = []) {
        self.relays = relays
        self.correspondents = correspondents
        self.names = names
        self.capped = capped
    }
}

/// What the spool taught: MX operators, correspondents and their people's names, per recipient organisation.
/// Learned at the end of a batch (or by `spearscan rescore`), kept in the store, and given to the sender stage
/// of the next scans.
public struct SpoolKnowledge: Sendable, Hashable, Codable {
    public var operators: [LearnedOperator]
    /// Admitted correspondents, and (with `refusedAsLookalikeOf` set) the candidates refused.
    public var correspondents: [Correspondent]
    public var names: [CorrespondentName]
    /// Caps that were reached ("correspondents", "names"), so the output can say what was not learned.
    public var capped: [String]

    public init(operators: [LearnedOperator] = [], correspondents: [Correspondent] = [], names: [CorrespondentName] = [], capped: [String] = []) {
        self.operators = operators
        self.correspondents = correspondents
        self.names = names
        self.capped = capped
    }

    public var isEmpty: Bool { operators.isEmpty && correspondents.isEmpty && names.isEmpty }
    public var admitted: [Correspondent] { correspondents.filter { $0.refusedAsLookalikeOf == nil } }
}
