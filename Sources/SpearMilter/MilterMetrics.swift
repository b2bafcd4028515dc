import NIOConcurrencyHelpers
public import Prometheus

/// What the milter counts, in Prometheus's terms (served by `MetricsEndpoint` at `/metrics`):
///
/// - `spearscan_milter_messages_total{status}`: messages answered, by verdict status (`clean`, `suspicious`,
///   `not_inspected`);
/// - `spearscan_milter_findings_total{finding}`: finding ids behind the verdicts (and the reasons a message was
///   not inspected), each counted once a message;
/// - `spearscan_milter_actions_total{action}`: `accept`, `quarantine`, `reject`, `tempfail`;
/// - `spearscan_milter_errors_total{kind}`: `time_limit`, `overloaded`, `held_bytes` (answered without a scan:
///   the connections' bound on held bytes was met), `protocol` (a connection closed for breaking the protocol);
/// - `spearscan_milter_stored_total{outcome}`: `stored`, `duplicate`, `not_stored`;
/// - `spearscan_milter_reply_seconds`: from the end of a message to its answer (histogram);
/// - `spearscan_milter_connections` and `spearscan_milter_messages_in_flight` (gauges), and
///   `spearscan_milter_held_bytes`: message bytes held by all connections together.
///
/// Finding labels are spearscan's own ids, at most `maxFindingLabels` of them (ids past that count as `other`), so
/// no sender can grow the series without bound.
public final class MilterMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let latency: DurationHistogram
    public let connections: Gauge
    public let inFlight: Gauge
    public let heldBytes: Gauge
    private let findingLabels = NIOLockedValueBox<Set<String>>([])
    /// The bound whose bytes `held_bytes` shows, read when scraped.
    private let held = NIOLockedValueBox<HeldBytes?>(nil)
    static let maxFindingLabels = 200

    public init() {
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "spearscan", subsystem: "milter", metricName: "reply", unitName: "seconds",
                                             helpText: "From the end of a message to the milter's answer."),
            labels: [],
            buckets: [1, 2, 5, 10, 20, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000].map { Duration.milliseconds($0) })
        connections = registry.makeGauge(descriptor: Self.name("connections", nil, "Open milter connections."))
        inFlight = registry.makeGauge(descriptor: Self.name("messages_in_flight", nil, "Messages received whole and not yet answered."))
        heldBytes = registry.makeGauge(descriptor: Self.name("held", "bytes", "Message bytes held by all connections together."))
    }

    private static func name(_ metric: String, _ unit: String?, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "spearscan", subsystem: "milter", metricName: metric, unitName: unit ?? "", helpText: help)
    }

    /// The counters made so far, by metric and label value (the registry's own lookup builds the name each time).
    private let counters = NIOLockedValueBox<[String: Counter]>([:])

    private func count(_ metric: String, _ label: String, _ value: String, _ help: String) {
        let key = metric + "\u{0}" + value
        let counter = counters.withLockedValue { known in
            if let c = known[key] { return c }
            let c = registry.makeCounter(descriptor: Self.name(metric, "total", help), labels: [(label, value)])
            known[key] = c
            return c
        }
        counter.increment()
    }

    /// A message answered: its status, finding ids, action, and the nanoseconds since its end arrived.
    func answered(status: String, findings: [String], action: String, nanoseconds: UInt64) {
        count("messages", "status", status, "Messages answered, by verdict status.")
        count("actions", "action", action, "Answers, by action.")
        for id in findings {
            let label = findingLabels.withLockedValue { known in
                if known.contains(id) { return id }
                guard known.count < Self.maxFindingLabels else { return "other" }
                known.insert(id)
                return id
            }
            count("findings", "finding", label, "Finding ids behind verdicts (and reasons not inspected), once a message.")
        }
        latency.record(.nanoseconds(Int64(clamping: nanoseconds)))
    }

    public func error(_ kind: String) {
        count("errors", "kind", kind, "Messages or connections met by an error, by kind.")
    }

    public func stored(_ outcome: String) {
        count("stored", "outcome", outcome, "Messages handed to the store, by outcome.")
    }

    /// Shows `bytes` as `spearscan_milter_held_bytes`.
    func track(_ bytes: HeldBytes) { held.withLockedValue { $0 = bytes } }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] {
        if let bytes = held.withLockedValue({ $0 }) { heldBytes.set(to: Double(bytes.current)) }
        var out: [UInt8] = []
        out.reserveCapacity(4_096)
        registry.emit(into: &out)
        return out
    }
}
