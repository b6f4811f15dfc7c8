import NimbusCore

/// Checks a CompleteMultipartUpload part list against the stored parts, as S3 does:
/// part numbers strictly ascending (`InvalidPartOrder`), each part uploaded with the
/// given ETag (`InvalidPart`), every part but the last at least 5 MiB (`EntityTooSmall`).
enum MultipartPlan {
    static func select(
        _ requested: [(number: Int, eTag: String)],
        stored: [Int: S3Store.PartRecord],
        minimumSize: Int
    ) throws -> [S3Store.PartRecord] {
        var previous = 0
        var chosen: [S3Store.PartRecord] = []
        for (number, eTag) in requested {
            guard number > previous else {
                throw AWSError(
                    code: "InvalidPartOrder",
                    message: "The list of parts was not in ascending order. The parts list must be specified in order of the part number."
                )
            }
            previous = number
            guard let part = stored[number], part.eTag.trimmingQuotes == eTag.trimmingQuotes else {
                throw AWSError(
                    code: "InvalidPart",
                    message: "One or more of the specified parts could not be found. The part may not have been uploaded, "
                        + "or the specified entity tag may not match the part's entity tag.",
                    details: ["PartNumber": "\(number)", "ETag": eTag]
                )
            }
            chosen.append(part)
        }
        for part in chosen.dropLast() where part.size < minimumSize {
            throw AWSError(
                code: "EntityTooSmall",
                message: "Your proposed upload is smaller than the minimum allowed object size.",
                details: ["ProposedSize": "\(part.size)", "MinSizeAllowed": "\(minimumSize)", "PartNumber": "\(part.number)", "ETag": part.eTag]
            )
        }
        return chosen
    }
}

extension String {
    var trimmingQuotes: String { trimming("\"") }
}
