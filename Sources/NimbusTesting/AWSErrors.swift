package import NimbusCore

/// The AWS error `body` throws, or `nil` (when it throws nothing, or something else).
package func awsError(_ body: () async throws -> Void) async -> AWSError? {
    do {
        try await body()
        return nil
    } catch let error as AWSError {
        return error
    } catch {
        return nil
    }
}
