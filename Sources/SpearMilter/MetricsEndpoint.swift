import NIOCore
import NIOHTTP1
import NIOPosix

/// `--metrics inet:PORT@HOST`: the milter's counters over HTTP for Prometheus to scrape (`GET /metrics`, the text
/// exposition format; anything else 404, a method other than GET or HEAD 405). Runs on the milter's event loop; a
/// request's head is all it reads (bodies are discarded), one answer per request, then the connection is kept for the
/// next scrape.
final class MetricsEndpoint: Sendable {
    private let channel: any Channel

    init(host: String, port: Int, metrics: MilterMetrics, group: any EventLoopGroup) throws {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(MetricsHandler(metrics: metrics))
                    }
                }
            }
        channel = try bootstrap.bind(host: host, port: port).wait()
    }

    /// The port bound (for `inet:0@…`).
    var port: Int? { channel.localAddress?.port }

    func close() { try? channel.close().wait() }
}

final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: MilterMetrics
    private var head: HTTPRequestHead?

    init(metrics: MilterMetrics) { self.metrics = metrics }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context)
        }
    }

    private func respond(to request: HTTPRequestHead, _ context: ChannelHandlerContext) {
        let status: HTTPResponseStatus
        var body: [UInt8] = []
        var type = "text/plain; charset=utf-8"
        if request.method != .GET && request.method != .HEAD {
            status = .methodNotAllowed
        } else if request.uri == "/metrics" || request.uri.hasPrefix("/metrics?") {
            status = .ok
            type = "text/plain; version=0.0.4; charset=utf-8"
            body = metrics.exposition()
        } else {
            status = .notFound
            body = Array("spearscan milter: metrics are at /metrics\n".utf8)
        }
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", "\(body.count)")])
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let keepAlive = request.isKeepAlive, channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
