import NimbusWire

/// The credentials a function's process gets (until IAM gives it its role's).
package struct FunctionCredentials: Sendable, Hashable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// The environment of a function's process: exactly the variables AWS sets, the function's
/// own, and `AWS_ENDPOINT_URL` pointing back at Nimbus so SDKs inside the function talk to it.
struct InstanceEnvironment {
    var function: LambdaShapes.FunctionConfiguration
    /// Where the function's process sees its code: `/var/task` in a sandbox, the code directory without one.
    var taskRoot: String
    var runtimeDirectory: String
    var runtimeAPI: String
    var logGroup: String
    var logStream: String
    var region: String
    var credentials: FunctionCredentials
    var endpointURL: String?
    /// Folders searched for programs, the real interpreters' first.
    var searchPath: String

    /// The variables. User variables cannot replace the ones AWS reserves.
    var variables: [String: String] {
        let runtime = function.runtime ?? ""
        var variables = Self.base(searchPath: searchPath, taskRoot: taskRoot)
        if let endpointURL { variables["AWS_ENDPOINT_URL"] = endpointURL }
        for (name, value) in function.environment?.variables ?? [:] { variables[name] = value }
        var reserved: [String: String] = [
            "AWS_LAMBDA_FUNCTION_NAME": function.functionName ?? "",
            "AWS_LAMBDA_FUNCTION_VERSION": function.version ?? "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memorySize ?? 128),
            "AWS_LAMBDA_LOG_GROUP_NAME": logGroup,
            "AWS_LAMBDA_LOG_STREAM_NAME": logStream,
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "LAMBDA_TASK_ROOT": taskRoot,
            "LAMBDA_RUNTIME_DIR": runtimeDirectory,
            "_HANDLER": function.handler ?? "",
            "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
        ]
        if let token = credentials.sessionToken { reserved["AWS_SESSION_TOKEN"] = token }
        if !runtime.hasPrefix("provided") { reserved["AWS_EXECUTION_ENV"] = "AWS_Lambda_\(runtime)" }
        variables.merge(reserved) { _, aws in aws }
        return variables
    }

    /// What every function's process starts with, before its own variables: also all a standby starts with.
    static func base(searchPath: String, taskRoot: String) -> [String: String] {
        [
            "PATH": searchPath,
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            // The runtime starts in the task root, as on AWS (and the sandbox then needs no `env` to fix `PWD`).
            "PWD": taskRoot,
            // AWS sets no HOME; these keep SDKs in the function from reading the host's ~/.aws.
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
    }
}
