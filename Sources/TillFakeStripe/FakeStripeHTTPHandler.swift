import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection to the fake: gathers a request, asks `FakeStripe` for the reply, and writes it — late,
/// or not at all, when a fault says so.
final class FakeStripeHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: FakeStripeBox
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?

    init(box: FakeStripeBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            body = context.channel.allocator.buffer(capacity: 0)
        case var .body(part):
            body?.writeBuffer(&part)
        case .end:
            guard let head, let fake = box.value else { return }
            let text = body.map { String(buffer: $0) } ?? ""
            let headers = head.headers.map { FakeStripeHeader(name: $0.name, value: $0.value) }
            let reply = fake.handle(method: head.method.rawValue, uri: head.uri, headers: headers, body: text)
            let keepAlive = head.isKeepAlive
            self.head = nil
            self.body = nil
            if reply.delayMilliseconds > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(reply.delayMilliseconds))) {
                    self.send(reply, keepAlive: keepAlive, context: context)
                }
            } else {
                send(reply, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func send(_ reply: FakeStripe.Reply, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if reply.drop {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        headers.add(name: "Request-Id", value: FakeStripeIDs.make("req", length: 14))
        for header in reply.headers { headers.add(name: header.name, value: header.value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: reply.body.utf8.count)
        buffer.writeString(reply.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
