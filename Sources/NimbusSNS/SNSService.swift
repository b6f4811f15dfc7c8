package import Logging
package import NimbusCore
package import NimbusStore
import NimbusWire
import Synchronization

/// Amazon Simple Notification Service: topics, subscriptions and fan-out.
///
/// Publish writes the message and one pending delivery per matching subscription to the
/// store's outbox in one transaction (group-committed with concurrent publishes) and returns;
/// `runDeliveries()` delivers in the background: SQS queues and Lambda functions through the
/// dispatcher, HTTP/S endpoints by POST, with AWS's envelopes signed by a key whose
/// certificate Nimbus serves at `SigningCertURL`.
package struct SNSService: ServiceHandler, SNSOperations {
    package let serviceName = "sns"
    /// A message's `SubscribeURL` and `UnsubscribeURL` are plain links: AWS answers them unsigned.
    package var unsignedOperations: Set<String> { ["ConfirmSubscription", "Unsubscribe"] }

    let store: SNSStore
    let clock: any WallClock
    let account: AccountContext
    let signer: MessageSigner
    let worker: DeliveryWorker
    /// Writes concurrent publishes together, one transaction for all that wait.
    let publisher: GroupCommit<[SNSStore.Publication], [SNSStore.Published]>
    /// This server's URL (`http://host:port`), for envelopes published without a request (dispatch).
    private let endpoint: Endpoint

    final class Endpoint: Sendable {
        let url = Mutex("http://127.0.0.1:4566")
    }

    /// Migrates the service's tables and loads (or makes, once) the signing key.
    /// - Parameter signer: a ready signer (tests share one to skip generating RSA keys).
    package init(
        store: any SQLStore,
        dispatcher: any Dispatcher,
        account: AccountContext = AccountContext(),
        clock: any WallClock = SystemWallClock(),
        settings: SNSSettings = SNSSettings(),
        poster: any HTTPPoster = URLSessionPoster(),
        signer: MessageSigner? = nil,
        logger: Logger = Logger(label: "nimbus.sns")
    ) async throws {
        try await store.migrate(SNSStore.migrations)
        let sns = SNSStore(store: store)
        self.store = sns
        self.clock = clock
        self.account = account
        let resolved: MessageSigner
        if let signer {
            resolved = signer
        } else {
            resolved = try await Self.loadSigner(sns, now: clock.now())
        }
        self.signer = resolved
        let worker = DeliveryWorker(
            store: sns,
            dispatcher: dispatcher,
            signer: resolved,
            clock: clock,
            poster: poster,
            settings: settings,
            logger: logger
        )
        self.worker = worker
        endpoint = Endpoint()
        publisher = GroupCommit { publications in
            let outcomes = try await sns.publish(publications.flatMap { $0 }, now: clock.now())
            worker.wake.signal()
            // One outcome list per submitted batch, cut from the flat list in order.
            var index = 0
            return publications.map { batch in
                defer { index += batch.count }
                return Array(outcomes[index..<index + batch.count])
            }
        }
    }

    /// The stored signing key, or a new one stored for every later start (and every node).
    static func loadSigner(_ store: SNSStore, now: Double) async throws -> MessageSigner {
        if let stored = try await store.signingKey() {
            return try MessageSigner(privateKeyPEM: stored.privateKey, certificatePEM: stored.certificate)
        }
        let made = try MessageSigner.generate(now: now)
        let stored = try await store.storeSigningKey(privateKey: made.privateKey, certificate: made.certificate)
        return try MessageSigner(privateKeyPEM: stored.privateKey, certificatePEM: stored.certificate)
    }

    /// Makes a signer with a fresh key, stored nowhere (for tests).
    package static func makeSigner(now: Double = SystemWallClock().now()) throws -> MessageSigner {
        let made = try MessageSigner.generate(now: now)
        return try MessageSigner(privateKeyPEM: made.privateKey, certificatePEM: made.certificate)
    }

    /// Delivers pending messages until the task is cancelled; the server runs it as a service.
    package func runDeliveries() async {
        await worker.run()
    }

    /// Sets the URL clients reach this server at, once the edge listens.
    package func setEndpoint(_ url: String) {
        endpoint.url.withLock { $0 = url }
    }

    /// The PEM of the certificate that verifies every envelope's `Signature`.
    package var signingCertificatePEM: String { signer.certificatePEM }

    /// The path under which the edge must serve `signingCertificatePEM` (the path of `SigningCertURL`).
    package var signingCertificatePath: String { Envelope.certificatePathPrefix + signer.certificateFileName }

    /// The certificate to answer a GET of `target` with (`application/x-pem-file`), or `nil` when
    /// `target` is not this server's `SigningCertURL` path. The edge serves it like code downloads.
    package func signingCertificate(forRequestTarget target: String) -> String? {
        let path = target.prefix { $0 != "?" }
        return path == signingCertificatePath ? signer.certificatePEM : nil
    }

    /// `http://<Host>` of the request, which is how the caller reaches this server; the configured endpoint otherwise.
    func baseURL(_ context: RequestContext?) -> String {
        if let host = context?.request.header("Host"), !host.isEmpty { return "http://" + host }
        return endpoint.url.withLock { $0 }
    }

    /// The topic named by `arn`, or AWS's `NotFound`.
    func existingTopic(_ arn: String, member: String = "TopicArn") async throws -> Topic {
        _ = try TopicNames.parseARN(arn, member: member)
        guard let topic = try await store.topic(arn: arn) else { throw AWSError.topicNotFound }
        return topic
    }
}
