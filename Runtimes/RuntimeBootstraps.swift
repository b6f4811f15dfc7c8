import Foundation

/// The bootstraps Nimbus ships for interpreted runtimes (`python/bootstrap.py`,
/// `node/bootstrap.js`), as files on disk that an instance can run.
package enum RuntimeBootstraps {
    /// The bootstrap for a Lambda runtime name (`python3.12`, `nodejs20.x`), or `nil` for
    /// `provided*` runtimes, which bring their own.
    package static func path(for runtime: String) -> String? {
        let file: (folder: String, name: String, ext: String)
        if runtime.hasPrefix("python") {
            file = ("python", "bootstrap", "py")
        } else if runtime.hasPrefix("nodejs") {
            file = ("node", "bootstrap", "js")
        } else {
            return nil
        }
        return Bundle.module.url(forResource: file.name, withExtension: file.ext, subdirectory: file.folder)?.path
    }
}
