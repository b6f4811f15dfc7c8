/// An event one service sends to a resource of another, addressed by ARN.
///
/// S3 notifications, Lambda async invokes and destinations, SNS fan-out and
/// EventBridge targets all travel as `DispatchEvent`s; services never import each other.
package struct DispatchEvent: Sendable, Hashable {
    /// The event body, usually the JSON document the target receives.
    package var payload: [UInt8]
    /// Delivery details the target may use, e.g. `invocationType: Event`.
    package var attributes: [String: String]
    /// The resource that sent the event, when there is one.
    package var source: ARN?

    /// The attribute that carries message attributes for a queue or topic target, as JSON in
    /// SQS's shape: `{"name": {"DataType": "String", "StringValue": "…"}}` (`BinaryValue` in base64).
    package static let messageAttributesKey = "MessageAttributes"

    package init(payload: [UInt8], attributes: [String: String] = [:], source: ARN? = nil) {
        self.payload = payload
        self.attributes = attributes
        self.source = source
    }
}

/// What the target answered; `payload` is empty for fire-and-forget targets.
package struct DispatchReply: Sendable, Hashable {
    package var payload: [UInt8]
    /// Details of the answer the sender may use, e.g. a function's `functionError`.
    package var attributes: [String: String]

    package init(payload: [UInt8] = [], attributes: [String: String] = [:]) {
        self.payload = payload
        self.attributes = attributes
    }
}

/// Delivers events to resources by ARN.
package protocol Dispatcher: Sendable {
    /// Delivers `event` to the resource named by `target`.
    /// - Throws: `DispatchError` when no service handles the target's namespace;
    ///   whatever the target's handler throws (usually an `AWSError`) otherwise.
    func deliver(_ event: DispatchEvent, to target: ARN) async throws -> DispatchReply
}

/// How one delivery attempt ended, for the workers that retry (S3 notifications, SNS deliveries).
package enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    /// A server-side failure (5xx, 429, no answer): retried per the worker's policy.
    case retry(String)
    /// A client-side failure (4xx, a target no service serves): not retried.
    case reject(String)
}

extension Dispatcher {
    /// Delivers `event` to `target` once and says whether a failure is worth retrying.
    package func attempt(_ event: DispatchEvent, to target: ARN) async -> DeliveryOutcome {
        do {
            _ = try await deliver(event, to: target)
            return .delivered
        } catch let error as DispatchError {
            return .reject(error.awsError.message)
        } catch let error as AWSError {
            return error.status >= 500 || error.status == 429 ? .retry(error.description) : .reject(error.description)
        } catch {
            return .retry("\(error)")
        }
    }
}

/// A service's side of dispatch: it receives the events addressed to its ARNs.
package protocol DispatchHandler: Sendable {
    func handle(_ event: DispatchEvent, for target: ARN) async throws -> DispatchReply
}

/// Why an event could not be delivered.
package struct DispatchError: Error, Hashable, Sendable {
    package enum Code: Hashable, Sendable {
        /// No service is registered for the target's namespace (`arn:aws:<service>:…`).
        case unknownTarget
    }

    package var code: Code
    package var target: ARN

    /// The error an AWS API reports when a configured target cannot be reached.
    package var awsError: AWSError {
        switch code {
        case .unknownTarget:
            AWSError(code: "InvalidParameterValueException", message: "The target \(target) is not served by this Nimbus")
        }
    }
}
