/// Where a streamed request body goes once the operation is known: operations whose input
/// payload is a streaming blob (S3 PutObject, UploadPart) keep the stream; every other
/// operation gets the body collected into memory, as the decoders expect.
enum StreamedBody {
    /// The most a non-streaming operation's body may hold when it arrived as a stream
    /// (S3's CompleteMultipartUpload of 10,000 parts is about 1 MB).
    static let collectLimit = 16 * 1024 * 1024

    static func prepare(_ request: inout AWSRequest, for routed: RoutedOperation) async throws {
        guard let stream = request.bodyStream else { return }
        if try streamsInput(routed) { return }
        request.body = try await stream.collect(upTo: collectLimit)
        request.bodyStream = nil
    }

    private static func streamsInput(_ routed: RoutedOperation) throws -> Bool {
        guard let input = routed.operation.input else { return false }
        let shape = try routed.model.shape(named: input.shape)
        guard let payload = shape.payload, let reference = shape.members?[payload] else { return false }
        return try reference.streaming == true || routed.model.shape(named: reference.shape).streaming == true
    }
}
