/// The version of Nimbus reported by `--version` and the health endpoint.
package enum NimbusVersion {
    package static let current = "0.1.0"
}
